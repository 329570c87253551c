package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sidenote-app/sidenote/app/interview"
	"github.com/sidenote-app/sidenote/app/paths"
	"github.com/sidenote-app/sidenote/app/store"
	"github.com/sidenote-app/sidenote/app/store/export"
	"github.com/sidenote-app/sidenote/transcribe/audio/audiotest"
)

// runCLIIn is runCLI with something on stdin.
func runCLIIn(t *testing.T, dataDir string, stdin io.Reader, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	full := append([]string{"-data-dir", dataDir}, args...)
	code = run(context.Background(), full, ioEnv{stdin: stdin, stdout: &out, stderr: &errb})
	return code, out.String(), errb.String()
}

// openTestStore opens the database the CLI uses in dataDir; the test
// seeds and checks through it and closes it at the end.
func openTestStore(t *testing.T, dataDir string) *store.Store {
	t.Helper()
	s, err := store.Open(paths.Dirs{Data: dataDir}.Database())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// seedRich creates an ended interview with everything a timeline can
// hold, through the store API the window uses, and returns its ID. The
// interview itself is imported, since the store stamps a live start with
// its own clock.
func seedRich(t *testing.T, s *store.Store) int64 {
	t.Helper()
	ctx := context.Background()
	start := time.Date(2025, 3, 5, 13, 0, 12, 0, time.UTC)
	id, err := s.Import(ctx, &interview.Bundle{Interview: interview.Interview{
		Title: "Backend engineer — Åsa Öberg", Role: "Backend engineer", OtherName: "Åsa Öberg",
		Mode: interview.ModeInterviewer, ScheduledAt: time.Date(2025, 3, 5, 13, 0, 0, 0, time.UTC),
		Length: 45 * time.Minute, Platform: "Zoom", Link: "https://zoom.example/j/1", Language: "sv",
		RecordingConsent: true, State: interview.StateEnded, StartedAt: start, EndedAt: start.Add(62 * time.Minute),
	}})
	must(t, err)
	iv := interview.Interview{ID: id}
	q1 := interview.Question{InterviewID: iv.ID, Text: "Design a job queue", Competency: "design",
		Priority: interview.PriorityHigh, Status: interview.QuestionAsked, AskedAtMs: 192_000, Rating: 4, Note: "Solid"}
	q2 := interview.Question{InterviewID: iv.ID, Text: "Salary expectations?", Status: interview.QuestionSkipped}
	must(t, s.AddQuestion(ctx, &q1))
	must(t, s.AddQuestion(ctx, &q2))
	must(t, s.AddPoint(ctx, &interview.TalkingPoint{InterviewID: iv.ID, Text: "Explain the on-call rota", Checked: true}))
	wall := start.Add(12 * time.Minute)
	for _, n := range []interview.Note{
		interview.NewNote(192_000, wall, "Clear on #channels and back-pressure", interview.TagStrength),
		interview.NewNote(5_000, wall, "Camera on, good light"),
		interview.NewNote(3_725_000, wall, "Ask about notice period", interview.TagFollowUp),
	} {
		n.InterviewID = iv.ID
		if strings.Contains(n.Text, "channels") {
			n.QuestionID = q1.ID
		}
		must(t, s.AddNote(ctx, &n))
	}
	must(t, s.AppendSegments(ctx, []interview.Segment{
		{InterviewID: iv.ID, Source: interview.SourceYou, StartMs: 0, EndMs: 3000, Text: "Welcome, can you hear me?", Confidence: 0.9},
		{InterviewID: iv.ID, Source: interview.SourceYou, StartMs: 192_000, EndMs: 195_000, Text: "Design a job queue, please.", Confidence: 0.9},
		{InterviewID: iv.ID, Source: interview.SourceThem, StartMs: 3_725_000, EndMs: 3_727_000, Text: "I like channels in Go, tack", Confidence: 0.8},
	}))
	return iv.ID
}

// seedAt imports a bare interview filed at when (its start), for the
// date filters; the store's clock cannot be set from outside.
func seedAt(t *testing.T, s *store.Store, title string, mode interview.Mode, state interview.State, when time.Time, length time.Duration) int64 {
	t.Helper()
	iv := interview.Interview{Title: title, Mode: mode, State: state, StartedAt: when}
	if state == interview.StateEnded {
		iv.EndedAt = when.Add(length)
	}
	if state == interview.StatePlanned {
		iv.StartedAt, iv.ScheduledAt, iv.Length = time.Time{}, when, length
	}
	id, err := s.Import(context.Background(), &interview.Bundle{Interview: iv})
	must(t, err)
	return id
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// tableRows maps the first column of a table (the ID) to its line.
func tableRows(out string) map[int64]string {
	rows := map[int64]string{}
	for _, l := range strings.Split(out, "\n") {
		f := strings.Fields(l)
		if len(f) == 0 {
			continue
		}
		if id, err := strconv.ParseInt(f[0], 10, 64); err == nil {
			rows[id] = l
		}
	}
	return rows
}

func keys(m map[int64]string) []int64 {
	var out []int64
	for k := range m {
		out = append(out, k)
	}
	return out
}

func sameIDs(got map[int64]string, want ...int64) bool {
	if len(got) != len(want) {
		return false
	}
	for _, id := range want {
		if _, ok := got[id]; !ok {
			return false
		}
	}
	return true
}

func TestListEmptyLibraryCreatesNothing(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	code, out, errOut := runCLI(t, data, "list")
	if code != 0 || !strings.Contains(out, "No interviews yet") || !strings.Contains(out, "sidenote import") || errOut != "" {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if code, out, _ := runCLI(t, data, "list", "-json"); code != 0 || strings.TrimSpace(out) != "[]" {
		t.Errorf("-json on no library: exit %d, %q; want []", code, out)
	}
	for _, args := range [][]string{{"search", "x"}, {"templates", "list"}} {
		if code, out, _ := runCLI(t, data, args...); code != 0 || !strings.Contains(out, "No ") {
			t.Errorf("%v: exit %d, %q", args, code, out)
		}
	}
	if _, err := os.Stat(data); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("looking at an empty library created %s (%v)", data, err)
	}
}

func TestListFilters(t *testing.T) {
	data := t.TempDir()
	s := openTestStore(t, data)
	now := time.Now()
	recent := seedAt(t, s, "Recent interviewer", interview.ModeInterviewer, interview.StateEnded, now.Add(-48*time.Hour), 30*time.Minute)
	old := seedAt(t, s, "Old candidate", interview.ModeCandidate, interview.StateEnded, now.AddDate(0, 0, -20), 50*time.Minute)
	crashed := seedAt(t, s, "Crashed practice", interview.ModePractice, interview.StateLive, now.Add(-24*time.Hour), 0)
	planned := seedAt(t, s, "Planned interviewer", interview.ModeInterviewer, interview.StatePlanned, now.Add(72*time.Hour), 45*time.Minute)
	// The recent and the planned interview come from one template, the
	// old one from another of a name that differs only in case; only
	// the recent one has a #concern note.
	ctx := context.Background()
	loop := interview.Template{Name: "Backend loop"}
	must(t, s.CreateTemplate(ctx, &loop))
	other := interview.Template{Name: "BACKEND LOOP"}
	must(t, s.CreateTemplate(ctx, &other))
	for id, tpl := range map[int64]int64{recent: loop.ID, planned: loop.ID, old: other.ID} {
		iv, err := s.Interview(ctx, id)
		must(t, err)
		iv.TemplateID = tpl
		must(t, s.UpdateInterview(ctx, &iv))
	}
	n := interview.NewNote(1000, now, "slow on queues #concern")
	n.InterviewID = recent
	must(t, s.AddNote(ctx, &n))

	code, out, errOut := runCLI(t, data, "list")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	rows := tableRows(out)
	if !sameIDs(rows, recent, old, crashed, planned) {
		t.Fatalf("list shows %v:\n%s", keys(rows), out)
	}
	if !strings.HasPrefix(out, "ID ") || !strings.Contains(strings.SplitN(out, "\n", 2)[0], "STATE") {
		t.Errorf("no header line:\n%s", out)
	}
	if !strings.Contains(rows[crashed], "INTERRUPTED") || !strings.Contains(out, "stopped while live") {
		t.Errorf("the interrupted interview is not marked:\n%s", out)
	}
	if !strings.Contains(rows[recent], "30 min") || !strings.Contains(rows[planned], "45 min planned") {
		t.Errorf("lengths: want actual 30 min and 45 min planned:\n%s", out)
	}
	if want := now.Add(-48 * time.Hour).Local().Format("2006-01-02 15:04"); !strings.Contains(rows[recent], want) {
		t.Errorf("row %q lacks the local start time %s", rows[recent], want)
	}
	// Newest first (by when it is filed).
	if strings.Index(out, "Planned") > strings.Index(out, "Recent") || strings.Index(out, "Recent") > strings.Index(out, "Old candidate") {
		t.Errorf("not newest first:\n%s", out)
	}

	tests := []struct {
		args []string
		want []int64
	}{
		{[]string{"-mode", "candidate"}, []int64{old}},
		{[]string{"-mode", "Interviewer"}, []int64{recent, planned}},
		{[]string{"-since", "7d"}, []int64{recent, crashed, planned}},
		{[]string{"-since", "1w"}, []int64{recent, crashed, planned}},
		{[]string{"-since", "36h"}, []int64{crashed, planned}},
		{[]string{"-since", now.AddDate(0, 0, -10).Format("2006-01-02")}, []int64{recent, crashed, planned}},
		{[]string{"-state", "interrupted"}, []int64{crashed}},
		{[]string{"-state", "ended", "-mode", "candidate", "-since", "4w"}, []int64{old}},
		{[]string{"-template", strconv.FormatInt(loop.ID, 10)}, []int64{recent, planned}},
		{[]string{"-template", strconv.FormatInt(other.ID, 10), "-mode", "candidate"}, []int64{old}},
		{[]string{"-tag", "#Concern"}, []int64{recent}},
		{[]string{"-tag", "concern", "-template", strconv.FormatInt(other.ID, 10)}, nil},
	}
	for _, tt := range tests {
		code, out, errOut := runCLI(t, data, append([]string{"list"}, tt.args...)...)
		if got := tableRows(out); code != 0 || !sameIDs(got, tt.want...) {
			t.Errorf("list %v: exit %d, ids %v, want %v\n%s%s", tt.args, code, keys(got), tt.want, out, errOut)
		}
	}

	code, out, _ = runCLI(t, data, "list", "-json", "-mode", "interviewer")
	var entries []struct {
		ID    int64  `json:"id"`
		Title string `json:"title"`
		Mode  string `json:"mode"`
		When  string `json:"when"`
	}
	if err := json.Unmarshal([]byte(out), &entries); code != 0 || err != nil {
		t.Fatalf("-json: exit %d, %v:\n%s", code, err, out)
	}
	if len(entries) != 2 || entries[0].ID != planned || entries[1].ID != recent || entries[1].Title != "Recent interviewer" {
		t.Errorf("-json entries %+v", entries)
	}

	if code, out, _ := runCLI(t, data, "list", "-mode", "practice", "-state", "ended"); code != 0 || !strings.Contains(out, "No interviews match") {
		t.Errorf("no match: exit %d, %q", code, out)
	}
	for _, bad := range [][]string{{"-mode", "boss"}, {"-since", "last tuesday"}, {"-since", "7x"}, {"-state", "done"}, {"extra"},
		{"-tag", "#"}, {"-template", "Frontend"}, {"-template", "backend loop"}} {
		code, _, errOut := runCLI(t, data, append([]string{"list"}, bad...)...)
		if code != 2 || !strings.Contains(errOut, "usage: sidenote list") {
			t.Errorf("list %v: exit %d, stderr %q; want a usage error", bad, code, errOut)
		}
	}
}

func TestParseSince(t *testing.T) {
	loc := time.FixedZone("CET", 3600)
	now := time.Date(2026, 3, 10, 15, 30, 0, 0, loc)
	tests := []struct {
		in   string
		want time.Time
	}{
		{"", time.Time{}},
		{"2026-01-31", time.Date(2026, 1, 31, 0, 0, 0, 0, loc)},
		{"7d", time.Date(2026, 3, 3, 15, 30, 0, 0, loc)},
		{"2w", time.Date(2026, 2, 24, 15, 30, 0, 0, loc)},
		{"36h", now.Add(-36 * time.Hour)},
		{"today", time.Date(2026, 3, 10, 0, 0, 0, 0, loc)},
		{"Yesterday", time.Date(2026, 3, 9, 0, 0, 0, 0, loc)},
	}
	for _, tt := range tests {
		got, err := parseSince(tt.in, now)
		if err != nil || !got.Equal(tt.want) {
			t.Errorf("parseSince(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"d", "-3d", "3", "2026-13-01", "soon"} {
		if _, err := parseSince(bad, now); !errors.Is(err, errUsage) {
			t.Errorf("parseSince(%q) = %v, want a usage error", bad, err)
		}
	}
}

func TestSearch(t *testing.T) {
	data := t.TempDir()
	s := openTestStore(t, data)
	id := seedRich(t, s)
	other := seedAt(t, s, "Practice run", interview.ModePractice, interview.StateEnded, time.Now(), time.Minute)
	must(t, s.AddNote(context.Background(), &interview.Note{InterviewID: other, AtMs: 1000, Text: "a queue of questions"}))

	code, out, errOut := runCLI(t, data, "search", "channels")
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	for _, want := range []string{
		strconv.FormatInt(id, 10) + "  Backend engineer — Åsa Öberg",
		"[03:12]   note       Clear on #«channels» and back-pressure",
		"[1:02:05] transcript I like «channels» in Go, tack",
		"2 matches in 1 interview.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("search output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "\x1b[") {
		t.Errorf("escape codes written to a pipe:\n%q", out)
	}

	// Words are joined; a question is found too, and one never asked
	// shows no time.
	code, out, _ = runCLI(t, data, "search", "salary", "expectations")
	if code != 0 || !strings.Contains(out, "[--:--] question   «Salary» «expectations»?") {
		t.Errorf("question hit: exit %d:\n%s", code, out)
	}
	code, out, _ = runCLI(t, data, "search", "-mode", "practice", "channels")
	if code != 0 || !strings.Contains(out, `No matches for "channels" in the interviews the filters select`) {
		t.Errorf("-mode practice: exit %d:\n%s", code, out)
	}
	code, out, _ = runCLI(t, data, "search", "channels", "-limit", "1")
	if code != 0 || strings.Count(out, "«channels»") != 1 || !strings.Contains(out, "-limit") {
		t.Errorf("-limit 1: exit %d:\n%s", code, out)
	}
	code, out, _ = runCLI(t, data, "search", "-tag", "follow-up", "channels")
	if code != 0 || !strings.Contains(out, "«channels»") {
		t.Errorf("-tag follow-up: exit %d:\n%s", code, out)
	}
	code, out, _ = runCLI(t, data, "search", "-tag", "strength", "queue")
	if code != 0 || strings.Contains(out, "Practice run") || !strings.Contains(out, "Backend") {
		t.Errorf("-tag strength: exit %d:\n%s", code, out)
	}
	code, out, _ = runCLI(t, data, "search", "-since", "7d", "queue")
	if code != 0 || strings.Contains(out, "Backend") || !strings.Contains(out, "Practice run") {
		t.Errorf("-since 7d: exit %d:\n%s", code, out)
	}

	// Anything a user can type is a query: no failure, no error output.
	for _, q := range [][]string{{`"`}, {`*`}, {`AND (`}, {"AND", "("}, {`🎉`}, {`NEAR(a b)`}, {"--", "-channels"},
		{`title:x`}, {`"unclosed`}, {`''`}, {`ö*`}, {"\x00"}, {strings.Repeat("x ", 500)}} {
		code, out, errOut := runCLI(t, data, append([]string{"search"}, q...)...)
		if code != 0 || errOut != "" || out == "" {
			t.Errorf("search %q: exit %d, stdout %q, stderr %q", q, code, out, errOut)
		}
	}
	code, _, errOut = runCLI(t, data, "search", "-channels")
	if code != 2 || !strings.Contains(errOut, "put -- before it") {
		t.Errorf("search -channels: exit %d, %q; want a hint to use --", code, errOut)
	}
	if code, _, errOut := runCLI(t, data, "search"); code != 2 || !strings.Contains(errOut, "usage: sidenote search") {
		t.Errorf("no query: exit %d, %q", code, errOut)
	}
}

func TestSearchMarksBoldOnATerminal(t *testing.T) {
	hits := []store.Hit{{InterviewID: 3, InterviewTitle: "T", Kind: store.KindNote, AtMs: 61_000, Snippet: "a «b» c"}}
	var plain, bold bytes.Buffer
	writeHits(&plain, hits, false)
	writeHits(&bold, hits, true)
	if !strings.Contains(plain.String(), "[01:01] note       a «b» c") {
		t.Errorf("plain: %q", plain.String())
	}
	if !strings.Contains(bold.String(), "a \x1b[1mb\x1b[22m c") || strings.ContainsAny(bold.String(), "«»") {
		t.Errorf("bold: %q", bold.String())
	}
}

func TestShowInTimeOrder(t *testing.T) {
	data := t.TempDir()
	s := openTestStore(t, data)
	id := seedRich(t, s)
	code, out, errOut := runCLI(t, data, "show", strconv.FormatInt(id, 10))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	// In interview time; at the same moment the question comes first,
	// then what was said, then the note typed about it.
	order := []string{
		"Interview " + strconv.FormatInt(id, 10) + ": Backend engineer — Åsa Öberg",
		"With       Åsa Öberg",
		"Ended      2025-03-05 ",
		"Rating     4.0 of 5 on average (1 question rated)",
		"[x] Explain the on-call rota",
		"[00:00]   You: Welcome, can you hear me?",
		"[00:05]   Note: Camera on, good light",
		"[03:12]   Question 1 (rated 4/5, high priority): Design a job queue",
		"          (Solid)",
		"[03:12]   You: Design a job queue, please.",
		"[03:12]   Note: Clear on #channels and back-pressure  #strength  (question 1)",
		"[1:02:05] Them: I like channels in Go, tack",
		"[1:02:05] Note: Ask about notice period  #follow-up",
		"Not asked",
		"2. Salary expectations? (skipped)",
	}
	at := 0
	for _, want := range order {
		i := strings.Index(out[at:], want)
		if i < 0 {
			t.Fatalf("after byte %d, show output lacks %q:\n%s", at, want, out)
		}
		at += i + len(want)
	}
	if code, _, errOut := runCLI(t, data, "show", "x1"); code != 2 || !strings.Contains(errOut, "usage: sidenote show ID") {
		t.Errorf("bad ID: exit %d, %q", code, errOut)
	}
	if code, out, _ := runCLI(t, data, "show", "#"+strconv.FormatInt(id, 10)); code != 0 || !strings.Contains(out, "Timeline") {
		t.Errorf("#ID: exit %d", code)
	}
}

func TestExportEqualsTheExportPackage(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	s := openTestStore(t, data)
	id := seedRich(t, s)
	idArg := strconv.FormatInt(id, 10)
	b, err := s.Load(context.Background(), id)
	must(t, err)
	want := func(f export.Format) string {
		var buf bytes.Buffer
		must(t, export.Write(&buf, f, b, export.Options{}))
		return buf.String()
	}
	for _, f := range export.Formats() {
		code, out, errOut := runCLI(t, data, "export", idArg, "-f", string(f))
		if code != 0 || out != want(f) {
			t.Errorf("-f %s: exit %d (%s); output differs from export.Write:\n%s", f, code, errOut, out)
		}
	}
	if code, out, _ := runCLI(t, data, "export", idArg); code != 0 || out != want(export.Markdown) {
		t.Errorf("default format is not Markdown (exit %d)", code)
	}

	// -o: format from the extension, written whole and private.
	for _, f := range export.Formats() {
		path := filepath.Join(dir, "out"+f.Ext())
		if code, out, errOut := runCLI(t, data, "export", "-o", path, idArg); code != 0 || out != "" {
			t.Fatalf("-o %s: exit %d, stdout %q, stderr %q", path, code, out, errOut)
		}
		got, err := os.ReadFile(path)
		if err != nil || string(got) != want(f) {
			t.Errorf("%s: %v; content differs from export.Write %s", path, err, f)
		}
		if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
			t.Errorf("%s mode %o, want 600", path, fi.Mode().Perm())
		}
	}
	// -f wins over the extension.
	path := filepath.Join(dir, "notes.txt")
	if code, _, _ := runCLI(t, data, "export", idArg, "-o", path, "-f", "json"); code != 0 {
		t.Fatal("export -f json -o notes.txt failed")
	}
	if got, _ := os.ReadFile(path); string(got) != want(export.JSON) {
		t.Error("-f json -o notes.txt did not write JSON")
	}
	// A failure leaves an existing file alone and no temporary behind.
	before, _ := os.ReadFile(path)
	if code, _, errOut := runCLI(t, data, "export", "999", "-o", path); code != 1 || !strings.Contains(errOut, "no interview with ID 999") {
		t.Errorf("missing ID: exit %d, %q", code, errOut)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Error("a failed export changed the existing file")
	}
	if tmps, _ := filepath.Glob(filepath.Join(dir, ".*.tmp")); len(tmps) > 0 {
		t.Errorf("temporary files left: %v", tmps)
	}
	for _, bad := range [][]string{{"-o", filepath.Join(dir, "notes.pdf")}, {"-f", "docx"}, {}} {
		args := append([]string{"export"}, bad...)
		if len(bad) > 0 {
			args = append(args, idArg)
		}
		if code, _, errOut := runCLI(t, data, args...); code != 2 || !strings.Contains(errOut, "usage: sidenote export") {
			t.Errorf("export %v: exit %d, %q", bad, code, errOut)
		}
	}
	code, _, errOut := runCLI(t, data, "export", idArg, "-o", filepath.Join(dir, "no", "such", "x.md"))
	if code != 1 || !strings.Contains(errOut, "the folder "+filepath.Join(dir, "no", "such")+" does not exist") {
		t.Errorf("-o into a missing folder: exit %d, %q", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "notes.pdf")); err == nil {
		t.Error("an unknown extension still wrote a file")
	}
}

// withoutIDs strips what an import may change: the IDs, and recording
// paths (the audio is copied in).
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
		c.Recordings[i].ID, c.Recordings[i].InterviewID, c.Recordings[i].Path = 0, 0, ""
	}
	return &c
}

var importedRe = regexp.MustCompile(`imported as interview (\d+)`)

func TestImportRoundTrip(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	s := openTestStore(t, data)
	id := seedRich(t, s)
	wav := filepath.Join(data, "recordings", "1-you.wav")
	must(t, os.MkdirAll(filepath.Dir(wav), 0o700))
	audiotest.WriteWAV(t, wav, audiotest.Spec{Rate: 16000, Channels: 1, Bits: 16}, audiotest.Sine(16000, 440, 0.3, 1600))
	must(t, s.AddRecording(context.Background(), &interview.Recording{InterviewID: id, Source: interview.SourceYou,
		Path: wav, SampleRate: 16000, Duration: time.Hour}))
	file := filepath.Join(dir, "interview.json")
	if code, _, errOut := runCLI(t, data, "export", strconv.FormatInt(id, 10), "-o", file); code != 0 {
		t.Fatalf("export: exit %d: %s", code, errOut)
	}
	code, out, errOut := runCLI(t, data, "import", file)
	m := importedRe.FindStringSubmatch(out)
	if code != 0 || m == nil {
		t.Fatalf("import: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if !strings.Contains(out, "3 notes, 2 questions, 3 transcript lines and 1 recording") {
		t.Errorf("import does not say what came in: %q", out)
	}
	newID, _ := strconv.ParseInt(m[1], 10, 64)
	if newID == id {
		t.Fatalf("import reused ID %d", id)
	}
	orig, err := s.Load(context.Background(), id)
	must(t, err)
	copied, err := s.Load(context.Background(), newID)
	must(t, err)
	if a, b := withoutIDs(orig), withoutIDs(copied); !reflect.DeepEqual(a, b) {
		t.Errorf("the imported interview differs:\n got %+v\nwant %+v", b, a)
	}
	// Its exports read the same too (they carry no IDs but JSON's).
	for _, f := range []string{"md", "srt", "vtt", "txt"} {
		_, a, _ := runCLI(t, data, "export", strconv.FormatInt(id, 10), "-f", f)
		_, b, _ := runCLI(t, data, "export", m[1], "-f", f)
		if a != b {
			t.Errorf("%s export of the copy differs", f)
		}
	}
}

func TestImportRefusesBadFiles(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	s := openTestStore(t, data)
	id := seedRich(t, s)
	good := filepath.Join(dir, "good.json")
	if code, _, _ := runCLI(t, data, "export", strconv.FormatInt(id, 10), "-o", good); code != 0 {
		t.Fatal("export failed")
	}
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		must(t, os.WriteFile(p, []byte(content), 0o600))
		return p
	}
	tests := []struct {
		name, file, want string
	}{
		{"corrupt", write("cut.json", `{"format":"sidenote-interview","version":1,"interv`), "cut.json is not a Sidenote interview export, or it is damaged"},
		{"newer", write("new.json", `{"format":"sidenote-interview","version":99}`), "new.json: read interview JSON: file is from a newer version of Sidenote (version 99"},
		{"template", write("tpl.json", `{"format":"sidenote-template","version":1,"name":"x","questions":[]}`), "sidenote templates import"},
		{"invalid", write("bad.json", `{"format":"sidenote-interview","version":1,"interview":{"title":"x","mode":"boss","state":"ended"}}`), `mode "boss"`},
		{"missing", filepath.Join(dir, "nope.json"), "no such file"},
		{"two in one", write("two.json", readFile(t, good)+readFile(t, good)), "two.json is not a Sidenote interview export, or it is damaged: read interview JSON: invalid: there is more after the JSON value"},
	}
	for _, tt := range tests {
		// The good file first: a bad file later must stop the whole
		// import before anything is added.
		code, out, errOut := runCLI(t, data, "import", good, tt.file)
		if code != 1 || out != "" || !strings.Contains(errOut, tt.want) || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want one line with %q", tt.name, code, out, errOut, tt.want)
		}
	}
	ivs, err := s.ListInterviews(context.Background(), store.ListOptions{})
	if err != nil || len(ivs) != 1 {
		t.Errorf("after failed imports the library holds %d interviews (%v), want 1", len(ivs), err)
	}
	if code, _, errOut := runCLI(t, data, "import"); code != 2 || !strings.Contains(errOut, "usage: sidenote import") {
		t.Errorf("no file: exit %d, %q", code, errOut)
	}
}

func TestDelete(t *testing.T) {
	data := t.TempDir()
	s := openTestStore(t, data)
	ctx := context.Background()
	id := seedRich(t, s)
	idArg := strconv.FormatInt(id, 10)
	wav := filepath.Join(data, "recordings", idArg+"-you.wav")
	must(t, os.MkdirAll(filepath.Dir(wav), 0o700))
	must(t, os.WriteFile(wav, []byte("RIFF"), 0o600))
	must(t, s.AddRecording(ctx, &interview.Recording{InterviewID: id, Source: interview.SourceYou, Path: wav, SampleRate: 16000}))

	// No terminal and no -y: refuse, exit 2, keep everything.
	code, out, errOut := runCLI(t, data, "delete", idArg)
	if code != 2 || out != "" || !strings.Contains(errOut, "add -y") || !strings.Contains(errOut, "usage: sidenote delete") {
		t.Errorf("without -y: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if _, err := s.Interview(ctx, id); err != nil {
		t.Fatalf("deleted without confirmation: %v", err)
	}

	// At a terminal the user is asked; anything but yes keeps it.
	defer func(f func(io.Reader) bool) { stdinIsTerminal = f }(stdinIsTerminal)
	stdinIsTerminal = func(io.Reader) bool { return true }
	code, out, errOut = runCLIIn(t, data, strings.NewReader("n\n"), "delete", idArg)
	wantQ := `Delete interview ` + idArg + ` "Backend engineer — Åsa Öberg" with 3 notes, 2 questions, 3 transcript lines and 1 recording? This cannot be undone. [y/N] `
	if code != 0 || errOut != wantQ || !strings.Contains(out, "Not deleted") {
		t.Errorf("answer n: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if code, out, _ := runCLIIn(t, data, strings.NewReader(""), "delete", idArg); code != 0 || !strings.Contains(out, "Not deleted") {
		t.Errorf("no answer (EOF): exit %d, %q", code, out)
	}
	if _, err := os.Stat(wav); err != nil {
		t.Fatalf("recording gone after a no: %v", err)
	}
	code, out, _ = runCLIIn(t, data, strings.NewReader("yes\n"), "delete", idArg)
	if code != 0 || !strings.Contains(out, "Deleted interview "+idArg) {
		t.Errorf("answer yes: exit %d, %q", code, out)
	}
	if _, err := s.Interview(ctx, id); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("after yes: %v, want not found", err)
	}
	stdinIsTerminal = func(io.Reader) bool { return false }

	// -y deletes the rows and the recording file.
	id2 := seedRich(t, s)
	wav2 := filepath.Join(data, "recordings", "two.wav")
	must(t, os.WriteFile(wav2, []byte("RIFF"), 0o600))
	must(t, s.AddRecording(ctx, &interview.Recording{InterviewID: id2, Source: interview.SourceThem, Path: wav2, SampleRate: 16000}))
	code, out, errOut = runCLI(t, data, "delete", "-y", strconv.FormatInt(id2, 10))
	if code != 0 || !strings.Contains(out, "Deleted interview") {
		t.Fatalf("delete -y: exit %d, %q %q", code, out, errOut)
	}
	if _, err := s.Load(ctx, id2); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("interview still there: %v", err)
	}
	if _, err := os.Stat(wav2); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("recording file still there: %v", err)
	}
	if hits, _ := s.Search(ctx, "channels", store.SearchOptions{}); len(hits) != 0 {
		t.Errorf("search still finds the deleted interviews: %+v", hits)
	}
	code, _, errOut = runCLI(t, data, "delete", "-y", strconv.FormatInt(id2, 10))
	if code != 1 || errOut != "sidenote delete: no interview with ID "+strconv.FormatInt(id2, 10)+"; run 'sidenote list' to see the IDs\n" {
		t.Errorf("delete again: exit %d, %q", code, errOut)
	}

	// A live interview belongs to the window: not even -y deletes it.
	live := seedAt(t, s, "Live now", interview.ModeInterviewer, interview.StatePlanned, time.Now(), 0)
	_, err := s.SetState(ctx, live, interview.StateLive)
	must(t, err)
	code, _, errOut = runCLI(t, data, "delete", "-y", strconv.FormatInt(live, 10))
	if code != 1 || !strings.Contains(errOut, "end it there first") {
		t.Errorf("live: exit %d, %q", code, errOut)
	}
}

// TestNeverRecovers: reading the library while the window runs an
// interview must leave that interview live.
func TestNeverRecovers(t *testing.T) {
	data := t.TempDir()
	s := openTestStore(t, data)
	ctx := context.Background()
	id := seedRich(t, s)
	live := seedAt(t, s, "Live now", interview.ModeInterviewer, interview.StatePlanned, time.Now(), 0)
	_, err := s.SetState(ctx, live, interview.StateLive)
	must(t, err)
	liveArg := strconv.FormatInt(live, 10)
	for _, args := range [][]string{{"list"}, {"search", "channels"}, {"show", liveArg}, {"export", liveArg},
		{"templates", "list"}, {"import", filepath.Join(data, "missing.json")}, {"delete", "-y", strconv.FormatInt(id, 10)}} {
		runCLI(t, data, args...)
		if iv, err := s.Interview(ctx, live); err != nil || iv.State != interview.StateLive {
			t.Fatalf("after %v the live interview is %s (%v)", args, iv.State, err)
		}
	}
}

// rawDB opens the database file around the store, to break it on purpose.
func rawDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite3", (&url.URL{Scheme: "file", Path: path}).String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestStoreErrorsAreOneLine(t *testing.T) {
	seeded := func(t *testing.T) (data, db string) {
		data = t.TempDir()
		s, err := store.Open(paths.Dirs{Data: data}.Database())
		must(t, err)
		seedRich(t, s)
		must(t, s.Close())
		return data, paths.Dirs{Data: data}.Database()
	}

	t.Run("missing ID", func(t *testing.T) {
		data, _ := seeded(t)
		for _, cmd := range []string{"show", "export", "delete"} {
			code, out, errOut := runCLI(t, data, cmd, "42")
			want := "sidenote " + cmd + ": no interview with ID 42; run 'sidenote list' to see the IDs\n"
			if code != 1 || out != "" || errOut != want {
				t.Errorf("%s 42: exit %d, stdout %q, stderr %q; want %q", cmd, code, out, errOut, want)
			}
		}
		code, _, errOut := runCLI(t, data, "templates", "export", "42")
		if code != 1 || errOut != "sidenote templates: no template with ID 42; run 'sidenote templates list' to see the IDs\n" {
			t.Errorf("templates export 42: exit %d, %q", code, errOut)
		}
	})

	t.Run("corrupt", func(t *testing.T) {
		data, db := seeded(t)
		b, err := os.ReadFile(db)
		must(t, err)
		for i := 100; i < 4096 && i < len(b); i++ { // keep the header, scribble over the schema
			b[i] = 0xA5
		}
		must(t, os.WriteFile(db, b, 0o600))
		for _, args := range [][]string{{"list"}, {"search", "x"}, {"show", "1"}, {"import", filepath.Join(data, "x.json")}} {
			code, out, errOut := runCLI(t, data, args...)
			if args[0] == "import" {
				continue // fails on the missing file first; here only the others matter
			}
			if code != 1 || out != "" || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, "database is damaged") ||
				!strings.Contains(errOut, "restore a backup") {
				t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, errOut)
			}
		}
	})

	t.Run("newer schema", func(t *testing.T) {
		data, db := seeded(t)
		raw := rawDB(t, db)
		if _, err := raw.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'from the future', 0)", store.SchemaVersion()+1); err != nil {
			t.Fatal(err)
		}
		must(t, raw.Close())
		before, _ := os.ReadFile(db)
		for _, args := range [][]string{{"list"}, {"show", "1"}, {"templates", "list"}} {
			code, out, errOut := runCLI(t, data, args...)
			if code != 1 || out != "" || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, "newer version of Sidenote") ||
				!strings.Contains(errOut, "update Sidenote") {
				t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, errOut)
			}
		}
		if after, _ := os.ReadFile(db); !bytes.Equal(before, after) {
			t.Error("the CLI changed a database from a newer Sidenote")
		}
	})

	t.Run("not a database", func(t *testing.T) {
		data := t.TempDir()
		must(t, os.WriteFile(paths.Dirs{Data: data}.Database(), []byte("my notes, not a database\n"), 0o600))
		code, _, errOut := runCLI(t, data, "list")
		if code != 1 || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, "not an SQLite database") {
			t.Errorf("exit %d, %q", code, errOut)
		}
	})
}

// TestLibraryFromFreshShell runs the built binary as a user does: the data
// folder from the environment, stdin not a terminal.
func TestLibraryFromFreshShell(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "sidenote")
	args := []string{"build", "-tags", "sqlite_fts5,migrated_fynedo", "-o", bin}
	if raceEnabled {
		args = append(args, "-race")
	}
	if out, err := exec.Command("go", append(args, ".")...).CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	file := filepath.Join(dir, "in.json")
	must(t, os.WriteFile(file, []byte(`{"format":"sidenote-interview","version":1,
		"interview":{"title":"Hand-written","mode":"candidate","state":"ended"},
		"notes":[{"at_ms":61000,"wall":"2026-03-05T13:01:01Z","text":"mention the migration"}]}`), 0o600))
	sh := func(args ...string) (int, string, string) {
		cmd := exec.Command(bin, args...) // stdin is /dev/null
		cmd.Env = append(os.Environ(), "SIDENOTE_DATA_DIR="+filepath.Join(dir, "data"))
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return code, stdout.String(), stderr.String()
	}
	if code, out, errOut := sh("import", file); code != 0 || !strings.Contains(out, "imported as interview 1") {
		t.Fatalf("import: exit %d, %q %q", code, out, errOut)
	}
	if code, out, _ := sh("search", "migration"); code != 0 || !strings.Contains(out, "[01:01] note       mention the «migration»") {
		t.Errorf("search: exit %d, %q", code, out)
	}
	if code, out, errOut := sh("delete", "1"); code != 2 || out != "" || !strings.Contains(errOut, "add -y") {
		t.Errorf("delete with stdin /dev/null: exit %d, stdout %q, stderr %q; want a refusal", code, out, errOut)
	}
	if code, out, _ := sh("list"); code != 0 || !strings.Contains(out, "Hand-written") {
		t.Errorf("after the refused delete: exit %d, %q", code, out)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	must(t, err)
	return string(b)
}
