package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/sidenote-app/sidenote/app/interview"
)

func TestPointsComeFirstForCandidatesAndTicksAreStored(t *testing.T) {
	f := newTestLive(t, DemoBundle(interview.ModeCandidate))
	if f.l.tabs.Items[0].Content != f.l.points.content {
		t.Error("a candidate's first tab is not the talking points")
	}
	// Rows: title, three points, title, two questions to ask.
	objs := f.l.points.box.Objects
	if len(objs) != 7 || objs[4].(*widget.Label).Text != "Questions to ask them" {
		t.Fatalf("%d rows; want two groups", len(objs))
	}
	check := objs[2].(*fyne.Container).Objects[1].(*widget.Check)
	check.SetChecked(true)
	if !f.store.Bundle().Points[1].Checked {
		t.Error("tick not stored")
	}

	g := newTestLive(t, DemoBundle(interview.ModeInterviewer))
	if g.l.tabs.Items[0].Content != g.l.queue.content {
		t.Error("an interviewer's first tab is not the question queue")
	}
}
