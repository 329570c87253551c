package ui

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sidenote-app/sidenote/app/interview"
)

// notepad is the note box and the notes written so far, newest at the
// bottom. A note is stored the moment Enter is pressed, stamped with the
// interview time its first character was typed and linked to the current
// question; if storing fails the text stays in the box.
type notepad struct {
	l       *Live
	notes   []interview.Note
	list    *wrapList
	entry   *liveEntry
	empty   *widget.Label
	tagBtns []*hintButton
	content fyne.CanvasObject

	pending   []string // one-key tags pressed for the note being typed
	startedMs int64    // interview time the note being typed was begun; -1 when the box is empty

	editing   int    // index of the note being edited in place; -1 for none
	editText  string // its text as typed so far
	editEntry *liveEntry
}

func newNotepad(l *Live, notes []interview.Note) *notepad {
	n := &notepad{l: l, notes: notes, startedMs: -1, editing: -1}
	n.entry = newLiveEntry(l.keys)
	n.entry.SetPlaceHolder(lang.X("notes.placeholder", "Type a note, Enter saves · #tags"))
	n.entry.OnChanged = func(s string) {
		switch {
		case s == "":
			n.startedMs = -1
		case n.startedMs < 0:
			n.startedMs = l.now()
		}
	}
	n.entry.OnSubmitted = func(string) { n.add() }
	// Escape does not clear the box: pressed by habit to dismiss
	// something else, it would throw away a note mid-sentence.

	n.list = newWrapList(func() int { return len(n.notes) }, n.newRow, n.fillRow)
	n.list.HideSeparators = true
	n.list.keepEnd = true
	n.list.OnSelected = func(id widget.ListItemID) {
		n.list.Unselect(id)
		n.startEdit(id)
	}
	n.empty = widget.NewLabel(lang.X("notes.empty", "Notes are stamped with the interview time and linked to the current question. Tap a note to edit it."))
	n.empty.Wrapping = fyne.TextWrapWord
	n.empty.Importance = widget.LowImportance
	n.empty.Hidden = len(notes) > 0

	tagNames := []string{
		lang.X("tag.strength", "Strength"), lang.X("tag.concern", "Concern"),
		lang.X("tag.follow-up", "Follow-up"), lang.X("tag.highlight", "Highlight"),
	}
	tags := container.NewGridWithColumns(len(tagNames))
	for i, tag := range interview.OneKeyTags() {
		b := newHintButton(l.hints, tagNames[i], nil, func() {
			n.toggleTag(tag)
			l.win.Canvas().Focus(n.entry)
		})
		b.hint = l.keys.hintFor("tag:"+tag, lang.X("notes.tag.hint", "Tag the note being typed, or the last note"))
		n.tagBtns = append(n.tagBtns, b)
		tags.Add(b)
	}
	add := newHintButton(l.hints, "", theme.ContentAddIcon(), n.add)
	add.hint = lang.X("notes.add.hint", "Save the note (Enter)")
	title := widget.NewLabelWithStyle(lang.X("notes.title", "Notes"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	hint := widget.NewLabel(l.keys.keys("notepad"))
	hint.Importance = widget.LowImportance
	hint.SizeName = theme.SizeNameCaptionText
	head := container.NewBorder(nil, nil, title, hint)
	bottom := container.NewVBox(container.NewBorder(nil, nil, nil, add, n.entry), tags)
	n.content = container.NewBorder(head, bottom, nil, nil, container.NewStack(n.list, container.NewVBox(n.empty)))
	return n
}

// newRow makes a row of the notes list: the note, or, while it is being
// edited, an entry in its place.
func (n *notepad) newRow() fyne.CanvasObject {
	text, edit := widget.NewRichText(), newLiveEntry(n.l.keys)
	text.Wrapping = fyne.TextWrapWord
	edit.OnChanged = func(s string) {
		if n.editing >= 0 && n.editEntry == edit {
			n.editText = s
		}
	}
	edit.OnSubmitted = func(string) { n.saveEdit(true) }
	edit.onFocusLost = func() {
		if n.editEntry == edit {
			n.saveEdit(false)
		}
	}
	edit.onEscape = n.cancelEdit
	edit.Hide()
	return container.NewStack(text, edit)
}

func (n *notepad) fillRow(id int, o fyne.CanvasObject) {
	c := o.(*fyne.Container)
	r := struct {
		text *widget.RichText
		edit *liveEntry
	}{c.Objects[0].(*widget.RichText), c.Objects[1].(*liveEntry)}
	if id >= len(n.notes) {
		return
	}
	if id == n.editing {
		if o != n.list.probe {
			n.editEntry = r.edit
		}
		if r.edit.Text != n.editText {
			r.edit.SetText(n.editText)
		}
		r.text.Hide()
		r.edit.Show()
		return
	}
	if n.editEntry == r.edit {
		n.editEntry = nil
	}
	r.edit.Hide()
	r.text.Show()
	r.text.Segments = noteSegments(&n.notes[id], n.l.queue.number(n.notes[id].QuestionID))
	r.text.Refresh()
}

// noteSegments shows a note as "12:04 Q3 text #tag": the stamp and the
// question quiet, the one-key tags (those not already in the text) in the
// primary colour so they stand out when scanning back.
func noteSegments(note *interview.Note, question int) []widget.RichTextSegment {
	quiet := widget.RichTextStyle{Inline: true, ColorName: theme.ColorNamePlaceHolder, TextStyle: fyne.TextStyle{Monospace: true}}
	segs := []widget.RichTextSegment{&widget.TextSegment{Style: quiet, Text: interview.Stamp(note.AtMs) + " "}}
	if question > 0 {
		segs = append(segs, &widget.TextSegment{Style: quiet, Text: "Q" + strconv.Itoa(question) + " "})
	}
	segs = append(segs, &widget.TextSegment{Style: widget.RichTextStyleInline, Text: note.Text})
	inText := interview.HashTags(note.Text)
	for _, t := range note.Tags {
		if !slices.Contains(inText, t) {
			segs = append(segs, &widget.TextSegment{
				Style: widget.RichTextStyle{Inline: true, ColorName: theme.ColorNamePrimary, TextStyle: fyne.TextStyle{Bold: true}},
				Text:  " #" + t,
			})
		}
	}
	return segs
}

// add stores the typed note. It runs on Enter and is synchronous: when it
// returns the note is on disk, or the text is still in the box and the
// banner says why.
func (n *notepad) add() {
	text := strings.TrimSpace(n.entry.Text)
	if text == "" && len(n.pending) == 0 {
		return
	}
	at := n.startedMs
	if at < 0 {
		at = n.l.now()
	}
	note := interview.NewNote(at, time.Time{}, text, n.pending...)
	note.InterviewID = n.l.iv.ID
	note.QuestionID = n.l.queue.currentID()
	ctx, cancel := storeCtx()
	err := n.l.deps.Store.AddNote(ctx, &note)
	cancel()
	if err != nil {
		n.l.showError(noteNotSaved(), err)
		return
	}
	if n.l.errText.Text != "" && strings.HasPrefix(n.l.errText.Text, noteNotSaved()) {
		n.l.hideError()
	}
	n.notes = append(n.notes, note)
	n.pending = nil
	n.entry.SetText("")
	n.refreshTags()
	n.empty.Hide()
	n.list.measureFrom(len(n.notes) - 1)
	n.list.Refresh()
	n.list.ScrollToBottom()
}

func noteNotSaved() string {
	return lang.X("notes.error.add", "Your note was not saved; it is still in the box — press Enter to try again.")
}

// toggleTag is a one-key tag: it marks the note being edited, else the
// note being typed, else the last note written.
func (n *notepad) toggleTag(tag string) {
	switch {
	case n.editing >= 0:
		n.toggleStoredTag(n.editing, tag)
	case strings.TrimSpace(n.entry.Text) != "" || len(n.notes) == 0:
		if i := slices.Index(n.pending, tag); i >= 0 {
			n.pending = slices.Delete(n.pending, i, i+1)
		} else {
			n.pending = append(n.pending, tag)
		}
		n.refreshTags()
	default:
		n.toggleStoredTag(len(n.notes)-1, tag)
	}
}

func (n *notepad) toggleStoredTag(id int, tag string) {
	note := n.notes[id]
	note.Tags = slices.Clone(note.Tags)
	if i := slices.Index(note.Tags, tag); i >= 0 {
		if slices.Contains(interview.HashTags(note.Text), tag) {
			return // the text holds it; edit the text to remove it
		}
		note.Tags = slices.Delete(note.Tags, i, i+1)
	} else {
		note.Tags = append(note.Tags, tag)
	}
	ctx, cancel := storeCtx()
	err := n.l.deps.Store.UpdateNote(ctx, &note)
	cancel()
	if err != nil {
		n.l.showError(lang.X("notes.error.tag", "The tag was not saved."), err)
		return
	}
	n.notes[id] = note
	n.list.remeasure(id)
	n.list.RefreshItem(id)
}

// refreshTags lights the tag buttons pressed for the note being typed.
func (n *notepad) refreshTags() {
	for i, tag := range interview.OneKeyTags() {
		b := n.tagBtns[i]
		want := widget.MediumImportance
		if slices.Contains(n.pending, tag) {
			want = widget.HighImportance
		}
		if b.Importance != want {
			b.Importance = want
			b.Refresh()
		}
	}
}

func (n *notepad) startEdit(id int) {
	if n.editing >= 0 && n.editing != id {
		if !n.saveEdit(false) {
			return
		}
	}
	n.editing, n.editText = id, n.notes[id].Text
	n.list.remeasure(id)
	n.list.ScrollTo(id)
	n.list.RefreshItem(id)
	if n.editEntry != nil {
		n.l.win.Canvas().Focus(n.editEntry)
	}
}

// saveEdit stores the note being edited. Leaving the box (focus lost) saves
// too, so an edit is never lost by clicking elsewhere. It reports whether
// the edit is done; on a store error the edit stays open with its text.
func (n *notepad) saveEdit(refocus bool) bool {
	id := n.editing
	if id < 0 {
		return true
	}
	note := n.notes[id]
	text := strings.TrimSpace(n.editText)
	if text == note.Text || (text == "" && len(note.Tags) == 0) {
		n.finishEdit(refocus)
		return true
	}
	note.Tags = slices.Clone(note.Tags)
	note.Edit(text, time.Time{})
	ctx, cancel := storeCtx()
	err := n.l.deps.Store.UpdateNote(ctx, &note)
	cancel()
	if err != nil {
		n.l.showError(lang.X("notes.error.edit", "Your change was not saved; it is still in the box — press Enter to try again."), err)
		return false
	}
	n.notes[id] = note
	n.finishEdit(refocus)
	return true
}

func (n *notepad) cancelEdit() { n.finishEdit(true) }

func (n *notepad) finishEdit(refocus bool) {
	id := n.editing
	n.editing, n.editText, n.editEntry = -1, "", nil
	if id >= 0 {
		n.list.remeasure(id)
		n.list.RefreshItem(id)
	}
	if refocus {
		n.l.win.Canvas().Focus(n.entry)
	}
}
