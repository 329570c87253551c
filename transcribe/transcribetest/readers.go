package transcribetest

import (
	"errors"
	"io"
	"sync"
	"time"

	"github.com/sidenote-app/sidenote/transcribe"
)

// ErrDeviceLost is what Flaky fails with unless told otherwise.
var ErrDeviceLost = errors.New("transcribetest: device lost")

// Paced hands out Data no faster than real time, as a capture device
// does: a chunk is returned once the time its last sample takes to
// "arrive" has passed since the first Read. Time is Now and waiting is
// Sleep, so a test runs it at full speed on a ManualTime and a benchmark
// in real time with the defaults. It is an io.Closer: Close makes Read
// return io.EOF, interrupting a real-time wait.
type Paced struct {
	Data []float32
	// Chunk is the most samples a Read returns; zero means 10 ms (160).
	Chunk int
	// Now and Sleep default to time.Now and a timer that Close cuts short.
	Now   func() time.Time
	Sleep func(time.Duration)

	mu      sync.Mutex
	pos     int
	start   time.Time
	started bool
	once    sync.Once
	closed  chan struct{}
}

func (p *Paced) init() {
	p.once.Do(func() { p.closed = make(chan struct{}) })
}

// Read implements transcribe.SampleReader.
func (p *Paced) Read(dst []float32) (int, error) {
	p.init()
	now := p.Now
	if now == nil {
		now = time.Now
	}
	p.mu.Lock()
	if !p.started {
		p.start, p.started = now(), true
	}
	if p.pos >= len(p.Data) || p.isClosed() {
		p.mu.Unlock()
		return 0, io.EOF
	}
	chunk := p.Chunk
	if chunk <= 0 {
		chunk = transcribe.SampleRate / 100
	}
	n := min(len(dst), chunk, len(p.Data)-p.pos)
	due := p.start.Add(transcribe.Samples(int64(p.pos + n)))
	p.mu.Unlock()

	if wait := due.Sub(now()); wait > 0 {
		if p.Sleep != nil {
			p.Sleep(wait)
		} else {
			t := time.NewTimer(wait)
			select {
			case <-t.C:
			case <-p.closed:
				t.Stop()
				return 0, io.EOF
			}
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	n = copy(dst[:n], p.Data[p.pos:])
	p.pos += n
	return n, nil
}

func (p *Paced) isClosed() bool {
	select {
	case <-p.closed:
		return true
	default:
		return false
	}
}

// Started returns when the first Read began, the zero time before it.
func (p *Paced) Started() time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.start
}

// Close makes every later Read return io.EOF.
func (p *Paced) Close() error {
	p.init()
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.isClosed() {
		close(p.closed)
	}
	return nil
}

// Feed is a SampleReader driven step by step by a test: Read blocks until
// the test sends samples, an error or the end. Because Read takes each
// message only when its caller asks for more, Sync returning means the
// reader's caller has dealt with everything sent before it. It counts
// overflows as a capture stream does, and is an io.Closer.
type Feed struct {
	once      sync.Once
	ch        chan feedMsg
	closed    chan struct{}
	closeOnce sync.Once

	mu        sync.Mutex
	rest      []float32
	overflows int64
	invalid   int64
}

type feedMsg struct {
	samples []float32
	err     error
	sync    bool
}

func (f *Feed) init() {
	f.once.Do(func() {
		f.ch = make(chan feedMsg)
		f.closed = make(chan struct{})
	})
}

// Read implements transcribe.SampleReader.
func (f *Feed) Read(dst []float32) (int, error) {
	f.init()
	f.mu.Lock()
	if len(f.rest) > 0 {
		n := copy(dst, f.rest)
		f.rest = f.rest[n:]
		f.mu.Unlock()
		return n, nil
	}
	f.mu.Unlock()
	for {
		select {
		case m := <-f.ch:
			if m.sync {
				continue
			}
			if m.err != nil {
				return 0, m.err
			}
			n := copy(dst, m.samples)
			f.mu.Lock()
			f.rest = m.samples[n:]
			f.mu.Unlock()
			return n, nil
		case <-f.closed:
			return 0, io.EOF
		}
	}
}

func (f *Feed) send(m feedMsg) {
	f.init()
	select {
	case f.ch <- m:
	case <-f.closed:
	}
}

// Send hands samples to the reader, returning once Read has taken them.
func (f *Feed) Send(samples []float32) { f.send(feedMsg{samples: samples}) }

// Sync returns once the reader has asked for more after everything sent
// before, i.e. its caller has processed it.
func (f *Feed) Sync() { f.send(feedMsg{sync: true}) }

// Fail makes the next Read return err.
func (f *Feed) Fail(err error) { f.send(feedMsg{err: err}) }

// SetOverflows sets what Overflows reports.
func (f *Feed) SetOverflows(n int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.overflows = n
}

// Overflows reports samples "lost" so far, as SetOverflows said.
func (f *Feed) Overflows() int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.overflows
}

// SetInvalidSamples sets what InvalidSamples reports.
func (f *Feed) SetInvalidSamples(n int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.invalid = n
}

// InvalidSamples reports samples "replaced" so far, as SetInvalidSamples said.
func (f *Feed) InvalidSamples() int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.invalid
}

// Close ends the stream: Read returns io.EOF from now on.
func (f *Feed) Close() error {
	f.init()
	f.closeOnce.Do(func() { close(f.closed) })
	return nil
}

// Flaky is a capture device that is lost mid-way and comes back: Reads
// hand out Data until FailAt samples, then fail with Err until Reopen
// succeeds, which it does after Failures failed attempts; then Reads go
// on, Lose samples later (what the device missed while away). It is an
// io.Closer.
type Flaky struct {
	Data     []float32
	Chunk    int // most samples per Read; zero: as many as fit
	FailAt   int
	Err      error // default ErrDeviceLost
	Failures int
	Lose     int
	// BeforeReopen, if set, runs at every Reopen attempt, e.g. to move a
	// ManualTime on by the outage.
	BeforeReopen func(attempt int)

	mu       sync.Mutex
	pos      int
	down     bool
	failed   bool // has failed once
	attempts int
	closed   bool
}

// Read implements transcribe.SampleReader.
func (f *Flaky) Read(dst []float32) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case f.closed || f.pos >= len(f.Data):
		return 0, io.EOF
	case f.down:
		return 0, f.err()
	case !f.failed && f.pos >= f.FailAt:
		f.failed, f.down = true, true
		return 0, f.err()
	}
	end := len(f.Data)
	if !f.failed {
		end = min(end, f.FailAt)
	}
	if f.Chunk > 0 && len(dst) > f.Chunk {
		dst = dst[:f.Chunk]
	}
	n := copy(dst, f.Data[f.pos:end])
	f.pos += n
	return n, nil
}

func (f *Flaky) err() error {
	if f.Err != nil {
		return f.Err
	}
	return ErrDeviceLost
}

// Reopen fails Failures times, then brings the device back.
func (f *Flaky) Reopen() error {
	f.mu.Lock()
	f.attempts++
	attempt := f.attempts
	f.mu.Unlock()
	if f.BeforeReopen != nil {
		f.BeforeReopen(attempt)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if attempt <= f.Failures {
		return errors.New("transcribetest: device still missing")
	}
	if f.down {
		f.down = false
		f.pos = min(f.pos+f.Lose, len(f.Data))
	}
	return nil
}

// Attempts returns how many times Reopen was called.
func (f *Flaky) Attempts() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.attempts
}

// Close makes Read return io.EOF.
func (f *Flaky) Close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.closed = true
	return nil
}

// Repeat yields Data over and over until Total samples, for streams too
// long to hold. At, if set, is called with the position before each Read.
type Repeat struct {
	Data  []float32
	Total int64
	At    func(pos int64)
	pos   int64
}

// Read implements transcribe.SampleReader.
func (r *Repeat) Read(dst []float32) (int, error) {
	if r.At != nil {
		r.At(r.pos)
	}
	if r.pos >= r.Total {
		return 0, io.EOF
	}
	i := int(r.pos % int64(len(r.Data)))
	n := copy(dst[:min(int64(len(dst)), r.Total-r.pos)], r.Data[i:])
	r.pos += int64(n)
	return n, nil
}
