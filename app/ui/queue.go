package ui

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sidenote-app/sidenote/app/interview"
)

// questionQueue is the question plan: the current question on a card at
// the top (asked / skip / next, rating, a note, time spent on it), then
// every question in order with its status, to pick or reorder, and a box
// to add one typed live. A plan holds tens of questions, not thousands,
// so the rows are plain widgets rebuilt on change.
type questionQueue struct {
	l         *Live
	questions []interview.Question // by position
	current   int64                // id of the question being discussed; 0 for none
	noteFor   int64                // the question whose note the note box shows
	sinceMs   int64                // interview time it became current

	content  fyne.CanvasObject
	card     *fyne.Container
	numLabel *widget.Label
	spent    *widget.Label
	text     *widget.Label
	guidance *widget.Label
	asked    *hintButton
	skipBtn  *hintButton
	nextBtn  *hintButton
	stars    []*hintButton
	note     *liveEntry
	rows     *fyne.Container
	addEntry *liveEntry
	empty    *widget.Label
}

func newQuestionQueue(l *Live, qs []interview.Question) *questionQueue {
	q := &questionQueue{l: l, questions: qs}
	q.current = pickCurrent(qs)
	if c := q.find(q.current); c != nil && c.Status == interview.QuestionAsked {
		q.sinceMs = c.AskedAtMs
	} else {
		q.sinceMs = l.now()
	}

	q.numLabel = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	q.numLabel.SizeName = theme.SizeNameCaptionText
	q.spent = widget.NewLabel("")
	q.spent.SizeName = theme.SizeNameCaptionText
	q.text = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	q.text.Wrapping = fyne.TextWrapWord
	q.guidance = widget.NewLabel("")
	q.guidance.Wrapping = fyne.TextWrapWord
	q.guidance.TextStyle.Italic = true
	q.guidance.SizeName = theme.SizeNameCaptionText

	q.asked = newHintButton(l.hints, lang.X("queue.asked", "Asked"), theme.ConfirmIcon(), q.markAsked)
	q.asked.hint = l.keys.hintFor("asked", lang.X("queue.asked.hint", "Mark asked now"))
	q.asked.Importance = widget.HighImportance
	q.skipBtn = newHintButton(l.hints, lang.X("queue.skip", "Skip"), nil, q.skip)
	q.skipBtn.hint = l.keys.hintFor("skip", lang.X("keys.skip", "Skip the question"))
	q.nextBtn = newHintButton(l.hints, lang.X("queue.next", "Next"), theme.NavigateNextIcon(), q.next)
	q.nextBtn.hint = l.keys.hintFor("next", lang.X("keys.next", "Next question"))
	q.nextBtn.IconPlacement = widget.ButtonIconTrailingText

	stars := container.NewGridWithColumns(interview.MaxRating)
	for r := interview.MinRating; r <= interview.MaxRating; r++ {
		b := newHintButton(l.hints, strconv.Itoa(r), nil, func() { q.toggleRating(r) })
		b.hint = l.keys.hintFor(ratingID(r), lang.X("keys.rate", "Rate the question {{.N}}", map[string]any{"N": r}))
		q.stars = append(q.stars, b)
		stars.Add(b)
	}
	q.note = newLiveEntry(l.keys)
	q.note.SetPlaceHolder(lang.X("queue.note.placeholder", "Note on this question (Enter saves)"))
	q.note.OnSubmitted = func(string) { q.saveNote() }
	q.note.onFocusLost = q.saveNote

	rateLabel := widget.NewLabel(lang.X("queue.rating", "Rating"))
	rateLabel.SizeName = theme.SizeNameCaptionText
	bg := canvas.NewRectangle(withAlpha(theme.Color(theme.ColorNamePrimary), 0x22))
	bg.CornerRadius = theme.InputRadiusSize()
	q.card = container.NewStack(bg, container.NewPadded(container.NewVBox(
		container.NewBorder(nil, nil, q.numLabel, q.spent),
		q.text, q.guidance,
		container.NewGridWithColumns(3, q.asked, q.skipBtn, q.nextBtn),
		container.NewBorder(nil, nil, rateLabel, nil, stars),
		q.note,
	)))

	q.rows = container.NewVBox()
	q.addEntry = newLiveEntry(l.keys)
	q.addEntry.SetPlaceHolder(lang.X("queue.add.placeholder", "Add a question, Enter adds it"))
	q.addEntry.OnSubmitted = func(string) { q.add() }
	q.empty = widget.NewLabel(lang.X("queue.empty", "No questions planned. Type one below to add it."))
	q.empty.Wrapping = fyne.TextWrapWord
	q.empty.Importance = widget.LowImportance
	q.content = container.NewVScroll(container.NewVBox(q.card, q.empty, q.rows, q.addEntry))
	return q
}

// pickCurrent chooses the question to resume with: the one asked last (its
// discussion may still be going on), else the first in the queue.
func pickCurrent(qs []interview.Question) int64 {
	var last *interview.Question
	for i := range qs {
		if qs[i].Status == interview.QuestionAsked && (last == nil || qs[i].AskedAtMs >= last.AskedAtMs) {
			last = &qs[i]
		}
	}
	if last != nil {
		return last.ID
	}
	for _, q := range qs {
		if q.Status == interview.QuestionQueued {
			return q.ID
		}
	}
	return 0
}

func (q *questionQueue) find(id int64) *interview.Question {
	for i := range q.questions {
		if q.questions[i].ID == id {
			return &q.questions[i]
		}
	}
	return nil
}

func (q *questionQueue) index(id int64) int {
	for i := range q.questions {
		if q.questions[i].ID == id {
			return i
		}
	}
	return -1
}

// currentID is the question a new note is linked to.
func (q *questionQueue) currentID() int64 { return q.current }

// number is a question's 1-based place in the queue, 0 if unknown.
func (q *questionQueue) number(id int64) int {
	if id == 0 {
		return 0
	}
	return q.index(id) + 1
}

func (q *questionQueue) setCurrent(id int64) {
	if id == q.current {
		return
	}
	q.saveNote() // the note box belongs to the question being left
	q.current = id
	q.sinceMs = q.l.now()
	if c := q.find(id); c != nil && c.Status == interview.QuestionAsked {
		q.sinceMs = c.AskedAtMs
	}
	q.refresh()
}

// next moves on to the next question still queued after the current one,
// wrapping round to any left at the start. It marks nothing.
func (q *questionQueue) next() {
	start := q.index(q.current)
	n := len(q.questions)
	for step := 1; step <= n; step++ {
		c := &q.questions[(start+step+n)%n]
		if c.Status == interview.QuestionQueued && c.ID != q.current {
			q.setCurrent(c.ID)
			return
		}
	}
}

// update stores a changed copy of a question and takes it on success.
func (q *questionQueue) update(c interview.Question, what string) bool {
	ctx, cancel := storeCtx()
	err := q.l.deps.Store.UpdateQuestion(ctx, &c)
	cancel()
	if err != nil {
		q.l.showError(what, err)
		return false
	}
	*q.find(c.ID) = c
	return true
}

// markAsked stamps the current question with the interview time now. It
// stays current: the answer that follows is what the notes are about.
func (q *questionQueue) markAsked() {
	cur := q.find(q.current)
	if cur == nil || cur.Status == interview.QuestionAsked {
		return
	}
	c := *cur
	now := q.l.now()
	if err := c.MarkAsked(now); err != nil {
		q.l.showError(lang.X("queue.error.asked", "The question was not marked asked."), err)
		return
	}
	if q.update(c, lang.X("queue.error.asked", "The question was not marked asked.")) {
		q.sinceMs = now
		q.refresh()
	}
}

// skip takes the current question out of the queue and moves on.
func (q *questionQueue) skip() {
	cur := q.find(q.current)
	if cur == nil || cur.Status == interview.QuestionSkipped {
		return
	}
	c := *cur
	c.Skip()
	if q.update(c, lang.X("queue.error.skip", "The question was not skipped.")) {
		q.next()
		q.refresh()
	}
}

// rate sets the current question's rating; 0 clears it.
func (q *questionQueue) rate(r int) {
	cur := q.find(q.current)
	if cur == nil || cur.Rating == r {
		return
	}
	c := *cur
	if err := c.Rate(r); err != nil {
		q.l.showError(lang.X("queue.error.rate", "The rating was not saved."), err)
		return
	}
	if q.update(c, lang.X("queue.error.rate", "The rating was not saved.")) {
		q.refresh()
	}
}

// toggleRating is a tap on a rating button: the same value again clears it.
func (q *questionQueue) toggleRating(r int) {
	if cur := q.find(q.current); cur != nil && cur.Rating == r {
		r = 0
	}
	q.rate(r)
}

func (q *questionQueue) saveNote() {
	cur := q.find(q.noteFor)
	if cur == nil || strings.TrimSpace(q.note.Text) == strings.TrimSpace(cur.Note) {
		return
	}
	c := *cur
	c.Note = strings.TrimSpace(q.note.Text)
	q.update(c, lang.X("queue.error.note", "The question's note was not saved; it is still in the box."))
}

// move shifts a question up (-1) or down (+1) in the queue.
func (q *questionQueue) move(id int64, by int) {
	i := q.index(id)
	j := i + by
	if i < 0 || j < 0 || j >= len(q.questions) {
		return
	}
	ctx, cancel := storeCtx()
	err := q.l.deps.Store.MoveQuestion(ctx, id, j+1)
	cancel()
	if err != nil {
		q.l.showError(lang.X("queue.error.move", "The question was not moved."), err)
		return
	}
	q.questions[i], q.questions[j] = q.questions[j], q.questions[i]
	for k := range q.questions {
		q.questions[k].Position = k + 1
	}
	q.refresh()
}

// add appends a question typed live.
func (q *questionQueue) add() {
	text := strings.TrimSpace(q.addEntry.Text)
	if text == "" {
		return
	}
	c := interview.Question{InterviewID: q.l.iv.ID, Text: text, Status: interview.QuestionQueued}
	ctx, cancel := storeCtx()
	err := q.l.deps.Store.AddQuestion(ctx, &c)
	cancel()
	if err != nil {
		q.l.showError(lang.X("queue.error.add", "The question was not added; it is still in the box."), err)
		return
	}
	q.questions = append(q.questions, c)
	q.addEntry.SetText("")
	if q.current == 0 {
		q.setCurrent(c.ID)
	}
	q.refresh()
}

// tick updates the time spent on the current question.
func (q *questionQueue) tick(nowMs int64) {
	if q.current == 0 {
		q.spent.SetText("")
		return
	}
	q.spent.SetText(lang.X("queue.spent", "{{.Time}} on it", map[string]any{"Time": interview.Stamp(nowMs - q.sinceMs)}))
}

// refresh redraws the card and the rows from q.questions.
func (q *questionQueue) refresh() {
	q.empty.Hidden = len(q.questions) > 0
	q.empty.Refresh()
	cur := q.find(q.current)
	if cur == nil {
		q.card.Hide()
	} else {
		q.card.Show()
		num := lang.X("queue.number", "Question {{.N}} of {{.Total}}", map[string]any{"N": q.index(cur.ID) + 1, "Total": len(q.questions)})
		if cur.Status == interview.QuestionAsked {
			num += " · " + lang.X("queue.asked.at", "asked {{.Time}}", map[string]any{"Time": interview.Stamp(cur.AskedAtMs)})
		}
		q.numLabel.SetText(num)
		q.text.SetText(cur.Text)
		q.guidance.SetText(strings.TrimSpace(strings.Join(nonEmpty(cur.Competency, cur.Guidance), " · ")))
		q.guidance.Hidden = q.guidance.Text == ""
		q.guidance.Refresh()
		if cur.Status == interview.QuestionAsked {
			q.asked.Importance = widget.MediumImportance
		} else {
			q.asked.Importance = widget.HighImportance
		}
		q.asked.Refresh()
		for i, b := range q.stars {
			want := widget.MediumImportance
			if cur.Rating == i+1 {
				want = widget.HighImportance
			}
			b.Importance = want
			b.Refresh()
		}
		if q.noteFor != cur.ID {
			q.noteFor = cur.ID
			q.note.SetText(cur.Note)
		}
	}
	q.tick(q.l.now())

	objs := make([]fyne.CanvasObject, 0, len(q.questions))
	for i := range q.questions {
		objs = append(objs, q.row(i))
	}
	q.rows.Objects = objs
	q.rows.Refresh()
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// row shows one question of the queue: status, number and text (tap to
// make it current), its asked time and rating, and up/down to reorder.
func (q *questionQueue) row(i int) fyne.CanvasObject {
	c := q.questions[i]
	var icon fyne.Resource
	meta := ""
	switch c.Status {
	case interview.QuestionAsked:
		icon = theme.ConfirmIcon()
		meta = interview.Stamp(c.AskedAtMs)
	case interview.QuestionSkipped:
		icon = theme.ContentRemoveIcon()
		meta = lang.X("queue.skipped", "skipped")
	default:
		icon = theme.RadioButtonIcon()
	}
	if c.Rating > 0 {
		meta = strings.TrimSpace(meta + " " + strings.Repeat("★", c.Rating))
	}
	text := strconv.Itoa(i+1) + ". " + c.Text
	if meta != "" {
		text += "  · " + meta
	}
	label := newTapLabel(text, func() { q.setCurrent(c.ID) })
	label.Wrapping = fyne.TextWrapWord
	label.TextStyle.Bold = c.Priority == interview.PriorityHigh // ask it if time runs short
	id := c.ID
	up := widget.NewButtonWithIcon("", theme.MoveUpIcon(), func() { q.move(id, -1) })
	down := widget.NewButtonWithIcon("", theme.MoveDownIcon(), func() { q.move(id, +1) })
	up.Importance, down.Importance = widget.LowImportance, widget.LowImportance
	if i == 0 {
		up.Disable()
	}
	if i == len(q.questions)-1 {
		down.Disable()
	}
	row := container.NewBorder(nil, nil, widget.NewIcon(icon), container.NewHBox(up, down), label)
	if c.ID == q.current {
		bg := canvas.NewRectangle(withAlpha(theme.Color(theme.ColorNamePrimary), 0x30))
		bg.CornerRadius = theme.SelectionRadiusSize()
		return container.NewStack(bg, row)
	}
	return row
}

// tapLabel is a label that does something when tapped.
type tapLabel struct {
	widget.Label
	onTap func()
}

func newTapLabel(text string, onTap func()) *tapLabel {
	t := &tapLabel{onTap: onTap}
	t.Text = text
	t.ExtendBaseWidget(t)
	return t
}

func (t *tapLabel) Tapped(*fyne.PointEvent) {
	if t.onTap != nil {
		t.onTap()
	}
}
