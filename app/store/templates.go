package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/sidenote-app/sidenote/app/interview"
)

// CreateTemplate saves a template with its questions and sets the IDs,
// positions (1, 2, … in slice order) and times.
func (s *Store) CreateTemplate(ctx context.Context, t *interview.Template) error {
	if err := t.Validate(); err != nil {
		return fmt.Errorf("create template: %w", err)
	}
	return s.write(ctx, fmt.Sprintf("create template %q", t.Name), func(tx *sql.Tx) error {
		now := s.stamp()
		t.CreatedAt, t.UpdatedAt = now, now
		res, err := tx.ExecContext(ctx, "INSERT INTO templates (name, description, created_at, updated_at) VALUES (?, ?, ?, ?)",
			t.Name, t.Description, now.UnixMilli(), now.UnixMilli())
		if err != nil {
			return err
		}
		if t.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		return insertTemplateQuestions(ctx, tx, t)
	})
}

func insertTemplateQuestions(ctx context.Context, tx *sql.Tx, t *interview.Template) error {
	for i := range t.Questions {
		q := &t.Questions[i]
		q.Position = i + 1
		q.Expected = q.Expected.Truncate(time.Millisecond)
		if err := insertTemplateQuestion(ctx, tx, t.ID, q); err != nil {
			return err
		}
	}
	return nil
}

func insertTemplateQuestion(ctx context.Context, tx *sql.Tx, templateID int64, q *interview.TemplateQuestion) error {
	res, err := tx.ExecContext(ctx, `INSERT INTO template_questions (template_id, position, text, competency,
		guidance, expected_ms) VALUES (?, ?, ?, ?, ?, ?)`,
		templateID, q.Position, q.Text, q.Competency, q.Guidance, q.Expected.Milliseconds())
	if err != nil {
		return err
	}
	q.ID, err = res.LastInsertId()
	return err
}

// UpdateTemplate saves a template's name, description and questions; the
// question list is replaced as a whole, in slice order. A question with
// the ID of one of this template's questions is updated in place, keeping
// its ID, so questions already copied into interviews stay linked to it
// (Question.TemplateQuestionID) however it is reworded or moved; one
// without (ID 0, or another template's) is added and gets a new ID; the
// template's questions missing from the list are deleted, which unlinks
// their copies. Interviews already started from it keep their own copies.
func (s *Store) UpdateTemplate(ctx context.Context, t *interview.Template) error {
	if err := t.Validate(); err != nil {
		return fmt.Errorf("update template %d: %w", t.ID, err)
	}
	return s.write(ctx, fmt.Sprintf("update template %d", t.ID), func(tx *sql.Tx) error {
		t.UpdatedAt = s.stamp()
		res, err := tx.ExecContext(ctx, "UPDATE templates SET name = ?, description = ?, updated_at = ? WHERE id = ?",
			t.Name, t.Description, t.UpdatedAt.UnixMilli(), t.ID)
		if err != nil {
			return err
		}
		if err := checkAffected(res, "template", t.ID); err != nil {
			return err
		}
		if err := replaceTemplateQuestions(ctx, tx, t); err != nil {
			return err
		}
		var created int64
		if err := tx.QueryRowContext(ctx, "SELECT created_at FROM templates WHERE id = ?", t.ID).Scan(&created); err != nil {
			return err
		}
		t.CreatedAt = time.UnixMilli(created).UTC()
		return nil
	})
}

// replaceTemplateQuestions makes t's stored questions those of t.Questions,
// updating the ones it still holds in place (see UpdateTemplate).
func replaceTemplateQuestions(ctx context.Context, tx *sql.Tx, t *interview.Template) error {
	old, err := queryAll(ctx, tx, scanID, "SELECT id FROM template_questions WHERE template_id = ?", t.ID)
	if err != nil {
		return err
	}
	keep := make(map[int64]bool, len(old))
	for _, id := range old {
		keep[id] = false
	}
	for i := range t.Questions {
		q := &t.Questions[i]
		// The same ID twice in the list (a duplicated card) is one update
		// and one new question.
		if kept, ours := keep[q.ID]; !ours || kept {
			q.ID = 0
			continue
		}
		keep[q.ID] = true
	}
	for id, kept := range keep {
		if !kept {
			if _, err := tx.ExecContext(ctx, "DELETE FROM template_questions WHERE id = ?", id); err != nil {
				return err
			}
		}
	}
	for i := range t.Questions {
		q := &t.Questions[i]
		q.Position = i + 1
		q.Expected = q.Expected.Truncate(time.Millisecond)
		if q.ID == 0 {
			if err := insertTemplateQuestion(ctx, tx, t.ID, q); err != nil {
				return err
			}
			continue
		}
		if _, err := tx.ExecContext(ctx, `UPDATE template_questions SET position = ?, text = ?, competency = ?,
			guidance = ?, expected_ms = ? WHERE id = ?`,
			q.Position, q.Text, q.Competency, q.Guidance, q.Expected.Milliseconds(), q.ID); err != nil {
			return err
		}
	}
	return nil
}

// Template reads one template with its questions.
func (s *Store) Template(ctx context.Context, id int64) (interview.Template, error) {
	var t interview.Template
	err := s.read(ctx, "read template", func(tx *sql.Tx) (err error) {
		t, err = loadTemplate(ctx, tx, id)
		return err
	})
	return t, err
}

func loadTemplate(ctx context.Context, tx *sql.Tx, id int64) (interview.Template, error) {
	var t interview.Template
	var created, updated int64
	err := tx.QueryRowContext(ctx, "SELECT id, name, description, created_at, updated_at FROM templates WHERE id = ?", id).
		Scan(&t.ID, &t.Name, &t.Description, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return t, notFound("template", id)
	}
	if err != nil {
		return t, err
	}
	t.CreatedAt, t.UpdatedAt = time.UnixMilli(created).UTC(), time.UnixMilli(updated).UTC()
	t.Questions, err = queryAll(ctx, tx, scanTemplateQuestion, `SELECT id, position, text, competency, guidance,
		expected_ms FROM template_questions WHERE template_id = ? ORDER BY position, id`, id)
	return t, err
}

func scanTemplateQuestion(r rowScanner) (interview.TemplateQuestion, error) {
	var q interview.TemplateQuestion
	var ms int64
	err := r.Scan(&q.ID, &q.Position, &q.Text, &q.Competency, &q.Guidance, &ms)
	q.Expected = time.Duration(ms) * time.Millisecond
	return q, err
}

// Templates lists all templates by name, with their questions.
func (s *Store) Templates(ctx context.Context) ([]interview.Template, error) {
	var out []interview.Template
	err := s.read(ctx, "list templates", func(tx *sql.Tx) error {
		ids, err := queryAll(ctx, tx, scanID, "SELECT id FROM templates ORDER BY name COLLATE NOCASE, id")
		if err != nil {
			return err
		}
		for _, id := range ids {
			t, err := loadTemplate(ctx, tx, id)
			if err != nil {
				return err
			}
			out = append(out, t)
		}
		return nil
	})
	return out, err
}

// DeleteTemplate removes a template. Interviews started from it keep
// their questions; their TemplateID becomes 0.
func (s *Store) DeleteTemplate(ctx context.Context, id int64) error {
	return s.write(ctx, fmt.Sprintf("delete template %d", id), func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM templates WHERE id = ?", id)
		if err != nil {
			return err
		}
		return checkAffected(res, "template", id)
	})
}
