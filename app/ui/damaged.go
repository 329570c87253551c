package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// NewDamagedWindow is what the window shows instead of Home when the
// library file cannot be opened (damaged, or not a Sidenote database):
// what is wrong, where the file is, and a way on that loses nothing.
// startFresh moves the file aside (it is kept, never deleted), opens a new
// empty library and shows the main window; it returns where the old file
// now is.
func NewDamagedWindow(a fyne.App, path string, cause error, startFresh func() (movedTo string, err error)) fyne.Window {
	applyPrefs(a)
	RegisterTranslations()
	w := a.NewWindow(lang.X("damaged.window", "Sidenote — library problem"))
	d := &damaged{win: w, startFresh: startFresh}
	title := widget.NewLabelWithStyle(lang.X("damaged.title", "Your interview library could not be opened"),
		fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.Wrapping = fyne.TextWrapWord
	what := widget.NewLabel(cause.Error())
	what.Wrapping = fyne.TextWrapWord
	where := widget.NewLabel(lang.X("damaged.where", "The file: {{.Path}}", map[string]any{"Path": path}))
	where.Wrapping = fyne.TextWrapWord
	advice := widget.NewLabel(lang.X("damaged.advice",
		"You can restore the file from a backup and open Sidenote again, or move it aside and start with an empty library. Moving keeps the old file: nothing is deleted."))
	advice.Wrapping = fyne.TextWrapWord
	d.status = widget.NewLabel("")
	d.status.Wrapping = fyne.TextWrapWord
	d.status.Hide()
	d.fresh = widget.NewButton(lang.X("damaged.fresh", "Move it aside and start fresh"), d.moveAside)
	d.fresh.Importance = widget.HighImportance
	d.quit = widget.NewButton(lang.X("damaged.quit", "Quit"), w.Close)
	w.SetContent(container.NewPadded(container.NewVBox(title, what, where, advice, d.status,
		container.NewHBox(d.fresh, d.quit))))
	w.Resize(fyne.NewSize(420, 320))
	return w
}

type damaged struct {
	win         fyne.Window
	startFresh  func() (string, error)
	status      *widget.Label
	fresh, quit *widget.Button
}

func (d *damaged) moveAside() {
	moved, err := d.startFresh()
	if err != nil {
		d.status.SetText(lang.X("damaged.error", "That did not work: {{.Err}}", map[string]any{"Err": err.Error()}))
		d.status.Importance = widget.DangerImportance
		d.status.Show()
		return
	}
	d.status.SetText(lang.X("damaged.moved", "The old file is kept as {{.Path}}. A new, empty library is open in the Sidenote window.", map[string]any{"Path": moved}))
	d.status.Importance = widget.SuccessImportance
	d.status.Show()
	d.fresh.Disable()
	d.quit.SetText(lang.X("damaged.close", "Close"))
}
