package transcribe

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"
)

// Errors a stopped Session reports from Stop and Wait. Nothing said is
// dropped silently: when audio could not be transcribed or segments could
// not be stored, the error says how much.
var (
	// ErrNotTranscribed: the session was cancelled (Stop's or Start's
	// context) with utterances still waiting for the recognizer.
	ErrNotTranscribed = errors.New("audio left untranscribed")
	// ErrUnsaved: the sink kept failing; Session.Unsaved returns the
	// segments it never took.
	ErrUnsaved = errors.New("segments not saved")
)

// SampleWriter takes samples as they are captured; the WAV recorder in
// transcribe/audio is one.
type SampleWriter interface {
	Write(samples []float32) error
}

// SegmentSink stores final segments; the interview store is one. A failed
// Final is retried with the same segment later, in order; nil means the
// segment is stored, and only then is its utterance's EventFinal posted.
type SegmentSink interface {
	Final(Segment) error
}

// Input is one audio stream of a Session, such as the microphone or the
// call's audio.
type Input struct {
	// Source labels its segments and events.
	Source Source
	// Reader delivers 16 kHz mono samples, blocking until some are
	// captured, and io.EOF when the stream ends. The Session reads it on a
	// goroutine of its own from Start and owns it: Stop closes it when it
	// implements io.Closer (a capture stream then returns io.EOF), and a
	// Reader that does not must end on its own or Stop waits for it.
	//
	// Two optional methods are used when present:
	//   Overflows() int64   frames lost to a full capture buffer so far
	//                       (audio.Capture's method: device frames);
	//                       changes are reported as EventOverflow.
	//   InvalidSamples() int64  samples the device sent as NaN, infinite
	//                       or beyond full scale, which the reader
	//                       replaced (audio.Capture's method); the first
	//                       is reported as EventInvalidSamples, once.
	//   Reopen() error      after a Read error other than io.EOF (a lost
	//                       device), called with growing delays until it
	//                       succeeds or the session stops; Reads resume
	//                       after it returns nil.
	Reader SampleReader
	// Recorder, if set, gets every sample the session keeps, so its
	// recording is on the session clock's axis: audio during a pause is
	// not written, and the time a device was lost is written as silence.
	// Set it only when the interview has consent to record. The Session
	// stops writing before Wait returns; closing it is the caller's.
	Recorder SampleWriter
}

// Segmenter cuts one input's stream into utterances: vad.Segmenter does,
// through a small adapter (vad imports this package, so this package
// cannot name its types). Offsets count the samples written, from zero.
//
// Write and Flush return the events the samples caused, in order; the
// slice may be reused by the next call, the Samples in it are the
// receiver's to keep and are treated as read-only. Flush ends the
// utterance in progress; the next Write continues at the same offset as a
// new stream. One goroutine uses a Segmenter.
type Segmenter interface {
	Write(samples []float32) []UtteranceEvent
	Flush() []UtteranceEvent
}

// SegmenterOptions are what a Session asks of each input's Segmenter.
type SegmenterOptions struct {
	// PartialEvery is how much new audio an utterance gathers between
	// UtterancePartial events; negative means none.
	PartialEvery time.Duration
	// MaxUtterance is the longest utterance; longer speech is split.
	MaxUtterance time.Duration
	// OnLevel is called during Write for every analysis frame.
	OnLevel func(Level)
}

// UtteranceKind says what happened to an utterance.
type UtteranceKind uint8

const (
	UtteranceStarted UtteranceKind = iota + 1 // speech confirmed
	UtterancePartial                          // more of it: Samples hold all so far
	UtteranceEnded                            // complete: transcribe it as final
)

// UtteranceEvent reports an utterance of one input. Start and End
// (exclusive) are sample offsets; len(Samples) == End-Start.
type UtteranceEvent struct {
	Kind       UtteranceKind
	Start, End int64
	Samples    []float32
}

// Level is an input's loudness for meters, in dBFS, and whether its
// speaker is talking.
type Level struct {
	RMS, Peak float64
	Speaking  bool
}

// silentLevel is reported when an input stops (pause, lost device, end),
// so a meter does not freeze on the last word. -120 dBFS is vad.SilenceDB.
var silentLevel = Level{RMS: -120, Peak: -120}

// State is where a Session is in its life.
type State uint8

const (
	StateIdle     State = iota // created, not started
	StateRunning               // capturing and transcribing
	StatePaused                // capture discarded, clock stopped; the backlog still drains
	StateDraining              // stopped capturing, transcribing what is left
	StateStopped               // everything ended; Wait returns
)

func (s State) String() string {
	switch s {
	case StateIdle:
		return "idle"
	case StateRunning:
		return "running"
	case StatePaused:
		return "paused"
	case StateDraining:
		return "draining"
	case StateStopped:
		return "stopped"
	}
	return fmt.Sprintf("State(%d)", s)
}

// EventKind says what an Event reports, and so which of its fields are set.
type EventKind uint8

const (
	EventState           EventKind = iota + 1 // State
	EventPartial                              // Source, Start, End, Segments: text so far of the utterance in progress
	EventFinal                                // Source, Start, End, Segments: the utterance's final text (maybe none), stored; replaces its partials
	EventLevel                                // Source, Level: about 20 a second per input, and at once when Speaking changes
	EventBacklog                              // Backlog: after every change to what waits for the recognizer
	EventOverflow                             // Source, Overflows: the capture buffer's running total of lost samples
	EventDeviceError                          // Source, Err: the input failed; reopening if it can
	EventDeviceRestored                       // Source: a lost input delivers again
	EventInputEnded                           // Source, Err: the input will deliver no more (Err nil at its end of stream)
	EventRecorderError                        // Source, Err: the recorder failed and is no longer written
	EventSinkError                            // Err, Segments, Unsaved, FailingFor: the sink refused; Segments are all not yet saved, retried in order
	EventRecognizerError                      // Source, Start, End, Err: the utterance could not be transcribed
	EventSpoolError                           // Err: the spool file failed; the backlog grows in memory instead (or, reading back, the utterance is lost)
	EventSinkRestored                         // (no fields): after EventSinkError, the sink took everything that waited
	EventInvalidSamples                       // Source, Invalid: the input sent invalid samples (NaN, infinite, beyond full scale), replaced; once per input
)

var eventNames = [...]string{"", "state", "partial", "final", "level", "backlog", "overflow",
	"device error", "device restored", "input ended", "recorder error", "sink error", "recognizer error", "spool error",
	"sink restored", "invalid samples"}

func (k EventKind) String() string {
	if int(k) < len(eventNames) && k > 0 {
		return eventNames[k]
	}
	return fmt.Sprintf("EventKind(%d)", k)
}

// Event is something consumers of a Session hear about; Kind says which
// fields are set.
type Event struct {
	Kind   EventKind
	Source Source
	State  State
	// Start and End are the utterance's span on the session clock; they
	// identify it, so a final can replace the partials shown for it.
	Start, End time.Duration
	Segments   []Segment
	Level      Level
	Backlog    Backlog
	Overflows  int64
	// Invalid (EventInvalidSamples) is how many samples the input had
	// sent as NaN, infinite or beyond full scale when the first was seen.
	Invalid int64
	Err     error

	// Unsaved and FailingFor describe a failing sink (EventSinkError,
	// posted after every refused attempt and whenever another final
	// joins the wait). Unsaved is how many finals (utterances) wait to
	// be stored, their EventFinal held back until they are; FailingFor
	// is how long the sink has been refusing, from the first refusal
	// since it last took everything, on SessionOptions.Now.
	//
	// The Session never gives up on its own: a consumer that cannot wait
	// for ever (a disk that stays full) compares FailingFor with its
	// limit and stops the session. Stop offers the finals once more, and
	// what stays unsaved comes back from Unsaved with ErrUnsaved.
	Unsaved    int
	FailingFor time.Duration
}

// Backlog is what waits for the recognizer.
type Backlog struct {
	// Utterances ended and not yet transcribed (the one being
	// transcribed included), Audio their total length, Spooled how many
	// of them wait on disk.
	Utterances int
	Audio      time.Duration
	Spooled    int
	// Lag is how far transcription is behind capture: the session clock
	// minus the start of the oldest utterance not yet transcribed, zero
	// when none waits. Speech still in progress does not count, so a
	// recognizer that keeps up reports zero between utterances.
	Lag time.Duration
}

// SessionOptions configure a Session. Inputs, Recognizer, Sink and
// NewSegmenter are required.
type SessionOptions struct {
	// Inputs are transcribed separately and labelled by their Source. The
	// first one drives the clock (see Clock): make it the microphone.
	Inputs     []Input
	Recognizer Recognizer
	Sink       SegmentSink
	// NewSegmenter makes each input's Segmenter (voice activity detection).
	NewSegmenter func(SegmenterOptions) (Segmenter, error)

	// OnEvent receives every Event. It is called on one goroutine the
	// Session owns, one event at a time, in the order they happened for
	// each input (levels, being only the latest, may be merged); it must
	// not block for long, and must not call Stop or Wait. A UI hands
	// events over to its own thread from here. Nil: no events.
	OnEvent func(Event)

	// PartialEvery is how much new speech triggers a partial transcript
	// of the utterance in progress; partials run only while the
	// recognizer has nothing final to do. Default 1.5 s; negative: none.
	PartialEvery time.Duration
	// MaxUtterance bounds an utterance; longer speech is split so finals
	// keep coming. Default 20 s.
	MaxUtterance time.Duration
	// QueueBound is how much ended, untranscribed audio is kept in memory;
	// beyond it utterances wait in a spool file. Default 2 min (7.7 MB).
	QueueBound time.Duration
	// SpoolDir holds the spool file; default os.TempDir().
	SpoolDir string
	// ReopenDelay is the first wait before reopening a lost device; it
	// doubles on each failure up to 16 times itself. Default 500 ms.
	ReopenDelay time.Duration
	// SinkRetry is how often finals the sink refused are offered to it
	// again, in order; finals transcribed meanwhile wait behind them.
	// Default 5 s.
	SinkRetry time.Duration
	// Now is the monotonic time source of the clock; nil means time.Now.
	Now func() time.Time
}

func (o SessionOptions) withDefaults() SessionOptions {
	if o.PartialEvery == 0 {
		o.PartialEvery = 1500 * time.Millisecond
	}
	if o.MaxUtterance <= 0 {
		o.MaxUtterance = 20 * time.Second
	}
	if o.QueueBound <= 0 {
		o.QueueBound = 2 * time.Minute
	}
	if o.ReopenDelay <= 0 {
		o.ReopenDelay = 500 * time.Millisecond
	}
	if o.SinkRetry <= 0 {
		o.SinkRetry = 5 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// readChunk is the most a Read is asked for: 50 ms, which is also the
// level meters' pace.
const readChunk = SampleRate / 20

// Session transcribes live audio from one or more inputs while it is
// captured: each input's speech is cut into utterances, one worker
// goroutine owns the recognizer and transcribes ended utterances first (the
// earliest start first, across inputs) and the utterance in progress only
// when it has nothing else to do. Final segments go to the sink at once,
// and their EventFinal follows only once the sink has stored them: a
// refused final is kept in memory and retried every SinkRetry, in order.
//
// When the recognizer falls behind, ended utterances wait: in memory up to
// QueueBound, then in a spool file. Nothing is dropped; Stop finishes the
// backlog before it returns, unless its context ends first.
//
// Goroutines: one per input (reading, voice activity, recording), the
// worker, one that delivers events and one that supervises the end. All
// have exited when Wait returns.
type Session struct {
	opts   SessionOptions
	inputs []*input
	clock  *Clock
	// outage times lost devices other than the clock's own, so an input
	// that comes back is placed where the session's time has got to; it
	// is paused with the session, like the clock.
	outage  *Clock
	events  *dispatcher
	backlog *backlog
	wake    chan struct{} // worker: something to do

	mu       sync.Mutex
	state    State
	stopping bool
	stopCh   chan struct{} // closed when Stop (or Start's context) begins the end
	cancel   context.CancelFunc
	done     chan struct{} // closed when everything has exited
	err      error         // the end's outcome, set before done closes
	paused   atomic.Bool
	running  atomic.Bool // state is StateRunning: partials allowed

	readers sync.WaitGroup
	worker  sync.WaitGroup

	unsavedMu sync.Mutex
	sink      sinkState // finals the sink has not taken, in order
}

// NewSession checks opts and makes each input's Segmenter. The clock
// stands at zero until Start.
func NewSession(opts SessionOptions) (*Session, error) {
	opts = opts.withDefaults()
	var errs []error
	if len(opts.Inputs) == 0 {
		errs = append(errs, errors.New("no inputs"))
	}
	if opts.Recognizer == nil {
		errs = append(errs, errors.New("no recognizer"))
	}
	if opts.Sink == nil {
		errs = append(errs, errors.New("no segment sink"))
	}
	if opts.NewSegmenter == nil {
		errs = append(errs, errors.New("no segmenter constructor"))
	}
	for i, in := range opts.Inputs {
		if in.Reader == nil {
			errs = append(errs, fmt.Errorf("input %d (%s) has no reader", i, in.Source))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("transcribe: bad session options: %w", err)
	}
	s := &Session{
		opts:   opts,
		clock:  NewClock(opts.Now),
		outage: NewClock(opts.Now),
		events: newDispatcher(opts.OnEvent, len(opts.Inputs)),
		wake:   make(chan struct{}, 1),
		stopCh: make(chan struct{}),
		done:   make(chan struct{}),
	}
	s.clock.Pause()
	s.outage.Pause()
	s.clock.follow(0)
	s.backlog = newBacklog(len(opts.Inputs), toSamples(opts.QueueBound), opts.SpoolDir)
	for i, in := range opts.Inputs {
		n := &input{idx: i, Input: in, s: s}
		seg, err := opts.NewSegmenter(SegmenterOptions{
			PartialEvery: opts.PartialEvery,
			MaxUtterance: opts.MaxUtterance,
			OnLevel:      n.onLevel,
		})
		if err != nil {
			return nil, fmt.Errorf("transcribe: segmenter for input %d (%s): %w", i, in.Source, err)
		}
		n.seg = seg
		s.inputs = append(s.inputs, n)
	}
	return s, nil
}

// Clock is the session's clock, for stamping notes. It stands at zero
// before Start and stops at Stop.
func (s *Session) Clock() *Clock { return s.clock }

// State is the session's current state.
func (s *Session) State() State {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state
}

// Start begins capture and transcription. Cancelling ctx ends the session
// at once, as Stop with an expired context does: what waits for the
// recognizer is abandoned and Wait reports it (ErrNotTranscribed).
func (s *Session) Start(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state != StateIdle {
		return fmt.Errorf("transcribe: session already started (%s)", s.state)
	}
	ctx, s.cancel = context.WithCancel(ctx)
	s.setState(StateRunning)
	s.clock.Resume()
	s.outage.Resume()
	s.events.start()
	s.readers.Add(len(s.inputs))
	for _, in := range s.inputs {
		go in.run()
	}
	s.worker.Add(1)
	go s.work(ctx)
	go s.supervise(ctx)
	return nil
}

// setState records and announces a state; s.mu is held.
func (s *Session) setState(st State) {
	s.state = st
	s.running.Store(st == StateRunning)
	s.events.post(Event{Kind: EventState, State: st})
}

// Pause stops capture and the clock: audio read while paused is discarded
// (neither transcribed nor recorded) and the clock does not count it, so
// the interview's time axis holds only what was kept. The utterance in
// progress ends at the pause and is transcribed. The backlog keeps
// draining. Pausing anything but a running session does nothing.
func (s *Session) Pause() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state != StateRunning {
		return
	}
	s.paused.Store(true)
	s.clock.Pause()
	s.outage.Pause()
	s.setState(StatePaused)
}

// Resume continues a paused session; the clock carries on from where it
// stopped.
func (s *Session) Resume() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state != StatePaused {
		return
	}
	s.clock.Resume()
	s.outage.Resume()
	s.paused.Store(false)
	s.setState(StateRunning)
	s.signal()
}

// Stop ends capture (closing the readers), lets the utterances in
// progress end, and transcribes everything that waits, reporting progress
// as EventBacklog. If ctx ends first, the transcription under way is
// cancelled and the rest abandoned. Stop returns when every goroutine has
// exited, with what Wait returns, plus ctx's error if it ended the drain.
// Stopping a session that never started just marks it stopped.
func (s *Session) Stop(ctx context.Context) error {
	s.mu.Lock()
	if s.state == StateIdle {
		s.stopping = true
		close(s.stopCh)
		s.setState(StateStopped)
		s.mu.Unlock()
		close(s.done)
		return nil
	}
	s.mu.Unlock()
	s.beginStop()
	select {
	case <-s.done:
		return s.err
	case <-ctx.Done():
		s.cancel()
		<-s.done
		return errors.Join(fmt.Errorf("transcribe: stopping: %w", ctx.Err()), s.err)
	}
}

// beginStop closes the readers once; safe from any goroutine.
func (s *Session) beginStop() {
	s.mu.Lock()
	if s.stopping {
		s.mu.Unlock()
		return
	}
	s.stopping = true
	close(s.stopCh)
	s.setState(StateDraining)
	s.mu.Unlock()
	for _, in := range s.inputs {
		if c, ok := in.Reader.(io.Closer); ok {
			c.Close()
		}
	}
	s.signal()
}

// Wait blocks until the session has stopped and returns how it ended:
// nil, or errors wrapping ErrNotTranscribed and ErrUnsaved.
func (s *Session) Wait() error {
	<-s.done
	return s.err
}

// Unsaved returns the final segments the sink has not taken (yet), in
// order. After a stop with ErrUnsaved, these are the ones to rescue.
func (s *Session) Unsaved() []Segment {
	s.unsavedMu.Lock()
	defer s.unsavedMu.Unlock()
	return s.unsavedLocked()
}

// stopRequested reports whether the end has begun.
func (s *Session) stopRequested() bool {
	select {
	case <-s.stopCh:
		return true
	default:
		return false
	}
}

// signal wakes the worker.
func (s *Session) signal() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// supervise runs the end: readers finish, the clock stops, the worker
// drains, and the outcome is recorded.
func (s *Session) supervise(ctx context.Context) {
	select {
	case <-s.stopCh:
	case <-ctx.Done():
		s.beginStop()
	}
	s.readers.Wait()
	s.clock.release()
	s.clock.Pause()
	s.backlog.close()
	s.signal()
	s.worker.Wait()

	var errs []error
	if n, audio, err := s.backlog.discard(); n > 0 || err != nil {
		if n > 0 {
			errs = append(errs, fmt.Errorf("transcribe: %w: %d utterances, %v of audio (the recording, if any, still has it)",
				ErrNotTranscribed, n, Samples(audio).Round(time.Millisecond)))
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	if n := len(s.Unsaved()); n > 0 {
		errs = append(errs, fmt.Errorf("transcribe: %w: the sink refused %d final segments; Session.Unsaved has them", ErrUnsaved, n))
	}
	s.cancel()
	s.err = errors.Join(errs...)
	s.mu.Lock()
	s.setState(StateStopped)
	s.mu.Unlock()
	s.events.close()
	close(s.done)
}
