package interview

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"
)

// words returns n distinct-looking ordinary words, none of them fillers.
func words(n int) string {
	ws := make([]string, n)
	for i := range ws {
		ws[i] = "word"
	}
	return strings.Join(ws, " ")
}

func seg(src Source, startMs, endMs int64, text string) Segment {
	return Segment{Source: src, StartMs: startMs, EndMs: endMs, Text: text}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-6 }

func TestCoachPace(t *testing.T) {
	tests := []struct {
		name      string
		segs      []Segment
		now       int64
		wantYou   float64
		wantThem  float64
		wantSpeed int64 // You.PaceSpeechMs
	}{
		{"150 words in 60 s", []Segment{seg(SourceYou, 0, 60_000, words(150))}, 60_000, 150, 0, 60_000},
		{"window holds only the last minute", []Segment{
			seg(SourceYou, 0, 60_000, words(100)),
			seg(SourceYou, 70_000, 130_000, words(200)),
		}, 130_000, 200, 0, 60_000},
		// 40 s at 120 wpm, a 10 s pause, 40 s at 180 wpm: the window is the
		// last 40 s plus the last 20 s of the first segment (40 words).
		{"straddling segment counted in proportion", []Segment{
			seg(SourceYou, 0, 40_000, words(80)),
			seg(SourceYou, 50_000, 90_000, words(120)),
		}, 90_000, 160, 0, 60_000},
		{"shorter than the window", []Segment{seg(SourceYou, 0, 30_000, words(60))}, 30_000, 120, 0, 30_000},
		{"too little speech shows no pace", []Segment{seg(SourceYou, 0, 10_000, words(30))}, 10_000, 0, 0, 10_000},
		{"overlapping segments are not counted twice", []Segment{
			seg(SourceYou, 0, 30_000, words(60)),
			seg(SourceYou, 20_000, 60_000, words(80)),
		}, 60_000, 140, 0, 60_000},
		{"out-of-order segment", []Segment{
			seg(SourceYou, 30_000, 60_000, words(90)),
			seg(SourceYou, 0, 30_000, words(30)),
		}, 60_000, 120, 0, 60_000},
		{"speakers kept apart", []Segment{
			seg(SourceYou, 0, 60_000, words(150)),
			seg(SourceThem, 0, 60_000, words(90)),
			seg(SourceFile, 0, 60_000, words(500)),
		}, 60_000, 150, 90, 60_000},
		// Pace rests on the speaker's speech, not on the clock: ten quiet
		// minutes later it still shows how they last spoke.
		{"the window ends at the speaker's transcript", []Segment{
			seg(SourceYou, 0, 60_000, words(150)),
			seg(SourceThem, 60_000, 660_000, words(1500)),
		}, 660_000, 150, 150, 60_000},
	}
	for _, tt := range tests {
		c := NewCoach(CoachConfig{Mode: ModeCandidate, Language: "en"})
		for _, s := range tt.segs {
			c.AddSegment(s)
		}
		snap := c.Snapshot(tt.now)
		if !near(snap.You.WPM, tt.wantYou) || !near(snap.Them.WPM, tt.wantThem) {
			t.Errorf("%s: got wpm you %.2f them %.2f, want %.2f and %.2f", tt.name, snap.You.WPM, snap.Them.WPM, tt.wantYou, tt.wantThem)
		}
		if snap.You.PaceSpeechMs != tt.wantSpeed {
			t.Errorf("%s: got pace speech %d ms, want %d", tt.name, snap.You.PaceSpeechMs, tt.wantSpeed)
		}
	}
}

func TestCoachFillerFigures(t *testing.T) {
	c := NewCoach(CoachConfig{Mode: ModePractice, Language: "en"})
	// First minute: 10 fillers; second minute: 2.
	c.AddSegment(seg(SourceYou, 0, 60_000, "Um, so. "+strings.Repeat("um word. ", 8)+words(100)))
	c.AddSegment(seg(SourceYou, 60_000, 120_000, "Like, uh. "+words(100)))
	c.AddSegment(seg(SourceThem, 0, 10_000, "Um okay"))
	snap := c.Snapshot(120_000)
	if snap.You.FillerTotal != 12 || snap.Them.FillerTotal != 1 {
		t.Errorf("got filler totals you %d them %d, want 12 and 1", snap.You.FillerTotal, snap.Them.FillerTotal)
	}
	want := []FillerCount{{"um", 9, 4.5}, {"like", 1, 0.5}, {"so", 1, 0.5}, {"uh", 1, 0.5}}
	if !slices.Equal(snap.You.Fillers, want) {
		t.Errorf("got fillers %v, want %v", snap.You.Fillers, want)
	}
	if !near(snap.You.FillersPerMin, 2) || !near(snap.You.FillersPerMinAll, 6) {
		t.Errorf("got filler rate %.2f rolling, %.2f overall, want 2 and 6", snap.You.FillersPerMin, snap.You.FillersPerMinAll)
	}
}

func TestCoachTalkShare(t *testing.T) {
	type speech struct {
		src        Source
		start, end int64
	}
	tests := []struct {
		name          string
		speech        []speech
		segs          []Segment
		now           int64
		whole, recent TalkShare
	}{
		{"voice activity", []speech{{SourceYou, 0, 60_000}, {SourceThem, 60_000, 240_000}}, nil, 240_000,
			TalkShare{60_000, 180_000, 0.25}, TalkShare{60_000, 180_000, 0.25}},
		{"recent window is the last 5 minutes", []speech{
			{SourceYou, 0, 240_000}, {SourceThem, 240_000, 540_000}, {SourceYou, 540_000, 600_000},
		}, nil, 600_000,
			TalkShare{300_000, 300_000, 0.5}, TalkShare{60_000, 240_000, 0.2}},
		{"re-reported utterance merged", []speech{
			{SourceYou, 0, 1_000}, {SourceYou, 0, 2_000}, {SourceYou, 0, 3_000}, {SourceThem, 3_000, 6_000},
		}, nil, 6_000, TalkShare{3_000, 3_000, 0.5}, TalkShare{3_000, 3_000, 0.5}},
		{"segments when there is no voice activity", nil, []Segment{
			seg(SourceYou, 0, 30_000, "hello there"), seg(SourceThem, 30_000, 40_000, "hi"),
		}, 40_000, TalkShare{30_000, 10_000, 0.75}, TalkShare{30_000, 10_000, 0.75}},
		{"voice activity wins over segment spans", []speech{{SourceYou, 1_000, 21_000}}, []Segment{
			seg(SourceYou, 0, 30_000, "hello there"), seg(SourceThem, 30_000, 40_000, "hi"),
		}, 40_000, TalkShare{20_000, 10_000, 2.0 / 3}, TalkShare{20_000, 10_000, 2.0 / 3}},
		{"nobody spoke", nil, nil, 1_000, TalkShare{}, TalkShare{}},
	}
	for _, tt := range tests {
		c := NewCoach(CoachConfig{Mode: ModeInterviewer})
		for _, s := range tt.speech {
			c.AddSpeech(s.src, s.start, s.end)
		}
		for _, s := range tt.segs {
			c.AddSegment(s)
		}
		snap := c.Snapshot(tt.now)
		if got := snap.Share; got.YouMs != tt.whole.YouMs || got.ThemMs != tt.whole.ThemMs || !near(got.You, tt.whole.You) {
			t.Errorf("%s: got whole share %+v, want %+v", tt.name, got, tt.whole)
		}
		if got := snap.RecentShare; got.YouMs != tt.recent.YouMs || got.ThemMs != tt.recent.ThemMs || !near(got.You, tt.recent.You) {
			t.Errorf("%s: got recent share %+v, want %+v", tt.name, got, tt.recent)
		}
	}
}

func TestCoachMonologue(t *testing.T) {
	c := NewCoach(CoachConfig{Mode: ModeCandidate})
	// You: 0–10 s, 1 s pause, 11–20 s, 1.4 s pause, 21.4–30 s: one
	// 30 s monologue. Then a 2 s pause and 32–40 s: a new one.
	for _, iv := range [][2]int64{{0, 10_000}, {11_000, 20_000}, {21_400, 30_000}, {32_000, 40_000}} {
		c.AddSpeech(SourceYou, iv[0], iv[1])
	}
	// Their "mm-hm" in your pause does not break your monologue.
	c.AddSpeech(SourceThem, 10_200, 10_600)

	tests := []struct {
		now          int64
		speaking     bool
		current      int64
		longest      int64
		currentWho   Source
		currentStart int64
	}{
		{40_000, true, 8_000, 30_000, SourceYou, 32_000},
		{41_400, true, 8_000, 30_000, SourceYou, 32_000},
		{41_600, false, 0, 30_000, "", 0},
	}
	for _, tt := range tests {
		snap := c.Snapshot(tt.now)
		y := snap.You
		if y.Speaking != tt.speaking || y.MonologueMs != tt.current || y.LongestMonologueMs != tt.longest {
			t.Errorf("at %d: got speaking %v, monologue %d, longest %d; want %v, %d, %d",
				tt.now, y.Speaking, y.MonologueMs, y.LongestMonologueMs, tt.speaking, tt.current, tt.longest)
		}
		if snap.Current.Source != tt.currentWho || snap.Current.StartMs != tt.currentStart || snap.Current.Ms != tt.current {
			t.Errorf("at %d: got current %+v, want %s from %d for %d", tt.now, snap.Current, tt.currentWho, tt.currentStart, tt.current)
		}
	}

	// Both speaking: the one heard last is current.
	c.AddSpeech(SourceThem, 40_500, 41_000)
	if got := c.Snapshot(41_000).Current; got.Source != SourceThem || got.Ms != 500 {
		t.Errorf("both speaking: got current %+v, want them for 500 ms", got)
	}
}

// warningCodes runs a scenario and returns the codes in the snapshot.
func warningCodes(s CoachSnapshot) []WarningCode {
	var out []WarningCode
	for _, w := range s.Warnings {
		out = append(out, w.Code)
		if w.Text == "" {
			panic(fmt.Sprintf("warning %s has no text", w.Code))
		}
	}
	return out
}

func TestCoachWarnings(t *testing.T) {
	// talk feeds n consecutive 10 s segments of you at the given pace,
	// with matching voice activity, from start.
	talk := func(c *Coach, start int64, n int, wordsPer10s int, text string) int64 {
		for i := range n {
			s, e := start+int64(i)*10_000, start+int64(i+1)*10_000
			c.AddSpeech(SourceYou, s, e)
			c.AddSegment(seg(SourceYou, s, e, text+" "+words(wordsPer10s)))
		}
		return start + int64(n)*10_000
	}
	tests := []struct {
		name string
		cfg  CoachConfig
		run  func(c *Coach) int64 // returns now
		want []WarningCode
	}{
		{"calm", CoachConfig{Mode: ModeCandidate}, func(c *Coach) int64 { return talk(c, 0, 6, 25, "") }, nil},
		// 180 wpm: out of the band from the 2nd segment (15 s of speech);
		// 30 s more makes it sustained at the 5th.
		{"fast but not yet sustained", CoachConfig{Mode: ModeCandidate}, func(c *Coach) int64 { return talk(c, 0, 4, 30, "") }, nil},
		{"fast and sustained", CoachConfig{Mode: ModeCandidate}, func(c *Coach) int64 { return talk(c, 0, 5, 30, "") }, []WarningCode{WarnPaceFast}},
		{"fast then quiet for a while", CoachConfig{Mode: ModeCandidate}, func(c *Coach) int64 { return talk(c, 0, 5, 30, "") + 61_000 }, nil},
		{"slow and sustained", CoachConfig{Mode: ModeCandidate}, func(c *Coach) int64 { return talk(c, 0, 5, 15, "") }, []WarningCode{WarnPaceSlow}},
		{"pace warning off", CoachConfig{Mode: ModeCandidate, FastWPM: -1}, func(c *Coach) int64 { return talk(c, 0, 5, 30, "") }, nil},
		{"monologue over 2 min", CoachConfig{Mode: ModeCandidate}, func(c *Coach) int64 { return talk(c, 0, 13, 25, "") }, []WarningCode{WarnMonologue}},
		{"monologue at 2 min exactly", CoachConfig{Mode: ModeCandidate}, func(c *Coach) int64 { return talk(c, 0, 12, 25, "") }, nil},
		{"monologue over", CoachConfig{Mode: ModeCandidate}, func(c *Coach) int64 { return talk(c, 0, 13, 25, "") + 2_000 }, nil},
		{"interviewer monologue over 90 s", CoachConfig{Mode: ModeInterviewer}, func(c *Coach) int64 {
			now := talk(c, 600_000, 10, 25, "")
			c.AddSpeech(SourceThem, 0, 600_000)
			return now
		}, []WarningCode{WarnMonologue}},
		{"configured monologue limit", CoachConfig{Mode: ModeCandidate, MonologueLimit: 30 * time.Second}, func(c *Coach) int64 {
			return talk(c, 0, 4, 25, "")
		}, []WarningCode{WarnMonologue}},
		// 25 words per 10 s with "um um" in each: 12 fillers a minute.
		{"fillers", CoachConfig{Mode: ModeCandidate}, func(c *Coach) int64 { return talk(c, 0, 6, 23, "um um") }, []WarningCode{WarnFillers}},
		{"fillers below the limit", CoachConfig{Mode: ModeCandidate, FillersPerMinute: 15}, func(c *Coach) int64 { return talk(c, 0, 6, 23, "um um") }, nil},
		{"interviewer talks too much", CoachConfig{Mode: ModeInterviewer}, func(c *Coach) int64 {
			c.AddSpeech(SourceThem, 0, 240_000)
			for s := int64(240_000); s < 600_000; s += 10_000 {
				c.AddSpeech(SourceYou, s, s+5_000)
				c.AddSpeech(SourceThem, s+6_000, s+10_000)
			}
			return 600_000
		}, []WarningCode{WarnTalkShare}},
		{"candidate may talk most", CoachConfig{Mode: ModeCandidate}, func(c *Coach) int64 {
			c.AddSpeech(SourceThem, 0, 240_000)
			for s := int64(240_000); s < 600_000; s += 10_000 {
				c.AddSpeech(SourceYou, s, s+5_000)
				c.AddSpeech(SourceThem, s+6_000, s+10_000)
			}
			return 600_000
		}, nil},
		{"interviewer's introduction is not judged", CoachConfig{Mode: ModeInterviewer}, func(c *Coach) int64 {
			c.AddSpeech(SourceYou, 0, 80_000)
			c.AddSpeech(SourceThem, 82_000, 200_000)
			return 200_000
		}, nil},
	}
	for _, tt := range tests {
		c := NewCoach(tt.cfg)
		now := tt.run(c)
		if got := warningCodes(c.Snapshot(now)); !slices.Equal(got, tt.want) {
			t.Errorf("%s: got warnings %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestCoachBoundedMemory simulates a two-hour interview of short turns and
// checks the coach holds only what its windows need.
func TestCoachBoundedMemory(t *testing.T) {
	c := NewCoach(CoachConfig{Mode: ModeInterviewer, Language: "sv"})
	const turn = 8_000 // each speaks 7 s, 1 s pause
	maxSpans := 0
	var now int64
	for now = 0; now < 2*3_600_000; now += 2 * turn {
		for k, src := range []Source{SourceYou, SourceThem} {
			s := now + int64(k)*turn
			for e := s + 500; e <= s+7_000; e += 500 { // an utterance reported as it grows
				c.AddSpeech(src, s, e)
			}
			c.AddSegment(seg(src, s, s+7_000, "öh alltså "+words(16)))
		}
		for _, sp := range []*speaker{&c.you, &c.them} {
			maxSpans = max(maxSpans, len(sp.segs.spans), len(sp.vad.spans))
		}
	}
	// Five minutes of 16 s turns is 19 spans a speaker, plus the few
	// older ones that complete a minute of speech.
	if limit := 5*60_000/(2*turn) + 60_000/7_000 + 3; maxSpans > limit {
		t.Errorf("got up to %d spans held, want at most %d", maxSpans, limit)
	}
	if n := len(c.you.fillers); n != 2 {
		t.Errorf("got %d filler counters, want 2", n)
	}
	snap := c.Snapshot(now)
	wantMs := int64(2 * 3_600_000 / (2 * turn) * 7_000)
	if snap.You.SpeakingMs != wantMs || snap.Them.SpeakingMs != wantMs {
		t.Errorf("got speaking time you %d them %d, want %d each (running totals survive pruning)", snap.You.SpeakingMs, snap.Them.SpeakingMs, wantMs)
	}
	if want := 18.0 * 60 / 7; !near(snap.You.WPM, want) {
		t.Errorf("got wpm %.3f after two hours, want %.3f", snap.You.WPM, want)
	}
	if snap.You.FillerTotal != 2*450 {
		t.Errorf("got %d fillers, want %d", snap.You.FillerTotal, 2*450)
	}
}

func BenchmarkCoachAddSegment(b *testing.B) {
	c := NewCoach(CoachConfig{Mode: ModeCandidate})
	text := "Um, so I think we basically moved the whole thing to Kubernetes, you know, and it was kind of hard."
	b.ReportAllocs()
	var at int64
	for b.Loop() {
		c.AddSpeech(SourceYou, at, at+4_000)
		c.AddSegment(seg(SourceYou, at, at+4_000, text))
		at += 5_000
	}
}

func BenchmarkSnapshot(b *testing.B) {
	c := NewCoach(CoachConfig{Mode: ModeInterviewer})
	var at int64
	for ; at < 3_600_000; at += 10_000 {
		c.AddSpeech(SourceYou, at, at+4_000)
		c.AddSegment(seg(SourceYou, at, at+4_000, "Um, so tell me about a time you led a migration."))
		c.AddSpeech(SourceThem, at+5_000, at+10_000)
		c.AddSegment(seg(SourceThem, at+5_000, at+10_000, "Sure, so we basically moved to Kubernetes, like, over a year."))
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = c.Snapshot(at)
	}
}

func TestCoachConfigDefaults(t *testing.T) {
	got := NewCoach(CoachConfig{Mode: ModeCandidate, FastWPM: -1, MonologueLimit: 45 * time.Second}).Config()
	want := DefaultCoachConfig()
	want.Mode, want.FastWPM, want.MonologueLimit = ModeCandidate, -1, 45*time.Second
	if got != want {
		t.Errorf("got config %+v, want %+v", got, want)
	}
}

// TestCoachConcurrent lets the race detector watch a pipeline adding while
// a UI reads; it asserts only the final totals.
func TestCoachConcurrent(t *testing.T) {
	c := NewCoach(CoachConfig{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range int64(500) {
			c.AddSpeech(SourceThem, i*1_000, i*1_000+800)
			c.AddSegment(seg(SourceThem, i*1_000, i*1_000+800, "uh okay"))
		}
	}()
	for i := range int64(200) {
		_ = c.Snapshot(i * 2_500)
	}
	<-done
	if got := c.Snapshot(500_000).Them; got.Words != 1000 || got.SpeakingMs != 400_000 {
		t.Errorf("got %d words and %d ms, want 1000 and 400000", got.Words, got.SpeakingMs)
	}
}
