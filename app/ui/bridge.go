package ui

import (
	"context"

	"fyne.io/fyne/v2"
)

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

// CloseOnDone closes w, as its close button would, when ctx is done: a
// SIGTERM at logout then ends a live interview the way closing the window
// does. The returned stop releases the watcher once the window has closed.
func CloseOnDone(ctx context.Context, w fyne.Window) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		select {
		case <-ctx.Done():
			onUI(w.Close)
		case <-done:
		}
	}()
	return func() {
		close(done)
		<-finished
	}
}
