package desktop

import (
	"context"
	"errors"
	"github.com/sidenote-app/sidenote/transcribe/audio/audiotest"
	"github.com/sidenote-app/sidenote/transcribe/whisper/ggmlfile"
	"github.com/sidenote-app/sidenote/transcribe/whisper/models"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/sidenote-app/sidenote/app/interview"
	"github.com/sidenote-app/sidenote/app/paths"
	"github.com/sidenote-app/sidenote/app/store"
	"github.com/sidenote-app/sidenote/app/ui"
	"github.com/sidenote-app/sidenote/transcribe/whisper/whispertest"
)

// testEnv is a desktop over a data folder in dir, logging nowhere.
func testEnv(t *testing.T, dir string) Env {
	t.Helper()
	e := Env{Dirs: paths.Dirs{Data: filepath.Join(dir, "data")}, Log: slog.New(slog.DiscardHandler), Stderr: io.Discard}
	lib, err := models.New(e.Dirs.Models(), func(path string) error {
		_, err := ggmlfile.Validate(path)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	e.Models = lib
	return e
}

func newImportStarter(t *testing.T) (*liveStarter, *store.Store, string) {
	t.Helper()
	dir := t.TempDir()
	e := testEnv(t, dir)
	if err := e.Dirs.Ensure(); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(e.Dirs.Database())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	lib := e.Models
	if _, err := lib.Import(whispertest.WriteModel(t, dir, whispertest.Geometry{})); err != nil {
		t.Fatal(err)
	}
	s := &liveStarter{e: e, store: st, models: lib}
	t.Cleanup(func() { s.close(context.Background()) })
	return s, st, dir
}

func TestImportRecordingMakesAnEndedInterview(t *testing.T) {
	s, st, dir := newImportStarter(t)
	wav := audiotest.SpeechLikeWAV(t, dir, 3)
	var last time.Duration
	id, err := s.importRecording(context.Background(), wav, "", interview.ModePractice, func(done, total time.Duration) { last = done })
	if err != nil {
		t.Fatal(err)
	}
	b, err := st.Load(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if b.Interview.Title != "talk.wav" || b.Interview.State != interview.StateEnded || len(b.Segments) == 0 {
		t.Errorf("interview %+v with %d segments", b.Interview, len(b.Segments))
	}
	for _, sg := range b.Segments {
		if sg.Source != interview.SourceFile {
			t.Errorf("segment source %q, want file", sg.Source)
		}
	}
	if len(b.Recordings) != 1 || b.Recordings[0].Path == wav || b.Recordings[0].Duration != 3*time.Second {
		t.Fatalf("recordings %+v: want one copy of the file, 3 s", b.Recordings)
	}
	if last != 3*time.Second {
		t.Errorf("last progress %v, want 3s", last)
	}
	// Deleting the interview deletes the copy, never the user's file.
	if err := st.DeleteInterview(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(wav); err != nil {
		t.Errorf("the user's file is gone: %v", err)
	}
}

func TestCancelledImportCreatesNothing(t *testing.T) {
	s, st, dir := newImportStarter(t)
	wav := audiotest.SpeechLikeWAV(t, dir, 2)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.importRecording(ctx, wav, "x", interview.ModePractice, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	ivs, err := st.ListInterviews(context.Background(), store.ListOptions{})
	if err != nil || len(ivs) != 0 {
		t.Errorf("interviews after a cancelled import: %v, %v", ivs, err)
	}
}

func TestImportWithoutAModelSaysHowToGetOne(t *testing.T) {
	dir := t.TempDir()
	e := testEnv(t, dir)
	e.Dirs.Ensure()
	st, err := store.Open(e.Dirs.Database())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s := &liveStarter{e: e, store: st, models: e.Models}
	_, err = s.importRecording(context.Background(), audiotest.SpeechLikeWAV(t, dir, 1), "", interview.ModeInterviewer, nil)
	if !errors.Is(err, ui.ErrNoModel) {
		t.Errorf("got %v, want ui.ErrNoModel", err)
	}
}
