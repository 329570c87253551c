package interview

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestTalkStats(t *testing.T) {
	b := &Bundle{
		Interview: Interview{Mode: ModeInterviewer, Language: "en"},
		Questions: []Question{asked(1, "a", 0, 0), skipped(2, "b"), queued(3, "c"), queued(4, "d")},
		Segments: []Segment{
			seg(SourceYou, 0, 10_000, words(20)),                                                         // 20 words
			seg(SourceThem, 10_000, 40_000, "Um, "+words(59)),                                            // 60 words, 1 filler
			seg(SourceThem, 41_000, 70_000, "So, um, "+words(58)),                                        // gap 1 s: same monologue
			seg(SourceThem, 60_000, 70_000, words(0)+"[BLANK_AUDIO]"),                                    // no words: not speech
			seg(SourceYou, 75_000, 80_000, "you know "+words(8)),                                         // 10 words, 1 filler
			seg(SourceThem, 90_000, 120_000, words(60)),                                                  // gap 20 s: new monologue
			seg(SourceThem, 100_000, 110_000, words(10)),                                                 // overlaps: time once
			seg(SourceFile, 0, 60_000, words(100)),                                                       // unknown speaker
			{Source: SourceYou, StartMs: 80_000, EndMs: 85_000, Text: "x", EditedText: "uh " + words(9)}, // correction counted
		},
	}
	st := NewTalkStats(b)
	type figs struct {
		SpeakingMs   int64
		Words        int
		WPM          float64
		FillerTotal  int
		LongestStart int64
		LongestMs    int64
		TopFiller    string
	}
	get := func(s SpeakerTalk) figs {
		f := figs{s.SpeakingMs, s.Words, s.WPM, s.FillerTotal, s.Longest.StartMs, s.Longest.Ms, ""}
		if len(s.Fillers) > 0 {
			f.TopFiller = s.Fillers[0].Filler
		}
		return f
	}
	tests := []struct {
		name string
		got  figs
		want figs
	}{
		// You: 10 s + 5 s + 5 s = 20 s, 40 words → 120 wpm; 75–85 s is one run of 10 s, as long as 0–10 s, and the earlier is kept.
		{"you", get(st.You), figs{20_000, 40, 120, 2, 0, 10_000, "uh"}},
		// Them: 30 + 29 + 30 s = 89 s, 60+60+60+10 words; the first two merge into 60 s.
		{"them", get(st.Them), figs{89_000, 190, 190 / (89_000.0 / 60_000), 3, 10_000, 60_000, "um"}},
		{"unknown", get(st.Unknown), figs{60_000, 100, 100, 0, 0, 60_000, ""}},
	}
	for _, tt := range tests {
		if !nearFigs(tt.got.WPM, tt.want.WPM) {
			t.Errorf("%s WPM: got %v, want %v", tt.name, tt.got.WPM, tt.want.WPM)
		}
		tt.got.WPM, tt.want.WPM = 0, 0
		if tt.got != tt.want {
			t.Errorf("%s: got %+v, want %+v", tt.name, tt.got, tt.want)
		}
	}
	if st.Share.YouMs != 20_000 || st.Share.ThemMs != 89_000 || !nearFigs(st.Share.You, 20.0/109) {
		t.Errorf("share: got %+v, want 20000/89000", st.Share)
	}
	if st.Asked != 1 || st.Skipped != 1 || st.Queued != 2 {
		t.Errorf("questions: got asked %d skipped %d queued %d, want 1 1 2", st.Asked, st.Skipped, st.Queued)
	}
	if st.LengthMs != 120_000 {
		t.Errorf("length: got %d, want 120000", st.LengthMs)
	}
}

func nearFigs(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 }

func TestTalkStatsEmpty(t *testing.T) {
	st := NewTalkStats(&Bundle{})
	if st.You.WPM != 0 || st.Share.You != 0 || st.You.Longest != (Monologue{}) {
		t.Errorf("empty interview: got %+v, want zero figures", st)
	}
}

func plan(texts ...string) *Template {
	t := &Template{ID: 3, Name: "Backend"}
	for i, s := range texts {
		t.Questions = append(t.Questions, TemplateQuestion{Position: i + 1, Text: s})
	}
	return t
}

// devs writes deviations as "position:text" for comparison.
func devs(ds []PlanDeviation) string {
	var out []string
	for _, d := range ds {
		out = append(out, fmt.Sprintf("%d:%s", d.TemplatePosition, d.Text))
	}
	return strings.Join(out, ", ")
}

func TestCheckConsistency(t *testing.T) {
	tmpl := plan("One?", "Two?", "Three?", "Four?", "Five?")
	tests := []consistencyCase{
		{
			name:         "as planned; case, punctuation and spacing do not matter",
			qs:           []Question{asked(1, "one", 0, 0), asked(2, "TWO", 10, 0), asked(3, " three ?", 20, 0), asked(4, "Four?", 30, 0), asked(5, "Five?", 40, 0)},
			askedPlanned: 5,
		},
		{
			name:         "skipped, left queued and removed are all skipped",
			qs:           []Question{asked(1, "One?", 0, 0), skipped(2, "Two?"), asked(3, "Three?", 20, 0), queued(4, "Five?")},
			skipped:      "2:Two?, 4:Four?, 5:Five?",
			askedPlanned: 2,
		},
		{
			name: "added questions count only when asked",
			qs: []Question{asked(1, "One?", 0, 0), asked(2, "Extra?", 5, 0), asked(3, "Two?", 10, 0), asked(4, "Three?", 20, 0),
				asked(5, "Four?", 30, 0), asked(6, "Five?", 40, 0), queued(7, "Unused?")},
			added:        "0:Extra?",
			askedPlanned: 5,
		},
		{
			name: "one asked early flags that one only",
			qs: []Question{asked(1, "One?", 0, 0), asked(2, "Two?", 20, 0), asked(3, "Three?", 30, 0),
				asked(4, "Four?", 10, 0), asked(5, "Five?", 40, 0)},
			outOfOrder:   "4:Four?",
			askedPlanned: 5,
		},
		{
			name: "the last asked first flags it alone",
			qs: []Question{asked(1, "One?", 10, 0), asked(2, "Two?", 20, 0), asked(3, "Three?", 30, 0),
				asked(4, "Four?", 40, 0), asked(5, "Five?", 0, 0)},
			outOfOrder:   "5:Five?",
			askedPlanned: 5,
		},
		{
			name: "two swapped: the one asked first is flagged",
			qs: []Question{asked(1, "One?", 0, 0), asked(2, "Two?", 30, 0), asked(3, "Three?", 20, 0),
				asked(4, "Four?", 40, 0), asked(5, "Five?", 50, 0)},
			outOfOrder:   "3:Three?",
			askedPlanned: 5,
		},
		{
			name: "reordered in the queue but asked in template order is in order",
			qs: []Question{asked(5, "One?", 0, 0), asked(4, "Two?", 10, 0), asked(3, "Three?", 20, 0),
				asked(2, "Four?", 30, 0), asked(1, "Five?", 40, 0)},
			askedPlanned: 5,
		},
		{
			name: "reworded in place matches; a new text in a removed slot does not",
			qs: []Question{asked(1, "One?", 0, 0), asked(2, "Two, please?", 10, 0), asked(3, "Something else entirely", 20, 0),
				asked(4, "Four?", 30, 0), asked(5, "Five?", 40, 0)},
			skipped:      "3:Three?",
			added:        "0:Something else entirely",
			askedPlanned: 4,
		},
		{
			name: "asked twice: the first asking is the plan's, the repeat is added",
			qs: []Question{asked(1, "One?", 0, 0), asked(2, "Two?", 10, 0), asked(3, "Three?", 20, 0),
				asked(4, "Four?", 30, 0), asked(5, "Five?", 40, 0), asked(6, "Two?", 50, 0)},
			added:        "0:Two?",
			askedPlanned: 5,
		},
		{
			name:         "diacritics matter: å is not a",
			qs:           []Question{asked(1, "One?", 0, 0), asked(2, "Twö?", 10, 0), asked(3, "Three?", 20, 0), asked(4, "Four?", 30, 0), asked(5, "Five?", 40, 0)},
			skipped:      "2:Two?",
			added:        "0:Twö?",
			askedPlanned: 4,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.check(t, tmpl) })
	}
}

// consistencyCase is one interview's questions checked against a plan,
// and the deviations wanted ("position:text", comma-separated).
type consistencyCase struct {
	name                       string
	qs                         []Question
	skipped, added, outOfOrder string
	askedPlanned               int
}

func (tt consistencyCase) check(t *testing.T, tmpl *Template) {
	t.Helper()
	b := &Bundle{Interview: Interview{ID: 1, TemplateID: 3}, Questions: tt.qs}
	c, err := CheckConsistency(b, tmpl)
	if err != nil {
		t.Fatal(err)
	}
	if got := devs(c.Skipped); got != tt.skipped {
		t.Errorf("skipped: got %q, want %q", got, tt.skipped)
	}
	if got := devs(c.Added); got != tt.added {
		t.Errorf("added: got %q, want %q", got, tt.added)
	}
	if got := devs(c.OutOfOrder); got != tt.outOfOrder {
		t.Errorf("out of order: got %q, want %q", got, tt.outOfOrder)
	}
	if n := len(tmpl.Questions); c.AskedPlanned != tt.askedPlanned || c.Planned != n {
		t.Errorf("asked planned: got %d of %d, want %d of %d", c.AskedPlanned, c.Planned, tt.askedPlanned, n)
	}
	wantOK := tt.skipped == "" && tt.added == "" && tt.outOfOrder == ""
	if c.Consistent() != wantOK {
		t.Errorf("Consistent: got %v, want %v", c.Consistent(), wantOK)
	}
}

// linked sets the template question a question was copied from.
func linked(q Question, tqID int64) Question { q.TemplateQuestionID = tqID; return q }

func TestCheckConsistencyByLink(t *testing.T) {
	tmpl := plan("One?", "Two?", "Three?")
	for i := range tmpl.Questions {
		tmpl.Questions[i].ID = int64(101 + i)
	}
	tests := []consistencyCase{
		{
			name: "reworded beyond recognition and moved, the link still matches",
			qs: []Question{linked(asked(3, "First question, said my way", 0, 0), 101), linked(asked(1, "Second", 10, 0), 102),
				linked(asked(2, "Third", 20, 0), 103)},
			askedPlanned: 3,
		},
		{
			name: "the link wins over the text of another plan question",
			qs: []Question{linked(asked(1, "Two?", 0, 0), 101), linked(asked(2, "One?", 10, 0), 102),
				linked(asked(3, "Three?", 20, 0), 103)},
			askedPlanned: 3,
		},
		{
			name: "linked out of order is flagged by the link's position",
			qs: []Question{linked(asked(1, "Alpha", 10, 0), 101), linked(asked(2, "Beta", 20, 0), 102),
				linked(asked(3, "Gamma", 0, 0), 103)},
			outOfOrder:   "3:Gamma",
			askedPlanned: 3,
		},
		{
			name: "two with one link: the asked one takes it, the other falls back to text",
			qs: []Question{linked(queued(1, "Copy"), 101), linked(asked(2, "Original", 0, 0), 101),
				linked(asked(3, "Two?", 10, 0), 102), asked(4, "Three?", 20, 0), asked(5, "Copy again", 30, 0)},
			added:        "0:Copy again",
			askedPlanned: 3,
		},
		{
			name: "without links, or with a link not in the plan, text then position decide",
			qs: []Question{linked(asked(1, "One?", 0, 0), 999), asked(2, "Two, please?", 10, 0),
				linked(asked(3, "Something else entirely", 20, 0), 999)},
			skipped:      "3:Three?",
			added:        "0:Something else entirely",
			askedPlanned: 2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.check(t, tmpl) })
	}
}

func TestCheckConsistencyRefusesOtherTemplate(t *testing.T) {
	b := &Bundle{Interview: Interview{ID: 1, TemplateID: 4}}
	for _, tmpl := range []*Template{nil, plan("x")} {
		if _, err := CheckConsistency(b, tmpl); !errors.Is(err, ErrInvalid) {
			t.Errorf("template %v: got %v, want ErrInvalid", tmpl, err)
		}
	}
}

func TestLongestIncreasing(t *testing.T) {
	tests := []struct {
		seq  []int
		want []bool
	}{
		{nil, []bool{}},
		{[]int{0, 1, 2}, []bool{true, true, true}},
		{[]int{2, 1, 0}, []bool{false, false, true}},
		{[]int{0, 3, 1, 2, 4}, []bool{true, false, true, true, true}},
	}
	for _, tt := range tests {
		if got := longestIncreasing(tt.seq); !slices.Equal(got, tt.want) {
			t.Errorf("%v: got %v, want %v", tt.seq, got, tt.want)
		}
	}
}
