package ui

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/sidenote-app/sidenote/app/interview"
	"github.com/sidenote-app/sidenote/app/store"
)

// The screens before Live are tested against the real store in a temp
// file (its template copying and state rules are part of what is tested)
// and hand-written fakes for the devices and the pipeline.

// fakeMeters is a set of inputs whose levels the test sets.
type fakeMeters struct {
	names []string
	mu    sync.Mutex
	open  map[string]func(rms, peak float64)
}

func (m *fakeMeters) InputNames() ([]string, error) { return m.names, nil }

func (m *fakeMeters) OpenMeter(device string, onLevel func(rms, peak float64)) (func(), error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.open == nil {
		m.open = map[string]func(float64, float64){}
	}
	m.open[device] = onLevel
	return func() {
		m.mu.Lock()
		delete(m.open, device)
		m.mu.Unlock()
	}, nil
}

// feed reports a level from a goroutine of its own, as a device does.
func (m *fakeMeters) feed(device string, rms, peak float64) bool {
	m.mu.Lock()
	f := m.open[device]
	m.mu.Unlock()
	if f == nil {
		return false
	}
	done := make(chan struct{})
	go func() { f(rms, peak); close(done) }()
	<-done
	return true
}

func (m *fakeMeters) opened() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	var names []string
	for n := range m.open {
		names = append(names, n)
	}
	return names
}

// fakeRun is a live interview over the real store that counts what it
// was asked, as app/live.Run's calls would arrive.
type fakeRun struct {
	*store.Store
	id                      int64
	transcribing, recording bool
	clock                   manualClock
	paused, resumed, stops  atomic.Int32
}

func (r *fakeRun) Elapsed() time.Duration { return r.clock.Elapsed() }
func (r *fakeRun) Transcribing() bool     { return r.transcribing }
func (r *fakeRun) Recording() bool        { return r.recording }

func (r *fakeRun) SetState(ctx context.Context, id int64, to interview.State) (interview.Interview, error) {
	switch to {
	case interview.StatePaused:
		r.paused.Add(1)
	case interview.StateLive:
		r.resumed.Add(1)
	case interview.StateEnded:
		return r.End(ctx)
	}
	return r.Store.SetState(ctx, id, to)
}

func (r *fakeRun) End(ctx context.Context) (interview.Interview, error) {
	r.stops.Add(1)
	return r.Store.SetState(ctx, r.id, interview.StateEnded)
}

// fakeStarter moves the interview to live, as app/live does, and posts
// an event before returning, as a real pipeline may.
type fakeStarter struct {
	store *store.Store
	run   *fakeRun
	mu    sync.Mutex
	ids   []int64
	in    LiveInputs
	// elsewhere is an interview another process holds live.
	elsewhere int64
}

func (s *fakeStarter) SetInputs(in LiveInputs) {
	s.mu.Lock()
	s.in = in
	s.mu.Unlock()
}

func (s *fakeStarter) StartLive(ctx context.Context, id int64, post func(LiveEvent)) (LiveRun, error) {
	s.mu.Lock()
	s.ids = append(s.ids, id)
	s.mu.Unlock()
	if _, err := s.store.SetState(ctx, id, interview.StateLive); err != nil {
		return nil, err
	}
	post(StatusChange{State: TranscriptionRunning})
	s.run.Store, s.run.id = s.store, id
	return s.run, nil
}

func (s *fakeStarter) EndInterrupted(ctx context.Context, id int64) (interview.Interview, error) {
	return s.store.SetState(ctx, id, interview.StateEnded)
}

func (s *fakeStarter) LiveElsewhere(id int64) (int, bool) {
	if id != 0 && id == s.elsewhere {
		return 4711, true
	}
	return 0, false
}

func (s *fakeStarter) started() ([]int64, LiveInputs) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]int64(nil), s.ids...), s.in
}

// testNow is the fixed wall clock of the screen tests.
var testNow = time.Date(2025, 5, 14, 9, 30, 0, 0, time.Local)

type shellFixture struct {
	s       *shell
	w       fyne.Window
	st      *store.Store
	meters  *fakeMeters
	starter *fakeStarter
	free    uint64
}

// newTestShell opens Home at 400 × 720 over a fresh store. tune may
// change the dependencies first.
func newTestShell(t *testing.T, shelf *fakeShelf, tune ...func(*Deps)) *shellFixture {
	t.Helper()
	test.NewTempApp(t)
	useLanguage(t, "en")
	st, err := store.Open(filepath.Join(t.TempDir(), "sidenote.db"), store.WithClock(func() time.Time { return testNow }))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f := &shellFixture{st: st, meters: &fakeMeters{names: []string{"Built-in Microphone", "Monitor of Speakers"}}, free: 50 << 30}
	f.starter = &fakeStarter{store: st, run: &fakeRun{transcribing: true}}
	if shelf == nil {
		shelf = &fakeShelf{installed: map[string]int64{"base.en": 142 << 20}, def: "base.en"}
	}
	d := Deps{
		Models:  shelf,
		DataDir: "/home/you/.local/share/sidenote",
		Store:   st,
		ListInterviews: func(ctx context.Context) ([]interview.Interview, error) {
			return st.ListInterviews(ctx, store.ListOptions{})
		},
		Library:  storeLibrary{st},
		Live:     f.starter,
		Meters:   f.meters,
		FreeDisk: func() (uint64, error) { return f.free, nil },
		Now:      func() time.Time { return testNow },
	}
	for _, fn := range tune {
		fn(&d)
	}
	f.w = test.NewWindow(nil)
	f.s = newShell(f.w, d)
	f.w.Resize(fyne.NewSize(400, 720))
	f.s.showHome()
	t.Cleanup(func() {
		f.s.close()
		f.w.Close()
	})
	return f
}

func (f *shellFixture) create(t *testing.T, iv interview.Interview) interview.Interview {
	t.Helper()
	if err := f.st.CreateInterview(context.Background(), &iv); err != nil {
		t.Fatal(err)
	}
	return iv
}

func (f *shellFixture) interview(t *testing.T, id int64) interview.Interview {
	t.Helper()
	iv, err := f.st.Interview(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return iv
}

// findButton finds the button labelled text under o.
func findButton(o fyne.CanvasObject, text string) *widget.Button {
	switch v := o.(type) {
	case *widget.Button:
		if v.Text == text {
			return v
		}
	case *fyne.Container:
		for _, c := range v.Objects {
			if b := findButton(c, text); b != nil {
				return b
			}
		}
	case *container.Scroll:
		return findButton(v.Content, text)
	case *widget.Card:
		return findButton(v.Content, text)
	}
	return nil
}

func TestNewInterviewValidatesAndCreates(t *testing.T) {
	f := newTestShell(t, nil)
	ctx := context.Background()
	tpl := interview.Template{Name: "Backend", Questions: []interview.TemplateQuestion{
		{Text: "Tell me about a system you designed."}, {Text: "How do you review code?"},
	}}
	if err := f.st.CreateTemplate(ctx, &tpl); err != nil {
		t.Fatal(err)
	}
	test.Tap(f.s.home.newBtn)
	form, ok := formOf(f)
	if !ok {
		t.Fatal("New interview did not open the form")
	}

	// Nothing typed: the title is asked for, and nothing is stored.
	test.Tap(form.save)
	if !form.errs["title"].Visible() {
		t.Error("an empty title shows no message")
	}
	form.title.SetText("Backend engineer, first interview")
	form.date.SetText("14 June")
	test.Tap(form.save)
	if !form.errs["when"].Visible() || form.errs["title"].Visible() {
		t.Errorf("bad date: when message shown %v, title message shown %v", form.errs["when"].Visible(), form.errs["title"].Visible())
	}
	if all, _ := f.st.ListInterviews(ctx, store.ListOptions{}); len(all) != 0 {
		t.Fatalf("an invalid form stored %d interviews", len(all))
	}

	form.date.SetText("2025-06-14")
	form.clock.SetText("14:00")
	form.length.SetSelectedIndex(3) // 45 min
	form.role.SetText("Backend engineer")
	form.other.SetText("Anna Berg")
	form.platform.SetText("Zoom")
	form.link.SetText("https://zoom.us/j/123")
	form.language.SetSelectedIndex(2) // Swedish
	form.template.SetSelectedIndex(1)
	form.points.SetText("Team of six, hiring two\n? What does on-call look like\n\n- Salary band 55–65k\n")
	test.Tap(form.consent)
	test.Tap(form.save)

	if f.s.check == nil {
		t.Fatal("Save did not open the checklist")
	}
	all, err := f.st.ListInterviews(ctx, store.ListOptions{})
	if err != nil || len(all) != 1 {
		t.Fatalf("stored %d interviews, err %v", len(all), err)
	}
	b, err := f.st.Load(ctx, all[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	iv := b.Interview
	want := time.Date(2025, 6, 14, 14, 0, 0, 0, time.Local)
	if iv.Title != "Backend engineer, first interview" || iv.Mode != interview.ModeInterviewer || iv.OtherName != "Anna Berg" ||
		!iv.ScheduledAt.Equal(want) || iv.Length != 45*time.Minute || iv.Language != "sv" || iv.TemplateID != tpl.ID ||
		!iv.RecordingConsent || iv.State != interview.StatePlanned || iv.Link != "https://zoom.us/j/123" {
		t.Errorf("stored %+v", iv)
	}
	if len(b.Questions) != 2 || b.Questions[1].Text != "How do you review code?" {
		t.Errorf("template questions not copied: %+v", b.Questions)
	}
	wantPoints := []struct {
		text string
		kind interview.PointKind
	}{
		{"Team of six, hiring two", interview.PointKindPoint},
		{"What does on-call look like", interview.PointKindQuestion},
		{"Salary band 55–65k", interview.PointKindPoint},
	}
	if len(b.Points) != len(wantPoints) {
		t.Fatalf("got %d points, want %d: %+v", len(b.Points), len(wantPoints), b.Points)
	}
	for i, w := range wantPoints {
		if p := b.Points[i]; p.Text != w.text || p.Kind != w.kind || p.Position != i+1 {
			t.Errorf("point %d: got %q %s at %d, want %q %s", i, p.Text, p.Kind, p.Position, w.text, w.kind)
		}
	}
}

// formOf is the form the window shows, found through the shell.
func formOf(f *shellFixture) (*interviewForm, bool) {
	return f.s.form, f.s.form != nil
}

func TestNewInterviewModeChangesWording(t *testing.T) {
	f := newTestShell(t, nil)
	test.Tap(f.s.home.newBtn)
	form, _ := formOf(f)
	if !strings.Contains(form.consentLabel.Text, "told the candidate") {
		t.Errorf("interviewer consent %q", form.consentLabel.Text)
	}
	form.mode.SetSelected("Candidate")
	if !strings.Contains(form.consentLabel.Text, "told the interviewer") || form.otherCap.Text != "Interviewer's name" {
		t.Errorf("candidate wording: %q, %q", form.consentLabel.Text, form.otherCap.Text)
	}
}

func TestPracticeGoesToChecklist(t *testing.T) {
	f := newTestShell(t, nil)
	test.Tap(f.s.home.practiceBtn)
	if f.s.check == nil {
		t.Fatal("Practice did not open the checklist")
	}
	iv := f.s.check.iv
	if iv.Mode != interview.ModePractice || iv.Title != "Practice 2025-05-14 09:30" || iv.State != interview.StatePlanned {
		t.Errorf("practice interview %+v", iv)
	}
	if f.s.check.startBtn.Text != "Start practice" {
		t.Errorf("start button %q", f.s.check.startBtn.Text)
	}
}

func TestChecklistReflectsMeterAndDisk(t *testing.T) {
	f := newTestShell(t, nil)
	f.free = 600 << 20
	iv := f.create(t, interview.Interview{Title: "Call with Anna", Mode: interview.ModeCandidate})
	f.s.showChecklist(iv.ID)
	c := f.s.check
	if got := f.meters.opened(); len(got) != 1 || got[0] != "Built-in Microphone" {
		t.Fatalf("meters open %v, want the default microphone only", got)
	}
	if c.disk.state != itemWarn || !strings.Contains(c.disk.detail.Text, "600 MB") {
		t.Errorf("low disk: state %d, %q", c.disk.state, c.disk.detail.Text)
	}

	f.meters.feed("Built-in Microphone", -70, -65) // room noise
	eventually(t, "the meter at silence", func() bool { return c.micMeter.db == -70 })
	if c.mic.state == itemDone {
		t.Error("room noise counted as hearing the user")
	}
	if c.micMeter.Value != 0 {
		t.Errorf("meter at -70 dB shows %v", c.micMeter.Value)
	}
	f.meters.feed("Built-in Microphone", -30, -12) // speech
	eventually(t, "the microphone ticked", func() bool { return c.mic.state == itemDone })
	if c.micMeter.Value != 0.5 || c.mic.detail.Text != "We hear you." {
		t.Errorf("speech at -30 dB: meter %v, detail %q", c.micMeter.Value, c.mic.detail.Text)
	}

	c.callSelect.SetSelected("Monitor of Speakers")
	if got := f.meters.opened(); len(got) != 2 || !c.callMeter.Visible() {
		t.Errorf("after choosing the call input: open %v, call meter shown %v", got, c.callMeter.Visible())
	}
	f.meters.feed("Monitor of Speakers", -25, -10)
	eventually(t, "the call ticked", func() bool { return c.call.state == itemDone })

	f.free = 50 << 30
	f.s.showChecklist(iv.ID)
	if d := f.s.check.disk; d.state != itemDone || d.detail.Text != "50.0 GB free" {
		t.Errorf("plenty of disk: state %d, %q", d.state, d.detail.Text)
	}
	f.s.showHome()
	if got := f.meters.opened(); len(got) != 0 {
		t.Errorf("meters left open after leaving the checklist: %v", got)
	}
}

func TestChecklistMeterIsThrottled(t *testing.T) {
	var applied atomic.Int32
	p := newLevelPipe(func(rms, peak float64) { applied.Add(1) })
	for i := 0; i < 100; i++ {
		p.level(-20, -10)
	}
	drain(3 * meterEvery)
	if n := applied.Load(); n != 1 {
		t.Errorf("100 readings in a burst redrew %d times, want 1", n)
	}
}

func TestStartWithoutModelShowsBannerAndStarts(t *testing.T) {
	f := newTestShell(t, &fakeShelf{installed: map[string]int64{}})
	f.starter.run.transcribing = false
	iv := f.create(t, interview.Interview{Title: "Practice run", Mode: interview.ModePractice})
	f.s.showChecklist(iv.ID)
	c := f.s.check
	if !c.banner.Visible() || c.model.state != itemWarn {
		t.Fatal("no model: the banner must say transcription is off")
	}
	if c.startBtn.Disabled() {
		t.Fatal("Start must be possible without a model")
	}
	c.micSelect.SetSelected("Monitor of Speakers")
	test.Tap(c.startBtn)
	eventually(t, "the Live screen", func() bool { return f.s.live != nil })
	ids, in := f.starter.started()
	if len(ids) != 1 || ids[0] != iv.ID || in.Mic != "Monitor of Speakers" || in.Call != "" {
		t.Errorf("StartLive got %v with %+v", ids, in)
	}
	if got := f.meters.opened(); len(got) != 0 {
		t.Errorf("meters still hold %v while the pipeline starts", got)
	}
	if f.w.Content() != f.s.live.Content() {
		t.Error("the window does not show the Live screen")
	}
	// The screen opened with transcription off; the event posted before
	// it existed then arrived.
	eventually(t, "the early event", func() bool { return f.s.live.tstate == TranscriptionRunning })
}

func TestStartOpensLiveAndEndReturnsHome(t *testing.T) {
	f := newTestShell(t, nil)
	iv := f.create(t, interview.Interview{Title: "Anna Berg", Mode: interview.ModeInterviewer})
	f.s.showChecklist(iv.ID)
	c := f.s.check
	if c.banner.Visible() || c.model.state != itemDone {
		t.Error("a ready model shows the transcription-off banner")
	}
	test.Tap(c.startBtn)
	eventually(t, "the Live screen", func() bool { return f.s.live != nil })
	l, run := f.s.live, f.starter.run
	if got := f.interview(t, iv.ID).State; got != interview.StateLive {
		t.Errorf("state %s after Start", got)
	}

	l.togglePause()
	eventually(t, "the pipeline paused", func() bool { return run.paused.Load() == 1 })
	l.togglePause()
	eventually(t, "the pipeline resumed", func() bool { return run.resumed.Load() == 1 })

	l.end()
	eventually(t, "the pipeline stopped", func() bool { return run.stops.Load() == 1 })
	eventually(t, "back to Home", func() bool { return f.s.live == nil && f.w.Content() == f.s.home.content })
	if got := f.interview(t, iv.ID).State; got != interview.StateEnded {
		t.Errorf("state %s after End", got)
	}
	if findButton(f.s.home.recent, "Review") == nil {
		t.Error("the ended interview is not in Recent with its review button")
	}
}

func TestConsentIsRequiredWhenChosen(t *testing.T) {
	f := newTestShell(t, nil)
	iv := f.create(t, interview.Interview{Title: "Recorded", Mode: interview.ModeInterviewer, RecordingConsent: true})
	f.s.showChecklist(iv.ID)
	c := f.s.check
	if c.consent == nil || !c.startBtn.Disabled() {
		t.Fatal("an unticked recording promise must hold Start")
	}
	test.Tap(c.consent)
	if c.startBtn.Disabled() {
		t.Error("ticking the promise did not allow Start")
	}
	test.Tap(c.noRecord)
	if f.interview(t, iv.ID).RecordingConsent || f.s.check.consent != nil {
		t.Error("Don't record did not clear the consent")
	}
}

func TestNoLiveDisablesStart(t *testing.T) {
	f := newTestShell(t, nil, func(d *Deps) { d.Live, d.Meters, d.FreeDisk = nil, nil, nil })
	iv := f.create(t, interview.Interview{Title: "x", Mode: interview.ModeCandidate})
	f.s.showChecklist(iv.ID)
	c := f.s.check
	if !c.startBtn.Disabled() || !c.startNote.Visible() {
		t.Error("without a pipeline Start must be disabled, saying why")
	}
	if c.mic.state != itemWarn {
		t.Error("without meters the microphone item must say there is no audio")
	}
}

func TestInterruptedInterviewResumeAndEnd(t *testing.T) {
	f := newTestShell(t, nil)
	ctx := context.Background()
	iv := f.create(t, interview.Interview{Title: "Crashed", Mode: interview.ModeInterviewer})
	for _, to := range []interview.State{interview.StateLive, interview.StateInterrupted} {
		if _, err := f.st.SetState(ctx, iv.ID, to); err != nil {
			t.Fatal(err)
		}
	}
	f.s.showHome()
	resume := findButton(f.s.home.recent, "Resume")
	if resume == nil || findButton(f.s.home.recent, "End") == nil {
		t.Fatal("an interrupted interview must offer Resume and End")
	}
	test.Tap(resume)
	if f.s.check == nil || f.s.check.iv.ID != iv.ID || f.s.check.startBtn.Text != "Resume interview" {
		t.Fatal("Resume did not open the checklist")
	}
	f.s.showHome()
	f.s.home.ended(f.s.endInterview(iv.ID))
	if got := f.interview(t, iv.ID).State; got != interview.StateEnded {
		t.Errorf("state %s after End", got)
	}
	if findButton(f.s.home.recent, "Resume") != nil {
		t.Error("an ended interview still offers Resume")
	}
}

func TestClosingTheWindowWhileLiveEndsIt(t *testing.T) {
	f := newTestShell(t, nil)
	iv := f.create(t, interview.Interview{Title: "Closed", Mode: interview.ModeCandidate})
	f.s.showChecklist(iv.ID)
	test.Tap(f.s.check.startBtn)
	eventually(t, "the Live screen", func() bool { return f.s.live != nil })
	f.s.close()
	if got := f.interview(t, iv.ID).State; got != interview.StateEnded {
		t.Errorf("state %s after closing the window, want ended", got)
	}
	if f.starter.run.stops.Load() != 1 {
		t.Error("closing the window did not stop the pipeline")
	}
}

func TestHomeListsUpcomingInOrder(t *testing.T) {
	f := newTestShell(t, nil)
	f.create(t, interview.Interview{Title: "Later", Mode: interview.ModeInterviewer, ScheduledAt: testNow.Add(48 * time.Hour)})
	f.create(t, interview.Interview{Title: "Sooner", Mode: interview.ModeInterviewer, ScheduledAt: testNow.Add(2 * time.Hour)})
	f.create(t, interview.Interview{Title: "Someday", Mode: interview.ModeCandidate})
	f.s.showHome()
	var titles []string
	for _, row := range f.s.home.upcoming.Objects {
		titles = append(titles, rowTitle(row))
	}
	if strings.Join(titles, ",") != "Sooner,Later,Someday" {
		t.Errorf("upcoming %v, want Sooner, Later, Someday", titles)
	}
}

// rowTitle is the bold title of an interview row.
func rowTitle(o fyne.CanvasObject) string {
	switch v := o.(type) {
	case *widget.Label:
		if v.TextStyle.Bold {
			return v.Text
		}
	case *fyne.Container:
		for _, c := range v.Objects {
			if s := rowTitle(c); s != "" {
				return s
			}
		}
	}
	return ""
}
