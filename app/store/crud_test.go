package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/sidenote-app/sidenote/app/interview"
)

func TestInterviewCRUD(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	sched := time.Date(2026, 3, 5, 14, 0, 0, 123_456_789, time.FixedZone("CET", 3600))
	iv := interview.Interview{
		Title: "Backend engineer — Åsa Öberg", Role: "Backend engineer", OtherName: "Åsa Öberg",
		Mode: interview.ModeInterviewer, ScheduledAt: sched, Length: 45 * time.Minute,
		Platform: "Zoom", Link: "https://zoom.example/j/1", BackupPhone: "+46 70 123 45 67",
		Documents: "CV, portfolio", Language: "sv", RecordingConsent: true,
	}
	if err := s.CreateInterview(ctx, &iv); err != nil {
		t.Fatal(err)
	}
	if iv.ID == 0 || iv.State != interview.StatePlanned || iv.CreatedAt.IsZero() {
		t.Fatalf("after create: %+v", iv)
	}
	got, err := s.Interview(ctx, iv.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, iv) {
		t.Errorf("read back:\n got %+v\nwant %+v", got, iv)
	}

	iv.Title, iv.Platform, iv.ScheduledAt = "Renamed", "Meet", time.Time{}
	if err := s.UpdateInterview(ctx, &iv); err != nil {
		t.Fatal(err)
	}
	if got, _ = s.Interview(ctx, iv.ID); !reflect.DeepEqual(got, iv) || got.Title != "Renamed" || !got.ScheduledAt.IsZero() {
		t.Errorf("after update:\n got %+v\nwant %+v", got, iv)
	}

	live, err := s.SetState(ctx, iv.ID, interview.StateLive)
	if err != nil || live.State != interview.StateLive || live.StartedAt.IsZero() {
		t.Fatalf("SetState live: %+v, %v", live, err)
	}
	if _, err := s.SetState(ctx, iv.ID, interview.StatePlanned); !errors.Is(err, interview.ErrIllegalTransition) {
		t.Errorf("live → planned: got %v, want ErrIllegalTransition", err)
	}
	ended, err := s.SetState(ctx, iv.ID, interview.StateEnded)
	if err != nil || ended.EndedAt.IsZero() || !ended.StartedAt.Equal(live.StartedAt) {
		t.Fatalf("SetState ended: %+v, %v", ended, err)
	}
	if got, _ = s.Interview(ctx, iv.ID); !reflect.DeepEqual(got, ended) {
		t.Errorf("after end:\n got %+v\nwant %+v", got, ended)
	}

	if _, err := s.Interview(ctx, 999); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing interview: got %v, want ErrNotFound", err)
	}
	bad := interview.Interview{Mode: "boss"}
	if err := s.CreateInterview(ctx, &bad); !errors.Is(err, interview.ErrInvalid) {
		t.Errorf("invalid interview: got %v, want ErrInvalid", err)
	}
	missing := interview.Interview{ID: 999, Mode: interview.ModePractice, State: interview.StatePlanned}
	if err := s.UpdateInterview(ctx, &missing); !errors.Is(err, ErrNotFound) {
		t.Errorf("update missing: got %v, want ErrNotFound", err)
	}
	if err := s.DeleteInterview(ctx, iv.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Interview(ctx, iv.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("after delete: got %v, want ErrNotFound", err)
	}
	if err := s.DeleteInterview(ctx, iv.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("delete twice: got %v, want ErrNotFound", err)
	}
}

func TestInterviewVerdict(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	iv := interview.Interview{Title: "with verdict", Mode: interview.ModeInterviewer,
		Verdict: interview.Verdict{Rating: 2, Recommendation: interview.RecommendNo, Summary: "Struggled with design"}}
	if err := s.CreateInterview(ctx, &iv); err != nil {
		t.Fatal(err)
	}
	plain := mustInterview(t, s, "no verdict yet")
	if got, _ := s.Interview(ctx, iv.ID); got.Verdict != iv.Verdict {
		t.Errorf("after create: got %+v, want %+v", got.Verdict, iv.Verdict)
	}

	ended, err := s.SetState(ctx, iv.ID, interview.StateLive)
	if err == nil {
		ended, err = s.SetState(ctx, iv.ID, interview.StateEnded)
	}
	if err != nil || ended.Verdict != iv.Verdict {
		t.Fatalf("SetState kept verdict %+v, %v; want %+v", ended.Verdict, err, iv.Verdict)
	}
	// Decided after the interview ended.
	want := interview.Verdict{Rating: 4, Recommendation: interview.RecommendStrongYes, Summary: "Changed my mind\nafter the debrief"}
	ended.Verdict = want
	if err := s.UpdateInterview(ctx, &ended); err != nil {
		t.Fatal(err)
	}
	if ended.Verdict != want {
		t.Errorf("UpdateInterview read back %+v, want %+v", ended.Verdict, want)
	}
	b, err := s.Load(ctx, iv.ID)
	if err != nil || b.Interview.Verdict != want {
		t.Errorf("Load: got %+v, %v; want %+v", b.Interview.Verdict, err, want)
	}
	list, err := s.ListInterviews(ctx, ListOptions{})
	if err != nil || len(list) != 2 {
		t.Fatalf("ListInterviews = %+v, %v", list, err)
	}
	for _, got := range list {
		if w := map[int64]interview.Verdict{iv.ID: want, plain.ID: {}}[got.ID]; got.Verdict != w {
			t.Errorf("listed interview %d verdict: got %+v, want %+v", got.ID, got.Verdict, w)
		}
	}

	for _, v := range []interview.Verdict{{Rating: 6}, {Recommendation: "maybe"}} {
		bad := ended
		bad.Verdict = v
		if err := s.UpdateInterview(ctx, &bad); !errors.Is(err, interview.ErrInvalid) {
			t.Errorf("update with verdict %+v: got %v, want ErrInvalid", v, err)
		}
	}
	// The schema refuses what Validate would, should a write bypass it.
	if _, err := s.w.ExecContext(ctx, "UPDATE interviews SET overall_rating = 6 WHERE id = ?", iv.ID); err == nil {
		t.Error("schema accepted overall_rating 6")
	}
	if _, err := s.w.ExecContext(ctx, "UPDATE interviews SET recommendation = 'maybe' WHERE id = ?", iv.ID); err == nil {
		t.Error("schema accepted recommendation 'maybe'")
	}
	if got, _ := s.Interview(ctx, iv.ID); got.Verdict != want {
		t.Errorf("after refused updates: got %+v, want %+v", got.Verdict, want)
	}
}

func TestAddQuestionTemplateLink(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	tpl := interview.Template{Name: "t", Questions: []interview.TemplateQuestion{{Text: "Why?"}}}
	if err := s.CreateTemplate(ctx, &tpl); err != nil {
		t.Fatal(err)
	}
	iv := mustInterview(t, s, "q")
	q := interview.Question{InterviewID: iv.ID, Text: "Why us?", TemplateQuestionID: tpl.Questions[0].ID}
	if err := s.AddQuestion(ctx, &q); err != nil {
		t.Fatal(err)
	}
	// Editing the question keeps the link; UpdateQuestion does not change it.
	q.Text, q.TemplateQuestionID = "Why us, really?", 0
	if err := s.UpdateQuestion(ctx, &q); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Question(ctx, q.ID); got.TemplateQuestionID != tpl.Questions[0].ID || got.Text != "Why us, really?" {
		t.Errorf("after update: got %+v, want link %d", got, tpl.Questions[0].ID)
	}
	dangling := interview.Question{InterviewID: iv.ID, Text: "x", TemplateQuestionID: 999}
	if err := s.AddQuestion(ctx, &dangling); !errors.Is(err, ErrNotFound) {
		t.Errorf("link to a missing template question: got %v, want ErrNotFound", err)
	}
	if err := s.DeleteTemplate(ctx, tpl.ID); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Question(ctx, q.ID); err != nil || got.TemplateQuestionID != 0 {
		t.Errorf("after the template was deleted: got %+v, %v; want the question kept, unlinked", got, err)
	}
}

func TestUpdateTemplateKeepsQuestionIDs(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	tpl := interview.Template{Name: "t", Questions: []interview.TemplateQuestion{{Text: "A?"}, {Text: "B?"}, {Text: "C?"}}}
	other := interview.Template{Name: "u", Questions: []interview.TemplateQuestion{{Text: "Other?"}}}
	for _, t2 := range []*interview.Template{&tpl, &other} {
		if err := s.CreateTemplate(ctx, t2); err != nil {
			t.Fatal(err)
		}
	}
	a, b, c := tpl.Questions[0], tpl.Questions[1], tpl.Questions[2]
	// Reorder, reword, duplicate a card, drop one, and paste another
	// template's question: ours keep their ids, the rest get new ones.
	b.Text = "B, reworded?"
	tpl.Questions = []interview.TemplateQuestion{c, b, b, other.Questions[0]}
	if err := s.UpdateTemplate(ctx, &tpl); err != nil {
		t.Fatal(err)
	}
	got, err := s.Template(ctx, tpl.ID)
	if err != nil || !reflect.DeepEqual(got, tpl) {
		t.Fatalf("after update:\n got %+v, %v\nwant %+v", got, err, tpl)
	}
	ids := []int64{got.Questions[0].ID, got.Questions[1].ID}
	if want := []int64{c.ID, b.ID}; !reflect.DeepEqual(ids, want) {
		t.Errorf("kept ids: got %v, want %v", ids, want)
	}
	for _, q := range got.Questions[2:] {
		if q.ID == a.ID || q.ID == b.ID || q.ID == c.ID || q.ID == other.Questions[0].ID {
			t.Errorf("new question %q reused id %d", q.Text, q.ID)
		}
	}
	if o, _ := s.Template(ctx, other.ID); !reflect.DeepEqual(o, other) {
		t.Errorf("the other template changed:\n got %+v\nwant %+v", o, other)
	}
}

func TestListInterviews(t *testing.T) {
	s, clk := openTest(t)
	ctx := context.Background()
	day := func(d int) time.Time { return time.Date(2026, 1, d, 10, 0, 0, 0, time.UTC) }
	mk := func(title string, mode interview.Mode, sched time.Time) interview.Interview {
		iv := interview.Interview{Title: title, Mode: mode, ScheduledAt: sched}
		if err := s.CreateInterview(ctx, &iv); err != nil {
			t.Fatal(err)
		}
		return iv
	}
	clk.Set(day(1))
	mk("a", interview.ModeInterviewer, day(3))
	mk("b", interview.ModeCandidate, day(5))
	mk("c", interview.ModeInterviewer, time.Time{}) // filed by creation: day 1
	titles := func(opts ListOptions) []string {
		t.Helper()
		ivs, err := s.ListInterviews(ctx, opts)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, iv := range ivs {
			out = append(out, iv.Title)
		}
		return out
	}
	tests := []struct {
		opts ListOptions
		want []string
	}{
		{ListOptions{}, []string{"b", "a", "c"}},
		{ListOptions{Mode: interview.ModeInterviewer}, []string{"a", "c"}},
		{ListOptions{Since: day(2)}, []string{"b", "a"}},
		{ListOptions{Since: day(2), Until: day(4)}, []string{"a"}},
		{ListOptions{Limit: 1, Offset: 1}, []string{"a"}},
		{ListOptions{Offset: 2}, []string{"c"}},
		{ListOptions{State: interview.StateEnded}, nil},
	}
	for _, tt := range tests {
		if got := titles(tt.opts); !slices.Equal(got, tt.want) {
			t.Errorf("ListInterviews(%+v) = %q, want %q", tt.opts, got, tt.want)
		}
	}
}

func TestTemplatesAndStartFromTemplate(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	tpl := interview.Template{Name: "Backend", Description: "Structured backend loop", Questions: []interview.TemplateQuestion{
		{Text: "Design a job queue", Competency: "design", Guidance: "Talks about retries", Expected: 10 * time.Minute},
		{Text: "A conflict you solved", Competency: "collaboration"},
	}}
	if err := s.CreateTemplate(ctx, &tpl); err != nil {
		t.Fatal(err)
	}
	got, err := s.Template(ctx, tpl.ID)
	if err != nil || !reflect.DeepEqual(got, tpl) {
		t.Fatalf("Template:\n got %+v, %v\nwant %+v", got, err, tpl)
	}

	iv := interview.Interview{Title: "from template", Mode: interview.ModeInterviewer, TemplateID: tpl.ID}
	if err := s.CreateInterview(ctx, &iv); err != nil {
		t.Fatal(err)
	}
	qs, err := s.Questions(ctx, iv.ID)
	if err != nil || len(qs) != 2 || qs[0].Text != "Design a job queue" || qs[0].Competency != "design" ||
		qs[0].Guidance != "Talks about retries" || qs[1].Position != 2 || qs[1].Status != interview.QuestionQueued {
		t.Fatalf("copied questions = %+v, %v", qs, err)
	}
	if qs[0].TemplateQuestionID != tpl.Questions[0].ID || qs[1].TemplateQuestionID != tpl.Questions[1].ID {
		t.Errorf("copies linked to template questions %d, %d; want %d, %d",
			qs[0].TemplateQuestionID, qs[1].TemplateQuestionID, tpl.Questions[0].ID, tpl.Questions[1].ID)
	}

	// Editing the template later does not rewrite the interview's copy.
	// The reworded question keeps its ID, so its copy stays linked; the
	// removed one's copy stays but loses its link.
	firstID := tpl.Questions[0].ID
	tpl.Name = "Backend v2"
	tpl.Questions[0].Text = "Design a durable job queue"
	tpl.Questions = append(tpl.Questions[:1], interview.TemplateQuestion{Text: "New question"})
	if err := s.UpdateTemplate(ctx, &tpl); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Template(ctx, tpl.ID); !reflect.DeepEqual(got, tpl) || got.Questions[1].Position != 2 || got.Questions[0].ID != firstID {
		t.Errorf("after update:\n got %+v\nwant %+v (first question id %d)", got, tpl, firstID)
	}
	want := slices.Clone(qs)
	want[1].TemplateQuestionID = 0
	if qs2, _ := s.Questions(ctx, iv.ID); !reflect.DeepEqual(qs2, want) {
		t.Errorf("interview questions after the template changed:\n got %+v\nwant %+v", qs2, want)
	}
	all, err := s.Templates(ctx)
	if err != nil || len(all) != 1 || all[0].Name != "Backend v2" {
		t.Errorf("Templates = %+v, %v", all, err)
	}

	if err := s.DeleteTemplate(ctx, tpl.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Interview(ctx, iv.ID); got.TemplateID != 0 {
		t.Errorf("TemplateID after template deleted = %d, want 0", got.TemplateID)
	}
	if qs2, _ := s.Questions(ctx, iv.ID); len(qs2) != 2 {
		t.Errorf("interview lost its questions with the template: %+v", qs2)
	}
	if _, err := s.Template(ctx, tpl.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("deleted template: got %v, want ErrNotFound", err)
	}
	missing := interview.Interview{Title: "x", Mode: interview.ModeInterviewer, TemplateID: 999}
	if err := s.CreateInterview(ctx, &missing); !errors.Is(err, ErrNotFound) {
		t.Errorf("create from missing template: got %v, want ErrNotFound", err)
	}
	if list, _ := s.ListInterviews(ctx, ListOptions{}); len(list) != 1 {
		t.Errorf("a failed create left %d interviews, want 1", len(list))
	}
	if err := s.CreateTemplate(ctx, &interview.Template{}); !errors.Is(err, interview.ErrInvalid) {
		t.Errorf("nameless template: got %v, want ErrInvalid", err)
	}
}

func TestQuestionCRUD(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	iv := mustInterview(t, s, "q")
	var ids []int64
	for _, text := range []string{"one", "two", "three", "four"} {
		q := interview.Question{InterviewID: iv.ID, Text: text}
		if err := s.AddQuestion(ctx, &q); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, q.ID)
	}
	q, err := s.Question(ctx, ids[1])
	if err != nil || q.Position != 2 || q.Status != interview.QuestionQueued {
		t.Fatalf("Question = %+v, %v", q, err)
	}
	if err := q.MarkAsked(125_000); err != nil {
		t.Fatal(err)
	}
	if err := q.Rate(4); err != nil {
		t.Fatal(err)
	}
	q.Note, q.Priority = "Solid answer", interview.PriorityHigh
	if err := s.UpdateQuestion(ctx, &q); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Question(ctx, q.ID); !reflect.DeepEqual(got, q) {
		t.Errorf("after update:\n got %+v\nwant %+v", got, q)
	}
	q.Rating = 9
	if err := s.UpdateQuestion(ctx, &q); !errors.Is(err, interview.ErrInvalid) {
		t.Errorf("rating 9: got %v, want ErrInvalid", err)
	}

	order := func() []string {
		qs, err := s.Questions(ctx, iv.ID)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for i, q := range qs {
			if q.Position != i+1 {
				t.Errorf("position of %q = %d, want %d", q.Text, q.Position, i+1)
			}
			out = append(out, q.Text)
		}
		return out
	}
	if err := s.MoveQuestion(ctx, ids[3], 1); err != nil {
		t.Fatal(err)
	}
	if got := order(); !slices.Equal(got, []string{"four", "one", "two", "three"}) {
		t.Errorf("after move to 1: %q", got)
	}
	if err := s.MoveQuestion(ctx, ids[3], 99); err != nil {
		t.Fatal(err)
	}
	if got := order(); !slices.Equal(got, []string{"one", "two", "three", "four"}) {
		t.Errorf("after move to end: %q", got)
	}
	if err := s.DeleteQuestion(ctx, ids[0]); err != nil {
		t.Fatal(err)
	}
	if got := order(); !slices.Equal(got, []string{"two", "three", "four"}) {
		t.Errorf("after delete: %q", got)
	}
	if err := s.MoveQuestion(ctx, 999, 1); !errors.Is(err, ErrNotFound) {
		t.Errorf("move missing: got %v, want ErrNotFound", err)
	}
	if err := s.DeleteQuestion(ctx, 999); !errors.Is(err, ErrNotFound) {
		t.Errorf("delete missing: got %v, want ErrNotFound", err)
	}
	if err := s.AddQuestion(ctx, &interview.Question{InterviewID: 999, Text: "orphan"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("question for a missing interview: got %v, want ErrNotFound", err)
	}
}

func TestNoteCRUD(t *testing.T) {
	s, clk := openTest(t)
	ctx := context.Background()
	iv := mustInterview(t, s, "n")
	q := interview.Question{InterviewID: iv.ID, Text: "Why Go?"}
	if err := s.AddQuestion(ctx, &q); err != nil {
		t.Fatal(err)
	}
	n := interview.NewNote(724_500, time.Date(2026, 3, 2, 9, 12, 4, 999_999, time.Local), "Clear on #concurrency", interview.TagStrength)
	n.InterviewID, n.QuestionID = iv.ID, q.ID
	if err := s.AddNote(ctx, &n); err != nil {
		t.Fatal(err)
	}
	got, err := s.Note(ctx, n.ID)
	if err != nil || !reflect.DeepEqual(got, n) {
		t.Fatalf("Note:\n got %+v, %v\nwant %+v", got, err, n)
	}
	clk.Set(time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC))
	n.Edit("Clear on #channels", time.Time{})
	if err := s.UpdateNote(ctx, &n); err != nil {
		t.Fatal(err)
	}
	if n.EditedAt.IsZero() {
		t.Error("UpdateNote did not set EditedAt")
	}
	if got, _ = s.Note(ctx, n.ID); !reflect.DeepEqual(got, n) || !slices.Equal(got.Tags, []string{"strength", "channels"}) {
		t.Errorf("after edit:\n got %+v\nwant %+v", got, n)
	}
	// Deleting the question keeps the note, without the link.
	if err := s.DeleteQuestion(ctx, q.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ = s.Note(ctx, n.ID); got.QuestionID != 0 || got.Text != n.Text {
		t.Errorf("note after its question was deleted: %+v", got)
	}
	n2 := interview.Note{InterviewID: iv.ID, AtMs: 1000, Text: "earlier"}
	if err := s.AddNote(ctx, &n2); err != nil {
		t.Fatal(err)
	}
	if n2.Wall.IsZero() {
		t.Error("AddNote did not fill Wall")
	}
	notes, err := s.Notes(ctx, iv.ID)
	if err != nil || len(notes) != 2 || notes[0].ID != n2.ID {
		t.Errorf("Notes not in time order: %+v, %v", notes, err)
	}
	if err := s.DeleteNote(ctx, n2.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Note(ctx, n2.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("deleted note: got %v, want ErrNotFound", err)
	}
	if err := s.AddNote(ctx, &interview.Note{InterviewID: iv.ID, Text: " "}); !errors.Is(err, interview.ErrInvalid) {
		t.Errorf("empty note: got %v, want ErrInvalid", err)
	}
	if err := s.AddNote(ctx, &interview.Note{InterviewID: 12345, Text: "x"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("note for a missing interview: got %v, want ErrNotFound", err)
	}
}

func TestPointCRUD(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	iv := mustInterview(t, s, "p")
	a := interview.TalkingPoint{InterviewID: iv.ID, Text: "Led the payments migration"}
	b := interview.TalkingPoint{InterviewID: iv.ID, Text: "How big is the team?", Kind: interview.PointKindQuestion}
	for _, p := range []*interview.TalkingPoint{&a, &b} {
		if err := s.AddPoint(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	if a.Kind != interview.PointKindPoint || a.Position != 1 || b.Position != 2 {
		t.Errorf("after add: %+v %+v", a, b)
	}
	a.Checked, a.Text = true, "Led the payments migration (2024)"
	if err := s.UpdatePoint(ctx, &a); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Point(ctx, a.ID); err != nil || !reflect.DeepEqual(got, a) {
		t.Errorf("Point:\n got %+v, %v\nwant %+v", got, err, a)
	}
	if err := s.MovePoint(ctx, b.ID, 1); err != nil {
		t.Fatal(err)
	}
	ps, err := s.Points(ctx, iv.ID)
	if err != nil || len(ps) != 2 || ps[0].ID != b.ID || ps[0].Position != 1 || ps[1].Position != 2 {
		t.Errorf("after move: %+v, %v", ps, err)
	}
	if err := s.DeletePoint(ctx, b.ID); err != nil {
		t.Fatal(err)
	}
	if ps, _ := s.Points(ctx, iv.ID); len(ps) != 1 || ps[0].Position != 1 {
		t.Errorf("after delete: %+v", ps)
	}
	if err := s.UpdatePoint(ctx, &b); !errors.Is(err, ErrNotFound) {
		t.Errorf("update deleted: got %v, want ErrNotFound", err)
	}
}

func TestSegmentCRUD(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	iv := mustInterview(t, s, "s")
	segs := []interview.Segment{
		{InterviewID: iv.ID, Source: interview.SourceThem, StartMs: 5000, EndMs: 9000, Text: "I led the team", Confidence: 0.8},
		{InterviewID: iv.ID, Source: interview.SourceYou, StartMs: 0, EndMs: 4000, Text: "Tell me about yourself", Confidence: 0.95},
	}
	if err := s.AppendSegments(ctx, segs); err != nil {
		t.Fatal(err)
	}
	if segs[0].ID == 0 || segs[1].ID == 0 {
		t.Fatalf("IDs not set: %+v", segs)
	}
	got, err := s.Segments(ctx, iv.ID, 0, 0)
	if err != nil || !reflect.DeepEqual(got, []interview.Segment{segs[1], segs[0]}) {
		t.Errorf("Segments:\n got %+v, %v\nwant by start time %+v", got, err, segs)
	}
	if win, _ := s.Segments(ctx, iv.ID, 1000, 6000); len(win) != 1 || win[0].ID != segs[0].ID {
		t.Errorf("window 1000–6000: %+v", win)
	}
	if err := s.EditSegment(ctx, segs[0].ID, "I led the platform team"); err != nil {
		t.Fatal(err)
	}
	sg, err := s.Segment(ctx, segs[0].ID)
	if err != nil || sg.Text != "I led the team" || sg.EditedText != "I led the platform team" {
		t.Errorf("after correction: %+v, %v", sg, err)
	}
	bad := []interview.Segment{{InterviewID: iv.ID, Source: interview.SourceYou, Text: "ok", EndMs: 1}, {InterviewID: iv.ID, Source: "x", Text: "bad"}}
	if err := s.AppendSegments(ctx, bad); !errors.Is(err, interview.ErrInvalid) {
		t.Errorf("invalid batch: got %v, want ErrInvalid", err)
	}
	orphan := []interview.Segment{{InterviewID: iv.ID, Source: interview.SourceYou, Text: "ok", EndMs: 1}, {InterviewID: 999, Source: interview.SourceYou, Text: "x", EndMs: 1}}
	if err := s.AppendSegments(ctx, orphan); !errors.Is(err, ErrNotFound) {
		t.Errorf("batch with a missing interview: got %v, want ErrNotFound", err)
	}
	if got, _ := s.Segments(ctx, iv.ID, 0, 0); len(got) != 2 {
		t.Errorf("a failed batch saved part of itself: %d segments, want 2", len(got))
	}
	if err := s.DeleteSegment(ctx, segs[1].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Segment(ctx, segs[1].ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("deleted segment: got %v, want ErrNotFound", err)
	}
	if err := s.EditSegment(ctx, 999, "x"); !errors.Is(err, ErrNotFound) {
		t.Errorf("correct missing: got %v, want ErrNotFound", err)
	}
}

func TestRecordingsAndDeleteRemovesFiles(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	iv := mustInterview(t, s, "r")
	dir := s.RecordingsDir() // the only folder delete removes files from
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	you, them := filepath.Join(dir, "you.wav"), filepath.Join(dir, "them.wav")
	for _, p := range []string{you, them} {
		if err := os.WriteFile(p, []byte("RIFF"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	r1 := interview.Recording{InterviewID: iv.ID, Source: interview.SourceYou, Path: you, SampleRate: 16000}
	r2 := interview.Recording{InterviewID: iv.ID, Source: interview.SourceThem, Path: them, SampleRate: 48000}
	for _, r := range []*interview.Recording{&r1, &r2} {
		if err := s.AddRecording(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SetRecordingDuration(ctx, r1.ID, 90*time.Second); err != nil {
		t.Fatal(err)
	}
	r1.Duration = 90 * time.Second
	if got, err := s.Recording(ctx, r1.ID); err != nil || !reflect.DeepEqual(got, r1) {
		t.Errorf("Recording:\n got %+v, %v\nwant %+v", got, err, r1)
	}
	if recs, _ := s.Recordings(ctx, iv.ID); len(recs) != 2 {
		t.Errorf("Recordings = %+v", recs)
	}
	if err := s.DeleteRecording(ctx, r2.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(them); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("DeleteRecording left the file: %v", err)
	}

	// A second interview refers to the same file (as after importing an
	// export into the same library): deleting one keeps the file.
	iv2 := mustInterview(t, s, "copy")
	shared := interview.Recording{InterviewID: iv2.ID, Source: interview.SourceYou, Path: you, SampleRate: 16000}
	if err := s.AddRecording(ctx, &shared); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteInterview(ctx, iv.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(you); err != nil {
		t.Errorf("file still used by another interview was removed: %v", err)
	}
	if err := s.DeleteInterview(ctx, iv2.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(you); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("DeleteInterview left the recording: %v", err)
	}
	// A file already gone is not an error.
	iv3 := mustInterview(t, s, "gone")
	gone := interview.Recording{InterviewID: iv3.ID, Source: interview.SourceYou, Path: filepath.Join(dir, "never.wav"), SampleRate: 16000}
	if err := s.AddRecording(ctx, &gone); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteInterview(ctx, iv3.ID); err != nil {
		t.Errorf("delete with a missing file: %v", err)
	}
}

func TestDeleteInterviewTakesEverything(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	keep := fillInterview(t, s, "keep")
	doomed := fillInterview(t, s, "doomed")
	if err := s.DeleteInterview(ctx, doomed.ID); err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{"questions", "notes", "talking_points", "segments", "recordings"} {
		var n int
		if err := s.r.QueryRow("SELECT count(*) FROM "+table+" WHERE interview_id = ?", doomed.ID).Scan(&n); err != nil || n != 0 {
			t.Errorf("%s rows left: %d, %v", table, n, err)
		}
	}
	var n int
	if err := s.r.QueryRow("SELECT count(*) FROM search_index WHERE interview_id = ?", doomed.ID).Scan(&n); err != nil || n != 0 {
		t.Errorf("search entries left: %d, %v", n, err)
	}
	if b, err := s.Load(ctx, keep.ID); err != nil || len(b.Notes) == 0 || len(b.Segments) == 0 {
		t.Errorf("the other interview was touched: %+v, %v", b, err)
	}
	hits, err := s.Search(ctx, "doomed", SearchOptions{})
	if err != nil || len(hits) != 0 {
		t.Errorf("search after delete: %+v, %v", hits, err)
	}
}

// fillInterview makes an interview with a bit of everything, with text
// that mentions its title.
func fillInterview(t testing.TB, s *Store, title string) interview.Interview {
	t.Helper()
	ctx := context.Background()
	iv := mustInterview(t, s, title)
	q := interview.Question{InterviewID: iv.ID, Text: "Question about " + title}
	if err := s.AddQuestion(ctx, &q); err != nil {
		t.Fatal(err)
	}
	n := interview.Note{InterviewID: iv.ID, AtMs: 1000, Text: "Note about " + title, QuestionID: q.ID}
	if err := s.AddNote(ctx, &n); err != nil {
		t.Fatal(err)
	}
	if err := s.AddPoint(ctx, &interview.TalkingPoint{InterviewID: iv.ID, Text: "Point " + title}); err != nil {
		t.Fatal(err)
	}
	if err := s.AppendSegments(ctx, []interview.Segment{{InterviewID: iv.ID, Source: interview.SourceThem, StartMs: 500, EndMs: 900, Text: "said " + title}}); err != nil {
		t.Fatal(err)
	}
	rec := interview.Recording{InterviewID: iv.ID, Source: interview.SourceYou, Path: filepath.Join(t.TempDir(), title+".wav"), SampleRate: 16000}
	if err := s.AddRecording(ctx, &rec); err != nil {
		t.Fatal(err)
	}
	return iv
}

func TestRecover(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	planned := mustInterview(t, s, "planned")
	live := mustInterview(t, s, "live")
	paused := mustInterview(t, s, "paused")
	ended := mustInterview(t, s, "ended")
	for _, step := range []struct {
		id int64
		to []interview.State
	}{
		{live.ID, []interview.State{interview.StateLive}},
		{paused.ID, []interview.State{interview.StateLive, interview.StatePaused}},
		{ended.ID, []interview.State{interview.StateLive, interview.StateEnded}},
	} {
		for _, to := range step.to {
			if _, err := s.SetState(ctx, step.id, to); err != nil {
				t.Fatal(err)
			}
		}
	}
	n := interview.Note{InterviewID: live.ID, AtMs: 5, Text: "written before the crash"}
	if err := s.AddNote(ctx, &n); err != nil {
		t.Fatal(err)
	}
	ids, err := s.Recover(ctx)
	if err != nil || !slices.Equal(ids, []int64{live.ID, paused.ID}) {
		t.Fatalf("Recover = %v, %v; want [%d %d]", ids, err, live.ID, paused.ID)
	}
	for id, want := range map[int64]interview.State{planned.ID: interview.StatePlanned, live.ID: interview.StateInterrupted,
		paused.ID: interview.StateInterrupted, ended.ID: interview.StateEnded} {
		if iv, _ := s.Interview(ctx, id); iv.State != want {
			t.Errorf("interview %d state = %s, want %s", id, iv.State, want)
		}
	}
	if notes, _ := s.Notes(ctx, live.ID); len(notes) != 1 {
		t.Errorf("notes of the interrupted interview: %+v", notes)
	}
	if ids, err := s.Recover(ctx); err != nil || len(ids) != 0 {
		t.Errorf("second Recover = %v, %v; want none", ids, err)
	}
	// Interrupted interviews can be resumed.
	if iv, err := s.SetState(ctx, live.ID, interview.StateLive); err != nil || iv.State != interview.StateLive {
		t.Errorf("resume: %+v, %v", iv, err)
	}
}

func TestRetention(t *testing.T) {
	s, clk := openTest(t)
	ctx := context.Background()
	clk.Set(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	old := fillInterview(t, s, "old")
	oldLive := mustInterview(t, s, "old but live")
	if _, err := s.SetState(ctx, oldLive.ID, interview.StateLive); err != nil {
		t.Fatal(err)
	}
	clk.Set(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC))
	recent := mustInterview(t, s, "recent")

	if ids, err := s.ApplyRetention(ctx); err != nil || ids != nil {
		t.Errorf("retention off: deleted %v, %v", ids, err)
	}
	if err := s.SaveSettings(ctx, Settings{RetentionDays: -1}); !errors.Is(err, interview.ErrInvalid) {
		t.Errorf("negative retention: got %v, want ErrInvalid", err)
	}
	if err := s.SaveSettings(ctx, Settings{RetentionDays: 30}); err != nil {
		t.Fatal(err)
	}
	if st, err := s.Settings(ctx); err != nil || st.RetentionDays != 30 {
		t.Errorf("Settings = %+v, %v", st, err)
	}
	ids, err := s.ApplyRetention(ctx)
	if err != nil || !slices.Equal(ids, []int64{old.ID}) {
		t.Errorf("ApplyRetention = %v, %v; want [%d]", ids, err, old.ID)
	}
	for _, iv := range []interview.Interview{oldLive, recent} {
		if _, err := s.Interview(ctx, iv.ID); err != nil {
			t.Errorf("%q was deleted: %v", iv.Title, err)
		}
	}
	if _, err := s.DeleteOlderThan(ctx, 0); !errors.Is(err, interview.ErrInvalid) {
		t.Errorf("DeleteOlderThan(0): got %v, want ErrInvalid", err)
	}
}

func TestLoadTimeline(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	iv := fillInterview(t, s, "timeline")
	b, err := s.Load(ctx, iv.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Questions) != 1 || len(b.Notes) != 1 || len(b.Points) != 1 || len(b.Segments) != 1 || len(b.Recordings) != 1 {
		t.Fatalf("Load = %+v", b)
	}
	q := b.Questions[0]
	if err := q.MarkAsked(200); err != nil {
		t.Fatal(err)
	}
	if err := s.UpdateQuestion(ctx, &q); err != nil {
		t.Fatal(err)
	}
	b, _ = s.Load(ctx, iv.ID)
	var kinds []interview.EntryKind
	for _, e := range b.Timeline() {
		kinds = append(kinds, e.Kind)
	}
	if want := []interview.EntryKind{interview.EntryQuestion, interview.EntrySegment, interview.EntryNote}; !slices.Equal(kinds, want) {
		t.Errorf("timeline kinds = %v, want %v", kinds, want)
	}
	if _, err := s.Load(ctx, 999); !errors.Is(err, ErrNotFound) {
		t.Errorf("Load missing: got %v, want ErrNotFound", err)
	}
}

// An ID a user has typed or written down ("see interview 12") must never
// come to mean another interview after a delete.
func TestDeletedIDsAreNotReused(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	a := interview.Interview{Title: "first", Mode: interview.ModePractice}
	if err := s.CreateInterview(ctx, &a); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteInterview(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	b := interview.Interview{Title: "second", Mode: interview.ModePractice}
	if err := s.CreateInterview(ctx, &b); err != nil {
		t.Fatal(err)
	}
	if b.ID <= a.ID {
		t.Errorf("got ID %d after deleting %d, want a new one", b.ID, a.ID)
	}

	ta := interview.Template{Name: "t1", Questions: []interview.TemplateQuestion{{Text: "Why?"}}}
	if err := s.CreateTemplate(ctx, &ta); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteTemplate(ctx, ta.ID); err != nil {
		t.Fatal(err)
	}
	tb := interview.Template{Name: "t2", Questions: []interview.TemplateQuestion{{Text: "How?"}}}
	if err := s.CreateTemplate(ctx, &tb); err != nil {
		t.Fatal(err)
	}
	if tb.ID <= ta.ID {
		t.Errorf("template got ID %d after deleting %d, want a new one", tb.ID, ta.ID)
	}
}
