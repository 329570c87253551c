package desktop

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"strings"
	"time"

	"github.com/sidenote-app/sidenote/app/interview"
	"github.com/sidenote-app/sidenote/app/live"
	"github.com/sidenote-app/sidenote/app/paths"
	"github.com/sidenote-app/sidenote/app/store"
	"github.com/sidenote-app/sidenote/app/ui"
	"github.com/sidenote-app/sidenote/transcribe"
	"github.com/sidenote-app/sidenote/transcribe/transcribetest"
)

// DemoScreens are the screens the demo can open on.
var DemoScreens = []string{"home", "new", "templates", "settings", "checklist", "live", "library", "review", "compare"}

// ErrUnknownScreen is Demo's answer to a screen not in DemoScreens.
var ErrUnknownScreen = errors.New("unknown screen")

// DemoOptions say how the demo opens.
type DemoOptions struct {
	Screen string     // one of DemoScreens; "" is home
	Size   [2]float32 // zero: the window's own default
	// Dir keeps the demo's data; empty uses a temporary folder, removed
	// afterwards.
	Dir string
}

// Demo opens the window over made-up interviews in a throw-away data
// folder, with audio played from generated speech and a scripted
// transcript: a way to look around without a microphone or a model, and
// what `make screenshots` photographs. It never touches the real library.
func Demo(ctx context.Context, e Env, o DemoOptions) error {
	if err := CheckDisplay(); err != nil {
		return err
	}
	data := o.Dir
	if data == "" {
		tmp, err := os.MkdirTemp("", "sidenote-demo-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		data = tmp
	}
	e.Dirs = paths.Dirs{Data: data, Log: e.Log}
	if err := e.Dirs.Ensure(); err != nil {
		return err
	}
	st, err := store.Open(e.Dirs.Database())
	if err != nil {
		return err
	}
	defer st.Close()
	ids, err := seedDemo(ctx, st)
	if err != nil {
		return fmt.Errorf("seeding the demo library: %w", err)
	}
	open := ui.Screen{Kind: o.Screen}
	switch o.Screen {
	case "", "home", "new", "templates", "settings", "library":
	case "checklist", "live":
		open.InterviewID = ids.upcoming
	case "review":
		open.InterviewID = ids.reviewed
	case "compare":
		open.InterviewID = ids.template
	default:
		return fmt.Errorf("%w %q: use %s", ErrUnknownScreen, o.Screen, strings.Join(DemoScreens, ", "))
	}
	starter := &demoStarter{store: st}
	err = openWindow(ctx, e, st, starter, windowOptions{size: o.Size, open: open, meters: demoMeters{}})
	stop, release := afterSignal()
	defer release()
	starter.runs.endAll(stop, e.Stderr)
	return err
}

type demoIDs struct{ upcoming, reviewed, template int64 }

// seedDemo fills an empty library: an interview planned for tomorrow (the
// one the checklist and live screens open), one interrupted mid-way, a
// finished candidate interview and a practice run, and a template.
func seedDemo(ctx context.Context, st *store.Store) (demoIDs, error) {
	var ids demoIDs
	tpl := interview.Template{Name: "Backend engineer", Description: "Second-round technical interview"}
	for i, q := range ui.DemoBundle(interview.ModeInterviewer).Questions {
		tpl.Questions = append(tpl.Questions, interview.TemplateQuestion{Position: i + 1, Text: q.Text, Competency: q.Competency, Guidance: q.Guidance})
	}
	if err := st.CreateTemplate(ctx, &tpl); err != nil {
		return ids, err
	}
	now := time.Now()
	for _, mode := range []interview.Mode{interview.ModeInterviewer, interview.ModeCandidate, interview.ModePractice} {
		b := ui.DemoBundle(mode)
		b.Interview.TemplateID = tpl.ID // so Compare has something to line up
		switch mode {
		case interview.ModeInterviewer:
			b.Interview.State = interview.StateInterrupted
			b.Interview.StartedAt = now.Add(-3 * time.Hour)
		default:
			b.Interview.State = interview.StateEnded
			b.Interview.StartedAt = now.Add(-26 * time.Hour)
			b.Interview.EndedAt = b.Interview.StartedAt.Add(45 * time.Minute)
		}
		if mode == interview.ModePractice {
			b.Interview.Title, b.Interview.OtherName = "Practice: incident story", "" // alone
		}
		if mode == interview.ModeCandidate {
			b.Interview.Title, b.Interview.OtherName = "Platform team, Spotify", "Sam Berg"
		}
		id, err := st.Import(ctx, &b)
		if err != nil {
			return ids, err
		}
		if mode == interview.ModeCandidate {
			ids.reviewed = id
		}
	}
	up := interview.Interview{
		Title: "Backend engineer, Åsa Öberg", Role: "Backend engineer", OtherName: "Åsa Öberg",
		Mode: interview.ModeInterviewer, ScheduledAt: now.Add(24 * time.Hour).Truncate(time.Hour), Length: 45 * time.Minute,
		Platform: "Zoom", Link: "https://zoom.example/j/123", Language: "en", TemplateID: tpl.ID,
	}
	if err := st.CreateInterview(ctx, &up); err != nil {
		return ids, err
	}
	for i, p := range ui.DemoBundle(interview.ModeInterviewer).Points {
		p.ID, p.InterviewID, p.Position, p.Checked = 0, up.ID, i+1, false
		if err := st.AddPoint(ctx, &p); err != nil {
			return ids, err
		}
	}
	ids.upcoming, ids.template = up.ID, tpl.ID
	return ids, nil
}

// demoStarter runs the real pipeline (VAD, session, store, coach) on
// generated speech, with a recognizer that reads from a script instead of
// listening: what the window shows is real, the words are not.
type demoStarter struct {
	store *store.Store
	runs  liveRuns
}

func (d *demoStarter) SetInputs(ui.LiveInputs) {}

func (d *demoStarter) StartLive(ctx context.Context, id int64, post func(ui.LiveEvent)) (ui.LiveRun, error) {
	const total = 10 * time.Minute
	var you, them []transcribetest.Burst
	for at := 2 * time.Second; at < total; at += 16 * time.Second {
		them = append(them, transcribetest.Burst{At: at, Dur: 7 * time.Second})
		you = append(you, transcribetest.Burst{At: at + 9*time.Second, Dur: 4 * time.Second})
	}
	r := &guiRun{id: id, post: post, transcribing: true}
	run, err := live.Start(ctx, live.Options{
		Store: d.store, InterviewID: id,
		Inputs: []live.Input{
			{Source: transcribe.SourceYou, Reader: &transcribetest.Paced{Data: transcribetest.Scene(1, total, you...)}},
			{Source: transcribe.SourceThem, Reader: &transcribetest.Paced{Data: transcribetest.Scene(2, total, them...)}},
		},
		Recognizer: scriptedRecognizer{},
		OnEvent:    r.translate,
	})
	if err != nil {
		return nil, err
	}
	r.Run = run
	r.run.Store(run)
	d.runs.add(run)
	return r, nil
}

func (d *demoStarter) EndInterrupted(ctx context.Context, id int64) (interview.Interview, error) {
	return live.EndInterrupted(ctx, d.store, "", id)
}

func (d *demoStarter) LiveElsewhere(int64) (int, bool) { return 0, false }

// demoMeters stands in for the inputs in the demo: one made-up microphone
// whose level follows generated speech.
type demoMeters struct{}

func (demoMeters) InputNames() ([]string, error) {
	return []string{"Demo microphone (generated speech)"}, nil
}

func (demoMeters) OpenMeter(_ string, onLevel func(rmsDB, peakDB float64)) (func(), error) {
	speech := transcribetest.Scene(3, time.Minute, transcribetest.Burst{At: 0, Dur: time.Minute})
	done, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		const block = transcribe.SampleRate / 20
		for i := 0; ; i = (i + block) % (len(speech) - block) {
			select {
			case <-done:
				return
			case <-t.C:
			}
			var sum, peak float64
			for _, v := range speech[i : i+block] {
				x := math.Abs(float64(v))
				sum, peak = sum+x*x, math.Max(peak, x)
			}
			onLevel(dbfs(math.Sqrt(sum/block)), dbfs(peak))
		}
	}()
	return func() { close(done); <-stopped }, nil
}

// scriptedRecognizer answers each utterance with a line of a short
// interview, so the demo's transcript reads like one. The line is picked by
// the utterance's opening samples, which its partials share, and a partial
// gets as many words as about 0.4 s each of audio would carry.
type scriptedRecognizer struct{}

var demoScript = []string{
	"Sure. Last spring our payment webhooks started timing out during a partner's sale.",
	"What did you look at first?",
	"The queue depth. It had grown for twenty minutes before the first alert.",
	"And how did you bring it back under control?",
	"We paused retries, and the backlog drained in about six minutes.",
	"What changed afterwards?",
	"We alert on queue age now, and the partner sends us their sale calendar.",
	"Who read the postmortem?",
}

func (scriptedRecognizer) Recognize(ctx context.Context, samples []float32) ([]transcribe.Segment, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var h uint32 = 2166136261
	for _, v := range samples[:min(len(samples), transcribe.SampleRate/10)] {
		h = (h ^ math.Float32bits(v)) * 16777619
	}
	words := strings.Fields(demoScript[h%uint32(len(demoScript))])
	n := min(len(words), 1+len(samples)/(transcribe.SampleRate*4/10))
	end := transcribe.Samples(int64(len(samples)))
	return []transcribe.Segment{{Start: 0, End: end, Text: strings.Join(words[:n], " "), Confidence: 0.9}}, nil
}
