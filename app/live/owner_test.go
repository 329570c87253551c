package live

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/sidenote-app/sidenote/app/interview"
	"github.com/sidenote-app/sidenote/app/store"
	"github.com/sidenote-app/sidenote/transcribe"
	"github.com/sidenote-app/sidenote/transcribe/transcribetest"
)

// startAt starts a run of interview id whose one input hands out d of
// silence at once and then waits, as a quiet microphone does: the clock
// then stands at exactly d.
func startAt(t *testing.T, st *store.Store, id int64, d time.Duration, o Options) (*Run, *blockAfter) {
	t.Helper()
	src := &transcribetest.Samples{Data: make([]float32, int(d.Seconds()*transcribe.SampleRate))}
	block := &blockAfter{r: src, closed: make(chan struct{})}
	o.Store, o.InterviewID = st, id
	o.Inputs = []Input{{Source: transcribe.SourceYou, Reader: block}}
	run, err := Start(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for run.Elapsed() < run.base+d && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	return run, block
}

// noLeaks fails the test if it leaves a goroutine running once everything
// it opened (the store too) is closed: call it first.
func noLeaks(t *testing.T) {
	opt := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, opt) })
}

func newInterview(t *testing.T, st *store.Store) interview.Interview {
	t.Helper()
	iv := interview.Interview{Title: "Owner", Mode: interview.ModeInterviewer}
	if err := st.CreateInterview(context.Background(), &iv); err != nil {
		t.Fatal(err)
	}
	return iv
}

func addNote(t *testing.T, run *Run, text string) interview.Note {
	t.Helper()
	n := interview.NewNote(0, time.Time{}, text)
	if err := run.AddNote(context.Background(), &n); err != nil {
		t.Fatal(err)
	}
	return n
}

// A resume continues the interview's clock: stamps after it come after
// every stamp before it, however many times it is resumed.
func TestResumeContinuesTheClock(t *testing.T) {
	noLeaks(t)
	st := openStore(t)
	ctx := context.Background()
	iv := newInterview(t, st)

	var last int64
	for part, d := range []time.Duration{3 * time.Second, 2 * time.Second, 4 * time.Second} {
		run, _ := startAt(t, st, iv.ID, d, Options{})
		n := addNote(t, run, "a note")
		if n.AtMs <= last {
			t.Errorf("part %d: note stamped %d ms, not after %d ms", part+1, n.AtMs, last)
		}
		last = n.AtMs
		got, err := run.Interrupt(ctx, "test")
		if err != nil {
			t.Fatal(err)
		}
		if got.State != interview.StateInterrupted || got.StateReason != "test" {
			t.Errorf("part %d: state %s (%q), want interrupted (test)", part+1, got.State, got.StateReason)
		}
	}
	if last != 9000 {
		t.Errorf("last note at %d ms, want 9000 (3 s + 2 s + 4 s)", last)
	}
	got, err := st.Interview(ctx, iv.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Ran != 9*time.Second {
		t.Errorf("ran %v, want 9s", got.Ran)
	}
}

// Each resumed part of a recording is stored with the time it starts at.
func TestResumedRecordingsCarryTheirOffset(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	iv := interview.Interview{Title: "Recorded", Mode: interview.ModePractice, RecordingConsent: true}
	if err := st.CreateInterview(ctx, &iv); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, d := range []time.Duration{2 * time.Second, time.Second} {
		run, _ := startAt(t, st, iv.ID, d, Options{RecordingsDir: dir})
		if _, err := run.Interrupt(ctx, "test"); err != nil {
			t.Fatal(err)
		}
	}
	recs, err := st.Recordings(ctx, iv.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 {
		t.Fatalf("%d recordings, want 2", len(recs))
	}
	if recs[0].Offset != 0 || recs[0].Duration != 2*time.Second {
		t.Errorf("first part at %v for %v, want 0 for 2s", recs[0].Offset, recs[0].Duration)
	}
	if recs[1].Offset != 2*time.Second || recs[1].Duration != time.Second {
		t.Errorf("second part at %v for %v, want 2s for 1s", recs[1].Offset, recs[1].Duration)
	}
}

// A second owner of the same interview is refused with who holds it, and
// recovery leaves an interview alone while its owner is alive.
func TestOneOwnerPerInterview(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	iv := newInterview(t, st)
	locks := t.TempDir()
	run, _ := startAt(t, st, iv.ID, time.Second, Options{LockDir: locks})

	_, err := Start(ctx, Options{Store: st, InterviewID: iv.ID, LockDir: locks,
		Inputs: []Input{{Source: transcribe.SourceYou, Reader: &transcribetest.Samples{}}}})
	var e *ElsewhereError
	if !errors.As(err, &e) || !errors.Is(err, ErrLiveElsewhere) || e.PID != os.Getpid() {
		t.Fatalf("second start: %v, want ErrLiveElsewhere naming pid %d", err, os.Getpid())
	}
	if pid, held := HeldElsewhere(locks, iv.ID); !held || pid != os.Getpid() {
		t.Errorf("HeldElsewhere = %d, %v; want %d, true", pid, held, os.Getpid())
	}
	if ids, err := Recover(ctx, st, locks); err != nil || len(ids) != 0 {
		t.Errorf("recover while live here: %v, %v; want nothing", ids, err)
	}
	if _, err := EndInterrupted(ctx, st, locks, iv.ID); !errors.Is(err, ErrLiveElsewhere) {
		t.Errorf("ending it from elsewhere: %v, want ErrLiveElsewhere", err)
	}
	if got, _ := st.Interview(ctx, iv.ID); got.State != interview.StateLive {
		t.Errorf("state %s, want still live", got.State)
	}

	if _, err := run.End(ctx); err != nil {
		t.Fatal(err)
	}
	if _, held := HeldElsewhere(locks, iv.ID); held {
		t.Error("the lock outlived the run")
	}
}

// Ending an interrupted interview sets its length to the last thing it
// stored, not to the moment of the click.
func TestEndInterruptedTakesTheLastStoredMoment(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	iv := newInterview(t, st)
	if _, err := st.SetState(ctx, iv.ID, interview.StateLive); err != nil {
		t.Fatal(err)
	}
	n := interview.NewNote(42_000, time.Now(), "late note")
	n.InterviewID = iv.ID
	if err := st.AddNote(ctx, &n); err != nil {
		t.Fatal(err)
	}
	if err := st.AppendSegments(ctx, []interview.Segment{{InterviewID: iv.ID, Source: interview.SourceThem,
		StartMs: 40_000, EndMs: 47_500, Text: "the last words"}}); err != nil {
		t.Fatal(err)
	}
	locks := t.TempDir()
	// A crash left it live; nobody holds it.
	got, err := EndInterrupted(ctx, st, locks, iv.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.State != interview.StateEnded || got.Ran != 47500*time.Millisecond {
		t.Errorf("got %s after %v, want ended after 47.5s", got.State, got.Ran)
	}
	if _, err := EndInterrupted(ctx, st, locks, iv.ID); err == nil {
		t.Error("ending an ended interview again: no error")
	}
}

// A start that fails half-way closes what it opened: the inputs, the lock,
// and leaves the interview as it was.
func TestFailedStartClosesWhatItOpened(t *testing.T) {
	noLeaks(t)
	st := openStore(t)
	ctx := context.Background()
	iv := newInterview(t, st)
	if _, err := st.SetState(ctx, iv.ID, interview.StateEnded); err != nil {
		t.Fatal(err)
	}
	locks := t.TempDir()
	block := &blockAfter{r: &transcribetest.Samples{}, closed: make(chan struct{})}
	_, err := Start(ctx, Options{Store: st, InterviewID: iv.ID, LockDir: locks,
		Inputs: []Input{{Source: transcribe.SourceYou, Reader: block}}})
	if err == nil {
		t.Fatal("an ended interview went live")
	}
	select {
	case <-block.closed:
	default:
		t.Error("the input was left open")
	}
	if _, held := HeldElsewhere(locks, iv.ID); held {
		t.Error("the lock was left taken")
	}
	if _, err := os.Stat(filepath.Join(locks, "interview-1.lock")); err != nil && !os.IsNotExist(err) {
		t.Error(err)
	}
}

// End returns only after the last final is stored, every goroutine of the
// run has stopped, and changes after it are refused.
func TestEndWaitsForEverything(t *testing.T) {
	noLeaks(t)
	st := openStore(t)
	ctx := context.Background()
	iv := newInterview(t, st)
	run, _ := startAt(t, st, iv.ID, 2*time.Second, Options{})
	got, err := run.End(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got.State != interview.StateEnded || got.Ran != 2*time.Second {
		t.Errorf("got %s after %v, want ended after 2s", got.State, got.Ran)
	}
	again, err := run.End(ctx)
	if err != nil || again.State != interview.StateEnded {
		t.Errorf("second End: %s, %v", again.State, err)
	}
	n := interview.NewNote(0, time.Time{}, "too late")
	if err := run.AddNote(ctx, &n); !errors.Is(err, errNotLive) {
		t.Errorf("a note after the end: %v, want errNotLive", err)
	}
}

// Interrupt during an End cuts the End short: the interview is left
// interrupted, with the reason, and End's caller learns it.
func TestInterruptCutsAnEndShort(t *testing.T) {
	noLeaks(t)
	st := openStore(t)
	ctx := context.Background()
	iv := newInterview(t, st)
	slow := &transcribetest.Slow{}
	slow.Hold()
	speech := transcribetest.Scene(1, 4*time.Second, transcribetest.Burst{At: 500 * time.Millisecond, Dur: 2 * time.Second})
	run, err := Start(ctx, Options{Store: st, InterviewID: iv.ID, Recognizer: slow, FinishWithin: time.Minute,
		Inputs: []Input{{Source: transcribe.SourceYou, Reader: &blockAfter{r: &transcribetest.Samples{Data: speech}, closed: make(chan struct{})}}}})
	if err != nil {
		t.Fatal(err)
	}
	ended := make(chan interview.Interview)
	go func() {
		got, _ := run.End(ctx)
		ended <- got
	}()
	time.Sleep(100 * time.Millisecond) // let End begin; Interrupt first works too
	got, err := run.Interrupt(ctx, "second Ctrl+C")
	if err != nil {
		t.Fatal(err)
	}
	if endGot := <-ended; endGot.State != interview.StateInterrupted || got.State != interview.StateInterrupted || got.StateReason != "second Ctrl+C" {
		t.Errorf("End saw %s, Interrupt %s (%q); want interrupted (second Ctrl+C)", endGot.State, got.State, got.StateReason)
	}
	slow.Release()
}
