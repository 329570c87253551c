package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/sidenote-app/sidenote/app/interview"
)

const recordingColumns = "id, interview_id, source, path, sample_rate, duration_ms, created_at, offset_ms"

func scanRecording(r rowScanner) (interview.Recording, error) {
	var rec interview.Recording
	var dur, created, offset int64
	err := r.Scan(&rec.ID, &rec.InterviewID, &rec.Source, &rec.Path, &rec.SampleRate, &dur, &created, &offset)
	rec.Offset = time.Duration(offset) * time.Millisecond
	rec.Duration = time.Duration(dur) * time.Millisecond
	rec.CreatedAt = time.UnixMilli(created).UTC()
	return rec, err
}

// AddRecording records that an audio file is being written for an
// interview, before the first sample is: if the app dies, the row still
// leads to the file, and deleting the interview removes it. Sets ID and
// (when zero) CreatedAt.
func (s *Store) AddRecording(ctx context.Context, rec *interview.Recording) error {
	if err := rec.Validate(); err != nil {
		return fmt.Errorf("add recording: %w", err)
	}
	return s.write(ctx, fmt.Sprintf("add recording to interview %d", rec.InterviewID), func(tx *sql.Tx) error {
		return insertRecording(ctx, tx, rec, s.stamp())
	})
}

func insertRecording(ctx context.Context, tx *sql.Tx, rec *interview.Recording, now time.Time) error {
	if rec.CreatedAt.IsZero() {
		rec.CreatedAt = now
	}
	rec.CreatedAt = toMs(rec.CreatedAt)
	rec.Duration = rec.Duration.Truncate(time.Millisecond)
	rec.Offset = max(rec.Offset.Truncate(time.Millisecond), 0)
	res, err := tx.ExecContext(ctx, `INSERT INTO recordings (interview_id, source, path, sample_rate, duration_ms,
		created_at, offset_ms) VALUES (?, ?, ?, ?, ?, ?, ?)`, rec.InterviewID, rec.Source, rec.Path, rec.SampleRate,
		rec.Duration.Milliseconds(), rec.CreatedAt.UnixMilli(), rec.Offset.Milliseconds())
	if err != nil {
		return fkHint(err, "interview", rec.InterviewID)
	}
	rec.ID, err = res.LastInsertId()
	return err
}

// SetRecordingDuration updates how long a recording is, as it grows.
func (s *Store) SetRecordingDuration(ctx context.Context, id int64, d time.Duration) error {
	if d < 0 {
		return fmt.Errorf("set duration of recording %d: %w: %v is negative", id, interview.ErrInvalid, d)
	}
	return s.write(ctx, fmt.Sprintf("set duration of recording %d", id), func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE recordings SET duration_ms = ? WHERE id = ?", d.Milliseconds(), id)
		if err != nil {
			return err
		}
		return checkAffected(res, "recording", id)
	})
}

// Recording reads one recording.
func (s *Store) Recording(ctx context.Context, id int64) (interview.Recording, error) {
	var rec interview.Recording
	err := s.read(ctx, "read recording", func(tx *sql.Tx) (err error) {
		rec, err = scanRecording(tx.QueryRowContext(ctx, "SELECT "+recordingColumns+" FROM recordings WHERE id = ?", id))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("recording", id)
		}
		return err
	})
	return rec, err
}

// Recordings lists an interview's recordings.
func (s *Store) Recordings(ctx context.Context, interviewID int64) ([]interview.Recording, error) {
	var out []interview.Recording
	err := s.read(ctx, "list recordings", func(tx *sql.Tx) (err error) {
		out, err = queryAll(ctx, tx, scanRecording, "SELECT "+recordingColumns+
			" FROM recordings WHERE interview_id = ? ORDER BY id", interviewID)
		return err
	})
	return out, err
}

// DeleteRecording removes a recording's row and then its file (unless
// another row still refers to the same file).
func (s *Store) DeleteRecording(ctx context.Context, id int64) error {
	var orphan []string
	err := s.write(ctx, fmt.Sprintf("delete recording %d", id), func(tx *sql.Tx) error {
		var path string
		err := tx.QueryRowContext(ctx, "SELECT path FROM recordings WHERE id = ?", id).Scan(&path)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("recording", id)
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM recordings WHERE id = ?", id); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM recordings WHERE path = ?", path).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			orphan = []string{path}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return s.removeRecordings(orphan)
}

// removeRecordings deletes the audio files of deleted recording rows, but
// only those the data folder owns (see owned). A row can point anywhere:
// an imported file from an older Sidenote, or a hostile one, may name the
// user's thesis. Such a file is left alone and logged; the row is gone
// either way.
func (s *Store) removeRecordings(paths []string) error {
	var errs []error
	for _, p := range paths {
		if err := s.owned(p); err != nil {
			if !errors.Is(err, fs.ErrNotExist) {
				s.log.Warn("kept a recording file the library does not own", "path", p, "reason", err)
			}
			continue
		}
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, fmt.Errorf("remove recording %s: %w (delete it by hand)", p, err))
		}
	}
	return errors.Join(errs...)
}

// errNotOwned: a recording path is not a file in the recordings folder.
var errNotOwned = errors.New("not a file in the recordings folder")

// owned checks that path is a regular file directly in the recordings
// folder, judged on the cleaned path without following symlinks: the
// file itself must not be a symlink, and being directly in the folder
// means no symlinked subfolder can lead out of it. Sidenote writes every
// recording there (live recording, imported audio), never in subfolders.
func (s *Store) owned(path string) error {
	if !filepath.IsAbs(path) {
		return fmt.Errorf("%w: %q is a relative path", errNotOwned, path)
	}
	clean := filepath.Clean(path)
	if filepath.Dir(clean) != s.recordings {
		return fmt.Errorf("%w %s", errNotOwned, s.recordings)
	}
	fi, err := os.Lstat(clean)
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%w: it is a %s, not a regular file", errNotOwned, fileKind(fi.Mode()))
	}
	return nil
}

// fileKind names what a non-regular file is, for messages.
func fileKind(m fs.FileMode) string {
	switch {
	case m&fs.ModeSymlink != 0:
		return "symbolic link"
	case m.IsDir():
		return "folder"
	}
	return "special file"
}
