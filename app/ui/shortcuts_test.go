package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/sidenote-app/sidenote/app/interview"
)

// TestShortcutsReachTheScreenWithOrWithoutFocus: with nothing focused the
// canvas hands them to the table (the test canvas offers no way to type a
// shortcut, so the table is called as the canvas would), and the note box
// passes them on instead of swallowing them, which a plain Entry would.
func TestShortcutsReachTheScreenWithOrWithoutFocus(t *testing.T) {
	f := newTestLive(t, emptyBundle())
	q := f.l.queue
	f.w.Canvas().Unfocus()
	f.l.keys.run(ctrlKey(fyne.KeyJ))
	if q.current != 14 {
		t.Fatalf("Ctrl+J on the canvas: current %d, want 14", q.current)
	}
	f.l.FocusNotepad()
	test.Type(f.l.notepad.entry, "typing")
	f.l.notepad.entry.TypedShortcut(ctrlKey(fyne.KeyJ))
	if q.current != 15 {
		t.Errorf("Ctrl+J in the note box: current %d, want 15", q.current)
	}
	if f.l.notepad.entry.Text != "typing" {
		t.Errorf("the shortcut changed the note box: %q", f.l.notepad.entry.Text)
	}
	// The entry's own shortcuts still work.
	f.l.notepad.entry.TypedShortcut(&fyne.ShortcutSelectAll{})
	if f.l.notepad.entry.SelectedText() != "typing" {
		t.Error("Ctrl+A no longer selects in the note box")
	}
}

func TestShortcutsSheetListsEveryShortcut(t *testing.T) {
	f := newTestLive(t, emptyBundle())
	f.l.keys.run(ctrlKey(fyne.KeySlash))
	top := f.w.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no shortcuts sheet")
	}
	var texts []string
	for _, o := range test.LaidOutObjects(top) {
		if l, ok := o.(*widget.Label); ok {
			texts = append(texts, l.Text)
		}
	}
	all := strings.Join(texts, "\n")
	for _, want := range []string{"Ctrl+J", "Next question", "Ctrl+Enter", "Alt+3", "Ctrl+1", "Tag the note: Strength", "Ctrl+E", "Ctrl+P", "Ctrl+N"} {
		if !strings.Contains(all, want) {
			t.Errorf("sheet lacks %q", want)
		}
	}
}

func TestButtonsHintTheirShortcut(t *testing.T) {
	f := newTestLive(t, DemoBundle(interview.ModeInterviewer))
	for _, c := range []struct {
		b    *hintButton
		want string
	}{
		{f.l.queue.nextBtn, "Next question (Ctrl+J)"},
		{f.l.queue.asked, "(Ctrl+Enter)"},
		{f.l.notepad.tagBtns[1], "(Ctrl+2)"},
		{f.l.pauseBtn, "(Ctrl+P)"},
	} {
		if !strings.Contains(c.b.hint, c.want) {
			t.Errorf("hint %q lacks %q", c.b.hint, c.want)
		}
	}
	f.l.hints.show(f.l.queue.nextBtn.hint, f.l.queue.nextBtn)
	if !f.l.hints.box.Visible() || f.l.hints.text.Text != "Next question (Ctrl+J)" {
		t.Error("hint not shown")
	}
	if p := f.l.hints.box.Position(); p.X+f.l.hints.box.Size().Width > 400 {
		t.Errorf("hint at %v runs off the window", p)
	}
}
