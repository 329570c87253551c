package interview

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// An interview's queue is matched to its plan in three passes:
//
//  0. By link: a question copied from a template (Question.
//     TemplateQuestionID, set by Template.NewQuestions) matches the plan
//     question it was copied from, however it was reworded since. When two
//     questions carry the same link, the one asked (the earliest asked),
//     else the first in the queue, takes it; the other goes on to the
//     passes below. A link to a question no longer in the plan is ignored.
//  1. Same text after questionKey (lower case, punctuation and spacing
//     ignored, diacritics kept: "Vad är" ≠ "Vad ar"). When the queue holds
//     the text more than once, the plan's question takes the copy that was
//     asked (the earliest asked), else the first in the queue; the other
//     copy counts as added.
//  2. A question still unmatched takes the unmatched plan question at the
//     same position when at least half their words are shared (Dice
//     coefficient ≥ 0.5) — a question reworded in place, a typo fixed.
//
// Passes 1 and 2 are for questions without a link: typed in, imported
// from a library without the template, or from before links were stored.
// Position alone never makes a match: a question typed live into the slot
// of a removed one is a different question, and lining up one candidate's
// answer to it against another candidate's answer to the planned question
// would mislead. Text similarity alone does not either: planned questions
// often share most of their words ("Tell me about a time you disagreed
// with a colleague / your manager").

// planItem is one question of a plan: a template's question, or in Compare
// a question first seen in one of the interviews.
type planItem struct {
	id       int64 // template question id; 0 when unknown
	key      string
	words    map[string]bool
	position int
}

func newPlanItem(id int64, text string, position int) planItem {
	ws := questionWords(text)
	set := make(map[string]bool, len(ws))
	for _, w := range ws {
		set[w] = true
	}
	return planItem{id: id, key: strings.Join(ws, " "), words: set, position: position}
}

func templatePlan(t *Template) []planItem {
	plan := make([]planItem, len(t.Questions))
	for i, tq := range t.Questions {
		plan[i] = newPlanItem(tq.ID, tq.Text, cmp.Or(tq.Position, i+1))
	}
	return plan
}

// questionWords splits text into lower-case words for matching.
func questionWords(text string) []string {
	return strings.FieldsFunc(strings.ToLower(composeNordic(text)), func(r rune) bool { return !isWordRune(r) })
}

// questionKey is the normalised text questions are matched by.
func questionKey(text string) string { return strings.Join(questionWords(text), " ") }

// matchPlan returns, for each question in qs, the index of the plan item it
// matches, or -1.
func matchPlan(plan []planItem, qs []Question) []int {
	got := make([]int, len(qs))
	for i := range got {
		got[i] = -1
	}
	taken := make([]bool, len(plan))
	// Candidates in order of preference: asked (earliest first), then by
	// queue position.
	preferred := queueOrder(qs)
	slices.SortStableFunc(preferred, func(a, b int) int {
		qa, qb := &qs[a], &qs[b]
		aa, ab := qa.Status == QuestionAsked, qb.Status == QuestionAsked
		switch {
		case aa && !ab:
			return -1
		case ab && !aa:
			return 1
		case aa && ab:
			return cmp.Compare(qa.AskedAtMs, qb.AskedAtMs)
		}
		return 0
	})

	// Pass 0: by link.
	byID := map[int64]int{}
	for p := range plan {
		if plan[p].id != 0 {
			if _, dup := byID[plan[p].id]; !dup {
				byID[plan[p].id] = p
			}
		}
	}
	if len(byID) > 0 {
		for _, i := range preferred {
			if p, ok := byID[qs[i].TemplateQuestionID]; ok && qs[i].TemplateQuestionID != 0 && !taken[p] {
				got[i], taken[p] = p, true
			}
		}
	}

	// Pass 1: by text.
	byKey := map[string][]int{}
	for _, i := range preferred {
		if got[i] < 0 {
			k := questionKey(qs[i].Text)
			byKey[k] = append(byKey[k], i)
		}
	}
	for p := range plan {
		if taken[p] {
			continue
		}
		if c := byKey[plan[p].key]; len(c) > 0 {
			got[c[0]], taken[p] = p, true
			byKey[plan[p].key] = c[1:]
		}
	}

	// Pass 2: reworded in place.
	for _, i := range queueOrder(qs) {
		if got[i] >= 0 {
			continue
		}
		item := newPlanItem(0, qs[i].Text, qs[i].Position)
		for p := range plan {
			if !taken[p] && plan[p].position == qs[i].Position && dice(plan[p].words, item.words) >= 0.5 {
				got[i], taken[p] = p, true
				break
			}
		}
	}
	return got
}

// dice is the Dice coefficient of two word sets: 2·|a∩b| / (|a|+|b|).
func dice(a, b map[string]bool) float64 {
	if len(a)+len(b) == 0 {
		return 0
	}
	n := 0
	for w := range a {
		if b[w] {
			n++
		}
	}
	return 2 * float64(n) / float64(len(a)+len(b))
}

// Consistency says how closely an interview kept to its template's plan,
// the point of a structured interview being that every candidate is asked
// the same questions in the same order.
type Consistency struct {
	TemplateID int64
	Planned    int // questions in the template
	// AskedPlanned counts template questions that were asked.
	AskedPlanned int
	// Skipped are template questions not asked: skipped, left in the
	// queue, or removed from it (Question -1).
	Skipped []PlanDeviation
	// Added are questions asked that are not in the template. Questions
	// added but never asked are left out: they changed nothing for the
	// candidate.
	Added []PlanDeviation
	// OutOfOrder are template questions asked out of the template's order:
	// the fewest asked questions that, taken out, leave the rest in order
	// (the complement of a longest increasing run of template positions,
	// in asked time). Asking question 4 early flags question 4 alone, not
	// every question after it. When two choices are equally few (two
	// questions swapped), the one asked earlier is flagged.
	OutOfOrder []PlanDeviation
}

// PlanDeviation is one question that left the plan.
type PlanDeviation struct {
	TemplatePosition int            // 1-based; 0 for an added question
	Question         int            // index into Bundle.Questions; -1 when not in the queue
	Text             string         // the interview's wording, else the template's
	Status           QuestionStatus // empty when not in the queue
}

// Consistent reports whether the interview asked the whole plan in order
// and nothing else.
func (c *Consistency) Consistent() bool {
	return len(c.Skipped) == 0 && len(c.Added) == 0 && len(c.OutOfOrder) == 0
}

// CheckConsistency compares b's questions with the template t it was made
// from, matching them as described at matchPlan. It refuses a template
// other than the interview's.
func CheckConsistency(b *Bundle, t *Template) (Consistency, error) {
	if t == nil {
		return Consistency{}, fmt.Errorf("%w consistency: no template given for interview %d", ErrInvalid, b.Interview.ID)
	}
	if t.ID != 0 && b.Interview.TemplateID != t.ID {
		return Consistency{}, fmt.Errorf("%w consistency: interview %d was made from template %d, not %d",
			ErrInvalid, b.Interview.ID, b.Interview.TemplateID, t.ID)
	}
	plan := templatePlan(t)
	match := matchPlan(plan, b.Questions)
	c := Consistency{TemplateID: t.ID, Planned: len(plan)}

	inQueue := make([]int, len(plan))
	for p := range inQueue {
		inQueue[p] = -1
	}
	for i, p := range match {
		if p >= 0 {
			inQueue[p] = i
		}
	}
	for p, i := range inQueue {
		switch {
		case i < 0:
			c.Skipped = append(c.Skipped, PlanDeviation{TemplatePosition: plan[p].position, Question: -1, Text: t.Questions[p].Text})
		case b.Questions[i].Status != QuestionAsked:
			c.Skipped = append(c.Skipped, PlanDeviation{TemplatePosition: plan[p].position, Question: i, Text: b.Questions[i].Text, Status: b.Questions[i].Status})
		default:
			c.AskedPlanned++
		}
	}

	var askedOrder []int // indexes into b.Questions, asked, in time order
	for _, i := range queueOrder(b.Questions) {
		q := &b.Questions[i]
		if q.Status != QuestionAsked {
			continue
		}
		if match[i] < 0 {
			c.Added = append(c.Added, PlanDeviation{Question: i, Text: q.Text, Status: q.Status})
			continue
		}
		askedOrder = append(askedOrder, i)
	}
	slices.SortStableFunc(askedOrder, func(x, y int) int {
		return cmp.Compare(b.Questions[x].AskedAtMs, b.Questions[y].AskedAtMs)
	})
	seq := make([]int, len(askedOrder))
	for k, i := range askedOrder {
		seq[k] = match[i]
	}
	keep := longestIncreasing(seq)
	for k, i := range askedOrder {
		if !keep[k] {
			q := &b.Questions[i]
			c.OutOfOrder = append(c.OutOfOrder, PlanDeviation{TemplatePosition: plan[match[i]].position, Question: i, Text: q.Text, Status: q.Status})
		}
	}
	return c, nil
}

// longestIncreasing marks one longest strictly increasing subsequence of
// seq. Of equally long ones it keeps the one with the smallest values at
// each step, so of two swapped questions the one asked first (the larger
// position) is left out.
func longestIncreasing(seq []int) []bool {
	tails := []int{} // tails[l] = index in seq ending the best run of length l+1
	prev := make([]int, len(seq))
	for i, x := range seq {
		l := sort.Search(len(tails), func(k int) bool { return seq[tails[k]] >= x })
		prev[i] = -1
		if l > 0 {
			prev[i] = tails[l-1]
		}
		if l == len(tails) {
			tails = append(tails, i)
		} else {
			tails[l] = i
		}
	}
	keep := make([]bool, len(seq))
	if len(tails) > 0 {
		for i := tails[len(tails)-1]; i >= 0; i = prev[i] {
			keep[i] = true
		}
	}
	return keep
}
