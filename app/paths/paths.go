// Package paths decides where Sidenote keeps the user's data: the database,
// recordings and speech models. Everything lives under one data folder so a
// user can back it up, move it, or point a portable copy somewhere else.
package paths

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"sync"
)

// EnvDataDir overrides the data folder; tests and portable installs use it.
const EnvDataDir = "SIDENOTE_DATA_DIR"

// Dirs is a resolved data folder.
type Dirs struct {
	Data string
	// Log receives Ensure's warning about a folder other users can read;
	// nil uses slog.Default().
	Log *slog.Logger
}

// Resolve picks the data folder: an explicit flag value, else
// $SIDENOTE_DATA_DIR, else the platform's per-user data folder
// ($XDG_DATA_HOME/sidenote, ~/.local/share/sidenote,
// ~/Library/Application Support/Sidenote, %AppData%\Sidenote).
func Resolve(flagValue string) (Dirs, error) {
	dir := flagValue
	if dir == "" {
		dir = os.Getenv(EnvDataDir)
	}
	if dir == "" {
		base, err := userDataDir()
		if err != nil {
			return Dirs{}, fmt.Errorf("finding your data folder: %w (set %s to choose one)", err, EnvDataDir)
		}
		name := "sidenote"
		if runtime.GOOS == "darwin" || runtime.GOOS == "windows" {
			name = "Sidenote"
		}
		dir = filepath.Join(base, name)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return Dirs{}, fmt.Errorf("data folder %q: %w", dir, err)
	}
	return Dirs{Data: abs}, nil
}

func userDataDir() (string, error) {
	switch runtime.GOOS {
	case "windows", "darwin":
		// os.UserConfigDir is %AppData% and ~/Library/Application Support:
		// on these systems config and data share one folder.
		return os.UserConfigDir()
	}
	if d := os.Getenv("XDG_DATA_HOME"); filepath.IsAbs(d) {
		return d, nil // the XDG spec says to ignore relative values
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", err
	}
	if home == "" {
		return "", errors.New("no home folder")
	}
	return filepath.Join(home, ".local", "share"), nil
}

// Models is the folder of speech model files.
func (d Dirs) Models() string { return filepath.Join(d.Data, "models") }

// Database is the SQLite file holding interviews, notes and transcripts.
func (d Dirs) Database() string { return filepath.Join(d.Data, "sidenote.db") }

// Recordings is the folder of interview audio.
func (d Dirs) Recordings() string { return filepath.Join(d.Data, "recordings") }

// Locks is the folder of per-interview lock files, one per interview
// live in some process (see app/live.Lock).
func (d Dirs) Locks() string { return filepath.Join(d.Data, "locks") }

// Ensure creates the missing data folders readable by the user alone:
// interview audio and notes are private, whatever the umask says.
//
// A folder that already exists keeps its mode: the user may have pointed
// the data folder at one they share on purpose (~/Documents, a synced
// folder), and changing its permissions behind their back would break
// that. When other users can read it, Ensure warns once per folder and
// process through d.Log instead.
func (d Dirs) Ensure() error {
	for _, dir := range []string{d.Data, d.Models(), d.Recordings()} {
		fi, err := os.Stat(dir)
		switch {
		case err == nil && !fi.IsDir():
			return fmt.Errorf("creating %s: it exists and is not a folder", dir)
		case err == nil:
			d.warnIfShared(dir, fi.Mode().Perm())
			continue
		case !errors.Is(err, fs.ErrNotExist):
			return fmt.Errorf("checking %s: %w", dir, err)
		}
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return fmt.Errorf("creating %s: %w", dir, err)
		}
		if err := os.Chmod(dir, 0o700); err != nil {
			return fmt.Errorf("making %s private: %w", dir, err)
		}
	}
	return nil
}

// warned holds the folders already warned about, so a process that calls
// Ensure more than once says it once.
var warned sync.Map

func (d Dirs) warnIfShared(dir string, perm fs.FileMode) {
	// Windows reports made-up Unix modes; its folders' ACLs are another
	// matter, and the per-user AppData folder is private by default.
	if runtime.GOOS == "windows" || perm&0o044 == 0 {
		return
	}
	if _, dup := warned.LoadOrStore(dir, true); dup {
		return
	}
	log := d.Log
	if log == nil {
		log = slog.Default()
	}
	log.Warn("data folder is readable by other users; sidenote leaves its permissions alone. To keep interviews private run chmod 700 on it or choose another folder with -data-dir or "+EnvDataDir,
		"folder", dir, "mode", fmt.Sprintf("%04o", perm))
}
