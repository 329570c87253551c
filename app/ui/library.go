package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sidenote-app/sidenote/app/interview"
)

// library lists every interview, newest first, narrowed by mode, date,
// template and tag; typing in its search box searches the notes,
// transcripts and questions of the interviews those filters leave, and a
// hit opens the Review at that moment.
//
// Every query runs off the UI goroutine: a search over a large library can
// take a few hundred milliseconds for the commonest words, and typing must
// never wait for it. Typing waits librarySearchDelay for a pause before it
// asks; each new question cancels the one before, and only the newest
// answer is shown (the results stay as they were until it arrives).
type library struct {
	s   *shell
	src LibrarySource

	modes    []interview.Mode // "" is every mode
	mode     *widget.Select
	when     *widget.Select
	from, to *widget.DateEntry
	rangeBox *fyne.Container
	tmpl     *widget.Select
	tmplIDs  []int64 // tmpl's options after "Any template"
	tag      *widget.Select
	tags     []string // tag's options after "Any tag"
	search   *widget.Entry

	count *widget.Label // "12 interviews", "3 hits"
	// results shows one of: the interviews (a List, one row each, built
	// only for the rows on screen, so a library of thousands opens at
	// once), the hits (rows as tall as their snippets), or a message.
	results    *fyne.Container
	ivList     *widget.List
	hitList    *wrapList
	message    *widget.Label
	messageBox *fyne.Container       // the message, top-aligned
	interviews []interview.Interview // what ivList shows
	hits       []LibraryHit          // what hitList shows
	// compareBtn opens Compare; enabled once some template has two
	// interviews to compare.
	compareBtn *widget.Button
	notice     *widget.Label // a message from the screen left, e.g. an import cancelled
	content    fyne.CanvasObject

	ready   bool // built: the menus' callbacks may query
	choices bool // the template and tag menus are filled
	asked   int  // the newest query's number
	shown   int  // the number of the query whose answer is showing
	cancel  context.CancelFunc
	timer   *time.Timer
}

// librarySearchMin is the shortest query searched: one letter would match
// half the library.
const librarySearchMin = 2

// librarySearchDelay is how long typing must pause before the library is
// searched: long enough to skip the words on the way, short enough to
// feel immediate. A variable so benchmarks can measure the search alone.
var librarySearchDelay = 180 * time.Millisecond

// datePresets are the date filter's choices; days < 0 is "Between dates…".
var datePresets = []struct {
	name func() string
	days int
}{
	{func() string { return lang.X("library.when.any", "Any time") }, 0},
	{func() string { return lang.X("library.when.week", "Past 7 days") }, 7},
	{func() string { return lang.X("library.when.month", "Past 30 days") }, 30},
	{func() string { return lang.X("library.when.year", "Past 12 months") }, 365},
	{func() string { return lang.X("library.when.range", "Between dates…") }, -1},
}

func (s *shell) showLibrary() {
	s.leave()
	l := &library{s: s, src: s.deps.Library, modes: []interview.Mode{"", interview.ModeInterviewer, interview.ModeCandidate, interview.ModePractice}}
	l.search = widget.NewEntry()
	l.search.SetPlaceHolder(lang.X("library.search", "Search all interviews"))
	l.search.OnChanged = func(string) { l.ask(librarySearchDelay) }
	l.search.OnSubmitted = func(string) { l.ask(0) }
	l.count = widget.NewLabel("")
	l.count.SizeName = theme.SizeNameCaptionText
	l.ivList = widget.NewList(func() int { return len(l.interviews) }, newLibraryRow, l.fillInterview)
	l.ivList.OnSelected = func(id widget.ListItemID) {
		l.ivList.Unselect(id)
		if id < len(l.interviews) {
			l.openInterview(l.interviews[id])
		}
	}
	l.hitList = newWrapList(func() int { return len(l.hits) }, newLibraryRow, l.fillHit)
	// The probe that measures rows needs no layout; rows on screen do.
	l.hitList.UpdateItem = func(id widget.ListItemID, o fyne.CanvasObject) {
		l.fillHit(id, o)
		relayout(o)
	}
	l.hitList.OnSelected = func(id widget.ListItemID) {
		l.hitList.Unselect(id)
		if id < len(l.hits) {
			l.openHit(l.hits[id])
		}
	}
	l.message = widget.NewLabel("")
	l.message.Wrapping = fyne.TextWrapWord
	l.messageBox = container.NewVBox(l.message)
	l.results = container.NewStack(l.ivList, l.hitList, l.messageBox)
	l.showOnly(nil)

	l.compareBtn = widget.NewButtonWithIcon(lang.X("library.compare", "Compare"), theme.ViewRestoreIcon(), func() { s.showCompare(0) })
	l.compareBtn.Disable()
	actions := container.NewHBox(l.compareBtn)
	if s.deps.ImportRecording != nil {
		actions.Add(widget.NewButtonWithIcon(lang.X("library.import", "Import a recording"), theme.UploadIcon(), s.showImport))
	}
	l.notice = widget.NewLabel("")
	l.notice.Wrapping = fyne.TextWrapWord
	l.notice.Importance = widget.SuccessImportance
	l.notice.Hide()

	top := container.NewVBox(l.notice, l.search, l.filters(), l.rangeBox, actions, l.count)
	body := container.NewPadded(container.NewBorder(top, nil, nil, nil, l.results))
	l.content = s.frameFixed(lang.X("nav.back", "Home"), s.showHome, lang.X("library.title", "Library"), body, nil)
	s.lib = l
	s.win.SetContent(l.content)
	if l.src == nil {
		l.search.Disable()
		l.tell(lang.X("library.unavailable", "The library cannot be read without the interview store."), widget.LowImportance)
		return
	}
	l.ready = true
	l.ask(0)
	l.loadChoices()
}

// filters builds the four filter menus, two by two so they fit a window
// beside a video call. Template and tag menus are filled by loadChoices.
func (l *library) filters() fyne.CanvasObject {
	names := []string{lang.X("library.mode.all", "All modes")}
	for _, m := range l.modes[1:] {
		names = append(names, modeName(m))
	}
	l.mode = widget.NewSelect(names, func(string) { l.ask(0) })
	l.mode.SetSelectedIndex(0)

	var whens []string
	for _, p := range datePresets {
		whens = append(whens, p.name())
	}
	l.from, l.to = widget.NewDateEntry(), widget.NewDateEntry()
	l.from.SetPlaceHolder(lang.X("library.when.from", "From"))
	l.to.SetPlaceHolder(lang.X("library.when.to", "To"))
	l.from.OnChanged = func(*time.Time) { l.ask(0) }
	l.to.OnChanged = func(*time.Time) { l.ask(0) }
	l.rangeBox = container.NewGridWithColumns(2, l.from, l.to)
	l.rangeBox.Hide()
	l.when = widget.NewSelect(whens, func(string) {
		if datePresets[max(0, l.when.SelectedIndex())].days < 0 {
			l.rangeBox.Show()
		} else {
			l.rangeBox.Hide()
		}
		l.ask(0)
	})
	l.when.SetSelectedIndex(0)

	l.tmpl = widget.NewSelect([]string{lang.X("library.template.all", "Any template")}, func(string) { l.ask(0) })
	l.tmpl.SetSelectedIndex(0)
	l.tag = widget.NewSelect([]string{lang.X("library.tag.all", "Any tag")}, func(string) { l.ask(0) })
	l.tag.SetSelectedIndex(0)
	return container.NewGridWithColumns(2, l.mode, l.when, l.tmpl, l.tag)
}

// loadChoices fills the template and tag menus off the UI goroutine; a
// menu with nothing to choose stays disabled.
func (l *library) loadChoices() {
	l.tmpl.Disable()
	l.tag.Disable()
	go func() {
		ctx, cancel := storeCtx()
		defer cancel()
		var tmpls []interview.Template
		var terr error
		if l.s.deps.Store != nil {
			tmpls, terr = l.s.deps.Store.Templates(ctx)
		}
		tags, gerr := l.src.Tags(ctx)
		onUI(func() {
			if l.s.lib != l {
				return
			}
			if terr != nil || gerr != nil {
				l.s.log.Error("library filters", "templates", terr, "tags", gerr)
			}
			names := []string{lang.X("library.template.all", "Any template")}
			l.tmplIDs = nil
			for _, t := range tmpls {
				names = append(names, t.Name)
				l.tmplIDs = append(l.tmplIDs, t.ID)
			}
			l.tmpl.SetOptions(names)
			if len(l.tmplIDs) > 0 {
				l.tmpl.Enable()
			}
			names = []string{lang.X("library.tag.all", "Any tag")}
			l.tags = nil
			for _, t := range tags {
				names = append(names, fmt.Sprintf("#%s (%d)", t.Tag, t.Interviews))
				l.tags = append(l.tags, t.Tag)
			}
			l.tag.SetOptions(names)
			if len(l.tags) > 0 {
				l.tag.Enable()
			}
			l.choices = true
		})
	}()
}

// filter is what the menus say now, in the store's terms.
func (l *library) filter() LibraryFilter {
	f := LibraryFilter{Mode: l.modes[max(0, l.mode.SelectedIndex())]}
	if i := l.tmpl.SelectedIndex(); i > 0 && i <= len(l.tmplIDs) {
		f.TemplateID = l.tmplIDs[i-1]
	}
	if i := l.tag.SelectedIndex(); i > 0 && i <= len(l.tags) {
		f.Tag = l.tags[i-1]
	}
	now := l.s.now()
	switch p := datePresets[max(0, l.when.SelectedIndex())]; {
	case p.days > 0:
		f.Since, f.Until = now.AddDate(0, 0, -p.days), now
	case p.days < 0:
		// Whole local days, both ends included; either may be left empty.
		if d := l.from.Date; d != nil {
			f.Since = time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.Local)
		}
		if d := l.to.Date; d != nil {
			f.Until = time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, time.Local)
		}
	}
	return f
}

// libraryAnswer is what one query found: interviews or search hits.
type libraryAnswer struct {
	query      string // "" for the list
	filter     LibraryFilter
	interviews []interview.Interview
	hits       []LibraryHit
	err        error
}

// ask runs the query the search box and the menus make, after delay, off
// the UI goroutine; a newer ask supersedes it.
func (l *library) ask(delay time.Duration) {
	if !l.ready {
		return // still being built
	}
	l.stop()
	l.asked++
	n := l.asked
	q, f := strings.TrimSpace(l.search.Text), l.filter()
	if len([]rune(q)) < librarySearchMin {
		q = ""
	}
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	l.cancel = cancel
	run := func() {
		a := libraryAnswer{query: q, filter: f}
		if q == "" {
			a.interviews, a.err = l.src.Interviews(ctx, f)
		} else {
			a.hits, a.err = l.src.Search(ctx, q, f)
		}
		if ctx.Err() != nil {
			return // superseded or left; nobody waits for it
		}
		onUI(func() {
			if l.s.lib == l && n == l.asked {
				l.show(a)
				l.shown = n
			}
		})
	}
	if delay <= 0 {
		go run()
		return
	}
	l.timer = time.AfterFunc(delay, run)
}

// settled reports whether the newest query's answer is showing and the
// menus are filled.
func (l *library) settled() bool { return l.shown == l.asked && l.choices }

// stop cancels the query in flight or waiting for a pause in typing.
func (l *library) stop() {
	if l.timer != nil {
		l.timer.Stop()
		l.timer = nil
	}
	if l.cancel != nil {
		l.cancel()
		l.cancel = nil
	}
}

// close is called when another screen replaces the Library.
func (l *library) close() { l.stop() }

// say shows msg above the list.
func (l *library) say(msg string) {
	l.notice.SetText(msg)
	l.notice.Show()
	l.content.Refresh()
}

func errorLabel(err error) *widget.Label {
	e := widget.NewLabel(err.Error())
	e.Wrapping = fyne.TextWrapWord
	e.Importance = widget.DangerImportance
	return e
}

// showOnly shows o (ivList, hitList or messageBox) in the results.
func (l *library) showOnly(o fyne.CanvasObject) {
	for _, c := range []fyne.CanvasObject{l.ivList, l.hitList, l.messageBox} {
		if c == o {
			c.Show()
		} else {
			c.Hide()
		}
	}
}

// tell shows msg in place of the results.
func (l *library) tell(msg string, imp widget.Importance) {
	l.message.SetText(msg)
	l.message.Importance = imp
	l.message.Refresh()
	l.showOnly(l.messageBox)
}

// show replaces the results with a.
func (l *library) show(a libraryAnswer) {
	if a.err != nil {
		what := lang.X("home.error.list", "The interviews could not be read:")
		if a.query != "" {
			what = lang.X("library.error.search", "The search failed:")
		}
		l.count.SetText("")
		l.tell(fmt.Sprintf("%s %v", what, a.err), widget.DangerImportance)
		l.s.log.Error("library", "query", a.query, "err", a.err)
		return
	}
	if a.query != "" {
		switch n := len(a.hits); {
		case n > LibraryHitLimit:
			a.hits = a.hits[:LibraryHitLimit]
			l.count.SetText(lang.X("library.hits.more", "The best {{.N}} hits; more words or a filter narrow them", map[string]any{"N": LibraryHitLimit}))
		case n == 1:
			l.count.SetText(lang.X("library.hits.one", "1 hit"))
		default:
			l.count.SetText(lang.X("library.hits", "{{.N}} hits", map[string]any{"N": n}))
		}
		l.hits = a.hits
		if len(a.hits) == 0 {
			l.tell(lang.X("library.nohits", "Nothing found."), widget.LowImportance)
			return
		}
		l.hitList.measureFrom(0)
		l.hitList.ScrollToTop()
		l.hitList.Refresh()
		l.showOnly(l.hitList)
		return
	}
	if a.filter == (LibraryFilter{}) {
		// The whole library: what Compare can offer.
		l.compareBtn.Disable()
		for _, n := range compareCounts(a.interviews) {
			if n >= 2 {
				l.compareBtn.Enable()
			}
		}
	}
	l.count.SetText(lang.X("library.count", "{{.N}} interviews", map[string]any{"N": len(a.interviews)}))
	if len(a.interviews) == 1 {
		l.count.SetText(lang.X("library.count.one", "1 interview"))
	}
	l.interviews = a.interviews
	if len(a.interviews) == 0 {
		l.tell(lang.X("library.none", "No interviews."), widget.LowImportance)
		return
	}
	l.ivList.ScrollToTop()
	l.ivList.Refresh()
	l.showOnly(l.ivList)
}

// rows is how many rows the results show.
func (l *library) rows() int {
	switch {
	case l.ivList.Visible():
		return len(l.interviews)
	case l.hitList.Visible():
		return len(l.hits)
	}
	return 0
}

// newLibraryRow is the row both lists use: a bold line, a second line
// (an interview's details, or a hit's snippet with the matched words
// marked) and the row's buttons on the right.
func newLibraryRow() fyne.CanvasObject {
	head := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	head.Truncation = fyne.TextTruncateEllipsis
	detail := widget.NewLabel("")
	detail.Truncation = fyne.TextTruncateEllipsis
	detail.SizeName = theme.SizeNameCaptionText
	snippet := widget.NewRichText()
	snippet.Wrapping = fyne.TextWrapWord
	snippet.Hide() // the interview list's rows, which take their height from this one, have none
	actions := container.NewHBox()
	return container.NewBorder(nil, nil, nil, container.NewCenter(actions), container.New(&tightVBox{}, head, detail, snippet))
}

// libraryRowParts takes a row from newLibraryRow apart.
func libraryRowParts(o fyne.CanvasObject) (head, detail *widget.Label, snippet *widget.RichText, actions *fyne.Container) {
	row := o.(*fyne.Container)
	text := row.Objects[0].(*fyne.Container)
	actions = row.Objects[1].(*fyne.Container).Objects[0].(*fyne.Container)
	return text.Objects[0].(*widget.Label), text.Objects[1].(*widget.Label), text.Objects[2].(*widget.RichText), actions
}

// relayout lays a filled row out again: its lines and buttons change, its
// size may not, and a container keeping its size keeps its old layout.
func relayout(o fyne.CanvasObject) {
	row := o.(*fyne.Container)
	for _, c := range row.Objects {
		c.(*fyne.Container).Refresh()
	}
	row.Objects[1].(*fyne.Container).Objects[0].Refresh()
	row.Refresh()
}

// fillInterview is Home's row with the length and state added, opening
// the Review for anything that has started.
func (l *library) fillInterview(id widget.ListItemID, o fyne.CanvasObject) {
	if id >= len(l.interviews) {
		return
	}
	iv := l.interviews[id]
	head, detail, snippet, actions := libraryRowParts(o)
	snippet.Hide()
	detail.Show()
	head.SetText(iv.Title)
	if iv.Title == "" {
		head.SetText(lang.X("home.untitled", "Untitled interview"))
	}
	line := interviewLine(iv)
	if iv.State == interview.StateEnded {
		if ran := iv.RanFor(); ran >= time.Second {
			line += " · " + durationText(ran.Milliseconds())
		}
		line += " · " + lang.X("library.state.ended", "Ended")
	}
	detail.Importance = widget.LowImportance
	switch iv.State {
	case interview.StatePlanned:
		actions.Objects = []fyne.CanvasObject{widget.NewButton(lang.X("home.open", "Open"), func() { l.openInterview(iv) })}
	case interview.StateEnded:
		actions.Objects = []fyne.CanvasObject{widget.NewButton(lang.X("home.review", "Review"), func() { l.openInterview(iv) })}
	default: // interrupted; live or paused only if another process runs it
		detail.Importance = widget.WarningImportance
		if text, ok := l.s.liveElsewhere(iv); ok {
			detail.SetText(text)
			actions.Objects = nil
			break
		}
		resume := widget.NewButton(lang.X("home.resume", "Resume"), func() { l.s.showChecklist(iv.ID) })
		resume.Importance = widget.HighImportance
		end := widget.NewButton(lang.X("home.end", "End"), func() {
			l.s.confirmEnd(iv, func(err error) {
				if err != nil {
					l.say(err.Error())
					return
				}
				l.ask(0)
			})
		})
		actions.Objects = []fyne.CanvasObject{resume, end}
	}
	detail.SetText(line) // refreshes with the importance set
	relayout(o)
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

// fillHit is one search hit: where it is and the snippet, the matched
// words in bold; tapping it opens the Review there. A row on screen must
// be laid out again after (relayout).
func (l *library) fillHit(id int, o fyne.CanvasObject) {
	if id >= len(l.hits) {
		return
	}
	h := l.hits[id]
	head, detail, snippet, actions := libraryRowParts(o)
	detail.Hide()
	snippet.Show()
	// Kind and time lead: on a narrow window the title is what is cut.
	where := hitKindName(h.Kind)
	if h.AtMs >= 0 {
		where += " " + interview.Stamp(h.AtMs)
	}
	title := h.Title
	if title == "" {
		title = lang.X("home.untitled", "Untitled interview")
	}
	head.SetText(where + " · " + title)
	snippet.Segments = snippetSegments(h.Snippet)
	snippet.Refresh()
	open := widget.NewButtonWithIcon("", theme.NavigateNextIcon(), func() { l.openHit(h) })
	open.Importance = widget.LowImportance
	actions.Objects = []fyne.CanvasObject{open}
}

// openInterview is a tap on an interview's row: what its first button
// does, except for an interrupted interview, whose Resume goes live and so
// wants its own click.
func (l *library) openInterview(iv interview.Interview) {
	switch iv.State {
	case interview.StatePlanned:
		l.s.showChecklist(iv.ID)
	case interview.StateEnded:
		l.s.showReview(iv.ID, -1)
	}
}

// openHit opens the Review at the hit.
func (l *library) openHit(h LibraryHit) { l.s.showReview(h.InterviewID, max(-1, h.AtMs)) }

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
