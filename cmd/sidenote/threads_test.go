package main

import (
	"bytes"
	"errors"
	"fmt"
	"github.com/sidenote-app/sidenote/transcribe/audio/audiotest"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/sidenote-app/sidenote/transcribe/whisper/whispertest"
)

func TestCheckThreads(t *testing.T) {
	cpus := runtime.NumCPU()
	unit := "threads"
	if cpus == 1 {
		unit = "thread"
	}
	clamped := fmt.Sprintf("using %d %s, the number of CPUs", cpus, unit)
	for _, tc := range []struct {
		in, want int
		note     string // on stderr; "" for none
		usage    bool
	}{
		{1, 1, "", false},
		{cpus, cpus, "", false},
		{cpus + 1, cpus, clamped, false},
		{10000, cpus, clamped, false},
		{0, 0, "", true},
		{-4, 0, "", true},
	} {
		var stderr bytes.Buffer
		got, err := checkThreads(&stderr, "transcribe", tc.in)
		if tc.usage {
			if !errors.Is(err, errUsage) || !strings.Contains(err.Error(), "at least 1") {
				t.Errorf("checkThreads(%d): err = %v, want a usage error", tc.in, err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("checkThreads(%d) = %d, %v; want %d", tc.in, got, err, tc.want)
		}
		switch note := stderr.String(); {
		case tc.note == "" && note != "":
			t.Errorf("checkThreads(%d) printed %q, want nothing", tc.in, note)
		case tc.note != "" && (!strings.HasPrefix(note, "sidenote transcribe: ") || !strings.Contains(note, tc.note) || !strings.Contains(note, fmt.Sprint(tc.in))):
			t.Errorf("checkThreads(%d) printed %q, want a sidenote transcribe: line saying %q", tc.in, note, tc.note)
		}
	}
}

// TestTranscribeClampsThreads runs a real transcription asked for ten
// thousand threads: it must run on as many as there are CPUs and say so.
func TestTranscribeClampsThreads(t *testing.T) {
	dir := t.TempDir()
	model := whispertest.WriteModel(t, dir, whispertest.Geometry{})
	wav := audiotest.SpeechLikeWAV(t, dir, 1)
	code, _, errOut := runCLI(t, filepath.Join(dir, "data"), "transcribe", "-m", model, "-no-fallback", "-max-tokens", "8", "-l", "en", "-t", "10000", wav)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if want := fmt.Sprintf("sidenote transcribe: -t 10000 is more than this computer has; using %d thread", runtime.NumCPU()); !strings.Contains(errOut, want) {
		t.Errorf("stderr %q lacks %q", errOut, want)
	}
	code, _, errOut = runCLI(t, filepath.Join(dir, "data"), "transcribe", "-m", model, "-t", "0", wav)
	if code != 2 || !strings.Contains(errOut, "-t must be at least 1") {
		t.Errorf("-t 0: exit %d, stderr %q; want a usage error", code, errOut)
	}
}
