package ui

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/sidenote-app/sidenote/app/interview"
	"github.com/sidenote-app/sidenote/app/store"
	"github.com/sidenote-app/sidenote/app/store/storetest"
)

// Benchmarks of the review side of the window, from a click to the frame
// that shows its answer: the store read, the screen's computations, the
// widgets, the layout and one frame in Fyne's software renderer. They
// count our work, not the GPU's or the window system's. Run with
//
//	go test -tags sqlite_fts5,migrated_fynedo -run '^$' -bench 'OpenReviewScreen|LibraryScreen' -benchtime 20x ./app/ui/
//
// The library benchmark shares the store benchmark's cached library of
// 1,000 one-hour interviews (storetest.Library; a few minutes to build the
// first time).
//
// Figures from this machine (2 shared cores, go1.26, Fyne 2.8.1):
//
//	BenchmarkOpenReviewScreen (2 h: 720 segments, 60 notes, 12 questions)
//	                                        69 ms/op   27 MB/op
//	BenchmarkLibraryScreen/open (1,000 interviews)      49 ms/op
//	BenchmarkLibraryScreen/search, typed → hits drawn (50 hits), p50 / p95 in ms:
//	  rare-word             57 /  69
//	  mid-word              79 / 101
//	  prefix-as-you-type    88 / 107
//	  common-word          618 / 757   (the store ranks ~345k prefix matches)
//
// Before the changes these measured, the Review took 234 ms and 232 MB
// (every tab built at once, each answer's whole text on the scorecard)
// and the Library 2.3 s to open (a relayout per row added).

// benchShell is a shell in a 900 × 720 test window over st.
func benchShell(b *testing.B, st *store.Store) *shell {
	b.Helper()
	a := test.NewTempApp(b)
	RegisterTranslations()
	w := a.NewWindow("bench")
	s := newShell(w, Deps{
		Models: &fakeShelf{installed: map[string]int64{"base.en": 142 << 20}, def: "base.en"},
		Store:  st, Review: st, Library: storeLibrary{st},
		ListInterviews: func(ctx context.Context) ([]interview.Interview, error) {
			return st.ListInterviews(ctx, store.ListOptions{})
		},
	})
	w.Resize(fyne.NewSize(900, 720))
	b.Cleanup(func() {
		s.close()
		w.Close()
	})
	return s
}

// BenchmarkOpenReviewScreen opens the Review of a 2-hour interview (720
// transcript segments, 60 notes, 12 questions; storetest.Interview) and
// draws its first frame: loading it from SQLite, the activity picture,
// scorecard, talk statistics, the timeline's rows.
func BenchmarkOpenReviewScreen(b *testing.B) {
	st, err := store.Open(filepath.Join(b.TempDir(), "sidenote.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	id, err := st.Import(context.Background(), storetest.Interview(storetest.NewTextGen(2), "Two hours", 2*time.Hour))
	if err != nil {
		b.Fatal(err)
	}
	s := benchShell(b, st)
	b.ReportAllocs()
	for b.Loop() {
		s.showReview(id, -1)
		drainUI()
		if s.rev == nil {
			b.Fatal("the Review did not open")
		}
		_ = s.win.Canvas().Capture()
	}
	b.ReportMetric(float64(len(s.rev.entries)), "rows")
}

// BenchmarkLibraryScreen measures the Library over 1,000 interviews: open
// is the whole list to its first frame; the others are a query typed into
// the search box until its hits are drawn, the pause-in-typing delay left
// out (it is a fixed 180 ms by design). The query classes are the store
// benchmark's: by how common the word is in the library.
func BenchmarkLibraryScreen(b *testing.B) {
	path := storetest.Library(b, func(path string) (storetest.Importer, error) { return store.Open(path) })
	st, err := store.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	s := benchShell(b, st)
	defer func(d time.Duration) { librarySearchDelay = d }(librarySearchDelay)
	librarySearchDelay = 0

	b.Run("open", func(b *testing.B) {
		var n int
		for b.Loop() {
			s.showLibrary()
			waitLibrary(b, s)
			_ = s.win.Canvas().Capture()
			n = s.lib.rows()
		}
		b.ReportMetric(float64(n), "rows")
	})

	w := storetest.NewTextGen(0).Vocab
	s.showLibrary()
	waitLibrary(b, s)
	for _, c := range []struct {
		name    string
		queries []string
	}{
		{"rare-word", []string{w[2000], w[2500], w[3000], w[3500]}},
		{"mid-word", []string{w[100], w[150], w[200], w[300]}},
		{"prefix-as-you-type", []string{prefix3(w, 100), prefix3(w, 700), prefix3(w, 2000), "kub"}},
		{"common-word", []string{w[0], w[1], w[2], w[3]}},
	} {
		b.Run("search/"+c.name, func(b *testing.B) {
			lat := make([]time.Duration, 0, b.N)
			hits := 0
			for i := 0; b.Loop(); i++ {
				t0 := time.Now()
				s.lib.search.SetText(c.queries[i%len(c.queries)])
				waitLibrary(b, s)
				_ = s.win.Canvas().Capture()
				lat = append(lat, time.Since(t0))
				hits += s.lib.rows()
				s.lib.search.SetText("")
				waitLibrary(b, s)
			}
			slices.Sort(lat)
			for _, p := range []float64{50, 95} {
				i := min(len(lat)-1, int(float64(len(lat))*p/100))
				b.ReportMetric(float64(lat[i].Microseconds())/1000, fmt.Sprintf("p%g-ms", p))
			}
			b.ReportMetric(float64(hits)/float64(b.N), "hits/op")
		})
	}
}

// waitLibrary runs what the Library's workers post until its newest
// answer shows.
func waitLibrary(b *testing.B, s *shell) {
	b.Helper()
	deadline := time.After(30 * time.Second)
	for s.lib == nil || !s.lib.settled() {
		select {
		case f := <-uiQueue:
			f()
		case <-deadline:
			b.Fatal("the Library did not answer in 30 s")
		}
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
