package transcribe

import (
	"slices"
	"sync"
	"time"
)

// utterance is an ended (or, for partials, growing) utterance on the
// session's axis.
type utterance struct {
	input      int
	src        Source
	start, end int64
	samples    []float32 // nil while spooled
	spooled    bool
	spoolAt    int64
}

func (u *utterance) len() int64 { return u.end - u.start }

// backlog is what waits for the recognizer: ended utterances ordered by
// start (then input), in memory up to bound samples and in the spool
// beyond; the one being transcribed; and each input's latest partial.
// Readers push, the worker pops.
type backlog struct {
	mu      sync.Mutex
	queue   []*utterance
	audio   int64 // samples queued
	inMem   int64 // of which in memory
	bound   int64
	spool   spool
	spooled int
	current *utterance
	partial []*utterance // per input: the utterance in progress, as of its last partial
	closed  bool         // no more pushes: the readers have ended
}

func newBacklog(inputs int, bound int64, dir string) *backlog {
	return &backlog{bound: bound, spool: spool{dir: dir}, partial: make([]*utterance, inputs)}
}

func (b *backlog) setPartial(u *utterance) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.partial[u.input] = u
}

// push queues an ended utterance. An error means the spool failed and the
// utterance is kept in memory instead: nothing is lost, the bound is.
func (b *backlog) push(u *utterance) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.partial[u.input] = nil
	var err error
	if b.inMem+u.len() > b.bound {
		var at int64
		if at, err = b.spool.put(u.samples); err == nil {
			u.samples, u.spooled, u.spoolAt = nil, true, at
			b.spooled++
		}
	}
	if !u.spooled {
		b.inMem += u.len()
	}
	b.audio += u.len()
	b.insert(u)
	return err
}

func (b *backlog) insert(u *utterance) {
	i, _ := slices.BinarySearchFunc(b.queue, u, func(q, u *utterance) int {
		switch {
		case q.start != u.start:
			return int(min(max(q.start-u.start, -1), 1))
		case q.input != u.input:
			return q.input - u.input
		}
		return -1 // after equal ones: first come, first served
	})
	b.queue = slices.Insert(b.queue, i, u)
}

// pop takes the earliest utterance and makes it current, reading it back
// from the spool if need be; nil when none waits. With an error the
// utterance's audio could not be read back and is returned for reporting.
func (b *backlog) pop() (*utterance, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.queue) == 0 {
		return nil, nil
	}
	u := b.queue[0]
	b.queue[0] = nil
	b.queue = b.queue[1:]
	if len(b.queue) == 0 {
		b.queue = nil // let the backing array go
	}
	b.audio -= u.len()
	b.current = u
	if !u.spooled {
		b.inMem -= u.len()
		return u, nil
	}
	b.spooled--
	samples, err := b.spool.take(u.spoolAt, int(u.len()))
	u.samples, u.spooled = samples, false
	return u, err
}

// finish says the current utterance is done with.
func (b *backlog) finish() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.current = nil
}

// requeue puts back the current utterance, whose transcription was
// cancelled, so that it is counted as abandoned.
func (b *backlog) requeue(u *utterance) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.current = nil
	b.inMem += u.len()
	b.audio += u.len()
	b.insert(u)
}

// takePartial returns the newest utterance in progress with a partial not
// yet transcribed, or nil.
func (b *backlog) takePartial() *utterance {
	b.mu.Lock()
	defer b.mu.Unlock()
	best := -1
	for i, p := range b.partial {
		if p != nil && (best < 0 || p.end > b.partial[best].end) {
			best = i
		}
	}
	if best < 0 {
		return nil
	}
	p := b.partial[best]
	b.partial[best] = nil
	return p
}

func (b *backlog) close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
}

// drained: no more will come and nothing waits.
func (b *backlog) drained() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.closed && len(b.queue) == 0
}

func (b *backlog) status(now time.Duration) Backlog {
	b.mu.Lock()
	defer b.mu.Unlock()
	st := Backlog{Utterances: len(b.queue), Audio: Samples(b.audio), Spooled: b.spooled}
	oldest := int64(-1)
	if len(b.queue) > 0 {
		oldest = b.queue[0].start
	}
	if c := b.current; c != nil {
		st.Utterances++
		st.Audio += Samples(c.len())
		if oldest < 0 || c.start < oldest {
			oldest = c.start
		}
	}
	if oldest >= 0 {
		st.Lag = max(now-Samples(oldest), 0)
	}
	return st
}

// discard drops what still waits (the session was cancelled), removes the
// spool and says how much was dropped.
func (b *backlog) discard() (n int, audio int64, err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	n, audio = len(b.queue), b.audio
	if b.current != nil {
		n++
		audio += b.current.len()
	}
	b.queue, b.current, b.audio, b.inMem, b.spooled = nil, nil, 0, 0, 0
	clear(b.partial)
	return n, audio, b.spool.remove()
}
