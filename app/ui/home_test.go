package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/sidenote-app/sidenote/transcribe/whisper/models"
)

// fakeShelf is an in-memory models folder. Download blocks until the test
// feeds it progress through steps, so a test can look at the window mid-way.
type fakeShelf struct {
	mu        sync.Mutex
	installed map[string]int64
	def       string
	failWith  error
	steps     chan int64 // progress values; closing it finishes the download
}

func (f *fakeShelf) List() ([]models.Entry, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var es []models.Entry
	for _, m := range models.Catalogue() {
		size, ok := f.installed[m.Name]
		es = append(es, models.Entry{Model: m, Catalogued: true, Installed: ok, SizeOnDisk: size, Default: ok && m.Name == f.def})
	}
	return es, nil
}

func (f *fakeShelf) Default() (models.Entry, error) {
	es, _ := f.List()
	for _, e := range es {
		if e.Default {
			return e, nil
		}
	}
	return models.Entry{}, models.ErrNoModel
}

func (f *fakeShelf) Import(src string) (string, error) {
	if f.failWith != nil {
		return "", f.failWith
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.installed["tiny"], f.def = 75<<20, "tiny"
	return "/models/ggml-tiny.bin", nil
}

func (f *fakeShelf) Download(ctx context.Context, name string, progress func(done, total int64)) (string, error) {
	for {
		select {
		case <-ctx.Done():
			return "", ctx.Err()
		case v, ok := <-f.steps:
			if !ok {
				if f.failWith != nil {
					return "", f.failWith
				}
				f.mu.Lock()
				f.installed[name], f.def = 142<<20, name
				f.mu.Unlock()
				return "/models/ggml-" + name + ".bin", nil
			}
			progress(v, 100)
		}
	}
}

func newTestHome(t *testing.T, shelf *fakeShelf) (*home, fyne.Window) {
	t.Helper()
	a := test.NewTempApp(t)
	w := a.NewWindow("test")
	h := newHome(w, Deps{Models: shelf, DataDir: "/data/sidenote"})
	w.SetContent(h.content)
	w.Resize(fyne.NewSize(400, 720))
	h.refresh()
	t.Cleanup(w.Close)
	return h, w
}

// uiQueue stands in for Fyne's goroutine: workers post to it through the
// bridge and the test goroutine, which owns the widgets, runs what they post.
var uiQueue = make(chan func(), 1024)

func TestMain(m *testing.M) {
	uiThread = func(f func()) { uiQueue <- f }
	m.Run()
}

// eventually runs what workers posted to the UI until cond holds: downloads
// and imports finish on a worker and report through the bridge.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for !cond() {
		select {
		case f := <-uiQueue:
			f()
		case <-deadline:
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

func TestHomeWithoutModelSaysHowToGetOne(t *testing.T) {
	h, _ := newTestHome(t, &fakeShelf{installed: map[string]int64{}})
	if got := h.modelTitle.Text; got != "No speech model yet" {
		t.Errorf("title %q", got)
	}
	for _, want := range []string{"sidenote models download base.en", "notes work without one", "import"} {
		if !strings.Contains(h.modelDetail.Text, want) {
			t.Errorf("detail %q lacks %q", h.modelDetail.Text, want)
		}
	}
	if !h.downloadBtn.Visible() || !h.importBtn.Visible() {
		t.Error("download and import must both be offered")
	}
}

func TestHomeShowsInstalledDefault(t *testing.T) {
	h, _ := newTestHome(t, &fakeShelf{installed: map[string]int64{"small.en": 466 << 20, "tiny": 75 << 20}, def: "small.en"})
	if got := h.modelTitle.Text; got != "small.en is ready" {
		t.Errorf("title %q", got)
	}
	if h.downloadBtn.Visible() {
		t.Error("download offered although a model is ready")
	}
	if !strings.Contains(h.installed.Text, "small.en") || !strings.Contains(h.installed.Text, "tiny") {
		t.Errorf("installed list %q", h.installed.Text)
	}
}

func TestHomeDownloadShowsProgressThenReady(t *testing.T) {
	shelf := &fakeShelf{installed: map[string]int64{}, steps: make(chan int64)}
	h, _ := newTestHome(t, shelf)
	test.Tap(h.downloadBtn)
	if !h.progress.Visible() || !h.cancelBtn.Visible() || h.downloadBtn.Visible() {
		t.Fatal("a running download must show progress and Cancel, and hide Download")
	}
	shelf.steps <- 40
	eventually(t, "progress 0.4", func() bool { return h.progress.Value == 0.4 })
	close(shelf.steps)
	eventually(t, "model ready", func() bool { return h.modelTitle.Text == "base.en is ready" })
	if h.progress.Visible() || h.cancelBtn.Visible() {
		t.Error("progress and Cancel must go away when the download ends")
	}
}

func TestHomeCancelledDownloadCanResume(t *testing.T) {
	shelf := &fakeShelf{installed: map[string]int64{}, steps: make(chan int64)}
	h, _ := newTestHome(t, shelf)
	test.Tap(h.downloadBtn)
	test.Tap(h.cancelBtn)
	eventually(t, "paused message", func() bool { return strings.Contains(h.modelDetail.Text, "resume") })
	if !h.downloadBtn.Visible() || h.errorBox.Visible() {
		t.Error("after Cancel: Download offered again, and no error shown")
	}
}

func TestHomeShowsDownloadAndImportErrors(t *testing.T) {
	shelf := &fakeShelf{installed: map[string]int64{}, steps: make(chan int64), failWith: fmt.Errorf("%w: free 100 MB", models.ErrDiskFull)}
	h, _ := newTestHome(t, shelf)
	test.Tap(h.downloadBtn)
	close(shelf.steps)
	eventually(t, "error banner", func() bool { return h.errorBox.Visible() })
	if !strings.Contains(h.errorBanner.Text, "free 100 MB") {
		t.Errorf("banner %q does not say what to do", h.errorBanner.Text)
	}

	shelf.failWith = errors.New("not a ggml file")
	h.importFile("/tmp/x.bin")
	eventually(t, "import error", func() bool { return strings.Contains(h.errorBanner.Text, "not a ggml file") })
	if h.importBtn.Disabled() {
		t.Error("import button stays disabled after a failure")
	}
}

func TestHomeImportMakesModelReady(t *testing.T) {
	h, _ := newTestHome(t, &fakeShelf{installed: map[string]int64{}})
	h.importFile("/somewhere/ggml-tiny.bin")
	eventually(t, "tiny ready", func() bool { return h.modelTitle.Text == "tiny is ready" })
}

func TestHomeDoesNotCallABrokenModelReady(t *testing.T) {
	shelf := &fakeShelf{installed: map[string]int64{"base.en": 142 << 20}, def: "base.en"}
	a := test.NewTempApp(t)
	w := a.NewWindow("test")
	defer w.Close()
	h := newHome(w, Deps{Models: shelf, CheckModel: func(string) error { return errors.New("file is truncated") }})
	w.SetContent(h.content)
	h.refresh()
	if h.modelTitle.Text != "The speech model cannot be used" || !strings.Contains(h.modelDetail.Text, "truncated") {
		t.Errorf("title %q detail %q", h.modelTitle.Text, h.modelDetail.Text)
	}
	if !h.downloadBtn.Visible() {
		t.Error("a way to get a working model must be offered")
	}
}
