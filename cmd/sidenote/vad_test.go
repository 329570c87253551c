package main

import (
	"encoding/json"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sidenote-app/sidenote/transcribe/audio/audiotest"
	"github.com/sidenote-app/sidenote/transcribe/whisper/silero"
	"github.com/sidenote-app/sidenote/transcribe/whisper/whispertest"
)

func jfkWAV(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/ggerganov/whisper.cpp/bindings/go").Output()
	if err != nil {
		t.Skipf("whisper.cpp bindings module not found: %v", err)
	}
	return filepath.Join(strings.TrimSpace(string(out)), "samples", "jfk.wav")
}

// `sidenote vad -json` prints the regions Silero finds in human speech:
// JFK's 11 s have pauses between phrases, so several regions, all inside
// the file.
func TestVADCommand(t *testing.T) {
	if _, err := silero.Find(); err != nil {
		if os.Getenv(silero.EnvPath) != "" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	code, out, errOut := runCLI(t, t.TempDir(), "vad", "-json", jfkWAV(t))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var regions []speechRegion
	if err := json.Unmarshal([]byte(out), &regions); err != nil {
		t.Fatalf("%v in %q", err, out)
	}
	if len(regions) < 3 {
		t.Errorf("%d regions (%s), want the phrases apart", len(regions), out)
	}
	var last int64
	for _, r := range regions {
		if r.StartMs < last || r.EndMs <= r.StartMs || r.EndMs > 11000 {
			t.Errorf("region %+v after %d ms", r, last)
		}
		last = r.EndMs
	}
	if strings.Contains(errOut, "falls back") {
		t.Errorf("fell back with a good model: %s", errOut)
	}
}

// A damaged model is never a crash: the command says so and uses the
// energy detector.
func TestVADCommandFallsBack(t *testing.T) {
	bad := filepath.Join(t.TempDir(), silero.FileName)
	if err := os.WriteFile(bad, []byte("lmgg not a model"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv(silero.EnvPath, bad)
	code, out, errOut := runCLI(t, t.TempDir(), "vad", "-json", jfkWAV(t))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(errOut, "falls back to the energy detector") {
		t.Errorf("stderr %q does not say it fell back", errOut)
	}
	var regions []speechRegion
	if err := json.Unmarshal([]byte(out), &regions); err != nil || len(regions) == 0 {
		t.Errorf("energy detector output %q: %v", out, err)
	}
}

// `transcribe` skips non-speech with the Silero model: ten minutes of a
// quiet room give no text. Run with -v for the timings. With the tiny
// random-weight test model decoding is cheaper than whisper.cpp's VAD
// pass (about 40 ms per audio second here), so the speed is not asserted:
// a real model spends seconds per 30 s window that the VAD saves.
func TestTranscribeSkipsSilence(t *testing.T) {
	if _, err := silero.Find(); err != nil {
		if os.Getenv(silero.EnvPath) != "" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	dir := t.TempDir()
	model := whispertest.WriteModel(t, dir, whispertest.Geometry{})
	const rate = 16000
	room := make([]float32, 10*60*rate)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range room {
		room[i] = float32(rng.NormFloat64() * 0.001) // -60 dBFS
	}
	wav := filepath.Join(dir, "room.wav")
	audiotest.WriteWAV(t, wav, audiotest.Spec{Rate: rate, Channels: 1, Bits: 16}, room)
	timed := func(extra ...string) (time.Duration, string) {
		args := append(append([]string{"transcribe", "-m", model, "-f", "json"}, testModelFlags...), extra...)
		start := time.Now()
		code, out, errOut := runCLI(t, filepath.Join(dir, "data"), append(args, wav)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", extra, code, errOut)
		}
		return time.Since(start), out
	}
	withVAD, out := timed()
	if strings.Contains(out, `"text"`) {
		t.Errorf("10 min of a quiet room gave text: %.300s", out)
	}
	without, _ := timed("-no-vad")
	t.Logf("10 min of room noise: %v with Silero, %v decoding everything (random-weight model)", withVAD, without)
	if per := withVAD / 600; per > 100*time.Millisecond {
		t.Errorf("VAD pass %v per audio second, want well under 100 ms", per)
	}
}
