package ui

import (
	"sync"
	"time"

	"fyne.io/fyne/v2/lang"

	"github.com/sidenote-app/sidenote/app/interview"
)

// LiveEvent is something the pipeline tells the Live screen. The concrete
// types below are the whole set; hand them to Live.Post.
type LiveEvent interface{ liveEvent() }

// PartialText is what the recognizer has heard so far of an utterance
// still being spoken. It is shown greyed and replaced by the next partial
// of the same source, then by the FinalSegment that covers it.
type PartialText struct {
	Source  interview.Source
	StartMs int64 // interview time the utterance began
	Text    string
}

// FinalSegment is a finished utterance, as stored.
type FinalSegment struct{ Segment interview.Segment }

// Levels are the inputs' current loudness, 0 (silence) to 1 (full scale).
type Levels struct{ You, Them float32 }

// Speaking says that a source started or stopped speaking (from the
// voice activity detector). You speaking drives the eye-contact reminder.
type Speaking struct {
	Source   interview.Source
	Speaking bool
}

// Backlog is how far transcription trails the audio.
type Backlog struct {
	Behind  time.Duration // audio time not yet transcribed
	Pending int           // utterances waiting
}

// TranscriptionState is what the top bar says about transcription.
type TranscriptionState int

// The transcription states. The zero value is Starting, so a screen opened
// before the pipeline reports anything does not claim more than it knows.
const (
	TranscriptionStarting TranscriptionState = iota
	TranscriptionRunning
	TranscriptionOff    // no model: notes only
	TranscriptionFailed // Err says what failed and what to do
)

// StatusChange reports a new transcription state. With Err set the error
// is also shown in the banner, because it usually needs the user to act
// (a lost device, a model that failed to load).
type StatusChange struct {
	State TranscriptionState
	Err   error
}

// CoachSnapshot is the speaking coach's latest reading, filled by the
// wiring code from the domain's speaking metrics.
type CoachSnapshot struct {
	WPM       float64       // your words per minute, rolling
	Fillers   int           // filler words so far ("um", "liksom" …)
	YouShare  float64       // your share of talk time, 0..1
	Monologue time.Duration // length of your current turn; 0 when silent
}

// RecordingChange says the recorder started or stopped.
type RecordingChange struct{ On bool }

func (PartialText) liveEvent()     {}
func (FinalSegment) liveEvent()    {}
func (Levels) liveEvent()          {}
func (Speaking) liveEvent()        {}
func (Backlog) liveEvent()         {}
func (StatusChange) liveEvent()    {}
func (CoachSnapshot) liveEvent()   {}
func (RecordingChange) liveEvent() {}

// flushEvery is the shortest gap between two redraws caused by events:
// the recognizer and the level meters can send hundreds a second, and
// like fyne-io/terminal we redraw at most about 30 times a second.
const flushEvery = 33 * time.Millisecond

// Post hands an event to the screen. It is safe from any goroutine and
// never blocks on the UI: events are batched, bursts of the same kind are
// coalesced (only the newest level, backlog, status and coach reading, and
// partial per source, count), and the batch is applied on the UI goroutine
// through the bridge at most once per flushEvery.
func (l *Live) Post(ev LiveEvent) { l.events.post(ev) }

// eventQueue is the batch waiting for the UI goroutine.
type eventQueue struct {
	live *Live

	mu        sync.Mutex
	b         eventBatch
	scheduled bool
	lastFlush time.Time
	stopped   bool
}

type eventBatch struct {
	finals    []interview.Segment
	partials  map[interview.Source]PartialText
	speaking  map[interview.Source]bool
	levels    *Levels
	backlog   *Backlog
	status    *StatusChange
	coach     *CoachSnapshot
	recording *bool
}

func (q *eventQueue) post(ev LiveEvent) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.stopped {
		return
	}
	b := &q.b
	switch e := ev.(type) {
	case PartialText:
		if b.partials == nil {
			b.partials = map[interview.Source]PartialText{}
		}
		b.partials[e.Source] = e
	case FinalSegment:
		b.finals = append(b.finals, e.Segment)
		if p, ok := b.partials[e.Segment.Source]; ok && p.StartMs <= e.Segment.StartMs {
			delete(b.partials, e.Segment.Source) // the final covers it
		}
	case Levels:
		b.levels = &e
	case Speaking:
		if b.speaking == nil {
			b.speaking = map[interview.Source]bool{}
		}
		b.speaking[e.Source] = e.Speaking
	case Backlog:
		b.backlog = &e
	case StatusChange:
		b.status = &e
	case CoachSnapshot:
		b.coach = &e
	case RecordingChange:
		on := e.On
		b.recording = &on
	default:
		return
	}
	if q.scheduled {
		return
	}
	q.scheduled = true
	wait := flushEvery - time.Since(q.lastFlush)
	if wait <= 0 {
		onUI(q.flush)
		return
	}
	time.AfterFunc(wait, func() { onUI(q.flush) })
}

func (q *eventQueue) stop() {
	q.mu.Lock()
	q.stopped = true
	q.b = eventBatch{}
	q.mu.Unlock()
}

// flush applies the batch; it runs on the UI goroutine.
func (q *eventQueue) flush() {
	q.mu.Lock()
	b := q.b
	q.b = eventBatch{}
	q.scheduled = false
	q.lastFlush = time.Now()
	stopped := q.stopped
	q.mu.Unlock()
	if !stopped {
		q.live.apply(b)
	}
}

func (l *Live) apply(b eventBatch) {
	top := false
	if b.recording != nil {
		l.recording, top = *b.recording, true
	}
	if b.status != nil {
		l.tstate, l.terr, top = b.status.State, b.status.Err, true
		if b.status.Err != nil {
			l.showError(lang.X("live.error.transcription", "Transcription has a problem."), b.status.Err)
		}
		l.script.setState(l.tstate)
	}
	if b.backlog != nil && b.backlog.Behind != l.lag {
		l.lag, top = b.backlog.Behind, true
	}
	if top {
		l.refreshTop()
	}
	if b.levels != nil {
		l.levelYou.set(b.levels.You)
		l.levelThem.set(b.levels.Them)
	}
	if s, ok := b.speaking[interview.SourceYou]; ok {
		l.speakingMe = s
	}
	if b.coach != nil {
		shown := l.coach.content.Visible()
		l.coach.set(*b.coach)
		if !shown {
			l.relayout()
		}
	}
	if len(b.finals) > 0 || len(b.partials) > 0 {
		l.script.add(b.finals, b.partials)
	}
	if len(b.finals) > 0 {
		l.suggest.consider(b.finals)
	}
	if b.speaking != nil {
		l.updateReminder(l.deps.Clock.Elapsed())
	}
}
