package audiotest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FileCaptureDevices makes ALSA capture devices that read raw files (ALSA's
// file plugin), so tests run the real PortAudio capture path, fed
// bit-exactly, on a machine without a sound card. devices maps a device
// name ("default" becomes the default input) to the file it reads, inside
// a new temporary folder; each file starts as silence, and a test writes
// the samples it wants before opening the device. It sets
// ALSA_CONFIG_PATH, so call it from TestMain before anything starts
// PortAudio, which reads the configuration once.
//
// It returns the folder (remove it when done), or "" without error when
// there is no ALSA on this machine, so capture tests can skip.
func FileCaptureDevices(devices map[string]string) (string, error) {
	if _, err := os.Stat("/usr/share/alsa/alsa.conf"); err != nil {
		return "", nil
	}
	dir, err := os.MkdirTemp("", "sidenote-alsa-")
	if err != nil {
		return "", err
	}
	var conf strings.Builder
	for name, file := range devices {
		in := filepath.Join(dir, file)
		if err := os.WriteFile(in, make([]byte, 1<<16), 0o600); err != nil {
			os.RemoveAll(dir)
			return "", err
		}
		if name == "default" {
			name = "!default"
		}
		fmt.Fprintf(&conf, "pcm.%s { type file slave.pcm \"null\" file \"/dev/null\" infile %q format \"raw\" }\n", name, in)
	}
	path := filepath.Join(dir, "asound.conf")
	if err := os.WriteFile(path, []byte(conf.String()), 0o600); err != nil {
		os.RemoveAll(dir)
		return "", err
	}
	os.Setenv("ALSA_CONFIG_PATH", "/usr/share/alsa/alsa.conf:"+path)
	return dir, nil
}

// RunWithFileDevices is a whole TestMain body for tests that capture
// through ALSA's file plugin: it makes devices (FileCaptureDevices), sets
// *dir to their folder ("" when this machine has no ALSA, so those tests
// can skip), runs the tests, removes the folder and returns the exit code.
func RunWithFileDevices(m *testing.M, devices map[string]string, dir *string) int {
	d, err := FileCaptureDevices(devices)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if d != "" {
		defer os.RemoveAll(d)
	}
	*dir = d
	return m.Run()
}
