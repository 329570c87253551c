package audio

import (
	"math/bits"
	"sync/atomic"
)

// ring is a single-producer single-consumer queue of interleaved float32
// samples: the capture callback writes, the reader goroutine reads. Both
// sides touch only atomics and their own part of the buffer, so the
// callback never waits for the reader, never allocates and never locks.
//
// The read and write positions count samples since the start and never
// wrap (a uint64 of samples lasts millions of years at 192 kHz); the slot
// of position p is p & mask. The producer publishes samples by storing w
// after copying them, the consumer frees slots by storing r after copying
// them out: those two stores are the only hand-offs.
//
// When the reader falls behind and the buffer is full, the producer drops
// the newest frames and counts them, instead of overwriting the oldest:
// overwriting would race with a reader in the middle of copying them out.
// So the queue always holds an unbroken run of audio, and a gap is exactly
// where the count says frames went missing.
type ring struct {
	buf      []float32
	mask     uint64
	channels uint64 // samples per frame: writes and reads move whole frames

	_       [64]byte // keep the producer's and consumer's counters on separate cache lines
	w       atomic.Uint64
	_       [56]byte
	r       atomic.Uint64
	_       [56]byte
	dropped atomic.Uint64 // frames
}

// newRing holds at least frames frames of channels samples each; the
// capacity is rounded up to a power of two samples.
func newRing(frames, channels int) *ring {
	n := uint64(max(frames, 1) * channels)
	size := uint64(1) << bits.Len64(n-1)
	return &ring{buf: make([]float32, size), mask: size - 1, channels: uint64(channels)}
}

// capacityFrames is how many whole frames fit.
func (q *ring) capacityFrames() int { return int(uint64(len(q.buf)) / q.channels) }

// write queues the whole frames of p that fit and returns how many frames
// it dropped for lack of room. Producer side only.
func (q *ring) write(p []float32) (dropped int) {
	w := q.w.Load()
	free := uint64(len(q.buf)) - (w - q.r.Load())
	frames := uint64(len(p)) / q.channels
	n := min(frames, free/q.channels) * q.channels
	if n > 0 {
		start := w & q.mask
		c := copy(q.buf[start:], p[:n])
		copy(q.buf, p[c:n])
		q.w.Store(w + n)
	}
	if lost := frames - n/q.channels; lost > 0 {
		q.dropped.Add(lost)
		return int(lost)
	}
	return 0
}

// read moves the oldest whole frames into p and returns the number of
// samples moved (a multiple of the channel count). Consumer side only.
func (q *ring) read(p []float32) int {
	r := q.r.Load()
	avail := q.w.Load() - r
	n := min(avail, uint64(len(p))/q.channels*q.channels)
	if n == 0 {
		return 0
	}
	start := r & q.mask
	c := copy(p[:n], q.buf[start:])
	copy(p[c:n], q.buf)
	q.r.Store(r + n)
	return int(n)
}

// buffered is how many samples wait to be read.
func (q *ring) buffered() int { return int(q.w.Load() - q.r.Load()) }
