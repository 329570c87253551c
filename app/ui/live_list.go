package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// wrapList is a widget.List whose rows are wrapped text of different
// heights. Fyne's List gives every row the template's height unless told
// otherwise, so wrapList measures each row at the list's width with one
// off-screen probe row and sets the heights — for new or changed rows as
// they come, and for all of them when the width changes. The List still
// creates only the rows on screen, so an hour of transcript costs a few
// dozen widgets.
type wrapList struct {
	widget.List
	probe   fyne.CanvasObject
	fill    func(id int, row fyne.CanvasObject)
	heights []float32
	width   float32
	// keepEnd keeps the last row in view across a resize when it was in
	// view before (and on the first layout): notes and transcript grow at
	// the bottom.
	keepEnd bool
	// batching holds the list's refreshes while many heights are set:
	// List.SetItemHeight refreshes every visible row each time, so
	// measuring n rows of a list on screen would cost n full refreshes.
	batching, held bool
}

// CreateRenderer wraps List's renderer so refreshes can be batched.
func (l *wrapList) CreateRenderer() fyne.WidgetRenderer {
	return &batchRenderer{WidgetRenderer: l.List.CreateRenderer(), l: l}
}

// batchRenderer is List's renderer, refreshed once after a batch.
type batchRenderer struct {
	fyne.WidgetRenderer
	l *wrapList
}

func (r *batchRenderer) Refresh() {
	if r.l.batching {
		r.l.held = true
		return
	}
	r.WidgetRenderer.Refresh()
}

func newWrapList(length func() int, create func() fyne.CanvasObject, fill func(id int, row fyne.CanvasObject)) *wrapList {
	l := &wrapList{fill: fill, probe: create()}
	l.Length = length
	l.CreateItem = create
	l.UpdateItem = func(id widget.ListItemID, o fyne.CanvasObject) { fill(id, o) }
	l.ExtendBaseWidget(l)
	return l
}

// Resize re-measures every row when the width changes.
func (l *wrapList) Resize(s fyne.Size) {
	if s == l.Size() {
		return
	}
	stick := l.keepEnd && (l.width == 0 || l.atEnd())
	if s.Width != l.width {
		l.width = s.Width
		l.heights = l.heights[:0]
		l.measureFrom(0)
	}
	l.List.Resize(s)
	if stick {
		l.ScrollToBottom()
	}
}

// measureFrom re-measures the rows from id on (appended or changed rows;
// rows past the end are forgotten).
func (l *wrapList) measureFrom(id int) {
	if id < len(l.heights) {
		l.heights = l.heights[:id]
	}
	if l.width <= 0 {
		return
	}
	l.batching = true
	for i, n := len(l.heights), l.Length(); i < n; i++ {
		h := l.measure(i)
		l.heights = append(l.heights, h)
		l.SetItemHeight(i, h)
	}
	l.batching = false
	if l.held {
		l.held = false
		l.List.Refresh()
	}
}

// remeasure measures one row again after its content changed.
func (l *wrapList) remeasure(id int) {
	if id >= len(l.heights) || l.width <= 0 {
		l.measureFrom(min(id, len(l.heights)))
		return
	}
	h := l.measure(id)
	l.heights[id] = h
	l.SetItemHeight(id, h)
}

func (l *wrapList) measure(id int) float32 {
	l.fill(id, l.probe)
	l.probe.Resize(fyne.NewSize(l.width, l.probe.MinSize().Height))
	return l.probe.MinSize().Height
}

// contentHeight is the height of all rows with the separators between.
func (l *wrapList) contentHeight() float32 {
	pad := l.Theme().Size(theme.SizeNamePadding)
	var h float32
	for _, r := range l.heights {
		h += r + pad
	}
	return max(0, h-pad)
}

// atEnd reports whether the last row is in view (or everything fits).
func (l *wrapList) atEnd() bool {
	over := l.contentHeight() - l.Size().Height
	return over <= 0 || l.GetScrollOffset() >= over-4
}
