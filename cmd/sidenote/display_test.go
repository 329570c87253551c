package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestWindowWithoutDisplaySaysSo runs the real binary with no arguments,
// as a user would over ssh: without a display it must explain itself in
// one line instead of panicking inside GLFW.
func TestWindowWithoutDisplaySaysSo(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	switch runtime.GOOS {
	case "linux", "freebsd", "openbsd", "netbsd", "dragonfly":
	default:
		t.Skip("this system always has a display")
	}
	dir := t.TempDir()
	bin := buildBinary(t, dir)
	for _, args := range [][]string{nil, {"demo"}} {
		cmd := exec.Command(bin, args...)
		var env []string
		for _, kv := range os.Environ() {
			if !strings.HasPrefix(kv, "DISPLAY=") && !strings.HasPrefix(kv, "WAYLAND_DISPLAY=") {
				env = append(env, kv)
			}
		}
		cmd.Env = append(env,
			"SIDENOTE_DATA_DIR="+filepath.Join(dir, "data"),
			"XDG_CONFIG_HOME="+filepath.Join(dir, "config"),
			"XDG_CACHE_HOME="+filepath.Join(dir, "cache"))
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
			t.Errorf("sidenote %q: exit %v, want status 1\nstderr %s", args, err, stderr.String())
		}
		prefix := "sidenote: "
		if len(args) > 0 {
			prefix = "sidenote " + args[0] + ": "
		}
		want := prefix + "no display found (DISPLAY/WAYLAND_DISPLAY unset): the window needs a desktop session; the command line works without one\n"
		if got := stderr.String(); got != want {
			t.Errorf("sidenote %q: stderr\n%q\nwant\n%q", args, got, want)
		}
		for _, s := range []string{"goroutine", "panic"} {
			if strings.Contains(stdout.String()+stderr.String(), s) {
				t.Errorf("sidenote %q: output mentions %q", args, s)
			}
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "data")); !os.IsNotExist(err) {
		t.Errorf("data folder touched without a window to show (stat: %v)", err)
	}
}
