// Package desktop is the window's composition root: it builds the store,
// the model library, the audio inputs and the live runs, hands them to the
// screens in app/ui, and takes them down in order when the window closes
// (interviews still live end first, then the model, then the store).
// cmd/sidenote only parses flags and calls Run or Demo.
package desktop

import (
	"context"
	"fmt"
	"io"
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
	if err != nil {
		return err
	}
	defer st.Close()
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
	lib := e.Models
	icon := fyne.NewStaticResource("icon.png", assets.IconPNG)
	a := fyneapp.NewWithID(appID)
	a.SetIcon(icon)
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
	defer ui.CloseOnDone(ctx, w)()
	w.ShowAndRun()
	return nil
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
