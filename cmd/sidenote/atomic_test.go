package main

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// tempsIn lists writeFileAtomic's temporary files in dir.
func tempsIn(t *testing.T, dir string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, ".*.tmp"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestWriteFileAtomicLeavesNoTemporaryFile: no failure leaves a temporary
// file, none exists while the export is being rendered (where a kill
// would leave a 0-byte one), and a killed run's leftover is cleaned up by
// the next write to the same file.
func TestWriteFileAtomicLeavesNoTemporaryFile(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "notes.md")
	must(t, os.WriteFile(out, []byte("old"), 0o600))

	boom := errors.New("disk on fire")
	err := writeFileAtomic(out, func(w io.Writer) error {
		if tmps := tempsIn(t, dir); len(tmps) > 0 {
			t.Errorf("a temporary file exists while rendering; a kill now leaves it: %v", tmps)
		}
		io.WriteString(w, "half")
		return boom
	})
	if !errors.Is(err, boom) {
		t.Errorf("writer error: got %v, want it wrapped", err)
	}
	if got, _ := os.ReadFile(out); string(got) != "old" {
		t.Errorf("a failed write changed the file: %q", got)
	}

	// The rename fails: the target is a folder.
	folder := filepath.Join(dir, "a folder")
	must(t, os.Mkdir(folder, 0o700))
	if err := writeFileAtomic(folder, func(w io.Writer) error { _, err := io.WriteString(w, "x"); return err }); err == nil {
		t.Error("writing over a folder succeeded")
	}
	// The folder cannot be written to.
	locked := filepath.Join(dir, "locked")
	must(t, os.Mkdir(locked, 0o500))
	if err := writeFileAtomic(filepath.Join(locked, "x.md"), func(w io.Writer) error { return nil }); err == nil && os.Geteuid() != 0 {
		t.Error("writing into a read-only folder succeeded")
	}
	if tmps := append(tempsIn(t, dir), tempsIn(t, locked)...); len(tmps) > 0 {
		t.Errorf("failed writes left temporary files: %v", tmps)
	}

	// A run killed between creating and renaming left this, an hour ago;
	// another run's, a second old, may be in use and stays.
	stale := filepath.Join(dir, ".notes.md.123456.tmp")
	fresh := filepath.Join(dir, ".notes.md.654321.tmp")
	other := filepath.Join(dir, ".other.md.123456.tmp")
	for _, p := range []string{stale, fresh, other} {
		must(t, os.WriteFile(p, nil, 0o600))
	}
	hourAgo := time.Now().Add(-time.Hour)
	must(t, os.Chtimes(stale, hourAgo, hourAgo))
	must(t, os.Chtimes(other, hourAgo, hourAgo))
	if err := writeFileAtomic(out, func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(out); string(got) != "new" {
		t.Errorf("file = %q, want new", got)
	}
	if _, err := os.Stat(stale); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the killed run's leftover is still there: %v", err)
	}
	for _, p := range []string{fresh, other} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s was removed: it may be another run's: %v", filepath.Base(p), err)
		}
	}
}

// TestExportFailureLeavesNoTemporaryFile: sidenote export -o, failing at
// the last step, leaves nothing behind.
func TestExportFailureLeavesNoTemporaryFile(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	s := openTestStore(t, data)
	id := strconv.FormatInt(seedRich(t, s), 10)
	target := filepath.Join(dir, "out.md")
	must(t, os.Mkdir(target, 0o700)) // rename onto a folder fails
	if code, _, errOut := runCLI(t, data, "export", id, "-o", target); code != 1 {
		t.Errorf("export onto a folder: exit %d, %s", code, errOut)
	}
	if tmps := tempsIn(t, dir); len(tmps) > 0 {
		t.Errorf("the failed export left %v", tmps)
	}
}
