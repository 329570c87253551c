package main

import (
	"context"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"github.com/sidenote-app/sidenote/app/ui"
	"github.com/sidenote-app/sidenote/assets"
)

// appID matches FyneApp.toml; Fyne keys preferences and storage by it.
const appID = "app.sidenote.Sidenote"

func runGUI(_ context.Context, e *env) error {
	if err := e.dirs.Ensure(); err != nil {
		return err
	}
	icon := fyne.NewStaticResource("icon.png", assets.IconPNG)
	a := fyneapp.NewWithID(appID)
	a.SetIcon(icon)
	w := ui.Create(a, ui.Deps{Models: modelLibrary(e), DataDir: e.dirs.Data, Icon: icon, CheckModel: validateModel})
	w.ShowAndRun()
	return nil
}
