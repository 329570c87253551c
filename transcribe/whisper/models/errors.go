package models

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
)

// Sentinel errors, checked with errors.Is. The wrapping messages carry the
// details (file, expected and actual values) and what the user can do.
var (
	// ErrNoModel: nothing is installed, so there is no default to fall back on.
	ErrNoModel = errors.New("no speech model installed; get one with: sidenote models download base.en")
	// ErrUnknownModel: a name that is neither in the catalogue nor installed.
	ErrUnknownModel = errors.New("unknown model")
	// ErrNotInstalled: a catalogue model that has not been downloaded yet.
	ErrNotInstalled = errors.New("model not installed")
	// ErrChecksum: a file's SHA-1 differs from the catalogue's.
	ErrChecksum = errors.New("SHA-1 checksum mismatch")
	// ErrInvalid: the Validate hook rejected a file's structure.
	ErrInvalid = errors.New("not a usable whisper model file")
	// ErrDiskFull: not enough free space in the models directory.
	ErrDiskFull = errors.New("not enough disk space")
	// ErrNetwork: the connection failed or broke off; the part file is kept.
	ErrNetwork = errors.New("network error")
	// ErrStalled: no connection within Library.ConnectTimeout, or no data
	// for Library.IdleTimeout; the part file is kept. Every ErrStalled is
	// also an ErrNetwork.
	ErrStalled = errors.New("download stalled")
	// ErrExists: a different file already has the name an import wants.
	ErrExists = errors.New("a different file with that name already exists")
	// ErrBusy: the same model is already being downloaded by this Library.
	ErrBusy = errors.New("download already in progress")
)

// HTTPError is a download answered with an unexpected HTTP status.
type HTTPError struct {
	URL        string
	StatusCode int
	Status     string // e.g. "404 Not Found"
}

func (e *HTTPError) Error() string {
	hint := "try again later"
	switch {
	case e.StatusCode == http.StatusNotFound:
		hint = "check the model name and the base URL (--base-url or " + EnvBaseURL + ")"
	case e.StatusCode == http.StatusUnauthorized || e.StatusCode == http.StatusForbidden:
		hint = "the server refused access; check the base URL (--base-url or " + EnvBaseURL + ")"
	case e.StatusCode >= 500:
		hint = "the server has a problem; try again later"
	}
	return fmt.Sprintf("download failed: %s answered %s; %s", e.URL, e.Status, hint)
}

// stallError is a download the watchdog ended. Its message says what went
// quiet and what to do; errors.Is matches both ErrStalled and ErrNetwork.
type stallError struct{ msg string }

func (e *stallError) Error() string { return e.msg }

func (e *stallError) Is(target error) bool { return target == ErrStalled || target == ErrNetwork }

// SchemeError is a download URL that is not http or https (ftp://, file://,
// or no scheme at all), usually from --base-url or $SIDENOTE_MODEL_URL.
type SchemeError struct {
	URL    string
	Scheme string // lower case; "" when the URL has none
}

func (e *SchemeError) Error() string {
	if e.Scheme == "" {
		return fmt.Sprintf("download URL %s has no scheme: use http or https; check --base-url or %s", e.URL, EnvBaseURL)
	}
	return fmt.Sprintf("unsupported URL scheme %q: use http or https; check --base-url or %s (%s)", e.Scheme, EnvBaseURL, e.URL)
}

// checkScheme refuses what net/http cannot fetch before it is mistaken for a
// network failure. A URL that does not parse is left to the request, which
// reports it as a bad URL.
func checkScheme(rawURL string) error {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return &SchemeError{URL: rawURL, Scheme: u.Scheme}
	}
	return nil
}

// checksumError names the file and both hashes so the user can compare them
// with the published list themselves.
func checksumError(what, want, got, advice string) error {
	return fmt.Errorf("%w: %s: expected %s, got %s; %s", ErrChecksum, what, want, got, advice)
}

// diskFullError says how much to free and where, in whole megabytes rounded up.
func diskFullError(dir string, need int64, cause error) error {
	mb := (need + MiB - 1) / MiB
	if mb < 1 {
		mb = 1
	}
	if cause != nil {
		return fmt.Errorf("%w: free %d MB in %s, then run the same command again: %w", ErrDiskFull, mb, dir, cause)
	}
	return fmt.Errorf("%w: free %d MB in %s, then run the same command again", ErrDiskFull, mb, dir)
}
