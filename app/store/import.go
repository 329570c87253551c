package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/sidenote-app/sidenote/app/interview"
)

// Import adds an interview read from an export (export.ReadJSON) as a new
// interview with everything in it, in one transaction, and returns its id.
// Fields are kept as they are in the file, with three exceptions: rows get
// new ids (notes are relinked to the new question ids); an interview that
// was live or paused when exported is imported as interrupted, since
// nothing is recording it here; and a template id that does not exist in
// this library is cleared, as is a question's template question id unless
// that question is still in the interview's (kept) template. Recording rows are kept; the audio files are
// not part of the export, and delete only removes a file no other row
// uses, so an import into the same library never takes the original's
// audio with it.
func (s *Store) Import(ctx context.Context, b *interview.Bundle) (int64, error) {
	iv := b.Interview
	iv.ID = 0
	if iv.State.Active() {
		iv.State = interview.StateInterrupted
	}
	if err := iv.Validate(); err != nil {
		return 0, fmt.Errorf("import interview %q: %w", iv.Title, err)
	}
	err := s.write(ctx, fmt.Sprintf("import interview %q", iv.Title), func(tx *sql.Tx) error {
		now := s.stamp()
		if iv.CreatedAt.IsZero() {
			iv.CreatedAt = now
		}
		if iv.UpdatedAt.IsZero() {
			iv.UpdatedAt = now
		}
		if iv.TemplateID != 0 {
			var one int
			err := tx.QueryRowContext(ctx, "SELECT 1 FROM templates WHERE id = ?", iv.TemplateID).Scan(&one)
			if errors.Is(err, sql.ErrNoRows) {
				iv.TemplateID = 0
			} else if err != nil {
				return err
			}
		}
		if err := insertInterview(ctx, tx, &iv); err != nil {
			return err
		}
		qids := map[int64]int64{}
		for i, q := range b.Questions {
			if err := q.Validate(); err != nil {
				return fmt.Errorf("question %d: %w", i+1, err)
			}
			old := q.ID
			q.InterviewID = iv.ID
			if q.TemplateQuestionID != 0 {
				ok, err := inTemplate(ctx, tx, iv.TemplateID, q.TemplateQuestionID)
				if err != nil {
					return err
				}
				if !ok {
					q.TemplateQuestionID = 0
				}
			}
			if err := insertQuestion(ctx, tx, &q); err != nil {
				return err
			}
			qids[old] = q.ID
		}
		for i, n := range b.Notes {
			if err := n.Validate(); err != nil {
				return fmt.Errorf("note %d: %w", i+1, err)
			}
			n.InterviewID, n.QuestionID = iv.ID, qids[n.QuestionID]
			if err := insertNote(ctx, tx, &n); err != nil {
				return err
			}
		}
		for i, p := range b.Points {
			if err := p.Validate(); err != nil {
				return fmt.Errorf("talking point %d: %w", i+1, err)
			}
			p.InterviewID = iv.ID
			if err := insertPoint(ctx, tx, &p); err != nil {
				return err
			}
		}
		segs := make([]interview.Segment, len(b.Segments))
		for i, sg := range b.Segments {
			if err := sg.Validate(); err != nil {
				return fmt.Errorf("segment %d: %w", i+1, err)
			}
			sg.InterviewID = iv.ID
			segs[i] = sg
		}
		if err := insertSegments(ctx, tx, segs); err != nil {
			return err
		}
		for i, r := range b.Recordings {
			if err := r.Validate(); err != nil {
				return fmt.Errorf("recording %d: %w", i+1, err)
			}
			r.InterviewID = iv.ID
			if err := insertRecording(ctx, tx, &r, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return iv.ID, nil
}

// inTemplate reports whether template question tq belongs to template t
// in this library (never, for t = 0).
func inTemplate(ctx context.Context, tx *sql.Tx, t, tq int64) (bool, error) {
	var one int
	err := tx.QueryRowContext(ctx, "SELECT 1 FROM template_questions WHERE id = ? AND template_id = ?", tq, t).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}
