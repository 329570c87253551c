package ui

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sidenote-app/sidenote/app/interview"
)

// compareScreen puts the interviews made from one template side by side,
// question by question: each candidate's rating, note and answer. Wide
// windows get a column per interview; narrow ones a block per question
// with each candidate's cell under it.
type compareScreen struct {
	s         *shell
	templates []interview.Template // those with a started interview, by name
	counts    map[int64]int        // started interviews per template
	pick      *widget.Select
	body      *fyne.Container
	page      *fyne.Container
	content   fyne.CanvasObject

	tplID int64
	cmp   interview.Comparison
	view  *compareSwitch // nil until a comparison shows
}

// compareWideMin is the narrowest body that gets columns; below it each
// question is a block of its own.
const compareWideMin = 600

// compareAnswerMax is how many characters of an answer show before "more".
const compareAnswerMax = 160

// comparable reports whether an interview has anything to compare: a
// planned one has neither ratings nor answers.
func comparable(iv interview.Interview) bool {
	return iv.TemplateID > 0 && iv.State != interview.StatePlanned
}

// compareCounts counts the comparable interviews per template.
func compareCounts(all []interview.Interview) map[int64]int {
	n := map[int64]int{}
	for _, iv := range all {
		if comparable(iv) {
			n[iv.TemplateID]++
		}
	}
	return n
}

// showCompare opens Compare for templateID; 0 lets the user pick (a
// template that alone has two interviews or more is picked at once).
func (s *shell) showCompare(templateID int64) {
	s.leave()
	c := &compareScreen{s: s, body: container.NewVBox()}
	c.pick = widget.NewSelect(nil, func(string) {
		if i := c.pick.SelectedIndex(); i >= 0 && i < len(c.templates) {
			c.show(c.templates[i].ID)
		}
	})
	c.pick.PlaceHolder = lang.X("compare.pick", "Pick a template")
	c.page = container.NewBorder(c.pick, nil, nil, nil, c.body)
	c.content = s.frame(lang.X("library.title", "Library"), s.showLibrary, lang.X("compare.title", "Compare"), c.page, nil)
	s.cmp = c
	s.win.SetContent(c.content)
	if err := c.loadTemplates(); err != nil {
		c.body.Add(errorLabel(err))
		return
	}
	if templateID == 0 {
		var many []int64
		for _, t := range c.templates {
			if c.counts[t.ID] >= 2 {
				many = append(many, t.ID)
			}
		}
		if len(many) == 1 {
			templateID = many[0]
		}
	}
	if i := slices.IndexFunc(c.templates, func(t interview.Template) bool { return t.ID == templateID }); i >= 0 {
		c.pick.SetSelectedIndex(i) // runs show
	} else {
		c.body.Add(quietLabel(lang.X("compare.hint", "Pick a template to see its interviews side by side.")))
	}
}

func (c *compareScreen) loadTemplates() error {
	d := c.s.deps
	if d.Store == nil || d.ListInterviews == nil {
		return errors.New(lang.X("compare.error.nostore", "There are no interviews to compare."))
	}
	ctx, cancel := storeCtx()
	defer cancel()
	all, err := d.ListInterviews(ctx)
	if err != nil {
		return fmt.Errorf("%s %w", lang.X("home.error.list", "The interviews could not be read:"), err)
	}
	ts, err := d.Store.Templates(ctx)
	if err != nil {
		return fmt.Errorf("%s %w", lang.X("compare.error.templates", "The templates could not be read:"), err)
	}
	c.counts = compareCounts(all)
	var names []string
	for _, t := range ts {
		n := c.counts[t.ID]
		if n == 0 {
			continue
		}
		c.templates = append(c.templates, t)
		names = append(names, lang.X("compare.option", "{{.Name}} ({{.N}} interviews)", map[string]any{"Name": t.Name, "N": n}))
	}
	c.pick.SetOptions(names)
	if len(names) == 0 {
		c.pick.Disable()
	}
	return nil
}

// show loads every comparable interview from template id and lines them up.
func (c *compareScreen) show(id int64) {
	c.tplID = id
	c.body.RemoveAll()
	c.view = nil
	cm, err := c.load(id)
	if err != nil {
		c.body.Add(errorLabel(err))
		c.body.Refresh()
		return
	}
	c.cmp = cm
	if len(cm.Columns) < 2 {
		c.body.Add(quietLabel(lang.X("compare.few", "Only one interview was made from this template; compare needs two.")))
	}
	c.view = &compareSwitch{}
	c.body.Add(container.New(c.view, c.wide(), c.narrow()))
	c.body.Refresh()
	// Wrapped labels, and the switch, know their height once laid out at
	// the width; a second pass lets the scroll take that height.
	c.content.Refresh()
	c.content.Refresh()
}

func (c *compareScreen) load(id int64) (interview.Comparison, error) {
	d := c.s.deps
	ctx, cancel := storeCtx()
	defer cancel()
	all, err := d.ListInterviews(ctx)
	if err != nil {
		return interview.Comparison{}, fmt.Errorf("%s %w", lang.X("home.error.list", "The interviews could not be read:"), err)
	}
	var ivs []interview.Interview
	for _, iv := range all {
		if comparable(iv) && iv.TemplateID == id {
			ivs = append(ivs, iv)
		}
	}
	// Oldest first: the order they were held in.
	slices.SortStableFunc(ivs, func(a, b interview.Interview) int {
		return cmp.Or(cmp.Compare(a.When().UnixMilli(), b.When().UnixMilli()), cmp.Compare(a.ID, b.ID))
	})
	bundles := make([]*interview.Bundle, 0, len(ivs))
	for _, iv := range ivs {
		b, err := d.Store.Load(ctx, iv.ID)
		if err != nil {
			return interview.Comparison{}, fmt.Errorf("%s %w", lang.X("compare.error.load", "An interview could not be read:"), err)
		}
		bundles = append(bundles, b)
	}
	var tp *interview.Template
	// A template that cannot be read (deleted since): the first
	// interview's questions stand for it.
	if t, err := d.Store.Template(ctx, id); err == nil {
		tp = &t
	} else {
		c.s.log.Warn("compare without the template", "template", id, "err", err)
	}
	return interview.Compare(tp, bundles...)
}

// columnName is who was interviewed, else the interview's title.
func columnName(col interview.CompareColumn) string {
	switch {
	case col.OtherName != "":
		return col.OtherName
	case col.Title != "":
		return col.Title
	}
	return lang.X("home.untitled", "Untitled interview")
}

// columnLine is "★ 3.5 · 2 of 3 asked".
func columnLine(col interview.CompareColumn, rows int) string {
	avg := lang.X("compare.unrated", "Not rated")
	if col.Rated > 0 {
		avg = lang.X("compare.average", "Average {{.Avg}}", map[string]any{"Avg": fmt.Sprintf("%.1f", col.Average)})
	}
	return avg + " · " + lang.X("compare.asked", "{{.N}} of {{.Of}} asked", map[string]any{"N": col.Asked, "Of": rows})
}

// questionHead is the row's question, numbered in the template's order
// or marked as added.
func questionHead(row interview.CompareRow) fyne.CanvasObject {
	text := row.Text
	if row.TemplatePosition > 0 {
		text = fmt.Sprintf("%d. %s", row.TemplatePosition, text)
	}
	q := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	q.Wrapping = fyne.TextWrapWord
	var parts []string
	if row.TemplatePosition == 0 {
		parts = append(parts, lang.X("compare.added", "Added, not in the template"))
	}
	if row.Competency != "" {
		parts = append(parts, row.Competency)
	}
	if len(parts) == 0 {
		return q
	}
	sub := quietLabel(strings.Join(parts, " · "))
	sub.Wrapping = fyne.TextWrapWord
	return container.New(&tightVBox{}, q, sub)
}

// stars is a rating out of five as filled and empty stars.
func stars(n int) string {
	n = min(max(n, 0), 5)
	return strings.Repeat("★", n) + strings.Repeat("☆", 5-n)
}

// cellView is one interview's side of a question.
func cellView(cell interview.CompareCell) fyne.CanvasObject {
	if !cell.Present {
		gap := quietLabel(lang.X("compare.gap", "— not in this interview"))
		gap.Wrapping = fyne.TextWrapWord
		return gap
	}
	box := container.NewVBox()
	var status string
	switch cell.Status {
	case interview.QuestionAsked:
		status = lang.X("review.card.asked", "Asked at {{.At}}", map[string]any{"At": interview.Stamp(cell.AskedAtMs)})
	case interview.QuestionSkipped:
		status = lang.X("review.card.skipped", "Skipped")
	default:
		status = lang.X("review.card.notasked", "Not asked")
	}
	st := quietLabel(status)
	st.Wrapping = fyne.TextWrapWord
	if cell.Rating > 0 {
		r := widget.NewLabel(stars(cell.Rating) + " " + lang.X("review.card.rated", "rated {{.N}}/5", map[string]any{"N": cell.Rating}))
		r.Importance = widget.WarningImportance
		r.Wrapping = fyne.TextWrapWord
		box.Add(container.New(&tightVBox{}, r, st))
	} else {
		box.Add(st)
	}
	addNoteAndAnswer(box, cell.Note, cell.AnswerText(), compareAnswerMax)
	return box
}

// addNoteAndAnswer adds a question's note, in italics, and its answer, cut
// at limit characters, to box: each only when there is one.
func addNoteAndAnswer(box *fyne.Container, note, answer string, limit int) {
	if note != "" {
		n := widget.NewLabel(note)
		n.Wrapping = fyne.TextWrapWord
		n.TextStyle.Italic = true
		box.Add(n)
	}
	if answer != "" {
		box.Add(answerView(answer, limit))
	}
}

// answerView shows an answer cut at limit characters with a "more" button
// that shows the rest (and "less" to cut it again).
func answerView(text string, limit int) fyne.CanvasObject {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	r := []rune(text)
	if len(r) <= limit {
		return l
	}
	short := strings.TrimSpace(string(r[:limit])) + "…"
	l.SetText(short)
	var more *widget.Button
	more = widget.NewButton(lang.X("compare.more", "more"), func() {
		if l.Text == short {
			l.SetText(text)
			more.SetText(lang.X("compare.less", "less"))
		} else {
			l.SetText(short)
			more.SetText(lang.X("compare.more", "more"))
		}
	})
	more.Importance = widget.LowImportance
	return container.NewVBox(l, container.NewHBox(more))
}

// wide is the side-by-side table: a header of candidates, then a row per
// question with the question in the first column.
func (c *compareScreen) wide() fyne.CanvasObject {
	n := len(c.cmp.Columns) + 1
	head := container.NewGridWithColumns(n, quietLabel(lang.X("compare.question", "Question")))
	for _, col := range c.cmp.Columns {
		head.Add(columnHead(col, len(c.cmp.Rows)))
	}
	box := container.NewVBox(head, widget.NewSeparator())
	for _, row := range c.cmp.Rows {
		g := container.NewGridWithColumns(n, questionHead(row))
		for _, cell := range row.Cells {
			g.Add(cellView(cell))
		}
		box.Add(g)
		box.Add(widget.NewSeparator())
	}
	return box
}

func columnHead(col interview.CompareColumn, rows int) fyne.CanvasObject {
	name := widget.NewLabelWithStyle(columnName(col), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	name.Truncation = fyne.TextTruncateEllipsis
	line := quietLabel(columnLine(col, rows))
	line.Wrapping = fyne.TextWrapWord
	return container.New(&tightVBox{}, name, line)
}

// narrow is a block per question: the question, then each candidate's
// name and cell. The candidates' totals lead.
func (c *compareScreen) narrow() fyne.CanvasObject {
	box := container.NewVBox()
	for _, col := range c.cmp.Columns {
		box.Add(columnHead(col, len(c.cmp.Rows)))
	}
	box.Add(widget.NewSeparator())
	for _, row := range c.cmp.Rows {
		box.Add(questionHead(row))
		for i, cell := range row.Cells {
			who := widget.NewLabelWithStyle(columnName(c.cmp.Columns[i]), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			who.Importance = widget.HighImportance
			who.SizeName = theme.SizeNameCaptionText
			who.Truncation = fyne.TextTruncateEllipsis
			box.Add(container.NewBorder(nil, nil, widget.NewIcon(theme.AccountIcon()), nil, who))
			box.Add(container.NewPadded(cellView(cell)))
		}
		box.Add(widget.NewSeparator())
	}
	return box
}

// compareSwitch lays out its first object (the columns) when the width
// it is given has room for them, and its second (a block per question)
// otherwise. Which one shows follows from that width alone: Layout
// refreshes and resizes nothing but its own two objects, so a pass never
// starts another.
//
// MinSize cannot know the width it will be laid out at, and the two
// layouts want different heights for one width, so its height is that of
// the one the last Layout showed: after a switch the height is right from
// the next pass on. Fyne's window driver runs that pass by itself (each
// frame it lays out again the parents of whatever's MinSize changed), as
// it does for wrapped labels. Its width is the blocks' minimum whichever
// layout shows: a minimum width that changed with the layout could push
// the width over the threshold and back again.
type compareSwitch struct {
	narrow bool // what the last Layout showed
}

// narrowAt reports whether width is too narrow for the columns: under
// compareWideMin, or under what the columns need (many interviews, long
// words in a translation).
func (l *compareSwitch) narrowAt(objs []fyne.CanvasObject, width float32) bool {
	return width < max(compareWideMin, objs[0].MinSize().Width)
}

func (l *compareSwitch) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	l.narrow = l.narrowAt(objs, size.Width)
	on, off := objs[0], objs[1]
	if l.narrow {
		on, off = off, on
	}
	off.Hide()
	on.Show()
	on.Move(fyne.NewPos(0, 0))
	on.Resize(size)
}

func (l *compareSwitch) MinSize(objs []fyne.CanvasObject) fyne.Size {
	blocks := objs[1].MinSize()
	if l.narrow {
		return blocks
	}
	return fyne.NewSize(blocks.Width, objs[0].MinSize().Height)
}
