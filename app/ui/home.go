// Package ui holds Sidenote's Fyne windows and widgets. It is the only
// package that imports Fyne, and it never imports the desktop driver, so
// every screen is tested headless with fyne.io/fyne/v2/test.
package ui

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sidenote-app/sidenote/app/interview"
	"github.com/sidenote-app/sidenote/transcribe/whisper/models"
)

// ModelShelf is what the window needs from the models folder.
// *models.Library satisfies it; tests pass a fake.
type ModelShelf interface {
	List() ([]models.Entry, error)
	Default() (models.Entry, error)
	Import(src string) (string, error)
	Download(ctx context.Context, name string, progress func(done, total int64)) (string, error)
	// SetDefault makes an installed model the one used (Settings' "Make default").
	SetDefault(name string) error
}

// Deps is what the windows are built from.
type Deps struct {
	Models ModelShelf
	// DataDir is shown so users know where their interviews live.
	DataDir string
	// CheckModel validates a model file's structure (fast: it seeks, it
	// does not hash), so "ready" is only said of a file that will load.
	// Nil skips the check.
	CheckModel func(path string) error
	// Icon is the application icon; nil leaves Fyne's default.
	Icon fyne.Resource

	// Store holds the interviews. Nil shows the model card only.
	Store HomeStore
	// ListInterviews returns every interview (the wiring passes a closure
	// over store.ListInterviews with empty options); Home sorts and splits
	// them into upcoming and recent. Nil lists nothing.
	ListInterviews func(ctx context.Context) ([]interview.Interview, error)
	// Live starts the pipeline. Nil disables Start with a message.
	Live LiveStarter
	// Meters gives the checklist its level meters. Nil: the checklist
	// says there is no audio input.
	Meters Meters
	// FreeDisk reports the free space where recordings and the database
	// are written. Nil leaves that item out of the checklist.
	FreeDisk func() (free uint64, err error)
	// Now is the wall clock (for "upcoming" and the new-interview form's
	// default time); nil means time.Now.
	Now func() time.Time
	// Retention and SetRetention read and save how many days interviews
	// are kept (0: forever); the wiring passes closures over the store's
	// Settings and SaveSettings, whose type this package cannot name.
	// Either nil hides the choice in Settings.
	Retention    func(ctx context.Context) (days int, err error)
	SetRetention func(ctx context.Context, days int) error
	// Review corrects transcripts and deletes interviews on the Review
	// screen (the wiring passes the store). Nil hides both.
	Review ReviewStore
	// OpenPlayer opens a recording for playback on the Review screen.
	// onPosition and onEnd may be called from any goroutine; onEnd gets nil
	// at the end of the file. Nil: no playback controls.
	OpenPlayer func(path string, onPosition func(time.Duration), onEnd func(error)) (Player, error)
	// Library lists, filters and searches every interview for the
	// Library screen (the wiring adapts the store). Nil leaves the Library
	// empty with a message.
	Library LibrarySource
	// ImportRecording transcribes a WAV file into a new interview with
	// the given title and mode and returns its id (the wiring runs
	// transcribe.File with the default model and stores the result). It
	// runs off the UI goroutine; progress may be called from any
	// goroutine. When ctx is cancelled it returns ctx's error and leaves
	// nothing in the store. With no model installed it returns an error
	// wrapping ErrNoModel. Nil hides the Library's Import button.
	ImportRecording func(ctx context.Context, path, title string, mode interview.Mode, progress func(done, total time.Duration)) (int64, error)
	// Open is the screen the window opens at; the zero value is Home.
	Open Screen
	// Log receives errors the screens show; nil discards them.
	Log *slog.Logger
}

// suggestedModel is offered when nothing is installed: small enough to
// download in a minute, accurate enough for English interviews.
const suggestedModel = "base.en"

// home is the first screen: the speech model, the way into a new
// interview or a practice run, and the interviews coming up and past.
type home struct {
	win   fyne.Window
	deps  Deps
	shell *shell // nil in tests of the model card alone

	modelReady  bool            // the default model is present and checked
	body        *fyne.Container // the scrolled column; re-laid out when the lists change
	upcoming    *fyne.Container
	recent      *fyne.Container
	newBtn      *widget.Button
	practiceBtn *widget.Button

	content      fyne.CanvasObject
	modelTitle   *widget.Label
	modelDetail  *widget.Label
	installed    *widget.Label
	progress     *widget.ProgressBar
	downloadBtn  *widget.Button
	cancelBtn    *widget.Button
	importBtn    *widget.Button
	errorBanner  *widget.Label
	errorBox     *fyne.Container
	downloadName string

	mu     sync.Mutex
	cancel context.CancelFunc // non-nil while a download runs
}

func newHome(w fyne.Window, d Deps) *home {
	h := &home{win: w, deps: d}
	title := widget.NewLabelWithStyle("Sidenote", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	tagline := widget.NewLabel(lang.X("home.tagline", "Notes, questions and a private transcript beside your call."))
	tagline.Wrapping = fyne.TextWrapWord
	var header fyne.CanvasObject = container.NewVBox(title, tagline)
	if d.Icon != nil {
		img := canvas.NewImageFromResource(d.Icon)
		img.SetMinSize(fyne.NewSize(56, 56))
		img.FillMode = canvas.ImageFillContain
		header = container.NewBorder(nil, nil, img, nil, header)
	}

	h.modelTitle = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	h.modelTitle.Wrapping = fyne.TextWrapWord
	h.modelDetail = widget.NewLabel("")
	h.modelDetail.Wrapping = fyne.TextWrapWord
	h.installed = widget.NewLabel("")
	h.installed.Wrapping = fyne.TextWrapWord
	h.progress = widget.NewProgressBar()
	h.progress.Hide()
	h.downloadBtn = widget.NewButtonWithIcon(lang.X("home.model.download", "Download {{.Name}}", map[string]any{"Name": suggestedModel}), theme.DownloadIcon(), func() { h.startDownload(suggestedModel) })
	h.downloadBtn.Importance = widget.HighImportance
	h.cancelBtn = widget.NewButtonWithIcon(lang.X("home.model.cancel", "Cancel"), theme.CancelIcon(), h.cancelDownload)
	h.cancelBtn.Hide()
	h.importBtn = widget.NewButtonWithIcon(lang.X("home.model.import", "Import a model file…"), theme.FolderOpenIcon(), h.chooseImport)
	h.errorBanner = widget.NewLabel("")
	h.errorBanner.Wrapping = fyne.TextWrapWord
	h.errorBanner.Importance = widget.DangerImportance
	h.errorBox = container.NewVBox(h.errorBanner)
	h.errorBox.Hide()

	modelCard := widget.NewCard("", "", container.NewVBox(
		sectionHeading(lang.X("home.model.heading", "Speech model")),
		h.modelTitle, h.modelDetail, h.progress,
		container.NewHBox(h.downloadBtn, h.cancelBtn), h.importBtn,
		h.installed,
	))
	privacy := widget.NewLabel(lang.X("home.privacy", "Transcription runs on this computer. Audio and notes never leave it unless you export them."))
	privacy.Wrapping = fyne.TextWrapWord
	dataDir := widget.NewLabel(lang.X("home.datadir", "Your data: {{.Dir}}", map[string]any{"Dir": d.DataDir}))
	dataDir.Wrapping = fyne.TextWrapBreak
	dataDir.Importance = widget.LowImportance

	h.newBtn = widget.NewButtonWithIcon(lang.X("home.new", "New interview"), theme.ContentAddIcon(), func() {
		if h.shell != nil {
			h.shell.showNewInterview()
		}
	})
	h.newBtn.Importance = widget.HighImportance
	h.practiceBtn = widget.NewButtonWithIcon(lang.X("home.practice", "Practice"), theme.MediaRecordIcon(), func() {
		if h.shell != nil {
			h.shell.startPractice()
		}
	})
	h.upcoming = container.NewVBox()
	h.recent = container.NewVBox()
	var lists fyne.CanvasObject = container.NewVBox()
	if d.Store != nil {
		lists = container.NewVBox(
			container.NewGridWithColumns(2, h.newBtn, h.practiceBtn),
			sectionHeading(lang.X("home.upcoming", "Upcoming")), h.upcoming,
			sectionHeading(lang.X("home.recent", "Recent")), h.recent,
			container.NewHBox(h.libraryButton()),
		)
	}

	// Templates and Settings are visited between interviews, not during
	// them, so they sit low on the screen and quiet.
	tools := container.NewGridWithColumns(2)
	if d.Store != nil {
		b := widget.NewButtonWithIcon(lang.X("home.templates", "Templates"), theme.DocumentIcon(), func() {
			if h.shell != nil {
				h.shell.showTemplates()
			}
		})
		tools.Add(b)
	}
	tools.Add(widget.NewButtonWithIcon(lang.X("home.settings", "Settings"), theme.SettingsIcon(), func() {
		if h.shell != nil {
			h.shell.showSettings()
		}
	}))

	h.body = container.NewVBox(header, h.errorBox, lists, modelCard, tools, privacy, layout.NewSpacer(), dataDir)
	h.content = container.NewVScroll(h.body)
	return h
}

// libraryButton leads past the few Recent rows to every interview and
// the search across them.
func (h *home) libraryButton() *widget.Button {
	b := widget.NewButtonWithIcon(lang.X("home.library", "Library: all interviews, search"), theme.SearchIcon(), func() {
		if h.shell != nil {
			h.shell.showLibrary()
		}
	})
	b.Importance = widget.LowImportance
	return b
}

// refresh reads the models folder and shows what it holds. It runs on the
// UI goroutine; listing is a directory read, fast enough not to need a worker.
func (h *home) refresh() {
	downloading := h.downloading()
	h.modelReady = false
	es, err := h.deps.Models.List()
	if err != nil {
		h.showError(fmt.Errorf("%s %w", lang.X("home.error.models", "Reading the models folder failed:"), err))
	}
	def, derr := h.deps.Models.Default()
	var names []string
	for _, e := range es {
		if e.Installed {
			names = append(names, e.Name)
		}
	}
	if derr == nil && h.deps.CheckModel != nil {
		if err := h.deps.CheckModel(def.Path); err != nil {
			derr = fmt.Errorf("%s: %w. %s", def.Name, err, lang.X("home.model.broken.fix", "Download it again or import another model."))
		}
	}
	switch {
	case derr == nil:
		h.modelReady = true
		h.modelTitle.SetText(lang.X("home.model.ready", "{{.Name}} is ready", map[string]any{"Name": def.Name}))
		h.modelDetail.SetText(lang.X("home.model.ready.detail", "{{.Size}}, checked. Transcription is available.", map[string]any{"Size": sizeText(def.SizeOnDisk)}))
		h.downloadBtn.Hide()
	case errors.Is(derr, models.ErrNoModel):
		h.modelTitle.SetText(lang.X("home.model.none", "No speech model yet"))
		h.modelDetail.SetText(lang.X("home.model.none.detail",
			"Sidenote needs a Whisper model to transcribe; notes work without one. Download {{.Name}} (about {{.Size}}, English), import a ggml .bin file you have, or run: sidenote models download {{.Name}}",
			map[string]any{"Name": suggestedModel, "Size": sizeText(approxSize(es, suggestedModel))}))
		h.downloadBtn.Show()
	default:
		h.modelTitle.SetText(lang.X("home.model.broken", "The speech model cannot be used"))
		h.modelDetail.SetText(derr.Error())
		h.downloadBtn.Show()
	}
	if downloading {
		h.downloadBtn.Hide()
	}
	// A ready model needs no more attention: importing another stays
	// possible but no longer asks for it.
	if h.modelReady {
		h.importBtn.Importance = widget.LowImportance
	} else {
		h.importBtn.Importance = widget.MediumImportance
	}
	h.importBtn.Refresh()
	if len(names) > 1 {
		h.installed.SetText(lang.X("home.model.installed", "Installed: {{.Names}}", map[string]any{"Names": joinNames(names)}))
		h.installed.Show()
	} else {
		h.installed.Hide()
	}
}

func (h *home) downloading() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.cancel != nil
}

// startDownload fetches a model in the background, showing progress; the
// library resumes an interrupted download, so Cancel loses nothing.
func (h *home) startDownload(name string) {
	h.mu.Lock()
	if h.cancel != nil {
		h.mu.Unlock()
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel = cancel
	h.mu.Unlock()

	h.downloadName = name
	h.hideError()
	h.downloadBtn.Hide()
	h.cancelBtn.Show()
	h.importBtn.Disable()
	h.progress.SetValue(0)
	h.progress.Show()
	h.modelDetail.SetText(lang.X("home.model.downloading", "Downloading {{.Name}}…", map[string]any{"Name": name}))

	go func() {
		_, err := h.deps.Models.Download(ctx, name, func(done, total int64) {
			if total <= 0 {
				return
			}
			v := float64(done) / float64(total)
			onUI(func() { h.progress.SetValue(v) })
		})
		onUI(func() { h.downloadFinished(name, err) })
	}()
}

func (h *home) downloadFinished(name string, err error) {
	h.mu.Lock()
	if h.cancel != nil {
		h.cancel()
	}
	h.cancel = nil
	h.mu.Unlock()
	h.cancelBtn.Hide()
	h.importBtn.Enable()
	h.progress.Hide()
	switch {
	case errors.Is(err, context.Canceled):
		h.refresh()
		h.modelDetail.SetText(lang.X("home.model.paused", "Download of {{.Name}} paused. Download again to resume where it stopped.", map[string]any{"Name": name}))
		return
	case err != nil:
		h.showError(fmt.Errorf("%s %w", lang.X("home.error.download", "Downloading {{.Name}} failed:", map[string]any{"Name": name}), err))
	}
	h.refresh()
}

func (h *home) cancelDownload() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.cancel != nil {
		h.cancel()
	}
}

func (h *home) chooseImport() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			h.showError(err)
			return
		}
		if r == nil {
			return // the user cancelled
		}
		path := r.URI().Path()
		r.Close()
		h.importFile(path)
	}, h.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".bin"}))
	d.Show()
}

// importFile copies and checks a model file in the background: hashing a
// 3 GB file takes seconds, which must not freeze the window.
func (h *home) importFile(path string) {
	h.hideError()
	h.importBtn.Disable()
	h.modelDetail.SetText(lang.X("home.model.importing", "Checking and copying {{.Path}}…", map[string]any{"Path": path}))
	go func() {
		_, err := h.deps.Models.Import(path)
		onUI(func() {
			h.importBtn.Enable()
			if err != nil {
				h.showError(fmt.Errorf("%s %w", lang.X("home.error.import", "Importing {{.Path}} failed:", map[string]any{"Path": path}), err))
			}
			h.refresh()
		})
	}()
}

func (h *home) showError(err error) {
	h.errorBanner.SetText(err.Error())
	h.errorBox.Show()
}

func (h *home) hideError() {
	h.errorBox.Hide()
}

func approxSize(es []models.Entry, name string) int64 {
	for _, e := range es {
		if e.Name == name {
			return e.ApproxSize
		}
	}
	return 0
}

func joinNames(names []string) string {
	s := ""
	for i, n := range names {
		if i > 0 {
			s += ", "
		}
		s += n
	}
	return s
}

func sizeText(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.0f MB", float64(n)/(1<<20))
	case n > 0:
		return fmt.Sprintf("%.0f KB", float64(n)/(1<<10))
	}
	return lang.X("size.unknown", "unknown size")
}
