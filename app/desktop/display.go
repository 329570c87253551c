package desktop

import (
	"errors"
	"os"
	"runtime"
)

// errNoDisplay is why the window cannot open. GLFW would otherwise panic
// deep inside Fyne with a Go stack trace that tells a user nothing.
var errNoDisplay = errors.New("no display found (DISPLAY/WAYLAND_DISPLAY unset): the window needs a desktop session; the command line works without one")

// CheckDisplay reports errNoDisplay on a Unix desktop without an X11 or
// Wayland session (an ssh login, a container, a service), before anything
// touches Fyne. macOS and Windows always have a display for the user's
// processes.
func CheckDisplay() error {
	switch runtime.GOOS {
	case "linux", "freebsd", "openbsd", "netbsd", "dragonfly":
		if os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
			return errNoDisplay
		}
	}
	return nil
}
