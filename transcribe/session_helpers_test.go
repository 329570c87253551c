package transcribe_test

import (
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/sidenote-app/sidenote/transcribe"
	"github.com/sidenote-app/sidenote/transcribe/vad"
)

// newVAD is the production adapter; tests pass their own tuning.
func newVAD(cfg vad.SegmenterConfig) func(transcribe.SegmenterOptions) (transcribe.Segmenter, error) {
	return vad.ForSession(cfg)
}

// events keeps a session's events for a test to look at.
type events struct {
	mu  sync.Mutex
	all []transcribe.Event
}

func (e *events) on(ev transcribe.Event) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.all = append(e.all, ev)
}

func (e *events) of(kinds ...transcribe.EventKind) []transcribe.Event {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []transcribe.Event
	for _, ev := range e.all {
		if slices.Contains(kinds, ev.Kind) {
			out = append(out, ev)
		}
	}
	return out
}

// near reports whether got is within tol of want.
func near(got, want, tol time.Duration) bool {
	d := got - want
	return d >= -tol && d <= tol
}

// checkSegments compares the stored segments, in order, with the bursts
// each source spoke: one segment per burst, where it was said.
func checkSegments(t *testing.T, got []transcribe.Segment, want []spoken) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d segments, want %d:\n got %v\nwant %v", len(got), len(want), got, want)
	}
	for i, w := range want {
		g := got[i]
		// The recognizer dates a burst from its first loud sample: a few
		// ms into the first syllable's fade-in.
		if g.Source != w.src || !near(g.Start, w.at, 40*time.Millisecond) || !near(g.End-g.Start, w.dur, 80*time.Millisecond) {
			t.Errorf("segment %d: got %s %v–%v, want %s %v–%v", i, g.Source, g.Start, g.End, w.src, w.at, w.at+w.dur)
		}
	}
}

type spoken struct {
	src     transcribe.Source
	at, dur time.Duration
}

const sec = time.Second
