// Package transcribe turns audio into timestamped text. Its core is pure Go:
// sources of 16 kHz mono samples go in, a Recognizer (whisper.cpp in
// production, a scripted fake in tests) turns windows of them into segments,
// and segments come out on one time axis that starts at the first sample.
//
// The cgo parts live in the leaves: transcribe/audio (PortAudio, WAV) and
// transcribe/whisper (whisper.cpp). Nothing here imports them, so the
// pipeline's rules are tested without either.
package transcribe

import (
	"context"
	"strings"
	"time"
)

// SampleRate is the rate every source delivers and every recognizer expects:
// whisper models are trained on 16 kHz mono.
const SampleRate = 16000

// Source names who is speaking in a segment.
type Source string

const (
	SourceYou  Source = "you"  // the user's microphone
	SourceThem Source = "them" // the call's audio
	SourceFile Source = "file" // an imported recording
)

// Label is how a transcript names the source: "You", "Them", or the
// source's own name.
func (s Source) Label() string {
	switch s {
	case SourceYou:
		return "You"
	case SourceThem:
		return "Them"
	}
	return string(s)
}

// JoinText is the text of segs, space-separated, skipping empty ones.
func JoinText(segs []Segment) string {
	parts := make([]string, 0, len(segs))
	for _, s := range segs {
		if s.Text != "" {
			parts = append(parts, s.Text)
		}
	}
	return strings.Join(parts, " ")
}

// Segment is one piece of transcript. Start and End are on the session's
// time axis: zero is the first sample of the source.
type Segment struct {
	Source     Source
	Start, End time.Duration
	Text       string
	// Confidence is the recognizer's own estimate in 0..1 (for whisper, the
	// mean token probability); it is not calibrated across models.
	Confidence float32
}

// Recognizer turns 16 kHz mono samples into segments whose times are
// relative to the first sample given. Implementations may be slow; they must
// stop promptly when ctx is cancelled and return ctx.Err().
type Recognizer interface {
	Recognize(ctx context.Context, samples []float32) ([]Segment, error)
}

// SampleReader yields 16 kHz mono samples, returning io.EOF after the last.
// The WAV reader in transcribe/audio satisfies it.
type SampleReader interface {
	Read(dst []float32) (int, error)
}

// Samples converts a count of 16 kHz samples to a duration without the
// rounding drift that float seconds would accumulate over hours.
func Samples(n int64) time.Duration {
	return time.Duration(n) * time.Second / SampleRate
}
