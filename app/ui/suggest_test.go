package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/sidenote-app/sidenote/app/interview"
)

// say posts a finished utterance at the clock's time and lets it arrive.
func (f *liveFixture) say(src interview.Source, text string) {
	at := f.clock.Elapsed().Milliseconds()
	f.l.Post(FinalSegment{Segment: interview.Segment{InterviewID: 1, Source: src, StartMs: at - 3000, EndMs: at, Text: text}})
	drain(2 * flushEvery)
}

func (f *liveFixture) suggesting() string {
	if !f.l.suggest.content.Visible() {
		return ""
	}
	return f.l.suggest.text.Text
}

// The demo's question 14 (fourth in the queue), reworded as an
// interviewer would ask it.
const askDisagreement = "Can you describe a disagreement you had with a colleague, and how did it end?"

func TestSuggestQuestionNeedsTheClick(t *testing.T) {
	f := newTestLive(t, DemoBundle(interview.ModeInterviewer))
	f.clock.set(15 * time.Minute)
	f.say(interview.SourceYou, askDisagreement)
	if got, want := f.suggesting(), "Sounds like Q4 — mark asked?"; got != want {
		t.Fatalf("bar: got %q, want %q", got, want)
	}
	if got := f.store.Bundle().Questions[3].Status; got != interview.QuestionQueued {
		t.Fatalf("question 14 is %s before the click, want queued", got)
	}

	f.clock.set(15*time.Minute + 4*time.Second)
	test.Tap(f.l.suggest.act)
	q := f.store.Bundle().Questions[3]
	if q.Status != interview.QuestionAsked || q.AskedAtMs != (15*60+4)*1000 {
		t.Errorf("after the click: %s at %d ms, want asked at %d", q.Status, q.AskedAtMs, (15*60+4)*1000)
	}
	if f.l.queue.current != 14 {
		t.Errorf("current question: got %d, want 14", f.l.queue.current)
	}
	if f.suggesting() != "" {
		t.Error("bar still up after the click")
	}
	// Asked now, so not offered again.
	f.say(interview.SourceYou, askDisagreement)
	if got := f.suggesting(); got != "" {
		t.Errorf("an asked question was offered again: %q", got)
	}
}

func TestSuggestListensToYouOnly(t *testing.T) {
	for _, mode := range interview.Modes() {
		t.Run(string(mode), func(t *testing.T) {
			f := newTestLive(t, DemoBundle(mode))
			f.say(interview.SourceThem, askDisagreement)
			f.say(interview.SourceThem, "I mentored two juniors through their first on-call rotation")
			if got := f.suggesting(); got != "" {
				t.Errorf("Them suggested %q", got)
			}
		})
	}
}

func TestSuggestByMode(t *testing.T) {
	for _, c := range []struct {
		mode       interview.Mode
		said, want string
	}{
		{interview.ModeInterviewer, "thanks for joining, can you hear me", ""},
		{interview.ModeInterviewer, "I mentored two juniors through their first on-call", ""},
		{interview.ModeCandidate, askDisagreement, ""},
		{interview.ModeCandidate, "I mentored two juniors through their first on-call", "Sounds like: Mentored two juniors through… — tick it?"},
		{interview.ModeCandidate, "How is on-call shared across your team?", "Sounds like: How is on-call shared across… — tick it?"},
		{interview.ModePractice, "How is on-call shared across your team?", ""},
		{interview.ModePractice, "I mentored two juniors through their first on-call", "Sounds like: Mentored two juniors through… — tick it?"},
	} {
		f := newTestLive(t, DemoBundle(c.mode))
		f.say(interview.SourceYou, c.said)
		if got := f.suggesting(); got != c.want {
			t.Errorf("%s, You say %q: got %q, want %q", c.mode, c.said, got, c.want)
		}
	}
}

func TestSuggestTicksAPoint(t *testing.T) {
	f := newTestLive(t, DemoBundle(interview.ModeCandidate))
	f.say(interview.SourceYou, "Mentoring two juniors through their first on-call was the best part")
	if f.suggesting() == "" {
		t.Fatal("no suggestion for point 32")
	}
	if f.store.Bundle().Points[1].Checked {
		t.Fatal("point ticked before the click")
	}
	if got := f.l.suggest.act.Text; got != "Tick" {
		t.Errorf("button: got %q, want Tick", got)
	}
	test.Tap(f.l.suggest.act)
	if !f.store.Bundle().Points[1].Checked || !f.l.points.points[1].Checked {
		t.Error("the click did not tick point 32 in the store and the view")
	}
}

func TestSuggestNewestWins(t *testing.T) {
	f := newTestLive(t, DemoBundle(interview.ModeInterviewer))
	f.say(interview.SourceYou, askDisagreement)
	f.say(interview.SourceYou, "What would you want to learn in your first six months here?")
	if got, want := f.suggesting(), "Sounds like Q5 — mark asked?"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestSuggestExpiresOnInterviewTime(t *testing.T) {
	f := newTestLive(t, DemoBundle(interview.ModeInterviewer))
	f.clock.set(15 * time.Minute)
	f.say(interview.SourceYou, askDisagreement)
	f.clock.set(15*time.Minute + 19*time.Second)
	f.l.tick()
	if f.suggesting() == "" {
		t.Fatal("gone before 20 s")
	}
	f.clock.set(15*time.Minute + 20*time.Second)
	f.l.tick()
	if got := f.suggesting(); got != "" {
		t.Errorf("still up after 20 s: %q", got)
	}
	if got := f.store.Bundle().Questions[3].Status; got != interview.QuestionQueued {
		t.Errorf("expiry changed the question to %s", got)
	}
}

func TestSuggestGoesWhenDoneByHand(t *testing.T) {
	f := newTestLive(t, DemoBundle(interview.ModeInterviewer))
	f.say(interview.SourceYou, askDisagreement)
	f.l.queue.setCurrent(14)
	f.l.queue.markAsked()
	f.l.tick()
	if got := f.suggesting(); got != "" {
		t.Errorf("still offered after Asked was pressed: %q", got)
	}
}

func TestSuggestDismissalSuppresses(t *testing.T) {
	f := newTestLive(t, DemoBundle(interview.ModeInterviewer))
	f.clock.set(15 * time.Minute)
	f.say(interview.SourceYou, askDisagreement)
	f.l.suggest.dismiss()
	if f.suggesting() != "" {
		t.Fatal("still up after ×")
	}
	f.clock.set(16*time.Minute + 59*time.Second)
	f.say(interview.SourceYou, askDisagreement)
	if got := f.suggesting(); got != "" {
		t.Errorf("offered again within 2 minutes of ×: %q", got)
	}
	// Other items are still offered meanwhile.
	f.say(interview.SourceYou, "What would you want to learn in your first six months here?")
	if f.suggesting() == "" {
		t.Error("dismissing one question silenced another")
	}
	f.l.suggest.hide()
	f.clock.set(17 * time.Minute)
	f.say(interview.SourceYou, askDisagreement)
	if f.suggesting() == "" {
		t.Error("not offered again 2 minutes after ×")
	}
	if got := f.store.Bundle().Questions[3].Status; got != interview.QuestionQueued {
		t.Errorf("the question is %s; nothing was clicked", got)
	}
}

func TestSuggestSwedish(t *testing.T) {
	f := newTestLiveIn(t, "sv", DemoBundle(interview.ModeInterviewer))
	f.say(interview.SourceYou, askDisagreement)
	if got, want := f.suggesting(), "Låter som F4 — markera som ställd?"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestSuggestMarkup pins the bar's place and shape at 400 × 720: under
// the top bar, the text wrapping beside its two buttons. On a change that
// is meant, copy testdata/failed/<name> over testdata/<name>.
func TestSuggestMarkup(t *testing.T) {
	f := newTestLive(t, DemoBundle(interview.ModeCandidate), func(d *LiveDeps) {
		d.Recording, d.Status = true, TranscriptionRunning
	})
	f.clock.set(14*time.Minute + 32*time.Second)
	f.say(interview.SourceYou, "I mentored two juniors through their first on-call")
	f.l.tick()
	test.AssertRendersToMarkup(t, "live_suggest_400x720.xml", f.w.Canvas())
}
