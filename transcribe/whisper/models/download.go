package models

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// copyBuf is the unit of writing and of progress reports: large enough that
// a multi-GB download makes a few thousand progress calls, not millions.
const copyBuf = 256 << 10

// Download fetches the catalogue model name into the directory and returns
// its path. It writes to FILE.part and resumes an earlier .part with a Range
// request; the finished file is moved into place only after its SHA-1 over
// all bytes matches the catalogue, it is synced to disk and it passes
// Validate. progress, if not nil, gets bytes done and the total (-1 when the
// server does not say) after each chunk.
//
// An installed copy is checked rather than trusted: if its SHA-1 matches it
// is returned without network use; if not, a fresh copy replaces it.
//
// On cancellation, a broken connection or a server that goes quiet for
// IdleTimeout (ErrStalled) the .part file stays, so running the same command
// again continues where it stopped. A base URL that is not http or https is
// a *SchemeError, reported before any network use.
func (l *Library) Download(ctx context.Context, name string, progress func(done, total int64)) (string, error) {
	m, ok := l.Lookup(name)
	if !ok {
		return "", fmt.Errorf("%w: %q; see sidenote models list for the names, or use sidenote models import FILE for other files", ErrUnknownModel, name)
	}
	if err := checkScheme(m.URL(l.BaseURL)); err != nil {
		return "", fmt.Errorf("download of %s: %w", m.Name, err)
	}
	if !l.claim(m.Name) {
		return "", fmt.Errorf("%w: %s", ErrBusy, m.Name)
	}
	defer l.release(m.Name)

	if err := os.MkdirAll(l.Dir, 0o700); err != nil {
		return "", fmt.Errorf("create models directory: %w", err)
	}
	final := filepath.Join(l.Dir, m.File)
	if _, err := os.Stat(final); err == nil {
		got, _, herr := hashFile(ctx, final)
		switch {
		case herr != nil:
			return "", fmt.Errorf("check installed %s: %w", final, herr)
		case m.SHA1 == "" || got == m.SHA1:
			return final, nil
		}
		l.log().Warn("installed model is damaged; downloading it again", "file", final, "want", m.SHA1, "got", got)
	}

	part := final + partSuffix
	// A second attempt happens only when the .part turned out to be
	// unusable for resuming (a 416 for a wrong-sized part, a 206 starting
	// elsewhere); it starts from zero, so two attempts suffice.
	for attempt := 0; ; attempt++ {
		path, restart, err := l.fetch(ctx, m, part, final, progress)
		if !restart || attempt > 0 {
			if restart {
				err = fmt.Errorf("download of %s: the server does not resume consistently; delete %s and try again", m.Name, part)
			}
			return path, err
		}
		if err := os.Remove(part); err != nil && !errors.Is(err, os.ErrNotExist) {
			return "", fmt.Errorf("discard unusable partial download: %w", err)
		}
	}
}

func (l *Library) claim(name string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.downloading[name] {
		return false
	}
	if l.downloading == nil {
		l.downloading = map[string]bool{}
	}
	l.downloading[name] = true
	return true
}

func (l *Library) release(name string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.downloading, name)
}

// fetch makes one request. restart reports that part must be discarded and
// the download started over.
func (l *Library) fetch(ctx context.Context, m Model, part, final string, progress func(done, total int64)) (path string, restart bool, err error) {
	var offset int64
	if fi, err := os.Stat(part); err == nil {
		offset = fi.Size()
	}
	url := m.URL(l.BaseURL)
	rctx, wd := l.watch(ctx)
	defer wd.stop()
	req, err := http.NewRequestWithContext(rctx, http.MethodGet, url, nil)
	if err != nil {
		return "", false, fmt.Errorf("download %s: bad URL %q: %w; check --base-url or %s", m.Name, url, err, EnvBaseURL)
	}
	req.Header.Set("User-Agent", "sidenote")
	if offset > 0 {
		req.Header.Set("Range", fmt.Sprintf("bytes=%d-", offset))
		l.log().Info("resuming download", "model", m.Name, "offset", offset)
	}
	resp, err := l.client().Do(req)
	wd.pause() // the headers are in; reading the body re-arms it
	if err != nil {
		return "", false, l.transferError(ctx, wd, m, url, offset, -1, err)
	}
	defer resp.Body.Close()

	total := int64(-1)
	var discarded int64 // bytes of a .part about to be truncated: free space once the restart begins
	switch {
	case resp.StatusCode == http.StatusPartialContent && offset > 0:
		start, size, ok := parseContentRange(resp.Header.Get("Content-Range"))
		if !ok || start != offset {
			l.log().Warn("server resumed at the wrong place; starting over", "model", m.Name, "content-range", resp.Header.Get("Content-Range"))
			return "", true, nil
		}
		total = size
	case resp.StatusCode == http.StatusOK:
		if offset > 0 {
			// The server ignored Range and sends the whole file: start the
			// part over rather than append a second copy.
			l.log().Info("server cannot resume; downloading from the start", "model", m.Name)
			discarded, offset = offset, 0
		}
		total = resp.ContentLength
	case resp.StatusCode == http.StatusRequestedRangeNotSatisfiable && offset > 0:
		// Typically the .part is already complete: the last run stopped
		// between the final byte and the rename. Check it as it is.
		_, size, _ := parseContentRange(resp.Header.Get("Content-Range"))
		if size != offset {
			l.log().Warn("partial download does not fit the file on the server; starting over", "model", m.Name, "have", offset, "server", size)
			return "", true, nil
		}
		sum, _, err := hashFile(ctx, part)
		if err != nil {
			return "", false, fmt.Errorf("check partial download %s: %w", part, err)
		}
		path, err := l.install(m, part, final, sum)
		return path, false, err
	default:
		return "", false, &HTTPError{URL: url, StatusCode: resp.StatusCode, Status: resp.Status}
	}

	need := total - offset
	if total < 0 {
		need = m.ApproxSize - offset
	}
	if free, err := l.free(l.Dir); err == nil && free >= 0 && need > free+discarded {
		return "", false, diskFullError(l.Dir, need-free-discarded, nil)
	}

	flags := os.O_RDWR | os.O_CREATE
	if offset == 0 {
		flags |= os.O_TRUNC
	}
	f, err := os.OpenFile(part, flags, 0o600)
	if err != nil {
		return "", false, fmt.Errorf("open %s: %w", part, err)
	}
	h := sha1.New()
	if offset > 0 {
		// The checksum covers the whole file, so the bytes fetched by an
		// earlier run go through the hash first; this also leaves the file
		// positioned where the new bytes belong.
		if _, err := io.CopyN(h, f, offset); err != nil {
			f.Close()
			return "", true, fmt.Errorf("read partial download %s: %w", part, err)
		}
	}
	done, err := l.copyBody(f, h, wd.body(resp.Body), offset, total, progress)
	if err == nil && total >= 0 && done != total {
		err = io.ErrUnexpectedEOF
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		var werr *writeError
		if errors.As(err, &werr) {
			if isNoSpace(werr.err) {
				return "", false, diskFullError(l.Dir, max(total-done, MiB), werr.err)
			}
			return "", false, fmt.Errorf("write %s: %w", part, werr.err)
		}
		if isNoSpace(err) {
			return "", false, diskFullError(l.Dir, max(total-done, MiB), err)
		}
		return "", false, l.transferError(ctx, wd, m, url, done, total, err)
	}
	path, err = l.install(m, part, final, hex.EncodeToString(h.Sum(nil)))
	return path, false, err
}

// writeError separates local write failures (disk full) from read failures
// (network) in copyBody's result.
type writeError struct{ err error }

func (e *writeError) Error() string { return e.err.Error() }
func (e *writeError) Unwrap() error { return e.err }

func (l *Library) copyBody(f *os.File, h hash.Hash, body io.Reader, done, total int64, progress func(done, total int64)) (int64, error) {
	if progress != nil {
		progress(done, total)
	}
	buf := make([]byte, copyBuf)
	for {
		n, rerr := fill(body, buf)
		if n > 0 {
			if _, err := f.Write(buf[:n]); err != nil {
				return done, &writeError{err}
			}
			h.Write(buf[:n])
			done += int64(n)
			if progress != nil {
				progress(done, total)
			}
		}
		if rerr == io.EOF {
			return done, nil
		}
		if rerr != nil {
			return done, rerr
		}
	}
}

// fill reads until buf is full or r fails, passing r's error through
// unchanged (unlike io.ReadFull, which would turn a clean end into
// io.ErrUnexpectedEOF and make it look like a cut connection).
func fill(r io.Reader, buf []byte) (int, error) {
	n := 0
	for n < len(buf) {
		k, err := r.Read(buf[n:])
		n += k
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// transferError explains a failed, stalled or cancelled transfer. The .part
// stays on disk in every case, which is what makes "run it again" resume.
func (l *Library) transferError(ctx context.Context, wd *watchdog, m Model, url string, done, total int64, err error) error {
	got := ""
	if done > 0 {
		got = fmt.Sprintf(" after %d", done/MiB)
		if total > 0 {
			got += fmt.Sprintf(" of %d", total/MiB)
		}
		got += " MB"
	}
	if ctx.Err() != nil {
		return fmt.Errorf("download of %s stopped%s; run the same command again to resume: %w", m.Name, got, ctx.Err())
	}
	if phase, host, wait, ok := wd.stalled(); ok {
		next := "check your connection, then run the same command again"
		if done > 0 {
			next = "the partial file is kept: run the same command again to resume where it stopped"
		}
		what := fmt.Sprintf("no data from %s for %v%s", url, wait, got)
		if phase == "connect" {
			what = fmt.Sprintf("could not connect to %s within %v; check your connection", host, wait)
		}
		return &stallError{fmt.Sprintf("download of %s stalled: %s; %s", m.Name, what, next)}
	}
	return fmt.Errorf("%w: download of %s from %s failed%s: %w; check your connection; run the same command again to resume", ErrNetwork, m.Name, url, got, err)
}

// install checks a complete part file and moves it into place. A wrong
// checksum deletes the part: resuming a corrupt file can only fail again.
func (l *Library) install(m Model, part, final, sum string) (string, error) {
	if m.SHA1 != "" && sum != m.SHA1 {
		os.Remove(part)
		return "", checksumError("download of "+m.Name, m.SHA1, sum,
			"the file was corrupted on the way or the server sent another file; run the same command again, and if it repeats check --base-url or "+EnvBaseURL)
	}
	if l.Validate != nil {
		if err := l.Validate(part); err != nil {
			os.Remove(part)
			return "", fmt.Errorf("%w: downloaded %s: %w; report this, the published file should always pass", ErrInvalid, m.Name, err)
		}
	}
	if err := os.Rename(part, final); err != nil {
		return "", fmt.Errorf("move %s into place: %w", final, err)
	}
	syncDir(l.Dir)
	return final, nil
}

// parseContentRange reads "bytes START-END/SIZE" or "bytes */SIZE"; size is
// -1 when the server writes "*".
func parseContentRange(v string) (start, size int64, ok bool) {
	rest, found := strings.CutPrefix(strings.TrimSpace(v), "bytes ")
	if !found {
		return 0, -1, false
	}
	rng, sz, found := strings.Cut(rest, "/")
	if !found {
		return 0, -1, false
	}
	size = -1
	if sz != "*" {
		n, err := strconv.ParseInt(sz, 10, 64)
		if err != nil || n < 0 {
			return 0, -1, false
		}
		size = n
	}
	if rng == "*" {
		return 0, size, true
	}
	s, _, found := strings.Cut(rng, "-")
	if !found {
		return 0, size, false
	}
	start, err := strconv.ParseInt(s, 10, 64)
	if err != nil || start < 0 {
		return 0, size, false
	}
	return start, size, true
}

// hashFile returns the hex SHA-1 and length of the file at path, checking
// ctx between chunks because a large model takes seconds.
func hashFile(ctx context.Context, path string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha1.New()
	buf := make([]byte, copyBuf)
	var n int64
	for {
		if err := ctx.Err(); err != nil {
			return "", n, err
		}
		k, err := f.Read(buf)
		h.Write(buf[:k])
		n += int64(k)
		if err == io.EOF {
			return hex.EncodeToString(h.Sum(nil)), n, nil
		}
		if err != nil {
			return "", n, err
		}
	}
}
