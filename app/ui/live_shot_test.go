package ui

import (
	"errors"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"github.com/sidenote-app/sidenote/app/interview"
)

// TestLiveScreenshots renders the demo Live screen to PNG files so a
// person can look at it: SIDENOTE_SHOTS=dir go test -run Screenshots.
func TestLiveScreenshots(t *testing.T) {
	dir := os.Getenv("SIDENOTE_SHOTS")
	if dir == "" {
		t.Skip("set SIDENOTE_SHOTS to a folder to write screenshots")
	}
	for _, c := range []struct {
		name    string
		mode    interview.Mode
		size    fyne.Size
		dark    bool
		lang    string
		tab     int
		banners bool
	}{
		{"live-400", interview.ModeInterviewer, fyne.NewSize(400, 720), false, "en", 0, false},
		{"live-900", interview.ModeInterviewer, fyne.NewSize(900, 720), false, "en", 0, false},
		{"live-400-dark-candidate", interview.ModeCandidate, fyne.NewSize(400, 720), true, "en", 0, false},
		{"live-400-sv", interview.ModeInterviewer, fyne.NewSize(400, 720), false, "sv", 0, false},
		{"live-400-transcript", interview.ModeInterviewer, fyne.NewSize(400, 720), false, "en", 1, false},
		{"live-400-banners", interview.ModeInterviewer, fyne.NewSize(400, 720), false, "en", 0, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newTestLiveIn(t, c.lang, DemoBundle(c.mode), func(d *LiveDeps) {
				d.Recording, d.Status = true, TranscriptionRunning
			})
			if c.dark {
				fyne.CurrentApp().Settings().SetTheme(variantTheme{Theme: theme.DefaultTheme(), variant: theme.VariantDark})
			} else {
				fyne.CurrentApp().Settings().SetTheme(variantTheme{Theme: theme.DefaultTheme(), variant: theme.VariantLight})
			}
			f.clock.set(14*time.Minute + 32*time.Second)
			for _, ev := range DemoEvents() {
				f.l.Post(ev)
			}
			drain(100 * time.Millisecond)
			f.l.tick()
			if c.banners {
				f.l.Post(Speaking{Source: interview.SourceYou, Speaking: true})
				drain(100 * time.Millisecond)
				f.l.showError(noteNotSaved(), errors.New("database is read-only: make the data folder writable, or choose another --data-dir"))
			}
			f.l.tabs.SelectIndex(c.tab)
			f.w.Resize(c.size)
			t.Logf("content min size %v", f.l.content.MinSize())
			img := f.w.Canvas().Capture()
			out, err := os.Create(filepath.Join(dir, c.name+".png"))
			if err != nil {
				t.Fatal(err)
			}
			defer out.Close()
			if err := png.Encode(out, img); err != nil {
				t.Fatal(err)
			}
		})
	}
}
