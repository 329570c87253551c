package interview

import (
	"fmt"
	"strings"
	"testing"
)

func TestSearchInterview(t *testing.T) {
	b := &Bundle{
		Questions: []Question{
			asked(1, "Berätta om ett projekt", 1_000, 0),
			{Position: 2, Text: "Hur hanterar du stress?", Status: QuestionQueued, Note: "ask about Kafka"},
			asked(3, "What about Kafka?", 8_000, 0),
		},
		Notes: []Note{
			{AtMs: 3_000, Text: "Good KAFKA answer"},
			{AtMs: 8_000, Text: "kafka again"},
		},
		Segments: []Segment{
			seg(SourceThem, 2_000, 4_000, "Vi använde Kafka, kafka överallt."),
			{Source: SourceThem, StartMs: 5_000, EndMs: 6_000, Text: "cafka", EditedText: "Kafka"},
			seg(SourceThem, 7_000, 7_500, "Gå vidare. Ga inte."),
			seg(SourceYou, 8_000, 9_000, "Ga\u030a och A\u030aTERKOM, ett a\u0301."), // decomposed å, Å and á
			seg(SourceYou, 9_500, 9_900, "tab\there"),
		},
	}
	tests := []struct {
		query string
		want  []string // kind index at [matched text]
	}{
		{"kafka", []string{
			"segment 0 @2000 [Kafka]", "segment 0 @2000 [kafka]", "note 0 @3000 [KAFKA]",
			"segment 1 @5000 [Kafka]", "question 2 @8000 [Kafka]", "note 1 @8000 [kafka]",
			"question-note 1 untimed [Kafka]",
		}},
		{"CAFKA", nil}, // the recognizer's word, replaced by a correction
		{"gå", []string{"segment 2 @7000 [Gå]", "segment 3 @8000 [Ga\u030a]"}},
		{"ga", []string{"segment 2 @7000 [Ga]", "note 1 @8000 [ga]"}}, // "again"; never the decomposed "gå"
		{"återkom", []string{"segment 3 @8000 [A\u030aTERKOM]"}},
		{"ett a", nil}, // the a carries a combining accent: á is not a
		{"ett a\u0301", []string{"segment 3 @8000 [ett a\u0301]"}},
		{"å", []string{"segment 2 @7000 [å]", "segment 3 @8000 [a\u030a]", "segment 3 @8000 [A\u030a]"}},
		{"berätta", []string{"question 0 @1000 [Berätta]"}},
		{"berata", nil},
		{"ÖVERALLT", []string{"segment 0 @2000 [överallt]"}},
		{"tab here", []string{"segment 4 @9500 [tab\there]"}},
		{"  ", nil},
		{"zebra", nil},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			var got []string
			for _, h := range SearchInterview(b, tt.query) {
				kind := string(h.Kind)
				if h.InNote {
					kind += "-note"
				}
				at := fmt.Sprintf("@%d", h.AtMs)
				if !h.Timed {
					at = "untimed"
				}
				got = append(got, fmt.Sprintf("%s %d %s [%s]", kind, h.Index, at, h.Text[h.Start:h.End]))
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(tt.want, "\n\t"))
			}
		})
	}
}

// Texts are passed over unfolded when they lack the query's first letter;
// every spelling of that letter must still count.
func TestSearchInterviewFirstLetterSpellings(t *testing.T) {
	b := &Bundle{Segments: []Segment{seg(SourceThem, 0, 1, "\u212Aafka"), seg(SourceThem, 2, 3, "\u017Fo"), seg(SourceThem, 4, 5, "no match")}}
	for _, tt := range []struct {
		query string
		want  int
	}{{"kafka", 1}, {"SO", 1}, {"mat", 1}, {"x", 0}} {
		if got := len(SearchInterview(b, tt.query)); got != tt.want {
			t.Errorf("%q: got %d hits, want %d", tt.query, got, tt.want)
		}
	}
}
