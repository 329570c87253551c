package ui

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/sidenote-app/sidenote/app/interview"
	"github.com/sidenote-app/sidenote/app/store"
)

// BenchmarkStartupToUsableWindow measures what stands between starting the
// app and a window the user can act on: building Home over a library of 200
// interviews (listing them, the model card), laying it out at 420 × 720 and
// rendering one frame. It runs on Fyne's software test renderer, so it
// counts our work, not the GPU's or the window system's.
//
//	go test -tags sqlite_fts5,migrated_fynedo -run '^$' -bench StartupToUsableWindow ./app/ui/
func BenchmarkStartupToUsableWindow(b *testing.B) {
	st, err := store.Open(filepath.Join(b.TempDir(), "sidenote.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	start := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	for i := range 200 {
		iv := interview.Interview{
			Title: fmt.Sprintf("Backend engineer %d", i), OtherName: "Åsa Öberg",
			Mode: interview.ModeInterviewer, ScheduledAt: start.Add(time.Duration(i) * 24 * time.Hour), Length: 45 * time.Minute,
		}
		if err := st.CreateInterview(ctx, &iv); err != nil {
			b.Fatal(err)
		}
	}
	shelf := &fakeShelf{installed: map[string]int64{"base.en": 142 << 20}, def: "base.en"}
	a := test.NewTempApp(b)
	deps := Deps{
		Models: shelf, DataDir: "/data/sidenote", Store: st,
		ListInterviews: func(ctx context.Context) ([]interview.Interview, error) {
			return st.ListInterviews(ctx, store.ListOptions{})
		},
		Now: func() time.Time { return start.Add(100 * 24 * time.Hour) },
	}
	b.ResetTimer()
	for range b.N {
		w := Create(a, deps)
		w.Resize(fyne.NewSize(420, 720))
		drainUI()
		_ = w.Canvas().Capture()
		w.Close()
	}
}

// drainUI runs what workers have posted to the UI so far.
func drainUI() {
	for {
		select {
		case f := <-uiQueue:
			f()
		default:
			return
		}
	}
}
