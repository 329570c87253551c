package desktop

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/sidenote-app/sidenote/app/interview"
	"github.com/sidenote-app/sidenote/app/store"
	"github.com/sidenote-app/sidenote/app/ui"
	"github.com/sidenote-app/sidenote/transcribe"
	"github.com/sidenote-app/sidenote/transcribe/audio"
	"github.com/sidenote-app/sidenote/transcribe/whisper"
	"github.com/sidenote-app/sidenote/transcribe/whisper/models"
)

// importRecording transcribes a WAV file into a new, ended interview with
// the file's audio kept beside it, for the window's "Import a recording".
// Nothing is created until the transcript is complete: a cancel or a
// failure leaves the library as it was.
func (s *liveStarter) importRecording(ctx context.Context, path, title string, mode interview.Mode, progress func(done, total time.Duration)) (int64, error) {
	wav, err := audio.OpenWAV(path)
	if err != nil {
		return 0, err
	}
	defer wav.Close()
	m, err := s.loadModel()
	if errors.Is(err, models.ErrNoModel) {
		return 0, fmt.Errorf("%w: %v", ui.ErrNoModel, err)
	}
	if err != nil {
		return 0, err
	}
	total := wav.Format().Duration
	rec := &whisper.ProgressRecognizer{Recognizer: whisper.Recognizer{Model: m, Options: whisper.Options{Threads: whisper.DefaultThreads()}}}
	if s.prefs.P != nil {
		rec.Options.Language = s.prefs.SpokenLanguage()
		if n := s.prefs.Threads(); n > 0 {
			rec.Options.Threads = n
		}
	}
	if progress != nil {
		rec.OnProgress = func(done time.Duration) { progress(done, total) }
	}
	segs, err := transcribe.File(ctx, wav, rec, transcribe.FileOptions{Total: total})
	if err != nil {
		return 0, err
	}

	// The user's file stays theirs: the interview gets a copy, so deleting
	// the interview (which deletes its recordings) never touches it.
	if title == "" {
		title = filepath.Base(path)
	}
	iv := interview.Interview{Title: title, Mode: mode}
	if err := s.store.CreateInterview(ctx, &iv); err != nil {
		return 0, err
	}
	keep := filepath.Join(s.e.Dirs.Recordings(), fmt.Sprintf("interview-%d-imported.wav", iv.ID))
	if err := copyFile(path, keep); err != nil {
		s.store.DeleteInterview(context.WithoutCancel(ctx), iv.ID)
		return 0, err
	}
	rows := make([]interview.Segment, 0, len(segs))
	for _, sg := range segs {
		rows = append(rows, interview.Segment{InterviewID: iv.ID, Source: interview.SourceFile,
			StartMs: sg.Start.Milliseconds(), EndMs: sg.End.Milliseconds(), Text: sg.Text, Confidence: float64(sg.Confidence)})
	}
	r := interview.Recording{InterviewID: iv.ID, Source: interview.SourceFile, Path: keep, SampleRate: wav.Format().SampleRate, Duration: total}
	if err := finishImport(ctx, s.store, iv.ID, rows, &r); err != nil {
		s.store.DeleteInterview(context.WithoutCancel(ctx), iv.ID)
		return 0, err
	}
	return iv.ID, nil
}

func finishImport(ctx context.Context, st *store.Store, id int64, rows []interview.Segment, r *interview.Recording) error {
	if len(rows) > 0 {
		if err := st.AppendSegments(ctx, rows); err != nil {
			return err
		}
	}
	if err := st.AddRecording(ctx, r); err != nil {
		return err
	}
	_, err := st.SetState(ctx, id, interview.StateEnded)
	return err
}

// copyFile copies src to dst (0600), synced, and removes a partial dst on
// failure.
func copyFile(src, dst string) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return err
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			out.Close()
			os.Remove(dst)
		}
	}()
	if _, err = io.Copy(out, in); err != nil {
		return fmt.Errorf("copying the recording: %w", err)
	}
	if err = out.Sync(); err != nil {
		return err
	}
	return out.Close()
}
