package ui

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"github.com/sidenote-app/sidenote/app/interview"
)

func ctrlKey(k fyne.KeyName) fyne.Shortcut {
	return &desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierShortcutDefault}
}

func altKey(k fyne.KeyName) fyne.Shortcut {
	return &desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierAlt}
}

func enter(e fyne.Focusable) { e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) }

// emptyBundle is an interview with a plan of three questions and nothing
// written yet.
func emptyBundle() interview.Bundle {
	b := DemoBundle(interview.ModeInterviewer)
	b.Notes, b.Segments = nil, nil
	b.Questions = b.Questions[2:]
	for i := range b.Questions {
		b.Questions[i].Position = i + 1
	}
	return b
}

func TestNoteEnterStoresItStampedLinkedAndTagged(t *testing.T) {
	f := newTestLive(t, emptyBundle())
	n := f.l.notepad
	f.clock.set(5*time.Minute + 7*time.Second)
	test.Type(n.entry, "Good tests on the parser #testing")
	f.clock.set(5*time.Minute + 30*time.Second) // typing took a while
	n.entry.TypedShortcut(ctrlKey(fyne.Key1))   // one-key tag while typing: strength
	enter(n.entry)

	// No draining: the note must be stored when Enter returns.
	notes := f.store.Bundle().Notes
	if len(notes) != 1 {
		t.Fatalf("stored %d notes, want 1", len(notes))
	}
	got := notes[0]
	if got.AtMs != 307000 {
		t.Errorf("note stamped %s, want 05:07 (when typing began)", interview.Stamp(got.AtMs))
	}
	if got.QuestionID != 13 {
		t.Errorf("note linked to question %d, want the current one, 13", got.QuestionID)
	}
	if want := []string{"testing", "strength"}; !slices.Equal(got.Tags, want) {
		t.Errorf("tags %v, want %v", got.Tags, want)
	}
	if got.InterviewID != 1 || got.Text != "Good tests on the parser #testing" {
		t.Errorf("stored %+v", got)
	}
	if n.entry.Text != "" || len(n.pending) != 0 {
		t.Errorf("after saving, the box holds %q and tags %v", n.entry.Text, n.pending)
	}
	if n.list.Length() != 1 || n.empty.Visible() {
		t.Error("the note is not listed")
	}

	// The next note starts its own stamp.
	f.clock.set(6 * time.Minute)
	test.Type(n.entry, "second")
	enter(n.entry)
	if notes := f.store.Bundle().Notes; len(notes) != 2 || notes[1].AtMs != 360000 {
		t.Errorf("second note: %+v", notes)
	}
}

func TestNoteStoreErrorKeepsTheTextAndSaysWhatToDo(t *testing.T) {
	f := newTestLive(t, emptyBundle())
	n := f.l.notepad
	f.store.fail(errors.New("database is read-only: make it writable, or choose another --data-dir"))
	test.Type(n.entry, "Do not lose me")
	enter(n.entry)
	if n.entry.Text != "Do not lose me" {
		t.Errorf("the box holds %q after a failed save", n.entry.Text)
	}
	if !f.l.errBox.Visible() || !strings.Contains(f.l.errText.Text, "make it writable") || !strings.Contains(f.l.errText.Text, "press Enter to try again") {
		t.Errorf("banner visible=%v text %q", f.l.errBox.Visible(), f.l.errText.Text)
	}
	if len(f.store.Bundle().Notes) != 0 {
		t.Error("a failed note was listed as stored")
	}

	f.store.fail(nil)
	enter(n.entry)
	if notes := f.store.Bundle().Notes; len(notes) != 1 || notes[0].Text != "Do not lose me" {
		t.Errorf("retry stored %+v", notes)
	}
	if f.l.errBox.Visible() {
		t.Error("the banner stays after the retry worked")
	}
}

func TestOneKeyTagMarksTheLastNoteWhenTheBoxIsEmpty(t *testing.T) {
	f := newTestLive(t, DemoBundle(interview.ModeInterviewer))
	last := len(f.store.Bundle().Notes) - 1
	f.l.keys.run(ctrlKey(fyne.Key2)) // concern
	if tags := f.store.Bundle().Notes[last].Tags; !slices.Contains(tags, interview.TagConcern) {
		t.Errorf("last note's tags %v lack concern", tags)
	}
	f.l.keys.run(ctrlKey(fyne.Key2)) // again: off
	if tags := f.store.Bundle().Notes[last].Tags; slices.Contains(tags, interview.TagConcern) {
		t.Errorf("pressing again did not remove concern: %v", tags)
	}
}

func TestTagButtonsLightForTheNoteBeingTyped(t *testing.T) {
	f := newTestLive(t, emptyBundle())
	n := f.l.notepad
	test.Type(n.entry, "x")
	test.Tap(n.tagBtns[2]) // follow-up
	if !slices.Equal(n.pending, []string{interview.TagFollowUp}) {
		t.Errorf("pending %v", n.pending)
	}
	if n.tagBtns[2].Importance == n.tagBtns[0].Importance {
		t.Error("the pressed tag does not stand out")
	}
}

func TestEditNoteInPlaceSavesOnEnterAndOnFocusLoss(t *testing.T) {
	f := newTestLive(t, DemoBundle(interview.ModeInterviewer))
	n := f.l.notepad
	n.list.Select(0)
	if n.editing != 0 || n.editEntry == nil || !n.editEntry.Visible() {
		t.Fatalf("tapping a note does not open it for editing (editing %d)", n.editing)
	}
	n.editEntry.SetText("Clear diagram of the queue #design")
	enter(n.editEntry)
	got := f.store.Bundle().Notes[0]
	if got.Text != "Clear diagram of the queue #design" || !slices.Contains(got.Tags, "design") || !slices.Contains(got.Tags, interview.TagStrength) {
		t.Errorf("edited note %+v: want the new text, its #design and the one-key strength kept", got)
	}
	if n.editing != -1 {
		t.Error("still editing after Enter")
	}

	n.list.Select(1)
	n.editEntry.SetText("Changed, then clicked away")
	f.w.Canvas().Focus(n.entry) // focus moves on: the edit is saved
	if got := f.store.Bundle().Notes[1].Text; got != "Changed, then clicked away" {
		t.Errorf("focus loss saved %q", got)
	}
}
