package interview

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// The review screens read a finished (or interrupted) interview's Bundle
// and never change it. Everything in review*.go, activity*.go and
// compare*.go is a pure function of the Bundle (and a Template where one
// is needed), so a review opens the same way every time and is tested
// without a store or a window.

// Recommendation is the interviewer's hiring call after the interview.
type Recommendation string

// Recommendations, from the strongest no to the strongest yes. The empty
// value means the user has not decided yet.
const (
	RecommendNone      Recommendation = ""
	RecommendStrongNo  Recommendation = "strong-no"
	RecommendNo        Recommendation = "no"
	RecommendYes       Recommendation = "yes"
	RecommendStrongYes Recommendation = "strong-yes"
)

// Recommendations lists the choices in the order the UI offers them.
func Recommendations() []Recommendation {
	return []Recommendation{RecommendStrongNo, RecommendNo, RecommendYes, RecommendStrongYes}
}

// Valid reports whether r is a known recommendation or undecided.
func (r Recommendation) Valid() bool {
	return r == RecommendNone || slices.Contains(Recommendations(), r)
}

// Verdict is the user's overall judgement of an interview: set by hand,
// never computed, because the average of the question ratings is evidence
// for the decision, not the decision. It belongs to the interview (one per
// interview), not to a question.
type Verdict struct {
	Rating         int // 0 = not rated, else MinRating..MaxRating
	Recommendation Recommendation
	Summary        string // why, in a sentence or two
}

// Validate checks the verdict's fields.
func (v *Verdict) Validate() error {
	if !v.Recommendation.Valid() {
		return fmt.Errorf("%w recommendation %q: use strong-no, no, yes, strong-yes or leave it empty", ErrInvalid, v.Recommendation)
	}
	if err := ValidateRating(v.Rating); err != nil {
		return fmt.Errorf("overall %w", err)
	}
	return nil
}

// Answerer is whose words answer the questions in an interview of mode m:
// the other side when the user interviews, the user when they are the
// candidate or practising alone.
func Answerer(m Mode) Source {
	if m == ModeInterviewer {
		return SourceThem
	}
	return SourceYou
}

// ReviewLengthMs is how long the interview ran in interview time: the
// latest moment anything was stamped (a segment's end, a note, a question
// asked) or a recording's length. Wall-clock StartedAt/EndedAt are not
// used: they include pauses, which the interview clock does not.
func ReviewLengthMs(b *Bundle) int64 {
	var end int64
	for i := range b.Segments {
		end = max(end, b.Segments[i].EndMs, b.Segments[i].StartMs)
	}
	for i := range b.Notes {
		end = max(end, b.Notes[i].AtMs)
	}
	for i := range b.Questions {
		if b.Questions[i].Status == QuestionAsked {
			end = max(end, b.Questions[i].AskedAtMs)
		}
	}
	for i := range b.Recordings {
		end = max(end, (b.Recordings[i].Offset + b.Recordings[i].Duration).Milliseconds())
	}
	return max(end, b.Interview.Ran.Milliseconds())
}

// AnswerLine is one transcript segment of an answer.
type AnswerLine struct {
	Segment int // index into Bundle.Segments, to jump or play from
	Source  Source
	StartMs int64
	EndMs   int64
	Text    string // the display text: a correction wins over the recognizer
}

// QuestionScore is one scorecard line.
type QuestionScore struct {
	Question   int // index into Bundle.Questions
	QuestionID int64
	Position   int
	Text       string
	Competency string
	Status     QuestionStatus
	AskedAtMs  int64 // meaningful only when Status is QuestionAsked
	Rating     int
	Note       string
	// SpentMs runs from the question being asked to the next question
	// being asked, or to the end of the interview for the last one; 0 for
	// a question not asked. EndMs is where that span ends.
	SpentMs int64
	EndMs   int64
	// Answer is what the answerer (see Answerer) said in that span, and
	// what an imported recording's unknown speaker said; see NewScorecard.
	Answer []AnswerLine
}

// Asked reports whether the question was asked.
func (q *QuestionScore) Asked() bool { return q.Status == QuestionAsked }

// AnswerText is the answer as one paragraph.
func (q *QuestionScore) AnswerText() string {
	parts := make([]string, 0, len(q.Answer))
	for _, l := range q.Answer {
		if t := strings.TrimSpace(l.Text); t != "" {
			parts = append(parts, t)
		}
	}
	return strings.Join(parts, " ")
}

// Scorecard is the review's question-by-question summary.
type Scorecard struct {
	Questions []QuestionScore // in queue order (Position)
	Answerer  Source
	LengthMs  int64
	Average   float64 // of the rated questions
	Rated     int
	// Verdict is the interview's (Interview.Verdict), beside the ratings
	// it was decided from.
	Verdict Verdict
}

// NewScorecard builds the scorecard of b.
//
// The answer to a question is the transcript from the moment it was marked
// asked to the moment the next question (in time, not in queue order) was
// marked asked; the last one's runs to the end of the interview
// (ReviewLengthMs). A segment belongs to the span its start falls in: an
// utterance that began before the next question was asked finishes where it
// began. Two questions asked at the same millisecond (a double press) give
// the first, in queue order, an empty span.
//
// Only the answerer's segments and those of SourceFile (an imported
// recording whose speaker is unknown) make the answer; the asker's words
// are the question itself and stay in the timeline. Skipped and still
// queued questions have no span and no answer.
//
// A question has one asked time: asking it again (requeue, then ask) moves
// the time, and the scorecard shows the last asking. The same text twice in
// the queue is two questions, each with its own span.
func NewScorecard(b *Bundle) Scorecard {
	sc := Scorecard{Answerer: Answerer(b.Interview.Mode), LengthMs: ReviewLengthMs(b), Verdict: b.Interview.Verdict}
	sc.Average, sc.Rated = b.AverageRating()

	order := queueOrder(b.Questions)
	sc.Questions = make([]QuestionScore, len(order))
	for k, i := range order {
		q := &b.Questions[i]
		sc.Questions[k] = QuestionScore{
			Question: i, QuestionID: q.ID, Position: q.Position, Text: q.Text, Competency: q.Competency,
			Status: q.Status, AskedAtMs: q.AskedAtMs, Rating: q.Rating, Note: q.Note,
		}
	}
	// Spans follow the asked times; queue position breaks ties.
	var asked []*QuestionScore
	for k := range sc.Questions {
		if sc.Questions[k].Asked() {
			asked = append(asked, &sc.Questions[k])
		}
	}
	slices.SortStableFunc(asked, func(a, b *QuestionScore) int { return cmp.Compare(a.AskedAtMs, b.AskedAtMs) })

	segs := segmentsByStart(b.Segments)
	for k, q := range asked {
		end := max(sc.LengthMs, q.AskedAtMs)
		if k+1 < len(asked) {
			end = asked[k+1].AskedAtMs
		}
		q.EndMs, q.SpentMs = end, end-q.AskedAtMs
		lo := sort.Search(len(segs), func(j int) bool { return b.Segments[segs[j]].StartMs >= q.AskedAtMs })
		for j := lo; j < len(segs); j++ {
			s := &b.Segments[segs[j]]
			// The last span is closed so a segment starting at the very end
			// still belongs to the last question.
			if s.StartMs > end || (s.StartMs == end && k+1 < len(asked)) {
				break
			}
			if s.Source == sc.Answerer || s.Source == SourceFile {
				q.Answer = append(q.Answer, AnswerLine{Segment: segs[j], Source: s.Source, StartMs: s.StartMs, EndMs: s.EndMs, Text: s.Display()})
			}
		}
	}
	return sc
}

// queueOrder returns indexes of qs by Position, keeping the slice's order
// for equal positions.
func queueOrder(qs []Question) []int {
	idx := make([]int, len(qs))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(qs[a].Position, qs[b].Position) })
	return idx
}

// segmentsByStart returns indexes of segs by start time. The store hands
// them over sorted; an imported file might not, and a wrong order would
// silently drop answers.
func segmentsByStart(segs []Segment) []int {
	idx := make([]int, len(segs))
	for i := range idx {
		idx[i] = i
	}
	if !slices.IsSortedFunc(segs, func(a, b Segment) int { return cmp.Compare(a.StartMs, b.StartMs) }) {
		slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(segs[a].StartMs, segs[b].StartMs) })
	}
	return idx
}
