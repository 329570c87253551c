package ui

import (
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"github.com/sidenote-app/sidenote/assets"
)

// translationsDir is the folder inside assets.Translations.
const translationsDir = "translations"

var registerOnce sync.Once

// RegisterTranslations adds Sidenote's English and Swedish interface text
// to Fyne's lang package; the system language then picks one. It runs once
// however often it is called, so every screen's constructor calls it and
// the wiring code need not remember to. Text is looked up with lang.X and
// a literal key and English fallback, so a missing file degrades to
// English, never to bare keys; TestTranslationsComplete keeps the files in
// step with the code.
func RegisterTranslations() {
	registerOnce.Do(func() {
		if err := lang.AddTranslationsFS(assets.Translations, translationsDir); err != nil {
			fyne.LogError("loading Sidenote's translations", err)
		}
	})
}
