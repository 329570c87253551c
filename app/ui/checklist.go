package ui

import (
	"context"
	"fmt"
	"math"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sidenote-app/sidenote/app/interview"
)

// Checklist thresholds.
const (
	// meterEvery is the shortest gap between two redraws of a level
	// meter: devices report about 20 times a second, and a bar that moves
	// faster than this is not easier to read.
	meterEvery = 50 * time.Millisecond
	// heardFromDB is the peak level that counts as "we hear you": room
	// noise on a working microphone is usually below it, speech above.
	heardFromDB = -45.0
	// meterFloorDB is the level shown as an empty bar.
	meterFloorDB = -60.0
	// lowDisk is the free space under which the checklist warns: an hour
	// of two 16 kHz WAVs is about 230 MB, and SQLite needs room to write.
	lowDisk = 1 << 30
)

// checklist is the Before-you-start screen: the equipment is tested, the
// reminders ticked, and Start opens the Live screen. Nothing on it blocks
// the start except a recording promise left unticked.
type checklist struct {
	shell   *shell
	iv      interview.Interview
	content fyne.CanvasObject
	page    *fyne.Container // content, re-laid out when the start note changes

	banner     *fyne.Container // transcription off
	errText    *widget.Label
	errBox     *fyne.Container
	mic        *checkItem
	micSelect  *widget.Select
	micMeter   *levelBar
	call       *checkItem
	callSelect *widget.Select
	callMeter  *levelBar
	model      *checkItem
	disk       *checkItem
	consent    *widget.Check
	noRecord   *widget.Button
	reminders  []*widget.Check
	ready      *widget.Label
	startBtn   *widget.Button
	startNote  *widget.Label

	heard    bool // the microphone's peak passed heardFromDB
	starting bool
	meters   []func() // stops of open meters
}

// noCall is the call-audio choice meaning the microphone only.
func noCall() string { return lang.X("check.call.none", "None: only my microphone") }

func newChecklist(s *shell, id int64) (*checklist, error) {
	ctx, cancel := storeCtx()
	iv, err := s.deps.Store.Interview(ctx, id)
	cancel()
	if err != nil {
		return nil, fmt.Errorf("%s %w", lang.X("home.error.load", "The interview could not be read:"), err)
	}
	c := &checklist{shell: s, iv: iv}

	bannerText := widget.NewLabel(lang.X("check.banner", "Transcription off — notes only. Notes, questions and the clock work; with a speech model you also get a transcript."))
	bannerText.Wrapping = fyne.TextWrapWord
	getModel := widget.NewButtonWithIcon(lang.X("check.banner.get", "Get a speech model"), theme.DownloadIcon(), s.showHome)
	c.banner = tinted(theme.ColorNameWarning, container.NewVBox(bannerText, container.NewHBox(getModel)))

	c.errText = widget.NewLabel("")
	c.errText.Wrapping = fyne.TextWrapWord
	c.errText.Importance = widget.DangerImportance
	c.errBox = tinted(theme.ColorNameError, c.errText)
	c.errBox.Hide()

	about := quietLabel(interviewLine(iv))

	// Microphone.
	c.mic = newCheckItem(lang.X("check.mic", "Microphone"))
	c.micMeter = newLevelBar()
	c.micSelect = widget.NewSelect(nil, func(string) { c.reopenMeters() })
	c.mic.body.Add(c.micSelect)
	c.mic.body.Add(c.micMeter)

	// Call audio.
	c.call = newCheckItem(lang.X("check.call", "Call audio (optional)"))
	c.callMeter = newLevelBar()
	c.callMeter.Hide()
	c.callSelect = widget.NewSelect(nil, func(string) { c.reopenMeters() })
	c.call.body.Add(c.callSelect)
	c.call.body.Add(c.callMeter)
	c.call.setState(itemOptional, lang.X("check.call.detail", "To transcribe the other side too, pick the input that carries the call (a monitor or loopback device)."))
	c.loadInputs()

	// Speech model.
	c.model = newCheckItem(lang.X("check.model", "Speech model"))
	if s.home.modelReady {
		c.model.setState(itemDone, s.home.modelTitle.Text)
		c.banner.Hide()
	} else {
		c.model.setState(itemWarn, lang.X("check.model.none", "No usable speech model: transcription is off. You can still start."))
	}

	// Disk.
	c.disk = newCheckItem(lang.X("check.disk", "Free disk space"))
	c.checkDisk()

	// Recording consent.
	items := []fyne.CanvasObject{c.mic.content, c.call.content, c.model.content}
	if s.deps.FreeDisk != nil {
		items = append(items, c.disk.content)
	}
	if iv.RecordingConsent {
		var row fyne.CanvasObject
		c.consent, _, row = wrappingCheck(consentText(iv.Mode), func(bool) { c.update() })
		c.noRecord = widget.NewButton(lang.X("check.consent.skip", "Don't record this time"), c.dropConsent)
		c.noRecord.Importance = widget.LowImportance
		items = append(items, widget.NewCard("", "", container.NewVBox(
			fieldCaption(lang.X("check.consent", "Recording")), row, container.NewHBox(c.noRecord))))
	}

	// Reminders.
	remind := container.NewVBox(fieldCaption(lang.X("check.reminders", "Before the call")))
	for _, text := range []string{
		lang.X("check.remind.dnd", "Notifications silenced (do not disturb)"),
		lang.X("check.remind.tabs", "Other tabs and programs closed"),
		lang.X("check.remind.light", "Light on your face, a calm background"),
		lang.X("check.remind.camera", "Camera at eye level; you know where to look"),
	} {
		chk, _, row := wrappingCheck(text, func(bool) { c.update() })
		c.reminders = append(c.reminders, chk)
		remind.Add(row)
	}
	items = append(items, widget.NewCard("", "", remind))

	c.ready = widget.NewLabel("")
	c.ready.Importance = widget.LowImportance
	c.startNote = widget.NewLabel("")
	c.startNote.Wrapping = fyne.TextWrapWord
	c.startNote.Importance = widget.WarningImportance
	c.startNote.Hide()
	startText := lang.X("check.start", "Start interview")
	if iv.State == interview.StateInterrupted {
		startText = lang.X("check.resume", "Resume interview")
	} else if iv.Mode == interview.ModePractice {
		startText = lang.X("check.start.practice", "Start practice")
	}
	c.startBtn = widget.NewButtonWithIcon(startText, theme.MediaPlayIcon(), c.start)
	c.startBtn.Importance = widget.HighImportance

	body := container.NewVBox(append([]fyne.CanvasObject{about, c.banner, c.errBox}, items...)...)
	bottom := container.NewPadded(container.NewVBox(c.startNote, container.NewBorder(nil, nil, nil, c.ready, c.startBtn)))
	title := iv.Title
	if title == "" {
		title = lang.X("home.untitled", "Untitled interview")
	}
	c.page = s.subScreen(lang.X("check.heading", "Before you start: {{.Title}}", map[string]any{"Title": title}), body, bottom).(*fyne.Container)
	c.content = c.page
	c.update()
	return c, nil
}

// loadInputs fills the device choices, the system's default first.
func (c *checklist) loadInputs() {
	m := c.shell.deps.Meters
	if m == nil {
		c.micSelect.Hide()
		c.micMeter.Hide()
		c.call.content.Hide()
		c.mic.setState(itemWarn, lang.X("check.mic.none", "No audio input available: start with notes only."))
		return
	}
	names, err := m.InputNames()
	if err != nil || len(names) == 0 {
		c.micSelect.Hide()
		c.micMeter.Hide()
		c.call.content.Hide()
		msg := lang.X("check.mic.nodevice", "No microphone found. Plug one in and come back to this screen.")
		if err != nil {
			msg += "\n" + sentence(err.Error())
		}
		c.mic.setState(itemWarn, msg)
		return
	}
	// Set without the callbacks: the meters open once the screen shows.
	c.micSelect.SetOptions(names)
	c.micSelect.Selected = names[0]
	c.micSelect.Refresh()
	c.callSelect.SetOptions(append([]string{noCall()}, names...))
	c.callSelect.Selected = noCall()
	c.callSelect.Refresh()
	c.mic.setState(itemPending, lang.X("check.mic.speak", "Say something: the bar should move."))
}

func (c *checklist) checkDisk() {
	if c.shell.deps.FreeDisk == nil {
		return
	}
	free, err := c.shell.deps.FreeDisk()
	switch {
	case err != nil:
		c.disk.setState(itemWarn, lang.X("check.disk.error", "Free space unknown: {{.Err}}", map[string]any{"Err": err.Error()}))
	case free < lowDisk:
		c.disk.setState(itemWarn, lang.X("check.disk.low", "Only {{.Free}} free: recordings may stop. Free some space first.", map[string]any{"Free": sizeText(int64(free))}))
	default:
		c.disk.setState(itemDone, lang.X("check.disk.ok", "{{.Free}} free", map[string]any{"Free": sizeText(int64(free))}))
	}
}

// update recounts what is ready and decides whether Start may be pressed.
func (c *checklist) update() {
	done, all := 0, 0
	count := func(ok bool) {
		all++
		if ok {
			done++
		}
	}
	count(c.mic.state == itemDone)
	count(c.model.state == itemDone)
	if c.shell.deps.FreeDisk != nil {
		count(c.disk.state == itemDone)
	}
	if c.consent != nil {
		count(c.consent.Checked)
	}
	for _, r := range c.reminders {
		count(r.Checked)
	}
	c.ready.SetText(lang.X("check.ready", "{{.Done}} of {{.All}} ready", map[string]any{"Done": done, "All": all}))

	note := ""
	switch {
	case c.shell.deps.Live == nil:
		note = lang.X("check.nolive", "This copy of Sidenote cannot run live audio; start it from the command line with: sidenote live")
	case c.consent != nil && !c.consent.Checked:
		note = lang.X("check.consent.needed", "Tick the recording promise, or choose not to record this time.")
	}
	if note != c.startNote.Text || (note == "") != c.startNote.Hidden {
		c.startNote.SetText(note)
		c.startNote.Hidden = note == ""
		// Twice: a wrapping label knows its height only after the first
		// pass has given it its width (as Live.relayout).
		c.page.Refresh()
		c.page.Refresh()
	}
	if note != "" || c.starting {
		c.startBtn.Disable()
	} else {
		c.startBtn.Enable()
	}
}

// dropConsent records that this interview is not to be recorded, so the
// recorder will not start, and removes the promise from the list.
func (c *checklist) dropConsent() {
	iv := c.iv
	iv.RecordingConsent = false
	ctx, cancel := storeCtx()
	err := c.shell.deps.Store.UpdateInterview(ctx, &iv)
	cancel()
	if err != nil {
		c.showError(lang.X("check.error.consent", "The recording choice could not be saved."), err)
		return
	}
	c.shell.showChecklist(iv.ID)
}

func (c *checklist) showError(what string, err error) {
	c.errText.SetText(what + "\n" + sentence(err.Error()))
	c.errBox.Show()
}

// startMeters opens the chosen inputs' meters; each reports through the
// bridge at most once per meterEvery.
func (c *checklist) startMeters() {
	m := c.shell.deps.Meters
	if m == nil || c.micSelect.Selected == "" {
		return
	}
	stop, err := m.OpenMeter(c.micSelect.Selected, newLevelPipe(func(rms, peak float64) {
		c.micMeter.set(rms)
		if peak >= heardFromDB && !c.heard {
			c.heard = true
			c.mic.setState(itemDone, lang.X("check.mic.heard", "We hear you."))
			c.update()
		}
	}).level)
	if err != nil {
		c.mic.setState(itemWarn, lang.X("check.mic.error", "The microphone could not be opened: {{.Err}}. Pick another input.", map[string]any{"Err": err.Error()}))
	} else {
		c.meters = append(c.meters, stop)
	}
	if call := c.callSelect.Selected; call != "" && call != noCall() {
		c.callMeter.Show()
		stop, err := m.OpenMeter(call, newLevelPipe(func(rms, peak float64) {
			c.callMeter.set(rms)
			if peak >= heardFromDB && c.call.state != itemDone {
				c.call.setState(itemDone, lang.X("check.call.heard", "The call can be heard."))
			}
		}).level)
		if err != nil {
			c.call.setState(itemWarn, lang.X("check.call.error", "The call's input could not be opened: {{.Err}}.", map[string]any{"Err": err.Error()}))
		} else {
			c.meters = append(c.meters, stop)
			c.call.setState(itemPending, lang.X("check.call.listen", "Play something in the call: the bar should move."))
		}
	} else {
		c.callMeter.Hide()
		c.call.setState(itemOptional, lang.X("check.call.detail", "To transcribe the other side too, pick the input that carries the call (a monitor or loopback device)."))
	}
}

func (c *checklist) stopMeters() {
	for _, stop := range c.meters {
		stop()
	}
	c.meters = nil
}

func (c *checklist) reopenMeters() {
	if c.shell.check != c {
		return // still being built, or gone
	}
	c.stopMeters()
	c.heard = false
	c.micMeter.reset()
	c.callMeter.reset()
	c.mic.setState(itemPending, lang.X("check.mic.speak", "Say something: the bar should move."))
	c.startMeters()
	c.update()
}

// inputs are the devices chosen, as the pipeline wants them.
func (c *checklist) inputs() LiveInputs {
	in := LiveInputs{Mic: c.micSelect.Selected}
	if call := c.callSelect.Selected; call != noCall() {
		in.Call = call
	}
	return in
}

// start frees the devices and starts the pipeline on a worker (loading
// the pipeline can take a moment); the Live screen opens when it runs.
func (c *checklist) start() {
	starter := c.shell.deps.Live
	if starter == nil || c.starting {
		return
	}
	c.starting = true
	c.startBtn.SetText(lang.X("check.starting", "Starting…"))
	c.update()
	c.stopMeters()
	c.errBox.Hide()
	starter.SetInputs(c.inputs())
	buf := &postBuffer{}
	id := c.iv.ID
	go func() {
		run, err := starter.StartLive(context.Background(), id, buf.post)
		onUI(func() { c.started(run, buf, err) })
	}()
}

func (c *checklist) started(run LiveRun, buf *postBuffer, err error) {
	s := c.shell
	if err != nil {
		c.starting = false
		c.startBtn.SetText(lang.X("check.start.again", "Try again"))
		c.showError(lang.X("check.error.start", "The interview could not start."), err)
		c.update()
		if s.check == c {
			c.startMeters()
		}
		return
	}
	s.leave()
	if err := s.openLive(c.iv.ID, run, buf); err != nil {
		s.endRun(run, nil)
		s.showHome()
		s.home.showError(err)
	}
}

// Item states.
type itemState int

const (
	itemPending  itemState = iota // not yet known
	itemDone                      // ticked
	itemWarn                      // needs attention, does not block
	itemOptional                  // nothing to tick
)

// checkItem is one line of the checklist: a mark, a title, a sentence
// saying what was found, and room for controls.
type checkItem struct {
	state   itemState
	icon    *widget.Icon
	detail  *widget.Label
	body    *fyne.Container
	content fyne.CanvasObject
}

func newCheckItem(title string) *checkItem {
	it := &checkItem{icon: widget.NewIcon(nil)}
	it.detail = widget.NewLabel("")
	it.detail.Wrapping = fyne.TextWrapWord
	it.body = container.NewVBox()
	head := container.NewBorder(nil, nil, it.icon, nil, fieldCaption(title))
	it.content = widget.NewCard("", "", container.NewVBox(head, it.detail, it.body))
	it.setState(itemPending, "")
	return it
}

func (it *checkItem) setState(s itemState, detail string) {
	it.state = s
	it.detail.SetText(detail)
	switch s {
	case itemDone:
		it.icon.SetResource(theme.NewSuccessThemedResource(theme.ConfirmIcon()))
		it.detail.Importance = widget.SuccessImportance
	case itemWarn:
		it.icon.SetResource(theme.NewWarningThemedResource(theme.WarningIcon()))
		it.detail.Importance = widget.WarningImportance
	case itemOptional:
		it.icon.SetResource(theme.NewDisabledResource(theme.RadioButtonIcon()))
		it.detail.Importance = widget.LowImportance
	default:
		it.icon.SetResource(theme.RadioButtonIcon())
		it.detail.Importance = widget.MediumImportance
	}
	it.detail.Refresh()
}

// levelBar shows an input's loudness from meterFloorDB to 0 dBFS, with
// the level in words for those who read numbers.
type levelBar struct {
	*widget.ProgressBar
	db float64
}

func newLevelBar() *levelBar {
	b := &levelBar{ProgressBar: &widget.ProgressBar{}, db: meterFloorDB}
	// Extend, not just embed: otherwise SetValue refreshes the renderer of
	// the inner ProgressBar while the window draws this wrapper's, and the
	// bar never moves under a real driver (the test driver redraws all).
	b.ExtendBaseWidget(b)
	b.TextFormatter = func() string {
		if b.db <= meterFloorDB {
			return lang.X("check.level.silent", "silent")
		}
		return fmt.Sprintf("%.0f dB", b.db)
	}
	return b
}

// meterFallDB is how far the bar may fall per redraw (about 60 dB/s at the
// redraw rate): speech has gaps between syllables, and a bar that drops to
// nothing in each of them flickers instead of showing that you are heard.
const meterFallDB = 3.0

func (b *levelBar) set(db float64) {
	if db < b.db && b.db > meterFloorDB {
		db = max(db, b.db-meterFallDB)
	}
	b.db = db
	b.SetValue(min(max((db-meterFloorDB)/-meterFloorDB, 0), 1))
}

// reset empties the bar at once, for a newly chosen input.
func (b *levelBar) reset() {
	b.db = meterFloorDB
	b.SetValue(0)
}

// levelPipe carries a meter's readings from the device's goroutine to
// the UI: it keeps only the newest and redraws at most once per
// meterEvery, however fast the device reports.
type levelPipe struct {
	apply     func(rms, peak float64) // on the UI goroutine
	mu        sync.Mutex
	rms, peak float64
	scheduled atomic.Bool
}

func newLevelPipe(apply func(rms, peak float64)) *levelPipe {
	return &levelPipe{apply: apply, rms: math.Inf(-1), peak: math.Inf(-1)}
}

// level is the Meters.OpenMeter callback; it never blocks.
func (p *levelPipe) level(rms, peak float64) {
	p.mu.Lock()
	// The loudest reading between redraws is the one shown, as for a peak.
	p.rms, p.peak = max(p.rms, rms), max(p.peak, peak)
	p.mu.Unlock()
	if !p.scheduled.CompareAndSwap(false, true) {
		return
	}
	time.AfterFunc(meterEvery, func() {
		onUI(func() {
			p.scheduled.Store(false)
			p.mu.Lock()
			rms, peak := p.rms, p.peak
			p.rms, p.peak = math.Inf(-1), math.Inf(-1)
			p.mu.Unlock()
			p.apply(rms, peak)
		})
	})
}

// tinted puts content on a lightly coloured rounded background, for
// banners.
func tinted(color fyne.ThemeColorName, content fyne.CanvasObject) *fyne.Container {
	bg := canvas.NewRectangle(withAlpha(theme.Color(color), 0x30))
	bg.CornerRadius = theme.InputRadiusSize()
	return container.NewStack(bg, container.NewPadded(content))
}

// wrappingCheck is a check box whose text wraps, so a long promise fits
// a 400-pixel window; widget.Check's own text does not wrap. Tapping the
// text ticks the box too.
func wrappingCheck(text string, changed func(bool)) (*widget.Check, *tapLabel, fyne.CanvasObject) {
	chk := widget.NewCheck("", changed)
	label := newTapLabel(text, func() { chk.SetChecked(!chk.Checked) })
	label.Wrapping = fyne.TextWrapWord
	return chk, label, container.NewBorder(nil, nil, container.NewVBox(chk), nil, label)
}
