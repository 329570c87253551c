package ui

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sidenote-app/sidenote/app/interview"
)

// stopTimeout bounds how long closing the window waits for a live
// interview to end: a little more than app/live's finishing bound.
const stopTimeout = 12 * time.Second

// Create builds the main window. The caller shows it and runs the app.
func Create(a fyne.App, d Deps) fyne.Window {
	applyPrefs(a) // the interface language must be set before any text is looked up
	RegisterTranslations()
	w := a.NewWindow("Sidenote")
	if d.Icon != nil {
		w.SetIcon(d.Icon)
	}
	s := newShell(w, d)
	w.Resize(fyne.NewSize(420, 720))
	w.SetOnClosed(s.close)
	s.open(d.Open)
	return w
}

// open shows the screen d.Open names.
func (s *shell) open(to Screen) {
	switch to.Kind {
	case "new":
		s.showNewInterview()
	case "templates":
		s.showTemplates()
	case "settings":
		s.showSettings()
	case "library":
		s.showLibrary()
	case "review":
		s.showReview(to.InterviewID, -1)
	case "compare":
		s.showCompare(to.InterviewID) // a template's id
	case "checklist", "live":
		s.showChecklist(to.InterviewID)
		// Only as the Start button could: never past the consent gate.
		if to.Kind == "live" && s.check != nil && !s.check.startBtn.Disabled() {
			s.check.start()
		}
	default:
		s.showHome()
	}
}

// shell is the one window's navigation: Home, New interview, the
// checklist and Live take turns as its content. Everything runs on the UI
// goroutine except the pipeline's start and stop.
type shell struct {
	win  fyne.Window
	deps Deps
	log  *slog.Logger

	home  *home
	form  *interviewForm // non-nil while New interview shows
	check *checklist     // non-nil while the checklist shows (its meters run)
	rev   *review        // non-nil while a Review shows (its player may run)
	lib   *library       // non-nil while the Library shows
	cmp   *compareScreen // non-nil while Compare shows
	imp   *importScreen  // non-nil while Import a recording shows
	live  *Live          // non-nil while an interview runs
	run   LiveRun
	// ending counts the runs being ended off the UI goroutine.
	ending sync.WaitGroup
}

func newShell(w fyne.Window, d Deps) *shell {
	RegisterTranslations()
	s := &shell{win: w, deps: d, log: d.Log}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	s.home = newHome(w, d)
	s.home.shell = s
	return s
}

func (s *shell) now() time.Time {
	if s.deps.Now != nil {
		return s.deps.Now()
	}
	return time.Now()
}

// leave stops what the current screen runs before another replaces it.
func (s *shell) leave() {
	s.form = nil
	if s.lib != nil {
		s.lib.close()
		s.lib = nil
	}
	s.cmp = nil
	if s.imp != nil {
		s.imp.close()
		s.imp = nil
	}
	if s.rev != nil {
		s.rev.close()
		s.rev = nil
	}
	if s.check != nil {
		s.check.stopMeters()
		s.check = nil
	}
}

func (s *shell) showHome() {
	s.leave()
	s.home.refresh()
	s.home.reload()
	s.win.SetContent(s.home.content)
	// Wrapped labels know their height only once laid out at the
	// window's width; a second pass lets the scroll take that height.
	s.home.content.Refresh()
}

func (s *shell) showNewInterview() {
	s.leave()
	f := newInterviewForm(s)
	s.form = f
	s.win.SetContent(f.content)
	f.focus()
}

// startPractice creates a practice interview with a title of its own, so
// rehearsals are told apart in the library, and goes to the checklist.
func (s *shell) startPractice() {
	if s.deps.Store == nil {
		return
	}
	iv := interview.Interview{
		Mode:  interview.ModePractice,
		Title: lang.X("practice.title", "Practice {{.When}}", map[string]any{"When": s.now().Format("2006-01-02 15:04")}),
	}
	ctx, cancel := storeCtx()
	err := s.deps.Store.CreateInterview(ctx, &iv)
	cancel()
	if err != nil {
		s.home.showError(fmt.Errorf("%s %w", lang.X("home.error.create", "The interview could not be created:"), err))
		return
	}
	s.showChecklist(iv.ID)
}

func (s *shell) showChecklist(id int64) {
	s.leave()
	c, err := newChecklist(s, id)
	if err != nil {
		s.showHome()
		s.home.showError(err)
		return
	}
	s.check = c
	s.win.SetContent(c.content)
	c.page.Refresh() // see checklist.update: the start note wraps
	c.page.Refresh()
	c.startMeters()
}

// subScreen frames a screen under a bar with a back button to Home.
func (s *shell) subScreen(title string, body fyne.CanvasObject, bottom fyne.CanvasObject) fyne.CanvasObject {
	return s.frame(lang.X("nav.back", "Home"), s.showHome, title, body, bottom)
}

// frameFixed is frame for a body that scrolls by itself (a list): the
// body fills the space under the bar as it is.
func (s *shell) frameFixed(backText string, onBack func(), title string, body, bottom fyne.CanvasObject) fyne.CanvasObject {
	back := widget.NewButtonWithIcon(backText, theme.NavigateBackIcon(), onBack)
	back.Importance = widget.LowImportance
	heading := widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	heading.SizeName = theme.SizeNameSubHeadingText
	heading.Truncation = fyne.TextTruncateEllipsis
	bar := container.NewBorder(nil, nil, back, nil, heading)
	top := container.NewVBox(bar, widget.NewSeparator())
	return container.NewBorder(top, bottom, nil, nil, body)
}

// frame is subScreen with a back button of the caller's choosing, for
// screens a level deeper (a template under Templates).
func (s *shell) frame(backText string, onBack func(), title string, body, bottom fyne.CanvasObject) fyne.CanvasObject {
	return s.frameFixed(backText, onBack, title, container.NewVScroll(container.NewPadded(body)), bottom)
}

// openLive builds the Live screen over a started run. events are what the
// pipeline posted before the screen existed.
func (s *shell) openLive(id int64, run LiveRun, buf *postBuffer) error {
	status := TranscriptionOff
	if run.Transcribing() {
		status = TranscriptionRunning
	}
	var l *Live
	prefs := PrefsOf(fyne.CurrentApp())
	l, err := NewLive(s.win, LiveDeps{
		Store:       run, // the run owns the live interview: every change goes through it
		InterviewID: id,
		Clock:       run,
		Recording:   run.Recording(),
		Status:      status,
		Log:         s.log,
		// The run pauses and resumes itself (it is the screen's store);
		// ending takes a moment, so it happens off the UI goroutine.
		OnEnd: func(interview.Interview) { s.finishLive(l, run) },

		// Chosen in Settings.
		ReminderEvery:  prefs.ReminderEvery(),
		ReminderAlways: prefs.ReminderAlways(),
	})
	if err != nil {
		return err
	}
	s.live, s.run = l, run
	buf.attach(l)
	return nil
}

// closeLive takes the Live screen down: its timers stop and its keyboard
// shortcuts leave the window's canvas, so they cannot act on Home.
func (s *shell) closeLive() {
	if s.live == nil {
		return
	}
	s.live.Close()
	c := s.win.Canvas()
	for _, sc := range s.live.keys.list {
		c.RemoveShortcut(sc.desktop())
	}
	s.live, s.run = nil, nil
}

// finishLive ends the interview shown on l: a "Finishing…" dialog while
// the run transcribes what was being said and stores it, then Home with
// the summary (or the error).
func (s *shell) finishLive(l *Live, run LiveRun) {
	wait := dialog.NewCustomWithoutButtons(lang.X("live.finishing", "Finishing…"),
		container.NewVBox(widget.NewLabel(lang.X("live.finishing.body", "Transcribing what was just said, then saving.")),
			widget.NewProgressBarInfinite()), s.win)
	wait.Show()
	s.endRun(run, func(iv interview.Interview, err error) {
		wait.Hide()
		if s.live == l {
			s.closeLive()
			s.showHome()
		}
		if err != nil {
			s.home.showError(fmt.Errorf("%s %w", lang.X("live.error.end", "The interview could not be ended."), err))
			return
		}
		l.showSummary()
	})
}

// endRun ends run off the UI goroutine and hands the outcome to done on
// it. The goroutine is tracked: closing the window waits for it (bounded).
func (s *shell) endRun(run LiveRun, done func(interview.Interview, error)) {
	s.ending.Add(1)
	go func() {
		defer s.ending.Done()
		iv, err := run.End(context.Background())
		if err != nil {
			s.log.Error("ending the interview", "err", err)
		}
		if done != nil {
			onUI(func() { done(iv, err) })
		}
	}()
}

// close runs when the window closes. A live interview is ended as if End
// were pressed: capture stops, what was being said is transcribed and
// stored. The wait here is bounded so the window always goes away; the
// starter's owner waits for the end itself before closing the store.
func (s *shell) close() {
	s.home.cancelDownload()
	s.leave()
	if s.live != nil {
		run := s.run
		s.closeLive()
		s.endRun(run, nil)
	}
	done := make(chan struct{})
	go func() {
		s.ending.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(stopTimeout):
	}
}

// postBuffer keeps the pipeline's events until the Live screen exists,
// then passes them, and every later one, to it. Safe from any goroutine.
type postBuffer struct {
	mu      sync.Mutex
	live    *Live
	pending []LiveEvent
}

// maxPending bounds what is kept before the screen opens: level readings
// arrive 20 times a second and only the newest matters.
const maxPending = 256

func (b *postBuffer) post(ev LiveEvent) {
	b.mu.Lock()
	l := b.live
	if l == nil {
		// Finals and status changes are kept whatever the count: a
		// full buffer only drops readings a newer one replaces.
		switch ev.(type) {
		case Levels, Backlog, CoachSnapshot, PartialText:
			if len(b.pending) < maxPending {
				b.pending = append(b.pending, ev)
			}
		default:
			b.pending = append(b.pending, ev)
		}
		b.mu.Unlock()
		return
	}
	b.mu.Unlock()
	l.Post(ev)
}

func (b *postBuffer) attach(l *Live) {
	// Replayed under the lock so a newer event cannot overtake them;
	// Post never blocks.
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, ev := range b.pending {
		l.Post(ev)
	}
	b.live, b.pending = l, nil
}
