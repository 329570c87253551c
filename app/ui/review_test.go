package ui

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sidenote-app/sidenote/app/interview"
	"github.com/sidenote-app/sidenote/app/store"
	"github.com/sidenote-app/sidenote/app/store/export"
)

// The store satisfies what the Review changes.
var _ ReviewStore = (*store.Store)(nil)

// fakePlayer records what the Review asks of it; report sends a position
// from a goroutine of its own, as the audio callback does.
type fakePlayer struct {
	mu      sync.Mutex
	path    string
	pos     time.Duration
	dur     time.Duration
	playing bool
	speed   float64
	seeks   []time.Duration
	closed  bool
	onPos   func(time.Duration)
}

func (p *fakePlayer) Play() error  { p.mu.Lock(); p.playing = true; p.mu.Unlock(); return nil }
func (p *fakePlayer) Pause() error { p.mu.Lock(); p.playing = false; p.mu.Unlock(); return nil }
func (p *fakePlayer) Seek(d time.Duration) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.pos = d
	p.seeks = append(p.seeks, d)
	return nil
}
func (p *fakePlayer) SetSpeed(s float64) error { p.mu.Lock(); p.speed = s; p.mu.Unlock(); return nil }
func (p *fakePlayer) Position() time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.pos
}
func (p *fakePlayer) Duration() time.Duration { return p.dur }
func (p *fakePlayer) Close() error            { p.mu.Lock(); p.closed = true; p.mu.Unlock(); return nil }

func (p *fakePlayer) lastSeek() time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.seeks) == 0 {
		return -1
	}
	return p.seeks[len(p.seeks)-1]
}

func (p *fakePlayer) report(d time.Duration) {
	done := make(chan struct{})
	go func() { p.onPos(d); close(done) }()
	<-done
}

// reviewFixture is the shell over a store holding one ended interview
// with questions, notes, a transcript and a recording of each side.
type reviewFixture struct {
	*shellFixture
	iv      interview.Interview
	players []*fakePlayer
}

func (f *reviewFixture) player() *fakePlayer { return f.players[len(f.players)-1] }

func newReviewFixture(t *testing.T) *reviewFixture {
	t.Helper()
	rf := &reviewFixture{}
	rf.shellFixture = newTestShell(t, nil, func(d *Deps) {
		d.Review = d.Store.(*store.Store)
		d.OpenPlayer = func(path string, onPos func(time.Duration), onEnd func(error)) (Player, error) {
			p := &fakePlayer{path: path, dur: 5 * time.Minute, speed: 1, onPos: onPos}
			rf.players = append(rf.players, p)
			return p, nil
		}
	})
	rf.iv = seedReview(t, rf.shellFixture)
	return rf
}

// seedReview stores the interview the review tests look at: two asked
// questions at 1:00 and 2:30, one never asked, and the answers between.
func seedReview(t *testing.T, f *shellFixture) interview.Interview {
	t.Helper()
	ctx := context.Background()
	iv := f.create(t, interview.Interview{Title: "Backend engineer: Anna Berg", Mode: interview.ModeInterviewer, OtherName: "Anna Berg",
		ScheduledAt: time.Date(2025, 5, 12, 14, 0, 0, 0, time.Local)})
	qs := []interview.Question{
		{InterviewID: iv.ID, Text: "Tell me about an incident you led.", Status: interview.QuestionAsked, AskedAtMs: 60_000, Rating: 4, Note: "calm, clear"},
		{InterviewID: iv.ID, Text: "How do you review code?", Status: interview.QuestionAsked, AskedAtMs: 150_000, Rating: 3},
		{InterviewID: iv.ID, Text: "What would you change here?"},
	}
	for i := range qs {
		if err := f.st.AddQuestion(ctx, &qs[i]); err != nil {
			t.Fatal(err)
		}
	}
	seg := func(src interview.Source, s, e int, text string) interview.Segment {
		return interview.Segment{InterviewID: iv.ID, Source: src, StartMs: int64(s) * 1000, EndMs: int64(e) * 1000, Text: text, Confidence: 0.9}
	}
	segs := []interview.Segment{
		seg(interview.SourceYou, 5, 12, "Thanks for joining, let's start."),
		seg(interview.SourceYou, 60, 64, "Tell me about an incident you led."),
		seg(interview.SourceThem, 65, 90, "Our payment webhooks timed out during a partner sale."),
		seg(interview.SourceThem, 91, 120, "We shed load by pausing retries and the backlog drained."),
		seg(interview.SourceYou, 150, 153, "How do you review code?"),
		seg(interview.SourceThem, 155, 200, "I read the tests first, then the cube nettes change."),
	}
	if err := f.st.AppendSegments(ctx, segs); err != nil {
		t.Fatal(err)
	}
	for _, n := range []interview.Note{
		interview.NewNote(70_000, testNow, "good ownership #strong"),
		interview.NewNote(170_000, testNow, "tests first"),
	} {
		n.InterviewID = iv.ID
		if err := f.st.AddNote(ctx, &n); err != nil {
			t.Fatal(err)
		}
	}
	for _, src := range []interview.Source{interview.SourceYou, interview.SourceThem} {
		rec := interview.Recording{InterviewID: iv.ID, Source: src, Path: "/rec/" + string(src) + ".wav", SampleRate: 16000, Duration: 5 * time.Minute}
		if err := f.st.AddRecording(ctx, &rec); err != nil {
			t.Fatal(err)
		}
	}
	for _, to := range []interview.State{interview.StateLive, interview.StateEnded} {
		if _, err := f.st.SetState(ctx, iv.ID, to); err != nil {
			t.Fatal(err)
		}
	}
	return f.interview(t, iv.ID)
}

// segmentRow is the timeline row of the segment starting at atMs.
func segmentRow(t *testing.T, r *review, atMs int64) int {
	t.Helper()
	for row, e := range r.entries {
		if e.Kind == interview.EntrySegment && e.AtMs == atMs {
			return row
		}
	}
	t.Fatalf("no segment at %d ms", atMs)
	return -1
}

func TestReviewOpensFromHome(t *testing.T) {
	f := newReviewFixture(t)
	f.s.showHome()
	b := findButton(f.s.home.recent, "Review")
	if b == nil {
		t.Fatal("no Review button in Recent")
	}
	test.Tap(b)
	if f.s.rev == nil || f.w.Content() != f.s.rev.content {
		t.Fatal("Review did not open")
	}
	if got := f.s.rev.b.Interview.ID; got != f.iv.ID {
		t.Errorf("opened interview %d, want %d", got, f.iv.ID)
	}
	// The answerer (Them, when interviewing) is played first.
	if got := f.player().path; got != "/rec/them.wav" {
		t.Errorf("playing %s, want the other side's recording", got)
	}
	f.s.showHome()
	if !f.player().closed {
		t.Error("leaving the Review did not close the player")
	}
}

func TestReviewTapSeeks(t *testing.T) {
	f := newReviewFixture(t)
	f.s.open(Screen{Kind: "review", InterviewID: f.iv.ID})
	r := f.s.rev
	r.list.OnSelected(segmentRow(t, r, 91_000))
	if got := f.player().lastSeek(); got != 91*time.Second {
		t.Errorf("a tap on the line at 1:31 seeked to %v", got)
	}
	// The picture: a tap halfway across is halfway through.
	r.pic.Tapped(&fyne.PointEvent{Position: fyne.NewPos(r.pic.Size().Width/2, 10)})
	want := time.Duration(r.pic.pic.LengthMs/2) * time.Millisecond
	if got := f.player().lastSeek(); got < want-time.Second || got > want+time.Second {
		t.Errorf("a tap mid-picture seeked to %v, want about %v", got, want)
	}
	// Playing highlights the line under the playhead.
	f.player().report(100 * time.Second)
	want91 := segmentRow(t, r, 91_000)
	eventually(t, "the line at 1:31 highlighted", func() bool { return r.current == want91 })
	if got := r.play.pos.Text; got != "01:40" {
		t.Errorf("position label %q at 1:40", got)
	}
	test.Tap(r.play.playBtn)
	if !f.player().playing {
		t.Error("play did not play")
	}
	r.play.speed.SetSelectedIndex(2)
	if f.player().speed != 2 {
		t.Errorf("speed %v, want 2", f.player().speed)
	}
}

// A resumed interview's second part plays at its place on the timeline:
// seeking past the first part opens the second at the right moment, and
// its positions read as interview time.
func TestReviewPlaysResumedPartsOnOneTimeline(t *testing.T) {
	f := newReviewFixture(t)
	part2 := interview.Recording{InterviewID: f.iv.ID, Source: interview.SourceThem, Path: "/rec/them-2.wav",
		SampleRate: 16000, Duration: 2 * time.Minute, Offset: 5 * time.Minute}
	if err := f.st.AddRecording(context.Background(), &part2); err != nil {
		t.Fatal(err)
	}
	f.s.open(Screen{Kind: "review", InterviewID: f.iv.ID})
	r := f.s.rev
	if f.player().path != "/rec/them.wav" {
		t.Fatalf("opened %s first, want the answerer's first part", f.player().path)
	}
	r.play.seek(6*60_000 + 10_000)
	if p := f.player(); p.path != "/rec/them-2.wav" || p.lastSeek() != 70*time.Second {
		t.Errorf("seek to 6:10 opened %s at %v, want them-2.wav at 1:10", p.path, p.lastSeek())
	}
	f.player().report(75 * time.Second)
	eventually(t, "the interview time shown", func() bool { return r.play.pos.Text == "06:15" })
	r.play.seek(30_000)
	if p := f.player(); p.path != "/rec/them.wav" || p.lastSeek() != 30*time.Second {
		t.Errorf("seek back to 0:30 opened %s at %v", p.path, p.lastSeek())
	}
}

func TestReviewCorrectionIsSearchable(t *testing.T) {
	f := newReviewFixture(t)
	f.s.showReview(f.iv.ID, -1)
	r := f.s.rev
	row := segmentRow(t, r, 155_000)
	r.list.OnSelected(row)
	if r.editBox.Hidden || r.editEntry.Text != "I read the tests first, then the cube nettes change." {
		t.Fatalf("the correction box shows %q (hidden %v)", r.editEntry.Text, r.editBox.Hidden)
	}
	r.editEntry.SetText("I read the tests first, then the Kubernetes change.")
	r.editEntry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if !r.editBox.Hidden {
		t.Error("the correction box stayed open after saving")
	}
	hits, err := f.st.Search(context.Background(), "Kubernetes", store.SearchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) != 1 || hits[0].InterviewID != f.iv.ID || hits[0].AtMs != 155_000 {
		t.Fatalf("search for the correction: got %+v", hits)
	}
	b, err := f.st.Load(context.Background(), f.iv.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range b.Segments {
		if s.StartMs == 155_000 && (s.Text != "I read the tests first, then the cube nettes change." || s.EditedText == "") {
			t.Errorf("stored segment: text %q, correction %q; want the original kept beside the correction", s.Text, s.EditedText)
		}
	}
	// The timeline shows the correction and search within finds it.
	r.search.SetText("kubernetes")
	if r.hitLabel.Text != "1/1" {
		t.Errorf("search within: %q", r.hitLabel.Text)
	}
}

// labelsUnder lists the text of every label under o.
func labelsUnder(o fyne.CanvasObject) []string {
	var out []string
	switch v := o.(type) {
	case *widget.Label:
		out = append(out, v.Text)
	case *fyne.Container:
		for _, c := range v.Objects {
			out = append(out, labelsUnder(c)...)
		}
	case *container.Scroll:
		out = append(out, labelsUnder(v.Content)...)
	}
	return out
}

func TestReviewScorecardAnswers(t *testing.T) {
	f := newReviewFixture(t)
	f.s.showReview(f.iv.ID, -1)
	f.s.rev.tabs.SelectIndex(1)
	labels := strings.Join(labelsUnder(f.s.rev.tabs.Items[1].Content), "\n")
	for _, want := range []string{
		"1. Tell me about an incident you led.",
		"Asked at 01:00 · 2 min · rated 4/5",
		// The first answer runs to the second question; its own words
		// (asked by You) are not the answer.
		"Our payment webhooks timed out during a partner sale. We shed load by pausing retries and the backlog drained.",
		"Asked at 02:30",
		"3. What would you change here?",
		"Not asked",
	} {
		if !strings.Contains(labels, want) {
			t.Errorf("scorecard lacks %q:\n%s", want, labels)
		}
	}
	if strings.Contains(labels, "webhooks timed out during a partner sale. We shed load by pausing retries and the backlog drained. I read") {
		t.Error("the second answer ran into the first")
	}
}

func TestReviewVerdictSaved(t *testing.T) {
	f := newReviewFixture(t)
	f.s.showReview(f.iv.ID, -1)
	f.s.rev.tabs.SelectIndex(1)
	form := f.s.rev.tabs.Items[1].Content.(*container.Scroll).Content.(*fyne.Container).Objects[0].(*fyne.Container)
	v := form.Objects[len(form.Objects)-1].(*fyne.Container)
	fm := v.Objects[1].(*widget.Form)
	fm.Items[0].Widget.(*widget.Select).SetSelectedIndex(4)
	fm.Items[1].Widget.(*widget.Select).SetSelected("Yes")
	v.Objects[2].(*widget.Entry).SetText("Owns incidents; reviews carefully.")
	test.Tap(v.Objects[3].(*fyne.Container).Objects[0].(*widget.Button))
	got := f.interview(t, f.iv.ID).Verdict
	want := interview.Verdict{Rating: 4, Recommendation: interview.RecommendYes, Summary: "Owns incidents; reviews carefully."}
	if got != want {
		t.Errorf("verdict %+v, want %+v", got, want)
	}
}

func TestReviewExport(t *testing.T) {
	f := newReviewFixture(t)
	f.s.showReview(f.iv.ID, -1)
	b, err := f.st.Load(context.Background(), f.iv.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, fm := range export.Formats() {
		var got, want bytes.Buffer
		if err := f.s.rev.writeExport(&got, fm); err != nil {
			t.Fatal(err)
		}
		if err := export.Write(&want, fm, b, export.Options{}); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("%s export differs from export.Write:\n%s", fm, got.String())
		}
	}
	f.s.rev.copyTranscript()
	if got := fyne.CurrentApp().Clipboard().Content(); !strings.Contains(got, "partner sale") {
		t.Errorf("clipboard holds %q", got)
	}
}

func TestReviewDelete(t *testing.T) {
	f := newReviewFixture(t)
	f.s.showReview(f.iv.ID, -1)
	f.s.rev.delete()
	if f.w.Content() != f.s.home.content {
		t.Error("deleting did not go back to Home")
	}
	if _, err := f.st.Interview(context.Background(), f.iv.ID); err == nil {
		t.Error("the interview is still stored")
	}
}

// TestReviewMarkup pins the Review at 400 × 720. On a change that is
// meant, copy testdata/failed/review_400x720.xml over the golden and look
// at the diff.
func TestReviewMarkup(t *testing.T) {
	f := newReviewFixture(t)
	f.s.showReview(f.iv.ID, -1)
	f.w.Resize(fyne.NewSize(400, 720))
	test.AssertRendersToMarkup(t, "review_400x720.xml", f.w.Canvas())
}

// TestReviewScreenshots renders the Review's tabs to PNG files:
// SIDENOTE_SHOTS=dir go test -run ReviewScreenshots.
func TestReviewScreenshots(t *testing.T) {
	dir := os.Getenv("SIDENOTE_SHOTS")
	if dir == "" {
		t.Skip("set SIDENOTE_SHOTS to a folder to write screenshots")
	}
	for tab, name := range []string{"review", "review-scorecard", "review-stats", "review-export"} {
		for _, size := range []fyne.Size{fyne.NewSize(400, 720), fyne.NewSize(900, 720)} {
			t.Run(name, func(t *testing.T) {
				f := newReviewFixture(t)
				fyne.CurrentApp().Settings().SetTheme(variantTheme{Theme: theme.DefaultTheme(), variant: theme.VariantLight})
				f.s.showReview(f.iv.ID, -1)
				f.w.Resize(size)
				f.s.rev.tabs.SelectIndex(tab)
				f.player().report(100 * time.Second)
				eventually(t, "the playhead", func() bool { return f.s.rev.current >= 0 })
				writePNG(t, filepath.Join(dir, name+"-"+sizeName(size)+".png"), f.w)
			})
		}
	}
}

func TestReviewStatsConsistency(t *testing.T) {
	f := newReviewFixture(t)
	ctx := context.Background()
	tpl := interview.Template{Name: "Backend", Questions: []interview.TemplateQuestion{
		{Text: "Tell me about an incident you led."}, {Text: "How do you review code?"}, {Text: "What would you change here?"},
	}}
	if err := f.st.CreateTemplate(ctx, &tpl); err != nil {
		t.Fatal(err)
	}
	iv := f.create(t, interview.Interview{Title: "From the template", Mode: interview.ModeInterviewer, TemplateID: tpl.ID})
	b, err := f.st.Load(ctx, iv.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Questions) != 3 {
		t.Fatalf("%d questions copied from the template, want 3", len(b.Questions))
	}
	// The second planned question first, then the first; the third skipped.
	for i, change := range []func(*interview.Question){
		func(q *interview.Question) { q.Status, q.AskedAtMs = interview.QuestionAsked, 20_000 },
		func(q *interview.Question) { q.Status, q.AskedAtMs = interview.QuestionAsked, 10_000 },
		func(q *interview.Question) { q.Status = interview.QuestionSkipped },
	} {
		change(&b.Questions[i])
		if err := f.st.UpdateQuestion(ctx, &b.Questions[i]); err != nil {
			t.Fatal(err)
		}
	}
	for _, to := range []interview.State{interview.StateLive, interview.StateEnded} {
		if _, err := f.st.SetState(ctx, iv.ID, to); err != nil {
			t.Fatal(err)
		}
	}
	f.s.showReview(iv.ID, -1)
	f.s.rev.tabs.SelectIndex(2)
	labels := strings.Join(labelsUnder(f.s.rev.tabs.Items[2].Content), "\n")
	for _, want := range []string{"2 of 3 asked, 1 skipped", "Against the template (3 planned): 1 skipped, 0 added, 1 out of order."} {
		if !strings.Contains(labels, want) {
			t.Errorf("stats lack %q:\n%s", want, labels)
		}
	}
}
