package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// staleTemp is how old a temporary file of ours must be before the next
// write to the same file takes it for a killed run's leftover. A live
// write holds its temporary file only while writing bytes already
// rendered, for well under a second.
const staleTemp = time.Minute

// writeFileAtomic writes path through a temporary file in the same folder
// and renames it into place, so a failure, Ctrl+C or a kill never leaves
// a half-written file where the user expects a whole one. The content is
// rendered into memory first: a writer that fails (or a run killed while
// rendering) then leaves no file at all, and the temporary file exists
// only for the moment it takes to write, sync and rename. It is removed
// on any failure; one left by a run killed in that moment is removed by
// the next write to the same path. The file stays 0600 (as CreateTemp
// makes it): exports are private until the user shares them.
func writeFileAtomic(path string, write func(io.Writer) error) error {
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	dir, base := filepath.Dir(path), filepath.Base(path)
	removeStaleTemps(dir, base, time.Now())
	tmp, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	done := false
	defer func() {
		if !done {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	done = true
	return nil
}

// removeStaleTemps removes writeFileAtomic's temporary files for base in
// dir (".base.DIGITS.tmp", as CreateTemp names them) that are older than
// staleTemp. Younger ones may be another run's, writing right now.
func removeStaleTemps(dir, base string, now time.Time) {
	prefix := "." + base + "."
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, en := range entries {
		name := en.Name()
		mid, ok := strings.CutPrefix(name, prefix)
		if !ok {
			continue
		}
		mid, ok = strings.CutSuffix(mid, ".tmp")
		if !ok || mid == "" || strings.Trim(mid, "0123456789") != "" || !en.Type().IsRegular() {
			continue
		}
		if fi, err := en.Info(); err == nil && now.Sub(fi.ModTime()) > staleTemp {
			os.Remove(filepath.Join(dir, name))
		}
	}
}
