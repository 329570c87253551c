package desktop

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/sidenote-app/sidenote/app/interview"
	"github.com/sidenote-app/sidenote/app/store"
	"github.com/sidenote-app/sidenote/app/ui"
)

// TestLibrarySourceFilters: every field of the Library's filter reaches
// the store, for the list and for the search, and hits keep where to open.
func TestLibrarySourceFilters(t *testing.T) {
	st, err := store.Open(filepath.Join(t.TempDir(), "sidenote.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	tpl := interview.Template{Name: "Backend"}
	if err := st.CreateTemplate(ctx, &tpl); err != nil {
		t.Fatal(err)
	}
	may := time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)
	add := func(title string, mode interview.Mode, tplID int64, when time.Time, note string) int64 {
		t.Helper()
		b := &interview.Bundle{Interview: interview.Interview{Title: title, Mode: mode, TemplateID: tplID, ScheduledAt: when, State: interview.StatePlanned}}
		b.Notes = []interview.Note{interview.NewNote(61_000, when, note)}
		id, err := st.Import(ctx, b)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	a := add("Anna", interview.ModeInterviewer, tpl.ID, may, "queue design #strength")
	add("Ben", interview.ModeInterviewer, 0, may.AddDate(0, 1, 0), "queue again #concern")
	add("Cleo", interview.ModeCandidate, 0, may, "queue talk")

	src := librarySource{st}
	for _, c := range []struct {
		name string
		f    ui.LibraryFilter
		want int
	}{
		{"all", ui.LibraryFilter{}, 3},
		{"mode", ui.LibraryFilter{Mode: interview.ModeCandidate}, 1},
		{"template", ui.LibraryFilter{TemplateID: tpl.ID}, 1},
		{"tag", ui.LibraryFilter{Tag: "concern"}, 1},
		{"dates", ui.LibraryFilter{Since: may.AddDate(0, 0, -1), Until: may.AddDate(0, 0, 1)}, 2},
	} {
		ivs, err := src.Interviews(ctx, c.f)
		if err != nil || len(ivs) != c.want {
			t.Errorf("%s: %d interviews, %v; want %d", c.name, len(ivs), err, c.want)
		}
		hits, err := src.Search(ctx, "que", c.f) // a prefix, as typed
		if err != nil || len(hits) != c.want {
			t.Errorf("%s: %d hits, %v; want %d", c.name, len(hits), err, c.want)
		}
	}
	hits, err := src.Search(ctx, "design", ui.LibraryFilter{})
	if err != nil || len(hits) != 1 {
		t.Fatalf("%d hits for design, %v", len(hits), err)
	}
	if h := hits[0]; h.InterviewID != a || h.Kind != "note" || h.AtMs != 61_000 || h.Title != "Anna" {
		t.Errorf("hit %+v", h)
	}
	tags, err := src.Tags(ctx)
	if err != nil || len(tags) != 2 || tags[0].Interviews != 1 {
		t.Errorf("tags %+v, %v", tags, err)
	}
}
