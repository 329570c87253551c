package interview

import (
	"fmt"
	"strings"
)

// QuestionStatus is where a question is in the queue.
type QuestionStatus string

// The statuses of a question.
const (
	QuestionQueued  QuestionStatus = "queued"
	QuestionAsked   QuestionStatus = "asked"
	QuestionSkipped QuestionStatus = "skipped"
)

// Valid reports whether s is a known status.
func (s QuestionStatus) Valid() bool {
	return s == QuestionQueued || s == QuestionAsked || s == QuestionSkipped
}

// Priority orders questions by importance; the advice is to prepare
// questions in order of importance so the vital ones are asked if time runs
// short.
type Priority int

// Priorities, from least to most important. The zero value is normal.
const (
	PriorityLow    Priority = -1
	PriorityNormal Priority = 0
	PriorityHigh   Priority = 1
)

// Valid reports whether p is a known priority.
func (p Priority) Valid() bool { return p >= PriorityLow && p <= PriorityHigh }

func (p Priority) String() string {
	switch p {
	case PriorityLow:
		return "low"
	case PriorityNormal:
		return "normal"
	case PriorityHigh:
		return "high"
	}
	return fmt.Sprintf("Priority(%d)", int(p))
}

// Ratings run from MinRating to MaxRating; 0 means not rated.
const (
	MinRating = 1
	MaxRating = 5
)

// Question is one entry of an interview's question queue.
type Question struct {
	ID          int64
	InterviewID int64
	Position    int // 1-based order in the queue
	Priority    Priority
	Text        string
	Competency  string
	Guidance    string
	Status      QuestionStatus
	// AskedAtMs is the interview time the question was asked. It only has
	// a meaning when Status is QuestionAsked (0 is a real time: the start).
	AskedAtMs int64
	Rating    int // 0 = not rated, else MinRating..MaxRating
	Note      string
	// TemplateQuestionID is the template question this one was copied
	// from (see Template.NewQuestions), so a review lines it up with the
	// plan even after it was reworded; 0 for a question typed in, or when
	// that template question no longer exists.
	TemplateQuestionID int64
}

// Validate checks the question's fields.
func (q *Question) Validate() error {
	switch {
	case strings.TrimSpace(q.Text) == "":
		return fmt.Errorf("%w question: the text is empty", ErrInvalid)
	case !q.Status.Valid():
		return fmt.Errorf("%w question status %q: use queued, asked or skipped", ErrInvalid, q.Status)
	case !q.Priority.Valid():
		return fmt.Errorf("%w question priority %d: use -1 (low), 0 (normal) or 1 (high)", ErrInvalid, q.Priority)
	case q.AskedAtMs < 0:
		return fmt.Errorf("%w question asked at %d ms: must not be negative", ErrInvalid, q.AskedAtMs)
	case q.Status != QuestionAsked && q.AskedAtMs != 0:
		return fmt.Errorf("%w question: %s but has an asked time", ErrInvalid, q.Status)
	case q.TemplateQuestionID < 0:
		return fmt.Errorf("%w question: template question id %d", ErrInvalid, q.TemplateQuestionID)
	}
	return ValidateRating(q.Rating)
}

// ValidateRating accepts 0 (not rated) or MinRating..MaxRating.
func ValidateRating(r int) error {
	if r != 0 && (r < MinRating || r > MaxRating) {
		return fmt.Errorf("%w rating %d: use %d to %d, or 0 to clear it", ErrInvalid, r, MinRating, MaxRating)
	}
	return nil
}

// MarkAsked records that the question was asked at interview time atMs.
func (q *Question) MarkAsked(atMs int64) error {
	if atMs < 0 {
		return fmt.Errorf("%w asked at %d ms: must not be negative", ErrInvalid, atMs)
	}
	q.Status, q.AskedAtMs = QuestionAsked, atMs
	return nil
}

// Skip takes the question out of the queue without asking it.
func (q *Question) Skip() { q.Status, q.AskedAtMs = QuestionSkipped, 0 }

// Requeue puts an asked or skipped question back in the queue.
func (q *Question) Requeue() { q.Status, q.AskedAtMs = QuestionQueued, 0 }

// Rate sets the rating; 0 clears it.
func (q *Question) Rate(r int) error {
	if err := ValidateRating(r); err != nil {
		return err
	}
	q.Rating = r
	return nil
}
