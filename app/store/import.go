package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/sidenote-app/sidenote/app/interview"
)

// Import is ImportFrom with no folder to resolve relative recording paths
// against: recordings with absolute paths are copied in, the rest are left
// out and logged. It returns the new interview's id.
func (s *Store) Import(ctx context.Context, b *interview.Bundle) (int64, error) {
	res, err := s.ImportFrom(ctx, b, "")
	for _, sk := range res.Skipped {
		s.log.Warn("import: recording left out", "reason", sk)
	}
	return res.ID, err
}

// Imported is what ImportFrom made of a bundle.
type Imported struct {
	// ID is the new interview.
	ID int64
	// Recordings are the ones that came in, pointing at their copies.
	Recordings []interview.Recording
	// Skipped has one error per recording left out (missing, not a
	// regular file, not a WAV), each naming the recording and the reason.
	Skipped []error
}

// ImportFrom adds an interview read from an export (export.ReadJSON) as a
// new interview with everything in it, in one transaction. dir is the
// folder of the file the bundle came from: a relative recording path is
// resolved against it ("" refuses relative paths).
//
// Fields are kept as they are in the file, with these exceptions: rows
// get new ids (notes are relinked to the new question ids); an interview
// that was live or paused when exported is imported as interrupted, since
// nothing is recording it here; a template id that does not exist in this
// library is cleared, as is a question's template question id unless that
// question is still in the interview's (kept) template; and recording
// paths. A file names its audio, and a file can name anything (the user's
// thesis, ../../x, a symlink), so the audio is never used where it lies:
// each recording that is a regular WAV file is copied into the recordings
// folder and the row points at the copy, so deleting the interview (or
// retention) deletes only the copy. A recording that cannot be copied is
// left out and reported in Skipped; the rest of the interview still comes
// in. Copies are removed again if the import fails.
func (s *Store) ImportFrom(ctx context.Context, b *interview.Bundle, dir string) (Imported, error) {
	var res Imported
	iv := b.Interview
	iv.ID = 0
	if iv.State.Active() {
		iv.State = interview.StateInterrupted
	}
	if err := iv.Validate(); err != nil {
		return res, fmt.Errorf("import interview %q: %w", iv.Title, err)
	}
	recs := make([]interview.Recording, 0, len(b.Recordings))
	var copies []string
	committed := false
	defer func() {
		if !committed {
			for _, c := range copies {
				os.Remove(c)
			}
		}
	}()
	for i, r := range b.Recordings {
		if err := r.Validate(); err != nil {
			return res, fmt.Errorf("import interview %q: recording %d: %w", iv.Title, i+1, err)
		}
		if err := ctx.Err(); err != nil {
			return res, err
		}
		dst, err := s.copyRecording(r.Path, dir)
		if err != nil {
			res.Skipped = append(res.Skipped, fmt.Errorf("recording %d (%s): %w", i+1, r.Path, err))
			continue
		}
		copies = append(copies, dst)
		r.Path = dst
		recs = append(recs, r)
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
		for i := range recs {
			recs[i].InterviewID = iv.ID
			if err := insertRecording(ctx, tx, &recs[i], now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return res, err
	}
	committed = true
	res.ID, res.Recordings = iv.ID, recs
	return res, nil
}

// Reasons a recording in an imported file is left out.
var (
	errNoFolder   = errors.New("a relative path, and no folder to look in")
	errNotRegular = errors.New("not a regular file")
	errNotWAV     = errors.New("not a WAV file")
)

// copyRecording copies the audio an imported file names into the
// recordings folder and returns the copy's path. The source must be a
// regular WAV file, checked without following a symlink (Lstat), and the
// file opened must be the one checked.
func (s *Store) copyRecording(path, dir string) (string, error) {
	if !filepath.IsAbs(path) {
		if dir == "" {
			return "", errNoFolder
		}
		path = filepath.Join(dir, path)
	}
	fi, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", errors.New("the file is missing; put the audio next to the imported file")
	}
	if err != nil {
		return "", err
	}
	if !fi.Mode().IsRegular() {
		return "", fmt.Errorf("%w: it is a %s", errNotRegular, fileKind(fi.Mode()))
	}
	in, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer in.Close()
	if now, err := in.Stat(); err != nil || !os.SameFile(fi, now) {
		return "", fmt.Errorf("%w: it changed while being read", errNotRegular)
	}
	var head [12]byte
	if _, err := io.ReadFull(in, head[:]); err != nil || !isWAV(head[:]) {
		return "", errNotWAV
	}
	if _, err := in.Seek(0, io.SeekStart); err != nil {
		return "", err
	}
	if err := os.MkdirAll(s.recordings, 0o700); err != nil {
		return "", fmt.Errorf("create the recordings folder: %w", err)
	}
	out, err := os.CreateTemp(s.recordings, "imported-*.wav") // 0600: audio is private
	if err != nil {
		return "", fmt.Errorf("copy into %s: %w", s.recordings, err)
	}
	_, err = io.Copy(out, in)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(out.Name())
		return "", fmt.Errorf("copy into %s: %w", s.recordings, err)
	}
	return out.Name(), nil
}

// isWAV reports whether a file's first 12 bytes are a RIFF (or RF64)
// WAVE header.
func isWAV(head []byte) bool {
	if len(head) < 12 {
		return false
	}
	riff := string(head[:4])
	return (riff == "RIFF" || riff == "RF64") && string(head[8:12]) == "WAVE"
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
