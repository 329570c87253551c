package interview

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// interviewWith makes an interviewer-mode bundle where each asked question
// is answered by one "Them" segment "<name> on <text>" right after it.
func interviewWith(id int64, name string, qs ...Question) *Bundle {
	b := &Bundle{Interview: Interview{ID: id, Title: "Backend", OtherName: name, Mode: ModeInterviewer, TemplateID: 3}, Questions: qs}
	for _, q := range qs {
		if q.Status == QuestionAsked {
			b.Segments = append(b.Segments, seg(SourceThem, q.AskedAtMs+1_000, q.AskedAtMs+5_000, name+" on "+q.Text))
		}
	}
	slices.SortStableFunc(b.Segments, func(x, y Segment) int { return cmp.Compare(x.StartMs, y.StartMs) })
	return b
}

// cellString writes a cell as "rating/note/answer", or "—" for a gap.
func cellString(c CompareCell) string {
	if !c.Present {
		return "—"
	}
	if c.Status != QuestionAsked {
		return string(c.Status)
	}
	return fmt.Sprintf("%d/%s/%s", c.Rating, c.Note, c.AnswerText())
}

func TestCompareThreeInterviews(t *testing.T) {
	tmpl := plan("Tell me about yourself.", "Why this role?", "Describe a hard bug.", "Questions for us?")
	tmpl.Questions[1].Competency = "motivation"
	rated := func(q Question, r int, note string) Question { q.Rating, q.Note = r, note; return q }

	ann := interviewWith(1, "Ann",
		rated(asked(1, "Tell me about yourself.", 0, 4), 4, "clear"),
		rated(asked(2, "Why this role?", 60_000, 3), 3, ""),
		rated(asked(3, "Describe a hard bug.", 120_000, 5), 5, "great"),
		asked(4, "Questions for us?", 180_000, 0),
	)
	// Bo's queue lost "Describe a hard bug."; Bo was asked an extra question.
	bo := interviewWith(2, "Bo",
		rated(asked(1, "tell me about yourself", 0, 2), 2, "nervous"),
		rated(asked(2, "Why this role?", 60_000, 4), 4, ""),
		rated(asked(3, "How do you handle on-call?", 120_000, 3), 3, "honest"),
		skipped(4, "Questions for us?"),
	)
	// Cy was asked the role question first, and the same extra question,
	// worded with different punctuation.
	cy := interviewWith(3, "Cy",
		rated(asked(1, "Tell me about yourself.", 60_000, 5), 5, ""),
		rated(asked(2, "Why this role?", 0, 5), 5, "keen"),
		asked(3, "Describe a hard bug.", 120_000, 0),
		queued(4, "Questions for us?"),
		asked(5, "How do you handle on call?", 180_000, 0),
	)
	c, err := Compare(tmpl, ann, bo, cy)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range c.Rows {
		cells := make([]string, len(r.Cells))
		for i, cell := range r.Cells {
			cells[i] = cellString(cell)
		}
		got = append(got, fmt.Sprintf("%d %s | %s", r.TemplatePosition, r.Text, strings.Join(cells, " | ")))
	}
	want := []string{
		"1 Tell me about yourself. | 4/clear/Ann on Tell me about yourself. | 2/nervous/Bo on tell me about yourself | 5//Cy on Tell me about yourself.",
		"2 Why this role? | 3//Ann on Why this role? | 4//Bo on Why this role? | 5/keen/Cy on Why this role?",
		"3 Describe a hard bug. | 5/great/Ann on Describe a hard bug. | — | 0//Cy on Describe a hard bug.",
		"4 Questions for us? | 0//Ann on Questions for us? | skipped | queued",
		"0 How do you handle on-call? | — | 3/honest/Bo on How do you handle on-call? | 0//Cy on How do you handle on call?",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("rows:\ngot\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
	if c.Rows[1].Competency != "motivation" {
		t.Errorf("competency: got %q, want motivation", c.Rows[1].Competency)
	}
	var heads []string
	for _, h := range c.Columns {
		heads = append(heads, fmt.Sprintf("%d %s avg=%.2f rated=%d asked=%d skipped=%d", h.InterviewID, h.OtherName, h.Average, h.Rated, h.Asked, h.Skipped))
	}
	wantHeads := []string{
		"1 Ann avg=4.00 rated=3 asked=4 skipped=0",
		"2 Bo avg=3.00 rated=3 asked=3 skipped=1",
		"3 Cy avg=5.00 rated=2 asked=4 skipped=0",
	}
	if strings.Join(heads, "\n") != strings.Join(wantHeads, "\n") {
		t.Errorf("columns:\ngot\n\t%s\nwant\n\t%s", strings.Join(heads, "\n\t"), strings.Join(wantHeads, "\n\t"))
	}
}

func TestCompareByLink(t *testing.T) {
	tmpl := plan("Tell me about yourself.", "Describe a hard bug.")
	tmpl.Questions[0].ID, tmpl.Questions[1].ID = 71, 72
	// Ann's interviewer reworded both planned questions and swapped them
	// in the queue; the links keep them on the template's rows. Bo's
	// questions have no links (typed in, or imported) and match by text.
	ann := interviewWith(1, "Ann",
		linked(asked(1, "What was the nastiest bug you chased?", 0, 0), 72),
		linked(asked(2, "Walk me through your background", 60_000, 0), 71),
	)
	bo := interviewWith(2, "Bo", asked(1, "Tell me about yourself.", 0, 0), asked(2, "Describe a hard bug", 60_000, 0))
	// Without a template, the first interview's links still line up a
	// later interview's linked questions.
	cy := interviewWith(3, "Cy", linked(asked(1, "Background?", 0, 0), 71))
	c, err := Compare(tmpl, ann, bo)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range c.Rows {
		got = append(got, fmt.Sprintf("%d %s | %s | %s", r.TemplatePosition, r.Text, r.Cells[0].Text, r.Cells[1].Text))
	}
	want := "1 Tell me about yourself. | Walk me through your background | Tell me about yourself.\n" +
		"2 Describe a hard bug. | What was the nastiest bug you chased? | Describe a hard bug"
	if strings.Join(got, "\n") != want {
		t.Errorf("with template:\ngot\n%s\nwant\n%s", strings.Join(got, "\n"), want)
	}

	c, err = Compare(nil, ann, cy)
	if err != nil {
		t.Fatal(err)
	}
	got = got[:0]
	for _, r := range c.Rows {
		got = append(got, fmt.Sprintf("%s | %s", cellString(r.Cells[0]), cellString(r.Cells[1])))
	}
	want = "0//Ann on What was the nastiest bug you chased? | —\n" +
		"0//Ann on Walk me through your background | 0//Cy on Background?"
	if strings.Join(got, "\n") != want {
		t.Errorf("without template:\ngot\n%s\nwant\n%s", strings.Join(got, "\n"), want)
	}
}

func TestCompareWithoutTemplate(t *testing.T) {
	a := interviewWith(1, "Ann", asked(1, "One?", 0, 0), asked(2, "Two?", 10_000, 0))
	b := interviewWith(2, "Bo", asked(1, "Two?", 0, 0), asked(2, "Three?", 10_000, 0))
	c, err := Compare(nil, a, b)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range c.Rows {
		got = append(got, fmt.Sprintf("%d %s %v %v", r.TemplatePosition, r.Text, r.Cells[0].Present, r.Cells[1].Present))
	}
	want := "0 One? true false, 0 Two? true true, 0 Three? false true"
	if strings.Join(got, ", ") != want {
		t.Errorf("got %q, want %q", strings.Join(got, ", "), want)
	}
}

func TestCompareRefusesMixedTemplates(t *testing.T) {
	a := interviewWith(1, "Ann")
	b := interviewWith(2, "Bo")
	b.Interview.TemplateID = 4
	if _, err := Compare(nil, a, b); !errors.Is(err, ErrInvalid) {
		t.Errorf("two templates: got %v, want ErrInvalid", err)
	}
	other := plan("x")
	other.ID = 9
	if _, err := Compare(other, a); !errors.Is(err, ErrInvalid) {
		t.Errorf("another template: got %v, want ErrInvalid", err)
	}
	if c, err := Compare(nil); err != nil || len(c.Rows) != 0 {
		t.Errorf("nothing: got %+v, %v, want empty", c, err)
	}
}
