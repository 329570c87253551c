package ui

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sidenote-app/sidenote/app/interview"
)

// library lists every interview, newest first, filtered by mode; typing
// in its search box searches every interview's notes, transcript and
// questions instead, and a hit opens the Review at that moment.
type library struct {
	s       *shell
	all     []interview.Interview
	modes   []interview.Mode // "" is every mode
	mode    *widget.Select
	search  *widget.Entry
	results *fyne.Container
	// compareBtn opens Compare; enabled once some template has two
	// interviews to compare.
	compareBtn *widget.Button
	notice     *widget.Label // a message from the screen left, e.g. an import cancelled
	content    fyne.CanvasObject
}

// librarySearchMin is the shortest query searched: one letter would match
// half the library.
const librarySearchMin = 2

func (s *shell) showLibrary() {
	s.leave()
	l := &library{s: s, modes: []interview.Mode{"", interview.ModeInterviewer, interview.ModeCandidate, interview.ModePractice}}
	names := []string{lang.X("library.mode.all", "All modes")}
	for _, m := range l.modes[1:] {
		names = append(names, modeName(m))
	}
	l.mode = widget.NewSelect(names, func(string) { l.update() })
	l.search = widget.NewEntry()
	l.search.SetPlaceHolder(lang.X("library.search", "Search all interviews"))
	l.search.OnChanged = func(string) { l.update() }
	l.results = container.NewVBox()
	top := container.NewBorder(nil, nil, nil, l.mode, l.search)
	if s.deps.Search == nil {
		top = container.NewBorder(nil, nil, nil, l.mode)
	}
	l.load()
	l.compareBtn = widget.NewButtonWithIcon(lang.X("library.compare", "Compare"), theme.ViewRestoreIcon(), func() { s.showCompare(0) })
	l.compareBtn.Disable()
	for _, n := range compareCounts(l.all) {
		if n >= 2 {
			l.compareBtn.Enable()
		}
	}
	actions := container.NewHBox(l.compareBtn)
	if s.deps.ImportRecording != nil {
		actions.Add(widget.NewButtonWithIcon(lang.X("library.import", "Import a recording"), theme.UploadIcon(), s.showImport))
	}
	l.notice = widget.NewLabel("")
	l.notice.Wrapping = fyne.TextWrapWord
	l.notice.Importance = widget.SuccessImportance
	l.notice.Hide()
	top = container.NewVBox(l.notice, top, actions)
	l.mode.SetSelectedIndex(0) // runs update
	l.content = s.subScreen(lang.X("library.title", "Library"), container.NewBorder(top, nil, nil, nil, l.results), nil)
	s.lib = l
	s.win.SetContent(l.content)
}

// say shows msg above the list.
func (l *library) say(msg string) {
	l.notice.SetText(msg)
	l.notice.Show()
	l.content.Refresh()
}

func (l *library) load() {
	if l.s.deps.ListInterviews == nil {
		return
	}
	ctx, cancel := storeCtx()
	all, err := l.s.deps.ListInterviews(ctx)
	cancel()
	if err != nil {
		l.results.Add(errorLabel(fmt.Errorf("%s %w", lang.X("home.error.list", "The interviews could not be read:"), err)))
		return
	}
	slices.SortStableFunc(all, func(a, b interview.Interview) int {
		return cmp.Compare(b.When().UnixMilli(), a.When().UnixMilli())
	})
	l.all = all
}

func errorLabel(err error) *widget.Label {
	e := widget.NewLabel(err.Error())
	e.Wrapping = fyne.TextWrapWord
	e.Importance = widget.DangerImportance
	return e
}

// modeOf is the mode of interview id, if it is listed.
func (l *library) modeOf(id int64) (interview.Mode, bool) {
	for _, iv := range l.all {
		if iv.ID == id {
			return iv.Mode, true
		}
	}
	return "", false
}

func (l *library) update() {
	if l.results == nil {
		return
	}
	mode := l.modes[max(0, l.mode.SelectedIndex())]
	l.results.RemoveAll()
	q := strings.TrimSpace(l.search.Text)
	if len([]rune(q)) >= librarySearchMin && l.s.deps.Search != nil {
		l.showHits(q, mode)
	} else {
		l.showInterviews(mode)
	}
	l.results.Refresh()
}

func (l *library) showInterviews(mode interview.Mode) {
	n := 0
	for _, iv := range l.all {
		if mode != "" && iv.Mode != mode {
			continue
		}
		l.results.Add(l.interviewRow(iv))
		n++
	}
	if n == 0 {
		l.results.Add(quietLabel(lang.X("library.none", "No interviews.")))
	}
}

// interviewRow is Home's row with the length and state added, opening the
// Review for anything that has started.
func (l *library) interviewRow(iv interview.Interview) fyne.CanvasObject {
	title := widget.NewLabelWithStyle(iv.Title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.Truncation = fyne.TextTruncateEllipsis
	if iv.Title == "" {
		title.SetText(lang.X("home.untitled", "Untitled interview"))
	}
	line := interviewLine(iv)
	if iv.State == interview.StateEnded {
		if !iv.StartedAt.IsZero() && iv.EndedAt.Sub(iv.StartedAt) >= time.Second {
			line += " · " + durationText(iv.EndedAt.Sub(iv.StartedAt).Milliseconds())
		}
		line += " · " + lang.X("library.state.ended", "Ended")
	}
	detail := widget.NewLabel(line)
	detail.Truncation = fyne.TextTruncateEllipsis
	detail.SizeName = theme.SizeNameCaptionText
	detail.Importance = widget.LowImportance
	var open *widget.Button
	switch iv.State {
	case interview.StatePlanned:
		open = widget.NewButton(lang.X("home.open", "Open"), func() { l.s.showChecklist(iv.ID) })
	case interview.StateEnded:
		open = widget.NewButton(lang.X("home.review", "Review"), func() { l.s.showReview(iv.ID, -1) })
	default:
		detail.Importance = widget.WarningImportance
		open = widget.NewButton(lang.X("home.resume", "Resume"), func() { l.s.showChecklist(iv.ID) })
	}
	return container.NewBorder(nil, widget.NewSeparator(), nil, container.NewCenter(open), container.New(&tightVBox{}, title, detail))
}

func (l *library) showHits(q string, mode interview.Mode) {
	ctx, cancel := storeCtx()
	hits, err := l.s.deps.Search(ctx, q)
	cancel()
	if err != nil {
		l.results.Add(errorLabel(fmt.Errorf("%s %w", lang.X("library.error.search", "The search failed:"), err)))
		return
	}
	n := 0
	for _, h := range hits {
		if m, ok := l.modeOf(h.InterviewID); mode != "" && (!ok || m != mode) {
			continue
		}
		l.results.Add(l.hitRow(h))
		n++
	}
	if n == 0 {
		l.results.Add(quietLabel(lang.X("library.nohits", "Nothing found.")))
	}
}

func hitKindName(kind string) string {
	switch kind {
	case "note":
		return lang.X("review.note", "Note")
	case "question":
		return lang.X("library.kind.question", "Question")
	}
	return lang.X("library.kind.transcript", "Transcript")
}

// hitRow is one search hit: where it is and the snippet, the matched
// words in bold; tapping opens the Review there.
func (l *library) hitRow(h LibraryHit) fyne.CanvasObject {
	// Kind and time lead: on a narrow window the title is what is cut.
	where := hitKindName(h.Kind)
	if h.AtMs >= 0 {
		where += " " + interview.Stamp(h.AtMs)
	}
	title := h.Title
	if title == "" {
		title = lang.X("home.untitled", "Untitled interview")
	}
	where += " · " + title
	head := widget.NewLabelWithStyle(where, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	head.Truncation = fyne.TextTruncateEllipsis
	snippet := widget.NewRichText(snippetSegments(h.Snippet)...)
	snippet.Wrapping = fyne.TextWrapWord
	at := h.AtMs
	open := widget.NewButtonWithIcon("", theme.NavigateNextIcon(), func() { l.s.showReview(h.InterviewID, max(-1, at)) })
	open.Importance = widget.LowImportance
	return container.NewBorder(nil, widget.NewSeparator(), nil, container.NewCenter(open), container.NewVBox(head, snippet))
}

// snippetSegments turns "… the «queue» depth …" into text with the marked
// words bold and in the primary colour.
func snippetSegments(s string) []widget.RichTextSegment {
	var out []widget.RichTextSegment
	for s != "" {
		i := strings.Index(s, "«")
		if i < 0 {
			out = append(out, &widget.TextSegment{Style: widget.RichTextStyleInline, Text: s})
			break
		}
		if i > 0 {
			out = append(out, &widget.TextSegment{Style: widget.RichTextStyleInline, Text: s[:i]})
		}
		s = s[i+len("«"):]
		j := strings.Index(s, "»")
		if j < 0 {
			j = len(s)
		}
		out = append(out, &widget.TextSegment{Style: widget.RichTextStyle{Inline: true, TextStyle: fyne.TextStyle{Bold: true}, ColorName: theme.ColorNamePrimary}, Text: s[:j]})
		s = strings.TrimPrefix(s[j:], "»")
	}
	return out
}
