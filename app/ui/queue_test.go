package ui

import (
	"errors"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/sidenote-app/sidenote/app/interview"
)

func TestQueueNextAskedSkipRateUpdateStoreAndView(t *testing.T) {
	f := newTestLive(t, emptyBundle())
	q := f.l.queue
	if q.current != 13 || q.text.Text != "How do you decide what to test?" {
		t.Fatalf("current %d %q, want the first queued question", q.current, q.text.Text)
	}

	f.clock.set(2 * time.Minute)
	f.l.keys.run(ctrlKey(fyne.KeyReturn)) // asked
	if got := f.store.Bundle().Questions[0]; got.Status != interview.QuestionAsked || got.AskedAtMs != 120000 {
		t.Errorf("after Ctrl+Enter the store has %s at %d", got.Status, got.AskedAtMs)
	}
	if q.numLabel.Text != "Question 1 of 3 · asked 02:00" {
		t.Errorf("question line says %q", q.numLabel.Text)
	}

	f.l.keys.run(altKey(fyne.Key4))
	if got := f.store.Bundle().Questions[0].Rating; got != 4 {
		t.Errorf("rating %d, want 4", got)
	}
	if q.stars[3].Importance != widgetHigh() {
		t.Error("the chosen rating is not highlighted")
	}
	test.Tap(q.stars[3]) // the same rating again clears it
	if got := f.store.Bundle().Questions[0].Rating; got != 0 {
		t.Errorf("rating %d after tapping it again, want 0", got)
	}

	f.clock.set(3 * time.Minute)
	f.l.keys.run(ctrlKey(fyne.KeyJ)) // next
	if q.current != 14 || q.numLabel.Text != "Question 2 of 3" {
		t.Errorf("after next: current %d, %q", q.current, q.numLabel.Text)
	}
	f.clock.set(3*time.Minute + 45*time.Second)
	f.l.tick()
	if q.spent.Text != "00:45 on it" {
		t.Errorf("time on the question %q", q.spent.Text)
	}

	f.l.keys.run(ctrlKey(fyne.KeyK)) // skip
	if got := f.store.Bundle().Questions[1]; got.Status != interview.QuestionSkipped {
		t.Errorf("skipped question is %s", got.Status)
	}
	if q.current != 15 {
		t.Errorf("skip moved to %d, want 15", q.current)
	}

	// A note typed now belongs to the current question.
	test.Type(f.l.notepad.entry, "about six months")
	enter(f.l.notepad.entry)
	if notes := f.store.Bundle().Notes; notes[len(notes)-1].QuestionID != 15 {
		t.Errorf("note linked to %d", notes[len(notes)-1].QuestionID)
	}
}

func widgetHigh() widget.Importance { return widget.HighImportance }

func TestQueueReorderAddAndQuestionNote(t *testing.T) {
	f := newTestLive(t, emptyBundle())
	q := f.l.queue
	q.move(15, -1)
	qs := f.store.Bundle().Questions
	if qs[1].ID != 15 || qs[2].ID != 14 || q.questions[1].ID != 15 {
		t.Errorf("after moving 15 up: store %d,%d,%d view %d", qs[0].ID, qs[1].ID, qs[2].ID, q.questions[1].ID)
	}
	q.move(13, -1) // already first: nothing
	if f.store.Bundle().Questions[0].ID != 13 {
		t.Error("moving the first question up changed the order")
	}

	test.Type(q.addEntry, "Why this team?")
	enter(q.addEntry)
	qs = f.store.Bundle().Questions
	if len(qs) != 4 || qs[3].Text != "Why this team?" || qs[3].Status != interview.QuestionQueued {
		t.Errorf("added question: %+v", qs[len(qs)-1])
	}
	if q.addEntry.Text != "" || len(q.rows.Objects) != 4 {
		t.Errorf("view after add: box %q, %d rows", q.addEntry.Text, len(q.rows.Objects))
	}

	test.Type(q.note, "Answered with an example")
	enter(q.note)
	if got := f.store.Bundle().Questions[0].Note; got != "Answered with an example" {
		t.Errorf("question note %q", got)
	}
}

func TestQueueErrorShowsBannerAndKeepsState(t *testing.T) {
	f := newTestLive(t, emptyBundle())
	f.store.fail(errors.New("disk full: free some space"))
	f.l.queue.markAsked()
	if !f.l.errBox.Visible() {
		t.Error("no banner for a failed mark-asked")
	}
	if f.l.queue.questions[0].Status != interview.QuestionQueued {
		t.Error("the view says asked although the store refused")
	}
}

func TestPauseResumeAndCloseKeepTheStateHonest(t *testing.T) {
	var paused []bool
	f := newTestLive(t, emptyBundle(), func(d *LiveDeps) { d.OnPause = func(p bool) { paused = append(paused, p) } })
	f.l.keys.run(ctrlKey(fyne.KeyP))
	if st := f.store.Bundle().Interview.State; st != interview.StatePaused {
		t.Fatalf("state %s after pause", st)
	}
	if f.l.status.Text[:6] != "Paused" {
		t.Errorf("status %q", f.l.status.Text)
	}
	test.Tap(f.l.pauseBtn)
	if st := f.store.Bundle().Interview.State; st != interview.StateLive {
		t.Errorf("state %s after resume", st)
	}
	f.l.Close()
	if st := f.store.Bundle().Interview.State; st != interview.StatePaused {
		t.Errorf("closing a live interview left it %s, want paused", st)
	}
	if len(paused) != 3 || !paused[0] || paused[1] || !paused[2] {
		t.Errorf("OnPause calls %v", paused)
	}
}

func TestEndCallsOnEnd(t *testing.T) {
	var ended interview.Interview
	f := newTestLive(t, emptyBundle(), func(d *LiveDeps) { d.OnEnd = func(iv interview.Interview) { ended = iv } })
	f.l.end()
	// With OnEnd the wiring ends it (the pipeline finishes first): the
	// screen must not have written the end itself.
	if ended.State != interview.StateEnded || f.store.Bundle().Interview.State != interview.StateLive {
		t.Errorf("ended %s, store %s; want ended handed over, store still live", ended.State, f.store.Bundle().Interview.State)
	}
	if !f.l.pauseBtn.Disabled() {
		t.Error("pause still offered after the end")
	}
}
