package desktop

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/sidenote-app/sidenote/app/store"
)

// A library file that is not a database is recognised as one the window
// must not open, and moving it aside keeps every byte of it and its log.
func TestALibraryThatDoesNotOpenIsMovedAsideWhole(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sidenote.db")
	junk := []byte("this was a thesis, not a database")
	if err := os.WriteFile(path, junk, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path+"-wal", []byte("log"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := store.Open(path)
	if !errors.Is(err, store.ErrNotDatabase) && !errors.Is(err, store.ErrCorrupt) {
		t.Fatalf("opening junk: %v, want ErrNotDatabase or ErrCorrupt (what Run shows the damaged window for)", err)
	}
	at := time.Date(2026, 12, 3, 14, 15, 0, 0, time.Local)
	moved, err := moveAside(path, at)
	if err != nil {
		t.Fatal(err)
	}
	if want := path + ".damaged-20261203-141500"; moved != want {
		t.Errorf("moved to %s, want %s", moved, want)
	}
	if got, err := os.ReadFile(moved); err != nil || string(got) != string(junk) {
		t.Errorf("the old file is not kept whole: %q, %v", got, err)
	}
	if got, err := os.ReadFile(moved + "-wal"); err != nil || string(got) != "log" {
		t.Errorf("its log is not kept: %q, %v", got, err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the library path is still taken: %v", err)
	}
	st, err := store.Open(path)
	if err != nil {
		t.Fatalf("a fresh library does not open after moving: %v", err)
	}
	st.Close()
	// Never over an earlier move.
	if err := os.WriteFile(path, junk, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := moveAside(path, at); err == nil {
		t.Error("moved over an earlier damaged file")
	}
}
