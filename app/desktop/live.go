package desktop

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sidenote-app/sidenote/app/interview"
	"github.com/sidenote-app/sidenote/app/live"
	"github.com/sidenote-app/sidenote/app/paths"
	"github.com/sidenote-app/sidenote/app/store"
	"github.com/sidenote-app/sidenote/app/ui"
	"github.com/sidenote-app/sidenote/transcribe"
	"github.com/sidenote-app/sidenote/transcribe/audio"
	"github.com/sidenote-app/sidenote/transcribe/whisper"
	"github.com/sidenote-app/sidenote/transcribe/whisper/models"
)

// liveStarter runs interviews for the window through app/live: it opens the
// chosen inputs, loads the default speech model once (none: notes only),
// builds the initial prompt from the interview, and translates the
// session's events for the Live screen.
type liveStarter struct {
	e      Env
	store  *store.Store
	models *models.Library
	// prefs are the window's settings: threads and the default spoken
	// language for interviews that name none.
	prefs ui.Prefs

	mu        sync.Mutex
	mic, call string
	model     *whisper.Model
	runs      liveRuns
}

// SetInputs chooses the devices the next StartLive opens; "" is the
// system's default microphone, or no call audio.
func (s *liveStarter) SetInputs(in ui.LiveInputs) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mic, s.call = in.Mic, in.Call
}

// loadModel returns the default model, loading it on first use; nil and
// the reason when there is none or it does not load.
func (s *liveStarter) loadModel() (*whisper.Model, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.model != nil {
		return s.model, nil
	}
	path, err := s.models.Resolve("")
	if err != nil {
		return nil, err
	}
	m, err := whisper.Load(path, whisper.LoadOptions{})
	if err != nil {
		return nil, err
	}
	s.model = m
	return m, nil
}

// close ends every interview still live (see liveRuns.endAll), then
// closes the model: no run may be using it any more.
func (s *liveStarter) close(ctx context.Context) {
	s.runs.endAll(ctx, s.e.Stderr)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.model != nil {
		s.model.Close()
		s.model = nil
	}
}

func (s *liveStarter) StartLive(ctx context.Context, id int64, post func(ui.LiveEvent)) (ui.LiveRun, error) {
	s.mu.Lock()
	micName, callName := s.mic, s.call
	s.mu.Unlock()

	b, err := s.store.Load(ctx, id)
	if err != nil {
		return nil, err
	}
	var inputs []live.Input
	closeInputs := func() {
		for _, in := range inputs {
			in.Reader.(io.Closer).Close()
		}
	}
	mic, err := audio.OpenCapture(audio.CaptureConfig{Device: micName})
	if err != nil {
		return nil, fmt.Errorf("microphone: %w", err)
	}
	inputs = append(inputs, live.Input{Source: transcribe.SourceYou, Reader: mic})
	if callName != "" {
		call, err := audio.OpenCapture(audio.CaptureConfig{Device: callName})
		if err != nil {
			closeInputs()
			return nil, fmt.Errorf("call audio: %w", err)
		}
		inputs = append(inputs, live.Input{Source: transcribe.SourceThem, Reader: call})
	}

	r := &guiRun{id: id, post: post}
	var rec transcribe.Recognizer
	if m, err := s.loadModel(); err == nil {
		language, threads := b.Interview.Language, whisper.DefaultThreads()
		if s.prefs.P != nil {
			if language == "" {
				language = s.prefs.SpokenLanguage()
			}
			if n := s.prefs.Threads(); n > 0 {
				threads = n
			}
		}
		rec = &whisper.Recognizer{Model: m, Options: whisper.Options{
			Language: language,
			Threads:  threads,
			InitialPrompt: interview.InitialPrompt(interview.PromptInput{
				Interview: b.Interview, Questions: b.Questions, Points: b.Points,
			}),
		}}
		r.transcribing = true
	} else {
		s.e.Log.Info("live interview without transcription", "reason", err)
	}
	newSegmenter, _ := whisper.SpeechDetector(s.e.Stderr)
	run, err := live.Start(ctx, live.Options{
		Store: s.store, InterviewID: id, Inputs: inputs, Recognizer: rec,
		RecordingsDir: s.e.Dirs.Recordings(),
		LockDir:       s.e.Dirs.Locks(),
		FreeSpace:     func() (uint64, error) { return paths.FreeSpace(s.e.Dirs.Data) },
		OnLowSpace: func(free uint64) {
			r.post(ui.StatusChange{State: r.state(), Err: fmt.Errorf("only %d MB free on the disk of %s: the transcript and recording stop being saved when it is full", free>>20, s.e.Dirs.Data)})
		},
		OnEvent:      r.translate,
		NewSegmenter: newSegmenter,
		Log:          s.e.Log,
	})
	if err != nil {
		return nil, err
	}
	r.recording = b.Interview.RecordingConsent
	r.Run = run
	r.run.Store(run)
	s.runs.add(run)
	return r, nil
}

func (s *liveStarter) EndInterrupted(ctx context.Context, id int64) (interview.Interview, error) {
	return live.EndInterrupted(ctx, s.store, s.e.Dirs.Locks(), id)
}

func (s *liveStarter) LiveElsewhere(id int64) (int, bool) {
	return live.HeldElsewhere(s.e.Dirs.Locks(), id)
}

// liveRuns are the runs a window started, so that quitting ends those
// still live and waits for them.
type liveRuns struct {
	mu   sync.Mutex
	runs []*live.Run
}

func (l *liveRuns) add(r *live.Run) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.runs = append(l.runs, r)
}

// endAll ends every run not yet ended, as the End button would, and waits.
// Cancelling ctx (a second signal) cuts that short: those interviews are
// left interrupted with what was stored.
func (l *liveRuns) endAll(ctx context.Context, w io.Writer) {
	l.mu.Lock()
	runs := l.runs
	l.runs = nil
	l.mu.Unlock()
	for _, r := range runs {
		select {
		case <-r.Done():
			continue
		default:
		}
		fmt.Fprintf(w, "Finishing interview %d… (Ctrl+C again to stop now)\n", r.InterviewID())
		done := make(chan struct{})
		go func() {
			defer close(done)
			r.End(context.WithoutCancel(ctx))
		}()
		select {
		case <-done:
		case <-ctx.Done():
			r.Interrupt(context.WithoutCancel(ctx), "stopped while finishing")
			<-done
		}
	}
}

// guiRun is a live.Run as the window sees it: the run itself for every
// change (it is the Live screen's store), and its events translated.
type guiRun struct {
	*live.Run // set once live.Start returns, before the window sees it
	id        int64
	// run is the same run for the event goroutine: the session's events
	// may arrive before live.Start returns.
	run          atomic.Pointer[live.Run]
	post         func(ui.LiveEvent)
	transcribing bool
	recording    bool

	mu       sync.Mutex
	levels   ui.Levels
	speaking map[transcribe.Source]bool
}

func (r *guiRun) Transcribing() bool { return r.transcribing }
func (r *guiRun) Recording() bool    { return r.recording }

// translate turns a session event into what the Live screen shows. It runs
// on the session's event goroutine; Post hands over to the UI thread.
func (r *guiRun) translate(ev transcribe.Event) {
	src := interview.Source(ev.Source)
	switch ev.Kind {
	case transcribe.EventPartial:
		if text := transcribe.JoinText(ev.Segments); text != "" {
			r.post(ui.PartialText{Source: src, StartMs: ev.Start.Milliseconds(), Text: text})
		}
	case transcribe.EventFinal:
		for _, s := range ev.Segments {
			r.post(ui.FinalSegment{Segment: interview.Segment{
				InterviewID: r.id, Source: interview.Source(s.Source),
				StartMs: s.Start.Milliseconds(), EndMs: s.End.Milliseconds(),
				Text: s.Text, Confidence: float64(s.Confidence),
			}})
		}
		if run := r.run.Load(); run != nil {
			r.post(coachEvent(run.Coach()))
		}
	case transcribe.EventLevel:
		r.mu.Lock()
		if r.speaking == nil {
			r.speaking = map[transcribe.Source]bool{}
		}
		v := meterValue(ev.Level.RMS)
		if ev.Source == transcribe.SourceThem {
			r.levels.Them = v
		} else {
			r.levels.You = v
		}
		levels := r.levels
		changed := r.speaking[ev.Source] != ev.Level.Speaking
		r.speaking[ev.Source] = ev.Level.Speaking
		r.mu.Unlock()
		r.post(levels)
		if changed {
			r.post(ui.Speaking{Source: src, Speaking: ev.Level.Speaking})
		}
	case transcribe.EventBacklog:
		r.post(ui.Backlog{Behind: ev.Backlog.Lag, Pending: ev.Backlog.Utterances})
	case transcribe.EventDeviceError, transcribe.EventRecognizerError:
		r.post(ui.StatusChange{State: ui.TranscriptionFailed, Err: describe(ev)})
	case transcribe.EventSinkError, transcribe.EventRecorderError, transcribe.EventSpoolError:
		r.post(ui.StatusChange{State: r.state(), Err: describe(ev)})
	case transcribe.EventDeviceRestored:
		r.post(ui.StatusChange{State: r.state()})
	case transcribe.EventState:
		if ev.State == transcribe.StateRunning {
			r.post(ui.StatusChange{State: r.state()})
		}
	}
}

func (r *guiRun) state() ui.TranscriptionState {
	if r.transcribing {
		return ui.TranscriptionRunning
	}
	return ui.TranscriptionOff
}

// describe says what failed and what to do, for the banner.
func describe(ev transcribe.Event) error {
	who := ev.Source.Label()
	switch ev.Kind {
	case transcribe.EventDeviceError:
		return fmt.Errorf("%s input stopped (%w); check the device: it is reopened as soon as it is back, and notes keep working", who, ev.Err)
	case transcribe.EventRecorderError:
		if errors.Is(ev.Err, audio.ErrDiskFull) {
			return fmt.Errorf("recording stopped: the disk is full; free some space (notes and transcript are still saved): %w", ev.Err)
		}
		return fmt.Errorf("recording of %s stopped: %w", who, ev.Err)
	case transcribe.EventSinkError:
		what := "transcript not saved yet"
		if strings.Contains(strings.ToLower(ev.Err.Error()), "full") {
			what = "disk full"
		}
		return fmt.Errorf("%s — %d utterances waiting, kept in memory and retried; free some space (after %v the interview stops, keeping what was saved): %w",
			what, ev.Unsaved, live.DefaultGiveUpAfter, ev.Err)
	}
	return fmt.Errorf("%s: %w", ev.Kind, ev.Err)
}

// meterValue maps an RMS level in dBFS to 0..1 over the 60 dB a speaking
// voice and a quiet room span.
func meterValue(db float64) float32 {
	return float32(math.Min(1, math.Max(0, (db+60)/60)))
}

func coachEvent(s interview.CoachSnapshot) ui.CoachSnapshot {
	var mono time.Duration
	if s.Current.Source == interview.SourceYou {
		mono = time.Duration(s.Current.Ms) * time.Millisecond
	}
	return ui.CoachSnapshot{WPM: s.You.WPM, Fillers: s.You.FillerTotal, YouShare: s.Share.You, Monologue: mono}
}

// meters opens input levels for the checklist.
type meters struct{}

func (meters) InputNames() ([]string, error) {
	devs, err := audio.Devices()
	if errors.Is(err, audio.ErrNoMicrophone) {
		return nil, nil // the checklist says so in its own words
	}
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(devs))
	for _, d := range devs {
		if d.Default {
			names = append([]string{d.Name}, names...)
		} else {
			names = append(names, d.Name)
		}
	}
	return names, nil
}

// OpenMeter captures device and reports its level about 20 times a second
// until stop is called.
func (meters) OpenMeter(device string, onLevel func(rmsDB, peakDB float64)) (func(), error) {
	c, err := audio.OpenCapture(audio.CaptureConfig{Device: device})
	if err != nil {
		return nil, err
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]float32, transcribe.SampleRate/20)
		for {
			n, err := fill(c, buf)
			if n > 0 {
				var sum, peak float64
				for _, v := range buf[:n] {
					x := math.Abs(float64(v))
					sum += x * x
					peak = math.Max(peak, x)
				}
				onLevel(dbfs(math.Sqrt(sum/float64(n))), dbfs(peak))
			}
			if err != nil {
				return
			}
		}
	}()
	return func() {
		c.Close()
		<-done
	}, nil
}

// fill reads until buf is full or the reader fails.
func fill(r transcribe.SampleReader, buf []float32) (int, error) {
	n := 0
	for n < len(buf) {
		m, err := r.Read(buf[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

func dbfs(x float64) float64 {
	if x <= 1e-6 {
		return -120
	}
	return 20 * math.Log10(x)
}
