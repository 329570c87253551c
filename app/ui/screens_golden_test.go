package ui

import (
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"github.com/sidenote-app/sidenote/app/interview"
)

// screenSetups put the window on each screen before Live with sample
// data: two planned interviews and an interrupted one.
var screenSetups = []struct {
	name  string
	setup func(t *testing.T, f *shellFixture)
}{
	{"home", func(t *testing.T, f *shellFixture) { f.s.showHome() }},
	{"new", func(t *testing.T, f *shellFixture) { f.s.showNewInterview() }},
	{"checklist", func(t *testing.T, f *shellFixture) {
		iv := f.create(t, interview.Interview{Title: "Backend engineer: Anna Berg", Mode: interview.ModeInterviewer,
			OtherName: "Anna Berg", ScheduledAt: time.Date(2025, 5, 14, 14, 0, 0, 0, time.Local), RecordingConsent: true})
		f.s.showChecklist(iv.ID)
	}},
}

func sampleInterviews(t *testing.T, f *shellFixture) {
	t.Helper()
	f.create(t, interview.Interview{Title: "Backend engineer: Anna Berg", Mode: interview.ModeInterviewer, OtherName: "Anna Berg",
		ScheduledAt: time.Date(2025, 5, 14, 14, 0, 0, 0, time.Local), Length: 45 * time.Minute})
	f.create(t, interview.Interview{Title: "Acme, product designer", Mode: interview.ModeCandidate, OtherName: "Sara Lind",
		ScheduledAt: time.Date(2025, 5, 16, 10, 30, 0, 0, time.Local), Length: time.Hour})
	iv := f.create(t, interview.Interview{Title: "Platform team: Omar", Mode: interview.ModeInterviewer, OtherName: "Omar Haddad",
		ScheduledAt: time.Date(2025, 5, 12, 15, 0, 0, 0, time.Local)})
	for _, to := range []interview.State{interview.StateLive, interview.StateInterrupted} {
		if _, err := f.st.SetState(t.Context(), iv.ID, to); err != nil {
			t.Fatal(err)
		}
	}
}

// TestScreensMarkup pins Home, New interview and the checklist at
// 400 × 720 in the test theme. On a change that is meant, copy
// testdata/failed/<name> over testdata/<name> and look at the diff.
func TestScreensMarkup(t *testing.T) {
	for _, c := range screenSetups {
		t.Run(c.name, func(t *testing.T) {
			f := newTestShell(t, nil)
			sampleInterviews(t, f)
			c.setup(t, f)
			f.w.Resize(fyne.NewSize(400, 720))
			test.AssertRendersToMarkup(t, c.name+"_400x720.xml", f.w.Canvas())
		})
	}
}

// TestScreensScreenshots renders the screens to PNG files so a person
// can look at them: SIDENOTE_SHOTS=dir go test -run ScreensScreenshots.
func TestScreensScreenshots(t *testing.T) {
	dir := os.Getenv("SIDENOTE_SHOTS")
	if dir == "" {
		t.Skip("set SIDENOTE_SHOTS to a folder to write screenshots")
	}
	for _, c := range screenSetups {
		for _, size := range []fyne.Size{fyne.NewSize(400, 720), fyne.NewSize(900, 720)} {
			for _, noModel := range []bool{false, true} {
				name := c.name
				var shelf *fakeShelf
				if noModel {
					if c.name == "new" {
						continue
					}
					name += "-nomodel"
					shelf = &fakeShelf{installed: map[string]int64{}}
				}
				t.Run(name, func(t *testing.T) {
					f := newTestShell(t, shelf)
					fyne.CurrentApp().Settings().SetTheme(variantTheme{Theme: theme.DefaultTheme(), variant: theme.VariantLight})
					sampleInterviews(t, f)
					c.setup(t, f)
					f.w.Resize(size)
					writePNG(t, filepath.Join(dir, name+"-"+sizeName(size)+".png"), f.w)
				})
			}
		}
	}
}

func sizeName(s fyne.Size) string {
	return map[float32]string{400: "400", 900: "900"}[s.Width]
}

func writePNG(t *testing.T, path string, w fyne.Window) {
	t.Helper()
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	if err := png.Encode(out, w.Canvas().Capture()); err != nil {
		t.Fatal(err)
	}
}
