package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/sidenote-app/sidenote/app/interview"
)

// pointList shows the talking points to tick off, then the questions the
// user wants to ask the other side as their own group. Each tick is stored
// at once.
type pointList struct {
	l       *Live
	points  []interview.TalkingPoint
	content fyne.CanvasObject
	box     *fyne.Container
}

func newPointList(l *Live, ps []interview.TalkingPoint) *pointList {
	p := &pointList{l: l, points: ps, box: container.NewVBox()}
	p.content = container.NewVScroll(p.box)
	p.refresh()
	return p
}

func (p *pointList) refresh() {
	var objs []fyne.CanvasObject
	group := func(kind interview.PointKind, title string) {
		var rows []fyne.CanvasObject
		for i := range p.points {
			if p.points[i].Kind == kind {
				rows = append(rows, p.row(i))
			}
		}
		if len(rows) == 0 {
			return
		}
		objs = append(objs, widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		objs = append(objs, rows...)
	}
	group(interview.PointKindPoint, lang.X("points.title", "Talking points"))
	group(interview.PointKindQuestion, lang.X("points.ask", "Questions to ask them"))
	if len(objs) == 0 {
		empty := widget.NewLabel(lang.X("points.empty", "No talking points for this interview. Add them when you plan the next one."))
		empty.Wrapping = fyne.TextWrapWord
		empty.Importance = widget.LowImportance
		objs = append(objs, empty)
	}
	p.box.Objects = objs
	p.box.Refresh()
}

// row is a check box beside a wrapping label: widget.Check's own text
// does not wrap, and points are often longer than a narrow window.
func (p *pointList) row(i int) fyne.CanvasObject {
	pt := p.points[i]
	check := widget.NewCheck("", nil)
	check.Checked = pt.Checked
	label := newTapLabel(pt.Text, func() { check.SetChecked(!check.Checked) })
	label.Wrapping = fyne.TextWrapWord
	if pt.Checked {
		label.Importance = widget.LowImportance
	}
	id := pt.ID
	check.OnChanged = func(on bool) { p.setChecked(id, on) }
	return container.NewBorder(nil, nil, check, nil, label)
}

func (p *pointList) setChecked(id int64, on bool) {
	for i := range p.points {
		if p.points[i].ID != id || p.points[i].Checked == on {
			continue
		}
		c := p.points[i]
		c.Checked = on
		ctx, cancel := storeCtx()
		err := p.l.deps.Store.UpdatePoint(ctx, &c)
		cancel()
		if err != nil {
			p.l.showError(lang.X("points.error", "The tick was not saved."), err)
		} else {
			p.points[i] = c
		}
		p.refresh()
		return
	}
}
