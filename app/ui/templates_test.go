package ui

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/sidenote-app/sidenote/app/interview"
	"github.com/sidenote-app/sidenote/app/store/export"
)

func storedTemplates(t *testing.T, f *shellFixture) []interview.Template {
	t.Helper()
	ts, err := f.st.Templates(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

func questionTexts(t interview.Template) []string {
	var out []string
	for _, q := range t.Questions {
		out = append(out, q.Text)
	}
	return out
}

func TestTemplateEditorSavesEveryChange(t *testing.T) {
	f := newTestShell(t, nil)
	test.Tap(findButton(f.w.Content(), "Templates"))
	test.Tap(findButton(f.w.Content(), "New template"))
	ts := storedTemplates(t, f)
	if len(ts) != 1 || ts[0].Name != "New template" {
		t.Fatalf("after New template the store holds %+v, want one named New template", ts)
	}
	e := f.s.showTemplate(ts[0].ID)

	e.name.SetText("Backend, first round")
	e.desc.SetText("For the platform team")
	test.Tap(findButton(f.w.Content(), "Add question"))
	if got := storedTemplates(t, f)[0].Questions; len(got) != 0 {
		t.Fatalf("a question without text was stored: %+v", got)
	}
	c := e.cards[0]
	c.text.SetText("Tell me about a system you designed.")
	c.competency.SetText("design")
	c.guidance.SetText("Trade-offs, not buzzwords")
	c.minutes.SetText("2,5")
	test.Tap(findButton(f.w.Content(), "Add question"))
	e.cards[1].text.SetText("How do you review code?")
	test.Tap(findButton(f.w.Content(), "Add question"))
	e.cards[2].text.SetText("Questions for us?")

	got := storedTemplates(t, f)[0]
	if got.Name != "Backend, first round" || got.Description != "For the platform team" {
		t.Errorf("name and description: got %q, %q", got.Name, got.Description)
	}
	q := got.Questions[0]
	if q.Competency != "design" || q.Guidance != "Trade-offs, not buzzwords" || q.Expected != 150*time.Second {
		t.Errorf("first question: got %+v, want design, guidance and 2m30s", q)
	}

	e.cards[0].minutes.SetText("soon")
	if e.cards[0].minutesErr.Hidden {
		t.Error("an unreadable time shows no message")
	}
	if q := storedTemplates(t, f)[0].Questions[0]; q.Expected != 150*time.Second {
		t.Errorf("an unreadable time changed the stored one to %v", q.Expected)
	}

	test.Tap(e.cards[1].up) // "How do you review code?" goes first
	test.Tap(e.cards[1].down)
	want := []string{"How do you review code?", "Questions for us?", "Tell me about a system you designed."}
	if got := questionTexts(storedTemplates(t, f)[0]); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("after up and down: got %q, want %q", got, want)
	}
	if !e.cards[0].up.Disabled() || !e.cards[2].down.Disabled() {
		t.Error("the first question can move up or the last down")
	}

	test.Tap(e.cards[1].remove)
	want = []string{"How do you review code?", "Tell me about a system you designed."}
	got = storedTemplates(t, f)[0]
	if strings.Join(questionTexts(got), "|") != strings.Join(want, "|") {
		t.Errorf("after remove: got %q, want %q", questionTexts(got), want)
	}
	if got.Questions[1].Competency != "design" {
		t.Errorf("the moved question lost its competency: %+v", got.Questions[1])
	}

	e.name.SetText("  ")
	if e.nameErr.Hidden {
		t.Error("a blank name shows no message")
	}
	if got := storedTemplates(t, f)[0].Name; got != "Backend, first round" {
		t.Errorf("a blank name was saved: %q", got)
	}

	e.delete()
	if ts := storedTemplates(t, f); len(ts) != 0 {
		t.Errorf("after delete the store holds %d templates", len(ts))
	}
	if findButton(f.w.Content(), "New template") == nil {
		t.Error("deleting did not go back to the list")
	}
}

func TestTemplateDeleteAsksFirst(t *testing.T) {
	f := newTestShell(t, nil)
	tpl := interview.Template{Name: "Keep me", Questions: []interview.TemplateQuestion{{Text: "Why?"}}}
	if err := f.st.CreateTemplate(context.Background(), &tpl); err != nil {
		t.Fatal(err)
	}
	f.s.showTemplate(tpl.ID)
	test.Tap(findButton(f.w.Content(), "Delete template"))
	if len(storedTemplates(t, f)) != 1 {
		t.Fatal("the template was deleted without asking")
	}
	overlay := f.w.Canvas().Overlays().Top()
	if overlay == nil {
		t.Fatal("no confirmation shown")
	}
	test.Tap(overlayButton(t, overlay, "Yes"))
	if n := len(storedTemplates(t, f)); n != 0 {
		t.Errorf("after confirming, %d templates remain", n)
	}
}

const markdownTemplate = `# Frontend engineer

Second round, with the team lead.

1. Explain how React decides to re-render.
   - Competency: frontend
   - Guidance: props, state, context
   - Time: 5 min
2. How do you test a UI?
   - Tid: 3 min
`

func TestTemplateImportMarkdown(t *testing.T) {
	f := newTestShell(t, nil)
	l := newTemplateList(f.s)
	id, err := l.importFrom(strings.NewReader(markdownTemplate))
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.st.Template(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "Frontend engineer" || got.Description != "Second round, with the team lead." || len(got.Questions) != 2 {
		t.Fatalf("imported %+v", got)
	}
	if q := got.Questions[0]; q.Competency != "frontend" || q.Guidance != "props, state, context" || q.Expected != 5*time.Minute {
		t.Errorf("first question: %+v", q)
	}
	if q := got.Questions[1]; q.Expected != 3*time.Minute {
		t.Errorf("Swedish Tid: got %v, want 3m", q.Expected)
	}

	if _, err := l.importFrom(strings.NewReader("just some prose\n")); err == nil || l.banner.box.Hidden {
		t.Errorf("a file without questions: err %v, banner hidden %v", err, l.banner.box.Hidden)
	}
}

func TestTemplateExportMatchesWriters(t *testing.T) {
	f := newTestShell(t, nil)
	l := newTemplateList(f.s)
	id, err := l.importFrom(strings.NewReader(markdownTemplate))
	if err != nil {
		t.Fatal(err)
	}
	e := f.s.showTemplate(id)
	stored, err := f.st.Template(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		format export.Format
		write  func(w *bytes.Buffer) error
	}{
		{export.JSON, func(w *bytes.Buffer) error { return export.WriteTemplateJSON(w, &stored) }},
		{export.Markdown, func(w *bytes.Buffer) error { return export.WriteTemplateMarkdown(w, &stored) }},
	} {
		var got, want bytes.Buffer
		if err := e.writeTo(&got, c.format); err != nil {
			t.Fatal(err)
		}
		if err := c.write(&want); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("%s export:\ngot  %s\nwant %s", c.format, got.String(), want.String())
		}
	}
	// And it reads back as the same plan.
	var buf bytes.Buffer
	e.writeTo(&buf, export.JSON)
	back, err := export.ReadTemplate(&buf)
	if err != nil || back.Name != stored.Name || len(back.Questions) != len(stored.Questions) {
		t.Errorf("read back: %+v, %v", back, err)
	}
}

func TestFileName(t *testing.T) {
	for in, want := range map[string]string{"Backend / Platform": "Backend - Platform", "  ": "template", `a:b`: "a-b"} {
		if got := fileName(in); got != want {
			t.Errorf("fileName(%q): got %q, want %q", in, got, want)
		}
	}
}

// templateScreens put the window on the Templates list and on the
// editor of a sample plan.
var templateScreens = []struct {
	name  string
	setup func(t *testing.T, f *shellFixture)
}{
	{"templates", func(t *testing.T, f *shellFixture) {
		sampleTemplate(t, f)
		other := interview.Template{Name: "Candidate: my questions", Questions: []interview.TemplateQuestion{{Text: "What does a good first month look like?"}}}
		if err := f.st.CreateTemplate(context.Background(), &other); err != nil {
			t.Fatal(err)
		}
		f.s.showTemplates()
	}},
	{"template", func(t *testing.T, f *shellFixture) { f.s.showTemplate(sampleTemplate(t, f)) }},
}

func sampleTemplate(t *testing.T, f *shellFixture) int64 {
	t.Helper()
	tpl := interview.Template{Name: "Backend engineer, first round", Description: "Same questions, same order, for every candidate.",
		Questions: []interview.TemplateQuestion{
			{Text: "Tell me about a system you designed and what you would change today.", Competency: "design", Guidance: "Trade-offs, not buzzwords", Expected: 10 * time.Minute},
			{Text: "How do you review a colleague's code?", Competency: "collaboration", Expected: 5 * time.Minute},
			{Text: "What questions do you have for us?"},
		}}
	if err := f.st.CreateTemplate(context.Background(), &tpl); err != nil {
		t.Fatal(err)
	}
	return tpl.ID
}

// TestTemplatesMarkup pins the Templates list and editor at 400 × 720.
func TestTemplatesMarkup(t *testing.T) {
	for _, c := range templateScreens {
		t.Run(c.name, func(t *testing.T) {
			f := newTestShell(t, nil)
			c.setup(t, f)
			f.w.Resize(fyne.NewSize(400, 720))
			test.AssertRendersToMarkup(t, c.name+"_400x720.xml", f.w.Canvas())
		})
	}
}

// TestTemplatesScreenshots: SIDENOTE_SHOTS=dir go test -run TemplatesScreenshots.
func TestTemplatesScreenshots(t *testing.T) {
	dir := shotsDir(t)
	for _, c := range templateScreens {
		for _, size := range []fyne.Size{fyne.NewSize(400, 720), fyne.NewSize(900, 720)} {
			t.Run(c.name, func(t *testing.T) {
				f := newTestShell(t, nil)
				applyTheme(fyne.CurrentApp(), ThemeLight)
				c.setup(t, f)
				f.w.Resize(size)
				writePNG(t, filepath.Join(dir, c.name+"-"+sizeName(size)+".png"), f.w)
			})
		}
	}
}

func shotsDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("SIDENOTE_SHOTS")
	if dir == "" {
		t.Skip("set SIDENOTE_SHOTS to a folder to write screenshots")
	}
	return dir
}

// overlayButton finds a button in a dialog, which findButton cannot
// reach: a dialog's buttons live in its renderer.
func overlayButton(t *testing.T, o fyne.CanvasObject, text string) *widget.Button {
	t.Helper()
	for _, c := range test.LaidOutObjects(o) {
		if b, ok := c.(*widget.Button); ok && b.Text == text {
			return b
		}
	}
	t.Fatalf("no %q button in the dialog", text)
	return nil
}

// TestTemplateSaveKeepsNewQuestionIDs: a question added in the editor must
// keep the id the store gave it, so that the next save updates it in place
// instead of replacing it (which would unlink interviews planned from it).
func TestTemplateSaveKeepsNewQuestionIDs(t *testing.T) {
	f := newTestShell(t, nil)
	test.Tap(findButton(f.w.Content(), "Templates"))
	test.Tap(findButton(f.w.Content(), "New template"))
	e := f.s.showTemplate(storedTemplates(t, f)[0].ID)
	test.Tap(findButton(f.w.Content(), "Add question"))
	e.cards[0].text.SetText("How do you test?")
	first := storedTemplates(t, f)[0].Questions[0].ID
	if first == 0 {
		t.Fatal("the new question has no id after saving")
	}
	ctx := context.Background()
	iv := interview.Interview{Title: "Planned from it", Mode: interview.ModeInterviewer, TemplateID: storedTemplates(t, f)[0].ID}
	if err := f.st.CreateInterview(ctx, &iv); err != nil {
		t.Fatal(err)
	}
	e.cards[0].text.SetText("How do you decide what to test?")
	qs, err := f.st.Questions(ctx, iv.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(qs) != 1 || qs[0].TemplateQuestionID != first {
		t.Errorf("after a second edit the planned interview's question is %+v; want it still linked to template question %d", qs, first)
	}
}
