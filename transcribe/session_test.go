package transcribe_test

import (
	"cmp"
	"context"
	"errors"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/sidenote-app/sidenote/transcribe"
	"github.com/sidenote-app/sidenote/transcribe/transcribetest"
	"github.com/sidenote-app/sidenote/transcribe/vad"
)

// Session tests run in a synctest bubble: time is fake (a paced reader's
// real-time waits and reopen back-offs take no time, and always the same
// fake time), synctest.Wait says when everything is idle, and the bubble
// fails the test if any goroutine is left blocked when it ends — a leak.

type rig struct {
	t    *testing.T
	s    *transcribe.Session
	ev   *events
	sink *transcribetest.Sink
	opts transcribe.SessionOptions
}

func newRig(t *testing.T, rec transcribe.Recognizer, inputs ...transcribe.Input) *rig {
	t.Helper()
	r := &rig{t: t, ev: &events{}, sink: &transcribetest.Sink{}}
	r.opts = transcribe.SessionOptions{
		Inputs:       inputs,
		Recognizer:   rec,
		Sink:         r.sink,
		NewSegmenter: newVAD(vad.SegmenterConfig{}),
		OnEvent:      r.ev.on,
		SpoolDir:     t.TempDir(),
	}
	return r
}

func (r *rig) start() {
	r.t.Helper()
	s, err := transcribe.NewSession(r.opts)
	if err != nil {
		r.t.Fatal(err)
	}
	r.s = s
	if err := s.Start(context.Background()); err != nil {
		r.t.Fatal(err)
	}
}

func (r *rig) stop() error {
	err := r.s.Stop(context.Background())
	if werr := r.s.Wait(); !errors.Is(werr, err) && werr != nil {
		r.t.Errorf("Wait returned %v, Stop %v", werr, err)
	}
	return err
}

func TestSessionLabelsTwoInputsAtTheirTimes(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		you := &transcribetest.Paced{Data: transcribetest.Scene(1, 12*sec,
			transcribetest.Burst{At: 1 * sec, Dur: 1500 * time.Millisecond},
			transcribetest.Burst{At: 6 * sec, Dur: 2 * sec})}
		them := &transcribetest.Paced{Data: transcribetest.Scene(2, 12*sec,
			transcribetest.Burst{At: 3500 * time.Millisecond, Dur: 1500 * time.Millisecond},
			transcribetest.Burst{At: 9 * sec, Dur: 2 * sec})}
		r := newRig(t, transcribetest.Spans{},
			transcribe.Input{Source: transcribe.SourceYou, Reader: you},
			transcribe.Input{Source: transcribe.SourceThem, Reader: them})
		r.start()
		time.Sleep(13 * sec) // the paced readers deliver 12 s in (fake) real time
		synctest.Wait()
		if got := len(r.ev.of(transcribe.EventInputEnded)); got != 2 {
			t.Fatalf("%d inputs ended after 13 s of 12 s streams, want 2", got)
		}
		// 12 s of audio, then 1 s on monotonic time once it ended.
		if got := r.s.Clock().Now(); got != 13*sec {
			t.Errorf("clock 1 s after 12 s of microphone audio ended reads %v, want 13s", got)
		}
		if err := r.stop(); err != nil {
			t.Fatal(err)
		}
		checkSegments(t, r.sink.Segments(), []spoken{
			{transcribe.SourceYou, 1 * sec, 1450 * time.Millisecond},
			{transcribe.SourceThem, 3500 * time.Millisecond, 1450 * time.Millisecond},
			{transcribe.SourceYou, 6 * sec, 1950 * time.Millisecond},
			{transcribe.SourceThem, 9 * sec, 1950 * time.Millisecond},
		})
		finals := r.ev.of(transcribe.EventFinal)
		if len(finals) != 4 {
			t.Fatalf("%d final events, want 4", len(finals))
		}
		for _, f := range finals {
			if len(f.Segments) != 1 || f.Segments[0].Source != f.Source || f.Start > f.Segments[0].Start || f.End < f.Segments[0].End {
				t.Errorf("final event %+v: want one segment of its source inside its span", f)
			}
		}
		// Speaking shows on the right meter at the right time, and meters
		// are throttled to about 20 a second per input (fewer if merged).
		levels := r.ev.of(transcribe.EventLevel)
		loudest := map[transcribe.Source]float64{}
		for _, l := range levels {
			if l.Level.Peak < l.Level.RMS {
				t.Errorf("level %+v: peak below RMS", l.Level)
			}
			if l.Level.Speaking {
				loudest[l.Source] = max(loudest[l.Source], l.Level.RMS+200) // +200: 0 means unseen
			}
		}
		for _, src := range []transcribe.Source{transcribe.SourceYou, transcribe.SourceThem} {
			// Speech at -20 dBFS RMS, measured over 50 ms that may hold a
			// gap between syllables.
			if rms := loudest[src] - 200; rms < -26 || rms > -14 {
				t.Errorf("loudest level of %s while speaking %.1f dBFS, want about -20", src, rms)
			}
		}
		if n := len(levels); n == 0 || n > 2*12*21+10 {
			t.Errorf("%d level events for 2 inputs × 12 s, want at most about 20/s each", n)
		}
		var states []transcribe.State
		for _, e := range r.ev.of(transcribe.EventState) {
			states = append(states, e.State)
		}
		want := []transcribe.State{transcribe.StateRunning, transcribe.StateDraining, transcribe.StateStopped}
		if !equal(states, want) {
			t.Errorf("states %v, want %v", states, want)
		}
	})
}

func byStart(segs []transcribe.Segment) []transcribe.Segment {
	slices.SortStableFunc(segs, func(a, b transcribe.Segment) int { return cmp.Compare(a.Start, b.Start) })
	return segs
}

func equal[T comparable](a, b []T) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestSessionPartialsComeBeforeTheFinal(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		feed := &transcribetest.Feed{}
		rec := &transcribetest.Slow{}
		r := newRig(t, rec, transcribe.Input{Source: transcribe.SourceThem, Reader: feed})
		r.start()
		audio := transcribetest.Scene(3, 10*sec,
			transcribetest.Burst{At: 1 * sec, Dur: 4 * sec},
			transcribetest.Burst{At: 7 * sec, Dur: 2 * sec})
		at := func(d time.Duration) int { return int(d * transcribe.SampleRate / time.Second) }

		feed.SetOverflows(7)
		feed.Send(audio[:at(4*sec)]) // 3 s into the first utterance
		feed.Sync()
		synctest.Wait()
		partials := r.ev.of(transcribe.EventPartial)
		if len(partials) == 0 {
			t.Fatal("no partial 3 s into an utterance with an idle recognizer")
		}
		if len(r.ev.of(transcribe.EventFinal)) != 0 {
			t.Fatal("a final before the utterance ended")
		}
		if p := partials[len(partials)-1]; !near(p.Start, 750*time.Millisecond, 10*time.Millisecond) || len(p.Segments) != 1 || !near(p.Segments[0].Start, sec, 40*time.Millisecond) {
			t.Errorf("partial %+v: want the utterance from 0.75 s (pre-roll) with speech from 1 s", p)
		}
		if ov := r.ev.of(transcribe.EventOverflow); len(ov) != 1 || ov[0].Overflows != 7 || ov[0].Source != transcribe.SourceThem {
			t.Errorf("overflow events %+v, want one reporting 7", ov)
		}

		// The second utterance is held in progress with a partial pending
		// while the recognizer is busy with the first one's final: the
		// final wins, and that stale partial is never transcribed.
		rec.Hold()
		feed.Send(audio[at(4*sec):at(8500*time.Millisecond)])
		feed.Sync()
		synctest.Wait()
		rec.Release()
		feed.Send(audio[at(8500*time.Millisecond):])
		feed.Close()
		if err := r.stop(); err != nil {
			t.Fatal(err)
		}
		seen := map[time.Duration]bool{} // finals by utterance start
		for _, e := range r.ev.of(transcribe.EventPartial, transcribe.EventFinal) {
			if seen[e.Start] {
				t.Errorf("%s for the utterance at %v after its final", e.Kind, e.Start)
			}
			if e.Kind == transcribe.EventFinal {
				seen[e.Start] = true
			}
		}
		checkSegments(t, r.sink.Segments(), []spoken{
			{transcribe.SourceThem, 1 * sec, 3950 * time.Millisecond},
			{transcribe.SourceThem, 7 * sec, 1950 * time.Millisecond},
		})
	})
}

// A faulty input is reported once, at the first invalid sample its reader
// replaced, however many follow.
func TestSessionReportsInvalidSamplesOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		feed := &transcribetest.Feed{}
		r := newRig(t, &transcribetest.Slow{}, transcribe.Input{Source: transcribe.SourceYou, Reader: feed})
		r.start()
		silence := make([]float32, transcribe.SampleRate/10)
		feed.Send(silence)
		feed.Sync()
		synctest.Wait()
		if got := r.ev.of(transcribe.EventInvalidSamples); len(got) != 0 {
			t.Fatalf("%d invalid-sample events before any, want 0", len(got))
		}
		for _, n := range []int64{3, 9, 100} {
			feed.SetInvalidSamples(n)
			feed.Send(silence)
			feed.Sync()
			synctest.Wait()
		}
		feed.Close()
		if err := r.stop(); err != nil {
			t.Fatal(err)
		}
		if got := r.ev.of(transcribe.EventInvalidSamples); len(got) != 1 || got[0].Invalid != 3 || got[0].Source != transcribe.SourceYou {
			t.Errorf("invalid-sample events %+v, want one from You reporting 3", got)
		}
	})
}

func TestSessionBacklogSpoolsAndDrainsAfterStop(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var bursts []transcribetest.Burst
		var want []spoken
		for i := range 10 {
			at := time.Duration(i)*3*sec + 500*time.Millisecond
			bursts = append(bursts, transcribetest.Burst{At: at, Dur: 1500 * time.Millisecond})
			want = append(want, spoken{transcribe.SourceYou, at, 1450 * time.Millisecond})
		}
		rec := &transcribetest.Slow{}
		rec.Hold()
		r := newRig(t, rec, transcribe.Input{Source: transcribe.SourceYou,
			Reader: &transcribetest.Samples{Data: transcribetest.Scene(4, 30*sec, bursts...)}})
		r.opts.QueueBound = 5 * sec
		r.start()
		synctest.Wait() // the input has ended; the recognizer waits at its gate

		if got := len(r.ev.of(transcribe.EventInputEnded)); got != 1 {
			t.Fatalf("%d inputs ended, want 1", got)
		}
		files, _ := os.ReadDir(r.opts.SpoolDir)
		if len(files) != 1 {
			t.Fatalf("spool dir holds %d files while 10 × 2 s wait behind a 5 s bound, want 1", len(files))
		}
		backlog := r.ev.of(transcribe.EventBacklog)
		last := backlog[len(backlog)-1].Backlog
		if last.Utterances != 10 || last.Spooled < 5 || last.Lag < 25*sec {
			t.Errorf("backlog %+v, want 10 utterances, most of them spooled, lag over 25 s", last)
		}

		stopped := make(chan error)
		go func() { stopped <- r.stop() }()
		synctest.Wait()
		if st := r.s.State(); st != transcribe.StateDraining {
			t.Errorf("state %v while the backlog waits after Stop, want draining", st)
		}
		rec.Release()
		if err := <-stopped; err != nil {
			t.Fatal(err)
		}
		checkSegments(t, r.sink.Segments(), want)
		if files, _ := os.ReadDir(r.opts.SpoolDir); len(files) != 0 {
			t.Errorf("spool dir holds %v after the drain, want nothing", files)
		}

		// Lag rose while the recognizer was stuck and fell as it caught up.
		backlog = r.ev.of(transcribe.EventBacklog)
		peak := 0
		for i, b := range backlog {
			if b.Backlog.Lag > backlog[peak].Backlog.Lag {
				peak = i
			}
		}
		for i := peak + 1; i < len(backlog); i++ {
			if backlog[i].Backlog.Lag > backlog[i-1].Backlog.Lag {
				t.Errorf("lag rose during the drain: %v then %v", backlog[i-1].Backlog.Lag, backlog[i].Backlog.Lag)
			}
		}
		if end := backlog[len(backlog)-1].Backlog; end != (transcribe.Backlog{}) {
			t.Errorf("backlog at the end %+v, want empty", end)
		}
	})
}

func TestSessionStopCancelledAbandonsBacklog(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rec := &transcribetest.Slow{}
		rec.Hold()
		r := newRig(t, rec, transcribe.Input{Source: transcribe.SourceYou,
			Reader: &transcribetest.Samples{Data: transcribetest.Scene(5, 10*sec,
				transcribetest.Burst{At: sec, Dur: 2 * sec},
				transcribetest.Burst{At: 5 * sec, Dur: 2 * sec})}})
		r.opts.QueueBound = sec // the second one spools
		r.start()
		synctest.Wait()
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		err := r.s.Stop(ctx)
		if !errors.Is(err, transcribe.ErrNotTranscribed) || !errors.Is(err, context.Canceled) {
			t.Errorf("Stop with a cancelled context: %v, want ErrNotTranscribed and context.Canceled", err)
		}
		if werr := r.s.Wait(); !errors.Is(werr, transcribe.ErrNotTranscribed) {
			t.Errorf("Wait: %v, want ErrNotTranscribed", werr)
		}
		if got := len(r.sink.Segments()); got != 0 {
			t.Errorf("%d segments stored by a recognizer that never answered", got)
		}
		if files, _ := os.ReadDir(r.opts.SpoolDir); len(files) != 0 {
			t.Errorf("spool dir holds %v after the session, want nothing", files)
		}
	})
}

func TestSessionPauseDiscardsAudioAndStopsTheClock(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		feed := &transcribetest.Feed{}
		recorder := &transcribetest.Recorder{}
		r := newRig(t, transcribetest.Spans{}, transcribe.Input{Source: transcribe.SourceYou, Reader: feed, Recorder: recorder})
		r.start()
		part := func(seed uint64) []float32 {
			return transcribetest.Scene(seed, 3*sec, transcribetest.Burst{At: 500 * time.Millisecond, Dur: 1500 * time.Millisecond})
		}
		feed.Send(part(6))
		feed.Sync()
		r.s.Pause()
		before := r.s.Clock().Now()
		feed.Send(part(7)) // said during the pause
		feed.Sync()
		time.Sleep(time.Minute)
		if got := r.s.Clock().Now(); got != before || got != 3*sec {
			t.Errorf("clock paused at %v reads %v after a minute and 3 s of paused audio, want 3s", before, got)
		}
		r.s.Resume()
		feed.Send(part(8))
		feed.Sync()
		if got := r.s.Clock().Now(); got != 6*sec {
			t.Errorf("clock after 3 s, a pause and 3 s reads %v, want 6s", got)
		}
		feed.Close()
		if err := r.stop(); err != nil {
			t.Fatal(err)
		}
		checkSegments(t, r.sink.Segments(), []spoken{
			{transcribe.SourceYou, 500 * time.Millisecond, 1450 * time.Millisecond},
			{transcribe.SourceYou, 3500 * time.Millisecond, 1450 * time.Millisecond},
		})
		if got := recorder.Len(); got != 6*transcribe.SampleRate {
			t.Errorf("recorded %d samples, want %d (paused audio is not recorded)", got, 6*transcribe.SampleRate)
		}
		var states []transcribe.State
		for _, e := range r.ev.of(transcribe.EventState) {
			states = append(states, e.State)
		}
		want := []transcribe.State{transcribe.StateRunning, transcribe.StatePaused, transcribe.StateRunning, transcribe.StateDraining, transcribe.StateStopped}
		if !equal(states, want) {
			t.Errorf("states %v, want %v", states, want)
		}
	})
}

func TestSessionDeviceLostAndBack(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		youAudio := transcribetest.Scene(9, 20*sec,
			transcribetest.Burst{At: 2 * sec, Dur: 1500 * time.Millisecond},
			transcribetest.Burst{At: 14 * sec, Dur: 1500 * time.Millisecond})
		themAudio := transcribetest.Scene(10, 20*sec,
			transcribetest.Burst{At: 5 * sec, Dur: 1500 * time.Millisecond},
			transcribetest.Burst{At: 11 * sec, Dur: 1500 * time.Millisecond})
		them := &transcribetest.Flaky{Data: themAudio, Chunk: 800, FailAt: 9 * transcribe.SampleRate, Failures: 2}
		themRec := &transcribetest.Recorder{}
		youRec := &transcribetest.Recorder{}
		youRec.Fail(errors.New("disk full"))
		r := newRig(t, transcribetest.Spans{},
			transcribe.Input{Source: transcribe.SourceYou, Reader: &transcribetest.Samples{Data: youAudio}, Recorder: youRec},
			transcribe.Input{Source: transcribe.SourceThem, Reader: them, Recorder: themRec})
		r.start()
		time.Sleep(time.Minute)
		synctest.Wait()
		if err := r.stop(); err != nil {
			t.Fatal(err)
		}
		// Reopen waits 0.5 s, 1 s, 2 s: the call's audio comes back 3.5 s
		// of session time later, and is placed there.
		const outage = 3500 * time.Millisecond
		// Both readers run unpaced, so which input's utterance reaches
		// the queue first is up to the scheduler: compare by start.
		checkSegments(t, byStart(r.sink.Segments()), []spoken{
			{transcribe.SourceYou, 2 * sec, 1450 * time.Millisecond},
			{transcribe.SourceThem, 5 * sec, 1450 * time.Millisecond},
			{transcribe.SourceYou, 14 * sec, 1450 * time.Millisecond},
			{transcribe.SourceThem, 11*sec + outage, 1450 * time.Millisecond},
		})
		if n := them.Attempts(); n != 3 {
			t.Errorf("%d reopen attempts, want 3", n)
		}
		lost := r.ev.of(transcribe.EventDeviceError)
		if len(lost) != 1 || lost[0].Source != transcribe.SourceThem || !errors.Is(lost[0].Err, transcribetest.ErrDeviceLost) {
			t.Errorf("device errors %+v, want one for them", lost)
		}
		if back := r.ev.of(transcribe.EventDeviceRestored); len(back) != 1 || back[0].Source != transcribe.SourceThem {
			t.Errorf("restored events %+v, want one for them", back)
		}
		if got, want := themRec.Len(), len(themAudio)+int(outage*transcribe.SampleRate/time.Second); got != want {
			t.Errorf("them's recording holds %d samples, want %d (the outage as silence)", got, want)
		}
		if re := r.ev.of(transcribe.EventRecorderError); len(re) != 1 || re[0].Source != transcribe.SourceYou {
			t.Errorf("recorder errors %+v, want one for you", re)
		}
	})
}

// readOnly hides a reader's optional methods (Reopen, Close).
type readOnly struct{ transcribe.SampleReader }

func TestSessionMicrophoneLostForGood(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		you := &transcribetest.Flaky{Data: transcribetest.Scene(11, 10*sec,
			transcribetest.Burst{At: 1 * sec, Dur: 1500 * time.Millisecond}), FailAt: 4 * transcribe.SampleRate}
		them := &transcribetest.Paced{Data: transcribetest.Scene(12, 10*sec,
			transcribetest.Burst{At: 6 * sec, Dur: 1500 * time.Millisecond})}
		r := newRig(t, transcribetest.Spans{},
			transcribe.Input{Source: transcribe.SourceYou, Reader: readOnly{you}},
			transcribe.Input{Source: transcribe.SourceThem, Reader: them})
		r.start()
		time.Sleep(5 * sec)
		// The microphone (unpaced) died at once after 4 s of audio; the
		// clock went on with (fake) time from there.
		if got := r.s.Clock().Now(); got != 9*sec {
			t.Errorf("clock 5 s after the microphone was lost at 4 s of audio reads %v, want 9s", got)
		}
		time.Sleep(10 * sec)
		synctest.Wait()
		if err := r.stop(); err != nil {
			t.Fatal(err)
		}
		checkSegments(t, r.sink.Segments(), []spoken{
			{transcribe.SourceYou, 1 * sec, 1450 * time.Millisecond},
			{transcribe.SourceThem, 6 * sec, 1450 * time.Millisecond},
		})
		ended := r.ev.of(transcribe.EventInputEnded)
		if len(ended) != 2 || ended[0].Source != transcribe.SourceYou || !errors.Is(ended[0].Err, transcribetest.ErrDeviceLost) || ended[1].Err != nil {
			t.Errorf("input ended events %+v, want you (lost) then them (end of stream)", ended)
		}
	})
}

func TestSessionKeepsFinalsTheSinkRefuses(t *testing.T) {
	for _, recovers := range []bool{true, false} {
		synctest.Test(t, func(t *testing.T) {
			r := newRig(t, transcribetest.Spans{}, transcribe.Input{Source: transcribe.SourceYou,
				Reader: &transcribetest.Samples{Data: transcribetest.Scene(13, 10*sec,
					transcribetest.Burst{At: 1 * sec, Dur: sec},
					transcribetest.Burst{At: 4 * sec, Dur: sec},
					transcribetest.Burst{At: 7 * sec, Dur: sec})}})
			boom := errors.New("database is locked")
			r.sink.Fail(boom)
			r.start()
			synctest.Wait()
			errs := r.ev.of(transcribe.EventSinkError)
			if len(errs) != 3 || len(errs[2].Segments) != 3 || !errors.Is(errs[2].Err, boom) {
				t.Fatalf("sink errors %+v, want 3, the last with all 3 segments waiting", errs)
			}
			if got := len(r.s.Unsaved()); got != 3 {
				t.Errorf("%d unsaved, want 3", got)
			}
			time.Sleep(time.Minute) // periodic retries, still refused
			if recovers {
				r.sink.Fail(nil)
			}
			err := r.stop()
			want := []spoken{
				{transcribe.SourceYou, 1 * sec, 950 * time.Millisecond},
				{transcribe.SourceYou, 4 * sec, 950 * time.Millisecond},
				{transcribe.SourceYou, 7 * sec, 950 * time.Millisecond},
			}
			if recovers {
				if err != nil {
					t.Fatal(err)
				}
				checkSegments(t, r.sink.Segments(), want)
				return
			}
			if !errors.Is(err, transcribe.ErrUnsaved) {
				t.Errorf("Stop with a sink that never took anything: %v, want ErrUnsaved", err)
			}
			checkSegments(t, r.s.Unsaved(), want)
			if r.sink.Calls() < 10 {
				t.Errorf("sink called %d times in a minute and a stop, want retries", r.sink.Calls())
			}
		})
	}
}

func TestNewSessionChecksOptions(t *testing.T) {
	_, err := transcribe.NewSession(transcribe.SessionOptions{Inputs: []transcribe.Input{{Source: transcribe.SourceYou}}})
	if err == nil {
		t.Fatal("no error for options without reader, recognizer, sink or segmenter")
	}
	for _, want := range []string{"no reader", "no recognizer", "no segment sink", "no segmenter"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}

// Outside a bubble, with real time: after Wait, the session's goroutines
// are gone (the bubble tests check this for every other test).
func TestSessionLeavesNoGoroutines(t *testing.T) {
	before := runtime.NumGoroutine()
	r := newRig(t, transcribetest.Spans{},
		transcribe.Input{Source: transcribe.SourceYou, Reader: &transcribetest.Paced{Data: transcribetest.Scene(14, 2*sec), Sleep: func(time.Duration) {}}},
		transcribe.Input{Source: transcribe.SourceThem, Reader: &transcribetest.Paced{Data: transcribetest.Scene(15, 60*sec)}})
	r.start()
	if err := r.stop(); err != nil {
		t.Fatal(err)
	}
	// A goroutine that has closed a channel may still be returning.
	for range 100 {
		if runtime.NumGoroutine() <= before {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	buf := make([]byte, 1<<16)
	t.Errorf("%d goroutines after Stop, %d before:\n%s", runtime.NumGoroutine(), before, buf[:runtime.Stack(buf, true)])
}
