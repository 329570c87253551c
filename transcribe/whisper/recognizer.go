package whisper

import (
	"context"
	"strings"

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
