package ui

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"github.com/sidenote-app/sidenote/app/interview"
)

// seedCompare stores a three-question template and three ended
// interviews from it: Anna asked everything, Bo's queue lost the second
// question, Cleo added one of her own. A planned fourth is not compared.
func seedCompare(t *testing.T, f *shellFixture) interview.Template {
	t.Helper()
	ctx := context.Background()
	tpl := interview.Template{Name: "Backend", Questions: []interview.TemplateQuestion{
		{Text: "Tell me about an incident you led.", Competency: "Ownership"},
		{Text: "How do you review code?"},
		{Text: "What would you change here?"},
	}}
	if err := f.st.CreateTemplate(ctx, &tpl); err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("We shed load by pausing retries and the backlog drained. ", 5)
	type plan struct {
		name    string
		day     int
		ratings []int // per template question; -1 removes it from the queue
		added   string
	}
	for _, p := range []plan{
		{"Anna Berg", 12, []int{4, 3, 5}, ""},
		{"Bo Ek", 13, []int{2, -1, 3}, ""},
		{"Cleo Nyström", 14, []int{5, 4, 0}, "Why this team?"},
	} {
		iv := f.create(t, interview.Interview{Title: "Backend: " + p.name, Mode: interview.ModeInterviewer, OtherName: p.name,
			TemplateID: tpl.ID, ScheduledAt: time.Date(2025, 5, p.day, 14, 0, 0, 0, time.Local)})
		b, err := f.st.Load(ctx, iv.ID)
		if err != nil {
			t.Fatal(err)
		}
		at := int64(60_000)
		var segs []interview.Segment
		for i, r := range p.ratings {
			q := b.Questions[i]
			if r < 0 {
				if err := f.st.DeleteQuestion(ctx, q.ID); err != nil {
					t.Fatal(err)
				}
				continue
			}
			q.Status, q.AskedAtMs, q.Rating = interview.QuestionAsked, at, r
			if i == 0 {
				q.Note = "calm under pressure (" + p.name + ")"
			}
			if err := f.st.UpdateQuestion(ctx, &q); err != nil {
				t.Fatal(err)
			}
			text := p.name + " answers question " + string(rune('1'+i)) + "."
			if i == 0 {
				text += " " + long
			}
			segs = append(segs, interview.Segment{InterviewID: iv.ID, Source: interview.SourceThem, StartMs: at + 2000, EndMs: at + 50_000, Text: text, Confidence: 0.9})
			at += 60_000
		}
		if p.added != "" {
			q := interview.Question{InterviewID: iv.ID, Text: p.added, Status: interview.QuestionAsked, AskedAtMs: at, Rating: 3}
			if err := f.st.AddQuestion(ctx, &q); err != nil {
				t.Fatal(err)
			}
			segs = append(segs, interview.Segment{InterviewID: iv.ID, Source: interview.SourceThem, StartMs: at + 2000, EndMs: at + 30_000, Text: "The mission.", Confidence: 0.9})
		}
		if err := f.st.AppendSegments(ctx, segs); err != nil {
			t.Fatal(err)
		}
		for _, to := range []interview.State{interview.StateLive, interview.StateEnded} {
			if _, err := f.st.SetState(ctx, iv.ID, to); err != nil {
				t.Fatal(err)
			}
		}
	}
	f.create(t, interview.Interview{Title: "Backend: Dan", Mode: interview.ModeInterviewer, TemplateID: tpl.ID,
		ScheduledAt: time.Date(2025, 5, 20, 14, 0, 0, 0, time.Local)})
	return tpl
}

func (f *shellFixture) currentCompare(t *testing.T) *compareScreen {
	t.Helper()
	if f.s.cmp == nil || f.w.Content() != f.s.cmp.content {
		t.Fatal("Compare is not showing")
	}
	return f.s.cmp
}

func TestCompareLinesUpThreeInterviews(t *testing.T) {
	f := newTestShell(t, nil)
	seedCompare(t, f)
	f.w.Resize(fyne.NewSize(900, 720))
	f.s.showLibrary()
	b := f.s.lib.compareBtn
	eventually(t, "Compare to be enabled with three interviews from one template", func() bool { return !b.Disabled() })
	test.Tap(b)
	c := f.currentCompare(t)
	if c.view == nil || c.view.narrow {
		t.Fatal("no side-by-side comparison at 900 px")
	}
	cm := c.cmp
	var names []string
	for _, col := range cm.Columns {
		names = append(names, col.OtherName)
	}
	if got := strings.Join(names, ", "); got != "Anna Berg, Bo Ek, Cleo Nyström" {
		t.Errorf("columns %s; the planned interview is not compared and the others run oldest first", got)
	}
	if len(cm.Rows) != 4 || cm.Rows[3].Text != "Why this team?" || cm.Rows[3].TemplatePosition != 0 {
		t.Fatalf("rows %+v, want the template's three then the added one", cm.Rows)
	}

	// The table: a header, then one grid per question, a cell per interview.
	wide := c.body.Objects[len(c.body.Objects)-1].(*fyne.Container).Objects[0].(*fyne.Container)
	var rows []*fyne.Container
	for _, o := range wide.Objects[2:] {
		if g, ok := o.(*fyne.Container); ok {
			rows = append(rows, g)
		}
	}
	if len(rows) != 4 {
		t.Fatalf("%d question rows shown, want 4", len(rows))
	}
	cellText := func(row, col int) string { return strings.Join(labelsUnder(rows[row].Objects[col+1]), "\n") }
	gap := "— not in this interview"
	for _, c := range []struct {
		row, col int
		want     string
	}{
		{0, 0, "★★★★☆ rated 4/5"},
		{0, 0, "calm under pressure (Anna Berg)"},
		{0, 1, "★★☆☆☆ rated 2/5"},
		{0, 2, "★★★★★ rated 5/5"},
		{1, 0, "★★★☆☆ rated 3/5"},
		{1, 1, gap}, // Bo's queue lost it
		{1, 2, "Cleo Nyström answers question 2."},
		{2, 2, "Asked at 03:00"}, // asked, not rated
		{3, 0, gap},
		{3, 1, gap},
		{3, 2, "★★★☆☆ rated 3/5"},
	} {
		if got := cellText(c.row, c.col); !strings.Contains(got, c.want) {
			t.Errorf("row %d, column %d lacks %q:\n%s", c.row, c.col, c.want, got)
		}
	}
	if got := cellText(2, 2); strings.Contains(got, "★") {
		t.Errorf("an unrated answer shows stars:\n%s", got)
	}
	head := strings.Join(labelsUnder(wide.Objects[0]), "\n")
	for _, want := range []string{"Anna Berg", "Average 4.0 · 3 of 4 asked", "Bo Ek", "Average 2.5 · 2 of 4 asked", "Cleo Nyström", "Average 4.0 · 3 of 4 asked"} {
		if !strings.Contains(head, want) {
			t.Errorf("header lacks %q:\n%s", want, head)
		}
	}
	if got := strings.Join(labelsUnder(rows[3].Objects[0]), "\n"); !strings.Contains(got, "Added, not in the template") {
		t.Errorf("the added question is not marked:\n%s", got)
	}

	// A long answer is cut, and "more" shows it all.
	first := rows[0].Objects[1]
	more := findButton(first, "more")
	if more == nil {
		t.Fatal("a long answer has no more button")
	}
	answer := func() string {
		for _, l := range labelsUnder(first) {
			if strings.HasPrefix(l, "Anna Berg answers") {
				return l
			}
		}
		return ""
	}
	if a := answer(); !strings.HasSuffix(a, "…") || len([]rune(a)) > compareAnswerMax+1 {
		t.Errorf("the long answer is not cut: %q", a)
	}
	test.Tap(more)
	if a := answer(); strings.HasSuffix(a, "…") || !strings.HasSuffix(a, "drained.") {
		t.Errorf("more did not show the whole answer: %q", a)
	}
	if more.Text != "less" {
		t.Errorf("the button says %q once open, want less", more.Text)
	}
}

func TestCompareNarrowIsPerQuestion(t *testing.T) {
	f := newTestShell(t, nil)
	tpl := seedCompare(t, f)
	f.s.open(Screen{Kind: "compare", InterviewID: tpl.ID})
	c := f.currentCompare(t)
	if c.view == nil || !c.view.narrow {
		t.Fatal("Compare at 400 px is not the per-question layout")
	}
	sw := c.body.Objects[len(c.body.Objects)-1].(*fyne.Container)
	if sw.Objects[0].Visible() || !sw.Objects[1].Visible() {
		t.Error("the columns show at 400 px")
	}
	labels := labelsUnder(sw.Objects[1])
	// Each question, then every candidate's name and cell under it.
	idx := func(from int, s string) int {
		for i := from; i < len(labels); i++ {
			if strings.Contains(labels[i], s) {
				return i
			}
		}
		t.Fatalf("%q missing after line %d:\n%s", s, from, strings.Join(labels, "\n"))
		return -1
	}
	i := idx(0, "2. How do you review code?")
	i = idx(i, "Anna Berg")
	i = idx(i, "★★★☆☆")
	i = idx(i, "Bo Ek")
	i = idx(i, "— not in this interview")
	i = idx(i, "Cleo Nyström")
	idx(i, "3. What would you change here?")

	h := sw.Size().Height
	f.w.Resize(fyne.NewSize(900, 720))
	settle(t, c, sw)
	if c.view.narrow || !sw.Objects[0].Visible() {
		t.Error("widening the window did not bring the columns")
	}
	if got, want := sw.Size().Height, sw.Objects[0].MinSize().Height; got >= h || got < want {
		t.Errorf("the columns are %v high (blocks were %v, columns need %v)", got, h, want)
	}
	f.w.Resize(fyne.NewSize(400, 720))
	settle(t, c, sw)
	if got, want := sw.Size().Height, sw.Objects[1].MinSize().Height; !c.view.narrow || got < want {
		t.Errorf("narrowed again, the blocks are %v high, need %v", got, want)
	}
}

func TestComparePicksTemplate(t *testing.T) {
	f := newTestShell(t, nil)
	tpl := seedCompare(t, f)
	other := interview.Template{Name: "Design", Questions: []interview.TemplateQuestion{{Text: "Show a project."}}}
	if err := f.st.CreateTemplate(context.Background(), &other); err != nil {
		t.Fatal(err)
	}
	f.s.showLibrary()
	eventually(t, "the Library's Compare button", func() bool { return !f.s.lib.compareBtn.Disabled() })
	test.Tap(f.s.lib.compareBtn)
	c := f.currentCompare(t)
	// The only template with interviews is picked; Design has none.
	if len(c.pick.Options) != 1 || c.tplID != tpl.ID {
		t.Errorf("options %q, showing template %d; want Backend alone, shown", c.pick.Options, c.tplID)
	}
	test.Tap(findButton(c.content, "Library"))
	if f.s.lib == nil {
		t.Error("back did not return to the Library")
	}
}

func TestCompareDisabledWithoutPairs(t *testing.T) {
	f := newTestShell(t, nil)
	sampleInterviews(t, f)
	f.s.showLibrary()
	settleLibrary(t, f.s) // the button is disabled until the list is in
	if !f.s.lib.compareBtn.Disabled() {
		t.Error("Compare is enabled with no template interviews")
	}
}

// TestCompareMarkup pins Compare at 400 × 720.
func TestCompareMarkup(t *testing.T) {
	f := newTestShell(t, nil)
	tpl := seedCompare(t, f)
	f.w.Resize(fyne.NewSize(400, 720))
	f.s.open(Screen{Kind: "compare", InterviewID: tpl.ID})
	test.AssertRendersToMarkup(t, "compare_400x720.xml", f.w.Canvas())
}

func TestCompareScreenshots(t *testing.T) {
	dir := os.Getenv("SIDENOTE_SHOTS")
	if dir == "" {
		t.Skip("set SIDENOTE_SHOTS to a folder to write screenshots")
	}
	for _, size := range []fyne.Size{fyne.NewSize(400, 720), fyne.NewSize(900, 720)} {
		f := newTestShell(t, nil)
		fyne.CurrentApp().Settings().SetTheme(variantTheme{Theme: theme.DefaultTheme(), variant: theme.VariantLight})
		tpl := seedCompare(t, f)
		f.w.Resize(size)
		f.s.open(Screen{Kind: "compare", InterviewID: tpl.ID})
		writePNG(t, filepath.Join(dir, "compare-"+sizeName(size)+".png"), f.w)
	}
}

// TestCompareLayoutSettles opens Compare before the window has a size, as
// the app does at start-up, then widens and narrows the window across the
// width where the columns give way to blocks. Posts to the UI run at once,
// as Fyne's window driver runs fyne.Do before the app runs: the switch
// used to ask for a relayout from inside its Layout, which so laid it out
// again before it had noted its new mode, which switched again, without
// end. Each size must settle in a pass or two, show what its width says,
// be as high as that layout needs and keep one minimum width.
func TestCompareLayoutSettles(t *testing.T) {
	f := newTestShell(t, nil)
	tpl := seedCompare(t, f)
	drainUI()
	nested := inlineUI(t)
	f.w.Resize(fyne.NewSize(0, 0))
	f.s.open(Screen{Kind: "compare", InterviewID: tpl.ID})
	c := f.currentCompare(t)
	sw := c.body.Objects[len(c.body.Objects)-1].(*fyne.Container)
	passes := &countingLayout{inner: sw.Layout}
	sw.Layout = passes
	minWidth := sw.MinSize().Width

	check := func(width float32) {
		t.Helper()
		passes.n = 0
		f.w.Resize(fyne.NewSize(width, 720))
		settle(t, c, sw)
		if *nested > 0 {
			t.Fatalf("at %v px the UI was posted to from inside a UI call %d times: a layout that lays itself out again", width, *nested)
		}
		if passes.n > 10 {
			t.Errorf("at %v px the switch was laid out %d times", width, passes.n)
		}
		size := sw.Size()
		threshold := max(compareWideMin, sw.Objects[0].MinSize().Width)
		if want := size.Width < threshold; c.view.narrow != want {
			t.Errorf("at %v px (the switch %v wide) narrow is %v, want %v", width, size.Width, c.view.narrow, want)
		}
		shown, hidden := sw.Objects[0], sw.Objects[1]
		if c.view.narrow {
			shown, hidden = hidden, shown
		}
		if !shown.Visible() || hidden.Visible() {
			t.Errorf("at %v px the layout shown is not the one the switch chose", width)
		}
		if got, want := size.Height, shown.MinSize().Height; got != want {
			t.Errorf("at %v px the switch is %v high, what it shows needs %v", width, got, want)
		}
		if got := sw.MinSize().Width; got != minWidth {
			t.Errorf("at %v px the minimum width is %v, was %v: it must not follow the layout", width, got, minWidth)
		}
	}
	check(900) // the window comes up
	// The window's width for which the switch gets the threshold.
	edge := 900 - sw.Size().Width + max(compareWideMin, sw.Objects[0].MinSize().Width)
	for _, w := range []float32{400, 900, edge - 1, edge, edge - 0.5, edge + 1, edge - 1, 1200, 420, 900, 400} {
		check(w)
	}
}

// settle lays Compare out again until the switch's size, mode and minimum
// stop changing, as Fyne's window driver does frame after frame (it lays
// out again the parents of whatever's MinSize changed; the test driver
// does not).
func settle(t *testing.T, c *compareScreen, sw *fyne.Container) {
	t.Helper()
	type state struct {
		size, min fyne.Size
		narrow    bool
	}
	now := func() state { return state{sw.Size(), sw.MinSize(), c.view.narrow} }
	for range 4 {
		was := now()
		c.content.Refresh()
		if now() == was {
			return
		}
	}
	t.Fatalf("Compare's layout has not settled after 4 passes: %+v", now())
}

// countingLayout counts the passes of the layout it wraps.
type countingLayout struct {
	inner fyne.Layout
	n     int
}

func (l *countingLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	l.n++
	l.inner.Layout(objs, size)
}

func (l *countingLayout) MinSize(objs []fyne.CanvasObject) fyne.Size { return l.inner.MinSize(objs) }

// inlineUI makes the test goroutine's posts to the UI run at once, as
// Fyne's window driver runs fyne.Do on its goroutine before the app runs;
// other goroutines' posts still queue for drainUI. It returns how many
// posts were made while another ran: past a few deep they are dropped, so
// a layout that keeps laying itself out fails the test instead of hanging
// it.
func inlineUI(t *testing.T) *int {
	t.Helper()
	owner := goroutineID()
	prev := uiThread
	nested, depth := new(int), 0
	uiThread = func(f func()) {
		if goroutineID() != owner {
			prev(f)
			return
		}
		if depth > 0 {
			*nested++
			if depth >= 8 {
				return
			}
		}
		depth++
		defer func() { depth-- }()
		f()
	}
	t.Cleanup(func() { uiThread = prev })
	return nested
}

// goroutineID is the "goroutine N" runtime.Stack starts with.
func goroutineID() string {
	b := make([]byte, 64)
	b = b[:runtime.Stack(b, false)]
	if f := bytes.Fields(b); len(f) > 1 {
		return string(f[1])
	}
	return ""
}
