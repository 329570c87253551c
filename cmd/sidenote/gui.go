package main

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"github.com/sidenote-app/sidenote/app/interview"
	"github.com/sidenote-app/sidenote/app/live"
	"github.com/sidenote-app/sidenote/app/store"
	"github.com/sidenote-app/sidenote/app/ui"
	"github.com/sidenote-app/sidenote/assets"
)

// appID matches FyneApp.toml; Fyne keys preferences and storage by it.
const appID = "app.sidenote.Sidenote"

func runGUI(ctx context.Context, e *env) error {
	if err := e.dirs.Ensure(); err != nil {
		return err
	}
	st, err := store.Open(e.dirs.Database())
	if err != nil {
		return err
	}
	defer st.Close()
	// The window is the process that runs live interviews, so it is the one
	// that marks what a crash left live as interrupted, and repairs those
	// recordings, before showing the list.
	if ids, err := live.Recover(ctx, st); err != nil {
		e.log.Warn("recovering interrupted interviews", "err", err)
	} else if len(ids) > 0 {
		e.log.Info("interviews interrupted by a crash", "ids", fmt.Sprint(ids))
	}

	lib := modelLibrary(e)
	starter := &liveStarter{e: e, store: st, models: lib}
	defer starter.close()

	icon := fyne.NewStaticResource("icon.png", assets.IconPNG)
	a := fyneapp.NewWithID(appID)
	a.SetIcon(icon)
	w := ui.Create(a, ui.Deps{
		Models:     lib,
		DataDir:    e.dirs.Data,
		Icon:       icon,
		CheckModel: validateModel,
		Store:      st,
		ListInterviews: func(ctx context.Context) ([]interview.Interview, error) {
			return st.ListInterviews(ctx, store.ListOptions{})
		},
		Live:     starter,
		Meters:   meters{},
		FreeDisk: freeDisk(e.dirs.Data),
		Log:      e.log,
	})
	w.ShowAndRun()
	return nil
}
