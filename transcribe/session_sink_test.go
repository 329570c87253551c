package transcribe_test

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/sidenote-app/sidenote/transcribe"
	"github.com/sidenote-app/sidenote/transcribe/transcribetest"
)

// threeBursts is 10 s of audio with an utterance at 1, 4 and 7 s.
func threeBursts() transcribe.Input {
	return transcribe.Input{Source: transcribe.SourceYou,
		Reader: &transcribetest.Samples{Data: transcribetest.Scene(13, 10*sec,
			transcribetest.Burst{At: 1 * sec, Dur: sec},
			transcribetest.Burst{At: 4 * sec, Dur: sec},
			transcribetest.Burst{At: 7 * sec, Dur: sec})}}
}

var threeSpoken = []spoken{
	{transcribe.SourceYou, 1 * sec, 950 * time.Millisecond},
	{transcribe.SourceYou, 4 * sec, 950 * time.Millisecond},
	{transcribe.SourceYou, 7 * sec, 950 * time.Millisecond},
}

// sinkLog describes the sink's side of a session's events in order:
// "final@1s" for an EventFinal of the utterance starting at 1 s,
// "error 2/1s" for an EventSinkError with 2 finals waiting, failing for
// 1 s, and "restored".
func sinkLog(t *testing.T, ev *events) string {
	t.Helper()
	var out []string
	for _, e := range ev.of(transcribe.EventFinal, transcribe.EventSinkError, transcribe.EventSinkRestored) {
		switch e.Kind {
		case transcribe.EventFinal:
			out = append(out, fmt.Sprintf("final@%v", e.Start.Round(sec)))
		case transcribe.EventSinkError:
			if len(e.Segments) < e.Unsaved || e.Err == nil {
				t.Errorf("sink error %+v: want an error and at least one segment per final waiting", e)
			}
			out = append(out, fmt.Sprintf("error %d/%v", e.Unsaved, e.FailingFor))
		default:
			out = append(out, e.Kind.String())
		}
	}
	return strings.Join(out, ", ")
}

// A sink that refuses some calls, then takes everything: each final's
// event comes only once it is stored, retries come every SinkRetry in
// order, and the sink errors say how many wait and for how long.
func TestSessionPostsFinalsOnlyOnceStored(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, transcribetest.Spans{}, threeBursts())
		r.opts.SinkRetry = sec
		boom := errors.New("disk full")
		// The first final, its first retry, then (at 2 s) the first is
		// stored and the second refused; at 3 s everything is taken.
		r.sink.Refuse(boom, boom, nil, boom)
		r.start()
		synctest.Wait()
		// All three transcribed at once (the reader does not wait), none
		// stored: no final may be shown.
		if got, want := sinkLog(t, r.ev), "error 1/0s, error 2/0s, error 3/0s"; got != want {
			t.Errorf("before any retry, sink events:\n got %s\nwant %s", got, want)
		}
		if got := len(r.s.Unsaved()); got != 3 {
			t.Errorf("%d segments unsaved, want 3", got)
		}
		time.Sleep(2500 * time.Millisecond)
		synctest.Wait()
		if got := len(r.s.Unsaved()); got != 2 {
			t.Errorf("after 2.5 s, %d segments unsaved, want 2", got)
		}
		time.Sleep(sec)
		synctest.Wait()
		if err := r.stop(); err != nil {
			t.Fatal(err)
		}
		want := "error 1/0s, error 2/0s, error 3/0s, error 3/1s, final@1s, error 2/2s, final@4s, final@7s, sink restored"
		if got := sinkLog(t, r.ev); got != want {
			t.Errorf("sink events:\n got %s\nwant %s", got, want)
		}
		if got := r.sink.Calls(); got != 6 {
			t.Errorf("sink called %d times, want 6: 3 segments, 3 refusals", got)
		}
		checkSegments(t, r.sink.Segments(), threeSpoken)
		if got := r.s.Unsaved(); len(got) != 0 {
			t.Errorf("unsaved after the sink took everything: %v", got)
		}
	})
}

// Stop offers held finals once more however long the next retry is, and
// reports what stays unsaved; a final never stored is never posted.
func TestSessionStopRetriesTheSink(t *testing.T) {
	for _, recovers := range []bool{true, false} {
		t.Run(fmt.Sprintf("recovers=%v", recovers), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				r := newRig(t, transcribetest.Spans{}, threeBursts())
				r.opts.SinkRetry = time.Hour
				boom := errors.New("disk full")
				if recovers {
					r.sink.Refuse(boom)
				} else {
					r.sink.Fail(boom)
				}
				r.start()
				synctest.Wait()
				err := r.stop()
				if recovers {
					if err != nil {
						t.Fatal(err)
					}
					if got, want := sinkLog(t, r.ev), "error 1/0s, error 2/0s, error 3/0s, final@1s, final@4s, final@7s, sink restored"; got != want {
						t.Errorf("sink events:\n got %s\nwant %s", got, want)
					}
					checkSegments(t, r.sink.Segments(), threeSpoken)
					return
				}
				if !errors.Is(err, transcribe.ErrUnsaved) || !strings.Contains(err.Error(), "3 final segments") {
					t.Errorf("Stop with a sink that never took anything: %v, want ErrUnsaved for 3 segments", err)
				}
				if got, want := sinkLog(t, r.ev), "error 1/0s, error 2/0s, error 3/0s, error 3/0s"; got != want {
					t.Errorf("sink events:\n got %s\nwant %s", got, want)
				}
				checkSegments(t, r.s.Unsaved(), threeSpoken)
				if got := r.sink.Calls(); got != 2 {
					t.Errorf("sink called %d times, want 2: the first final, and again at Stop", got)
				}
			})
		})
	}
}

// callTimes is a sink that notes when each Final is called.
type callTimes struct {
	*transcribetest.Sink
	mu    sync.Mutex
	calls []time.Time
}

func (c *callTimes) Final(seg transcribe.Segment) error {
	c.mu.Lock()
	c.calls = append(c.calls, time.Now())
	c.mu.Unlock()
	return c.Sink.Final(seg)
}

// Speech keeps waking the worker (utterances starting, partials); the
// retry still comes exactly SinkRetry after the refusal: a wake-up must
// not restart the wait.
func TestSessionRetriesTheSinkWhileSpeechGoesOn(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var bursts []transcribetest.Burst
		for at := 1 * sec; at < 20*sec; at += 2 * sec {
			bursts = append(bursts, transcribetest.Burst{At: at, Dur: 1200 * time.Millisecond})
		}
		r := newRig(t, transcribetest.Spans{}, transcribe.Input{Source: transcribe.SourceYou,
			Reader: &transcribetest.Paced{Data: transcribetest.Scene(21, 22*sec, bursts...)}})
		r.opts.SinkRetry = 3 * sec
		r.opts.PartialEvery = 300 * time.Millisecond
		sink := &callTimes{Sink: r.sink}
		r.opts.Sink = sink
		r.sink.Refuse(errors.New("database is locked"))
		r.start()
		time.Sleep(23 * sec) // speech until 20.2 s
		synctest.Wait()
		if err := r.stop(); err != nil {
			t.Fatal(err)
		}
		if got := len(r.sink.Segments()); got != len(bursts) {
			t.Fatalf("%d segments stored, want %d", got, len(bursts))
		}
		// The refusal, then the retry that stores the first final.
		if len(sink.calls) < 2 {
			t.Fatalf("%d sink calls, want a refusal and a retry", len(sink.calls))
		}
		if got := sink.calls[1].Sub(sink.calls[0]); got != r.opts.SinkRetry {
			t.Errorf("retry %v after the refusal while speech went on, want %v", got, r.opts.SinkRetry)
		}
	})
}
