package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/sidenote-app/sidenote/app/interview"
)

const noteColumns = "id, interview_id, at_ms, wall_at, text, tags, question_id, edited_at"

func scanNote(r rowScanner) (interview.Note, error) {
	var n interview.Note
	var wall int64
	var tags string
	var qid, edited sql.NullInt64
	err := r.Scan(&n.ID, &n.InterviewID, &n.AtMs, &wall, &n.Text, &tags, &qid, &edited)
	n.Wall = fromMs(sql.NullInt64{Int64: wall, Valid: true})
	if tags != "" {
		n.Tags = strings.Fields(tags)
	}
	n.QuestionID = qid.Int64
	n.EditedAt = fromMs(edited)
	return n, err
}

// normalizeNote rounds times as stored and makes sure the note carries the
// #tags its text holds, however the caller built it.
func normalizeNote(n *interview.Note) {
	n.Wall, n.EditedAt = toMs(n.Wall), toMs(n.EditedAt)
	n.Tags = interview.MergeTags(n.Tags, interview.HashTags(n.Text))
	if len(n.Tags) == 0 {
		n.Tags = nil
	}
}

// AddNote saves a note at once, durably (synchronous=FULL): when it
// returns, the note survives a crash or power cut. It sets ID; a zero
// Wall becomes now.
func (s *Store) AddNote(ctx context.Context, n *interview.Note) error {
	if n.Wall.IsZero() {
		n.Wall = s.now()
	}
	normalizeNote(n)
	if err := n.Validate(); err != nil {
		return fmt.Errorf("add note: %w", err)
	}
	return s.write(ctx, fmt.Sprintf("add note to interview %d", n.InterviewID), func(tx *sql.Tx) error {
		return insertNote(ctx, tx, n)
	})
}

func insertNote(ctx context.Context, tx *sql.Tx, n *interview.Note) error {
	normalizeNote(n)
	res, err := tx.ExecContext(ctx, `INSERT INTO notes (interview_id, at_ms, wall_at, text, tags, question_id, edited_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, n.InterviewID, n.AtMs, n.Wall.UnixMilli(), n.Text,
		strings.Join(n.Tags, " "), idOrNull(n.QuestionID), msOrNull(n.EditedAt))
	if err != nil {
		return fkHint(err, "interview or question of the note", n.InterviewID)
	}
	n.ID, err = res.LastInsertId()
	return err
}

// UpdateNote saves an edited note (text, tags, time, question link). Use
// interview.Note.Edit to change the text: it keeps the tags in step and
// sets EditedAt, which is set here to now when still zero.
func (s *Store) UpdateNote(ctx context.Context, n *interview.Note) error {
	if n.EditedAt.IsZero() {
		n.EditedAt = s.now()
	}
	normalizeNote(n)
	if err := n.Validate(); err != nil {
		return fmt.Errorf("update note %d: %w", n.ID, err)
	}
	return s.write(ctx, fmt.Sprintf("update note %d", n.ID), func(tx *sql.Tx) error {
		normalizeNote(n)
		res, err := tx.ExecContext(ctx, `UPDATE notes SET at_ms = ?, text = ?, tags = ?, question_id = ?,
			edited_at = ? WHERE id = ?`, n.AtMs, n.Text, strings.Join(n.Tags, " "), idOrNull(n.QuestionID),
			msOrNull(n.EditedAt), n.ID)
		if err != nil {
			return fkHint(err, "question of the note", n.QuestionID)
		}
		return checkAffected(res, "note", n.ID)
	})
}

// Note reads one note.
func (s *Store) Note(ctx context.Context, id int64) (interview.Note, error) {
	var n interview.Note
	err := s.read(ctx, "read note", func(tx *sql.Tx) (err error) {
		n, err = scanNote(tx.QueryRowContext(ctx, "SELECT "+noteColumns+" FROM notes WHERE id = ?", id))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("note", id)
		}
		return err
	})
	return n, err
}

// Notes returns an interview's notes in interview time.
func (s *Store) Notes(ctx context.Context, interviewID int64) ([]interview.Note, error) {
	var out []interview.Note
	err := s.read(ctx, "list notes", func(tx *sql.Tx) (err error) {
		out, err = queryAll(ctx, tx, scanNote, "SELECT "+noteColumns+
			" FROM notes WHERE interview_id = ? ORDER BY at_ms, id", interviewID)
		return err
	})
	return out, err
}

// DeleteNote removes a note and its search entry.
func (s *Store) DeleteNote(ctx context.Context, id int64) error {
	return s.write(ctx, fmt.Sprintf("delete note %d", id), func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM notes WHERE id = ?", id)
		if err != nil {
			return err
		}
		return checkAffected(res, "note", id)
	})
}
