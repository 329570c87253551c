package paths

import (
	"bytes"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

func TestResolveOrder(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("XDG rules are Linux's")
	}
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv(EnvDataDir, "")
	t.Setenv("XDG_DATA_HOME", "")

	check := func(flag, want string) {
		t.Helper()
		d, err := Resolve(flag)
		if err != nil {
			t.Fatal(err)
		}
		if d.Data != want {
			t.Errorf("Resolve(%q) = %q, want %q", flag, d.Data, want)
		}
	}
	check("", filepath.Join(home, ".local/share/sidenote"))
	t.Setenv("XDG_DATA_HOME", "relative/ignored")
	check("", filepath.Join(home, ".local/share/sidenote"))
	t.Setenv("XDG_DATA_HOME", filepath.Join(home, "xdg"))
	check("", filepath.Join(home, "xdg/sidenote"))
	t.Setenv(EnvDataDir, filepath.Join(home, "env"))
	check("", filepath.Join(home, "env"))
	check(filepath.Join(home, "flag"), filepath.Join(home, "flag"))
}

func TestEnsureIsPrivate(t *testing.T) {
	d := Dirs{Data: filepath.Join(t.TempDir(), "data")}
	if err := d.Ensure(); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{d.Data, d.Models(), d.Recordings()} {
		fi, err := os.Stat(dir)
		if err != nil {
			t.Fatal(err)
		}
		if perm := fi.Mode().Perm(); perm != 0o700 {
			t.Errorf("%s has mode %o, want 700", dir, perm)
		}
	}
}

func TestEnsureLeavesAnExistingFolderAlone(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Unix modes")
	}
	for _, tc := range []struct {
		name  string
		mode  os.FileMode
		warns int
	}{
		{"shared", 0o755, 1},
		{"group readable", 0o750, 1},
		{"private", 0o700, 0},
		{"private but traversable", 0o711, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := filepath.Join(t.TempDir(), "Documents")
			if err := os.Mkdir(data, 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(data, tc.mode); err != nil {
				t.Fatal(err)
			}
			var logged bytes.Buffer
			d := Dirs{Data: data, Log: slog.New(slog.NewTextHandler(&logged, nil))}
			for range 2 { // the second call must not warn again
				if err := d.Ensure(); err != nil {
					t.Fatal(err)
				}
			}
			fi, err := os.Stat(data)
			if err != nil {
				t.Fatal(err)
			}
			if perm := fi.Mode().Perm(); perm != tc.mode {
				t.Errorf("existing %s changed from mode %o to %o", data, tc.mode, perm)
			}
			for _, dir := range []string{d.Models(), d.Recordings()} {
				fi, err := os.Stat(dir)
				if err != nil {
					t.Fatal(err)
				}
				if perm := fi.Mode().Perm(); perm != 0o700 {
					t.Errorf("new %s has mode %o, want 700", dir, perm)
				}
			}
			lines := bytes.Count(logged.Bytes(), []byte("readable by other users"))
			if lines != tc.warns {
				t.Errorf("%d warnings, want %d; log:\n%s", lines, tc.warns, logged.String())
			}
			if tc.warns > 0 {
				for _, s := range []string{"level=WARN", data, "chmod 700", "mode=0" + fmt.Sprintf("%o", tc.mode)} {
					if !bytes.Contains(logged.Bytes(), []byte(s)) {
						t.Errorf("warning lacks %q:\n%s", s, logged.String())
					}
				}
			}
		})
	}
}
