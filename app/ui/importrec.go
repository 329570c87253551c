package ui

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sidenote-app/sidenote/app/interview"
)

// ErrNoModel is what Deps.ImportRecording wraps when no speech model is
// installed, so the screen can say where to get one.
var ErrNoModel = errors.New("no speech model is installed")

// importScreen turns a WAV file into a new interview: the file, a title
// and a mode are chosen, then it is transcribed with progress and Cancel.
type importScreen struct {
	s       *shell
	path    string
	file    *widget.Label
	choose  *widget.Button
	title   *widget.Entry
	modes   []interview.Mode
	mode    *widget.Select
	start   *widget.Button
	cancelB *widget.Button
	bar     *widget.ProgressBar
	status  *widget.Label
	banner  *widget.Label
	body    *fyne.Container
	content fyne.CanvasObject

	cancel context.CancelFunc // non-nil while importing
	// titleTouched is set once the user types a title; until then it
	// follows the file's name.
	titleTouched bool
	autoTitle    string

	mu      sync.Mutex
	pending bool          // a progress update is queued for the UI
	done    time.Duration // the newest progress, read by the UI
	total   time.Duration
}

// importDefaultMode is the mode an import starts with: a recording worth
// importing is most often an interview one held, whose scorecard and
// comparison are what Review and Compare are for. The user can change it.
const importDefaultMode = interview.ModeInterviewer

func (s *shell) showImport() {
	s.leave()
	im := &importScreen{s: s, modes: interview.Modes()}
	im.file = quietLabel(lang.X("import.nofile", "No file chosen"))
	im.file.Truncation = fyne.TextTruncateEllipsis
	im.choose = widget.NewButtonWithIcon(lang.X("import.choose", "Choose…"), theme.FolderOpenIcon(), im.chooseFile)
	im.title = widget.NewEntry()
	im.title.SetPlaceHolder(lang.X("import.title.placeholder", "Title"))
	im.title.OnChanged = func(t string) { im.titleTouched = t != im.autoTitle }
	var names []string
	for _, m := range im.modes {
		names = append(names, modeName(m))
	}
	im.mode = widget.NewSelect(names, nil)
	for i, m := range im.modes {
		if m == importDefaultMode {
			im.mode.SetSelectedIndex(i)
		}
	}
	im.start = widget.NewButtonWithIcon(lang.X("import.start", "Transcribe"), theme.UploadIcon(), im.run)
	im.start.Importance = widget.HighImportance
	im.start.Disable()
	im.cancelB = widget.NewButton(lang.X("import.cancel", "Cancel"), im.stop)
	im.cancelB.Hide()
	im.bar = widget.NewProgressBar()
	im.bar.Hide()
	im.status = quietLabel("")
	im.status.Wrapping = fyne.TextWrapWord
	im.status.Hide()
	im.banner = errorLabel(errors.New(""))
	im.banner.Hide()
	intro := widget.NewLabel(lang.X("import.intro", "Transcribe a WAV recording into a new interview, then review it like any other. Both voices in one file are told apart as well as the model can."))
	intro.Wrapping = fyne.TextWrapWord
	form := widget.NewForm(
		widget.NewFormItem(lang.X("import.file", "Recording"), container.NewBorder(nil, nil, nil, im.choose, im.file)),
		widget.NewFormItem(lang.X("import.title", "Title"), im.title),
		widget.NewFormItem(lang.X("import.mode", "Mode"), im.mode),
	)
	im.body = container.NewVBox(im.banner, intro, form, im.bar, im.status, container.NewHBox(im.start, im.cancelB))
	im.content = s.frame(lang.X("library.title", "Library"), s.showLibrary, lang.X("import.heading", "Import a recording"), im.body, nil)
	s.imp = im
	s.win.SetContent(im.content)
	im.content.Refresh()
}

func (im *importScreen) chooseFile() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			im.showError(err)
			return
		}
		if r == nil {
			return // the user cancelled
		}
		path := r.URI().Path()
		r.Close()
		im.setFile(path)
	}, im.s.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".wav", ".WAV"}))
	d.Show()
}

// setFile takes the chosen file; the title follows its name unless the
// user has typed one.
func (im *importScreen) setFile(path string) {
	im.path = path
	im.file.SetText(filepath.Base(path))
	im.file.Importance = widget.MediumImportance
	im.file.Refresh()
	if !im.titleTouched || strings.TrimSpace(im.title.Text) == "" {
		im.autoTitle = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
		im.title.SetText(im.autoTitle)
		im.titleTouched = false
	}
	im.start.Enable()
}

func (im *importScreen) showError(err error) {
	im.banner.SetText(err.Error())
	im.banner.Show()
	im.relayout()
}

// relayout lays the column out again after a part was shown or hidden;
// twice, as wrapped labels learn their height from the first pass.
func (im *importScreen) relayout() {
	im.body.Refresh()
	im.content.Refresh()
	im.body.Refresh()
	im.content.Refresh()
}

func (im *importScreen) setBusy(busy bool) {
	for _, w := range []fyne.Disableable{im.choose, im.title, im.mode, im.start} {
		if busy {
			w.Disable()
		} else {
			w.Enable()
		}
	}
	if busy {
		im.cancelB.Show()
		im.bar.SetValue(0)
		im.bar.Show()
		im.status.SetText(lang.X("import.running", "Transcribing…"))
		im.status.Show()
	} else {
		im.cancelB.Hide()
		im.bar.Hide()
		im.status.Hide()
	}
	im.relayout()
}

// run transcribes the file on a worker; progress and the end come back
// through the bridge.
func (im *importScreen) run() {
	if im.path == "" || im.cancel != nil {
		return
	}
	title := strings.TrimSpace(im.title.Text)
	if title == "" {
		title = strings.TrimSuffix(filepath.Base(im.path), filepath.Ext(im.path))
	}
	mode := im.modes[max(0, im.mode.SelectedIndex())]
	im.banner.Hide()
	im.setBusy(true) // lays out again
	ctx, cancel := context.WithCancel(context.Background())
	im.cancel = cancel
	path, imp := im.path, im.s.deps.ImportRecording
	go func() {
		id, err := imp(ctx, path, title, mode, im.progress)
		cancelled := ctx.Err() != nil
		cancel()
		onUI(func() { im.finish(id, err, cancelled) })
	}()
}

// progress may be called from any goroutine, as often as it likes: only
// one update at a time waits for the UI, carrying the newest numbers.
func (im *importScreen) progress(done, total time.Duration) {
	im.mu.Lock()
	im.done, im.total = done, total
	post := !im.pending
	im.pending = true
	im.mu.Unlock()
	if post {
		onUI(im.showProgress)
	}
}

func (im *importScreen) showProgress() {
	im.mu.Lock()
	done, total := im.done, im.total
	im.pending = false
	im.mu.Unlock()
	if im.cancel == nil {
		return // finished meanwhile
	}
	if total > 0 {
		im.bar.SetValue(min(1, float64(done)/float64(total)))
		im.status.SetText(lang.X("import.progress", "Transcribing… {{.Done}} of {{.Total}}",
			map[string]any{"Done": interview.Stamp(done.Milliseconds()), "Total": interview.Stamp(total.Milliseconds())}))
	}
}

// stop cancels the import; the wiring then creates nothing.
func (im *importScreen) stop() {
	if im.cancel != nil {
		im.cancel()
		im.cancelB.Disable()
		im.status.SetText(lang.X("import.cancelling", "Cancelling…"))
	}
}

func (im *importScreen) finish(id int64, err error, cancelled bool) {
	left := im.s.imp != im // the user went elsewhere; leave cancelled it
	im.cancel = nil
	if left {
		return
	}
	switch {
	case cancelled:
		im.s.showLibrary()
		im.s.lib.say(lang.X("import.cancelled", "Import cancelled: nothing was added."))
	case err != nil:
		im.setBusy(false)
		im.cancelB.Enable()
		if errors.Is(err, ErrNoModel) {
			err = errors.New(lang.X("import.error.nomodel", "No speech model is installed. Download one on Home, in the speech model card at the top (or import a model file there), then import the recording again."))
		} else {
			err = fmt.Errorf("%s %w", lang.X("import.error", "The recording could not be imported:"), err)
		}
		im.showError(err)
	default:
		im.s.showReview(id, -1)
	}
}

// close cancels a running import when the screen is left.
func (im *importScreen) close() {
	if im.cancel != nil {
		im.cancel()
	}
}
