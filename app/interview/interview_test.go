package interview

import (
	"errors"
	"slices"
	"testing"
	"time"
)

func TestStamp(t *testing.T) {
	tests := []struct {
		ms   int64
		want string
	}{
		{-5, "00:00"},
		{0, "00:00"},
		{999, "00:00"},
		{1000, "00:01"},
		{59_999, "00:59"},
		{60_000, "01:00"},
		{12*60_000 + 4_000, "12:04"},
		{3_599_999, "59:59"},
		{3_600_000, "1:00:00"},
		{2*3_600_000 + 5*60_000 + 7_000, "2:05:07"},
		{100 * 3_600_000, "100:00:00"},
	}
	for _, tt := range tests {
		if got := Stamp(tt.ms); got != tt.want {
			t.Errorf("Stamp(%d) = %q, want %q", tt.ms, got, tt.want)
		}
	}
}

func TestTransitions(t *testing.T) {
	all := States()
	allowed := map[[2]State]bool{
		{StatePlanned, StateLive}:       true,
		{StatePlanned, StateEnded}:      true,
		{StateLive, StatePaused}:        true,
		{StateLive, StateInterrupted}:   true,
		{StateLive, StateEnded}:         true,
		{StatePaused, StateLive}:        true,
		{StatePaused, StateInterrupted}: true,
		{StatePaused, StateEnded}:       true,
		{StateInterrupted, StateLive}:   true,
		{StateInterrupted, StateEnded}:  true,
	}
	t0 := time.Date(2026, 3, 1, 14, 0, 0, 0, time.UTC)
	for _, from := range all {
		for _, to := range all {
			iv := Interview{ID: 7, Mode: ModeInterviewer, State: from}
			err := iv.Transition(to, t0)
			if want := allowed[[2]State{from, to}]; want != (err == nil) {
				t.Errorf("%s → %s: got err %v, want allowed=%v", from, to, err, want)
			}
			if err != nil {
				if !errors.Is(err, ErrIllegalTransition) {
					t.Errorf("%s → %s: got %v, want ErrIllegalTransition", from, to, err)
				}
				if iv.State != from {
					t.Errorf("%s → %s: state changed to %s on error", from, to, iv.State)
				}
			}
		}
	}
	if err := (&Interview{State: StateLive}).Transition("bogus", t0); !errors.Is(err, ErrInvalid) {
		t.Errorf("unknown target: got %v, want ErrInvalid", err)
	}
}

func TestTransitionStamps(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 14, 0, 0, 0, time.UTC)
	iv := Interview{Mode: ModeCandidate, State: StatePlanned}
	steps := []State{StateLive, StatePaused, StateLive, StateInterrupted, StateLive, StateEnded}
	for i, s := range steps {
		if err := iv.Transition(s, t0.Add(time.Duration(i)*time.Minute)); err != nil {
			t.Fatalf("step %d to %s: %v", i, s, err)
		}
	}
	if !iv.StartedAt.Equal(t0) {
		t.Errorf("StartedAt = %v, want the first time it went live %v", iv.StartedAt, t0)
	}
	if want := t0.Add(5 * time.Minute); !iv.EndedAt.Equal(want) {
		t.Errorf("EndedAt = %v, want %v", iv.EndedAt, want)
	}
	if err := iv.Validate(); err != nil {
		t.Errorf("Validate after a full life: %v", err)
	}
}

func TestParseModeState(t *testing.T) {
	for _, m := range Modes() {
		if got, err := ParseMode(" " + string(m) + " "); err != nil || got != m {
			t.Errorf("ParseMode(%q) = %q, %v", m, got, err)
		}
	}
	if got, err := ParseMode("Practice"); err != nil || got != ModePractice {
		t.Errorf("ParseMode(Practice) = %q, %v", got, err)
	}
	if _, err := ParseMode("boss"); !errors.Is(err, ErrInvalid) {
		t.Errorf("ParseMode(boss): got %v, want ErrInvalid", err)
	}
	for _, s := range States() {
		if got, err := ParseState(string(s)); err != nil || got != s {
			t.Errorf("ParseState(%q) = %q, %v", s, got, err)
		}
	}
	if _, err := ParseState("done"); !errors.Is(err, ErrInvalid) {
		t.Errorf("ParseState(done): got %v, want ErrInvalid", err)
	}
}

func TestInterviewValidate(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 14, 0, 0, 0, time.UTC)
	ok := Interview{Mode: ModeInterviewer, State: StatePlanned}
	tests := []struct {
		name  string
		edit  func(*Interview)
		valid bool
	}{
		{"minimal", func(*Interview) {}, true},
		{"no mode", func(iv *Interview) { iv.Mode = "" }, false},
		{"bad state", func(iv *Interview) { iv.State = "done" }, false},
		{"negative length", func(iv *Interview) { iv.Length = -time.Minute }, false},
		{"negative template", func(iv *Interview) { iv.TemplateID = -1 }, false},
		{"ended before start", func(iv *Interview) { iv.StartedAt, iv.EndedAt = t0, t0.Add(-time.Second) }, false},
		{"ended after start", func(iv *Interview) { iv.StartedAt, iv.EndedAt = t0, t0.Add(time.Hour) }, true},
		{"verdict", func(iv *Interview) { iv.Verdict = Verdict{Rating: 4, Recommendation: RecommendYes, Summary: "solid"} }, true},
		{"verdict rating out of range", func(iv *Interview) { iv.Verdict.Rating = 6 }, false},
		{"unknown recommendation", func(iv *Interview) { iv.Verdict.Recommendation = "maybe" }, false},
	}
	for _, tt := range tests {
		iv := ok
		tt.edit(&iv)
		err := iv.Validate()
		if (err == nil) != tt.valid {
			t.Errorf("%s: Validate() = %v, want valid=%v", tt.name, err, tt.valid)
		}
		if err != nil && !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: %v does not wrap ErrInvalid", tt.name, err)
		}
	}
}

func TestWhen(t *testing.T) {
	c := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s := c.Add(24 * time.Hour)
	st := s.Add(time.Hour)
	tests := []struct {
		iv   Interview
		want time.Time
	}{
		{Interview{CreatedAt: c}, c},
		{Interview{CreatedAt: c, ScheduledAt: s}, s},
		{Interview{CreatedAt: c, ScheduledAt: s, StartedAt: st}, st},
	}
	for i, tt := range tests {
		if got := tt.iv.When(); !got.Equal(tt.want) {
			t.Errorf("%d: When() = %v, want %v", i, got, tt.want)
		}
	}
}

func TestQuestionRules(t *testing.T) {
	tests := []struct {
		name  string
		q     Question
		valid bool
	}{
		{"queued", Question{Text: "Why us?", Status: QuestionQueued}, true},
		{"empty text", Question{Text: "  ", Status: QuestionQueued}, false},
		{"bad status", Question{Text: "x", Status: "done"}, false},
		{"asked at start", Question{Text: "x", Status: QuestionAsked, AskedAtMs: 0}, true},
		{"queued with time", Question{Text: "x", Status: QuestionQueued, AskedAtMs: 5}, false},
		{"negative time", Question{Text: "x", Status: QuestionAsked, AskedAtMs: -1}, false},
		{"rating 0", Question{Text: "x", Status: QuestionQueued, Rating: 0}, true},
		{"rating 1", Question{Text: "x", Status: QuestionQueued, Rating: 1}, true},
		{"rating 5", Question{Text: "x", Status: QuestionQueued, Rating: 5}, true},
		{"rating 6", Question{Text: "x", Status: QuestionQueued, Rating: 6}, false},
		{"rating -1", Question{Text: "x", Status: QuestionQueued, Rating: -1}, false},
		{"high priority", Question{Text: "x", Status: QuestionQueued, Priority: PriorityHigh}, true},
		{"priority 2", Question{Text: "x", Status: QuestionQueued, Priority: 2}, false},
		{"template link", Question{Text: "x", Status: QuestionQueued, TemplateQuestionID: 3}, true},
		{"negative template link", Question{Text: "x", Status: QuestionQueued, TemplateQuestionID: -3}, false},
	}
	for _, tt := range tests {
		err := tt.q.Validate()
		if (err == nil) != tt.valid {
			t.Errorf("%s: Validate() = %v, want valid=%v", tt.name, err, tt.valid)
		}
		if err != nil && !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: %v does not wrap ErrInvalid", tt.name, err)
		}
	}

	q := Question{Text: "Tell me about a conflict", Status: QuestionQueued}
	if err := q.MarkAsked(-1); err == nil {
		t.Error("MarkAsked(-1) accepted a negative time")
	}
	if err := q.MarkAsked(61_000); err != nil || q.Status != QuestionAsked || q.AskedAtMs != 61_000 {
		t.Errorf("MarkAsked: %v, got %+v", err, q)
	}
	if err := q.Rate(6); err == nil || q.Rating != 0 {
		t.Errorf("Rate(6): err %v, rating %d", err, q.Rating)
	}
	if err := q.Rate(4); err != nil || q.Rating != 4 {
		t.Errorf("Rate(4): err %v, rating %d", err, q.Rating)
	}
	q.Skip()
	if q.Status != QuestionSkipped || q.AskedAtMs != 0 {
		t.Errorf("Skip: got %+v", q)
	}
	q.Requeue()
	if err := q.Validate(); err != nil || q.Status != QuestionQueued {
		t.Errorf("Requeue: %v, got %+v", err, q)
	}
	if got := PriorityHigh.String(); got != "high" {
		t.Errorf("PriorityHigh.String() = %q", got)
	}
}

func TestHashTags(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"", nil},
		{"no tags here", nil},
		{"#strength clear answer", []string{"strength"}},
		{"Good #Teamwork, #teamwork again", []string{"teamwork"}},
		{"#styrka och #FÖRBÄTTRING; #öppenhet.", []string{"styrka", "förbättring", "öppenhet"}},
		{"ask #follow-up later", []string{"follow-up"}},
		{"#followup #follow_up #Follow-Up", []string{"follow-up"}},
		{"C# and F# are languages", nil},
		{"question #2 was weak", nil},
		{"#q2 and #2b", []string{"q2", "2b"}},
		{"trailing #dash- ok", []string{"dash"}},
		{"##double", []string{"double"}},
		{"mail a#b not a tag", nil},
		{"(#paren) [#bracket]", []string{"paren", "bracket"}},
		{"#日本語 #café", []string{"日本語", "café"}},
		{"#", nil},
		{"# space", nil},
		{"emoji 🎉#party", []string{"party"}},
	}
	for _, tt := range tests {
		if got := HashTags(tt.text); !slices.Equal(got, tt.want) {
			t.Errorf("HashTags(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestNoteTags(t *testing.T) {
	wall := time.Date(2026, 3, 1, 14, 12, 4, 0, time.UTC)
	n := NewNote(724_000, wall, "Strong on #Go, ask about #scaling", TagFollowUp, "Strength", "#go")
	if want := []string{"go", "scaling", "follow-up", "strength"}; !slices.Equal(n.Tags, want) {
		t.Errorf("NewNote tags = %q, want %q", n.Tags, want)
	}
	if err := n.Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}
	if !n.HasTag("#Follow_Up") {
		t.Error("HasTag(#Follow_Up) = false, want true")
	}
	edited := wall.Add(time.Minute)
	n.Edit("Strong on #Go and #rust", edited)
	if want := []string{"follow-up", "strength", "go", "rust"}; !slices.Equal(n.Tags, want) {
		t.Errorf("after Edit tags = %q, want %q (one-key tags kept, #scaling dropped)", n.Tags, want)
	}
	if !n.EditedAt.Equal(edited) {
		t.Errorf("EditedAt = %v, want %v", n.EditedAt, edited)
	}

	tests := []struct {
		name  string
		n     Note
		valid bool
	}{
		{"text", Note{Text: "x"}, true},
		{"tag only", Note{Tags: []string{TagConcern}}, true},
		{"nothing", Note{Text: " "}, false},
		{"negative time", Note{Text: "x", AtMs: -1}, false},
		{"unnormalised tag", Note{Text: "x", Tags: []string{"Big"}}, false},
		{"negative question", Note{Text: "x", QuestionID: -2}, false},
	}
	for _, tt := range tests {
		if err := tt.n.Validate(); (err == nil) != tt.valid {
			t.Errorf("%s: Validate() = %v, want valid=%v", tt.name, err, tt.valid)
		}
	}
	for _, k := range OneKeyTags() {
		if NormalizeTag(k) != k {
			t.Errorf("one-key tag %q is not normalised", k)
		}
	}
}

func TestTemplateQuestionsCopied(t *testing.T) {
	tpl := Template{Name: "Backend", Questions: []TemplateQuestion{
		{ID: 41, Position: 1, Text: "Design a queue", Competency: "design", Guidance: "trade-offs", Expected: 10 * time.Minute},
		{ID: 40, Position: 2, Text: "A conflict", Competency: "collaboration"},
	}}
	if err := tpl.Validate(); err != nil {
		t.Fatal(err)
	}
	qs := tpl.NewQuestions()
	if len(qs) != 2 || qs[0].Position != 1 || qs[1].Position != 2 || qs[0].Text != "Design a queue" ||
		qs[0].Competency != "design" || qs[0].Guidance != "trade-offs" || qs[1].Status != QuestionQueued {
		t.Errorf("NewQuestions = %+v", qs)
	}
	if len(qs) == 2 && (qs[0].TemplateQuestionID != 41 || qs[1].TemplateQuestionID != 40) {
		t.Errorf("template links: got %d, %d, want 41, 40", qs[0].TemplateQuestionID, qs[1].TemplateQuestionID)
	}
	for _, bad := range []Template{{Name: " "}, {Name: "x", Questions: []TemplateQuestion{{Text: ""}}}, {Name: "x", Questions: []TemplateQuestion{{Text: "q", Expected: -1}}}} {
		if err := bad.Validate(); !errors.Is(err, ErrInvalid) {
			t.Errorf("Validate(%+v) = %v, want ErrInvalid", bad, err)
		}
	}
}

func TestPointSegmentRecordingValidate(t *testing.T) {
	tests := []struct {
		name  string
		v     interface{ Validate() error }
		valid bool
	}{
		{"point", &TalkingPoint{Text: "Led the migration", Kind: PointKindPoint}, true},
		{"question to ask", &TalkingPoint{Text: "Team size?", Kind: PointKindQuestion}, true},
		{"point bad kind", &TalkingPoint{Text: "x", Kind: "todo"}, false},
		{"point empty", &TalkingPoint{Text: "", Kind: PointKindPoint}, false},
		{"segment", &Segment{Source: SourceYou, StartMs: 0, EndMs: 1500, Text: "hej", Confidence: 0.9}, true},
		{"segment edited only", &Segment{Source: SourceThem, StartMs: 5, EndMs: 5, EditedText: "ok"}, true},
		{"segment end before start", &Segment{Source: SourceYou, StartMs: 10, EndMs: 5, Text: "x"}, false},
		{"segment negative", &Segment{Source: SourceYou, StartMs: -1, EndMs: 5, Text: "x"}, false},
		{"segment confidence", &Segment{Source: SourceYou, EndMs: 5, Text: "x", Confidence: 1.5}, false},
		{"segment source", &Segment{Source: "mic", EndMs: 5, Text: "x"}, false},
		{"segment empty", &Segment{Source: SourceFile, EndMs: 5, Text: " "}, false},
		{"recording", &Recording{Source: SourceYou, Path: "/tmp/a.wav", SampleRate: 16000}, true},
		{"recording no path", &Recording{Source: SourceYou, SampleRate: 16000}, false},
		{"recording rate", &Recording{Source: SourceYou, Path: "a", SampleRate: 0}, false},
		{"recording duration", &Recording{Source: SourceYou, Path: "a", SampleRate: 1, Duration: -1}, false},
	}
	for _, tt := range tests {
		err := tt.v.Validate()
		if (err == nil) != tt.valid {
			t.Errorf("%s: Validate() = %v, want valid=%v", tt.name, err, tt.valid)
		}
		if err != nil && !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: %v does not wrap ErrInvalid", tt.name, err)
		}
	}
	s := Segment{Text: "hej", EditedText: "Hej!"}
	if s.Display() != "Hej!" {
		t.Errorf("Display() = %q, want the correction", s.Display())
	}
	s.EditedText = ""
	if s.Display() != "hej" {
		t.Errorf("Display() = %q, want the original", s.Display())
	}
	for src, want := range map[Source]string{SourceYou: "You", SourceThem: "Them", SourceFile: ""} {
		if got := src.Label(); got != want {
			t.Errorf("%s.Label() = %q, want %q", src, got, want)
		}
	}
}

func TestTimeline(t *testing.T) {
	b := Bundle{
		Questions: []Question{
			{ID: 1, Text: "q1", Status: QuestionAsked, AskedAtMs: 1000, Rating: 4},
			{ID: 2, Text: "q2", Status: QuestionQueued},
			{ID: 3, Text: "q3", Status: QuestionAsked, AskedAtMs: 5000, Rating: 3},
		},
		Notes:    []Note{{ID: 10, AtMs: 1000}, {ID: 11, AtMs: 7000}},
		Segments: []Segment{{ID: 20, StartMs: 1000}, {ID: 21, StartMs: 500}, {ID: 22, StartMs: 6000}},
	}
	var got []string
	for _, e := range b.Timeline() {
		got = append(got, string(e.Kind)+"@"+Stamp(e.AtMs))
	}
	want := []string{"segment@00:00", "question@00:01", "segment@00:01", "note@00:01", "question@00:05", "segment@00:06", "note@00:07"}
	if !slices.Equal(got, want) {
		t.Errorf("Timeline = %q, want %q", got, want)
	}
	if avg, n := b.AverageRating(); avg != 3.5 || n != 2 {
		t.Errorf("AverageRating = %v, %d; want 3.5, 2", avg, n)
	}
	if avg, n := (&Bundle{}).AverageRating(); avg != 0 || n != 0 {
		t.Errorf("empty AverageRating = %v, %d", avg, n)
	}
}
