package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sidenote-app/sidenote/app/interview"
)

// timeline is the Timeline tab: a search box, the merged list of
// transcript, notes and asked questions, and the correction bar that
// opens when a transcript line is tapped.
func (r *review) timeline() fyne.CanvasObject {
	r.index()
	r.list = newWrapList(func() int { return len(r.entries) }, newTimelineRow, r.fillRow)
	r.list.HideSeparators = true
	r.list.OnSelected = func(id widget.ListItemID) {
		r.list.Unselect(id)
		r.tapped(id)
	}

	r.search = widget.NewEntry()
	r.search.SetPlaceHolder(lang.X("review.search", "Search this interview"))
	r.search.OnChanged = r.find
	r.search.OnSubmitted = func(string) { r.nextHit() }
	r.hitLabel = widget.NewLabel("")
	r.hitLabel.Importance = widget.LowImportance
	next := widget.NewButtonWithIcon("", theme.MoveDownIcon(), r.nextHit)
	searchBar := container.NewBorder(nil, nil, nil, container.NewHBox(r.hitLabel, next), r.search)

	r.editLabel = widget.NewLabel("")
	r.editLabel.Importance = widget.LowImportance
	r.editLabel.Truncation = fyne.TextTruncateEllipsis
	// One line, so Enter saves (a multi-line entry would take it as a
	// new line); a transcript line is a sentence or two.
	r.editEntry = widget.NewEntry()
	r.editEntry.Scroll = fyne.ScrollHorizontalOnly
	r.editEntry.OnSubmitted = func(string) { r.saveCorrection() }
	save := widget.NewButtonWithIcon(lang.X("review.correct.save", "Save"), theme.ConfirmIcon(), r.saveCorrection)
	save.Importance = widget.HighImportance
	cancel := widget.NewButton(lang.X("review.correct.cancel", "Cancel"), r.stopEditing)
	r.editBox = container.NewVBox(widget.NewSeparator(), r.editLabel, r.editEntry, container.NewHBox(save, cancel))
	r.editBox.Hide()
	if r.s.deps.Review == nil {
		r.editBox = container.NewVBox() // nowhere to save a correction
	}

	var body fyne.CanvasObject = r.list
	if len(r.entries) == 0 {
		body = container.NewVBox(quietLabel(lang.X("review.empty", "Nothing was noted or transcribed in this interview.")))
	}
	return container.NewBorder(searchBar, r.editBox, nil, nil, body)
}

// index lists the timeline and where each segment, note and question is
// in it, for search hits and the playhead.
func (r *review) index() {
	r.entries = r.b.Timeline()
	r.segRow, r.noteRow, r.qRow = map[int]int{}, map[int]int{}, map[int]int{}
	seg := map[*interview.Segment]int{}
	for i := range r.b.Segments {
		seg[&r.b.Segments[i]] = i
	}
	note := map[*interview.Note]int{}
	for i := range r.b.Notes {
		note[&r.b.Notes[i]] = i
	}
	q := map[*interview.Question]int{}
	for i := range r.b.Questions {
		q[&r.b.Questions[i]] = i
	}
	for row, e := range r.entries {
		switch e.Kind {
		case interview.EntrySegment:
			r.segRow[seg[e.Segment]] = row
		case interview.EntryNote:
			r.noteRow[note[e.Note]] = row
		case interview.EntryQuestion:
			r.qRow[q[e.Question]] = row
		}
	}
}

// timelineRow is a highlight behind wrapped rich text.
func newTimelineRow() fyne.CanvasObject {
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameSelection))
	bg.Hide()
	t := widget.NewRichText()
	t.Wrapping = fyne.TextWrapWord
	return container.NewStack(bg, t)
}

func (r *review) fillRow(id int, o fyne.CanvasObject) {
	c := o.(*fyne.Container)
	bg, t := c.Objects[0].(*canvas.Rectangle), c.Objects[1].(*widget.RichText)
	if id == r.current {
		bg.FillColor = theme.Color(theme.ColorNameSelection)
		bg.Show()
	} else {
		bg.Hide()
	}
	if id >= len(r.entries) {
		return
	}
	e := r.entries[id]
	stamp := &widget.TextSegment{Style: widget.RichTextStyle{Inline: true, ColorName: theme.ColorNamePlaceHolder, TextStyle: fyne.TextStyle{Monospace: true}}, Text: "[" + interview.Stamp(e.AtMs) + "] "}
	switch e.Kind {
	case interview.EntrySegment:
		segs := lineSegments(e.Segment.Source, e.AtMs, e.Segment.Display(), false)
		// "[mm:ss] You text": the stamp leads so the eye runs down the times.
		t.Segments = []widget.RichTextSegment{stamp, segs[0], segs[2]}
		if e.Segment.EditedText != "" {
			t.Segments = append(t.Segments, &widget.TextSegment{Style: widget.RichTextStyle{Inline: true, ColorName: theme.ColorNamePlaceHolder, TextStyle: fyne.TextStyle{Italic: true}},
				Text: " " + lang.X("review.corrected", "(corrected)")})
		}
	case interview.EntryNote:
		text := e.Note.Text
		// Tags typed as #words are in the text already; one-key tags are not.
		for _, tag := range e.Note.Tags {
			if !strings.Contains(strings.ToLower(text), "#"+tag) {
				text += " #" + tag
			}
		}
		t.Segments = []widget.RichTextSegment{stamp,
			&widget.TextSegment{Style: widget.RichTextStyle{Inline: true, TextStyle: fyne.TextStyle{Bold: true}, ColorName: theme.ColorNameWarning}, Text: lang.X("review.note", "Note") + " "},
			&widget.TextSegment{Style: widget.RichTextStyle{Inline: true, TextStyle: fyne.TextStyle{Italic: true}}, Text: text}}
	case interview.EntryQuestion:
		q := e.Question
		text := q.Text
		if q.Rating > 0 {
			text += " " + strings.Repeat("★", q.Rating) + strings.Repeat("☆", interview.MaxRating-q.Rating)
		}
		t.Segments = []widget.RichTextSegment{stamp,
			&widget.TextSegment{Style: widget.RichTextStyle{Inline: true, TextStyle: fyne.TextStyle{Bold: true}}, Text: "❓ " + text}}
	}
	t.Refresh()
}

// tapped jumps to the entry; a transcript line also opens for correction.
func (r *review) tapped(row int) {
	if row < 0 || row >= len(r.entries) {
		return
	}
	e := r.entries[row]
	r.pic.setPlayhead(e.AtMs)
	if r.play != nil {
		r.play.seek(e.AtMs)
	}
	if e.Kind != interview.EntrySegment || r.s.deps.Review == nil {
		return
	}
	for i := range r.b.Segments {
		if &r.b.Segments[i] == e.Segment {
			r.startEditing(i)
		}
	}
}

func (r *review) startEditing(i int) {
	sg := &r.b.Segments[i]
	r.editing = i
	r.editLabel.SetText(lang.X("review.correct.label", "Correct the line at {{.At}} (Enter saves; the original is kept)", map[string]any{"At": interview.Stamp(sg.StartMs)}))
	r.editEntry.SetText(sg.Display())
	r.editBox.Show()
	r.s.win.Canvas().Focus(r.editEntry)
}

func (r *review) stopEditing() {
	r.editing = -1
	r.editBox.Hide()
}

// saveCorrection stores the corrected text; the recognizer's stays in the
// store beside it. An empty correction goes back to the original.
func (r *review) saveCorrection() {
	if r.editing < 0 {
		return
	}
	sg := &r.b.Segments[r.editing]
	text := strings.TrimSpace(r.editEntry.Text)
	if text == sg.Text {
		text = ""
	}
	ctx, cancel := storeCtx()
	err := r.s.deps.Review.EditSegment(ctx, sg.ID, text)
	cancel()
	if err != nil {
		r.showError(lang.X("review.error.correct", "The correction could not be saved:"), err)
		return
	}
	sg.EditedText = text
	row := r.segRow[r.editing]
	r.stopEditing()
	r.list.remeasure(row)
	r.list.RefreshItem(row)
	if r.search.Text != "" {
		r.find(r.search.Text)
	}
}

// find searches the interview as the user types and goes to the first hit.
func (r *review) find(q string) {
	r.hits = nil
	for _, h := range interview.SearchInterview(r.b, q) {
		if h.Timed {
			r.hits = append(r.hits, h)
		}
	}
	r.hit = -1
	switch {
	case strings.TrimSpace(q) == "":
		r.hitLabel.SetText("")
	case len(r.hits) == 0:
		r.hitLabel.SetText(lang.X("review.search.none", "No match"))
	default:
		r.nextHit()
	}
}

// nextHit shows the next match, round to the first after the last.
func (r *review) nextHit() {
	if len(r.hits) == 0 {
		return
	}
	r.hit = (r.hit + 1) % len(r.hits)
	h := r.hits[r.hit]
	r.hitLabel.SetText(fmt.Sprintf("%d/%d", r.hit+1, len(r.hits)))
	rows := map[interview.EntryKind]map[int]int{interview.EntrySegment: r.segRow, interview.EntryNote: r.noteRow, interview.EntryQuestion: r.qRow}
	if row, ok := rows[h.Kind][h.Index]; ok {
		r.list.ScrollTo(row)
	}
	r.pic.setPlayhead(h.AtMs)
}
