package interview

import (
	"cmp"
	"slices"
)

// Bundle is one interview with everything that belongs to it: what the
// review screen shows and what a JSON export carries.
type Bundle struct {
	Interview  Interview
	Questions  []Question     // by position
	Notes      []Note         // by time
	Points     []TalkingPoint // by position
	Segments   []Segment      // by start time
	Recordings []Recording
}

// EntryKind tells what an Entry of the timeline holds.
type EntryKind string

// Kinds of timeline entry.
const (
	EntryQuestion EntryKind = "question"
	EntryNote     EntryKind = "note"
	EntrySegment  EntryKind = "segment"
)

// Entry is one line of the review timeline. Exactly one of Question, Note
// and Segment is set, according to Kind.
type Entry struct {
	AtMs     int64
	Kind     EntryKind
	Question *Question
	Note     *Note
	Segment  *Segment
}

// Timeline merges the asked questions, the notes and the transcript into
// one list in interview time. At the same millisecond a question comes
// first (it frames what follows), then transcript, then notes, which are
// usually typed a moment after the words they are about. Questions never
// asked have no time and are left out; they are in Questions.
func (b *Bundle) Timeline() []Entry {
	out := make([]Entry, 0, len(b.Notes)+len(b.Segments)+len(b.Questions))
	for i := range b.Questions {
		if q := &b.Questions[i]; q.Status == QuestionAsked {
			out = append(out, Entry{AtMs: q.AskedAtMs, Kind: EntryQuestion, Question: q})
		}
	}
	for i := range b.Segments {
		out = append(out, Entry{AtMs: b.Segments[i].StartMs, Kind: EntrySegment, Segment: &b.Segments[i]})
	}
	for i := range b.Notes {
		out = append(out, Entry{AtMs: b.Notes[i].AtMs, Kind: EntryNote, Note: &b.Notes[i]})
	}
	order := map[EntryKind]int{EntryQuestion: 0, EntrySegment: 1, EntryNote: 2}
	slices.SortStableFunc(out, func(a, b Entry) int {
		return cmp.Or(cmp.Compare(a.AtMs, b.AtMs), cmp.Compare(order[a.Kind], order[b.Kind]))
	})
	return out
}

// AverageRating is the mean of the rated questions and how many there were;
// unrated questions do not pull the average down.
func (b *Bundle) AverageRating() (avg float64, n int) {
	sum := 0
	for _, q := range b.Questions {
		if q.Rating > 0 {
			sum += q.Rating
			n++
		}
	}
	if n == 0 {
		return 0, 0
	}
	return float64(sum) / float64(n), n
}
