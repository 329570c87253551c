package transcribetest

import (
	"sync"
	"time"

	"github.com/sidenote-app/sidenote/transcribe"
)

// Sink is a SegmentSink that keeps what it is given, and refuses it while
// told to fail, as a store with a full disk would.
type Sink struct {
	// Now, if set, stamps each segment as it is stored (see Stored).
	Now func() time.Time

	mu    sync.Mutex
	segs  []transcribe.Segment
	times []time.Time
	err   error
	next  []error // Refuse's script, before err
	calls int
}

// Final implements transcribe.SegmentSink.
func (s *Sink) Final(seg transcribe.Segment) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	err := s.err
	if len(s.next) > 0 {
		err, s.next = s.next[0], s.next[1:]
	}
	if err != nil {
		return err
	}
	s.segs = append(s.segs, seg)
	if s.Now != nil {
		s.times = append(s.times, s.Now())
	}
	return nil
}

// Fail makes Final return err from now on; nil makes it store again.
func (s *Sink) Fail(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.err = err
}

// Refuse scripts the next len(errs) calls of Final: each returns its
// error in turn, nil storing the segment; after them, Fail's error (if
// any) applies again. Refuse(err, err) is a sink that fails twice, then
// works.
func (s *Sink) Refuse(errs ...error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.next = append(s.next, errs...)
}

// Segments returns what was stored, in order.
func (s *Sink) Segments() []transcribe.Segment {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]transcribe.Segment(nil), s.segs...)
}

// Stored returns when each segment was stored (with Now set), in order.
func (s *Sink) Stored() []time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Time(nil), s.times...)
}

// Calls returns how many times Final was called, refusals included.
func (s *Sink) Calls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls
}

// Recorder is a SampleWriter that keeps everything written, and fails
// once Err is set.
type Recorder struct {
	mu      sync.Mutex
	samples []float32
	err     error
}

// Write implements transcribe.SampleWriter.
func (r *Recorder) Write(samples []float32) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err != nil {
		return r.err
	}
	r.samples = append(r.samples, samples...)
	return nil
}

// Fail makes later Writes return err.
func (r *Recorder) Fail(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.err = err
}

// Samples returns a copy of what was written.
func (r *Recorder) Samples() []float32 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]float32(nil), r.samples...)
}

// Len returns how many samples were written.
func (r *Recorder) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.samples)
}
