package ui

import (
	"runtime"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sidenote-app/sidenote/app/interview"
)

// shortcut is one key of the Live screen.
type shortcut struct {
	id    string
	key   fyne.KeyName
	mod   fyne.KeyModifier
	label string // what it does, in the interface language
	run   func()
}

func (s *shortcut) desktop() *desktop.CustomShortcut {
	return &desktop.CustomShortcut{KeyName: s.key, Modifier: s.mod}
}

// shortcutTable holds every shortcut of the Live screen, in the order the
// shortcuts sheet lists them.
type shortcutTable struct {
	list   []*shortcut
	byName map[string]*shortcut
	byID   map[string]*shortcut
}

// ctrl is Ctrl, or Command on macOS.
const ctrl = fyne.KeyModifierShortcutDefault

func newShortcutTable() *shortcutTable {
	t := &shortcutTable{byName: map[string]*shortcut{}, byID: map[string]*shortcut{}}
	t.add("notepad", fyne.KeyN, ctrl, lang.X("keys.notepad", "Write a note"))
	t.add("next", fyne.KeyJ, ctrl, lang.X("keys.next", "Next question"))
	t.add("asked", fyne.KeyReturn, ctrl, lang.X("keys.asked", "Mark the question asked"))
	t.add("skip", fyne.KeyK, ctrl, lang.X("keys.skip", "Skip the question"))
	for r := interview.MinRating; r <= interview.MaxRating; r++ {
		t.add(ratingID(r), fyne.KeyName(string(rune('0'+r))), fyne.KeyModifierAlt,
			lang.X("keys.rate", "Rate the question {{.N}}", map[string]any{"N": r}))
	}
	t.add(ratingID(0), fyne.Key0, fyne.KeyModifierAlt, lang.X("keys.rate.clear", "Clear the rating"))
	tagNames := []string{
		lang.X("tag.strength", "Strength"), lang.X("tag.concern", "Concern"),
		lang.X("tag.follow-up", "Follow-up"), lang.X("tag.highlight", "Highlight"),
	}
	for i, tag := range interview.OneKeyTags() {
		t.add("tag:"+tag, fyne.KeyName(string(rune('1'+i))), ctrl,
			lang.X("keys.tag", "Tag the note: {{.Tag}}", map[string]any{"Tag": tagNames[i]}))
	}
	t.add("snooze", fyne.KeyE, ctrl, lang.X("keys.snooze", "Snooze the eye-contact reminder"))
	t.add("pause", fyne.KeyP, ctrl, lang.X("keys.pause", "Pause or resume"))
	t.add("latest", fyne.KeyL, ctrl, lang.X("keys.latest", "Transcript: jump to latest"))
	t.add("sheet", fyne.KeySlash, ctrl, lang.X("keys.sheet", "Show these shortcuts"))
	return t
}

func ratingID(r int) string { return "rate:" + string(rune('0'+r)) }

func (t *shortcutTable) add(id string, key fyne.KeyName, mod fyne.KeyModifier, label string) {
	s := &shortcut{id: id, key: key, mod: mod, label: label}
	t.list = append(t.list, s)
	t.byID[id] = s
	t.byName[s.desktop().ShortcutName()] = s
	if key == fyne.KeyReturn { // the keypad's Enter too
		t.byName[(&desktop.CustomShortcut{KeyName: fyne.KeyEnter, Modifier: mod}).ShortcutName()] = s
	}
}

// on sets what a shortcut does.
func (t *shortcutTable) on(id string, run func()) { t.byID[id].run = run }

// run performs the shortcut if it is one of ours.
func (t *shortcutTable) run(sc fyne.Shortcut) bool {
	s, ok := t.byName[sc.ShortcutName()]
	if !ok || s.run == nil {
		return false
	}
	s.run()
	return true
}

// register adds every shortcut to the canvas, for when no entry has focus.
func (t *shortcutTable) register(c fyne.Canvas) {
	for _, s := range t.list {
		c.AddShortcut(s.desktop(), func(sc fyne.Shortcut) { t.run(sc) })
	}
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyEnter, Modifier: ctrl}, func(sc fyne.Shortcut) { t.run(sc) })
}

// keys spells the shortcut as the user presses it.
func (t *shortcutTable) keys(id string) string {
	s := t.byID[id]
	if s == nil {
		return ""
	}
	var b strings.Builder
	mod := s.mod
	if mod&fyne.KeyModifierShortcutDefault != 0 && runtime.GOOS == "darwin" {
		b.WriteString("⌘")
	} else if mod&fyne.KeyModifierControl != 0 {
		b.WriteString(lang.X("keys.ctrl", "Ctrl") + "+")
	}
	if mod&fyne.KeyModifierAlt != 0 {
		if runtime.GOOS == "darwin" {
			b.WriteString("⌥")
		} else {
			b.WriteString("Alt+")
		}
	}
	switch s.key {
	case fyne.KeyReturn:
		b.WriteString(lang.X("keys.enter", "Enter"))
	default:
		b.WriteString(string(s.key))
	}
	return b.String()
}

// hintFor is a tooltip: text followed by the shortcut's keys.
func (t *shortcutTable) hintFor(id, text string) string {
	if k := t.keys(id); k != "" {
		return text + " (" + k + ")"
	}
	return text
}

// bindShortcuts says what each key does.
func (l *Live) bindShortcuts() {
	t := l.keys
	t.on("notepad", l.FocusNotepad)
	t.on("next", l.queue.next)
	t.on("asked", l.queue.markAsked)
	t.on("skip", l.queue.skip)
	for r := 0; r <= interview.MaxRating; r++ {
		t.on(ratingID(r), func() { l.queue.rate(r) })
	}
	for _, tag := range interview.OneKeyTags() {
		t.on("tag:"+tag, func() { l.notepad.toggleTag(tag) })
	}
	t.on("snooze", l.snoozeReminder)
	t.on("pause", l.togglePause)
	t.on("latest", func() {
		l.tabs.Select(l.tabFor(l.script.content))
		l.script.jumpToLatest()
	})
	t.on("sheet", l.showShortcuts)
}

func (l *Live) tabFor(content fyne.CanvasObject) *container.TabItem {
	for _, it := range l.tabs.Items {
		if it.Content == content {
			return it
		}
	}
	return l.tabs.Selected()
}

// showShortcuts opens the shortcuts sheet.
func (l *Live) showShortcuts() {
	grid := container.NewGridWithColumns(2)
	for _, s := range l.keys.list {
		k := widget.NewLabelWithStyle(l.keys.keys(s.id), fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
		d := widget.NewLabel(s.label)
		d.Wrapping = fyne.TextWrapWord
		grid.Add(k)
		grid.Add(d)
	}
	grid.Add(widget.NewLabelWithStyle(lang.X("keys.enter", "Enter"), fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}))
	enter := widget.NewLabel(lang.X("keys.enter.note", "Save the note (in the note box)"))
	enter.Wrapping = fyne.TextWrapWord
	grid.Add(enter)
	scroll := container.NewVScroll(grid)
	size := l.win.Canvas().Size()
	scroll.SetMinSize(fyne.NewSize(min(size.Width-60, 460), min(size.Height-160, 520)))
	dialog.ShowCustom(lang.X("keys.title", "Keyboard shortcuts"), lang.X("live.summary.close", "Close"), scroll, l.win)
}

// liveEntry is an Entry that lets the Live screen's shortcuts through. A
// focused Entry receives every shortcut and silently drops the ones it
// does not know, so without this Ctrl+J would do nothing while a note is
// being typed — which is exactly when the user presses it.
type liveEntry struct {
	widget.Entry
	keys        *shortcutTable
	onFocusLost func()
	onEscape    func()
}

func newLiveEntry(keys *shortcutTable) *liveEntry {
	e := &liveEntry{keys: keys}
	e.ExtendBaseWidget(e)
	return e
}

func (e *liveEntry) TypedShortcut(s fyne.Shortcut) {
	if e.keys != nil && e.keys.run(s) {
		return
	}
	e.Entry.TypedShortcut(s)
}

func (e *liveEntry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape && e.onEscape != nil {
		e.onEscape()
		return
	}
	e.Entry.TypedKey(k)
}

func (e *liveEntry) FocusLost() {
	e.Entry.FocusLost()
	if e.onFocusLost != nil {
		e.onFocusLost()
	}
}

// hintDelay is how long the pointer rests on a button before its hint.
const hintDelay = 600 * time.Millisecond

// hintLayer draws tooltips above the screen. Fyne 2.8 has no tooltips,
// and a PopUp would swallow the click meant for the button under it; this
// layer holds no tappable object, so clicks go through.
type hintLayer struct {
	layer *fyne.Container
	box   *fyne.Container
	text  *canvas.Text
	bg    *canvas.Rectangle
}

func newHintLayer() *hintLayer {
	h := &hintLayer{text: canvas.NewText("", theme.Color(theme.ColorNameForeground)), bg: canvas.NewRectangle(theme.Color(theme.ColorNameMenuBackground))}
	h.text.TextSize = theme.CaptionTextSize()
	h.bg.StrokeColor = theme.Color(theme.ColorNameInputBorder)
	h.bg.StrokeWidth = 1
	h.bg.CornerRadius = 4
	h.box = container.NewStack(h.bg, container.NewPadded(h.text))
	h.box.Hide()
	h.layer = container.NewWithoutLayout(h.box)
	return h
}

func (h *hintLayer) show(text string, anchor fyne.CanvasObject) {
	d := fyne.CurrentApp().Driver()
	a, base := d.AbsolutePositionForObject(anchor), d.AbsolutePositionForObject(h.layer)
	h.text.Text = text
	h.text.Color = theme.Color(theme.ColorNameForeground)
	h.text.Refresh()
	size := h.box.MinSize()
	pos := a.Subtract(base).Add(fyne.NewPos(0, anchor.Size().Height+2))
	if w := h.layer.Size().Width; pos.X+size.Width > w {
		pos.X = max(0, w-size.Width)
	}
	if hgt := h.layer.Size().Height; pos.Y+size.Height > hgt {
		pos.Y = max(0, a.Subtract(base).Y-size.Height-2)
	}
	h.box.Resize(size)
	h.box.Move(pos)
	h.box.Show()
}

func (h *hintLayer) hide() { h.box.Hide() }

// hintButton is a button that shows a hint (with its shortcut) when the
// pointer rests on it.
type hintButton struct {
	widget.Button
	hint   string
	layer  *hintLayer
	hovers int // counts MouseIn so a late timer can tell it is stale
}

func newHintButton(layer *hintLayer, label string, icon fyne.Resource, tapped func()) *hintButton {
	b := &hintButton{layer: layer}
	b.Text, b.Icon, b.OnTapped = label, icon, tapped
	b.ExtendBaseWidget(b)
	return b
}

func (b *hintButton) MouseIn(e *desktop.MouseEvent) {
	b.Button.MouseIn(e)
	b.hovers++
	n := b.hovers
	if b.hint == "" || b.layer == nil {
		return
	}
	time.AfterFunc(hintDelay, func() {
		onUI(func() {
			if b.hovers == n && b.Visible() {
				b.layer.show(b.hint, b)
			}
		})
	})
}

func (b *hintButton) MouseOut() {
	b.Button.MouseOut()
	b.hovers++
	if b.layer != nil {
		b.layer.hide()
	}
}

func (b *hintButton) Tapped(e *fyne.PointEvent) {
	b.hovers++
	if b.layer != nil {
		b.layer.hide()
	}
	b.Button.Tapped(e)
}
