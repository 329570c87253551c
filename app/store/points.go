package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/sidenote-app/sidenote/app/interview"
)

const pointColumns = "id, interview_id, position, text, kind, checked"

func scanPoint(r rowScanner) (interview.TalkingPoint, error) {
	var p interview.TalkingPoint
	err := r.Scan(&p.ID, &p.InterviewID, &p.Position, &p.Text, &p.Kind, &p.Checked)
	return p, err
}

// AddPoint appends a talking point to an interview's list and sets its ID
// and Position. An empty Kind means a plain point.
func (s *Store) AddPoint(ctx context.Context, p *interview.TalkingPoint) error {
	if p.Kind == "" {
		p.Kind = interview.PointKindPoint
	}
	if err := p.Validate(); err != nil {
		return fmt.Errorf("add talking point: %w", err)
	}
	return s.write(ctx, fmt.Sprintf("add talking point to interview %d", p.InterviewID), func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(position), 0) + 1 FROM talking_points WHERE interview_id = ?",
			p.InterviewID).Scan(&p.Position); err != nil {
			return err
		}
		return insertPoint(ctx, tx, p)
	})
}

func insertPoint(ctx context.Context, tx *sql.Tx, p *interview.TalkingPoint) error {
	res, err := tx.ExecContext(ctx, "INSERT INTO talking_points (interview_id, position, text, kind, checked) VALUES (?, ?, ?, ?, ?)",
		p.InterviewID, p.Position, p.Text, p.Kind, p.Checked)
	if err != nil {
		return fkHint(err, "interview", p.InterviewID)
	}
	p.ID, err = res.LastInsertId()
	return err
}

// UpdatePoint saves a talking point's text, kind and check mark; position
// is changed with MovePoint.
func (s *Store) UpdatePoint(ctx context.Context, p *interview.TalkingPoint) error {
	if err := p.Validate(); err != nil {
		return fmt.Errorf("update talking point %d: %w", p.ID, err)
	}
	return s.write(ctx, fmt.Sprintf("update talking point %d", p.ID), func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE talking_points SET text = ?, kind = ?, checked = ? WHERE id = ?",
			p.Text, p.Kind, p.Checked, p.ID)
		if err != nil {
			return err
		}
		return checkAffected(res, "talking point", p.ID)
	})
}

// Point reads one talking point.
func (s *Store) Point(ctx context.Context, id int64) (interview.TalkingPoint, error) {
	var p interview.TalkingPoint
	err := s.read(ctx, "read talking point", func(tx *sql.Tx) (err error) {
		p, err = scanPoint(tx.QueryRowContext(ctx, "SELECT "+pointColumns+" FROM talking_points WHERE id = ?", id))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("talking point", id)
		}
		return err
	})
	return p, err
}

// Points returns an interview's talking points in order.
func (s *Store) Points(ctx context.Context, interviewID int64) ([]interview.TalkingPoint, error) {
	var out []interview.TalkingPoint
	err := s.read(ctx, "list talking points", func(tx *sql.Tx) (err error) {
		out, err = queryAll(ctx, tx, scanPoint, "SELECT "+pointColumns+
			" FROM talking_points WHERE interview_id = ? ORDER BY position, id", interviewID)
		return err
	})
	return out, err
}

// MovePoint moves a talking point to position to (1-based, clamped) and
// renumbers the others.
func (s *Store) MovePoint(ctx context.Context, id int64, to int) error {
	return s.write(ctx, fmt.Sprintf("move talking point %d", id), func(tx *sql.Tx) error {
		return move(ctx, tx, "talking_points", "talking point", id, to)
	})
}

// DeletePoint removes a talking point and renumbers the others.
func (s *Store) DeletePoint(ctx context.Context, id int64) error {
	return s.write(ctx, fmt.Sprintf("delete talking point %d", id), func(tx *sql.Tx) error {
		return deleteOrdered(ctx, tx, "talking_points", "talking point", id)
	})
}
