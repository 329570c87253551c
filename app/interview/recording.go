package interview

import (
	"fmt"
	"time"
)

// Recording is an audio file captured during an interview, one per source.
// The audio lives in its own file next to the database; the row only
// points at it, so deleting an interview must remove the file as well.
type Recording struct {
	ID          int64
	InterviewID int64
	Source      Source
	Path        string
	SampleRate  int
	Duration    time.Duration
	// Offset places the recording on the interview's timeline: where the
	// clock stood when it started. A resumed interview records a new part
	// per source, so its offset is the time the interview had already run.
	Offset    time.Duration
	CreatedAt time.Time
}

// Validate checks the recording.
func (r *Recording) Validate() error {
	switch {
	case !r.Source.Valid():
		return fmt.Errorf("%w recording source %q: use you, them or file", ErrInvalid, r.Source)
	case r.Offset < 0:
		return fmt.Errorf("%w recording offset %v: must not be negative", ErrInvalid, r.Offset)
	case r.Path == "":
		return fmt.Errorf("%w recording: the file path is empty", ErrInvalid)
	case r.SampleRate <= 0:
		return fmt.Errorf("%w recording sample rate %d: must be positive", ErrInvalid, r.SampleRate)
	case r.Duration < 0:
		return fmt.Errorf("%w recording duration %v: must not be negative", ErrInvalid, r.Duration)
	}
	return nil
}
