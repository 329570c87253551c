package store

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/sidenote-app/sidenote/app/interview"
	"github.com/sidenote-app/sidenote/app/store/export"
)

// richInterview fills every field of every aggregate.
func richInterview(t testing.TB, s *Store) int64 {
	t.Helper()
	ctx := context.Background()
	tpl := interview.Template{Name: "Loop", Questions: []interview.TemplateQuestion{
		{Text: "Design a job queue", Competency: "design", Guidance: "retries"},
		{Text: "Berätta om en konflikt", Competency: "samarbete"},
	}}
	if err := s.CreateTemplate(ctx, &tpl); err != nil {
		t.Fatal(err)
	}
	iv := interview.Interview{
		Title: "Backend — Åsa", Role: "Backend engineer", OtherName: "Åsa Öberg", Mode: interview.ModeInterviewer,
		ScheduledAt: time.Date(2026, 3, 5, 13, 0, 0, 0, time.UTC), Length: 45 * time.Minute, Platform: "Zoom",
		Link: "https://zoom.example/j/1", BackupPhone: "+46 70 123", Documents: "CV", Language: "sv",
		TemplateID: tpl.ID, RecordingConsent: true,
	}
	if err := s.CreateInterview(ctx, &iv); err != nil {
		t.Fatal(err)
	}
	for _, st := range []interview.State{interview.StateLive, interview.StateEnded} {
		if _, err := s.SetState(ctx, iv.ID, st); err != nil {
			t.Fatal(err)
		}
	}
	iv.Verdict = interview.Verdict{Rating: 4, Recommendation: interview.RecommendYes, Summary: "Solid on design;\nvague on conflict."}
	if err := s.UpdateInterview(ctx, &iv); err != nil {
		t.Fatal(err)
	}
	qs, _ := s.Questions(ctx, iv.ID)
	if len(qs) != 2 || qs[0].TemplateQuestionID != tpl.Questions[0].ID || qs[1].TemplateQuestionID != tpl.Questions[1].ID {
		t.Fatalf("questions copied from the template are not linked to it: %+v", qs)
	}
	q := qs[0]
	q.MarkAsked(192_000)
	q.Rate(4)
	q.Note, q.Priority = "Solid", interview.PriorityHigh
	if err := s.UpdateQuestion(ctx, &q); err != nil {
		t.Fatal(err)
	}
	qs[1].Skip()
	if err := s.UpdateQuestion(ctx, &qs[1]); err != nil {
		t.Fatal(err)
	}
	n := interview.NewNote(724_000, time.Date(2026, 3, 5, 13, 12, 4, 0, time.UTC), "Clear on #channels", interview.TagStrength)
	n.InterviewID, n.QuestionID = iv.ID, q.ID
	if err := s.AddNote(ctx, &n); err != nil {
		t.Fatal(err)
	}
	n.Edit("Clear on #channels and #backpressure", time.Time{})
	if err := s.UpdateNote(ctx, &n); err != nil {
		t.Fatal(err)
	}
	n2 := interview.Note{InterviewID: iv.ID, AtMs: 5, Text: "Started late"}
	if err := s.AddNote(ctx, &n2); err != nil {
		t.Fatal(err)
	}
	for _, p := range []interview.TalkingPoint{
		{InterviewID: iv.ID, Text: "On-call rota", Checked: true},
		{InterviewID: iv.ID, Text: "Start date?", Kind: interview.PointKindQuestion},
	} {
		if err := s.AddPoint(ctx, &p); err != nil {
			t.Fatal(err)
		}
	}
	segs := []interview.Segment{
		{InterviewID: iv.ID, Source: interview.SourceYou, StartMs: 0, EndMs: 4000, Text: "Welcome", Confidence: 0.97},
		{InterviewID: iv.ID, Source: interview.SourceThem, StartMs: 4200, EndMs: 9800, Text: "Hej, jag heter Åsa", Confidence: 0.5},
	}
	if err := s.AppendSegments(ctx, segs); err != nil {
		t.Fatal(err)
	}
	if err := s.EditSegment(ctx, segs[1].ID, "Hej, jag heter Åsa!"); err != nil {
		t.Fatal(err)
	}
	wav := filepath.Join(s.RecordingsDir(), fmt.Sprintf("interview-%d-you.wav", iv.ID))
	if err := os.MkdirAll(s.RecordingsDir(), 0o700); err != nil {
		t.Fatal(err)
	}
	writeWAV(t, wav)
	rec := interview.Recording{InterviewID: iv.ID, Source: interview.SourceYou, Path: wav,
		SampleRate: 16000, Duration: time.Hour}
	if err := s.AddRecording(ctx, &rec); err != nil {
		t.Fatal(err)
	}
	return iv.ID
}

// withoutIDs blanks the ids a new library assigns, and replaces a note's
// question id by the question's position so links can be compared.
func withoutIDs(b *interview.Bundle) *interview.Bundle {
	c := *b
	c.Interview.ID = 0
	pos := map[int64]int64{}
	c.Questions = append([]interview.Question(nil), b.Questions...)
	for i := range c.Questions {
		pos[c.Questions[i].ID] = int64(c.Questions[i].Position)
		c.Questions[i].ID, c.Questions[i].InterviewID = 0, 0
	}
	c.Notes = append([]interview.Note(nil), b.Notes...)
	for i := range c.Notes {
		c.Notes[i].ID, c.Notes[i].InterviewID, c.Notes[i].QuestionID = 0, 0, pos[c.Notes[i].QuestionID]
	}
	c.Points = append([]interview.TalkingPoint(nil), b.Points...)
	for i := range c.Points {
		c.Points[i].ID, c.Points[i].InterviewID = 0, 0
	}
	c.Segments = append([]interview.Segment(nil), b.Segments...)
	for i := range c.Segments {
		c.Segments[i].ID, c.Segments[i].InterviewID = 0, 0
	}
	c.Recordings = append([]interview.Recording(nil), b.Recordings...)
	for i := range c.Recordings {
		// Import copies the audio, so the path is the copy's.
		c.Recordings[i].ID, c.Recordings[i].InterviewID, c.Recordings[i].Path = 0, 0, ""
	}
	return &c
}

func TestJSONRoundTripThroughStore(t *testing.T) {
	ctx := context.Background()
	src, _ := openTest(t)
	id := richInterview(t, src)
	orig, err := src.Load(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	var file bytes.Buffer
	if err := export.WriteJSON(&file, orig); err != nil {
		t.Fatal(err)
	}
	exported := file.Bytes()

	for _, target := range []struct {
		name    string
		s       *Store
		keepTpl bool
	}{
		{"same library", src, true},
		{"fresh library", func() *Store { s, _ := openTest(t); return s }(), false},
	} {
		b, err := export.ReadJSON(bytes.NewReader(exported))
		if err != nil {
			t.Fatal(err)
		}
		newID, err := target.s.Import(ctx, b)
		if err != nil {
			t.Fatalf("%s: Import: %v", target.name, err)
		}
		got, err := target.s.Load(ctx, newID)
		if err != nil {
			t.Fatal(err)
		}
		want := withoutIDs(orig)
		if !target.keepTpl {
			want.Interview.TemplateID = 0
			for i := range want.Questions {
				want.Questions[i].TemplateQuestionID = 0
			}
		}
		if g := withoutIDs(got); !reflect.DeepEqual(g, want) {
			t.Errorf("%s: imported interview differs:\n got %+v\nwant %+v", target.name, g, want)
		}
		// Exported again, only the ids differ: same Markdown and subtitles.
		for _, f := range []export.Format{export.Markdown, export.SRT, export.VTT} {
			var a, b bytes.Buffer
			export.Write(&a, f, orig, export.Options{Location: time.UTC})
			export.Write(&b, f, got, export.Options{Location: time.UTC})
			if a.String() != b.String() {
				t.Errorf("%s: %s export of the import differs:\n%s\n---\n%s", target.name, f, b.String(), a.String())
			}
		}
		// The audio came in as the target library's own copy.
		if len(got.Recordings) != 1 || filepath.Dir(got.Recordings[0].Path) != target.s.RecordingsDir() ||
			got.Recordings[0].Path == orig.Recordings[0].Path {
			t.Errorf("%s: imported recording %+v is not a copy in %s", target.name, got.Recordings, target.s.RecordingsDir())
		}
		if hits, _ := target.s.Search(ctx, "åsa", SearchOptions{InterviewID: newID}); len(hits) != 1 {
			t.Errorf("%s: imported transcript not searchable: %+v", target.name, hits)
		}
	}
	// Deleting the copy in the same library keeps the original intact.
	if ivs, _ := src.ListInterviews(ctx, ListOptions{}); len(ivs) != 2 {
		t.Fatalf("interviews after import: %d", len(ivs))
	}
}

// TestImportTemplateLinks: a question's link survives an import only to a
// template question that is still in the interview's template here.
func TestImportTemplateLinks(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	id := richInterview(t, s)
	orig, err := s.Load(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	var file bytes.Buffer
	if err := export.WriteJSON(&file, orig); err != nil {
		t.Fatal(err)
	}
	tpl, err := s.Template(ctx, orig.Interview.TemplateID)
	if err != nil {
		t.Fatal(err)
	}
	kept, removed := tpl.Questions[0].ID, tpl.Questions[1].ID
	tpl.Questions = tpl.Questions[:1]
	if err := s.UpdateTemplate(ctx, &tpl); err != nil {
		t.Fatal(err)
	}
	b, err := export.ReadJSON(&file)
	if err != nil {
		t.Fatal(err)
	}
	if b.Questions[1].TemplateQuestionID != removed {
		t.Fatalf("file holds link %d, want %d", b.Questions[1].TemplateQuestionID, removed)
	}
	// A link to another template's question is not kept either.
	other := interview.Template{Name: "Other", Questions: []interview.TemplateQuestion{{Text: "Elsewhere?"}}}
	if err := s.CreateTemplate(ctx, &other); err != nil {
		t.Fatal(err)
	}
	b.Questions = append(b.Questions, interview.Question{Position: 3, Text: "Elsewhere?", Status: interview.QuestionQueued,
		TemplateQuestionID: other.Questions[0].ID})
	newID, err := s.Import(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	qs, _ := s.Questions(ctx, newID)
	var got []int64
	for _, q := range qs {
		got = append(got, q.TemplateQuestionID)
	}
	if want := []int64{kept, 0, 0}; !reflect.DeepEqual(got, want) {
		t.Errorf("imported links: got %v, want %v", got, want)
	}
	// The original lost its link to the removed question with it.
	if qs, _ := s.Questions(ctx, id); qs[0].TemplateQuestionID != kept || qs[1].TemplateQuestionID != 0 {
		t.Errorf("original's links after the template lost a question: %d, %d; want %d, 0",
			qs[0].TemplateQuestionID, qs[1].TemplateQuestionID, kept)
	}
}

func TestImportLiveBecomesInterrupted(t *testing.T) {
	s, _ := openTest(t)
	b := &interview.Bundle{Interview: interview.Interview{Title: "was live", Mode: interview.ModePractice, State: interview.StateLive,
		StartedAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)},
		Notes: []interview.Note{{AtMs: 1, Text: "x", QuestionID: 99}}}
	id, err := s.Import(context.Background(), b)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := s.Load(context.Background(), id)
	if got.Interview.State != interview.StateInterrupted || len(got.Notes) != 1 || got.Notes[0].QuestionID != 0 {
		t.Errorf("imported = %+v", got)
	}
	bad := &interview.Bundle{Interview: interview.Interview{Mode: interview.ModePractice, State: interview.StateEnded},
		Segments: []interview.Segment{{Source: "mic", Text: "x"}}}
	if _, err := s.Import(context.Background(), bad); err == nil {
		t.Error("invalid segment imported")
	}
	if ivs, _ := s.ListInterviews(context.Background(), ListOptions{}); len(ivs) != 1 {
		t.Errorf("a failed import left %d interviews, want 1", len(ivs))
	}
}
