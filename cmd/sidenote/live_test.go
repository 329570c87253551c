package main

import (
	"encoding/binary"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/sidenote-app/sidenote/transcribe/audio"
	"github.com/sidenote-app/sidenote/transcribe/audio/audiotest"
	"github.com/sidenote-app/sidenote/transcribe/whisper/whispertest"
)

// alsaDir holds an ALSA configuration whose default capture device reads
// a raw file (ALSA's file plugin): `sidenote live` runs its real capture
// path on a machine without a sound card. It must be set before anything
// starts PortAudio, hence TestMain.
var alsaDir string

func TestMain(m *testing.M) {
	os.Exit(audiotest.RunWithFileDevices(m, map[string]string{"default": "mic.raw"}, &alsaDir))
}

func TestLiveTranscribesTheMicrophoneIntoAnInterview(t *testing.T) {
	if alsaDir == "" {
		t.Skip("no ALSA here")
	}
	if _, err := exec.LookPath("espeak-ng"); err != nil {
		t.Skip("espeak-ng is not installed (make deps installs it)")
	}
	dir := t.TempDir()
	speech := filepath.Join(dir, "speech.wav")
	if out, err := exec.Command("espeak-ng", "-w", speech, "Tell me about a project you are proud of.").CombinedOutput(); err != nil {
		t.Fatalf("espeak-ng: %v %s", err, out)
	}
	voice, _, err := audio.ReadWAV16k(speech)
	if err != nil {
		t.Fatal(err)
	}
	// The file plugin's device runs at 44.1 kHz mono float32: put the
	// speech at 1 s in 8 s of silence, at the device's rate.
	up, err := audio.NewResampler(16000, 44100)
	if err != nil {
		t.Fatal(err)
	}
	mic := make([]float32, 16000, 8*16000)
	mic = append(mic, voice...)
	mic = mic[:8*16000]
	raw := up.Flush(up.Process(mic, nil))
	b := make([]byte, 4*len(raw))
	for i, v := range raw {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(v))
	}
	if err := os.WriteFile(filepath.Join(alsaDir, "mic.raw"), b, 0o600); err != nil {
		t.Fatal(err)
	}

	model := whispertest.WriteModel(t, dir, whispertest.Geometry{})
	data := filepath.Join(dir, "data")
	code, out, errOut := runCLI(t, data, "live", "-model", model, "-for", "7s", "-finish-within", "2m", "-record", "-title", "Rehearsal", "-t", "1", "-l", "en", "-max-tokens", "8")
	if code != 0 {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", code, out, errOut)
	}
	if !regexp.MustCompile(`(?m)^\[00:0[0-3]\] You: .+$`).MatchString(out) {
		t.Errorf("no transcript line for the speech at 00:01 in:\n%s", out)
	}
	if !strings.Contains(errOut, "Saved as interview 1") {
		t.Errorf("stderr does not say where it was saved:\n%s", errOut)
	}

	code, shown, _ := runCLI(t, data, "show", "1")
	if code != 0 || !strings.Contains(shown, "Rehearsal") || !strings.Contains(shown, "You:") {
		t.Errorf("show 1 (exit %d):\n%s", code, shown)
	}
	recs, _ := filepath.Glob(filepath.Join(data, "recordings", "*.wav"))
	if len(recs) != 1 {
		t.Fatalf("recordings %v, want one", recs)
	}
	f, err := audio.OpenWAV(recs[0])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// At least the 7 s asked for; the file plugin delivers faster than
	// real time, so a little more may arrive before the stop takes hold.
	if d := f.Format().Duration.Seconds(); d < 6.9 {
		t.Errorf("recording lasts %.2f s, want at least 7", d)
	}
}

func TestLiveRefusesAMissingDevice(t *testing.T) {
	if alsaDir == "" {
		t.Skip("no ALSA here")
	}
	dir := t.TempDir()
	model := whispertest.WriteModel(t, dir, whispertest.Geometry{})
	code, _, errOut := runCLI(t, filepath.Join(dir, "data"), "live", "-model", model, "-device", "no such microphone")
	if code != 1 || !strings.Contains(errOut, "microphone") || !strings.Contains(errOut, "no such microphone") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}
