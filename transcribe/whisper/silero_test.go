package whisper_test

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/sidenote-app/sidenote/transcribe/audio"
	"github.com/sidenote-app/sidenote/transcribe/whisper"
	"github.com/sidenote-app/sidenote/transcribe/whisper/silero"
)

var update = flag.Bool("update", false, "rewrite testdata goldens")

// sileroModel is the model make generated; tests that need it skip
// without it unless make said where it is.
func sileroModel(t testing.TB) string {
	t.Helper()
	path, err := silero.Find()
	if err != nil {
		if os.Getenv(silero.EnvPath) != "" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	return path
}

// jfkSamples is the whisper.cpp bindings' sample of human speech.
func jfkSamples(t testing.TB) []float32 {
	t.Helper()
	path := filepath.Join(bindingsDir(t), "samples", "jfk.wav")
	x, _, err := audio.ReadWAV16k(path)
	if err != nil {
		t.Skip(err)
	}
	return x[:len(x)/whisper.SileroWindow*whisper.SileroWindow]
}

func classify(t testing.TB, s *whisper.Silero, x []float32, per int) []float32 {
	t.Helper()
	probs := make([]float32, len(x)/whisper.SileroWindow)
	step := per * whisper.SileroWindow
	for i := 0; i < len(x); i += step {
		j := min(i+step, len(x))
		if err := s.Classify(x[i:j], probs[i/whisper.SileroWindow:j/whisper.SileroWindow]); err != nil {
			t.Fatal(err)
		}
	}
	return probs
}

// The probabilities on jfk.wav, window by window, match a reference
// recorded once from this converter and whisper.cpp 1.9.1 (-update
// rewrites it). A converter change that moves any weight shows here. The
// same numbers come however the stream is chunked, and again after Reset.
func TestSileroProbabilitiesOnSpeech(t *testing.T) {
	s, err := whisper.OpenSilero(sileroModel(t))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	x := jfkSamples(t)
	got := classify(t, s, x, 1)
	golden := filepath.Join("testdata", "silero-jfk.txt")
	if *update {
		var b strings.Builder
		for _, p := range got {
			fmt.Fprintf(&b, "%.5f\n", p)
		}
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want := readFloats(t, golden)
	if len(want) != len(got) {
		t.Fatalf("%d windows, golden has %d", len(got), len(want))
	}
	const tol = 0.004
	speech := 0
	for i := range want {
		if d := math.Abs(float64(got[i] - want[i])); d > tol {
			t.Errorf("window %d (%.2f s): p = %.5f, want %.5f ± %g", i, float64(i*512)/16000, got[i], want[i], tol)
		}
		if got[i] >= 0.5 {
			speech++
		}
	}
	// jfk.wav is 11 s of nearly continuous speech with short pauses.
	if frac := float64(speech) / float64(len(got)); frac < 0.6 || frac > 0.95 {
		t.Errorf("%.0f%% of windows speech, want most but not all", 100*frac)
	}
	s.Reset()
	again := classify(t, s, x, 7)
	for i := range got {
		if math.Abs(float64(again[i]-got[i])) > 1e-5 {
			t.Fatalf("after Reset, in chunks of 7 windows: window %d p = %g, want %g", i, again[i], got[i])
		}
	}
}

func readFloats(t *testing.T, path string) []float32 {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("%v (run with -update to record it)", err)
	}
	defer f.Close()
	var out []float32
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		v, err := strconv.ParseFloat(sc.Text(), 32)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, float32(v))
	}
	return out
}

// A damaged or missing model is an error, never a crash in whisper.cpp.
func TestOpenSileroRejectsDamage(t *testing.T) {
	dir := t.TempDir()
	good := sileroModel(t)
	b, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{
		"empty": nil, "header only": b[:106], "half": b[:len(b)/2], "whisper model instead": []byte("lmgg\x00\x00"),
	} {
		p := filepath.Join(dir, name)
		os.WriteFile(p, data, 0o600)
		if _, err := whisper.OpenSilero(p); !errors.Is(err, whisper.ErrSileroModel) {
			t.Errorf("%s: %v, want ErrSileroModel", name, err)
		}
	}
	if _, err := whisper.OpenSilero(filepath.Join(dir, "missing")); !errors.Is(err, whisper.ErrSileroModel) {
		t.Errorf("missing: %v, want ErrSileroModel", err)
	}
	s, err := whisper.OpenSilero(good)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if err := s.Classify(make([]float32, 512), make([]float32, 1)); !errors.Is(err, whisper.ErrClosed) {
		t.Errorf("Classify after Close: %v, want ErrClosed", err)
	}
}

// BenchmarkSileroPerAudioSecond is the CPU one input's detector costs per
// second of audio: 31.25 windows, classified one at a time as live does.
func BenchmarkSileroPerAudioSecond(b *testing.B) {
	s, err := whisper.OpenSilero(sileroModel(b))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	x := jfkSamples(b)[:16000/512*512]
	p := make([]float32, 1)
	for b.Loop() {
		for i := 0; i < len(x); i += 512 {
			if err := s.Classify(x[i:i+512], p); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// bindingsDir is the whisper.cpp Go bindings module in the module cache.
func bindingsDir(t testing.TB) string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/ggerganov/whisper.cpp/bindings/go").Output()
	if err != nil || len(out) == 0 {
		t.Skipf("whisper.cpp bindings module not found: %v", err)
	}
	return strings.TrimSpace(string(out))
}
