package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sidenote-app/sidenote/transcribe/whisper/silero"
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
