package paths

import (
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
