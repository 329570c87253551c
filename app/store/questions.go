package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/sidenote-app/sidenote/app/interview"
)

const questionColumns = `id, interview_id, position, priority, text, competency, guidance, status,
	asked_at_ms, rating, note, template_question_id`

func scanQuestion(r rowScanner) (interview.Question, error) {
	var q interview.Question
	var asked, tq sql.NullInt64
	err := r.Scan(&q.ID, &q.InterviewID, &q.Position, &q.Priority, &q.Text, &q.Competency, &q.Guidance,
		&q.Status, &asked, &q.Rating, &q.Note, &tq)
	q.AskedAtMs, q.TemplateQuestionID = asked.Int64, tq.Int64
	return q, err
}

func askedOrNull(q *interview.Question) any {
	if q.Status != interview.QuestionAsked {
		return nil
	}
	return q.AskedAtMs
}

// AddQuestion appends a question to an interview's queue (typed live, or
// added while preparing) and sets its ID and Position. An empty Status
// means queued. A TemplateQuestionID must name an existing template
// question.
func (s *Store) AddQuestion(ctx context.Context, q *interview.Question) error {
	if q.Status == "" {
		q.Status = interview.QuestionQueued
	}
	if err := q.Validate(); err != nil {
		return fmt.Errorf("add question: %w", err)
	}
	return s.write(ctx, fmt.Sprintf("add question to interview %d", q.InterviewID), func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(position), 0) + 1 FROM questions WHERE interview_id = ?",
			q.InterviewID).Scan(&q.Position); err != nil {
			return err
		}
		return insertQuestion(ctx, tx, q)
	})
}

func insertQuestion(ctx context.Context, tx *sql.Tx, q *interview.Question) error {
	res, err := tx.ExecContext(ctx, `INSERT INTO questions (interview_id, position, priority, text, competency,
		guidance, status, asked_at_ms, rating, note, template_question_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		q.InterviewID, q.Position, q.Priority, q.Text, q.Competency, q.Guidance, q.Status, askedOrNull(q),
		q.Rating, q.Note, idOrNull(q.TemplateQuestionID))
	if err != nil {
		if q.TemplateQuestionID != 0 && isFK(err) {
			return fmt.Errorf("interview %d or template question %d: %w (%w)", q.InterviewID, q.TemplateQuestionID, ErrNotFound, err)
		}
		return fkHint(err, "interview", q.InterviewID)
	}
	q.ID, err = res.LastInsertId()
	return err
}

// UpdateQuestion saves a question's text, priority, status, asked time,
// rating and note (use the interview.Question methods MarkAsked, Skip,
// Requeue and Rate to change them by the rules). Position is changed
// with MoveQuestion. TemplateQuestionID is not changed: the link records
// where the question was copied from, which a later edit does not undo.
func (s *Store) UpdateQuestion(ctx context.Context, q *interview.Question) error {
	if err := q.Validate(); err != nil {
		return fmt.Errorf("update question %d: %w", q.ID, err)
	}
	return s.write(ctx, fmt.Sprintf("update question %d", q.ID), func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE questions SET priority = ?, text = ?, competency = ?, guidance = ?,
			status = ?, asked_at_ms = ?, rating = ?, note = ? WHERE id = ?`,
			q.Priority, q.Text, q.Competency, q.Guidance, q.Status, askedOrNull(q), q.Rating, q.Note, q.ID)
		if err != nil {
			return err
		}
		return checkAffected(res, "question", q.ID)
	})
}

// Question reads one question.
func (s *Store) Question(ctx context.Context, id int64) (interview.Question, error) {
	var q interview.Question
	err := s.read(ctx, "read question", func(tx *sql.Tx) (err error) {
		q, err = scanQuestion(tx.QueryRowContext(ctx, "SELECT "+questionColumns+" FROM questions WHERE id = ?", id))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("question", id)
		}
		return err
	})
	return q, err
}

// Questions returns an interview's queue in order.
func (s *Store) Questions(ctx context.Context, interviewID int64) ([]interview.Question, error) {
	var out []interview.Question
	err := s.read(ctx, "list questions", func(tx *sql.Tx) (err error) {
		out, err = queryAll(ctx, tx, scanQuestion, "SELECT "+questionColumns+
			" FROM questions WHERE interview_id = ? ORDER BY position, id", interviewID)
		return err
	})
	return out, err
}

// MoveQuestion moves a question to position to (1-based, clamped to the
// queue) and renumbers the others 1…n.
func (s *Store) MoveQuestion(ctx context.Context, id int64, to int) error {
	return s.write(ctx, fmt.Sprintf("move question %d", id), func(tx *sql.Tx) error {
		return move(ctx, tx, "questions", "question", id, to)
	})
}

// DeleteQuestion removes a question from the queue; notes linked to it
// keep their text and lose the link. The others are renumbered.
func (s *Store) DeleteQuestion(ctx context.Context, id int64) error {
	return s.write(ctx, fmt.Sprintf("delete question %d", id), func(tx *sql.Tx) error {
		return deleteOrdered(ctx, tx, "questions", "question", id)
	})
}

// move reorders an ordered child table (questions, talking_points). The
// table name is a constant from this package, never user input.
func move(ctx context.Context, tx *sql.Tx, table, what string, id int64, to int) error {
	var parent int64
	err := tx.QueryRowContext(ctx, "SELECT interview_id FROM "+table+" WHERE id = ?", id).Scan(&parent)
	if errors.Is(err, sql.ErrNoRows) {
		return notFound(what, id)
	}
	if err != nil {
		return err
	}
	ids, err := queryAll(ctx, tx, scanID, "SELECT id FROM "+table+" WHERE interview_id = ? AND id <> ? ORDER BY position, id", parent, id)
	if err != nil {
		return err
	}
	to = min(max(to, 1), len(ids)+1)
	ids = append(ids[:to-1], append([]int64{id}, ids[to-1:]...)...)
	return renumber(ctx, tx, table, ids)
}

func renumber(ctx context.Context, tx *sql.Tx, table string, ids []int64) error {
	stmt, err := tx.PrepareContext(ctx, "UPDATE "+table+" SET position = ? WHERE id = ? AND position <> ?")
	if err != nil {
		return err
	}
	defer stmt.Close()
	for i, id := range ids {
		if _, err := stmt.ExecContext(ctx, i+1, id, i+1); err != nil {
			return err
		}
	}
	return nil
}

func deleteOrdered(ctx context.Context, tx *sql.Tx, table, what string, id int64) error {
	var parent int64
	err := tx.QueryRowContext(ctx, "SELECT interview_id FROM "+table+" WHERE id = ?", id).Scan(&parent)
	if errors.Is(err, sql.ErrNoRows) {
		return notFound(what, id)
	}
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM "+table+" WHERE id = ?", id); err != nil {
		return err
	}
	ids, err := queryAll(ctx, tx, scanID, "SELECT id FROM "+table+" WHERE interview_id = ? ORDER BY position, id", parent)
	if err != nil {
		return err
	}
	return renumber(ctx, tx, table, ids)
}

// fkHint explains a foreign-key failure on insert: the parent is missing.
func fkHint(err error, parent string, id int64) error {
	if isFK(err) {
		return fmt.Errorf("%s %d: %w (%w)", parent, id, ErrNotFound, err)
	}
	return err
}
