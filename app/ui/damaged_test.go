package ui

import (
	"errors"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
)

func TestDamagedLibrarySaysWhatAndOffersAFreshStart(t *testing.T) {
	a := test.NewTempApp(t)
	calls := 0
	fail := true
	w := NewDamagedWindow(a, "/home/u/.local/share/sidenote/sidenote.db", errors.New("database is damaged: page 3 is corrupt"),
		func() (string, error) {
			calls++
			if fail {
				return "", errors.New("permission denied")
			}
			return "/home/u/.local/share/sidenote/sidenote.db.damaged-20261203-141500", nil
		})
	d := w.Content()
	text := strings.Join(labelsUnder(d), "\n")
	for _, want := range []string{"could not be opened", "page 3 is corrupt", "/home/u/.local/share/sidenote/sidenote.db", "nothing is deleted"} {
		if !strings.Contains(text, want) {
			t.Errorf("the window does not say %q:\n%s", want, text)
		}
	}
	fresh := findButton(d, "Move it aside and start fresh")
	if fresh == nil {
		t.Fatal("no way to start fresh")
	}
	test.Tap(fresh)
	if text := strings.Join(labelsUnder(w.Content()), "\n"); !strings.Contains(text, "permission denied") {
		t.Errorf("a failed move is not shown:\n%s", text)
	}
	fail = false
	test.Tap(fresh)
	if text := strings.Join(labelsUnder(w.Content()), "\n"); calls != 2 || !strings.Contains(text, "sidenote.db.damaged-20261203-141500") {
		t.Errorf("after moving (%d calls) the window does not say where the old file is:\n%s", calls, text)
	}
	if !fresh.Disabled() {
		t.Error("start fresh is still offered after it worked")
	}
}
