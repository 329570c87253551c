package store

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sidenote-app/sidenote/app/interview"
	"github.com/sidenote-app/sidenote/app/store/export"
	"github.com/sidenote-app/sidenote/transcribe/audio"
	"github.com/sidenote-app/sidenote/transcribe/audio/audiotest"
)

// writeWAV writes 100 ms of a 16 kHz mono 16-bit WAV file.
func writeWAV(t testing.TB, path string) {
	t.Helper()
	audiotest.WriteWAV(t, path, audiotest.Spec{Rate: 16000, Channels: 1, Bits: 16}, audiotest.Sine(16000, 440, 0.3, 1600))
}

// canary is a file the user cares about, outside the data folder.
func canary(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "thesis.pdf")
	if err := os.WriteFile(p, []byte("four years of work"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func checkCanary(t *testing.T, p, after string) {
	t.Helper()
	if b, err := os.ReadFile(p); err != nil || string(b) != "four years of work" {
		t.Errorf("after %s the file outside the library is gone or changed: %q, %v", after, b, err)
	}
}

// TestDeleteRemovesOnlyFilesInTheRecordingsFolder: rows already in a
// library (imported by an older Sidenote, or planted) may point anywhere;
// delete and retention remove only the data folder's own recordings, and
// never through a symlink.
func TestDeleteRemovesOnlyFilesInTheRecordingsFolder(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	victim := canary(t)
	recDir := filepath.Join(filepath.Dir(s.Path()), "recordings")
	if err := os.MkdirAll(recDir, 0o700); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(recDir, "link.wav")
	if err := os.Symlink(victim, link); err != nil {
		t.Fatal(err)
	}
	sub := filepath.Join(recDir, "sub")
	if err := os.Symlink(filepath.Dir(victim), sub); err != nil {
		t.Fatal(err)
	}
	own := filepath.Join(recDir, "1-you.wav")
	writeWAV(t, own)
	rel, err := filepath.Rel(recDir, victim)
	if err != nil {
		t.Fatal(err)
	}
	hostile := []string{
		victim,                     // absolute, outside
		filepath.Join(recDir, rel), // recordings/../../thesis.pdf, cleaned
		recDir + "/../../" + rel,   // the same, not cleaned
		rel,                        // relative
		link,                       // a symlink in the folder
		filepath.Join(sub, filepath.Base(victim)), // through a symlinked subfolder
	}
	add := func(iv interview.Interview, paths ...string) {
		for _, p := range paths {
			r := interview.Recording{InterviewID: iv.ID, Source: interview.SourceYou, Path: p, SampleRate: 16000}
			if err := s.AddRecording(ctx, &r); err != nil {
				t.Fatal(err)
			}
		}
	}

	iv := mustInterview(t, s, "delete")
	add(iv, append(hostile, own)...)
	if err := s.DeleteInterview(ctx, iv.ID); err != nil {
		t.Fatalf("DeleteInterview: %v", err)
	}
	checkCanary(t, victim, "DeleteInterview")
	if _, err := os.Stat(own); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the library's own recording was kept: %v", err)
	}
	if _, err := os.Lstat(link); err != nil {
		t.Errorf("the symlink was removed (it is not the library's): %v", err)
	}

	one := mustInterview(t, s, "one recording")
	add(one, victim)
	recs, _ := s.Recordings(ctx, one.ID)
	if err := s.DeleteRecording(ctx, recs[0].ID); err != nil {
		t.Fatalf("DeleteRecording: %v", err)
	}
	checkCanary(t, victim, "DeleteRecording")

	// Retention: an old ended interview holding the same rows.
	old, err := s.Import(ctx, &interview.Bundle{Interview: interview.Interview{Title: "old", Mode: interview.ModePractice,
		State: interview.StateEnded, StartedAt: time.Date(2020, 1, 1, 9, 0, 0, 0, time.UTC),
		EndedAt: time.Date(2020, 1, 1, 10, 0, 0, 0, time.UTC)}})
	if err != nil {
		t.Fatal(err)
	}
	add(interview.Interview{ID: old}, hostile...)
	if err := s.SaveSettings(ctx, Settings{RetentionDays: 30}); err != nil {
		t.Fatal(err)
	}
	if ids, err := s.ApplyRetention(ctx); err != nil || len(ids) != 1 || ids[0] != old {
		t.Fatalf("ApplyRetention = %v, %v; want [%d]", ids, err, old)
	}
	checkCanary(t, victim, "ApplyRetention")
}

// TestImportCopiesAudioAndRefusesTheRest: an imported file's recordings
// are resolved against the file's folder and copied into the library;
// what is not a regular WAV file is left out with a reason, so no row
// ever points at a file the user keeps elsewhere.
func TestImportCopiesAudioAndRefusesTheRest(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	victim := canary(t)
	dir := filepath.Join(t.TempDir(), "from a colleague")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	legit := filepath.Join(dir, "interview-7-you.wav")
	writeWAV(t, legit)
	// A WAV named by an absolute path is copied too: never used in place.
	elsewhere := filepath.Join(filepath.Dir(victim), "talk.wav")
	writeWAV(t, elsewhere)
	if err := os.Symlink(victim, filepath.Join(dir, "link.wav")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(legit, filepath.Join(dir, "link-to-wav.wav")); err != nil {
		t.Fatal(err)
	}
	rel, err := filepath.Rel(dir, victim)
	if err != nil {
		t.Fatal(err)
	}
	paths := []string{victim, rel, "link.wav", "link-to-wav.wav", "missing.wav", ".", "interview-7-you.wav", elsewhere}
	b := &interview.Bundle{Interview: interview.Interview{Title: "hostile", Mode: interview.ModeInterviewer,
		State: interview.StateEnded, StartedAt: time.Date(2020, 1, 1, 9, 0, 0, 0, time.UTC)}}
	for _, p := range paths {
		b.Recordings = append(b.Recordings, interview.Recording{Source: interview.SourceThem, Path: p, SampleRate: 16000,
			Duration: 100 * time.Millisecond})
	}
	// Through a real file, as the CLI reads it.
	file := filepath.Join(dir, "interview.json")
	var buf bytes.Buffer
	if err := export.WriteJSON(&buf, b); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	read, err := export.ReadJSON(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}

	res, err := s.ImportFrom(ctx, read, filepath.Dir(file))
	if err != nil {
		t.Fatalf("ImportFrom: %v", err)
	}
	wantSkipped := []string{"recording 1 (" + victim + "): not a WAV file", "recording 2 (" + rel + "): not a WAV file",
		"recording 3 (link.wav): not a regular file: it is a symbolic link",
		"recording 4 (link-to-wav.wav): not a regular file: it is a symbolic link",
		"recording 5 (missing.wav): the file is missing", "recording 6 (.): not a regular file: it is a folder"}
	if len(res.Skipped) != len(wantSkipped) {
		t.Fatalf("skipped %d recordings, want %d: %v", len(res.Skipped), len(wantSkipped), res.Skipped)
	}
	for i, w := range wantSkipped {
		if !strings.Contains(res.Skipped[i].Error(), w) {
			t.Errorf("skipped[%d] = %q, want it to say %q", i, res.Skipped[i], w)
		}
	}
	recs, err := s.Recordings(ctx, res.ID)
	if err != nil || len(recs) != 2 {
		t.Fatalf("imported recordings: %+v, %v; want 2", recs, err)
	}
	for _, r := range recs {
		if filepath.Dir(r.Path) != s.RecordingsDir() {
			t.Errorf("recording %s is not in the recordings folder %s", r.Path, s.RecordingsDir())
		}
		if fi, err := os.Stat(r.Path); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("copy %s: %v, %v; want a 0600 file", r.Path, fi, err)
		}
		w, err := audio.OpenWAV(r.Path)
		if err != nil {
			t.Errorf("the copy does not play: %v", err)
			continue
		}
		if got := w.Format().Duration; got != 100*time.Millisecond {
			t.Errorf("copy plays %v, want 100ms", got)
		}
		w.Close()
	}

	if err := s.SaveSettings(ctx, Settings{RetentionDays: 30}); err != nil {
		t.Fatal(err)
	}
	if ids, err := s.ApplyRetention(ctx); err != nil || len(ids) != 1 {
		t.Fatalf("ApplyRetention = %v, %v", ids, err)
	}
	for _, r := range recs {
		if _, err := os.Stat(r.Path); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("the copy %s outlived its interview: %v", r.Path, err)
		}
	}
	checkCanary(t, victim, "import and retention")
	for _, p := range []string{legit, elsewhere} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("the imported file's own audio %s was touched: %v", p, err)
		}
	}
}

// TestImportFailureRemovesCopies: a bundle that fails validation after its
// audio was copied leaves no copy behind.
func TestImportFailureRemovesCopies(t *testing.T) {
	s, _ := openTest(t)
	dir := t.TempDir()
	writeWAV(t, filepath.Join(dir, "a.wav"))
	b := &interview.Bundle{Interview: interview.Interview{Title: "bad", Mode: interview.ModePractice, State: interview.StateEnded},
		Recordings: []interview.Recording{{Source: interview.SourceYou, Path: "a.wav", SampleRate: 16000}},
		Segments:   []interview.Segment{{Source: "mic", Text: "x"}}}
	if _, err := s.ImportFrom(context.Background(), b, dir); err == nil {
		t.Fatal("invalid bundle imported")
	}
	if left, _ := os.ReadDir(s.RecordingsDir()); len(left) != 0 {
		t.Errorf("a failed import left %d files in the recordings folder", len(left))
	}
}
