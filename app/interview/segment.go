package interview

import (
	"fmt"
	"strings"
)

// Source is who a transcript segment or a recording came from.
type Source string

// Sources: the microphone (the user), the call's audio (the other side),
// or an audio file transcribed afterwards (speaker unknown).
const (
	SourceYou  Source = "you"
	SourceThem Source = "them"
	SourceFile Source = "file"
)

// Valid reports whether s is a known source.
func (s Source) Valid() bool { return s == SourceYou || s == SourceThem || s == SourceFile }

// Label is the speaker label used in transcripts and subtitles. A file's
// speaker is unknown, so it has none rather than a made-up name.
func (s Source) Label() string {
	switch s {
	case SourceYou:
		return "You"
	case SourceThem:
		return "Them"
	}
	return ""
}

// Segment is one final utterance of the transcript.
type Segment struct {
	ID          int64
	InterviewID int64
	Source      Source
	StartMs     int64
	EndMs       int64
	Text        string  // what the recognizer heard; never overwritten
	Confidence  float64 // 0..1, from the recognizer
	// EditedText is the user's correction. It is kept beside Text instead
	// of replacing it so a correction can be undone and the recognizer's
	// output stays available to compare.
	EditedText string
}

// Display is the text to show and search: the correction when there is one.
func (s *Segment) Display() string {
	if s.EditedText != "" {
		return s.EditedText
	}
	return s.Text
}

// Validate checks the segment.
func (s *Segment) Validate() error {
	switch {
	case !s.Source.Valid():
		return fmt.Errorf("%w segment source %q: use you, them or file", ErrInvalid, s.Source)
	case s.StartMs < 0 || s.EndMs < s.StartMs:
		return fmt.Errorf("%w segment times %d–%d ms: need 0 ≤ start ≤ end", ErrInvalid, s.StartMs, s.EndMs)
	case s.Confidence < 0 || s.Confidence > 1 || s.Confidence != s.Confidence:
		return fmt.Errorf("%w segment confidence %v: must be between 0 and 1", ErrInvalid, s.Confidence)
	case strings.TrimSpace(s.Text) == "" && strings.TrimSpace(s.EditedText) == "":
		return fmt.Errorf("%w segment: the text is empty", ErrInvalid)
	}
	return nil
}
