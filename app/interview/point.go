package interview

import (
	"fmt"
	"strings"
)

// PointKind tells a talking point the user wants to make from a question
// the candidate wants to ask the other side.
type PointKind string

// Kinds of talking point.
const (
	PointKindPoint    PointKind = "point"
	PointKindQuestion PointKind = "question-to-ask"
)

// Valid reports whether k is a known kind.
func (k PointKind) Valid() bool { return k == PointKindPoint || k == PointKindQuestion }

// TalkingPoint is a line the user keeps in view: a career milestone, a
// project, a reminder, or a question for the other side.
type TalkingPoint struct {
	ID          int64
	InterviewID int64
	Position    int // 1-based order in the list
	Text        string
	Kind        PointKind
	Checked     bool
}

// Validate checks the talking point.
func (p *TalkingPoint) Validate() error {
	switch {
	case strings.TrimSpace(p.Text) == "":
		return fmt.Errorf("%w talking point: the text is empty", ErrInvalid)
	case !p.Kind.Valid():
		return fmt.Errorf("%w talking point kind %q: use point or question-to-ask", ErrInvalid, p.Kind)
	}
	return nil
}
