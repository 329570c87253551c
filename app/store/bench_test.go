package store

// Benchmarks for the store's hot paths. Figures from this machine (2 shared
// cores, ext4, go1.26, SQLite 3.54.1 via go-sqlite3 1.14.53):
//
//	go test -tags sqlite_fts5 -run '^$' -bench . -benchtime 2s ./app/store
//
//	BenchmarkAddNote                      0.30 ms/op   p50 0.27 ms   p99 0.79 ms
//	BenchmarkAppendSegments/batch=1       0.32 ms/op   3,087 segments/s
//	BenchmarkAppendSegments/batch=20      1.04 ms/op   19,176 segments/s
//	BenchmarkLoadTimeline (2 h: 720 segments, 60 notes, 12 questions)
//	                                      1.39 ms/op   792 entries
//	BenchmarkSearch over 1,000 × 60 min (9,005,381 transcript words, 212 MB file),
//	50 hits per query, p50 / p95 in ms:
//	  rare-word                 1.2 /   1.7
//	  planted-word              3.5 /   4.5
//	  mid-word                  6.6 /  10.2
//	  two-words                 9.1 /  14.4
//	  prefix-as-you-type       11.6 /  14.8
//	  common-in-one-interview  22.1 /  24.7
//	  phrase (2 commonest)    120.4 / 124.6
//	  common-word (stop word) 212.9 / 280.3
//	  mixed (all of the above, library-wide)  10.5 / 289.2
//	  rare-word-tag-none        3.9 /   5.4
//	  common-word-tag-none    586   / 812
//	BenchmarkTags over 1,000 interviews × 50 notes (25,000 tagged, 200 tags):
//	  Tags                                17 ms/op    p95 19–28 ms
//	  ListInterviews by the commonest tag 11 ms/op    1,000 interviews
//	  ListInterviews by a mid tag          6.3 ms/op  53 interviews
//	  ListInterviews by template           0.9 ms/op  200 interviews
//
// The -tag-none searches filter by a tag no interview has: every match
// is ranked, read and rejected, as with a Mode that no hit has, so a
// common word costs what ranking all its matches costs and more.
//
// Every commit is fsynced (synchronous=FULL), so AddNote is bounded by the
// disk's flush, not by SQLite. The commonest word matches 344,713 of the
// 402,000 indexed rows (a stop word like "och" or "the"): it is slow
// because bm25 ranks every match. A mid-rank word matches ~10,500 rows,
// a rare one a few hundred; those stay under 15 ms at p95.
//
// The search library (1,000 interviews × 60 min ≈ 9 million words) is
// built on first use and cached in os.TempDir()/sidenote-bench-<version>
// (see storetest.Library); delete that folder to rebuild it.

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/sidenote-app/sidenote/app/interview"
	"github.com/sidenote-app/sidenote/app/store/storetest"
)

// reportLatency adds percentiles of per-operation latency to a benchmark.
func reportLatency(b *testing.B, lat []time.Duration, ps ...float64) {
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	for _, p := range ps {
		i := min(len(lat)-1, int(float64(len(lat))*p/100))
		b.ReportMetric(float64(lat[i].Microseconds())/1000, fmt.Sprintf("p%g-ms", p))
	}
}

func BenchmarkAddNote(b *testing.B) {
	s, _ := openTest(b)
	ctx := context.Background()
	iv := mustInterview(b, s, "bench")
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		n := interview.Note{InterviewID: iv.ID, AtMs: int64(i) * 1000, Text: "Clear answer on #channels and back-pressure"}
		t0 := time.Now()
		if err := s.AddNote(ctx, &n); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t0))
	}
	reportLatency(b, lat, 50, 99)
}

func BenchmarkAppendSegments(b *testing.B) {
	for _, batch := range []int{1, 20} {
		b.Run(fmt.Sprintf("batch=%d", batch), func(b *testing.B) {
			s, _ := openTest(b)
			ctx := context.Background()
			iv := mustInterview(b, s, "bench")
			g := storetest.NewTextGen(1)
			segs := make([]interview.Segment, batch)
			n := 0
			start := time.Now()
			for b.Loop() {
				for j := range segs {
					segs[j] = interview.Segment{InterviewID: iv.ID, Source: interview.SourceThem, StartMs: int64(n) * 5000,
						EndMs: int64(n)*5000 + 4800, Text: g.Sentence(12), Confidence: 0.9}
					n++
				}
				if err := s.AppendSegments(ctx, segs); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n)/time.Since(start).Seconds(), "segments/s")
		})
	}
}

func BenchmarkLoadTimeline(b *testing.B) {
	s, _ := openTest(b)
	ctx := context.Background()
	id, err := s.Import(ctx, storetest.Interview(storetest.NewTextGen(2), "two hours", 2*time.Hour))
	if err != nil {
		b.Fatal(err)
	}
	var entries int
	for b.Loop() {
		bd, err := s.Load(ctx, id)
		if err != nil {
			b.Fatal(err)
		}
		entries = len(bd.Timeline())
	}
	b.ReportMetric(float64(entries), "entries")
}

func BenchmarkSearch(b *testing.B) {
	s := openLibrary(b)
	ctx := context.Background()
	g := storetest.NewTextGen(0)
	w := g.Vocab
	classes := []struct {
		name    string
		queries []string
		opts    SearchOptions
	}{
		// Rank in the Zipf distribution decides how many segments match.
		{"common-word", []string{w[0], w[1], w[2], w[3]}, SearchOptions{}},
		{"mid-word", []string{w[100], w[150], w[200], w[300]}, SearchOptions{}},
		{"rare-word", []string{w[2000], w[2500], w[3000], w[3500]}, SearchOptions{}},
		{"two-words", []string{w[10] + " " + w[50], w[30] + " " + w[400], w[5] + " " + w[1000]}, SearchOptions{}},
		{"phrase", []string{`"` + w[0] + " " + w[1] + `"`, `"` + w[20] + " " + w[40] + `"`}, SearchOptions{}},
		{"prefix-as-you-type", []string{prefix3(w, 100), prefix3(w, 700), prefix3(w, 2000), "kub"}, SearchOptions{Prefix: true}},
		{"planted-word", []string{"kubernetes", "löneanspråk"}, SearchOptions{}},
		{"common-in-one-interview", []string{w[0]}, SearchOptions{InterviewID: 500}},
	}
	// mixed: every query above over the whole library, in turn: the
	// overall p95.
	var mixed []string
	for _, c := range classes[:len(classes)-2] {
		mixed = append(mixed, c.queries...)
	}
	// A tag no interview in the library has: every hit is looked up and
	// rejected, the worst case of the Tag filter (and of Mode alike).
	classes = append(classes, []struct {
		name    string
		queries []string
		opts    SearchOptions
	}{
		{"rare-word-tag-none", []string{w[2000], w[2500], w[3000], w[3500]}, SearchOptions{Tag: "concern"}},
		{"common-word-tag-none", []string{w[0], w[1], w[2], w[3]}, SearchOptions{Tag: "concern"}},
	}...)
	classes = append(classes, struct {
		name    string
		queries []string
		opts    SearchOptions
	}{"mixed", mixed, SearchOptions{Prefix: true}})
	for _, c := range classes {
		b.Run(c.name, func(b *testing.B) {
			lat := make([]time.Duration, 0, b.N)
			hits := 0
			for i := 0; b.Loop(); i++ {
				t0 := time.Now()
				h, err := s.Search(ctx, c.queries[i%len(c.queries)], c.opts)
				if err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(t0))
				hits += len(h)
			}
			reportLatency(b, lat, 50, 95)
			b.ReportMetric(float64(hits)/float64(b.N), "hits/op")
		})
	}
}

// prefix3 is the first three letters of the first word from index i on
// that is longer than that, as typed while searching.
func prefix3(vocab []string, i int) string {
	for ; ; i++ {
		if r := []rune(vocab[i]); len(r) > 3 {
			return string(r[:3])
		}
	}
}

// openLibrary opens the cached synthetic library (storetest.Library),
// building it first when missing.
func openLibrary(b *testing.B) *Store {
	b.Helper()
	path := storetest.Library(b, func(path string) (storetest.Importer, error) { return Open(path) })
	s, err := Open(path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// BenchmarkTags lists the tags of a library of 1,000 interviews × 50 notes
// (half the notes tagged, 1–3 tags each from 200, Zipf-distributed), and
// filters the interview list by a tag and by a template in it.
func BenchmarkTags(b *testing.B) {
	s, _ := openTest(b)
	ctx := context.Background()
	g := storetest.NewTextGen(3)
	tagRng := rand.New(rand.NewPCG(3, 3))
	vocab := append(interview.OneKeyTags(), g.Vocab[1000:1196]...)
	zipf := rand.NewZipf(tagRng, 1.2, 1, uint64(len(vocab)-1))
	var templates []int64
	for i := range 5 {
		tpl := interview.Template{Name: fmt.Sprintf("Template %d", i+1)}
		if err := s.CreateTemplate(ctx, &tpl); err != nil {
			b.Fatal(err)
		}
		templates = append(templates, tpl.ID)
	}
	t0 := time.Now()
	for i := range 1000 {
		start := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Hour)
		bd := &interview.Bundle{Interview: interview.Interview{Title: fmt.Sprintf("Interview %d", i+1),
			Mode: interview.ModeInterviewer, State: interview.StateEnded, StartedAt: start, EndedAt: start.Add(time.Hour),
			TemplateID: templates[i%len(templates)]}}
		for j := range 50 {
			n := interview.Note{AtMs: int64(j) * 60_000, Wall: start, Text: g.Sentence(8)}
			if tagRng.IntN(2) == 0 {
				for range 1 + tagRng.IntN(3) {
					n.Text += " #" + vocab[zipf.Uint64()]
				}
			}
			bd.Notes = append(bd.Notes, n)
		}
		if _, err := s.Import(ctx, bd); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("built 1,000 interviews × 50 notes in %v", time.Since(t0).Round(time.Millisecond))
	all, err := s.Tags(ctx)
	if err != nil {
		b.Fatal(err)
	}
	rare := all[len(all)/2].Tag
	b.Run("Tags", func(b *testing.B) {
		lat := make([]time.Duration, 0, b.N)
		var n int
		for b.Loop() {
			t0 := time.Now()
			tags, err := s.Tags(ctx)
			if err != nil {
				b.Fatal(err)
			}
			lat = append(lat, time.Since(t0))
			n = len(tags)
		}
		reportLatency(b, lat, 50, 95)
		b.ReportMetric(float64(n), "tags")
	})
	for _, c := range []struct {
		name string
		opts ListOptions
	}{
		{"list-by-common-tag", ListOptions{Tag: all[0].Tag}},
		{"list-by-mid-tag", ListOptions{Tag: rare}},
		{"list-by-template", ListOptions{TemplateID: templates[2]}},
		{"list-by-tag-and-template-page", ListOptions{Tag: all[0].Tag, TemplateID: templates[2], Limit: 50}},
	} {
		b.Run(c.name, func(b *testing.B) {
			var n int
			for b.Loop() {
				ivs, err := s.ListInterviews(ctx, c.opts)
				if err != nil {
					b.Fatal(err)
				}
				n = len(ivs)
			}
			b.ReportMetric(float64(n), "interviews")
		})
	}
}
