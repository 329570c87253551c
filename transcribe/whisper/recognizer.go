package whisper

import (
	"context"
	"runtime"
	"strings"
	"time"

	"github.com/sidenote-app/sidenote/transcribe"
)

// Recognizer adapts a Model to the pipeline's transcribe.Recognizer: the
// live session and the file transcription call it with one utterance or
// window at a time.
type Recognizer struct {
	Model   *Model
	Options Options
}

// Recognize implements transcribe.Recognizer. Segments without text (what
// whisper returns for silence and noise) are left out; times are relative
// to samples[0], as the pipeline expects.
func (r *Recognizer) Recognize(ctx context.Context, samples []float32) ([]transcribe.Segment, error) {
	segs, err := r.Model.Transcribe(ctx, samples, r.Options)
	if err != nil {
		return nil, err
	}
	out := make([]transcribe.Segment, 0, len(segs))
	for _, s := range segs {
		text := strings.TrimSpace(s.Text)
		if text == "" {
			continue
		}
		out = append(out, transcribe.Segment{Start: s.Start, End: s.End, Text: text, Confidence: s.Confidence})
	}
	return out, nil
}

// DefaultThreads leaves a core for the rest of the desktop (the video call
// runs beside us) and stops at 4, past which whisper.cpp gains little.
func DefaultThreads() int {
	return min(max(runtime.NumCPU()-1, 1), 4)
}

// ProgressRecognizer is a Recognizer over a whole file that turns the
// engine's per-window progress into progress over the file: OnProgress
// hears how much of the file is done. Windows must come in order.
type ProgressRecognizer struct {
	Recognizer
	OnProgress func(done time.Duration)
	done       time.Duration
}

// Recognize implements transcribe.Recognizer.
func (r *ProgressRecognizer) Recognize(ctx context.Context, samples []float32) ([]transcribe.Segment, error) {
	window := transcribe.Samples(int64(len(samples)))
	inner := r.Recognizer
	if r.OnProgress != nil {
		base := r.done
		inner.Options.Progress = func(pct int) { r.OnProgress(base + window*time.Duration(pct)/100) }
	}
	segs, err := inner.Recognize(ctx, samples)
	if err != nil {
		return nil, err
	}
	r.done += window
	return segs, nil
}
