// Package live runs one interview's audio. It ties the microphone and the
// call's audio to a transcription session, stores every final segment the
// moment it is recognised, records each source to a crash-safe WAV when the
// interview has consent, stamps notes from the session clock, and keeps the
// speaking coach fed.
//
// It is the wiring layer between the pure pipeline (transcribe), the domain
// (app/interview) and the store; the command line and the window both run
// interviews through it, so "what happens to what was said" is decided in
// one place.
package live

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/sidenote-app/sidenote/app/interview"
	"github.com/sidenote-app/sidenote/app/store"
	"github.com/sidenote-app/sidenote/transcribe"
	"github.com/sidenote-app/sidenote/transcribe/audio"
	"github.com/sidenote-app/sidenote/transcribe/vad"
)

// Input is one audio stream: the microphone (SourceYou, always first) or
// the call's audio (SourceThem).
type Input struct {
	Source transcribe.Source
	// Reader delivers 16 kHz mono; an *audio.Capture, or a file source in
	// tests and demos. The run owns it and closes it on Stop.
	Reader transcribe.SampleReader
}

// Options configure a run.
type Options struct {
	Store       *store.Store
	InterviewID int64
	Inputs      []Input
	// Recognizer turns utterances into text; nil runs without
	// transcription (notes, clock and recording still work).
	Recognizer transcribe.Recognizer
	// RecordingsDir receives one WAV per input when the interview has
	// recording consent; empty: never record.
	RecordingsDir string
	// LockDir holds one lock file per live interview (see Lock), so that
	// two processes never run the same interview; empty takes no lock
	// (tests that run one process).
	LockDir string
	// SpoolDir holds audio waiting for a slow recognizer; default the
	// system's temp folder.
	SpoolDir string
	// FinishWithin bounds how long End waits for the utterance in flight
	// and the backlog to be transcribed; 0 means DefaultFinishWithin.
	FinishWithin time.Duration
	// GiveUpAfter is how long the transcript may fail to be stored (a
	// disk that stays full) before the run gives up: it stops, keeps
	// what it could store and leaves the interview interrupted with the
	// reason. 0 means DefaultGiveUpAfter.
	GiveUpAfter time.Duration
	// FreeSpace reports the bytes free where the interview is written;
	// it is checked every minute (and at start), and OnLowSpace hears
	// when it is below LowSpace. Nil checks nothing.
	FreeSpace  func() (uint64, error)
	OnLowSpace func(free uint64)
	// OnEvent sees every session event after the run has handled it (the
	// final already stored), with times on the interview's clock. It runs
	// on the session's event goroutine.
	OnEvent func(transcribe.Event)
	// NewSegmenter makes each input's voice detector and segmenter; nil
	// is the energy detector, vad.ForSession(vad.SegmenterConfig{}). The
	// commands pass Silero's when its model is present.
	NewSegmenter func(transcribe.SegmenterOptions) (transcribe.Segmenter, error)
	Log          *slog.Logger
	// Now is the monotonic time source; nil means time.Now.
	Now func() time.Time
}

// DefaultFinishWithin is how long ending waits for what is still being
// transcribed before it gives up on it (the recording keeps that audio).
const DefaultFinishWithin = 10 * time.Second

// DefaultGiveUpAfter is how long a run keeps retrying a transcript it
// cannot store before it ends the interview as interrupted.
const DefaultGiveUpAfter = 2 * time.Minute

// LowSpace is the free space below which a live interview warns: about
// 40 minutes of two recorded sources, and room for the database.
const LowSpace = 500 << 20

// spaceEvery is how often the free space is checked while live.
const spaceEvery = time.Minute

// progressEvery is how often a live interview's running time is written,
// so a crash loses at most this much of it.
const progressEvery = 5 * time.Second

// Run is one interview in progress, and the only thing that changes it
// while it is live: notes, questions, points, pause, resume and end all go
// through it, stamped by its clock. Its methods are safe from any
// goroutine.
type Run struct {
	store        *store.Store
	id           int64
	session      *transcribe.Session
	log          *slog.Logger
	onEvent      func(transcribe.Event)
	lock         *Lock
	finishWithin time.Duration
	// base is the interview time already run before this start (a
	// resume): the session's clock starts at zero, the interview's at base.
	base time.Duration

	recorders []*recording

	mu       sync.Mutex
	coach    *interview.Coach
	speaking map[transcribe.Source]time.Duration // start of current speech, per source
	state    interview.State

	// end happens once; later callers wait for it and get its outcome.
	// abort cancels an end in progress (Interrupt during End).
	endOnce sync.Once
	abortMu sync.Mutex
	abort   context.CancelFunc
	reason  string
	ended   chan struct{}
	endIv   interview.Interview
	endErr  error

	stopProgress chan struct{}
	progress     sync.WaitGroup

	giveUpAfter time.Duration
	freeSpace   func() (uint64, error)
	onLowSpace  func(uint64)
	// givingUp is set once a fault has started ending the run; faults
	// counts that goroutine, which End and Interrupt wait for.
	givingUp bool
	faults   sync.WaitGroup
}

type recording struct {
	rec *audio.Recorder
	row interview.Recording
}

// Start takes the interview's lock, moves it to live, opens its
// recordings (with consent) and starts transcribing. A resumed interview
// (interrupted or paused before) continues its clock where it stopped. On
// error nothing is left running or open: the inputs are closed, the lock
// released and the interview's state is unchanged.
func Start(ctx context.Context, o Options) (r *Run, err error) {
	closeInputs := func() {
		for _, in := range o.Inputs {
			if c, ok := in.Reader.(io.Closer); ok {
				c.Close()
			}
		}
	}
	if o.Store == nil || len(o.Inputs) == 0 {
		closeInputs()
		return nil, errors.New("live: a store and at least one input are needed")
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.NewSegmenter == nil {
		o.NewSegmenter = vad.ForSession(vad.SegmenterConfig{})
	}
	if o.FinishWithin <= 0 {
		o.FinishWithin = DefaultFinishWithin
	}
	if o.GiveUpAfter <= 0 {
		o.GiveUpAfter = DefaultGiveUpAfter
	}
	self := &Run{
		store: o.Store, id: o.InterviewID, log: o.Log, onEvent: o.OnEvent,
		finishWithin: o.FinishWithin,
		giveUpAfter:  o.GiveUpAfter, freeSpace: o.FreeSpace, onLowSpace: o.OnLowSpace,
		speaking:     map[transcribe.Source]time.Duration{},
		ended:        make(chan struct{}),
		stopProgress: make(chan struct{}),
	}
	r = self
	defer func() {
		if err != nil {
			self.closeRecordings(context.WithoutCancel(ctx))
			closeInputs()
			self.lock.Release()
		}
	}()
	if o.LockDir != "" {
		if r.lock, err = AcquireLock(o.LockDir, o.InterviewID); err != nil {
			return nil, err
		}
		r.lock.claimed()
	}
	b, err := o.Store.Load(ctx, o.InterviewID)
	if err != nil {
		return nil, err
	}
	iv := b.Interview
	if !iv.State.CanTransition(interview.StateLive) {
		return nil, fmt.Errorf("interview %d is %s and cannot go live", iv.ID, iv.State)
	}
	r.base = time.Duration(interview.ReviewLengthMs(b)) * time.Millisecond
	cfg := interview.DefaultCoachConfig()
	cfg.Mode, cfg.Language = iv.Mode, iv.Language
	r.coach = interview.NewCoach(cfg)
	for _, s := range b.Segments {
		r.coach.AddSegment(s)
	}

	inputs := make([]transcribe.Input, 0, len(o.Inputs))
	for _, in := range o.Inputs {
		ti := transcribe.Input{Source: in.Source, Reader: in.Reader}
		if iv.RecordingConsent && o.RecordingsDir != "" {
			rec, err := r.openRecording(ctx, o.RecordingsDir, iv, in.Source)
			if err != nil {
				return nil, err
			}
			ti.Recorder = rec
		}
		inputs = append(inputs, ti)
	}
	rec := o.Recognizer
	if rec == nil {
		rec = noRecognizer{}
	}
	r.session, err = transcribe.NewSession(transcribe.SessionOptions{
		Inputs:       inputs,
		Recognizer:   rec,
		Sink:         storeSink{store: o.Store, id: iv.ID, base: r.base},
		NewSegmenter: o.NewSegmenter,
		OnEvent:      r.handle,
		SpoolDir:     o.SpoolDir,
		Now:          o.Now,
	})
	if err != nil {
		return nil, err
	}
	if _, err := o.Store.ChangeState(ctx, iv.ID, store.StateChange{To: interview.StateLive, Ran: r.base}); err != nil {
		return nil, err
	}
	if err := r.session.Start(ctx); err != nil {
		// The session never ran: back to where a resume can pick it up.
		o.Store.ChangeState(context.WithoutCancel(ctx), iv.ID, store.StateChange{
			To: interview.StateInterrupted, Ran: r.base, Reason: "the audio did not start: " + err.Error()})
		return nil, err
	}
	r.state = interview.StateLive
	r.progress.Add(1)
	go r.keepProgress()
	return r, nil
}

// InterviewID is the interview this run belongs to.
func (r *Run) InterviewID() int64 { return r.id }

// Elapsed is the interview time: audio time while audio runs, pauses
// excluded, continuing from what earlier parts of the interview ran.
// Notes are stamped with it.
func (r *Run) Elapsed() time.Duration { return r.base + r.session.Clock().Now() }

// keepProgress writes the running time now and then, so that a killed
// process's interview resumes close to where it was.
func (r *Run) keepProgress() {
	defer r.progress.Done()
	t := time.NewTicker(progressEvery)
	defer t.Stop()
	r.checkSpace()
	lastSpace := time.Now()
	for {
		select {
		case <-r.stopProgress:
			return
		case <-t.C:
			if err := r.store.SetRan(context.Background(), r.id, r.Elapsed()); err != nil {
				r.log.Warn("live interview: saving its running time", "err", err)
			}
			if time.Since(lastSpace) >= spaceEvery {
				r.checkSpace()
				lastSpace = time.Now()
			}
		}
	}
}

// checkSpace warns when the disk the interview is written to runs low.
func (r *Run) checkSpace() {
	if r.freeSpace == nil || r.onLowSpace == nil {
		return
	}
	free, err := r.freeSpace()
	if err != nil {
		r.log.Warn("live interview: checking free space", "err", err)
		return
	}
	if free < LowSpace {
		r.onLowSpace(free)
	}
}

// errNotLive is returned for changes made after the run ended.
var errNotLive = errors.New("the interview is no longer live here")

// check refuses changes to other interviews and after the end.
func (r *Run) check(interviewID int64) error {
	if interviewID != r.id {
		return fmt.Errorf("live interview %d: a change for interview %d", r.id, interviewID)
	}
	select {
	case <-r.ended:
		return errNotLive
	default:
	}
	return nil
}

// Load reads the interview with everything in it.
func (r *Run) Load(ctx context.Context, id int64) (*interview.Bundle, error) {
	if id != r.id {
		return nil, fmt.Errorf("live interview %d: asked for interview %d", r.id, id)
	}
	return r.store.Load(ctx, id)
}

// AddNote stores a note. InterviewID is set; a note with no stamp (AtMs
// 0 or less) is stamped with the interview time now, and a stamp from the
// future is brought back to now, so notes never sit after what is said
// next.
func (r *Run) AddNote(ctx context.Context, n *interview.Note) error {
	if n.InterviewID == 0 {
		n.InterviewID = r.id
	}
	if err := r.check(n.InterviewID); err != nil {
		return err
	}
	if now := r.Elapsed().Milliseconds(); n.AtMs <= 0 || n.AtMs > now {
		n.AtMs = now
	}
	if n.Wall.IsZero() {
		n.Wall = time.Now()
	}
	return r.store.AddNote(ctx, n)
}

// UpdateNote stores an edited note (its text, tags or question).
func (r *Run) UpdateNote(ctx context.Context, n *interview.Note) error {
	if err := r.check(n.InterviewID); err != nil {
		return err
	}
	return r.store.UpdateNote(ctx, n)
}

// AddQuestion adds a question typed during the interview.
func (r *Run) AddQuestion(ctx context.Context, q *interview.Question) error {
	if q.InterviewID == 0 {
		q.InterviewID = r.id
	}
	if err := r.check(q.InterviewID); err != nil {
		return err
	}
	return r.store.AddQuestion(ctx, q)
}

// UpdateQuestion stores a question marked asked, skipped, rated or noted.
// An asked time from the future is brought back to now.
func (r *Run) UpdateQuestion(ctx context.Context, q *interview.Question) error {
	if err := r.check(q.InterviewID); err != nil {
		return err
	}
	if q.Status == interview.QuestionAsked {
		if now := r.Elapsed().Milliseconds(); q.AskedAtMs > now {
			q.AskedAtMs = now
		}
	}
	return r.store.UpdateQuestion(ctx, q)
}

// MoveQuestion moves a question of this interview to position to.
func (r *Run) MoveQuestion(ctx context.Context, id int64, to int) error {
	if err := r.check(r.id); err != nil {
		return err
	}
	return r.store.MoveQuestion(ctx, id, to)
}

// UpdatePoint stores a talking point ticked or unticked.
func (r *Run) UpdatePoint(ctx context.Context, p *interview.TalkingPoint) error {
	if err := r.check(p.InterviewID); err != nil {
		return err
	}
	return r.store.UpdatePoint(ctx, p)
}

// SetState is Pause, Resume or End by the state they lead to, for a
// screen that speaks in states; it returns the interview as stored.
func (r *Run) SetState(ctx context.Context, id int64, to interview.State) (interview.Interview, error) {
	if id != r.id {
		return interview.Interview{}, fmt.Errorf("live interview %d: asked to change interview %d", r.id, id)
	}
	switch to {
	case interview.StatePaused:
		return r.pause(ctx)
	case interview.StateLive:
		return r.resume(ctx)
	case interview.StateEnded:
		return r.End(ctx)
	}
	return interview.Interview{}, fmt.Errorf("%w: a live interview is paused, resumed or ended, not moved to %s", interview.ErrIllegalTransition, to)
}

// Pause stops the clock and the transcription of new audio; what was said
// before keeps being transcribed.
func (r *Run) Pause(ctx context.Context) error {
	_, err := r.pause(ctx)
	return err
}

// Resume continues after Pause.
func (r *Run) Resume(ctx context.Context) error {
	_, err := r.resume(ctx)
	return err
}

func (r *Run) pause(ctx context.Context) (interview.Interview, error) {
	if err := r.check(r.id); err != nil {
		return interview.Interview{}, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.session.Pause()
	iv, err := r.store.ChangeState(ctx, r.id, store.StateChange{To: interview.StatePaused, Ran: r.Elapsed()})
	if err != nil {
		r.session.Resume() // the state says live: so does the pipeline
		return iv, err
	}
	r.state = iv.State
	return iv, nil
}

func (r *Run) resume(ctx context.Context) (interview.Interview, error) {
	if err := r.check(r.id); err != nil {
		return interview.Interview{}, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	iv, err := r.store.ChangeState(ctx, r.id, store.StateChange{To: interview.StateLive, Ran: r.Elapsed()})
	if err != nil {
		return iv, err
	}
	r.state = iv.State
	r.session.Resume()
	return iv, nil
}

// End finishes the interview: capture stops, the utterance in flight and
// the backlog are transcribed and stored (for at most FinishWithin), the
// recordings are closed with their durations, and the interview is ended
// with its running time. It returns only after the last final is stored.
//
// Cancelling ctx aborts the finishing: what is stored stays, and the
// interview is left interrupted (it can be resumed or ended later); the
// error then wraps context.Canceled. Running out of FinishWithin still
// ends the interview, and the error says how much was left untranscribed.
// End happens once; later calls wait for it and return its outcome.
func (r *Run) End(ctx context.Context) (interview.Interview, error) {
	r.endOnce.Do(func() {
		r.endIv, r.endErr = r.finish(ctx, false, "")
		close(r.ended)
	})
	<-r.ended
	r.faults.Wait()
	return r.endIv, r.endErr
}

// Interrupt stops the run at once, keeping everything stored so far, and
// leaves the interview interrupted with reason (resumable). For a second
// Ctrl+C, and for faults that make going on pointless (a disk that stays
// full). During an End it cuts that End short.
func (r *Run) Interrupt(ctx context.Context, reason string) (interview.Interview, error) {
	iv, err := r.interrupt(ctx, reason)
	r.faults.Wait()
	return iv, err
}

func (r *Run) interrupt(ctx context.Context, reason string) (interview.Interview, error) {
	r.abortMu.Lock()
	r.reason = reason
	if r.abort != nil {
		r.abort()
	}
	r.abortMu.Unlock()
	r.endOnce.Do(func() {
		cancelled, cancel := context.WithCancel(context.WithoutCancel(ctx))
		cancel()
		r.endIv, r.endErr = r.finish(cancelled, true, reason)
		close(r.ended)
	})
	<-r.ended
	return r.endIv, r.endErr
}

// Unsaved returns the final segments the store would not take (a full
// disk), on the interview's clock: after the run ends they exist nowhere
// else, so the caller shows them.
func (r *Run) Unsaved() []transcribe.Segment {
	segs := r.session.Unsaved()
	for i := range segs {
		segs[i].Start += r.base
		segs[i].End += r.base
	}
	return segs
}

// Done is closed once the run has ended or been interrupted.
func (r *Run) Done() <-chan struct{} { return r.ended }

// finish stops the pipeline within ctx and FinishWithin and stores the
// outcome: ended, or interrupted when ctx was cancelled. abort says the
// caller cancelled on purpose (Interrupt), so not transcribing the rest is
// no error.
func (r *Run) finish(ctx context.Context, abort bool, reason string) (interview.Interview, error) {
	close(r.stopProgress)
	r.progress.Wait()

	actx, cancelAbort := context.WithCancel(ctx)
	r.abortMu.Lock()
	r.abort = cancelAbort
	if r.reason != "" { // Interrupt came first
		cancelAbort()
		abort, reason = true, r.reason
	}
	r.abortMu.Unlock()
	fctx, cancel := context.WithTimeout(actx, r.finishWithin)
	serr := r.session.Stop(fctx)
	cancel()
	r.abortMu.Lock()
	aborted := actx.Err() != nil
	if r.reason != "" {
		abort, reason = true, r.reason
	}
	r.abortMu.Unlock()
	cancelAbort()
	rerr := r.closeRecordings(context.WithoutCancel(ctx))
	store := context.WithoutCancel(ctx)

	ran := r.Elapsed()
	if b, err := r.store.Load(store, r.id); err == nil {
		ran = max(ran, time.Duration(interview.ReviewLengthMs(b))*time.Millisecond)
	}
	change := storeChange(interview.StateEnded, ran, reason)
	if aborted {
		if reason == "" {
			reason = "stopped before everything said was transcribed"
		}
		change = storeChange(interview.StateInterrupted, ran, reason)
		if abort && errors.Is(serr, context.Canceled) {
			serr = nil
		}
	} else if serr != nil {
		serr = fmt.Errorf("ended before everything said was transcribed (the recording keeps it): %w", serr)
	}
	iv, err := r.store.ChangeState(store, r.id, change)
	if err != nil {
		// The store could not take it (a full disk): the lock file keeps
		// the reason for the next Recover, and the caller hears the state.
		r.lock.Note(change.Reason)
		iv.ID, iv.State, iv.StateReason, iv.Ran = r.id, change.To, change.Reason, ran
	}
	r.mu.Lock()
	r.state = iv.State
	r.mu.Unlock()
	r.lock.Release()
	return iv, errors.Join(serr, rerr, err)
}

func storeChange(to interview.State, ran time.Duration, reason string) store.StateChange {
	return store.StateChange{To: to, Ran: ran, Reason: reason}
}

// Stop ends the interview; see End.
func (r *Run) Stop(ctx context.Context) error {
	_, err := r.End(ctx)
	return err
}

// Coach returns the speaking figures at the current interview time.
func (r *Run) Coach() interview.CoachSnapshot {
	now := r.Elapsed().Milliseconds()
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.coach.Snapshot(now)
}

// handle moves the event onto the interview's clock, keeps the coach up to
// date, then passes the event on.
func (r *Run) handle(ev transcribe.Event) {
	ev = r.onClock(ev)
	switch ev.Kind {
	case transcribe.EventFinal:
		r.mu.Lock()
		for _, s := range ev.Segments {
			r.coach.AddSegment(toSegment(r.id, s))
		}
		r.mu.Unlock()
	case transcribe.EventLevel:
		now := r.Elapsed()
		r.mu.Lock()
		start, was := r.speaking[ev.Source]
		switch {
		case ev.Level.Speaking && !was:
			r.speaking[ev.Source] = now
		case !ev.Level.Speaking && was:
			delete(r.speaking, ev.Source)
			r.coach.AddSpeech(interview.Source(ev.Source), start.Milliseconds(), now.Milliseconds())
		}
		r.mu.Unlock()
	case transcribe.EventSinkError:
		r.log.Warn("live interview: transcript not stored yet", "waiting", ev.Unsaved, "failing for", ev.FailingFor, "err", ev.Err)
		if ev.FailingFor >= r.giveUpAfter {
			r.giveUp(fmt.Sprintf("%s: the transcript could not be saved for %v (%v)", faultName(ev.Err), ev.FailingFor.Round(time.Second), ev.Err))
		}
	case transcribe.EventRecorderError, transcribe.EventDeviceError, transcribe.EventSpoolError, transcribe.EventRecognizerError:
		r.log.Warn("live interview", "event", ev.Kind.String(), "source", string(ev.Source), "err", ev.Err)
	}
	if r.onEvent != nil {
		r.onEvent(ev)
	}
}

// giveUp ends the run as interrupted with reason, from a goroutine of its
// own: it runs on the session's event goroutine, which stopping the
// session waits for. End and Interrupt wait for that goroutine.
func (r *Run) giveUp(reason string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.givingUp {
		return
	}
	r.givingUp = true
	r.faults.Add(1)
	go func() {
		defer r.faults.Done()
		r.interrupt(context.Background(), reason)
	}()
}

// faultName is how a storage failure reads in the interview's reason.
func faultName(err error) string {
	msg := strings.ToLower(fmt.Sprint(err))
	if errors.Is(err, audio.ErrDiskFull) || errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EFBIG) ||
		strings.Contains(msg, "disk is full") || strings.Contains(msg, "disk full") {
		return "disk full"
	}
	return "storage failed"
}

// onClock shifts a session event's times (the session counts from zero)
// to the interview's clock.
func (r *Run) onClock(ev transcribe.Event) transcribe.Event {
	if r.base == 0 {
		return ev
	}
	ev.Start += r.base
	if len(ev.Segments) > 0 {
		segs := make([]transcribe.Segment, len(ev.Segments))
		for i, s := range ev.Segments {
			s.Start += r.base
			s.End += r.base
			segs[i] = s
		}
		ev.Segments = segs
	}
	return ev
}

func (r *Run) openRecording(ctx context.Context, dir string, iv interview.Interview, src transcribe.Source) (*audio.Recorder, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("recordings folder: %w", err)
	}
	// A resumed part started within the same second as the one before
	// gets the next free number: a recording is never overwritten.
	stem := fmt.Sprintf("interview-%d-%s-%s", iv.ID, src, time.Now().Format("20060102-150405"))
	var path string
	var rec *audio.Recorder
	for part := 1; ; part++ {
		path = filepath.Join(dir, stem+".wav")
		if part > 1 {
			path = filepath.Join(dir, fmt.Sprintf("%s-%d.wav", stem, part))
		}
		var err error
		rec, err = audio.CreateRecording(path, transcribe.SampleRate)
		if err == nil {
			break
		}
		if !errors.Is(err, fs.ErrExist) || part >= 100 {
			return nil, err
		}
	}
	row := interview.Recording{InterviewID: iv.ID, Source: interview.Source(src), Path: path,
		SampleRate: transcribe.SampleRate, Offset: r.base}
	if err := r.store.AddRecording(ctx, &row); err != nil {
		rec.Close()
		os.Remove(path)
		return nil, err
	}
	r.recorders = append(r.recorders, &recording{rec: rec, row: row})
	return rec, nil
}

func (r *Run) closeRecordings(ctx context.Context) error {
	var errs []error
	for _, rc := range r.recorders {
		if err := rc.rec.Close(); err != nil {
			errs = append(errs, fmt.Errorf("closing recording %s: %w", rc.row.Path, err))
		}
		if err := r.store.SetRecordingDuration(ctx, rc.row.ID, rc.rec.Duration()); err != nil {
			errs = append(errs, err)
		}
	}
	r.recorders = nil
	return errors.Join(errs...)
}

// storeSink saves finals at once: a segment the user saw is a segment on disk.
type storeSink struct {
	store *store.Store
	id    int64
	base  time.Duration // the interview time before the session started
}

func (s storeSink) Final(seg transcribe.Segment) error {
	seg.Start += s.base
	seg.End += s.base
	return s.store.AppendSegments(context.Background(), []interview.Segment{toSegment(s.id, seg)})
}

func toSegment(id int64, s transcribe.Segment) interview.Segment {
	return interview.Segment{
		InterviewID: id,
		Source:      interview.Source(s.Source),
		StartMs:     s.Start.Milliseconds(),
		EndMs:       s.End.Milliseconds(),
		Text:        s.Text,
		Confidence:  float64(s.Confidence),
	}
}

// noRecognizer is the recognizer when there is no speech model: the session
// still runs the clock, the meters and the recording.
type noRecognizer struct{}

func (noRecognizer) Recognize(context.Context, []float32) ([]transcribe.Segment, error) {
	return nil, nil
}

// Recover marks interviews that a crash left live or paused as
// interrupted, with the time they had run, and repairs their recordings,
// so a killed session's audio plays and its duration is right. An
// interview whose lock another process holds (a `sidenote live` in a
// terminal, a second window) is live there and is left alone. Call it at
// start-up from a process that runs live interviews, before it starts one.
func Recover(ctx context.Context, st *store.Store, lockDir string) ([]int64, error) {
	var ids []int64
	var errs []error
	for _, state := range []interview.State{interview.StateLive, interview.StatePaused} {
		ivs, err := st.ListInterviews(ctx, store.ListOptions{State: state})
		if err != nil {
			return nil, err
		}
		for _, iv := range ivs {
			lock, err := claim(lockDir, iv.ID)
			if errors.Is(err, ErrLiveElsewhere) {
				continue
			} else if err != nil {
				errs = append(errs, err)
				continue
			}
			errs = append(errs, repairRecordings(ctx, st, iv.ID))
			ran := ranSoFar(ctx, st, iv.ID)
			reason := lock.noted()
			if reason == "" {
				reason = "Sidenote stopped while the interview was " + string(iv.State)
			}
			_, err = st.ChangeState(ctx, iv.ID, store.StateChange{To: interview.StateInterrupted, Ran: ran, Reason: reason})
			lock.Release()
			if err != nil {
				errs = append(errs, err)
				continue
			}
			ids = append(ids, iv.ID)
		}
	}
	return ids, errors.Join(errs...)
}

// EndInterrupted ends an interview that a crash or an abort left
// interrupted (or, after a crash not yet recovered, live or paused with
// nobody holding it). Its length becomes the end of the last stored
// segment, note, question or recording, not the moment of the call.
func EndInterrupted(ctx context.Context, st *store.Store, lockDir string, id int64) (interview.Interview, error) {
	lock, err := claim(lockDir, id)
	if err != nil {
		return interview.Interview{}, err
	}
	defer lock.Release()
	iv, err := st.Interview(ctx, id)
	if err != nil {
		return iv, err
	}
	switch iv.State {
	case interview.StateInterrupted:
	case interview.StateLive, interview.StatePaused:
		// Nobody holds its lock: the process that ran it is gone.
		if err := repairRecordings(ctx, st, id); err != nil {
			return iv, err
		}
	default:
		return iv, fmt.Errorf("interview %d is %s, not interrupted: nothing to end", id, iv.State)
	}
	return st.ChangeState(ctx, id, store.StateChange{To: interview.StateEnded, Ran: ranSoFar(ctx, st, id)})
}

// claim takes an interview's lock when there is a lock folder.
func claim(lockDir string, id int64) (*Lock, error) {
	if lockDir == "" {
		return nil, nil
	}
	return AcquireLock(lockDir, id)
}

// ranSoFar is how long an interview ran, from what it stored.
func ranSoFar(ctx context.Context, st *store.Store, id int64) time.Duration {
	b, err := st.Load(ctx, id)
	if err != nil {
		return 0
	}
	return time.Duration(interview.ReviewLengthMs(b)) * time.Millisecond
}

// repairRecordings fixes the headers of an interview's WAVs that a killed
// process left, and stores their real durations.
func repairRecordings(ctx context.Context, st *store.Store, id int64) error {
	recs, err := st.Recordings(ctx, id)
	if err != nil {
		return err
	}
	var errs []error
	for _, rec := range recs {
		if _, err := audio.RepairWAV(rec.Path); err != nil {
			if !errors.Is(err, os.ErrNotExist) {
				errs = append(errs, fmt.Errorf("repairing %s: %w", rec.Path, err))
			}
			continue
		}
		if f, err := audio.OpenWAV(rec.Path); err == nil {
			d := f.Format().Duration
			f.Close()
			if err := st.SetRecordingDuration(ctx, rec.ID, d); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}
