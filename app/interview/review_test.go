package interview

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

func asked(pos int, text string, atMs int64, rating int) Question {
	return Question{ID: int64(pos), Position: pos, Text: text, Status: QuestionAsked, AskedAtMs: atMs, Rating: rating}
}

func queued(pos int, text string) Question {
	return Question{ID: int64(pos), Position: pos, Text: text, Status: QuestionQueued}
}

func skipped(pos int, text string) Question {
	return Question{ID: int64(pos), Position: pos, Text: text, Status: QuestionSkipped}
}

// spanOf describes a scorecard line for comparison: "text spent=… answer".
func spanOf(q QuestionScore) string {
	return fmt.Sprintf("%s %s spent=%d [%s]", q.Text, q.Status, q.SpentMs, q.AnswerText())
}

func TestScorecardAnswerSpans(t *testing.T) {
	them := func(a, b int64, text string) Segment { return seg(SourceThem, a, b, text) }
	you := func(a, b int64, text string) Segment { return seg(SourceYou, a, b, text) }
	tests := []struct {
		name string
		mode Mode
		qs   []Question
		segs []Segment
		want []string // spanOf per question, in queue order
	}{
		{
			name: "answers follow asked times; skipped and never asked have none",
			mode: ModeInterviewer,
			qs: []Question{
				asked(1, "Q1", 1_000, 4), skipped(2, "Q2"), asked(3, "Q3", 10_000, 0), queued(4, "Q4"),
			},
			segs: []Segment{
				them(0, 900, "before anything"),
				you(1_000, 2_000, "first question?"),
				them(2_500, 5_000, "answer one"),
				them(9_000, 10_500, "runs over"), // starts before Q3: belongs to Q1
				them(10_000, 12_000, "answer three"),
				them(14_000, 15_000, "last words"),
			},
			want: []string{
				"Q1 asked spent=9000 [answer one runs over]",
				"Q2 skipped spent=0 []",
				"Q3 asked spent=5000 [answer three last words]",
				"Q4 queued spent=0 []",
			},
		},
		{
			name: "asked out of queue order: spans follow time, lines keep queue order",
			mode: ModeInterviewer,
			qs:   []Question{asked(1, "A", 20_000, 0), asked(2, "B", 5_000, 0), asked(3, "C", 30_000, 0)},
			segs: []Segment{them(6_000, 7_000, "b says"), them(21_000, 22_000, "a says"), them(31_000, 40_000, "c says")},
			want: []string{
				"A asked spent=10000 [a says]",
				"B asked spent=15000 [b says]",
				"C asked spent=10000 [c says]",
			},
		},
		{
			name: "candidate mode: the user's words are the answer",
			mode: ModeCandidate,
			qs:   []Question{asked(1, "Why us?", 0, 0)},
			segs: []Segment{them(0, 2_000, "so why us"), you(2_000, 6_000, "because")},
			want: []string{"Why us? asked spent=6000 [because]"},
		},
		{
			name: "a correction wins; an imported file's speaker counts",
			mode: ModeInterviewer,
			qs:   []Question{asked(1, "Q", 0, 0)},
			segs: []Segment{
				{Source: SourceThem, StartMs: 100, EndMs: 900, Text: "cubernetes", EditedText: "Kubernetes"},
				seg(SourceFile, 1_000, 2_000, "from a file"),
			},
			want: []string{"Q asked spent=2000 [Kubernetes from a file]"},
		},
		{
			name: "double press: two questions at one time, the first has an empty span",
			mode: ModeInterviewer,
			qs:   []Question{asked(1, "X", 1_000, 0), asked(2, "Y", 1_000, 0)},
			segs: []Segment{them(1_000, 3_000, "said")},
			want: []string{"X asked spent=0 []", "Y asked spent=2000 [said]"},
		},
		{
			name: "same question twice in the queue: each asking has its own span",
			mode: ModeInterviewer,
			qs:   []Question{asked(1, "Again?", 0, 2), asked(2, "Again?", 10_000, 4)},
			segs: []Segment{them(1_000, 2_000, "first try"), them(11_000, 12_000, "second try")},
			want: []string{"Again? asked spent=10000 [first try]", "Again? asked spent=2000 [second try]"},
		},
		{
			name: "last question runs to the interview's end, here a note after the transcript",
			mode: ModeInterviewer,
			qs:   []Question{asked(1, "Q", 1_000, 0)},
			segs: []Segment{them(2_000, 3_000, "short")},
			want: []string{"Q asked spent=9000 [short]"},
		},
		{
			name: "unsorted segments are read in time order",
			mode: ModeInterviewer,
			qs:   []Question{asked(1, "P", 0, 0), asked(2, "R", 5_000, 0)},
			segs: []Segment{them(6_000, 7_000, "r2"), them(1_000, 2_000, "p1"), them(5_500, 5_900, "r1")},
			want: []string{"P asked spent=5000 [p1]", "R asked spent=2000 [r1 r2]"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := &Bundle{Interview: Interview{Mode: tt.mode}, Questions: tt.qs, Segments: tt.segs}
			if strings.Contains(tt.name, "a note after") {
				b.Notes = []Note{{AtMs: 10_000, Text: "end"}}
			}
			sc := NewScorecard(b)
			var got []string
			for _, q := range sc.Questions {
				got = append(got, spanOf(q))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(tt.want, "\n\t"))
			}
		})
	}
}

func TestScorecardFields(t *testing.T) {
	verdict := Verdict{Rating: 4, Recommendation: RecommendYes, Summary: "Clear thinker"}
	b := &Bundle{
		Interview: Interview{Mode: ModeInterviewer, Verdict: verdict},
		Questions: []Question{
			{ID: 7, Position: 2, Text: "Second", Competency: "ownership", Status: QuestionAsked, AskedAtMs: 60_000, Rating: 3, Note: "ok"},
			{ID: 9, Position: 1, Text: "First", Competency: "craft", Status: QuestionAsked, AskedAtMs: 0, Rating: 5},
			{ID: 11, Position: 3, Text: "Third", Status: QuestionSkipped},
		},
		Segments:   []Segment{seg(SourceThem, 61_000, 62_000, "yes")},
		Recordings: []Recording{{Source: SourceYou, Duration: 2 * time.Minute}},
	}
	sc := NewScorecard(b)
	if sc.LengthMs != 120_000 {
		t.Errorf("LengthMs: got %d, want 120000 (the recording's length)", sc.LengthMs)
	}
	if sc.Average != 4 || sc.Rated != 2 {
		t.Errorf("average: got %v over %d, want 4 over 2", sc.Average, sc.Rated)
	}
	if sc.Answerer != SourceThem {
		t.Errorf("answerer: got %q, want them", sc.Answerer)
	}
	if sc.Verdict != verdict {
		t.Errorf("verdict: got %+v, want the interview's %+v", sc.Verdict, verdict)
	}
	q := sc.Questions[1]
	want := QuestionScore{Question: 0, QuestionID: 7, Position: 2, Text: "Second", Competency: "ownership", Status: QuestionAsked,
		AskedAtMs: 60_000, Rating: 3, Note: "ok", SpentMs: 60_000, EndMs: 120_000,
		Answer: []AnswerLine{{Segment: 0, Source: SourceThem, StartMs: 61_000, EndMs: 62_000, Text: "yes"}}}
	if fmt.Sprint(q) != fmt.Sprint(want) {
		t.Errorf("second line:\ngot  %+v\nwant %+v", q, want)
	}
	if sc.Questions[0].Text != "First" || sc.Questions[0].SpentMs != 60_000 {
		t.Errorf("first line: got %q spent %d, want First spent 60000", sc.Questions[0].Text, sc.Questions[0].SpentMs)
	}
}

func TestVerdictValidate(t *testing.T) {
	tests := []struct {
		v    Verdict
		want error
	}{
		{Verdict{}, nil},
		{Verdict{Rating: 4, Recommendation: RecommendYes, Summary: "solid"}, nil},
		{Verdict{Rating: 6}, ErrInvalid},
		{Verdict{Recommendation: "maybe"}, ErrInvalid},
	}
	for _, tt := range tests {
		if got := tt.v.Validate(); !errors.Is(got, tt.want) || (tt.want == nil && got != nil) {
			t.Errorf("%+v: got %v, want %v", tt.v, got, tt.want)
		}
	}
}
