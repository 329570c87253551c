package interview

import (
	"fmt"
	"strings"
	"time"
)

// Template is a reusable question plan. Structured interviews ask every
// candidate the same questions in the same order so they are treated alike;
// a template is how that order is kept between interviews.
type Template struct {
	ID          int64
	Name        string
	Description string
	Questions   []TemplateQuestion // in asking order
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// TemplateQuestion is one planned question.
type TemplateQuestion struct {
	ID         int64
	Position   int // 1-based order within the template
	Text       string
	Competency string // what the question probes, e.g. "collaboration"
	Guidance   string // what a good answer sounds like, for the interviewer
	Expected   time.Duration
}

// Validate checks the template and its questions.
func (t *Template) Validate() error {
	if strings.TrimSpace(t.Name) == "" {
		return fmt.Errorf("%w template: give it a name", ErrInvalid)
	}
	for i, q := range t.Questions {
		if strings.TrimSpace(q.Text) == "" {
			return fmt.Errorf("%w template %q question %d: the text is empty", ErrInvalid, t.Name, i+1)
		}
		if q.Expected < 0 {
			return fmt.Errorf("%w template %q question %d: expected time %v is negative", ErrInvalid, t.Name, i+1, q.Expected)
		}
	}
	return nil
}

// NewQuestions turns the template's plan into an interview's queue, in the
// template's order, all queued, each linked to the template question it
// copies (TemplateQuestionID). The caller sets InterviewID.
func (t *Template) NewQuestions() []Question {
	qs := make([]Question, 0, len(t.Questions))
	for i, tq := range t.Questions {
		qs = append(qs, Question{
			Position:   i + 1,
			Text:       tq.Text,
			Competency: tq.Competency,
			Guidance:   tq.Guidance,
			Status:     QuestionQueued,

			TemplateQuestionID: tq.ID,
		})
	}
	return qs
}
