package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
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
	return removeFiles(orphan)
}
