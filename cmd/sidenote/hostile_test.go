package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sidenote-app/sidenote/app/interview"
	"github.com/sidenote-app/sidenote/app/store/export"
	"github.com/sidenote-app/sidenote/transcribe/audio"
	"github.com/sidenote-app/sidenote/transcribe/audio/audiotest"
)

// Tests for files made to hurt: an export someone sends you can name
// any path and hold any bytes (issue #13).

// writeExport writes b as an interview export at path.
func writeExport(t *testing.T, path string, b *interview.Bundle) {
	t.Helper()
	var buf bytes.Buffer
	must(t, export.WriteJSON(&buf, b))
	must(t, os.WriteFile(path, buf.Bytes(), 0o600))
}

// TestImportNeverTakesTheUsersFiles: recordings an imported file names by
// an absolute path, by ../ or through a symlink are left out with a
// reason, and deleting the interview leaves those files alone; the audio
// next to the file comes in as a copy that plays and goes with the
// interview.
func TestImportNeverTakesTheUsersFiles(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	canary := filepath.Join(dir, "canary")
	must(t, os.WriteFile(canary, []byte("thesis"), 0o600))
	from := filepath.Join(dir, "inbox")
	must(t, os.MkdirAll(from, 0o700))
	must(t, os.Symlink(canary, filepath.Join(from, "link.wav")))
	legit := filepath.Join(from, "you.wav")
	audiotest.WriteWAV(t, legit, audiotest.Spec{Rate: 16000, Channels: 1, Bits: 16}, audiotest.Sine(16000, 440, 0.3, 8000))
	b := &interview.Bundle{Interview: interview.Interview{Title: "From a stranger", Mode: interview.ModeInterviewer, State: interview.StateEnded}}
	for _, p := range []string{canary, "../canary", "link.wav", "you.wav"} {
		b.Recordings = append(b.Recordings, interview.Recording{Source: interview.SourceYou, Path: p, SampleRate: 16000, Duration: time.Second})
	}
	file := filepath.Join(from, "interview.json")
	writeExport(t, file, b)

	code, out, errOut := runCLI(t, data, "import", file)
	m := importedRe.FindStringSubmatch(out)
	if code != 0 || m == nil {
		t.Fatalf("import: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if !strings.Contains(out, `"From a stranger" (1 recording)`) {
		t.Errorf("import should count the one recording that came in: %q", out)
	}
	for _, want := range []string{"recording 1 (" + canary + "): not a WAV file", "recording 2 (../canary): not a WAV file",
		"recording 3 (link.wav): not a regular file: it is a symbolic link"} {
		if !strings.Contains(errOut, "sidenote import: "+file+": left out "+want+"\n") {
			t.Errorf("stderr does not say %q:\n%s", want, errOut)
		}
	}
	s := openTestStore(t, data)
	id, _ := strconv.ParseInt(m[1], 10, 64)
	recs, err := s.Recordings(context.Background(), id)
	if err != nil || len(recs) != 1 {
		t.Fatalf("recordings: %+v, %v; want 1", recs, err)
	}
	copied := recs[0].Path
	if filepath.Dir(copied) != filepath.Join(data, "recordings") {
		t.Errorf("the audio was not copied into the data folder: %s", copied)
	}
	w, err := audio.OpenWAV(copied)
	if err != nil {
		t.Fatalf("the copy does not play: %v", err)
	}
	if got := w.Format().Duration; got != 500*time.Millisecond {
		t.Errorf("the copy plays %v, want 500ms", got)
	}
	w.Close()

	if code, _, errOut := runCLI(t, data, "delete", "-y", m[1]); code != 0 {
		t.Fatalf("delete: exit %d, %s", code, errOut)
	}
	if got, err := os.ReadFile(canary); err != nil || string(got) != "thesis" {
		t.Errorf("the canary did not survive: %q, %v", got, err)
	}
	if _, err := os.Stat(legit); err != nil {
		t.Errorf("the imported file's own audio was touched: %v", err)
	}
	if _, err := os.Stat(copied); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the copy outlived its interview: %v", err)
	}
}
