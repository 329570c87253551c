package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sidenote-app/sidenote/app/interview"
)

// Timings of the suggestion bar, in interview time: a paused interview
// keeps its suggestion up, since nothing new was said.
const (
	suggestShowForMs  = 20_000  // the bar goes by itself after this
	suggestSuppressMs = 120_000 // a dismissed item is not offered again for this long
	// suggestPointChars is how much of a talking point the bar quotes.
	suggestPointChars = 32
)

// suggestBar offers, under the top bar, to mark a question asked or tick
// a talking point when what You just said sounds like it. It never acts
// by itself: only the button does, and it does what the queue's Asked or
// the point's check box does.
//
// Who is listened to depends on the mode, because only your own words say
// what you just did:
//   - interviewer: You, against the queued questions (you asked one);
//   - candidate: You, against the unchecked talking points and the
//     questions to ask them (you made the point, asked the question);
//   - practice: You, against the unchecked talking points only (there is
//     nobody to ask).
//
// Them never suggests: in interviewer mode the candidate does not ask your
// questions, and in candidate mode the interviewer's questions are not in
// your plan.
type suggestBar struct {
	l       *Live
	matcher *interview.Suggester

	shown       *interview.Suggestion // nil when hidden
	shownAtMs   int64
	dismissedAt map[suggestItem]int64 // interview time of the last ×

	content *fyne.Container
	text    *widget.Label
	act     *widget.Button
}

// suggestItem names a question or a point.
type suggestItem struct {
	kind interview.SuggestKind
	id   int64
}

func newSuggestBar(l *Live) *suggestBar {
	s := &suggestBar{l: l, matcher: interview.NewSuggester(l.iv.Language), dismissedAt: map[suggestItem]int64{}}
	s.text = widget.NewLabel("")
	s.text.Wrapping = fyne.TextWrapWord
	s.act = widget.NewButton("", s.accept)
	s.act.Importance = widget.HighImportance
	dismiss := widget.NewButtonWithIcon("", theme.CancelIcon(), s.dismiss)
	dismiss.Importance = widget.LowImportance
	bg := canvas.NewRectangle(withAlpha(theme.Color(theme.ColorNameSuccess), 0x30))
	bg.CornerRadius = theme.InputRadiusSize()
	s.content = container.NewStack(bg, container.NewBorder(nil, nil, nil,
		container.NewHBox(container.NewCenter(s.act), container.NewCenter(dismiss)), s.text))
	s.content.Hide()
	return s
}

// consider looks at finished utterances, oldest first; the newest that
// matches something wins.
func (s *suggestBar) consider(segs []interview.Segment) {
	if s.l.iv.State == interview.StateEnded {
		return
	}
	var best *interview.Suggestion
	for _, seg := range segs {
		if seg.Source != interview.SourceYou {
			continue
		}
		qs, ps := s.candidates()
		for _, sg := range s.matcher.Match(seg.Text, qs, ps) {
			if !s.suppressed(sg) {
				best = &sg
				break
			}
		}
	}
	if best != nil {
		s.show(*best)
	}
}

// candidates are the questions and points this mode may suggest.
func (s *suggestBar) candidates() ([]interview.Question, []interview.TalkingPoint) {
	switch s.l.iv.Mode {
	case interview.ModeInterviewer:
		return s.l.queue.questions, nil
	case interview.ModeCandidate:
		return nil, s.l.points.points
	}
	var ps []interview.TalkingPoint
	for _, p := range s.l.points.points {
		if p.Kind == interview.PointKindPoint {
			ps = append(ps, p)
		}
	}
	return nil, ps
}

func (s *suggestBar) suppressed(sg interview.Suggestion) bool {
	at, ok := s.dismissedAt[suggestItem{sg.Kind, sg.ID}]
	return ok && s.l.now()-at < suggestSuppressMs
}

func (s *suggestBar) show(sg interview.Suggestion) {
	switch sg.Kind {
	case interview.SuggestQuestion:
		s.text.SetText(lang.X("suggest.question", "Sounds like Q{{.N}} — mark asked?",
			map[string]any{"N": s.l.queue.number(sg.ID)}))
		s.act.SetText(lang.X("suggest.asked", "Mark asked"))
	case interview.SuggestPoint:
		s.text.SetText(lang.X("suggest.point", "Sounds like: {{.Point}} — tick it?",
			map[string]any{"Point": clip(s.pointText(sg.ID), suggestPointChars)}))
		s.act.SetText(lang.X("suggest.tick", "Tick"))
	}
	s.shown, s.shownAtMs = &sg, s.l.now()
	if !s.content.Visible() {
		s.content.Show()
	}
	s.l.relayout()
}

func (s *suggestBar) pointText(id int64) string {
	for _, p := range s.l.points.points {
		if p.ID == id {
			return p.Text
		}
	}
	return ""
}

// hide takes the bar away.
func (s *suggestBar) hide() {
	if s.shown == nil {
		return
	}
	s.shown = nil
	s.content.Hide()
	s.l.relayout()
}

// accept does what the suggestion offered.
func (s *suggestBar) accept() {
	sg := s.shown
	if sg == nil {
		return
	}
	s.hide()
	switch sg.Kind {
	case interview.SuggestQuestion:
		s.l.queue.setCurrent(sg.ID) // the notes that follow are about it
		s.l.queue.markAsked()
	case interview.SuggestPoint:
		s.l.points.setChecked(sg.ID, true)
	}
}

func (s *suggestBar) dismiss() {
	if s.shown != nil {
		s.dismissedAt[suggestItem{s.shown.Kind, s.shown.ID}] = s.l.now()
	}
	s.hide()
}

// tick takes the bar away once it has been up long enough, or when its
// item was marked or ticked by hand meanwhile.
func (s *suggestBar) tick(nowMs int64) {
	if s.shown == nil {
		return
	}
	if nowMs-s.shownAtMs >= suggestShowForMs || !s.stillOpen(*s.shown) {
		s.hide()
	}
}

func (s *suggestBar) stillOpen(sg interview.Suggestion) bool {
	switch sg.Kind {
	case interview.SuggestQuestion:
		q := s.l.queue.find(sg.ID)
		return q != nil && q.Status == interview.QuestionQueued
	case interview.SuggestPoint:
		for _, p := range s.l.points.points {
			if p.ID == sg.ID {
				return !p.Checked
			}
		}
	}
	return false
}

// clip shortens s to at most n letters, with an ellipsis when it cut,
// at a word's end when one is in the second half.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := string(r[:n-1])
	if k := strings.LastIndexByte(cut, ' '); k >= len(cut)/2 {
		cut = cut[:k]
	}
	return strings.TrimRight(cut, " ,.:;") + "…"
}
