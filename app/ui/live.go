package ui

import (
	"context"
	"errors"
	"fmt"
	"image/color"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

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

// LiveStore is what the Live screen reads and writes. *store.Store
// satisfies it; tests pass an in-memory fake. Every call is made on the
// UI goroutine and must be quick (a local SQLite write is about 1 ms): a
// note is stored before the keystroke that ends it returns.
type LiveStore interface {
	Load(ctx context.Context, id int64) (*interview.Bundle, error)
	AddNote(ctx context.Context, n *interview.Note) error
	UpdateNote(ctx context.Context, n *interview.Note) error
	AddQuestion(ctx context.Context, q *interview.Question) error
	UpdateQuestion(ctx context.Context, q *interview.Question) error
	MoveQuestion(ctx context.Context, id int64, to int) error
	UpdatePoint(ctx context.Context, p *interview.TalkingPoint) error
	SetState(ctx context.Context, id int64, to interview.State) (interview.Interview, error)
}

// LiveClock is the interview clock: time since the interview started,
// not counting pauses. The audio pipeline drives it (sample-accurate while
// audio runs) so notes line up with the transcript; tests use a manual one.
// It must be safe to call from the UI goroutine while the pipeline runs.
type LiveClock interface {
	Elapsed() time.Duration
}

// LiveDeps is what the Live screen is built from.
type LiveDeps struct {
	Store       LiveStore
	InterviewID int64 // an interview that is live or paused
	Clock       LiveClock

	// OnPause is called after the interview was paused (true) or resumed
	// (false) in the store, so the wiring code can pause the pipeline and
	// its clock. Nil does nothing more.
	OnPause func(paused bool)
	// OnEnd, when set, ends the interview: the wiring code finishes the
	// pipeline and stores the end off the UI goroutine, then leaves the
	// screen. Nil ends it through Store.SetState and shows a summary.
	OnEnd func(iv interview.Interview)
	// SetAlwaysOnTop overrides how the window is kept above others. Nil
	// uses Fyne's desktop.Window.RequestAlwaysOnTop, which can only turn
	// it on (see alwaysOnTop).
	SetAlwaysOnTop func(on bool) error

	// ReminderEvery is the eye-contact reminder's interval: 0 means the
	// default, 3 minutes; negative starts with the reminder off.
	ReminderEvery time.Duration
	// ReminderAlways shows the reminder also while You are silent; by
	// default it waits until You speak, when looking at the camera counts.
	ReminderAlways bool

	// Recording and Status are the pipeline's state when the screen opens;
	// later changes arrive through Post.
	Recording bool
	Status    TranscriptionState

	// TickEvery is how often the clock and timers are redrawn: 0 means
	// 250 ms; negative starts no ticker (tests call tick by hand).
	TickEvery time.Duration
	Log       *slog.Logger
}

// Timings of the Live screen.
const (
	defaultReminderEvery = 3 * time.Minute
	reminderShowFor      = 8 * time.Second
	reminderSnooze       = 10 * time.Minute
	defaultTick          = 250 * time.Millisecond
	// storeTimeout bounds a store call made on the UI goroutine: a locked
	// database must not freeze the window for good.
	storeTimeout = 2 * time.Second
	// lagShownFrom is the transcription delay worth mentioning.
	lagShownFrom = 3 * time.Second
	// wideFrom is the width from which the panels sit side by side.
	wideFrom = 760
)

// Live is the window that sits beside the call: clock, notepad, question
// queue, talking points, transcript, eye-contact reminder and speaking
// coach. Build it with NewLive; feed it pipeline events with Post (from
// any goroutine); call Close when the window closes.
type Live struct {
	win  fyne.Window
	deps LiveDeps
	log  *slog.Logger

	iv       interview.Interview
	content  fyne.CanvasObject
	keys     *shortcutTable
	hints    *hintLayer
	notepad  *notepad
	queue    *questionQueue
	points   *pointList
	script   *transcriptView
	suggest  *suggestBar
	reminder eyeReminder
	tabs     *container.AppTabs

	// top bar
	clock      *widget.Label
	recDot     *canvas.Circle
	recLabel   *widget.Label
	status     *widget.Label
	pauseBtn   *hintButton
	endBtn     *hintButton
	pinBtn     *hintButton
	menuBtn    *hintButton
	levelYou   *levelMeter
	levelThem  *levelMeter
	onTop      bool
	recording  bool
	tstate     TranscriptionState
	terr       error
	lag        time.Duration
	speakingMe bool

	// banners, in head; showing or hiding one re-lays head out
	head       *fyne.Container
	page       *fyne.Container // head above the panels
	errText    *widget.Label
	errBox     *fyne.Container
	remindBox  *fyne.Container
	remindRect *canvas.Rectangle
	remindAnim *fyne.Animation
	coach      *coachStrip

	events eventQueue

	stopTick   chan struct{}
	tickQueued atomic.Bool
	closeOnce  sync.Once
}

// NewLive builds the Live screen for deps.InterviewID, puts it in w and
// registers its keyboard shortcuts on w's canvas. The interview should
// already be live or paused: the wiring code starts the session (the
// pipeline and the clock) and moves the state there. Call Close when w
// closes: a live interview then becomes paused, and nothing is lost.
func NewLive(w fyne.Window, deps LiveDeps) (*Live, error) {
	RegisterTranslations()
	if deps.Store == nil || deps.Clock == nil {
		return nil, errors.New("live screen: a store and a clock are required")
	}
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	b, err := deps.Store.Load(ctx, deps.InterviewID)
	cancel()
	if err != nil {
		return nil, fmt.Errorf("open interview %d: %w", deps.InterviewID, err)
	}
	l := &Live{win: w, deps: deps, log: deps.Log, iv: b.Interview, recording: deps.Recording, tstate: deps.Status}
	if l.log == nil {
		l.log = slog.New(slog.DiscardHandler)
	}
	l.events.live = l
	every := deps.ReminderEvery
	if every == 0 {
		every = defaultReminderEvery
	}
	l.reminder = eyeReminder{every: max(every, 0), always: deps.ReminderAlways, showFor: reminderShowFor}

	l.keys = newShortcutTable()
	l.hints = newHintLayer()
	l.notepad = newNotepad(l, b.Notes)
	l.queue = newQuestionQueue(l, b.Questions)
	l.points = newPointList(l, b.Points)
	l.script = newTranscriptView(l, b.Segments)
	l.coach = newCoachStrip()
	l.suggest = newSuggestBar(l)
	l.bindShortcuts()
	l.content = l.build()
	w.SetContent(l.content)
	l.keys.register(w.Canvas())
	l.refreshTop()
	l.queue.refresh()
	l.startTicker()
	return l, nil
}

// Content is the screen's root, for tests and for embedding.
func (l *Live) Content() fyne.CanvasObject { return l.content }

// Interview is the interview as the screen last saw it.
func (l *Live) Interview() interview.Interview { return l.iv }

// Close stops the screen's timers and, if the interview is live, pauses
// it: closing the window mid-interview asks nothing and loses nothing,
// since every note was stored as it was written. Call it on the UI
// goroutine, typically from the window's OnClosed.
func (l *Live) Close() {
	l.closeOnce.Do(func() {
		if l.stopTick != nil {
			close(l.stopTick)
		}
		l.events.stop()
		if l.iv.State == interview.StateLive {
			l.setPaused(true)
		}
	})
}

// FocusNotepad puts the keyboard in the note box.
func (l *Live) FocusNotepad() { l.win.Canvas().Focus(l.notepad.entry) }

func (l *Live) build() fyne.CanvasObject {
	top := l.buildTopBar()
	l.buildBanners()

	questions := container.NewTabItemWithIcon(lang.X("live.tab.questions", "Questions"), theme.ListIcon(), l.queue.content)
	points := container.NewTabItemWithIcon(lang.X("live.tab.points", "Points"), theme.CheckButtonCheckedIcon(), l.points.content)
	script := container.NewTabItemWithIcon(lang.X("live.tab.transcript", "Transcript"), theme.DocumentIcon(), l.script.content)
	if l.iv.Mode == interview.ModeInterviewer {
		l.tabs = container.NewAppTabs(questions, script, points)
	} else {
		l.tabs = container.NewAppTabs(points, questions, script)
	}
	split := container.NewVSplit(l.tabs, l.notepad.content)
	split.Offset = 0.6
	body := container.New(&adaptiveSplit{split: split}, split)

	l.head = container.NewVBox(top, widget.NewSeparator(), l.remindBox, l.errBox, l.suggest.content, l.coach.content)
	l.page = container.NewBorder(l.head, nil, nil, nil, body)
	return container.NewStack(l.page, l.hints.layer)
}

// adaptiveSplit lays the split out vertically (tabs above the notepad)
// in a narrow window and side by side from wideFrom on, so a window made
// wider shows both at full height instead of stretching lines.
type adaptiveSplit struct{ split *container.Split }

func (a *adaptiveSplit) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	if wide := size.Width >= wideFrom; a.split.Horizontal != wide {
		a.split.Horizontal = wide
		a.split.Refresh()
	}
	for _, o := range objs {
		o.Resize(size)
		o.Move(fyne.NewPos(0, 0))
	}
}

func (a *adaptiveSplit) MinSize(objs []fyne.CanvasObject) fyne.Size {
	return a.split.MinSize()
}

func (l *Live) buildTopBar() fyne.CanvasObject {
	l.clock = widget.NewLabelWithStyle("00:00", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.clock.SizeName = theme.SizeNameSubHeadingText
	l.recDot = canvas.NewCircle(theme.Color(theme.ColorNameError))
	dot := container.NewGridWrap(fyne.NewSize(12, 12), l.recDot)
	l.recLabel = widget.NewLabel(lang.X("live.recording", "Rec"))
	l.recLabel.Importance = widget.DangerImportance
	l.recLabel.TextStyle.Bold = true
	l.recLabel.SizeName = theme.SizeNameCaptionText
	rec := container.NewCenter(container.NewHBox(container.NewCenter(dot), l.recLabel))
	l.recDot.Hidden, l.recLabel.Hidden = true, true

	l.pauseBtn = newHintButton(l.hints, "", theme.MediaPauseIcon(), l.togglePause)
	l.endBtn = newHintButton(l.hints, lang.X("live.end", "End"), theme.MediaStopIcon(), l.confirmEnd)
	l.endBtn.hint = lang.X("live.end.hint", "End the interview")
	l.pinBtn = newHintButton(l.hints, lang.X("live.pin", "On top"), nil, l.toggleOnTop)
	l.pinBtn.hint = lang.X("live.pin.hint", "Keep this window above the call")
	l.menuBtn = newHintButton(l.hints, "", theme.MoreVerticalIcon(), l.showMenu)
	l.menuBtn.hint = lang.X("live.menu.hint", "Reminder, shortcuts and more")

	l.status = widget.NewLabel("")
	l.status.Truncation = fyne.TextTruncateEllipsis
	l.status.SizeName = theme.SizeNameCaptionText
	l.levelYou = newLevelMeter(lang.X("live.level.you", "You"))
	l.levelThem = newLevelMeter(lang.X("live.level.them", "Them"))

	row1 := container.NewBorder(nil, nil, container.NewHBox(l.clock, rec), container.NewHBox(l.pauseBtn, l.endBtn, l.pinBtn, l.menuBtn))
	row2 := container.NewBorder(nil, nil, nil, container.NewHBox(l.levelYou, l.levelThem), l.status)
	return container.NewVBox(row1, row2)
}

func (l *Live) buildBanners() {
	l.errText = widget.NewLabel("")
	l.errText.Wrapping = fyne.TextWrapWord
	l.errText.Importance = widget.DangerImportance
	dismiss := widget.NewButtonWithIcon("", theme.CancelIcon(), l.hideError)
	dismiss.Importance = widget.LowImportance
	bg := canvas.NewRectangle(withAlpha(theme.Color(theme.ColorNameError), 0x30))
	bg.CornerRadius = theme.InputRadiusSize()
	l.errBox = container.NewStack(bg, container.NewBorder(nil, nil, nil, container.NewVBox(dismiss), l.errText))
	l.errBox.Hide()

	l.remindRect = canvas.NewRectangle(theme.Color(theme.ColorNamePrimary))
	l.remindRect.CornerRadius = theme.InputRadiusSize()
	eye := widget.NewIcon(theme.VisibilityIcon())
	msg := widget.NewLabelWithStyle(lang.X("live.reminder.text", "Look at the camera"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	msg.Wrapping = fyne.TextWrapWord
	snooze := newHintButton(l.hints, lang.X("live.reminder.snooze", "Snooze 10 min"), nil, l.snoozeReminder)
	snooze.hint = l.keys.hintFor("snooze", lang.X("live.reminder.snooze.hint", "Snooze the reminder"))
	snooze.Importance = widget.LowImportance
	ok := widget.NewButtonWithIcon("", theme.ConfirmIcon(), l.dismissReminder)
	ok.Importance = widget.LowImportance
	l.remindBox = container.NewStack(l.remindRect, container.NewBorder(nil, nil, eye, container.NewHBox(snooze, ok), msg))
	l.remindBox.Hide()
	start, end := withAlpha(theme.Color(theme.ColorNamePrimary), 0x60), withAlpha(theme.Color(theme.ColorNamePrimary), 0xd0)
	l.remindAnim = canvas.NewColorRGBAAnimation(start, end, time.Second, func(c color.Color) {
		l.remindRect.FillColor = c
		l.remindRect.Refresh()
	})
	l.remindAnim.AutoReverse = true
	l.remindAnim.RepeatCount = fyne.AnimationRepeatForever
}

// relayout re-lays the page out after a banner appeared or went: the
// head's height changed, which only its parent can act on.
//
// It runs twice because a wrapping label (the error text) only knows how
// tall it is once it has been given its width by the first pass.
func (l *Live) relayout() {
	l.page.Refresh()
	l.page.Refresh()
}

// now is the interview time in milliseconds.
func (l *Live) now() int64 { return l.deps.Clock.Elapsed().Milliseconds() }

// storeCtx bounds one store call made on the UI goroutine.
func storeCtx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), storeTimeout)
}

// showError puts err in the banner under the top bar. It never blocks:
// the user is mid-call, so a modal dialog would be worse than the error.
// what says what failed in the user's words; err says why and what to do.
func (l *Live) showError(what string, err error) {
	l.log.Error(what, "err", err)
	l.errText.SetText(what + "\n" + sentence(err.Error()))
	l.errBox.Show()
	l.relayout()
}

func (l *Live) hideError() {
	l.errBox.Hide()
	l.relayout()
}

func (l *Live) startTicker() {
	every := l.deps.TickEvery
	if every < 0 {
		return
	}
	if every == 0 {
		every = defaultTick
	}
	l.stopTick = make(chan struct{})
	stop := l.stopTick
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				// One tick in flight at most: a busy UI skips ticks
				// instead of queueing them.
				if l.tickQueued.CompareAndSwap(false, true) {
					onUI(func() {
						l.tickQueued.Store(false)
						l.tick()
					})
				}
			}
		}
	}()
}

// tick redraws what moves with the clock: the clock itself, the time on
// the current question, the reminder, and the transcript's follow state.
func (l *Live) tick() {
	now := l.deps.Clock.Elapsed()
	l.clock.SetText(interview.Stamp(now.Milliseconds()))
	l.queue.tick(now.Milliseconds())
	l.updateReminder(now)
	l.suggest.tick(now.Milliseconds())
	l.script.tick()
}

func (l *Live) refreshTop() {
	l.clock.SetText(interview.Stamp(l.now()))
	l.recDot.Hidden, l.recLabel.Hidden = !l.recording, !l.recording
	l.recDot.Refresh()
	l.recLabel.Refresh()

	paused := l.iv.State == interview.StatePaused
	if paused {
		l.pauseBtn.SetIcon(theme.MediaPlayIcon())
		l.pauseBtn.hint = l.keys.hintFor("pause", lang.X("live.resume.hint", "Resume the interview"))
	} else {
		l.pauseBtn.SetIcon(theme.MediaPauseIcon())
		l.pauseBtn.hint = l.keys.hintFor("pause", lang.X("live.pause.hint", "Pause the interview"))
	}
	if l.onTop {
		l.pinBtn.Importance = widget.HighImportance
	} else {
		l.pinBtn.Importance = widget.MediumImportance
	}
	l.pinBtn.Refresh()
	if l.iv.State == interview.StateEnded {
		l.pauseBtn.Disable()
		l.endBtn.Disable()
	}

	text, imp := l.statusText()
	if paused {
		text, imp = lang.X("live.status.paused", "Paused — the clock is stopped")+" · "+text, widget.WarningImportance
	}
	l.status.SetText(text)
	l.status.Importance = imp
	l.status.Refresh()
}

// statusText words the transcription state for the top bar.
func (l *Live) statusText() (string, widget.Importance) {
	switch l.tstate {
	case TranscriptionOff:
		return lang.X("live.status.off", "Transcription off — no model"), widget.LowImportance
	case TranscriptionRunning:
		if l.lag >= lagShownFrom {
			return lang.X("live.status.behind", "Transcribing · behind by {{.Seconds}} s",
				map[string]any{"Seconds": int(l.lag.Seconds())}), widget.WarningImportance
		}
		return lang.X("live.status.running", "Transcribing"), widget.SuccessImportance
	case TranscriptionFailed:
		msg := lang.X("live.status.failed", "Transcription stopped")
		if l.terr != nil {
			msg += ": " + l.terr.Error()
		}
		return msg, widget.DangerImportance
	}
	return lang.X("live.status.starting", "Starting transcription…"), widget.LowImportance
}

func (l *Live) togglePause() {
	l.setPaused(l.iv.State != interview.StatePaused)
}

func (l *Live) setPaused(paused bool) {
	to := interview.StateLive
	if paused {
		to = interview.StatePaused
	}
	ctx, cancel := storeCtx()
	iv, err := l.deps.Store.SetState(ctx, l.iv.ID, to)
	cancel()
	if err != nil {
		l.showError(lang.X("live.error.pause", "The interview could not be paused or resumed."), err)
		return
	}
	l.iv = iv
	if l.deps.OnPause != nil {
		l.deps.OnPause(paused)
	}
	l.refreshTop()
}

func (l *Live) confirmEnd() {
	d := dialog.NewConfirm(lang.X("live.end.title", "End the interview?"),
		lang.X("live.end.body", "The clock stops and the recording is closed. Notes stay editable."),
		func(ok bool) {
			if ok {
				l.end()
			}
		}, l.win)
	d.SetConfirmText(lang.X("live.end", "End"))
	d.SetDismissText(lang.X("live.end.cancel", "Keep going"))
	d.Show()
}

// end ends the interview. With OnEnd the wiring does it (the pipeline
// finishes what was being said first, which takes a moment); without, the
// store is told and a summary shown.
func (l *Live) end() {
	if l.deps.OnEnd != nil {
		l.iv.State = interview.StateEnded
		l.stopTimers()
		l.deps.OnEnd(l.iv)
		return
	}
	ctx, cancel := storeCtx()
	iv, err := l.deps.Store.SetState(ctx, l.iv.ID, interview.StateEnded)
	cancel()
	if err != nil {
		l.showError(lang.X("live.error.end", "The interview could not be ended."), err)
		return
	}
	l.iv = iv
	l.stopTimers()
	l.showSummary()
}

// stopTimers stops the clock's ticker, the reminder and the suggestions
// once the interview has ended.
func (l *Live) stopTimers() {
	if l.stopTick != nil {
		close(l.stopTick)
		l.stopTick = nil
	}
	l.hideReminder()
	l.suggest.hide()
	l.refreshTop()
}

// showSummary stands in for the review screen until it exists.
func (l *Live) showSummary() {
	asked, rated := 0, 0
	for _, q := range l.queue.questions {
		if q.Status == interview.QuestionAsked {
			asked++
		}
		if q.Rating > 0 {
			rated++
		}
	}
	body := widget.NewLabel(lang.X("live.summary.body",
		"{{.Notes}} notes, {{.Asked}} of {{.Questions}} questions asked, {{.Rated}} rated. Everything is saved.",
		map[string]any{"Notes": len(l.notepad.notes), "Asked": asked, "Questions": len(l.queue.questions), "Rated": rated}))
	body.Wrapping = fyne.TextWrapWord
	dialog.ShowCustom(lang.X("live.summary.title", "Interview ended"), lang.X("live.summary.close", "Close"), body, l.win)
}

// toggleOnTop asks for the window to stay above the call.
func (l *Live) toggleOnTop() {
	want := !l.onTop
	if l.deps.SetAlwaysOnTop != nil {
		if err := l.deps.SetAlwaysOnTop(want); err != nil {
			l.showError(lang.X("live.error.ontop", "Could not change always-on-top."), err)
			return
		}
		l.onTop = want
		l.refreshTop()
		return
	}
	if !want {
		// Fyne 2.8 can ask for always-on-top but not take it back.
		l.showError(lang.X("live.error.ontop", "Could not change always-on-top."),
			errors.New(lang.X("live.error.ontop.off", "The window stays on top until it is reopened.")))
		return
	}
	dw, ok := l.win.(desktop.Window)
	if !ok {
		l.showError(lang.X("live.error.ontop", "Could not change always-on-top."),
			errors.New(lang.X("live.error.ontop.unsupported", "This system does not support it.")))
		return
	}
	dw.RequestAlwaysOnTop()
	l.onTop = true
	l.refreshTop()
}

func (l *Live) showMenu() {
	intervals := []time.Duration{0, time.Minute, 2 * time.Minute, 3 * time.Minute, 5 * time.Minute, 10 * time.Minute}
	var items []*fyne.MenuItem
	for _, d := range intervals {
		label := lang.X("live.menu.reminder.off", "Reminder off")
		if d > 0 {
			label = lang.X("live.menu.reminder.every", "Reminder every {{.Minutes}} min", map[string]any{"Minutes": int(d.Minutes())})
		}
		item := fyne.NewMenuItem(label, func() { l.setReminderEvery(d) })
		item.Checked = l.reminder.every == d
		items = append(items, item)
	}
	always := fyne.NewMenuItem(lang.X("live.menu.reminder.speaking", "Only while I speak"), func() {
		l.reminder.always = !l.reminder.always
	})
	always.Checked = !l.reminder.always
	snooze := fyne.NewMenuItem(lang.X("live.menu.snooze", "Snooze reminder 10 min"), l.snoozeReminder)
	keys := fyne.NewMenuItem(lang.X("live.menu.shortcuts", "Keyboard shortcuts"), l.showShortcuts)
	items = append(items, fyne.NewMenuItemSeparator(), always, snooze, fyne.NewMenuItemSeparator(), keys)
	c := l.win.Canvas()
	widget.ShowPopUpMenuAtRelativePosition(fyne.NewMenu("", items...), c, fyne.NewPos(0, l.menuBtn.Size().Height), l.menuBtn)
}

func (l *Live) setReminderEvery(d time.Duration) {
	l.reminder.every = d
	if d == 0 {
		l.hideReminder()
	}
}

func (l *Live) updateReminder(now time.Duration) {
	show := l.iv.State == interview.StateLive && l.reminder.update(now, l.speakingMe)
	if show == l.remindBox.Visible() {
		return
	}
	if show {
		l.remindBox.Show()
		l.remindAnim.Start()
	} else {
		l.remindAnim.Stop()
		l.remindBox.Hide()
	}
	l.relayout()
}

func (l *Live) hideReminder() {
	l.reminder.visible = false
	l.remindAnim.Stop()
	l.remindBox.Hide()
	l.relayout()
}

func (l *Live) dismissReminder() { l.hideReminder() }

func (l *Live) snoozeReminder() {
	l.reminder.snooze(l.deps.Clock.Elapsed(), reminderSnooze)
	l.hideReminder()
}

// levelMeter is a small bar showing an input's loudness, so the user sees
// at a glance that both sides are being heard.
type levelMeter struct {
	widget.BaseWidget
	label string
	level float32
}

func newLevelMeter(label string) *levelMeter {
	m := &levelMeter{label: label}
	m.ExtendBaseWidget(m)
	return m
}

func (m *levelMeter) set(v float32) {
	v = min(max(v, 0), 1)
	if v == m.level {
		return
	}
	m.level = v
	m.Refresh()
}

func (m *levelMeter) CreateRenderer() fyne.WidgetRenderer {
	text := canvas.NewText(m.label, theme.Color(theme.ColorNamePlaceHolder))
	text.TextSize = theme.CaptionTextSize()
	track := canvas.NewRectangle(theme.Color(theme.ColorNameInputBorder))
	bar := canvas.NewRectangle(theme.Color(theme.ColorNameSuccess))
	r := &levelRenderer{m: m, text: text, track: track, bar: bar}
	return r
}

type levelRenderer struct {
	m          *levelMeter
	text       *canvas.Text
	track, bar *canvas.Rectangle
}

const levelBarWidth, levelBarHeight = 28, 5

func (r *levelRenderer) Layout(size fyne.Size) {
	ts := r.text.MinSize()
	r.text.Move(fyne.NewPos(0, (size.Height-ts.Height)/2))
	r.text.Resize(ts)
	x := ts.Width + 3
	y := (size.Height - levelBarHeight) / 2
	r.track.Move(fyne.NewPos(x, y))
	r.track.Resize(fyne.NewSize(levelBarWidth, levelBarHeight))
	r.bar.Move(fyne.NewPos(x, y))
	r.bar.Resize(fyne.NewSize(levelBarWidth*r.m.level, levelBarHeight))
}

func (r *levelRenderer) MinSize() fyne.Size {
	ts := r.text.MinSize()
	return fyne.NewSize(ts.Width+3+levelBarWidth+theme.Padding(), max(ts.Height, levelBarHeight))
}

func (r *levelRenderer) Refresh() {
	r.text.Color = theme.Color(theme.ColorNamePlaceHolder)
	r.track.FillColor = theme.Color(theme.ColorNameInputBorder)
	r.bar.FillColor = theme.Color(theme.ColorNameSuccess)
	r.Layout(r.m.Size())
	canvas.Refresh(r.m)
}

func (r *levelRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.text, r.track, r.bar}
}

func (r *levelRenderer) Destroy() {}

// sentence starts s with a capital letter: Go errors start in lower case
// so they can be wrapped, but the banner shows them on their own line.
func sentence(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// withAlpha is c with its alpha replaced, for tinted banner backgrounds
// that keep the theme's hue.
func withAlpha(c color.Color, a uint8) color.Color {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	n.A = a
	return n
}
