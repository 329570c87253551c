package models

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

// defaultFile holds the name of the chosen default model. It is hidden so
// List does not mistake it for a model.
const defaultFile = ".default"

// partSuffix marks an unfinished download kept for resuming.
const partSuffix = ".part"

// Library is one models directory. Set its fields before first use; after
// that its methods are safe for concurrent use.
type Library struct {
	// Dir holds the model files, the .part files of unfinished downloads and
	// the default choice. The caller decides where (normally
	// $XDG_DATA_HOME/sidenote/models).
	Dir string
	// BaseURL is the server a model's File is fetched from.
	BaseURL string
	// Catalogue is the set of known models; tests swap in synthetic ones
	// with their own SHA-1s.
	Catalogue []Model
	// Validate checks a file's structure (magic, hyperparameters, length)
	// after download and on import and verify. Nil skips the check and
	// leaves only the SHA-1, which unknown imported files do not have.
	Validate func(path string) error
	// Client performs downloads; nil uses net/http's default transport. The
	// timeouts below apply to any Client.
	Client *http.Client
	// ConnectTimeout limits the wait for a connection (TCP and TLS) to the
	// server; zero means DefaultConnectTimeout.
	ConnectTimeout time.Duration
	// IdleTimeout limits the wait for the next byte of the answer, headers
	// or body: a server that goes quiet for that long ends the download with
	// ErrStalled, the part file kept for the next try. A slow but moving
	// download is never cut off. Zero means DefaultIdleTimeout.
	IdleTimeout time.Duration
	// Logger receives progress notes such as "resuming at N bytes"; nil
	// discards them.
	Logger *slog.Logger

	// freeSpace is freeBytes, replaceable in tests to simulate a full disk.
	freeSpace func(dir string) (int64, error)

	mu          sync.Mutex
	downloading map[string]bool
}

// New opens the models directory dir, creating it readable by the user
// alone if missing, with the standard catalogue and the base URL from
// $SIDENOTE_MODEL_URL or DefaultBaseURL. validate may be nil (see
// Library.Validate).
func New(dir string, validate func(path string) error) (*Library, error) {
	if dir == "" {
		return nil, errors.New("models: no models directory given")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create models directory: %w; check that %s is writable", err, dir)
	}
	return &Library{
		Dir:       dir,
		BaseURL:   BaseURLFromEnv(),
		Catalogue: Catalogue(),
		Validate:  validate,
	}, nil
}

// defaultClient needs no timeouts of its own: a server that never answers
// or stops sending is caught by the watchdog (see watch), whose limits hold
// for any Client.
var defaultClient = &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}

func (l *Library) client() *http.Client {
	if l.Client != nil {
		return l.Client
	}
	return defaultClient
}

func (l *Library) log() *slog.Logger {
	if l.Logger != nil {
		return l.Logger
	}
	return slog.New(slog.DiscardHandler)
}

func (l *Library) free(dir string) (int64, error) {
	if l.freeSpace != nil {
		return l.freeSpace(dir)
	}
	return freeBytes(dir)
}

// Lookup finds a catalogue model by name ("base.en").
func (l *Library) Lookup(name string) (Model, bool) {
	for _, m := range l.Catalogue {
		if m.Name == name {
			return m, true
		}
	}
	return Model{}, false
}

// Entry is one row of List: a catalogue model, installed or not, or a file
// the user imported that the catalogue does not know.
type Entry struct {
	// Model is the catalogue entry; for an imported unknown file only Name
	// (the file name without ".bin" and "ggml-") and File are set.
	Model
	Catalogued   bool
	Installed    bool
	Path         string // where the file is, or will be once downloaded
	SizeOnDisk   int64  // bytes; 0 when not installed
	PartialBytes int64  // bytes of an interrupted download waiting to resume
	Default      bool   // what Default would return
}

// List returns every catalogue model in catalogue order, then the other
// model files in the directory by name. Hidden files and .part files are
// not models and are skipped.
func (l *Library) List() ([]Entry, error) {
	files, err := l.files()
	if err != nil {
		return nil, err
	}
	var out []Entry
	known := map[string]bool{}
	for _, m := range l.Catalogue {
		known[m.File] = true
		e := Entry{Model: m, Catalogued: true, Path: filepath.Join(l.Dir, m.File)}
		if fi, ok := files[m.File]; ok {
			e.Installed, e.SizeOnDisk = true, fi.Size()
		}
		if fi, ok := files[m.File+partSuffix]; ok {
			e.PartialBytes = fi.Size()
		}
		out = append(out, e)
	}
	var extra []Entry
	for name, fi := range files {
		if known[name] || strings.HasSuffix(name, partSuffix) {
			continue
		}
		extra = append(extra, Entry{
			Model:      Model{Name: importedName(name), File: name},
			Installed:  true,
			Path:       filepath.Join(l.Dir, name),
			SizeOnDisk: fi.Size(),
		})
	}
	slices.SortFunc(extra, func(a, b Entry) int { return strings.Compare(a.File, b.File) })
	out = append(out, extra...)
	if d, ok := l.pickDefault(out); ok {
		for i := range out {
			out[i].Default = out[i].File == d.File
		}
	}
	return out, nil
}

// files maps the names of the regular, non-hidden files in Dir to their info.
func (l *Library) files() (map[string]fs.FileInfo, error) {
	des, err := os.ReadDir(l.Dir)
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]fs.FileInfo{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read models directory: %w", err)
	}
	out := make(map[string]fs.FileInfo, len(des))
	for _, de := range des {
		if strings.HasPrefix(de.Name(), ".") {
			continue
		}
		fi, err := os.Stat(filepath.Join(l.Dir, de.Name())) // follows symlinks a user may have made
		if err != nil || !fi.Mode().IsRegular() {
			continue
		}
		out[de.Name()] = fi
	}
	return out, nil
}

// importedName turns "ggml-distil-medium.en.bin" into "distil-medium.en",
// the same shape as catalogue names.
func importedName(file string) string {
	n := strings.TrimSuffix(file, ".bin")
	if t := strings.TrimPrefix(n, "ggml-"); t != "" {
		n = t
	}
	return n
}

// SetDefault records name (a catalogue name or an installed file name) as
// the model to use when none is asked for. The choice lives in the models
// directory so the CLI and the app share it.
func (l *Library) SetDefault(name string) error {
	e, err := l.installed(name)
	if err != nil {
		return err
	}
	if err := writeFileAtomic(l.Dir, defaultFile, []byte(e.File+"\n")); err != nil {
		return fmt.Errorf("save default model: %w", err)
	}
	return nil
}

// Default returns the chosen default model, or when none is chosen (or the
// chosen file was deleted) the best installed one. ErrNoModel when nothing
// is installed.
func (l *Library) Default() (Entry, error) {
	es, err := l.List()
	if err != nil {
		return Entry{}, err
	}
	for _, e := range es {
		if e.Default {
			return e, nil
		}
	}
	return Entry{}, fmt.Errorf("%w (models directory: %s)", ErrNoModel, l.Dir)
}

// pickDefault applies the saved choice, else the fallback rule: the largest
// installed catalogue model, because a user who fetched a big model did so
// for its accuracy; ties go to the later catalogue entry, the newer
// generation. Imported files come last (first by name): we know nothing
// about them.
func (l *Library) pickDefault(es []Entry) (Entry, bool) {
	if b, err := os.ReadFile(filepath.Join(l.Dir, defaultFile)); err == nil {
		want := strings.TrimSpace(string(b))
		for _, e := range es {
			if e.Installed && e.File == want {
				return e, true
			}
		}
		if want != "" {
			l.log().Warn("default model is no longer installed; using another", "file", want)
		}
	}
	var best Entry
	found := false
	for _, e := range es {
		if !e.Installed {
			continue
		}
		switch {
		case !found:
			best, found = e, true
		case e.Catalogued && (!best.Catalogued || cmp.Compare(e.ApproxSize, best.ApproxSize) >= 0):
			best = e
		}
	}
	return best, found
}

// installed finds an installed file by catalogue name, file name, or file
// name without ".bin".
func (l *Library) installed(name string) (Entry, error) {
	es, err := l.List()
	if err != nil {
		return Entry{}, err
	}
	for _, e := range es {
		if e.Name != name && e.File != name {
			continue
		}
		if !e.Installed {
			return Entry{}, fmt.Errorf("%w: %s; get it with: sidenote models download %s", ErrNotInstalled, name, e.Name)
		}
		return e, nil
	}
	return Entry{}, fmt.Errorf("%w: %q is neither a catalogue name nor a file in %s; see sidenote models list", ErrUnknownModel, name, l.Dir)
}

// Resolve turns what a user typed after --model into a file path: empty
// means the default; something with a path separator is a file on disk;
// otherwise a catalogue name or an installed file name, and last a file in
// the working directory.
func (l *Library) Resolve(nameOrPath string) (string, error) {
	if nameOrPath == "" {
		e, err := l.Default()
		return e.Path, err
	}
	if strings.ContainsRune(nameOrPath, os.PathSeparator) || strings.Contains(nameOrPath, "/") {
		return statModel(nameOrPath)
	}
	e, err := l.installed(nameOrPath)
	if err == nil {
		return e.Path, nil
	}
	if !errors.Is(err, ErrUnknownModel) {
		return "", err
	}
	if p, serr := statModel(nameOrPath); serr == nil {
		return p, nil
	}
	return "", err
}

func statModel(p string) (string, error) {
	fi, err := os.Stat(p)
	if err != nil {
		return "", fmt.Errorf("model file: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return "", fmt.Errorf("model file %s is not a regular file", p)
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", fmt.Errorf("model file: %w", err)
	}
	return abs, nil
}

// writeFileAtomic replaces dir/name with data via a synced temporary file
// and a rename, so a crash leaves the old or the new content, never half.
func writeFileAtomic(dir, name string, data []byte) error {
	f, err := os.CreateTemp(dir, "."+name+"-*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp) // no-op after a successful rename
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, filepath.Join(dir, name)); err != nil {
		return err
	}
	syncDir(dir)
	return nil
}

// syncDir makes a rename durable. Best effort: some platforms cannot sync a
// directory, and the rename itself has already succeeded.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}
