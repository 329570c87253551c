package ui

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sidenote-app/sidenote/app/store"
)

// newLibraryFixture is the Review fixture with Deps.Search over the store,
// converted as the wiring does, and a few other interviews around it.
func newLibraryFixture(t *testing.T) *reviewFixture {
	t.Helper()
	rf := newReviewFixture(t)
	st := rf.st
	rf.s.deps.Search = func(ctx context.Context, q string) ([]LibraryHit, error) {
		hits, err := st.Search(ctx, q, store.SearchOptions{Prefix: true})
		if err != nil {
			return nil, err
		}
		out := make([]LibraryHit, len(hits))
		for i, h := range hits {
			out[i] = LibraryHit{InterviewID: h.InterviewID, Title: h.InterviewTitle, Kind: string(h.Kind), AtMs: h.AtMs, Snippet: h.Snippet}
		}
		return out, nil
	}
	sampleInterviews(t, rf.shellFixture)
	return rf
}

// hitButtons are the open buttons of the Library's rows, in order.
func hitButtons(l *library) []*widget.Button {
	var out []*widget.Button
	for _, row := range l.results.Objects {
		c, ok := row.(*fyne.Container)
		if !ok {
			continue
		}
		for _, o := range c.Objects {
			if cc, ok := o.(*fyne.Container); ok && len(cc.Objects) == 1 {
				if b, ok := cc.Objects[0].(*widget.Button); ok {
					out = append(out, b)
				}
			}
		}
	}
	return out
}

func TestLibrarySearchOpensReviewAtHit(t *testing.T) {
	f := newLibraryFixture(t)
	f.s.showHome()
	test.Tap(findButton(f.s.home.content, "Library: all interviews, search"))
	l := f.currentLibrary(t)
	if got := len(hitButtons(l)); got != 4 {
		t.Errorf("%d interviews listed, want 4", got)
	}
	l.mode.SetSelected("Candidate")
	if got := len(hitButtons(l)); got != 1 {
		t.Errorf("%d candidate interviews listed, want 1", got)
	}
	l.mode.SetSelectedIndex(0)

	l.search.SetText("backlog")
	buttons := hitButtons(l)
	if len(buttons) != 1 {
		t.Fatalf("%d hits for backlog, want 1", len(buttons))
	}
	test.Tap(buttons[0])
	r := f.s.rev
	if r == nil || r.b.Interview.ID != f.iv.ID {
		t.Fatal("the hit did not open its interview's Review")
	}
	if got := f.player().lastSeek(); got != 91*time.Second {
		t.Errorf("player at %v, want 1:31 where the hit is", got)
	}
	if got := r.pic.playMs; got != 91_000 {
		t.Errorf("playhead at %d ms, want 91000", got)
	}
	if got, want := r.rowAt(91_000), segmentRow(t, r, 91_000); got != want {
		t.Errorf("timeline row %d for the hit, want %d", got, want)
	}
}

func TestLibraryModeFilterAppliesToHits(t *testing.T) {
	f := newLibraryFixture(t)
	f.s.open(Screen{Kind: "library"})
	l := f.currentLibrary(t)
	l.mode.SetSelected("Practice")
	l.search.SetText("backlog")
	if got := len(hitButtons(l)); got != 0 {
		t.Errorf("%d practice hits for an interviewer interview's words", got)
	}
}

func TestSnippetSegments(t *testing.T) {
	segs := snippetSegments("… the «queue» depth «grew»")
	var texts []string
	var bold []bool
	for _, s := range segs {
		ts := s.(*widget.TextSegment)
		texts = append(texts, ts.Text)
		bold = append(bold, ts.Style.TextStyle.Bold)
	}
	want := []string{"… the ", "queue", " depth ", "grew"}
	if len(texts) != len(want) {
		t.Fatalf("got %q, want %q", texts, want)
	}
	for i := range want {
		if texts[i] != want[i] || bold[i] != (i%2 == 1) {
			t.Errorf("segment %d: got %q bold %v, want %q", i, texts[i], bold[i], want[i])
		}
	}
}

// currentLibrary finds the Library's state through the shell's window.
func (f *reviewFixture) currentLibrary(t *testing.T) *library {
	t.Helper()
	if f.s.lib == nil || f.w.Content() != f.s.lib.content {
		t.Fatal("the Library is not showing")
	}
	return f.s.lib
}

// TestLibraryMarkup pins the Library at 400 × 720 with a search typed.
func TestLibraryMarkup(t *testing.T) {
	f := newLibraryFixture(t)
	f.s.showLibrary()
	f.w.Resize(fyne.NewSize(400, 720))
	test.AssertRendersToMarkup(t, "library_400x720.xml", f.w.Canvas())
	f.s.lib.search.SetText("tests")
	test.AssertRendersToMarkup(t, "library_search_400x720.xml", f.w.Canvas())
}

func TestLibraryScreenshots(t *testing.T) {
	dir := os.Getenv("SIDENOTE_SHOTS")
	if dir == "" {
		t.Skip("set SIDENOTE_SHOTS to a folder to write screenshots")
	}
	for _, q := range []string{"", "tests"} {
		for _, size := range []fyne.Size{fyne.NewSize(400, 720), fyne.NewSize(900, 720)} {
			f := newLibraryFixture(t)
			fyne.CurrentApp().Settings().SetTheme(variantTheme{Theme: theme.DefaultTheme(), variant: theme.VariantLight})
			f.s.showLibrary()
			f.s.lib.search.SetText(q)
			f.w.Resize(size)
			name := "library"
			if q != "" {
				name += "-search"
			}
			writePNG(t, filepath.Join(dir, name+"-"+sizeName(size)+".png"), f.w)
		}
	}
}
