package models

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Import copies the model file src into the directory and returns the new
// path; src itself is left alone. A file named like a catalogue model
// (ggml-base.en.bin or base.en.bin) must carry that model's SHA-1, and a file
// with a catalogue SHA-1 is stored under the catalogue name whatever it was
// called. Any other file is kept under its own name once it passes Validate.
// An existing file with the same content is fine; a different one is never
// overwritten (ErrExists).
func (l *Library) Import(src string) (string, error) {
	in, err := os.Open(src)
	if err != nil {
		return "", fmt.Errorf("import: %w", err)
	}
	defer in.Close()
	fi, err := in.Stat()
	if err != nil {
		return "", fmt.Errorf("import: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return "", fmt.Errorf("import: %s is not a regular file", src)
	}
	base := filepath.Base(src)
	if strings.HasPrefix(base, ".") || strings.HasSuffix(base, partSuffix) {
		return "", fmt.Errorf("import: %s: hidden and .part names are reserved for Sidenote's own files; rename it first", src)
	}
	if err := os.MkdirAll(l.Dir, 0o700); err != nil {
		return "", fmt.Errorf("create models directory: %w", err)
	}
	if free, err := l.free(l.Dir); err == nil && free >= 0 && fi.Size() > free {
		return "", diskFullError(l.Dir, fi.Size()-free, nil)
	}

	// Copy first, into a hidden temporary file in the target directory: the
	// hash comes for free while copying, and the final rename is atomic.
	tmp, err := os.CreateTemp(l.Dir, ".import-*.tmp")
	if err != nil {
		return "", fmt.Errorf("import: %w", err)
	}
	tmpPath := tmp.Name()
	defer os.Remove(tmpPath) // no-op once linked or renamed into place
	h := sha1.New()
	_, err = io.CopyBuffer(io.MultiWriter(tmp, h), in, make([]byte, copyBuf))
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		if isNoSpace(err) {
			return "", diskFullError(l.Dir, fi.Size(), err)
		}
		return "", fmt.Errorf("import %s: %w", src, err)
	}
	sum := hex.EncodeToString(h.Sum(nil))

	dest := base
	if m, ok := l.namedLike(base); ok {
		if m.SHA1 != "" && sum != m.SHA1 {
			return "", checksumError(src+" is named like catalogue model "+m.Name, m.SHA1, sum,
				"it is damaged or a different model; download it with sidenote models download "+m.Name+", or rename the file to import it as a custom model")
		}
		dest = m.File
	} else if m, ok := l.bySHA1(sum); ok {
		dest = m.File
	}
	if l.Validate != nil {
		if err := l.Validate(tmpPath); err != nil {
			return "", fmt.Errorf("%w: %s: %w", ErrInvalid, src, err)
		}
	}

	final := filepath.Join(l.Dir, dest)
	if _, err := os.Stat(final); err == nil {
		have, _, err := hashFile(context.Background(), final)
		if err != nil {
			return "", fmt.Errorf("import: compare with existing %s: %w", final, err)
		}
		if have == sum {
			return final, nil // already there, e.g. imported twice
		}
		return "", fmt.Errorf("%w: %s differs from %s; delete it or rename your file, then import again", ErrExists, final, src)
	}
	// A hard link refuses to replace a file that appeared meanwhile, which a
	// rename would silently overwrite; fall back to rename where links fail.
	if err := os.Link(tmpPath, final); err != nil {
		if errors.Is(err, os.ErrExist) {
			return "", fmt.Errorf("%w: %s appeared during the import; run it again", ErrExists, final)
		}
		if err := os.Rename(tmpPath, final); err != nil {
			return "", fmt.Errorf("import: move into place: %w", err)
		}
	}
	syncDir(l.Dir)
	return final, nil
}

// namedLike matches a file name against the catalogue: its file name, or
// its name plus ".bin", so "base.en.bin" cannot pose as a custom model.
func (l *Library) namedLike(base string) (Model, bool) {
	for _, m := range l.Catalogue {
		if base == m.File || base == m.Name+".bin" || base == m.Name {
			return m, true
		}
	}
	return Model{}, false
}

func (l *Library) bySHA1(sum string) (Model, bool) {
	for _, m := range l.Catalogue {
		if m.SHA1 != "" && m.SHA1 == sum {
			return m, true
		}
	}
	return Model{}, false
}
