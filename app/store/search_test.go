package store

import (
	"context"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/sidenote-app/sidenote/app/interview"
)

// searchFixture builds a small library with known text.
func searchFixture(t testing.TB) (*Store, map[string]int64) {
	t.Helper()
	s, _ := openTest(t)
	ctx := context.Background()
	ids := map[string]int64{}
	a := mustInterview(t, s, "Anna")
	b := interview.Interview{Title: "Björn", Mode: interview.ModeCandidate}
	if err := s.CreateInterview(ctx, &b); err != nil {
		t.Fatal(err)
	}
	ids["anna"], ids["björn"] = a.ID, b.ID
	notes := map[string]interview.Note{
		"year":    {InterviewID: a.ID, AtMs: 60_000, Text: "Fem år som teamledare"},
		"area":    {InterviewID: a.ID, AtMs: 61_000, Text: "Tomten är tre ar stor"},
		"kubern":  {InterviewID: a.ID, AtMs: 62_000, Text: "Ran Kubernetes clusters in production"},
		"oper":    {InterviewID: b.ID, AtMs: 1_000, Text: "AND NEAR (operators) -minus \"quoted\" *star"},
		"emoji":   {InterviewID: b.ID, AtMs: 2_000, Text: "Great energy 🎉 very positive"},
		"övrigt":  {InterviewID: b.ID, AtMs: 3_000, Text: "ÖVRIGT: Ärlig och ödmjuk"},
		"phrase":  {InterviewID: b.ID, AtMs: 4_000, Text: "needs a follow up on salary"},
		"reverse": {InterviewID: b.ID, AtMs: 5_000, Text: "up follow salary needs"},
	}
	for k, n := range notes {
		if err := s.AddNote(ctx, &n); err != nil {
			t.Fatal(err)
		}
		ids["note:"+k] = n.ID
	}
	segs := []interview.Segment{
		{InterviewID: a.ID, Source: interview.SourceThem, StartMs: 90_000, EndMs: 95_000, Text: "I wrote the kubernetes operator myself"},
		{InterviewID: b.ID, Source: interview.SourceYou, StartMs: 10_000, EndMs: 12_000, Text: "we use postgress"},
	}
	if err := s.AppendSegments(ctx, segs); err != nil {
		t.Fatal(err)
	}
	ids["seg:kube"], ids["seg:pg"] = segs[0].ID, segs[1].ID
	q := interview.Question{InterviewID: a.ID, Text: "Describe your Kubernetes experience", Note: "Deep knowledge"}
	if err := s.AddQuestion(ctx, &q); err != nil {
		t.Fatal(err)
	}
	ids["q:kube"] = q.ID
	return s, ids
}

func hitKeys(hits []Hit) []string {
	var out []string
	for _, h := range hits {
		out = append(out, string(h.Kind)+":"+h.InterviewTitle)
	}
	slices.Sort(out)
	return out
}

func TestSearch(t *testing.T) {
	s, ids := searchFixture(t)
	ctx := context.Background()
	tests := []struct {
		query string
		opts  SearchOptions
		want  int
	}{
		{"kubernetes", SearchOptions{}, 3},
		{"KUBERNETES", SearchOptions{}, 3},
		{"kubernetes", SearchOptions{Kinds: []Kind{KindSegment}}, 1},
		{"kubernetes", SearchOptions{Kinds: []Kind{KindNote, KindQuestion}}, 2},
		{"kubernetes", SearchOptions{InterviewID: ids["björn"]}, 0},
		{"kubernetes", SearchOptions{InterviewID: ids["anna"]}, 3},
		{"kubernetes", SearchOptions{InterviewID: ids["anna"], Offset: 1}, 2},
		{"kubernetes", SearchOptions{InterviewID: ids["anna"], Limit: 1}, 1},
		{"kubernetes", SearchOptions{InterviewID: ids["anna"], Kinds: []Kind{KindSegment}}, 1},
		{"kubernetes", SearchOptions{InterviewID: 999}, 0},
		{"kubernetes", SearchOptions{Mode: interview.ModeInterviewer}, 3},
		{"kubernetes", SearchOptions{Mode: interview.ModeCandidate}, 0},
		{"kubernetes", SearchOptions{Limit: 2}, 2},
		{"kubernetes", SearchOptions{Offset: 2}, 1},
		{"kube", SearchOptions{}, 0},
		{"kube", SearchOptions{Prefix: true}, 3},
		{"kube*", SearchOptions{}, 3},
		{"deep knowledge", SearchOptions{}, 1}, // a question's note
		// Swedish letters are letters of their own.
		{"år", SearchOptions{}, 1},
		{"ar", SearchOptions{}, 1},
		{"ÅR", SearchOptions{}, 1},
		{"övrigt", SearchOptions{}, 1},
		{"ärlig ÖDMJUK", SearchOptions{}, 1},
		{"arlig", SearchOptions{}, 0},
		// Operators are words.
		{"AND", SearchOptions{}, 1},
		{"near", SearchOptions{}, 1},
		{"(operators)", SearchOptions{}, 1},
		{"-minus", SearchOptions{}, 1},
		{`"quoted"`, SearchOptions{}, 1},
		{"*star", SearchOptions{}, 1},
		{"operators AND", SearchOptions{}, 1},
		{"kubernetes NOT production", SearchOptions{}, 0}, // all words must occur
		// Phrases keep their order; loose words do not.
		{`"follow up"`, SearchOptions{}, 1},
		{"follow up", SearchOptions{}, 2},
		{`"follow up`, SearchOptions{}, 1}, // unbalanced quote: phrase to the end
		{"🎉", SearchOptions{}, 0},
		{"🎉 energy", SearchOptions{}, 1},
		{"", SearchOptions{}, 0},
		{"   ", SearchOptions{}, 0},
		{`"`, SearchOptions{}, 0},
		{"*", SearchOptions{}, 0},
		{"postgress", SearchOptions{}, 1},
	}
	for _, tt := range tests {
		hits, err := s.Search(ctx, tt.query, tt.opts)
		if err != nil {
			t.Errorf("Search(%q, %+v): %v", tt.query, tt.opts, err)
			continue
		}
		if len(hits) != tt.want {
			t.Errorf("Search(%q, %+v) = %d hits %v, want %d", tt.query, tt.opts, len(hits), hitKeys(hits), tt.want)
		}
	}
}

func TestSearchHitFields(t *testing.T) {
	s, ids := searchFixture(t)
	ctx := context.Background()
	hits, err := s.Search(ctx, "år", SearchOptions{})
	if err != nil || len(hits) != 1 {
		t.Fatalf("Search(år) = %+v, %v", hits, err)
	}
	h := hits[0]
	if h.Kind != KindNote || h.ID != ids["note:year"] || h.InterviewID != ids["anna"] || h.InterviewTitle != "Anna" ||
		h.AtMs != 60_000 || h.Snippet != "Fem «år» som teamledare" || h.InterviewWhen.IsZero() {
		t.Errorf("hit = %+v", h)
	}
	hits, _ = s.Search(ctx, "kubernetes", SearchOptions{Kinds: []Kind{KindQuestion}})
	if len(hits) != 1 || hits[0].AtMs != -1 || hits[0].ID != ids["q:kube"] {
		t.Errorf("unasked question hit = %+v, want AtMs -1", hits)
	}
	hits, _ = s.Search(ctx, "kubernetes", SearchOptions{Kinds: []Kind{KindSegment}})
	if len(hits) != 1 || hits[0].AtMs != 90_000 || hits[0].Snippet != "I wrote the «kubernetes» operator myself" {
		t.Errorf("segment hit = %+v", hits)
	}
	// Ranked best first: bm25 is non-decreasing down the list.
	hits, _ = s.Search(ctx, "kubernetes", SearchOptions{})
	for i := 1; i < len(hits); i++ {
		if hits[i].Rank < hits[i-1].Rank {
			t.Errorf("hits out of rank order: %v then %v", hits[i-1].Rank, hits[i].Rank)
		}
	}
	if _, err := s.Search(ctx, "x", SearchOptions{Kinds: []Kind{"audio"}}); err == nil {
		t.Error("unknown kind accepted")
	}
}

func TestSearchFollowsEdits(t *testing.T) {
	s, ids := searchFixture(t)
	ctx := context.Background()
	count := func(q string) int {
		t.Helper()
		hits, err := s.Search(ctx, q, SearchOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return len(hits)
	}
	// A corrected segment is found by its correction, not the original.
	if err := s.EditSegment(ctx, ids["seg:pg"], "we use PostgreSQL"); err != nil {
		t.Fatal(err)
	}
	if count("postgress") != 0 || count("postgresql") != 1 {
		t.Errorf("after correction: postgress %d, postgresql %d; want 0, 1", count("postgress"), count("postgresql"))
	}
	if err := s.EditSegment(ctx, ids["seg:pg"], ""); err != nil {
		t.Fatal(err)
	}
	if count("postgress") != 1 || count("postgresql") != 0 {
		t.Errorf("after revert: postgress %d, postgresql %d; want 1, 0", count("postgress"), count("postgresql"))
	}
	// Notes.
	n, err := s.Note(ctx, ids["note:kubern"])
	if err != nil {
		t.Fatal(err)
	}
	n.Edit("Ran Nomad clusters", n.Wall)
	if err := s.UpdateNote(ctx, &n); err != nil {
		t.Fatal(err)
	}
	if count("nomad") != 1 || count("kubernetes") != 2 {
		t.Errorf("after note edit: nomad %d, kubernetes %d; want 1, 2", count("nomad"), count("kubernetes"))
	}
	if err := s.DeleteNote(ctx, n.ID); err != nil {
		t.Fatal(err)
	}
	if count("nomad") != 0 {
		t.Error("deleted note still found")
	}
	// Questions: text, note and asked time.
	q, err := s.Question(ctx, ids["q:kube"])
	if err != nil {
		t.Fatal(err)
	}
	q.Note = "Shallow, knows helm only"
	if err := q.MarkAsked(77_000); err != nil {
		t.Fatal(err)
	}
	if err := s.UpdateQuestion(ctx, &q); err != nil {
		t.Fatal(err)
	}
	hits, _ := s.Search(ctx, "helm", SearchOptions{})
	if len(hits) != 1 || hits[0].AtMs != 77_000 {
		t.Errorf("after question edit: %+v", hits)
	}
	if count("deep") != 0 {
		t.Error("old question note still found")
	}
	if err := s.DeleteSegment(ctx, ids["seg:kube"]); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteQuestion(ctx, q.ID); err != nil {
		t.Fatal(err)
	}
	if count("kubernetes") != 0 || count("helm") != 0 {
		t.Errorf("after deletes: kubernetes %d, helm %d", count("kubernetes"), count("helm"))
	}
	// The index holds exactly one entry per searchable row.
	var idx, rows int
	if err := s.r.QueryRow("SELECT count(*) FROM search_index").Scan(&idx); err != nil {
		t.Fatal(err)
	}
	if err := s.r.QueryRow("SELECT (SELECT count(*) FROM notes) + (SELECT count(*) FROM segments) + (SELECT count(*) FROM questions)").Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if idx != rows {
		t.Errorf("search index has %d entries for %d rows", idx, rows)
	}
	if _, err := s.w.Exec("INSERT INTO search_index(search_index) VALUES ('integrity-check')"); err != nil {
		t.Errorf("FTS integrity check: %v", err)
	}
}

func TestSnippet(t *testing.T) {
	long := "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty"
	tests := []struct {
		body, query string
		prefix      bool
		want        string
	}{
		{"Fem år som teamledare", "år", false, "Fem «år» som teamledare"},
		{"Fem ÅR, år och årtal", "år", false, "Fem «ÅR», «år» och årtal"},
		{"Fem ÅR, år och årtal", "årt", true, "Fem ÅR, år och «årtal»"},
		{"line one\nline  two", "two", false, "line one line «two»"},
		{"needs a follow up", `"follow up"`, false, "needs a «follow» «up»"},
		{long, "one", false, "«one» two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen…"},
		{long, "ten", false, "…five six seven eight nine «ten» eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty"},
		{long, "eight", false, "…four five six seven «eight» nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen…"},
		{"no match here", "zebra", false, "no match here"},
		{"🎉 party!", "party", false, "🎉 «party»!"},
	}
	for _, tt := range tests {
		if got := snippet(tt.body, parseQuery(tt.query, tt.prefix)); got != tt.want {
			t.Errorf("snippet(%q, %q) =\n %q\nwant\n %q", tt.body, tt.query, got, tt.want)
		}
	}
}

func TestMatchExpression(t *testing.T) {
	tests := []struct {
		in     string
		prefix bool
		want   string
	}{
		{"", false, ""},
		{"hello", false, `"hello"`},
		{"hello", true, `"hello"*`},
		{"two words", true, `"two" "words"*`},
		{`say "hi there"`, false, `"say" "hi there"`},
		{`"hi there"*`, false, `"hi there"*`},
		{`a"b`, false, `"a" "b"`},
		{`"unclosed phrase`, false, `"unclosed phrase"`},
		{`""`, false, ""},
		{`x""y`, false, `"x" "y"`},
		{"AND OR NOT", false, `"AND" "OR" "NOT"`},
		{"NEAR(a b)", false, `"NEAR(a" "b)"`},
		{"-x", false, `"-x"`},
		{"body:secret", false, `"body:secret"`},
		{"^start", false, `"^start"`},
		{"***", false, ""},
		{"🎉", false, ""},
		{"år", false, `"år"`},
		{"a\x00b", false, `"a" "b"`},
		{"\xff\xfe", false, ""},
		{"ab", true, `"ab"`}, // too short to be a prefix while typing
		{"abc", true, `"abc"*`},
		{"ab*", false, `"ab"*`},
		{"e-post", true, `"e-post"*`},
	}
	for _, tt := range tests {
		if got := MatchExpression(tt.in, tt.prefix); got != tt.want {
			t.Errorf("MatchExpression(%q, %v) = %q, want %q", tt.in, tt.prefix, got, tt.want)
		}
	}
	long := strings.Repeat("word ", 1000)
	if got := strings.Count(MatchExpression(long, false), `"word"`); got != maxQueryTerms {
		t.Errorf("long query kept %d terms, want %d", got, maxQueryTerms)
	}
}

// FuzzSearchQuery checks the escaping property: no text makes Search fail.
// Run it longer with: go test -tags sqlite_fts5 -run '^$' -fuzz FuzzSearchQuery -fuzztime 30s ./app/store
func FuzzSearchQuery(f *testing.F) {
	for _, seed := range []string{
		"", " ", `"`, `""`, `"a`, `a"`, "*", "a*", "*a", "-", "-a", "a -b", "AND", "a AND", "OR b", "NOT",
		"NEAR", "NEAR(a b, 2)", "(", ")", "(a OR b)", "{a b}: c", "body:x", "^a", "a + b", "a:b:c",
		"🎉", "emoji 🎉 text", "år", "ÅÄÖ åäö", "\x00", "\xff", "'", "a'b", "%", "_", "\\", "\"\"\"",
		"a\u0301", "\u200b", "日本語", "ﬃ", "İstanbul", strings.Repeat("(", 100), strings.Repeat("a ", 200),
	} {
		f.Add(seed, false, false)
		f.Add(seed, true, true)
	}
	s, ids := searchFixture(f)
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, q string, prefix, scoped bool) {
		opts := SearchOptions{Prefix: prefix}
		if scoped {
			opts.InterviewID = ids["anna"]
		}
		hits, err := s.Search(ctx, q, opts)
		if err != nil {
			t.Fatalf("Search(%q, prefix=%v): %v (match %q)", q, prefix, err, MatchExpression(q, prefix))
		}
		for _, h := range hits {
			if !utf8.ValidString(h.Snippet) || h.ID == 0 || h.Kind == "" {
				t.Fatalf("Search(%q): bad hit %+v", q, h)
			}
		}
	})
}
