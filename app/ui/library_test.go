package ui

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sidenote-app/sidenote/app/interview"
	"github.com/sidenote-app/sidenote/app/store"
)

// storeLibrary is the wiring's LibrarySource (cmd/sidenote) over a
// real store, for the tests: the screen must see what the store returns.
type storeLibrary struct{ st *store.Store }

func (l storeLibrary) Interviews(ctx context.Context, f LibraryFilter) ([]interview.Interview, error) {
	return l.st.ListInterviews(ctx, store.ListOptions{Mode: f.Mode, Since: f.Since, Until: f.Until, TemplateID: f.TemplateID, Tag: f.Tag})
}

func (l storeLibrary) Search(ctx context.Context, q string, f LibraryFilter) ([]LibraryHit, error) {
	hits, err := l.st.Search(ctx, q, store.SearchOptions{Mode: f.Mode, Since: f.Since, Until: f.Until, TemplateID: f.TemplateID, Tag: f.Tag, Prefix: true, Limit: LibraryHitLimit + 1})
	out := make([]LibraryHit, len(hits))
	for i, h := range hits {
		out[i] = LibraryHit{InterviewID: h.InterviewID, Title: h.InterviewTitle, Kind: string(h.Kind), AtMs: h.AtMs, Snippet: h.Snippet}
	}
	return out, err
}

func (l storeLibrary) Tags(ctx context.Context) ([]LibraryTag, error) {
	tags, err := l.st.Tags(ctx)
	out := make([]LibraryTag, len(tags))
	for i, t := range tags {
		out[i] = LibraryTag{Tag: t.Tag, Interviews: t.Interviews}
	}
	return out, err
}

// newLibraryFixture is the Review fixture with a few other interviews
// around it.
func newLibraryFixture(t *testing.T) *reviewFixture {
	t.Helper()
	rf := newReviewFixture(t)
	sampleInterviews(t, rf.shellFixture)
	return rf
}

// settleLibrary runs the UI work the Library's queries post until the
// newest answer shows and the filter menus are filled.
func settleLibrary(t *testing.T, s *shell) *library {
	t.Helper()
	eventually(t, "the Library's answer", func() bool {
		return s.lib != nil && s.lib.settled() && len(uiQueue) == 0
	})
	return s.lib
}

// libraryRows are the rows the Library's results would draw, each made
// and filled as the list does for the rows on screen.
func libraryRows(l *library) []fyne.CanvasObject {
	var out []fyne.CanvasObject
	for i := range l.rows() {
		o := newLibraryRow()
		if l.hitList.Visible() {
			l.hitList.UpdateItem(i, o)
		} else {
			l.fillInterview(i, o)
		}
		out = append(out, o)
	}
	return out
}

// hitButtons are the first buttons of the Library's rows, in order: Open,
// Review or Resume for an interview, the arrow for a hit.
func hitButtons(l *library) []*widget.Button {
	var out []*widget.Button
	for _, row := range libraryRows(l) {
		if b := firstButton(row); b != nil {
			out = append(out, b)
		}
	}
	return out
}

// rowButton is the first button labelled text in any row.
func rowButton(l *library, text string) *widget.Button {
	for _, row := range libraryRows(l) {
		if b := findButton(row, text); b != nil {
			return b
		}
	}
	return nil
}

func firstButton(o fyne.CanvasObject) *widget.Button {
	switch v := o.(type) {
	case *widget.Button:
		return v
	case *fyne.Container:
		for _, c := range v.Objects {
			if b := firstButton(c); b != nil {
				return b
			}
		}
	}
	return nil
}

// listed is how many rows the Library shows once the newest answer is in.
func listed(t *testing.T, s *shell) int {
	t.Helper()
	return len(hitButtons(settleLibrary(t, s)))
}

func TestLibrarySearchOpensReviewAtHit(t *testing.T) {
	f := newLibraryFixture(t)
	f.s.showHome()
	test.Tap(findButton(f.s.home.content, "Library: all interviews, search"))
	l := f.currentLibrary(t)
	if got := listed(t, f.s); got != 4 {
		t.Errorf("%d interviews listed, want 4", got)
	}
	if got := l.count.Text; got != "4 interviews" {
		t.Errorf("count %q", got)
	}
	l.mode.SetSelected("Candidate")
	if got := listed(t, f.s); got != 1 {
		t.Errorf("%d candidate interviews listed, want 1", got)
	}
	l.mode.SetSelectedIndex(0)

	l.search.SetText("backlog")
	buttons := hitButtons(settleLibrary(t, f.s))
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
	l := settleLibrary(t, f.s)
	l.mode.SetSelected("Practice")
	l.search.SetText("backlog")
	if got := listed(t, f.s); got != 0 {
		t.Errorf("%d practice hits for an interviewer interview's words", got)
	}
}

// TestLibraryTemplateTagAndDateFilters narrows the list and the hits by
// template, by note tag and by a date range, one at a time and together.
func TestLibraryTemplateTagAndDateFilters(t *testing.T) {
	f := newLibraryFixture(t)
	ctx := context.Background()
	tpl := interview.Template{Name: "Backend loop", Questions: []interview.TemplateQuestion{{Text: "Design a queue."}}}
	if err := f.st.CreateTemplate(ctx, &tpl); err != nil {
		t.Fatal(err)
	}
	// The reviewed interview gets the template and a #concern note about
	// the backlog; an April one gets the template too, with a #strength.
	iv := f.iv
	iv.TemplateID = tpl.ID
	if err := f.st.UpdateInterview(ctx, &iv); err != nil {
		t.Fatal(err)
	}
	april := f.create(t, interview.Interview{Title: "Backend engineer: Per", Mode: interview.ModeInterviewer, TemplateID: tpl.ID,
		ScheduledAt: time.Date(2025, 4, 2, 9, 0, 0, 0, time.Local)})
	f.create(t, interview.Interview{Title: "Phone screen: Lea", Mode: interview.ModeInterviewer, ScheduledAt: testNow.AddDate(0, 0, -3)})
	for _, n := range []interview.Note{
		interview.NewNote(95_000, testNow, "backlog grew under load #concern"),
		interview.NewNote(10_000, testNow, "clear on queues #strength"),
	} {
		n.InterviewID = iv.ID
		if strings.Contains(n.Text, "queues") {
			n.InterviewID = april.ID
		}
		if err := f.st.AddNote(ctx, &n); err != nil {
			t.Fatal(err)
		}
	}

	f.s.showLibrary()
	l := settleLibrary(t, f.s)
	if got := l.tmpl.Options; !slices.Equal(got, []string{"Any template", "Backend loop"}) {
		t.Fatalf("template menu %q", got)
	}
	if got := l.tag.Options; !slices.Equal(got, []string{"Any tag", "#concern (1)", "#strength (1)", "#strong (1)"}) {
		t.Fatalf("tag menu %q", got)
	}
	if got := listed(t, f.s); got != 6 {
		t.Fatalf("%d interviews listed, want 6", got)
	}

	l.tmpl.SetSelected("Backend loop")
	if got := listed(t, f.s); got != 2 {
		t.Errorf("%d interviews from the template, want 2", got)
	}
	l.tag.SetSelected("#strength (1)")
	if got := listed(t, f.s); got != 1 {
		t.Errorf("%d template interviews tagged strength, want 1", got)
	}
	l.search.SetText("backlog")
	if got := listed(t, f.s); got != 0 {
		t.Errorf("%d hits for backlog among interviews tagged strength, want 0", got)
	}
	l.tag.SetSelected("#concern (1)")
	if got := listed(t, f.s); got == 0 {
		t.Error("no hits for backlog in the interview tagged concern")
	}
	l.search.SetText("")
	l.tag.SetSelectedIndex(0)
	l.tmpl.SetSelectedIndex(0)

	// 14 May 2025 alone: the reviewed interview and the interrupted one
	// (both started at testNow) and the one planned that afternoon; not
	// 16 May, not April.
	l.when.SetSelected("Between dates…")
	if !l.rangeBox.Visible() {
		t.Fatal("the date range is hidden after choosing it")
	}
	// The entries report a date once drawn, as they are when shown.
	test.WidgetRenderer(l.from)
	test.WidgetRenderer(l.to)
	from, to := time.Date(2025, 5, 14, 0, 0, 0, 0, time.UTC), time.Date(2025, 5, 14, 0, 0, 0, 0, time.UTC)
	l.from.SetDate(&from)
	l.to.SetDate(&to)
	if got := listed(t, f.s); got != 3 {
		t.Errorf("%d interviews on 14 May, want 3", got)
	}
	l.when.SetSelected("Past 7 days")
	if l.rangeBox.Visible() {
		t.Error("the date range stays shown for a preset")
	}
	// The week before testNow, testNow itself excluded: the phone screen.
	want := 0
	for _, iv := range mustList(t, f.st) {
		if w := iv.When(); !w.Before(testNow.AddDate(0, 0, -7)) && w.Before(testNow) {
			want++
		}
	}
	if got := listed(t, f.s); got != want || want == 0 {
		t.Errorf("%d interviews in the past 7 days, want %d", got, want)
	}
}

func mustList(t *testing.T, st *store.Store) []interview.Interview {
	t.Helper()
	all, err := st.ListInterviews(context.Background(), store.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return all
}

// TestLibraryEndsInterruptedInterview: an interrupted interview is marked
// and offers Resume and End; End asks first, then ends it.
func TestLibraryEndsInterruptedInterview(t *testing.T) {
	f := newLibraryFixture(t)
	f.s.showLibrary()
	l := settleLibrary(t, f.s)
	end := rowButton(l, "End")
	if end == nil || rowButton(l, "Resume") == nil {
		t.Fatal("an interrupted interview must offer Resume and End")
	}
	test.Tap(end)
	overlay := f.w.Canvas().Overlays().Top()
	if overlay == nil {
		t.Fatal("End did not ask first")
	}
	test.Tap(overlayButton(t, overlay, "End"))
	settleLibrary(t, f.s)
	if rowButton(l, "Resume") != nil {
		t.Error("the ended interview still offers Resume")
	}
	for _, iv := range mustList(t, f.st) {
		if iv.State == interview.StateInterrupted {
			t.Errorf("%q is still interrupted", iv.Title)
		}
	}
}

// TestLibraryTypingAsksOnce: keystrokes within the pause are one query,
// and an answer that arrives after a newer question is not shown.
func TestLibraryTypingAsksOnce(t *testing.T) {
	f := newLibraryFixture(t)
	src := &countingLibrary{LibrarySource: f.s.deps.Library}
	f.s.deps.Library = src
	f.s.showLibrary()
	l := settleLibrary(t, f.s)
	before := src.searches.Load()
	for _, q := range []string{"b", "ba", "bac", "back", "backl", "backlo", "backlog"} {
		l.search.SetText(q)
	}
	settleLibrary(t, f.s)
	if got := src.searches.Load() - before; got != 1 {
		t.Errorf("%d searches for one typed word, want 1", got)
	}
	if got := len(hitButtons(l)); got != 1 {
		t.Errorf("%d hits for backlog, want 1", got)
	}
}

type countingLibrary struct {
	LibrarySource
	searches atomic.Int32
}

func (c *countingLibrary) Search(ctx context.Context, q string, f LibraryFilter) ([]LibraryHit, error) {
	c.searches.Add(1)
	return c.LibrarySource.Search(ctx, q, f)
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
	settleLibrary(t, f.s)
	test.AssertRendersToMarkup(t, "library_400x720.xml", f.w.Canvas())
	f.s.lib.search.SetText("tests")
	settleLibrary(t, f.s)
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
			settleLibrary(t, f.s)
			f.w.Resize(size)
			name := "library"
			if q != "" {
				name += "-search"
			}
			writePNG(t, filepath.Join(dir, name+"-"+sizeName(size)+".png"), f.w)
		}
	}
}

// TestLibrarySaysWhenHitsAreCut: past LibraryHitLimit the Library shows
// the best ones and says so, rather than a count that looks complete.
func TestLibrarySaysWhenHitsAreCut(t *testing.T) {
	f := newLibraryFixture(t)
	for i := range LibraryHitLimit + 5 {
		n := interview.NewNote(int64(i)*1000, testNow, "retry storm again")
		n.InterviewID = f.iv.ID
		if err := f.st.AddNote(context.Background(), &n); err != nil {
			t.Fatal(err)
		}
	}
	f.s.showLibrary()
	l := settleLibrary(t, f.s)
	l.search.SetText("storm")
	if got := listed(t, f.s); got != LibraryHitLimit {
		t.Errorf("%d hits shown, want %d", got, LibraryHitLimit)
	}
	if got := l.count.Text; !strings.Contains(got, "best 50") {
		t.Errorf("count %q does not say the hits were cut", got)
	}
	l.search.SetText("backlog")
	if got := listed(t, f.s); got != 1 || l.count.Text != "1 hit" {
		t.Errorf("%d hits, count %q", got, l.count.Text)
	}
}

// TestLibraryRowTapOpens: tapping an ended interview's row opens its
// Review, as its button does; an interrupted one's row does nothing, since
// resuming goes live.
func TestLibraryRowTapOpens(t *testing.T) {
	f := newLibraryFixture(t)
	f.s.showLibrary()
	l := settleLibrary(t, f.s)
	ended, interrupted := -1, -1
	for i, iv := range l.interviews {
		switch iv.State {
		case interview.StateEnded:
			ended = i
		case interview.StateInterrupted:
			interrupted = i
		}
	}
	if ended < 0 || interrupted < 0 {
		t.Fatalf("fixture lacks an ended or an interrupted interview: %+v", l.interviews)
	}
	l.ivList.Select(interrupted)
	if f.s.lib != l {
		t.Fatal("tapping an interrupted interview left the Library")
	}
	want := l.interviews[ended].ID
	l.ivList.Select(ended)
	if f.s.rev == nil || f.s.rev.b.Interview.ID != want {
		t.Fatal("tapping an ended interview did not open its Review")
	}
}
