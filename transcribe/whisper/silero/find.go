package silero

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// EnvPath names the environment variable that points at the model file;
// make exports it for tests and `make run`.
const EnvPath = "SIDENOTE_VAD_MODEL"

// CacheDir is the folder under Sidenote's cache (beside whisper-1.9.1)
// where make writes the model.
const CacheDir = "silero-vad-5.1.2"

// DefaultPath is where the build put the model; `make build` sets it with
// -ldflags -X to the cache it generated into.
var DefaultPath string

// ErrNotFound: no model file in any of the places Find looks.
var ErrNotFound = errors.New("silero VAD model not found")

// Find returns the first model file that exists among: $SIDENOTE_VAD_MODEL
// (only that, when set), beside the executable, DefaultPath, and
// CacheDir under $XDG_CACHE_HOME/sidenote and $HOME/.cache/sidenote. It
// checks only that the file exists; Validate checks what it holds.
func Find() (string, error) {
	if p := os.Getenv(EnvPath); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("%w: $%s is %s: %w", ErrNotFound, EnvPath, p, err)
		}
		return p, nil
	}
	var tried []string
	if exe, err := os.Executable(); err == nil {
		tried = append(tried, filepath.Join(filepath.Dir(exe), FileName))
	}
	if DefaultPath != "" {
		tried = append(tried, DefaultPath)
	}
	if dir, err := os.UserCacheDir(); err == nil {
		tried = append(tried, filepath.Join(dir, "sidenote", CacheDir, FileName))
	}
	if home, err := os.UserHomeDir(); err == nil {
		tried = append(tried, filepath.Join(home, ".cache", "sidenote", CacheDir, FileName))
	}
	tried = slices.Compact(tried) // the cache dir is usually $HOME/.cache
	for _, p := range tried {
		if _, err := os.Stat(p); err == nil {
			return p, nil
		} else if !errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("%w: %s: %w", ErrNotFound, p, err)
		}
	}
	return "", fmt.Errorf("%w (run make, or set $%s); looked in %s", ErrNotFound, EnvPath, strings.Join(tried, ", "))
}
