package store

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/sidenote-app/sidenote/app/interview"
)

// writeSchema1 makes the file a Sidenote 1 library (only 0001 applied), as
// the build that knew one migration left it, with a few rows in it.
func writeSchema1(t *testing.T, path string) {
	t.Helper()
	sql1, err := migrationFiles.ReadFile("migrations/0001_init.sql")
	if err != nil {
		t.Fatal(err)
	}
	db, err := openRaw(path, "_foreign_keys=1")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, stmt := range []string{
		"PRAGMA journal_mode = WAL",
		`CREATE TABLE schema_migrations (
			version    INTEGER PRIMARY KEY,
			name       TEXT    NOT NULL,
			applied_at INTEGER NOT NULL)`,
		string(sql1),
		"INSERT INTO schema_migrations (version, name, applied_at) VALUES (1, '0001_init.sql', 1772442000000)",
		`INSERT INTO templates (id, name, created_at, updated_at) VALUES (1, 'Loop', 1772442000000, 1772442000000)`,
		`INSERT INTO template_questions (id, template_id, position, text) VALUES (10, 1, 1, 'Design a job queue'), (11, 1, 2, 'A conflict')`,
		`INSERT INTO interviews (id, title, mode, template_id, state, started_at, ended_at, created_at, updated_at)
			VALUES (1, 'Åsa', 'interviewer', 1, 'ended', 1772445600000, 1772449200000, 1772442000000, 1772449200000),
			       (2, 'Practice', 'practice', NULL, 'planned', NULL, NULL, 1772442000001, 1772442000001)`,
		`INSERT INTO questions (id, interview_id, position, text, status, asked_at_ms, rating, note)
			VALUES (100, 1, 1, 'Design a job queue', 'asked', 192000, 4, 'Solid'),
			       (101, 1, 2, 'A conflict', 'skipped', NULL, 0, ''),
			       (102, 2, 1, 'Why us?', 'queued', NULL, 0, '')`,
		`INSERT INTO notes (id, interview_id, at_ms, wall_at, text, question_id) VALUES (200, 1, 195000, 1772445795000, 'Clear', 100)`,
		`INSERT INTO segments (id, interview_id, source, start_ms, end_ms, text) VALUES (300, 1, 'them', 193000, 199000, 'A queue needs retries')`,
	} {
		if _, err := db.Exec(stmt); err != nil {
			t.Fatalf("write schema 1: %v\n%s", err, stmt)
		}
	}
}

func TestMigrateFromSchema1(t *testing.T) {
	if SchemaVersion() != 3 {
		t.Fatalf("SchemaVersion() = %d, want 3", SchemaVersion())
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "sidenote.db")
	writeSchema1(t, path)
	counts := func(s *Store) map[string]int {
		got := map[string]int{}
		for _, table := range []string{"templates", "template_questions", "interviews", "questions", "notes", "segments", "search_index"} {
			var n int
			if err := s.r.QueryRowContext(ctx, "SELECT count(*) FROM "+table).Scan(&n); err != nil {
				t.Fatalf("count %s: %v", table, err)
			}
			got[table] = n
		}
		return got
	}

	s, err := Open(path)
	if err != nil {
		t.Fatalf("Open a schema 1 library: %v", err)
	}
	defer s.Close()
	var version, rows int
	if err := s.r.QueryRowContext(ctx, "SELECT max(version), count(*) FROM schema_migrations").Scan(&version, &rows); err != nil || version != 3 || rows != 3 {
		t.Errorf("schema_migrations: version %d over %d rows, %v; want 3 over 3", version, rows, err)
	}
	want := map[string]int{"templates": 1, "template_questions": 2, "interviews": 2, "questions": 3, "notes": 1, "segments": 1, "search_index": 5}
	if got := counts(s); !reflect.DeepEqual(got, want) {
		t.Errorf("rows after migration: got %v, want %v", got, want)
	}
	if err := s.Check(ctx); err != nil {
		t.Error(err)
	}
	var fkProblems int
	if err := s.r.QueryRowContext(ctx, "SELECT count(*) FROM pragma_foreign_key_check").Scan(&fkProblems); err != nil || fkProblems != 0 {
		t.Errorf("foreign key check: %d problems, %v", fkProblems, err)
	}

	b, err := s.Load(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if b.Interview.Title != "Åsa" || b.Interview.TemplateID != 1 || b.Interview.State != interview.StateEnded ||
		b.Interview.Verdict != (interview.Verdict{}) || b.Interview.Ran != 0 || b.Interview.StateReason != "" {
		t.Errorf("interview after migration: %+v", b.Interview)
	}
	if len(b.Questions) != 2 || b.Questions[0].Rating != 4 || b.Questions[0].AskedAtMs != 192000 ||
		b.Questions[0].TemplateQuestionID != 0 || b.Questions[1].TemplateQuestionID != 0 {
		t.Errorf("questions after migration (no verdict, no links): %+v", b.Questions)
	}
	if len(b.Notes) != 1 || b.Notes[0].QuestionID != 100 || len(b.Segments) != 1 {
		t.Errorf("notes and transcript after migration: %+v %+v", b.Notes, b.Segments)
	}
	// Unlinked old questions are still lined up with the plan by text.
	tpl, err := s.Template(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if c, err := interview.CheckConsistency(b, &tpl); err != nil || c.AskedPlanned != 1 || len(c.Skipped) != 1 || len(c.Added) != 0 {
		t.Errorf("consistency of a migrated interview: %+v, %v", c, err)
	}

	// The new columns work on old rows.
	if _, err := s.ChangeState(ctx, 2, StateChange{To: interview.StateLive, Ran: 90 * time.Second}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Interview(ctx, 2); got.Ran != 90*time.Second {
		t.Errorf("ran after migration: %v, want 1m30s", got.Ran)
	}
	b.Interview.Verdict = interview.Verdict{Rating: 5, Recommendation: interview.RecommendStrongYes}
	if err := s.UpdateInterview(ctx, &b.Interview); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Interview(ctx, 1); got.Verdict != b.Interview.Verdict {
		t.Errorf("verdict on a migrated interview: got %+v, want %+v", got.Verdict, b.Interview.Verdict)
	}
	iv := interview.Interview{Title: "new", Mode: interview.ModeInterviewer, TemplateID: 1}
	if err := s.CreateInterview(ctx, &iv); err != nil {
		t.Fatal(err)
	}
	if qs, _ := s.Questions(ctx, iv.ID); len(qs) != 2 || qs[0].TemplateQuestionID != 10 || qs[1].TemplateQuestionID != 11 {
		t.Errorf("questions copied after migration: %+v, want linked to 10 and 11", qs)
	}
	s.Close()

	// Opening again runs nothing more.
	s2, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if err := s2.r.QueryRowContext(ctx, "SELECT count(*) FROM schema_migrations").Scan(&rows); err != nil || rows != 3 {
		t.Errorf("schema_migrations rows after reopening: %d, %v; want 3", rows, err)
	}
}
