// Package desktop is the window's composition root: it builds the store,
// the model library, the audio inputs and the live runs, hands them to the
// screens in app/ui, and takes them down in order when the window closes
// (interviews still live end first, then the model, then the store).
// cmd/sidenote only parses flags and calls Run or Demo.
package desktop

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"github.com/sidenote-app/sidenote/app/interview"
	"github.com/sidenote-app/sidenote/app/live"
	"github.com/sidenote-app/sidenote/app/paths"
	"github.com/sidenote-app/sidenote/app/store"
	"github.com/sidenote-app/sidenote/app/ui"
	"github.com/sidenote-app/sidenote/assets"
	"github.com/sidenote-app/sidenote/transcribe/audio"
	"github.com/sidenote-app/sidenote/transcribe/whisper/models"
)

// appID matches FyneApp.toml; Fyne keys preferences and storage by it.
const appID = "app.sidenote.Sidenote"

// Env is what the desktop is built from; the command line passes it in.
type Env struct {
	Dirs   paths.Dirs
	Models *models.Library
	Log    *slog.Logger
	Stderr io.Writer // "Finishing…" and what needs saying after the window closed
}

// Run opens the window and runs it until it closes (or ctx is done, as at
// logout), then ends the interviews still live and waits for them before
// the model and the store close. It builds everything the window needs:
// the store, the model library, audio and live runs.
func Run(ctx context.Context, e Env) error {
	if err := CheckDisplay(); err != nil {
		return err
	}
	if err := e.Dirs.Ensure(); err != nil {
		return err
	}
	st, err := store.Open(e.Dirs.Database())
	if errors.Is(err, store.ErrCorrupt) || errors.Is(err, store.ErrNotDatabase) {
		return runDamaged(ctx, e, err)
	}
	if err != nil {
		return err
	}
	defer st.Close()
	return runLibrary(ctx, e, st)
}

// runLibrary runs the window over an open library: recovery and retention
// first, then the window, then the shutdown in order.
func runLibrary(ctx context.Context, e Env, st *store.Store) (err error) {
	// The window is the process that runs live interviews, so it is the one
	// that marks what a crash left live as interrupted, and repairs those
	// recordings, before showing the list.
	if ids, err := live.Recover(ctx, st, e.Dirs.Locks()); err != nil {
		e.Log.Warn("recovering interrupted interviews", "err", err)
	} else if len(ids) > 0 {
		e.Log.Info("interviews interrupted by a crash", "ids", fmt.Sprint(ids))
	}
	// Retention, when the user turned it on, runs here: at start-up, before
	// the library is listed.
	if ids, err := st.ApplyRetention(ctx); err != nil {
		e.Log.Warn("deleting old interviews", "err", err)
	} else if len(ids) > 0 {
		e.Log.Info("deleted interviews past the retention period", "ids", fmt.Sprint(ids))
	}
	starter := &liveStarter{e: e, store: st, models: e.Models}
	err = openWindow(ctx, e, st, starter, windowOptions{})
	// The window has closed (by the user, or by a signal): interviews still
	// live end as the End button would, then the model and the store close
	// (the deferred st.Close), in that order.
	stop, release := afterSignal()
	defer release()
	starter.close(stop)
	return err
}

// runDamaged shows what is wrong with a library that does not open, and
// offers to move it aside (kept, never deleted) and start an empty one in
// the same app.
func runDamaged(ctx context.Context, e Env, cause error) error {
	a := newApp()
	path := e.Dirs.Database()
	var (
		fresh   *store.Store
		starter *liveStarter
		stops   []func()
	)
	w := ui.NewDamagedWindow(a, path, cause, func() (string, error) {
		moved, err := moveAside(path, time.Now())
		if err != nil {
			return "", err
		}
		st, err := store.Open(path)
		if err != nil {
			return moved, err
		}
		fresh, starter = st, &liveStarter{e: e, store: st, models: e.Models}
		main := buildWindow(a, e, st, starter, windowOptions{})
		main.SetMaster() // closing the library window quits, as usual
		stops = append(stops, ui.CloseOnDone(ctx, main))
		main.Show()
		return moved, nil
	})
	stops = append(stops, ui.CloseOnDone(ctx, w))
	w.Show()
	a.Run()
	for _, stop := range stops {
		stop()
	}
	if fresh != nil {
		stop, release := afterSignal()
		defer release()
		starter.close(stop)
		fresh.Close()
	}
	return nil
}

// moveAside renames a library that does not open, with its -wal and -shm
// files, to NAME.damaged-YYYYMMDD-HHMMSS beside it, and returns the new
// name. Nothing is deleted; an existing name is never overwritten.
func moveAside(path string, now time.Time) (string, error) {
	to := path + ".damaged-" + now.Format("20060102-150405")
	if _, err := os.Lstat(to); err == nil {
		return "", fmt.Errorf("%s already exists; move it away first", to)
	}
	if err := os.Rename(path, to); err != nil {
		return "", fmt.Errorf("moving the library aside: %w", err)
	}
	for _, ext := range []string{"-wal", "-shm"} {
		if err := os.Rename(path+ext, to+ext); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return to, fmt.Errorf("moving %s aside: %w", path+ext, err)
		}
	}
	return to, nil
}

// afterSignal is a context that the next Ctrl+C, SIGTERM or SIGHUP cancels:
// the first one closed the window, a second one stops finishing at once.
func afterSignal() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
}

// windowOptions are how the demo opens the window; the zero value is the
// normal start.
type windowOptions struct {
	size   [2]float32 // zero: the window's own default
	open   ui.Screen  // zero: Home
	meters ui.Meters  // nil: the real inputs
}

// openWindow builds the window over a store and a way to start live
// interviews, and runs it until it closes.
func openWindow(ctx context.Context, e Env, st *store.Store, starter ui.LiveStarter, o windowOptions) error {
	a := newApp()
	w := buildWindow(a, e, st, starter, o)
	defer ui.CloseOnDone(ctx, w)()
	w.ShowAndRun()
	return nil
}

var icon = fyne.NewStaticResource("icon.png", assets.IconPNG)

func newApp() fyne.App {
	a := fyneapp.NewWithID(appID)
	a.SetIcon(icon)
	return a
}

// buildWindow makes the main window over a store and a way to start live
// interviews.
func buildWindow(a fyne.App, e Env, st *store.Store, starter ui.LiveStarter, o windowOptions) fyne.Window {
	lib := e.Models
	// The demo's starter has no speech model: it offers no import.
	var importer func(ctx context.Context, path, title string, mode interview.Mode, progress func(done, total time.Duration)) (int64, error)
	if ls, ok := starter.(*liveStarter); ok {
		ls.prefs = ui.PrefsOf(a)
		importer = ls.importRecording
	}
	w := ui.Create(a, ui.Deps{
		Models:     lib,
		DataDir:    e.Dirs.Data,
		Icon:       icon,
		CheckModel: lib.Validate,
		Store:      st,
		ListInterviews: func(ctx context.Context) ([]interview.Interview, error) {
			return st.ListInterviews(ctx, store.ListOptions{})
		},
		Live:     starter,
		Meters:   cmpMeters(o.meters),
		FreeDisk: func() (uint64, error) { return paths.FreeSpace(e.Dirs.Data) },
		Log:      e.Log,
		Open:     o.open,
		Retention: func(ctx context.Context) (int, error) {
			s, err := st.Settings(ctx)
			return s.RetentionDays, err
		},
		SetRetention: func(ctx context.Context, days int) error {
			return st.SaveSettings(ctx, store.Settings{RetentionDays: days})
		},
		Review:          st,
		OpenPlayer:      openPlayer,
		ImportRecording: importer,
		Library:         librarySource{st},
	})
	if o.size[0] > 0 {
		w.Resize(fyne.NewSize(o.size[0], o.size[1]))
	}
	return w
}

func cmpMeters(m ui.Meters) ui.Meters {
	if m != nil {
		return m
	}
	return meters{}
}

// openPlayer plays a recording on the default output for the Review
// screen; the duration comes from the file's header.
func openPlayer(path string, onPosition func(time.Duration), onEnd func(error)) (ui.Player, error) {
	p, err := audio.OpenPlayback(path, audio.PlaybackConfig{OnPosition: onPosition, OnEnd: onEnd})
	if err != nil {
		return nil, err
	}
	return p, nil
}
