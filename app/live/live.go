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
	"log/slog"
	"os"
	"path/filepath"
	"sync"
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
	// SpoolDir holds audio waiting for a slow recognizer; default the
	// system's temp folder.
	SpoolDir string
	// OnEvent sees every session event after the run has handled it (the
	// final already stored). It runs on the session's event goroutine.
	OnEvent func(transcribe.Event)
	Log     *slog.Logger
	// Now is the monotonic time source; nil means time.Now.
	Now func() time.Time
}

// Run is one interview in progress.
type Run struct {
	store   *store.Store
	id      int64
	session *transcribe.Session
	log     *slog.Logger
	onEvent func(transcribe.Event)

	recorders []*recording

	mu       sync.Mutex
	coach    *interview.Coach
	speaking map[transcribe.Source]time.Duration // start of current speech, per source
}

type recording struct {
	rec *audio.Recorder
	row interview.Recording
}

// Start moves the interview to live, opens its recordings (with consent)
// and starts transcribing. On error nothing is left running and the
// interview's state is unchanged.
func Start(ctx context.Context, o Options) (r *Run, err error) {
	if o.Store == nil || len(o.Inputs) == 0 {
		return nil, errors.New("live: a store and at least one input are needed")
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	iv, err := o.Store.Interview(ctx, o.InterviewID)
	if err != nil {
		return nil, err
	}
	if !iv.State.CanTransition(interview.StateLive) {
		return nil, fmt.Errorf("interview %d is %s and cannot go live", iv.ID, iv.State)
	}
	cfg := interview.DefaultCoachConfig()
	cfg.Mode, cfg.Language = iv.Mode, iv.Language
	r = &Run{
		store: o.Store, id: iv.ID, log: o.Log, onEvent: o.OnEvent,
		coach:    interview.NewCoach(cfg),
		speaking: map[transcribe.Source]time.Duration{},
	}
	defer func() {
		if err != nil {
			r.closeRecordings(context.WithoutCancel(ctx))
			for _, in := range o.Inputs {
				if c, ok := in.Reader.(io.Closer); ok {
					c.Close()
				}
			}
		}
	}()

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
		Sink:         storeSink{store: o.Store, id: iv.ID},
		NewSegmenter: vad.ForSession(vad.SegmenterConfig{}),
		OnEvent:      r.handle,
		SpoolDir:     o.SpoolDir,
		Now:          o.Now,
	})
	if err != nil {
		return nil, err
	}
	if _, err := o.Store.SetState(ctx, iv.ID, interview.StateLive); err != nil {
		return nil, err
	}
	if err := r.session.Start(ctx); err != nil {
		o.Store.SetState(context.WithoutCancel(ctx), iv.ID, interview.StatePaused)
		return nil, err
	}
	return r, nil
}

// InterviewID is the interview this run belongs to.
func (r *Run) InterviewID() int64 { return r.id }

// Elapsed is the interview time: audio time while audio runs, pauses
// excluded. Notes are stamped with it.
func (r *Run) Elapsed() time.Duration { return r.session.Clock().Now() }

// AddNote stores a note stamped with the interview time now.
func (r *Run) AddNote(ctx context.Context, text string, questionID int64, keyTags ...string) (interview.Note, error) {
	n := interview.NewNote(r.Elapsed().Milliseconds(), time.Now(), text, keyTags...)
	n.InterviewID, n.QuestionID = r.id, questionID
	if err := r.store.AddNote(ctx, &n); err != nil {
		return n, err
	}
	return n, nil
}

// Pause stops the clock and the transcription of new audio; what was said
// before keeps being transcribed.
func (r *Run) Pause(ctx context.Context) error {
	r.session.Pause()
	_, err := r.store.SetState(ctx, r.id, interview.StatePaused)
	return err
}

// Resume continues after Pause.
func (r *Run) Resume(ctx context.Context) error {
	if _, err := r.store.SetState(ctx, r.id, interview.StateLive); err != nil {
		return err
	}
	r.session.Resume()
	return nil
}

// Stop ends the interview: Finish, then the interview is ended. It is
// ended even when transcription was cut short: what was stored stays, and
// the recordings hold the rest.
func (r *Run) Stop(ctx context.Context) error {
	ferr := r.Finish(ctx)
	_, err := r.store.SetState(context.WithoutCancel(ctx), r.id, interview.StateEnded)
	return errors.Join(ferr, err)
}

// PauseAudio and ResumeAudio act on the pipeline alone, for a caller that
// keeps the interview's state itself (the window does: its screen writes
// paused and live to the store before it tells the pipeline).
func (r *Run) PauseAudio()  { r.session.Pause() }
func (r *Run) ResumeAudio() { r.session.Resume() }

// Finish stops the pipeline without changing the interview's state:
// capture stops, the backlog is transcribed (ctx cancels that, and the
// error then says how much audio was left), and the recordings are closed
// with their durations. The window calls it when it closes mid-interview,
// leaving the interview paused to resume later.
func (r *Run) Finish(ctx context.Context) error {
	serr := r.session.Stop(ctx)
	rerr := r.closeRecordings(context.WithoutCancel(ctx))
	return errors.Join(serr, rerr)
}

// Coach returns the speaking figures at the current interview time.
func (r *Run) Coach() interview.CoachSnapshot {
	now := r.Elapsed().Milliseconds()
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.coach.Snapshot(now)
}

// handle keeps the coach up to date, then passes the event on.
func (r *Run) handle(ev transcribe.Event) {
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
	case transcribe.EventSinkError, transcribe.EventRecorderError, transcribe.EventDeviceError, transcribe.EventSpoolError, transcribe.EventRecognizerError:
		r.log.Warn("live interview", "event", ev.Kind.String(), "source", string(ev.Source), "err", ev.Err)
	}
	if r.onEvent != nil {
		r.onEvent(ev)
	}
}

func (r *Run) openRecording(ctx context.Context, dir string, iv interview.Interview, src transcribe.Source) (*audio.Recorder, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("recordings folder: %w", err)
	}
	name := fmt.Sprintf("interview-%d-%s-%s.wav", iv.ID, src, time.Now().Format("20060102-150405"))
	path := filepath.Join(dir, name)
	rec, err := audio.CreateRecording(path, transcribe.SampleRate)
	if err != nil {
		return nil, err
	}
	row := interview.Recording{InterviewID: iv.ID, Source: interview.Source(src), Path: path, SampleRate: transcribe.SampleRate}
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
}

func (s storeSink) Final(seg transcribe.Segment) error {
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

// Recover marks interviews that a crash left live or paused as interrupted
// and repairs their recordings, so a killed session's audio plays and its
// duration is right. Call it once, from the process that runs live
// interviews (the window), at start-up.
func Recover(ctx context.Context, st *store.Store) ([]int64, error) {
	ids, err := st.Recover(ctx)
	if err != nil {
		return nil, err
	}
	var errs []error
	for _, id := range ids {
		recs, err := st.Recordings(ctx, id)
		if err != nil {
			errs = append(errs, err)
			continue
		}
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
	}
	return ids, errors.Join(errs...)
}
