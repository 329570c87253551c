package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/sidenote-app/sidenote/transcribe/audio/audiotest"
	"github.com/sidenote-app/sidenote/transcribe/whisper/whispertest"
)

// runCLI runs one command line in-process against its own data folder.
func runCLI(t *testing.T, dataDir string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	full := append([]string{"-data-dir", dataDir}, args...)
	code = run(context.Background(), full, ioEnv{stdin: strings.NewReader(""), stdout: &out, stderr: &errb})
	return code, out.String(), errb.String()
}

// testModelFlags keep random weights from babbling for seconds per window.
var testModelFlags = []string{"-no-fallback", "-max-tokens", "8", "-t", "1", "-l", "en"}

// toneFlags are testModelFlags for audiotest.SpeechLikeWAV, a tone the
// Silero detector rightly takes for no speech at all: these tests are
// about formats and files, so they decode everything.
var toneFlags = []string{"-no-fallback", "-max-tokens", "8", "-t", "1", "-l", "en", "-no-vad"}

func TestTranscribeEveryFormat(t *testing.T) {
	dir := t.TempDir()
	model := whispertest.WriteModel(t, dir, whispertest.Geometry{})
	wav := audiotest.SpeechLikeWAV(t, dir, 4)

	srtBlock := regexp.MustCompile(`^\d+\n\d{2}:\d{2}:\d{2},\d{3} --> \d{2}:\d{2}:\d{2},\d{3}\n.+`)
	vttCue := regexp.MustCompile(`^\d{2}:\d{2}:\d{2}\.\d{3} --> \d{2}:\d{2}:\d{2}\.\d{3}\n.+`)
	txtLine := regexp.MustCompile(`^\[\d{2}:\d{2}\] .+$`)

	outputs := map[string]string{}
	for _, f := range []string{"txt", "srt", "vtt", "json"} {
		args := append([]string{"transcribe", "-m", model, "-f", f}, toneFlags...)
		code, out, errOut := runCLI(t, filepath.Join(dir, "data"), append(args, wav)...)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", f, code, errOut)
		}
		outputs[f] = out
	}

	var doc struct {
		Segments []struct {
			StartMs int64  `json:"start_ms"`
			EndMs   int64  `json:"end_ms"`
			Text    string `json:"text"`
		} `json:"segments"`
	}
	if err := json.Unmarshal([]byte(outputs["json"]), &doc); err != nil {
		t.Fatalf("json output does not parse: %v\n%s", err, outputs["json"])
	}
	if len(doc.Segments) == 0 {
		t.Fatalf("no segments in %s", outputs["json"])
	}
	for i, s := range doc.Segments {
		if s.StartMs < 0 || s.EndMs < s.StartMs || s.EndMs > 4000 {
			t.Errorf("segment %d spans %d–%d ms in a 4 s file", i, s.StartMs, s.EndMs)
		}
		if strings.TrimSpace(s.Text) == "" {
			t.Errorf("segment %d has no text", i)
		}
	}

	blocks := strings.Split(strings.TrimSuffix(outputs["srt"], "\n\n"), "\n\n")
	if len(blocks) != len(doc.Segments) {
		t.Errorf("srt has %d cues, json %d segments", len(blocks), len(doc.Segments))
	}
	for i, b := range blocks {
		if !srtBlock.MatchString(b) || !strings.HasPrefix(b, strconv.Itoa(i+1)+"\n") {
			t.Errorf("srt cue %d malformed: %q", i+1, b)
		}
	}
	if !strings.HasPrefix(outputs["vtt"], "WEBVTT\n\n") {
		t.Errorf("vtt lacks its header: %q", outputs["vtt"])
	}
	for i, b := range strings.Split(strings.TrimSuffix(strings.TrimPrefix(outputs["vtt"], "WEBVTT\n\n"), "\n\n"), "\n\n") {
		if !vttCue.MatchString(b) {
			t.Errorf("vtt cue %d malformed: %q", i, b)
		}
	}
	for _, l := range strings.Split(strings.TrimSuffix(outputs["txt"], "\n"), "\n") {
		if !txtLine.MatchString(l) {
			t.Errorf("txt line malformed: %q", l)
		}
	}
}

func TestTranscribeWritesOutputFileAtomically(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	model := whispertest.WriteModel(t, dir, whispertest.Geometry{})
	wav := audiotest.SpeechLikeWAV(t, dir, 2)

	// The format comes from -o's extension; flags may follow the file.
	out := filepath.Join(dir, "talk.vtt")
	args := append([]string{"transcribe", wav, "-m", model, "-o", out}, toneFlags...)
	if code, _, errOut := runCLI(t, data, args...); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	got, err := os.ReadFile(out)
	if err != nil || !strings.HasPrefix(string(got), "WEBVTT") {
		t.Fatalf("output %q, %v", got, err)
	}
	if fi, _ := os.Stat(out); fi.Mode().Perm() != 0o600 {
		t.Errorf("transcript mode %o, want 600", fi.Mode().Perm())
	}

	// A failing run leaves the old file alone and no temporary behind.
	args = append([]string{"transcribe", filepath.Join(dir, "missing.wav"), "-m", model, "-o", out}, toneFlags...)
	if code, _, _ := runCLI(t, data, args...); code != 1 {
		t.Fatalf("missing input: exit %d, want 1", code)
	}
	if again, _ := os.ReadFile(out); !bytes.Equal(again, got) {
		t.Error("a failed run changed the existing output")
	}
	if tmps, _ := filepath.Glob(filepath.Join(dir, ".talk.vtt.*")); len(tmps) > 0 {
		t.Errorf("temporary files left: %v", tmps)
	}
}

func TestTranscribeUsesTheDefaultModel(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	src := whispertest.WriteModel(t, dir, whispertest.Geometry{})
	if code, out, errOut := runCLI(t, data, "models", "import", src); code != 0 {
		t.Fatalf("import: exit %d: %s%s", code, out, errOut)
	}
	code, out, _ := runCLI(t, data, "models", "list", "-installed")
	if code != 0 || !strings.Contains(out, "installed, default") {
		t.Fatalf("list after import (exit %d):\n%s", code, out)
	}
	wav := audiotest.SpeechLikeWAV(t, dir, 2)
	if code, _, errOut := runCLI(t, data, append([]string{"transcribe", wav}, toneFlags...)...); code != 0 {
		t.Fatalf("transcribe with the default model: exit %d: %s", code, errOut)
	}
	if code, out, _ := runCLI(t, data, "models", "verify"); code != 0 || !strings.Contains(out, "OK") {
		t.Errorf("verify: exit %d: %s", code, out)
	}
}

func TestFailuresGiveOneLineAndExitCode(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	notWAV := filepath.Join(dir, "song.mp3")
	os.WriteFile(notWAV, []byte("ID3\x03\x00rest of an mp3"), 0o600)
	badModel := filepath.Join(dir, "ggml-bad.bin")
	os.WriteFile(badModel, []byte("lmgg but not really a model"), 0o600)
	wav := audiotest.SpeechLikeWAV(t, dir, 1)

	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no file", []string{"transcribe"}, 2, "give exactly one WAV file"},
		{"bad format", []string{"transcribe", "-f", "docx", wav}, 2, "txt, srt, vtt, json"},
		{"bad flag", []string{"transcribe", "-zzz", wav}, 2, "flag provided but not defined"},
		{"not a wav", []string{"transcribe", notWAV}, 1, "not a WAV file"},
		{"missing wav", []string{"transcribe", filepath.Join(dir, "nope.wav")}, 1, "no such file"},
		{"no model", []string{"transcribe", wav}, 1, "sidenote models download base.en"},
		{"bad model", []string{"transcribe", "-m", badModel, wav}, 1, "ggml-bad.bin"},
		{"unknown command", []string{"frobnicate"}, 2, "unknown command"},
		{"unknown model", []string{"models", "download", "huge-v9"}, 1, "unknown model"},
		{"ftp base URL", []string{"models", "download", "-base-url", "ftp://example.com/models", "base.en"}, 1, `unsupported URL scheme "ftp": use http or https`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := runCLI(t, data, tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, tt.code, errOut)
			}
			if !strings.Contains(errOut, tt.want) {
				t.Errorf("stderr %q lacks %q", errOut, tt.want)
			}
			if tt.code == 1 && strings.Count(strings.TrimSuffix(errOut, "\n"), "\n") != 0 {
				t.Errorf("failure should be one line, got %q", errOut)
			}
		})
	}
}

func TestModelURLFromEnvironmentMustBeHTTP(t *testing.T) {
	t.Setenv("SIDENOTE_MODEL_URL", "file:///srv/models")
	code, _, errOut := runCLI(t, filepath.Join(t.TempDir(), "data"), "models", "download", "base.en")
	if code != 1 || !strings.Contains(errOut, `unsupported URL scheme "file": use http or https`) || strings.Contains(errOut, "network error") {
		t.Errorf("exit %d, stderr %q: want the scheme named as the problem, not the network", code, errOut)
	}
}

// TestBinaryFromFreshShell runs the built binary the way a user does, to
// catch what in-process tests cannot: the exit status and stream use.
func TestBinaryFromFreshShell(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := t.TempDir()
	bin := buildBinary(t, dir)
	cmd := exec.Command(bin, "transcribe", filepath.Join(dir, "missing.wav"))
	cmd.Env = append(os.Environ(), "SIDENOTE_DATA_DIR="+filepath.Join(dir, "data"))
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Fatalf("exit: %v, want status 1", err)
	}
	if stdout.Len() != 0 || !strings.HasPrefix(stderr.String(), "sidenote transcribe: ") {
		t.Errorf("stdout %q stderr %q", stdout.String(), stderr.String())
	}
}

// buildBinary builds the program into dir, with the test binary's own tags
// and race setting so the build cache does most of the work.
func buildBinary(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "sidenote")
	args := []string{"build", "-tags", "sqlite_fts5,migrated_fynedo", "-o", bin}
	if raceEnabled {
		args = append(args, "-race")
	}
	build := exec.Command("go", append(args, ".")...)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

func TestTranscribeRefusesALanguageTheModelLacks(t *testing.T) {
	dir := t.TempDir()
	model := whispertest.WriteModel(t, dir, whispertest.Geometry{}) // English-only
	wav := audiotest.SpeechLikeWAV(t, dir, 1)
	code, _, errOut := runCLI(t, filepath.Join(dir, "data"), "transcribe", "-m", model, "-l", "sv", wav)
	if code != 1 || !strings.Contains(errOut, "English-only") || strings.Contains(errOut, "transcribing") {
		t.Errorf("exit %d, stderr %q: want an early, plain refusal", code, errOut)
	}
	multi := whispertest.WriteModel(t, dir, whispertest.Geometry{NVocab: 51865})
	code, _, errOut = runCLI(t, filepath.Join(dir, "data"), "transcribe", "-m", multi, "-l", "klingon", wav)
	if code != 1 || !strings.Contains(errOut, `"klingon"`) {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}
