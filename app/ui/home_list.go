package ui

import (
	"cmp"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sidenote-app/sidenote/app/interview"
)

// recentShown is how many past interviews Home lists; the library (a
// later screen) holds the rest.
const recentShown = 8

// reload lists the interviews: planned ones by scheduled time (the
// unscheduled after them, newest first), then the recent others, newest
// first. A store read on the UI goroutine is a few milliseconds.
func (h *home) reload() {
	if h.deps.ListInterviews == nil {
		return
	}
	ctx, cancel := storeCtx()
	all, err := h.deps.ListInterviews(ctx)
	cancel()
	if err != nil {
		h.showError(fmt.Errorf("%s %w", lang.X("home.error.list", "The interviews could not be read:"), err))
		return
	}
	var planned, past []interview.Interview
	for _, iv := range all {
		if iv.State == interview.StatePlanned {
			planned = append(planned, iv)
		} else {
			past = append(past, iv)
		}
	}
	slices.SortStableFunc(planned, func(a, b interview.Interview) int {
		switch {
		case a.ScheduledAt.IsZero() != b.ScheduledAt.IsZero():
			if a.ScheduledAt.IsZero() {
				return 1
			}
			return -1
		case a.ScheduledAt.IsZero():
			return b.CreatedAt.Compare(a.CreatedAt)
		}
		return a.ScheduledAt.Compare(b.ScheduledAt)
	})
	slices.SortStableFunc(past, func(a, b interview.Interview) int {
		return cmp.Compare(b.When().UnixMilli(), a.When().UnixMilli())
	})
	if len(past) > recentShown {
		past = past[:recentShown]
	}

	h.upcoming.RemoveAll()
	for _, iv := range planned {
		h.upcoming.Add(h.interviewRow(iv))
	}
	if len(planned) == 0 {
		h.upcoming.Add(quietLabel(lang.X("home.upcoming.none", "Nothing planned. Plan an interview to have its details and questions ready.")))
	}
	h.recent.RemoveAll()
	for _, iv := range past {
		h.recent.Add(h.interviewRow(iv))
	}
	if len(past) == 0 {
		h.recent.Add(quietLabel(lang.X("home.recent.none", "No interviews yet.")))
	}
	h.body.Refresh()
}

// interviewRow is one interview: its title, what and when, and what can
// be done with it now.
func (h *home) interviewRow(iv interview.Interview) fyne.CanvasObject {
	title := widget.NewLabelWithStyle(iv.Title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.Truncation = fyne.TextTruncateEllipsis
	if iv.Title == "" {
		title.SetText(lang.X("home.untitled", "Untitled interview"))
	}
	detail := widget.NewLabel(interviewLine(iv))
	detail.Truncation = fyne.TextTruncateEllipsis
	detail.SizeName = theme.SizeNameCaptionText
	detail.Importance = widget.LowImportance
	text := container.New(&tightVBox{}, title, detail)

	var actions []fyne.CanvasObject
	switch iv.State {
	case interview.StatePlanned:
		open := widget.NewButton(lang.X("home.open", "Open"), func() { h.shell.showChecklist(iv.ID) })
		actions = append(actions, open)
	case interview.StateEnded:
		sum := widget.NewButton(lang.X("home.review", "Review"), func() { h.shell.showReview(iv.ID, -1) })
		actions = append(actions, sum)
	default: // interrupted; live or paused only if another process runs it
		if text, ok := h.shell.liveElsewhere(iv); ok {
			detail.SetText(text)
			break
		}
		resume := widget.NewButton(lang.X("home.resume", "Resume"), func() { h.shell.showChecklist(iv.ID) })
		resume.Importance = widget.HighImportance
		end := widget.NewButton(lang.X("home.end", "End"), func() { h.shell.confirmEnd(iv, h.ended) })
		actions = append(actions, resume, end)
		detail.Importance = widget.WarningImportance
	}
	return container.NewBorder(nil, widget.NewSeparator(), nil, container.NewCenter(container.NewHBox(actions...)), text)
}

// liveElsewhere says, for an interview live or paused in another process
// (a `sidenote live` in a terminal, a second window), that it is live there:
// such a row offers neither Resume nor End.
func (s *shell) liveElsewhere(iv interview.Interview) (string, bool) {
	if (iv.State != interview.StateLive && iv.State != interview.StatePaused) || s.deps.Live == nil {
		return "", false
	}
	pid, ok := s.deps.Live.LiveElsewhere(iv.ID)
	if !ok {
		return "", false
	}
	if pid == os.Getpid() {
		return lang.X("home.state.finishing", "Finishing…"), true
	}
	return lang.X("home.state.elsewhere", "Live in another Sidenote (pid {{.PID}})", map[string]any{"PID": pid}), true
}

// interviewLine is the row's second line: mode, other person, when, and
// the state when it is worth saying.
func interviewLine(iv interview.Interview) string {
	parts := []string{modeName(iv.Mode)}
	if iv.OtherName != "" {
		parts = append(parts, iv.OtherName)
	}
	if when := iv.When(); !when.IsZero() {
		parts = append(parts, when.Local().Format("2006-01-02 15:04"))
	}
	if iv.State == interview.StatePlanned && iv.Length > 0 {
		parts = append(parts, lang.X("home.minutes", "{{.N}} min", map[string]any{"N": int(iv.Length.Minutes())}))
	}
	switch iv.State {
	case interview.StateInterrupted, interview.StateLive, interview.StatePaused:
		parts = append(parts, lang.X("home.state.interrupted", "Interrupted — resume or end it"))
	}
	return strings.Join(parts, " · ")
}

func modeName(m interview.Mode) string {
	switch m {
	case interview.ModeCandidate:
		return lang.X("mode.candidate", "Candidate")
	case interview.ModePractice:
		return lang.X("mode.practice", "Practice")
	}
	return lang.X("mode.interviewer", "Interviewer")
}

// confirmEnd asks before ending an interrupted interview without resuming
// it, then ends it and tells done (nil on success, or why it failed).
func (s *shell) confirmEnd(iv interview.Interview, done func(error)) {
	d := dialog.NewConfirm(lang.X("home.end.title", "End this interview?"),
		lang.X("home.end.body", "It cannot be resumed afterwards. Its notes and transcript stay."),
		func(ok bool) {
			if ok {
				done(s.endInterview(iv.ID))
			}
		}, s.win)
	d.SetConfirmText(lang.X("home.end", "End"))
	d.SetDismissText(lang.X("home.end.cancel", "Keep it"))
	d.Show()
}

// endInterview ends an interrupted interview without resuming it.
func (s *shell) endInterview(id int64) error {
	ctx, cancel := storeCtx()
	defer cancel()
	if s.deps.Live == nil {
		return errors.New(lang.X("home.error.end.nolive", "The interview could not be ended: this window runs no interviews."))
	}
	if _, err := s.deps.Live.EndInterrupted(ctx, id); err != nil {
		return fmt.Errorf("%s %w", lang.X("home.error.end", "The interview could not be ended:"), err)
	}
	return nil
}

// ended shows what ending an interview from Home came to.
func (h *home) ended(err error) {
	if err != nil {
		h.showError(err)
		return
	}
	h.reload()
}

// sectionHeading titles a part of a screen.
func sectionHeading(text string) *widget.Label {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.SizeName = theme.SizeNameSubHeadingText
	return l
}

func quietLabel(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	l.Importance = widget.LowImportance
	return l
}

// tightVBox stacks the visible objects without padding, so a title and
// its detail line read as one item.
type tightVBox struct{}

func (tightVBox) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	y := float32(0)
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		h := o.MinSize().Height
		o.Move(fyne.NewPos(0, y))
		o.Resize(fyne.NewSize(size.Width, h))
		y += h - theme.Padding()
	}
}

func (tightVBox) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var w, h float32
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		m := o.MinSize()
		w = max(w, m.Width)
		h += m.Height - theme.Padding()
	}
	return fyne.NewSize(w, h+theme.Padding())
}
