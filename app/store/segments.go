package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/sidenote-app/sidenote/app/interview"
)

const segmentColumns = "id, interview_id, source, start_ms, end_ms, text, confidence, edited_text"

func scanSegment(r rowScanner) (interview.Segment, error) {
	var s interview.Segment
	err := r.Scan(&s.ID, &s.InterviewID, &s.Source, &s.StartMs, &s.EndMs, &s.Text, &s.Confidence, &s.EditedText)
	return s, err
}

// AppendSegments saves final transcript segments in one transaction and
// sets their IDs. The pipeline hands over finals as they come; batching
// whatever has queued up keeps the fsync count low when it falls behind.
// Either all segments are saved or none.
func (s *Store) AppendSegments(ctx context.Context, segs []interview.Segment) error {
	for i := range segs {
		if err := segs[i].Validate(); err != nil {
			return fmt.Errorf("append segment %d of %d: %w", i+1, len(segs), err)
		}
	}
	if len(segs) == 0 {
		return nil
	}
	return s.write(ctx, fmt.Sprintf("append %d segments", len(segs)), func(tx *sql.Tx) error {
		return insertSegments(ctx, tx, segs)
	})
}

func insertSegments(ctx context.Context, tx *sql.Tx, segs []interview.Segment) error {
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO segments (interview_id, source, start_ms, end_ms, text,
		confidence, edited_text) VALUES (?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for i := range segs {
		sg := &segs[i]
		res, err := stmt.ExecContext(ctx, sg.InterviewID, sg.Source, sg.StartMs, sg.EndMs, sg.Text, sg.Confidence, sg.EditedText)
		if err != nil {
			return fkHint(err, "interview", sg.InterviewID)
		}
		if sg.ID, err = res.LastInsertId(); err != nil {
			return err
		}
	}
	return nil
}

// EditSegment stores the user's correction of a segment beside the
// recognizer's text; an empty correction reverts to the original. Search
// follows the correction.
func (s *Store) EditSegment(ctx context.Context, id int64, editedText string) error {
	return s.write(ctx, fmt.Sprintf("correct segment %d", id), func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE segments SET edited_text = ? WHERE id = ?", editedText, id)
		if err != nil {
			return err
		}
		return checkAffected(res, "segment", id)
	})
}

// Segment reads one segment.
func (s *Store) Segment(ctx context.Context, id int64) (interview.Segment, error) {
	var sg interview.Segment
	err := s.read(ctx, "read segment", func(tx *sql.Tx) (err error) {
		sg, err = scanSegment(tx.QueryRowContext(ctx, "SELECT "+segmentColumns+" FROM segments WHERE id = ?", id))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("segment", id)
		}
		return err
	})
	return sg, err
}

// Segments returns an interview's transcript by start time; fromMs and
// toMs (exclusive, 0 for the end) select a window, for scrolling a long
// timeline without loading all of it.
func (s *Store) Segments(ctx context.Context, interviewID, fromMs, toMs int64) ([]interview.Segment, error) {
	if toMs <= 0 {
		toMs = 1<<63 - 1
	}
	var out []interview.Segment
	err := s.read(ctx, "list segments", func(tx *sql.Tx) (err error) {
		out, err = queryAll(ctx, tx, scanSegment, "SELECT "+segmentColumns+
			" FROM segments WHERE interview_id = ? AND start_ms >= ? AND start_ms < ? ORDER BY start_ms, id",
			interviewID, fromMs, toMs)
		return err
	})
	return out, err
}

// DeleteSegment removes a segment and its search entry.
func (s *Store) DeleteSegment(ctx context.Context, id int64) error {
	return s.write(ctx, fmt.Sprintf("delete segment %d", id), func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM segments WHERE id = ?", id)
		if err != nil {
			return err
		}
		return checkAffected(res, "segment", id)
	})
}
