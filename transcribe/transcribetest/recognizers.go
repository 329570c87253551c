package transcribetest

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/sidenote-app/sidenote/transcribe"
)

// Spans reports one segment per window, from the first to the last sample
// louder than Threshold, so that where speech sits in the input is where
// its segment comes out. Text is "speech <length>" (e.g. "speech 1.5s");
// a window with nothing loud gives no segment.
type Spans struct {
	// Threshold is the absolute level of a loud sample; zero means 0.01.
	Threshold float32
}

// Recognize implements transcribe.Recognizer.
func (r Spans) Recognize(ctx context.Context, samples []float32) ([]transcribe.Segment, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	th := r.Threshold
	if th == 0 {
		th = 0.01
	}
	first, last := -1, -1
	for i, v := range samples {
		if v > th || v < -th {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if first < 0 {
		return nil, nil
	}
	st, en := transcribe.Samples(int64(first)), transcribe.Samples(int64(last+1))
	return []transcribe.Segment{{
		Start: st, End: en, Confidence: 1,
		Text: fmt.Sprintf("speech %v", (en - st).Round(100*time.Millisecond)),
	}}, nil
}

// Slow is a recognizer that takes its time: each call waits at a gate the
// test holds and releases, then spends PerSecond for every second of audio
// (sleeping, or busy like a real recognizer with Spin), then answers with
// Inner (default Spans). Waits end early, with ctx's error, when ctx is
// cancelled.
type Slow struct {
	Inner     transcribe.Recognizer
	PerSecond time.Duration
	Spin      bool

	mu      sync.Mutex
	gate    chan struct{} // nil: open
	calls   int
	samples int64
	compute time.Duration
}

// Hold closes the gate: calls from now on wait at it until Release.
func (s *Slow) Hold() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.gate == nil {
		s.gate = make(chan struct{})
	}
}

// Release opens the gate for waiting and later calls.
func (s *Slow) Release() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.gate != nil {
		close(s.gate)
		s.gate = nil
	}
}

// Recognize implements transcribe.Recognizer.
func (s *Slow) Recognize(ctx context.Context, samples []float32) ([]transcribe.Segment, error) {
	s.mu.Lock()
	s.calls++
	s.samples += int64(len(samples))
	gate := s.gate
	s.mu.Unlock()
	if gate != nil {
		select {
		case <-gate:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	cost := time.Duration(int64(s.PerSecond) * int64(len(samples)) / transcribe.SampleRate)
	if cost > 0 {
		start := time.Now()
		if s.Spin {
			for time.Since(start) < cost {
				if ctx.Err() != nil {
					return nil, ctx.Err()
				}
				spin()
			}
		} else {
			t := time.NewTimer(cost)
			select {
			case <-t.C:
			case <-ctx.Done():
				t.Stop()
				return nil, ctx.Err()
			}
		}
		s.mu.Lock()
		s.compute += time.Since(start)
		s.mu.Unlock()
	}
	inner := s.Inner
	if inner == nil {
		inner = Spans{}
	}
	return inner.Recognize(ctx, samples)
}

var spinSink uint64

// spin burns a few microseconds of CPU.
func spin() {
	x := spinSink
	for i := range 2000 {
		x = x*6364136223846793005 + uint64(i)
	}
	spinSink = x
}

// Calls returns how many calls began, and the audio they were given.
func (s *Slow) Calls() (int, time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls, transcribe.Samples(s.samples)
}

// Compute returns the time spent computing (not waiting at the gate).
func (s *Slow) Compute() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.compute
}
