package ui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sidenote-app/sidenote/app/interview"
)

// activityBins is how many columns the activity picture has: about one
// every 30 s of an hour, fine enough to see who held the floor.
const activityBins = 120

// review is the screen for one past interview: the activity picture, the
// timeline with playback and corrections, the scorecard, the talk
// statistics, export and delete.
type review struct {
	s   *shell
	b   *interview.Bundle
	pic *activityView

	entries []interview.Entry
	segRow  map[int]int // Bundle.Segments index → timeline row
	noteRow map[int]int
	qRow    map[int]int
	list    *wrapList
	current int // the row under the playhead; -1 for none

	search   *widget.Entry
	hits     []interview.SearchHit
	hit      int
	hitLabel *widget.Label

	editBox   *fyne.Container
	editLabel *widget.Label
	editEntry *widget.Entry
	editing   int // Bundle.Segments index being corrected; -1 for none

	play *playbackBar // nil without a recording or a player

	tabs     *container.AppTabs
	unbuilt  map[*container.TabItem]func() // tabs not yet chosen, and how to build them
	errLabel *widget.Label
	errBox   *fyne.Container
	content  fyne.CanvasObject
}

// showReview opens the Review of interview id, at atMs when it is not
// negative (a library search hit).
func (s *shell) showReview(id int64, atMs int64) {
	if s.deps.Store == nil {
		return
	}
	ctx, cancel := storeCtx()
	b, err := s.deps.Store.Load(ctx, id)
	cancel()
	if err != nil {
		s.showHome()
		s.home.showError(fmt.Errorf("%s %w", lang.X("home.error.load", "The interview could not be read:"), err))
		return
	}
	s.leave()
	r := newReview(s, b)
	s.rev = r
	s.win.SetContent(r.content)
	if atMs >= 0 {
		r.jump(atMs)
	}
}

func newReview(s *shell, b *interview.Bundle) *review {
	r := &review{s: s, b: b, current: -1, editing: -1}
	r.errLabel = widget.NewLabel("")
	r.errLabel.Wrapping = fyne.TextWrapWord
	r.errLabel.Importance = widget.DangerImportance
	r.errBox = container.NewVBox(r.errLabel)
	r.errBox.Hide()

	r.pic = newActivityView(interview.Activity(b, activityBins), r.jump)
	r.play = newPlaybackBar(r)

	top := []fyne.CanvasObject{r.header(), r.errBox, r.pic}
	if r.play != nil {
		top = append(top, r.play.content)
	}
	// The Timeline shows first; the other tabs are built when first
	// chosen, so a long interview's scorecard (every answer's text) does
	// not delay the screen.
	r.tabs = container.NewAppTabs(
		container.NewTabItem(lang.X("review.tab.timeline", "Timeline"), r.timeline()),
		r.lazyTab(lang.X("review.tab.scorecard", "Scorecard"), r.scorecard),
		r.lazyTab(lang.X("review.tab.stats", "Stats"), r.stats),
		r.lazyTab(lang.X("review.tab.export", "Export"), r.exportTab),
	)
	r.tabs.OnSelected = func(it *container.TabItem) {
		if build := r.unbuilt[it]; build != nil {
			delete(r.unbuilt, it)
			build()
		}
	}

	back := widget.NewButtonWithIcon(lang.X("nav.back", "Home"), theme.NavigateBackIcon(), s.showHome)
	back.Importance = widget.LowImportance
	heading := widget.NewLabelWithStyle(r.title(), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	heading.SizeName = theme.SizeNameSubHeadingText
	heading.Truncation = fyne.TextTruncateEllipsis
	bar := container.NewBorder(nil, nil, back, nil, heading)
	head := container.NewVBox(append([]fyne.CanvasObject{bar, widget.NewSeparator()}, top...)...)
	r.content = container.NewBorder(head, nil, nil, nil, r.tabs)
	return r
}

// lazyTab is a scrolled tab whose content build makes the first time it
// is chosen.
func (r *review) lazyTab(name string, build func() fyne.CanvasObject) *container.TabItem {
	pad := container.NewPadded()
	it := container.NewTabItem(name, container.NewVScroll(pad))
	if r.unbuilt == nil {
		r.unbuilt = map[*container.TabItem]func(){}
	}
	r.unbuilt[it] = func() {
		pad.Objects = []fyne.CanvasObject{build()}
		pad.Refresh()
	}
	return it
}

func (r *review) title() string {
	if r.b.Interview.Title == "" {
		return lang.X("home.untitled", "Untitled interview")
	}
	return r.b.Interview.Title
}

// header is the line under the title: the other person, when, how long
// and in which mode.
func (r *review) header() fyne.CanvasObject {
	iv := r.b.Interview
	parts := []string{modeName(iv.Mode)}
	if iv.OtherName != "" {
		parts = append(parts, iv.OtherName)
	}
	if when := iv.When(); !when.IsZero() {
		parts = append(parts, when.Local().Format("2006-01-02 15:04"))
	}
	parts = append(parts, durationText(interview.ReviewLengthMs(r.b)))
	l := widget.NewLabel(strings.Join(parts, " · "))
	l.Wrapping = fyne.TextWrapWord
	l.Importance = widget.LowImportance
	return l
}

func (r *review) showError(what string, err error) {
	r.s.log.Error(what, "err", err)
	r.errLabel.SetText(what + " " + err.Error())
	r.errBox.Show()
}

// jump goes to interview time atMs: the timeline scrolls to the entry at
// or before it, the picture moves its playhead and playback seeks.
func (r *review) jump(atMs int64) {
	r.tabs.SelectIndex(0)
	if row := r.rowAt(atMs); row >= 0 {
		r.list.ScrollTo(row)
	}
	r.pic.setPlayhead(atMs)
	if r.play != nil {
		r.play.seek(atMs)
	}
}

// rowAt is the last timeline row starting at or before atMs (the first
// row when atMs is before everything); -1 for an empty timeline.
func (r *review) rowAt(atMs int64) int {
	if len(r.entries) == 0 {
		return -1
	}
	i, _ := slices.BinarySearchFunc(r.entries, atMs+1, func(e interview.Entry, t int64) int {
		if e.AtMs < t {
			return -1
		}
		return 1
	})
	return max(0, i-1)
}

// playedTo follows the playhead: the picture moves and the transcript line
// being played is highlighted and kept in view.
func (r *review) playedTo(atMs int64) {
	r.pic.setPlayhead(atMs)
	row := -1
	for i := range r.b.Segments {
		sg := &r.b.Segments[i]
		if sg.StartMs > atMs {
			break
		}
		if atMs < sg.EndMs {
			row = r.segRow[i]
		}
	}
	if row == r.current {
		return
	}
	old := r.current
	r.current = row
	if old >= 0 {
		r.list.RefreshItem(old)
	}
	if row >= 0 {
		r.list.RefreshItem(row)
		r.list.ScrollTo(row)
	}
}

func (r *review) close() {
	if r.play != nil {
		r.play.close()
	}
}

// durationText is a length as "42 min" or "35 s".
func durationText(ms int64) string {
	d := time.Duration(ms) * time.Millisecond
	if d < time.Minute {
		return lang.X("review.seconds", "{{.N}} s", map[string]any{"N": int(d.Seconds())})
	}
	return lang.X("home.minutes", "{{.N}} min", map[string]any{"N": int(d.Round(time.Minute).Minutes())})
}

// activityView draws who spoke when: You's speech as bars above the
// middle line, Them's below, questions as full-height marks and notes as
// short ones from the top, and the playhead. A tap jumps to that time.
type activityView struct {
	widget.BaseWidget
	pic    interview.ActivityPicture
	playMs int64 // -1: no playhead
	onTap  func(atMs int64)
}

func newActivityView(pic interview.ActivityPicture, onTap func(int64)) *activityView {
	a := &activityView{pic: pic, playMs: -1, onTap: onTap}
	a.ExtendBaseWidget(a)
	return a
}

func (a *activityView) Tapped(e *fyne.PointEvent) {
	if w := a.Size().Width; w > 0 && a.onTap != nil {
		a.onTap(a.pic.TimeAt(float64(e.Position.X / w)))
	}
}

func (a *activityView) setPlayhead(atMs int64) {
	a.playMs = atMs
	a.Refresh()
}

func (a *activityView) CreateRenderer() fyne.WidgetRenderer {
	return &activityRenderer{a: a}
}

type activityRenderer struct {
	a    *activityView
	objs []fyne.CanvasObject
	size fyne.Size
}

func (r *activityRenderer) Layout(s fyne.Size) {
	r.size = s
	r.build()
}

func (r *activityRenderer) MinSize() fyne.Size { return fyne.NewSize(120, 56) }
func (r *activityRenderer) Refresh()           { r.build(); canvas.Refresh(r.a) }
func (r *activityRenderer) Objects() []fyne.CanvasObject {
	return r.objs
}
func (r *activityRenderer) Destroy() {}

// build draws the picture at the current size; a few hundred rectangles,
// redrawn only on a resize or a playhead move.
func (r *activityRenderer) build() {
	th := r.a.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	col := func(n fyne.ThemeColorName) fyne.ThemeColorName { return n }
	rect := func(n fyne.ThemeColorName, x, y, w, h float32) {
		c := canvas.NewRectangle(th.Color(col(n), v))
		c.Move(fyne.NewPos(x, y))
		c.Resize(fyne.NewSize(w, h))
		r.objs = append(r.objs, c)
	}
	r.objs = r.objs[:0]
	W, H := r.size.Width, r.size.Height
	if W <= 0 || H <= 0 {
		return
	}
	rect(theme.ColorNameInputBackground, 0, 0, W, H)
	mid := H / 2
	half := mid - 2
	p := &r.a.pic
	n := len(p.Bins)
	for i, bin := range p.Bins {
		x := W * float32(i) / float32(n)
		w := max(1, W/float32(n)-1)
		if h := float32(max(bin.You, bin.Unknown)) * half; h > 0 {
			name := theme.ColorNamePrimary
			if bin.Unknown > bin.You {
				name = theme.ColorNameForeground
			}
			rect(name, x, mid-h, w, h)
		}
		if h := float32(bin.Them) * half; h > 0 {
			rect(theme.ColorNameSuccess, x, mid, w, h)
		}
	}
	rect(theme.ColorNameSeparator, 0, mid, W, 1)
	for _, m := range p.Markers {
		x := W * float32(m.X)
		if m.Kind == interview.MarkerQuestion {
			rect(theme.ColorNameWarning, x, 0, 2, H)
		} else {
			rect(theme.ColorNameForeground, x, 0, 1, H/4)
		}
	}
	if r.a.playMs >= 0 {
		rect(theme.ColorNameError, W*float32(p.X(r.a.playMs)), 0, 2, H)
	}
}
