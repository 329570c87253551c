package interview

import (
	"fmt"
)

// Comparison lines up interviews made from the same template question by
// question, so what different candidates answered to the same question
// sits side by side.
type Comparison struct {
	Columns []CompareColumn // one per interview, in the order given
	Rows    []CompareRow
}

// CompareColumn is one interview's header and totals.
type CompareColumn struct {
	InterviewID int64
	Title       string
	OtherName   string
	Average     float64 // of its rated questions
	Rated       int
	Asked       int
	Skipped     int
	LengthMs    int64
}

// CompareRow is one question across the interviews.
type CompareRow struct {
	// TemplatePosition is the question's place in the template (1-based),
	// or 0 for a question added in some interview beyond the template.
	TemplatePosition int
	Text             string // the template's wording, else the first interview's
	Competency       string
	Cells            []CompareCell // one per column
}

// CompareCell is one interview's side of a row. A gap (the question was
// not in that interview's queue at all) has Present false; a question in
// the queue but skipped or never reached is present with its Status.
type CompareCell struct {
	Present bool
	QuestionScore
}

// Compare lines up bundles, all made from the same template. Rows are the
// template's questions in its order, then the questions some interview
// added, in the order first met (by interview, then queue position);
// questions are matched to rows as described at matchPlan (template link
// first, then text, then position), and an added question in a later
// interview joins an earlier interview's added row by the same rules. t may be nil: then the first interview's queue stands for
// the plan, and every row counts as added (TemplatePosition 0).
//
// It refuses interviews from different templates, and a template other
// than theirs.
func Compare(t *Template, bundles ...*Bundle) (Comparison, error) {
	var c Comparison
	if len(bundles) == 0 {
		return c, nil
	}
	tid := bundles[0].Interview.TemplateID
	for _, b := range bundles[1:] {
		if b.Interview.TemplateID != tid {
			return c, fmt.Errorf("%w compare: interview %d is from template %d, interview %d from template %d; compare interviews from one template",
				ErrInvalid, bundles[0].Interview.ID, tid, b.Interview.ID, b.Interview.TemplateID)
		}
	}
	if t != nil && t.ID != 0 && t.ID != tid {
		return c, fmt.Errorf("%w compare: the interviews are from template %d, not %d", ErrInvalid, tid, t.ID)
	}

	var plan []planItem
	if t != nil {
		plan = templatePlan(t)
		for i, tq := range t.Questions {
			c.Rows = append(c.Rows, CompareRow{TemplatePosition: plan[i].position, Text: tq.Text, Competency: tq.Competency})
		}
	}
	for col, b := range bundles {
		sc := NewScorecard(b)
		c.Columns = append(c.Columns, CompareColumn{
			InterviewID: b.Interview.ID, Title: b.Interview.Title, OtherName: b.Interview.OtherName,
			Average: sc.Average, Rated: sc.Rated, LengthMs: sc.LengthMs,
		})
		head := &c.Columns[col]
		match := matchPlan(plan, b.Questions)
		for _, qs := range sc.Questions {
			switch qs.Status {
			case QuestionAsked:
				head.Asked++
			case QuestionSkipped:
				head.Skipped++
			}
			row := match[qs.Question]
			if row < 0 {
				// Added here: a new row. Later interviews can match it.
				plan = append(plan, newPlanItem(b.Questions[qs.Question].TemplateQuestionID, qs.Text, qs.Position))
				c.Rows = append(c.Rows, CompareRow{Text: qs.Text, Competency: qs.Competency})
				row = len(c.Rows) - 1
			}
			r := &c.Rows[row]
			if len(r.Cells) < len(bundles) {
				cells := make([]CompareCell, len(bundles))
				copy(cells, r.Cells)
				r.Cells = cells
			}
			r.Cells[col] = CompareCell{Present: true, QuestionScore: qs}
		}
	}
	for i := range c.Rows {
		if len(c.Rows[i].Cells) < len(bundles) {
			cells := make([]CompareCell, len(bundles))
			copy(cells, c.Rows[i].Cells)
			c.Rows[i].Cells = cells
		}
	}
	return c, nil
}
