package ui

import "fyne.io/fyne/v2"

// onUI runs f on Fyne's goroutine. It is the only way workers (downloads,
// imports, later the transcription pipeline) reach widgets: they hand their
// results over here and never touch widgets themselves, which the
// migrated_fynedo build tag turns from a silent race into a loud error.
func onUI(f func()) {
	uiThread(f)
}

// uiThread is fyne.Do, the only call of it in the program. Tests swap in a
// queue they drain on the test goroutine, because Fyne's test driver runs
// Do inline on the caller's goroutine and so would not serialise anything.
var uiThread = fyne.Do
