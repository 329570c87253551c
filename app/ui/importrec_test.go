package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"github.com/sidenote-app/sidenote/app/interview"
)

// fakeImport stands in for the wiring's transcription: it reports
// progress, then waits for the test to say how it ends (or for Cancel).
type fakeImport struct {
	mu          sync.Mutex
	path, title string
	mode        interview.Mode
	calls       int
	ctxDone     bool
	end         chan importEnd
}

type importEnd struct {
	id  int64
	err error
}

func (fi *fakeImport) run(ctx context.Context, path, title string, mode interview.Mode, progress func(done, total time.Duration)) (int64, error) {
	fi.mu.Lock()
	fi.path, fi.title, fi.mode = path, title, mode
	fi.calls++
	fi.mu.Unlock()
	for s := 0; s <= 30; s++ {
		progress(time.Duration(s)*time.Second, 2*time.Minute) // only the newest reaches the screen
	}
	select {
	case e := <-fi.end:
		return e.id, e.err
	case <-ctx.Done():
		fi.mu.Lock()
		fi.ctxDone = true
		fi.mu.Unlock()
		return 0, ctx.Err()
	}
}

func (fi *fakeImport) args() (string, string, interview.Mode, int, bool) {
	fi.mu.Lock()
	defer fi.mu.Unlock()
	return fi.path, fi.title, fi.mode, fi.calls, fi.ctxDone
}

func newImportFixture(t *testing.T) (*reviewFixture, *fakeImport) {
	t.Helper()
	f := newReviewFixture(t)
	fi := &fakeImport{end: make(chan importEnd, 1)}
	f.s.deps.ImportRecording = fi.run
	return f, fi
}

// startImport opens Import from the Library, picks path and starts.
func startImport(t *testing.T, f *reviewFixture, path string, mode interview.Mode) *importScreen {
	t.Helper()
	f.s.showLibrary()
	b := findButton(f.s.lib.content, "Import a recording")
	if b == nil {
		t.Fatal("the Library has no Import button")
	}
	test.Tap(b)
	im := f.s.imp
	if im == nil || f.w.Content() != im.content {
		t.Fatal("Import did not open")
	}
	if !im.start.Disabled() {
		t.Error("Transcribe is enabled before a file is chosen")
	}
	im.setFile(path) // what the file dialog does
	im.mode.SetSelected(modeName(mode))
	test.Tap(im.start)
	return im
}

func TestImportSucceedsIntoReview(t *testing.T) {
	f, fi := newImportFixture(t)
	f.s.showLibrary()
	test.Tap(findButton(f.s.lib.content, "Import a recording"))
	im := f.s.imp
	if got := im.modes[im.mode.SelectedIndex()]; got != interview.ModeInterviewer {
		t.Errorf("the mode starts as %s", got)
	}
	im.setFile("/home/you/calls/Anna Berg call.wav")
	if im.title.Text != "Anna Berg call" {
		t.Errorf("title %q, want the file's name", im.title.Text)
	}
	im.title.SetText("Call with Anna")
	im.setFile("/home/you/calls/other.wav") // a typed title stays
	im.mode.SetSelected("Practice")
	test.Tap(im.start)
	if !im.title.Disabled() || im.cancelB.Hidden {
		t.Error("the form is not locked with Cancel showing while importing")
	}
	eventually(t, "progress", func() bool { return im.bar.Value >= 0.25 })
	if got := im.status.Text; got != "Transcribing… 00:30 of 02:00" {
		t.Errorf("status %q", got)
	}
	path, title, mode, _, _ := fi.args()
	if path != "/home/you/calls/other.wav" || title != "Call with Anna" || mode != interview.ModePractice {
		t.Errorf("imported %q titled %q as %s", path, title, mode)
	}
	fi.end <- importEnd{id: f.iv.ID}
	eventually(t, "the review", func() bool { return f.s.rev != nil })
	if got := f.s.rev.b.Interview.ID; got != f.iv.ID {
		t.Errorf("opened interview %d, want the new %d", got, f.iv.ID)
	}
}

func TestImportCancelReturnsToLibrary(t *testing.T) {
	f, fi := newImportFixture(t)
	im := startImport(t, f, "/tmp/a.wav", interview.ModeCandidate)
	eventually(t, "progress", func() bool { return im.bar.Value > 0 })
	test.Tap(im.cancelB)
	eventually(t, "the Library", func() bool { return f.s.lib != nil })
	if _, _, _, _, cancelled := fi.args(); !cancelled {
		t.Error("Cancel did not cancel the import's context")
	}
	if n := f.s.lib.notice; !n.Visible() || !strings.Contains(n.Text, "cancelled") {
		t.Errorf("the Library says %q (visible %v)", n.Text, n.Visible())
	}
	if f.s.rev != nil {
		t.Error("a cancelled import opened a review")
	}
}

func TestImportErrorsInBanner(t *testing.T) {
	f, fi := newImportFixture(t)
	im := startImport(t, f, "/tmp/a.wav", interview.ModeInterviewer)
	fi.end <- importEnd{err: fmt.Errorf("import: %w", ErrNoModel)}
	eventually(t, "the banner", func() bool { return im.banner.Visible() })
	if !strings.Contains(im.banner.Text, "Download one on Home") {
		t.Errorf("no-model banner %q does not say where to get one", im.banner.Text)
	}
	if im.start.Disabled() || im.cancelB.Visible() || f.s.imp != im {
		t.Error("after an error the form is not ready to try again")
	}
	// Again, with another failure.
	test.Tap(im.start)
	if im.banner.Visible() {
		t.Error("the old banner stays while retrying")
	}
	fi.end <- importEnd{err: errors.New("not a WAV file")}
	eventually(t, "the banner", func() bool { return im.banner.Visible() })
	if got := im.banner.Text; got != "The recording could not be imported: not a WAV file" {
		t.Errorf("banner %q", got)
	}
	if _, _, _, calls, _ := fi.args(); calls != 2 {
		t.Errorf("%d imports run, want 2", calls)
	}
}

func TestImportLeavingCancels(t *testing.T) {
	f, fi := newImportFixture(t)
	startImport(t, f, "/tmp/a.wav", interview.ModeInterviewer)
	f.s.showHome()
	eventually(t, "the import to stop", func() bool { _, _, _, _, c := fi.args(); return c })
	drainUI()
	if f.w.Content() != f.s.home.content {
		t.Error("an import ending after the screen was left moved the window")
	}
}

func TestImportHiddenWithoutWiring(t *testing.T) {
	f := newTestShell(t, nil)
	f.s.showLibrary()
	if findButton(f.s.lib.content, "Import a recording") != nil {
		t.Error("Import shows with no ImportRecording")
	}
}

func TestImportMarkup(t *testing.T) {
	f, _ := newImportFixture(t)
	f.w.Resize(fyne.NewSize(400, 720))
	f.s.showImport()
	f.s.imp.setFile("/home/you/calls/Anna Berg call.wav")
	test.AssertRendersToMarkup(t, "import_400x720.xml", f.w.Canvas())
}

func TestImportScreenshots(t *testing.T) {
	dir := os.Getenv("SIDENOTE_SHOTS")
	if dir == "" {
		t.Skip("set SIDENOTE_SHOTS to a folder to write screenshots")
	}
	for _, size := range []fyne.Size{fyne.NewSize(400, 720), fyne.NewSize(900, 720)} {
		f, fi := newImportFixture(t)
		fyne.CurrentApp().Settings().SetTheme(variantTheme{Theme: theme.DefaultTheme(), variant: theme.VariantLight})
		f.w.Resize(size)
		im := startImport(t, f, "/home/you/calls/Anna Berg call.wav", interview.ModeInterviewer)
		eventually(t, "progress", func() bool { return im.bar.Value >= 0.25 })
		writePNG(t, filepath.Join(dir, "import-"+sizeName(size)+".png"), f.w)
		fi.end <- importEnd{err: fmt.Errorf("import: %w", ErrNoModel)}
		eventually(t, "the banner", func() bool { return im.banner.Visible() })
		writePNG(t, filepath.Join(dir, "import-error-"+sizeName(size)+".png"), f.w)
	}
}
