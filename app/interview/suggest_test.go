package interview

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// suggestQuestions is a small plan in two languages, with words shared
// between questions so rarity matters.
var suggestQuestions = []Question{
	{ID: 1, Text: "Walk me through a system you designed end to end.", Status: QuestionQueued},
	{ID: 2, Text: "Tell me about a production incident you led the response to.", Status: QuestionQueued},
	{ID: 3, Text: "How do you decide what to test?", Status: QuestionQueued},
	{ID: 4, Text: "Describe a disagreement with a colleague and how it ended.", Status: QuestionQueued},
	{ID: 5, Text: "What would you want to learn in your first six months?", Status: QuestionQueued},
	{ID: 6, Text: "Berätta om projektet du är mest stolt över.", Status: QuestionQueued},
	{ID: 7, Text: "Hur hanterar du en konflikt i teamet?", Status: QuestionQueued},
	{ID: 8, Text: "Tell me about the system you are proudest of.", Status: QuestionAsked, AskedAtMs: 1000},
}

var suggestPoints = []TalkingPoint{
	{ID: 31, Text: "Led the move from cron jobs to a queue", Kind: PointKindPoint},
	{ID: 32, Text: "Mentored two juniors through their first on-call", Kind: PointKindPoint},
	{ID: 33, Text: "How is on-call shared across the team?", Kind: PointKindQuestion},
	{ID: 34, Text: "Open-source: maintainer of a Go SQL migration tool", Kind: PointKindPoint, Checked: true},
}

func TestSuggesterMatch(t *testing.T) {
	for _, c := range []struct {
		name, lang, said string
		want             []string // "question 1", "point 31"; best first
		minScore         float64  // the best must score at least this
	}{
		{"paraphrase of a question", "en", "so can you walk me through a system that you designed from end to end",
			[]string{"question 1"}, SuggestThreshold + 0.25},
		{"question word for word", "", "Walk me through a system you designed end to end.", []string{"question 1"}, 0.99},
		{"words in another order", "en", "Any system you designed, end to end: walk me through it?", []string{"question 1"}, SuggestThreshold},
		{"inflection", "en", "Could you describe a disagreement you had with a colleague, and how did it end?", []string{"question 4"}, SuggestThreshold + 0.2},
		{"small talk", "en", "thanks for joining, can you hear me", nil, 0},
		{"small talk, auto language", "", "Hi! Thanks for joining, can you hear me okay?", nil, 0},
		{"fillers only", "", "um, uh, so, like, you know, liksom, alltså", nil, 0},
		{"one shared word is not enough", "en", "The system was slow yesterday.", nil, 0},
		{"a point, reworded", "en", "I led our move from cron jobs to a message queue", []string{"point 31"}, SuggestThreshold + 0.2},
		{"a question to ask them", "en", "How do you share on-call across the team?", []string{"point 33"}, SuggestThreshold},
		{"checked points are not candidates", "en", "I maintain a Go SQL migration tool, it is open source", nil, 0},
		{"asked questions are not candidates", "en", "Tell me about the system you are proudest of.", nil, 0},
		{"Swedish, inflected", "sv", "Kan du berätta om ett projekt som du är mest stolt över?", []string{"question 6"}, SuggestThreshold},
		{"Swedish, a/å differ", "sv", "Hur hanterar ni konflikter i teamet?", []string{"question 7"}, SuggestThreshold},
		{"empty", "", "", nil, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := NewSuggester(c.lang).Match(c.said, suggestQuestions, suggestPoints)
			var names []string
			for _, s := range got {
				names = append(names, fmt.Sprintf("%s %d", s.Kind, s.ID))
			}
			if !slices.Equal(names, c.want) {
				t.Fatalf("Match(%q) = %v (%+v), want %v", c.said, names, got, c.want)
			}
			if len(got) > 0 && got[0].Score < c.minScore {
				t.Errorf("Match(%q) best score %.3f, want at least %.3f", c.said, got[0].Score, c.minScore)
			}
			for _, s := range got {
				if s.Score < SuggestThreshold || s.Score > 1 {
					t.Errorf("score %.3f out of [%.2f, 1]", s.Score, SuggestThreshold)
				}
			}
		})
	}
}

func TestSuggesterWords(t *testing.T) {
	got := NewSuggester("en").Match("I led our move from cron jobs to a message queue", nil, suggestPoints)
	if len(got) != 1 {
		t.Fatalf("got %+v, want one point", got)
	}
	if want := []string{"led", "move", "cron", "jobs", "queue"}; !slices.Equal(got[0].Words, want) {
		t.Errorf("words: got %q, want %q", got[0].Words, want)
	}
}

func TestSameWord(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"designed", "design", true},
		{"designing", "designed", true},
		{"projektet", "projekt", true},
		{"jobs", "job", true},
		{"ended", "end", true},
		{"interview", "internal", false},
		{"får", "far", false},
		{"at", "ate", false},
		{"system", "systematically", false},
	} {
		if got := sameWord([]rune(c.a), []rune(c.b)); got != c.want {
			t.Errorf("sameWord(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}

// TestSuggesterRarity: a word every candidate shares counts less than
// one only this candidate has.
func TestSuggesterRarity(t *testing.T) {
	qs := []Question{
		{ID: 1, Text: "Describe the team's deployment pipeline", Status: QuestionQueued},
		{ID: 2, Text: "Describe the team's hiring process", Status: QuestionQueued},
		{ID: 3, Text: "Describe the team's roadmap", Status: QuestionQueued},
	}
	s := NewSuggester("en")
	if got := s.Match("describe the team's structure", qs, nil); len(got) != 0 {
		t.Errorf("shared words only: got %+v, want nothing", got)
	}
	got := s.Match("and your deployment pipeline?", qs, nil)
	if len(got) != 1 || got[0].ID != 1 {
		t.Errorf("distinctive words: got %+v, want question 1", got)
	}
}

func TestSuggesterDeterministic(t *testing.T) {
	s := NewSuggester("")
	said := "tell me about a system you designed and an incident you led"
	first := s.Match(said, suggestQuestions, suggestPoints)
	for range 20 {
		if got := s.Match(said, suggestQuestions, suggestPoints); !slices.EqualFunc(got, first, func(a, b Suggestion) bool {
			return a.Kind == b.Kind && a.ID == b.ID && a.Score == b.Score
		}) {
			t.Fatalf("got %+v, then %+v", first, got)
		}
	}
}

// BenchmarkSuggesterMatch is one final utterance against a full plan: 40
// questions and 20 points, as the Live screen runs it on the UI goroutine.
func BenchmarkSuggesterMatch(b *testing.B) {
	var qs []Question
	for i := range 40 {
		base := suggestQuestions[i%7]
		qs = append(qs, Question{ID: int64(i + 1), Text: fmt.Sprintf("%s (variant %d, area%d)", base.Text, i, i), Status: QuestionQueued})
	}
	var ps []TalkingPoint
	for i := range 20 {
		base := suggestPoints[i%3]
		ps = append(ps, TalkingPoint{ID: int64(100 + i), Text: fmt.Sprintf("%s, topic%d", base.Text, i), Kind: base.Kind})
	}
	said := strings.Repeat("so I think the system we designed was, um, mostly about moving cron jobs ", 3)
	said = strings.Join(strings.Fields(said)[:30], " ")
	s := NewSuggester("")
	b.ReportAllocs()
	for b.Loop() {
		s.Match(said, qs, ps)
	}
}
