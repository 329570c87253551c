package ui

import (
	"context"
	"time"

	"github.com/sidenote-app/sidenote/app/interview"
)

// The interfaces below are what the wiring code (cmd/sidenote) implements
// for the screens that lead to the Live screen: Home, New interview and
// the Before-you-start checklist. They name only app/interview types, so
// this package never imports the store, the pipeline or the audio driver.

// LiveStarter starts the audio pipeline for an interview, and is the one
// owner of live interviews for the window: screens never change a live or
// interrupted interview's state in the store themselves. post receives the
// pipeline's events already translated for the Live screen; it may be
// called from any goroutine (pass it straight to (*Live).Post).
//
// StartLive takes the interview's lock and moves it to live in the store
// (as app/live.Start does) and is called off the UI goroutine, with every
// checklist meter already stopped, so the devices are free. post may be
// called before StartLive returns: the screen keeps those events until the
// Live screen exists. An interview live in another process is refused with
// an error that says so.
//
// SetInputs is called just before every StartLive with the devices the
// user picked in the checklist; StartLive opens those.
//
// EndInterrupted ends an interrupted interview without resuming it, its
// length the last moment it stored. LiveElsewhere reports whether another
// process (a `sidenote live` in a terminal, a second window) runs the
// interview now, and its pid.
//
// The starter's owner ends every run still live when the window has
// closed, and waits for them before closing the model and the store.
type LiveStarter interface {
	StartLive(ctx context.Context, interviewID int64, post func(LiveEvent)) (LiveRun, error)
	SetInputs(in LiveInputs)
	EndInterrupted(ctx context.Context, interviewID int64) (interview.Interview, error)
	LiveElsewhere(interviewID int64) (pid int, elsewhere bool)
}

// LiveInputs are the devices chosen in the checklist, by the names
// Meters.InputNames returned. An empty Mic means the system's default
// input; an empty Call means no call audio (the microphone only).
type LiveInputs struct {
	Mic, Call string
}

// LiveRun is a live interview (app/live.Run behind it). Every change the
// Live screen makes goes through it (it is the screen's LiveStore): notes,
// questions, points, pause and resume; it stamps from its clock, which
// Elapsed reads (LiveClock).
//
// End stops capture, finishes what was being said (bounded), stores it and
// ends the interview; it returns once the last final is stored, may take
// seconds, and is called off the UI goroutine. Calling it again waits for
// the first call and returns its outcome.
type LiveRun interface {
	LiveStore
	Elapsed() time.Duration
	End(ctx context.Context) (interview.Interview, error)
	// Transcribing reports whether a speech model runs (false: notes only).
	Transcribing() bool
	Recording() bool
}

// Meters opens a live input level for the checklist.
type Meters interface {
	InputNames() ([]string, error) // input device names, default first
	// OpenMeter starts metering device (by name; "" is the default input).
	// onLevel is called from any goroutine, about 20 times a second, with
	// levels in dBFS (0 is full scale, silence is far below -60). stop
	// closes the device and returns once onLevel will not be called again.
	OpenMeter(device string, onLevel func(rmsDB, peakDB float64)) (stop func(), err error)
}

// HomeStore is what the home, new-interview and checklist screens need
// from the store. *store.Store satisfies it (see home_store_test.go).
// Listing interviews needs a store-only options type, so it is the plain
// function Deps.ListInterviews instead.
type HomeStore interface {
	LiveStore
	Interview(ctx context.Context, id int64) (interview.Interview, error)
	CreateInterview(ctx context.Context, iv *interview.Interview) error
	UpdateInterview(ctx context.Context, iv *interview.Interview) error
	Templates(ctx context.Context) ([]interview.Template, error)
	// The Templates editor's calls; it saves every change at once.
	Template(ctx context.Context, id int64) (interview.Template, error)
	CreateTemplate(ctx context.Context, t *interview.Template) error
	UpdateTemplate(ctx context.Context, t *interview.Template) error
	DeleteTemplate(ctx context.Context, id int64) error
	AddPoint(ctx context.Context, p *interview.TalkingPoint) error
}

// Screen names where the window opens: "home" (the default), "new",
// "templates", "settings", "library", "checklist", "live" or "review" (for an
// InterviewID: "live" starts it as the checklist's Start button would), or
// "compare" (InterviewID holds a template's id; 0 lets the user pick). The demo and
// `make screenshots` use it; an unknown Kind opens Home.
type Screen struct {
	Kind        string
	InterviewID int64
}
