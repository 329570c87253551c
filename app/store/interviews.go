package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/sidenote-app/sidenote/app/interview"
)

const interviewColumns = `id, title, role, other_name, mode, scheduled_at, length_ms, platform, link,
	backup_phone, documents, language, template_id, state, started_at, ended_at,
	recording_consent, created_at, updated_at, overall_rating, recommendation, verdict_summary, ran_ms,
	state_reason`

func scanInterview(r rowScanner) (interview.Interview, error) {
	var iv interview.Interview
	var sched, started, ended, created, updated sql.NullInt64
	var tpl sql.NullInt64
	var lengthMs, ranMs int64
	err := r.Scan(&iv.ID, &iv.Title, &iv.Role, &iv.OtherName, &iv.Mode, &sched, &lengthMs, &iv.Platform,
		&iv.Link, &iv.BackupPhone, &iv.Documents, &iv.Language, &tpl, &iv.State, &started, &ended,
		&iv.RecordingConsent, &created, &updated, &iv.Verdict.Rating, &iv.Verdict.Recommendation, &iv.Verdict.Summary,
		&ranMs, &iv.StateReason)
	iv.Ran = time.Duration(ranMs) * time.Millisecond
	iv.ScheduledAt, iv.StartedAt, iv.EndedAt = fromMs(sched), fromMs(started), fromMs(ended)
	iv.CreatedAt, iv.UpdatedAt = fromMs(created), fromMs(updated)
	iv.Length = time.Duration(lengthMs) * time.Millisecond
	iv.TemplateID = tpl.Int64
	return iv, err
}

// normalizeInterview rounds times to the millisecond in UTC, as stored.
func normalizeInterview(iv *interview.Interview) {
	iv.ScheduledAt, iv.StartedAt, iv.EndedAt = toMs(iv.ScheduledAt), toMs(iv.StartedAt), toMs(iv.EndedAt)
	iv.CreatedAt, iv.UpdatedAt = toMs(iv.CreatedAt), toMs(iv.UpdatedAt)
	iv.Length = iv.Length.Truncate(time.Millisecond)
	iv.Ran = max(iv.Ran.Truncate(time.Millisecond), 0)
}

// CreateInterview saves a new interview and sets its ID, CreatedAt and
// UpdatedAt. An empty State means planned. When TemplateID is set, the
// template's questions are copied into the interview's queue in the same
// transaction, so later edits to the template do not rewrite what was
// asked; each copy keeps a link to its template question
// (Question.TemplateQuestionID).
func (s *Store) CreateInterview(ctx context.Context, iv *interview.Interview) error {
	if iv.State == "" {
		iv.State = interview.StatePlanned
	}
	if err := iv.Validate(); err != nil {
		return fmt.Errorf("create interview: %w", err)
	}
	return s.write(ctx, "create interview", func(tx *sql.Tx) error {
		now := s.stamp()
		iv.CreatedAt, iv.UpdatedAt = now, now
		if err := insertInterview(ctx, tx, iv); err != nil {
			return err
		}
		if iv.TemplateID == 0 {
			return nil
		}
		tpl, err := loadTemplate(ctx, tx, iv.TemplateID)
		if err != nil {
			return err
		}
		for _, q := range tpl.NewQuestions() {
			q.InterviewID = iv.ID
			if err := insertQuestion(ctx, tx, &q); err != nil {
				return err
			}
		}
		return nil
	})
}

func insertInterview(ctx context.Context, tx *sql.Tx, iv *interview.Interview) error {
	normalizeInterview(iv)
	res, err := tx.ExecContext(ctx, `INSERT INTO interviews (title, role, other_name, mode, scheduled_at,
		length_ms, platform, link, backup_phone, documents, language, template_id, state, started_at,
		ended_at, recording_consent, created_at, updated_at, overall_rating, recommendation, verdict_summary,
		ran_ms, state_reason)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		iv.Title, iv.Role, iv.OtherName, iv.Mode, msOrNull(iv.ScheduledAt), iv.Length.Milliseconds(),
		iv.Platform, iv.Link, iv.BackupPhone, iv.Documents, iv.Language, idOrNull(iv.TemplateID), iv.State,
		msOrNull(iv.StartedAt), msOrNull(iv.EndedAt), iv.RecordingConsent, iv.CreatedAt.UnixMilli(),
		iv.UpdatedAt.UnixMilli(), iv.Verdict.Rating, iv.Verdict.Recommendation, iv.Verdict.Summary,
		iv.Ran.Milliseconds(), iv.StateReason)
	if err != nil {
		return fkHint(err, "template", iv.TemplateID)
	}
	iv.ID, err = res.LastInsertId()
	return err
}

// Interview reads one interview.
func (s *Store) Interview(ctx context.Context, id int64) (interview.Interview, error) {
	var iv interview.Interview
	err := s.read(ctx, "read interview", func(tx *sql.Tx) (err error) {
		iv, err = loadInterview(ctx, tx, id)
		return err
	})
	return iv, err
}

func loadInterview(ctx context.Context, tx *sql.Tx, id int64) (interview.Interview, error) {
	iv, err := scanInterview(tx.QueryRowContext(ctx, "SELECT "+interviewColumns+" FROM interviews WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return iv, notFound("interview", id)
	}
	return iv, err
}

// UpdateInterview saves the details of an interview, its verdict included
// (everything except its state, times of the life cycle and CreatedAt,
// which SetState and CreateInterview own), and sets UpdatedAt.
func (s *Store) UpdateInterview(ctx context.Context, iv *interview.Interview) error {
	if err := iv.Validate(); err != nil {
		return fmt.Errorf("update interview %d: %w", iv.ID, err)
	}
	return s.write(ctx, fmt.Sprintf("update interview %d", iv.ID), func(tx *sql.Tx) error {
		normalizeInterview(iv)
		iv.UpdatedAt = s.stamp()
		res, err := tx.ExecContext(ctx, `UPDATE interviews SET title = ?, role = ?, other_name = ?, mode = ?,
			scheduled_at = ?, length_ms = ?, platform = ?, link = ?, backup_phone = ?, documents = ?,
			language = ?, template_id = ?, recording_consent = ?, updated_at = ?, overall_rating = ?,
			recommendation = ?, verdict_summary = ? WHERE id = ?`,
			iv.Title, iv.Role, iv.OtherName, iv.Mode, msOrNull(iv.ScheduledAt), iv.Length.Milliseconds(),
			iv.Platform, iv.Link, iv.BackupPhone, iv.Documents, iv.Language, idOrNull(iv.TemplateID),
			iv.RecordingConsent, iv.UpdatedAt.UnixMilli(), iv.Verdict.Rating, iv.Verdict.Recommendation,
			iv.Verdict.Summary, iv.ID)
		if err != nil {
			return err
		}
		if err := checkAffected(res, "interview", iv.ID); err != nil {
			return err
		}
		// Read back what the row holds now, including state and times the
		// caller's copy may not have seen.
		*iv, err = loadInterview(ctx, tx, iv.ID)
		return err
	})
}

// SetState moves an interview to another state under the rules of
// interview.State (an illegal change wraps interview.ErrIllegalTransition)
// and returns the updated interview. Read and write happen in one
// transaction, so two windows cannot both end the same interview.
func (s *Store) SetState(ctx context.Context, id int64, to interview.State) (interview.Interview, error) {
	return s.ChangeState(ctx, id, StateChange{To: to})
}

// StateChange is a move to another state with what the interview's owner
// (app/live) knows at that moment.
type StateChange struct {
	To interview.State
	// Ran is how long the interview has run in interview time; the stored
	// value only ever grows, so a late or stale figure cannot shorten it.
	Ran time.Duration
	// Reason says why, when it was not the user's doing ("disk full");
	// every change replaces the previous reason.
	Reason string
}

// ChangeState is SetState that also records how long the interview ran
// and why it changed.
func (s *Store) ChangeState(ctx context.Context, id int64, c StateChange) (interview.Interview, error) {
	var iv interview.Interview
	err := s.write(ctx, fmt.Sprintf("interview %d to %s", id, c.To), func(tx *sql.Tx) error {
		var err error
		if iv, err = loadInterview(ctx, tx, id); err != nil {
			return err
		}
		now := s.stamp()
		if err := iv.Transition(c.To, now); err != nil {
			return err
		}
		iv.UpdatedAt = now
		iv.Ran = max(iv.Ran, c.Ran.Truncate(time.Millisecond))
		iv.StateReason = c.Reason
		_, err = tx.ExecContext(ctx, `UPDATE interviews SET state = ?, started_at = ?, ended_at = ?,
			updated_at = ?, ran_ms = ?, state_reason = ? WHERE id = ?`, iv.State, msOrNull(iv.StartedAt),
			msOrNull(iv.EndedAt), now.UnixMilli(), iv.Ran.Milliseconds(), iv.StateReason, id)
		return err
	})
	return iv, err
}

// SetRan records how long a live interview has run so far (it only grows),
// so that a crash loses at most the time since the last call.
func (s *Store) SetRan(ctx context.Context, id int64, ran time.Duration) error {
	return s.write(ctx, fmt.Sprintf("interview %d ran %v", id, ran), func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE interviews SET ran_ms = max(ran_ms, ?) WHERE id = ?", ran.Milliseconds(), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("interview", id)
		}
		return nil
	})
}

// Recover marks every interview left live or paused as interrupted and
// returns their ids. An interview can only be live in a running app, so at
// start-up such a row means the app died; its notes and transcript were
// committed as they came and stay. Call it once, from the app that runs
// live interviews, before it starts one.
func (s *Store) Recover(ctx context.Context) ([]int64, error) {
	var ids []int64
	err := s.write(ctx, "recover interrupted interviews", func(tx *sql.Tx) error {
		var err error
		ids, err = queryAll(ctx, tx, scanID, "SELECT id FROM interviews WHERE state IN ('live', 'paused') ORDER BY id")
		if err != nil || len(ids) == 0 {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE interviews SET state = 'interrupted', updated_at = ?
			WHERE state IN ('live', 'paused')`, s.stamp().UnixMilli())
		return err
	})
	if len(ids) > 0 {
		s.log.Warn("interviews interrupted by a crash", "ids", ids)
	}
	return ids, err
}

func scanID(r rowScanner) (int64, error) {
	var id int64
	err := r.Scan(&id)
	return id, err
}

// ListOptions filters ListInterviews. Zero values mean "any".
type ListOptions struct {
	Mode  interview.Mode
	State interview.State
	// TemplateID keeps the interviews made from that template.
	TemplateID int64
	// Tag keeps the interviews with at least one note carrying that tag,
	// compared whole and after normalising (interview.NormalizeTag), so
	// "#Concern" finds "concern" and "go" does not find "golang". A tag
	// that normalises to nothing, such as "#", is ErrInvalid.
	Tag string
	// Since and Until bound interview.When (started, else scheduled, else
	// created): Since inclusive, Until exclusive.
	Since, Until time.Time
	Limit        int // 0 means no limit
	Offset       int
}

// ListInterviews returns interviews, newest first (by interview.When).
func (s *Store) ListInterviews(ctx context.Context, opts ListOptions) ([]interview.Interview, error) {
	var where []string
	var args []any
	if opts.Mode != "" {
		where, args = append(where, "mode = ?"), append(args, opts.Mode)
	}
	if opts.State != "" {
		where, args = append(where, "state = ?"), append(args, opts.State)
	}
	if opts.TemplateID != 0 {
		where, args = append(where, "template_id = ?"), append(args, opts.TemplateID)
	}
	if opts.Tag != "" {
		cond, arg, err := tagFilter("id", opts.Tag)
		if err != nil {
			return nil, fmt.Errorf("list interviews: %w", err)
		}
		where, args = append(where, cond), append(args, arg)
	}
	if !opts.Since.IsZero() {
		where, args = append(where, "filed_at >= ?"), append(args, opts.Since.UnixMilli())
	}
	if !opts.Until.IsZero() {
		where, args = append(where, "filed_at < ?"), append(args, opts.Until.UnixMilli())
	}
	q := "SELECT " + interviewColumns + " FROM interviews"
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY filed_at DESC, id DESC"
	if opts.Limit > 0 || opts.Offset > 0 {
		limit := opts.Limit
		if limit <= 0 {
			limit = -1
		}
		q += " LIMIT ? OFFSET ?"
		args = append(args, limit, opts.Offset)
	}
	var out []interview.Interview
	err := s.read(ctx, "list interviews", func(tx *sql.Tx) (err error) {
		out, err = queryAll(ctx, tx, scanInterview, q, args...)
		return err
	})
	return out, err
}

// Load reads an interview with everything that belongs to it, from one
// snapshot: the review screen, `sidenote show` and the exports use it.
// Bundle.Timeline puts it in time order.
func (s *Store) Load(ctx context.Context, id int64) (*interview.Bundle, error) {
	b := &interview.Bundle{}
	err := s.read(ctx, fmt.Sprintf("load interview %d", id), func(tx *sql.Tx) error {
		var err error
		if b.Interview, err = loadInterview(ctx, tx, id); err != nil {
			return err
		}
		if b.Questions, err = queryAll(ctx, tx, scanQuestion, "SELECT "+questionColumns+" FROM questions WHERE interview_id = ? ORDER BY position, id", id); err != nil {
			return err
		}
		if b.Notes, err = queryAll(ctx, tx, scanNote, "SELECT "+noteColumns+" FROM notes WHERE interview_id = ? ORDER BY at_ms, id", id); err != nil {
			return err
		}
		if b.Points, err = queryAll(ctx, tx, scanPoint, "SELECT "+pointColumns+" FROM talking_points WHERE interview_id = ? ORDER BY position, id", id); err != nil {
			return err
		}
		if b.Segments, err = queryAll(ctx, tx, scanSegment, "SELECT "+segmentColumns+" FROM segments WHERE interview_id = ? ORDER BY start_ms, id", id); err != nil {
			return err
		}
		b.Recordings, err = queryAll(ctx, tx, scanRecording, "SELECT "+recordingColumns+" FROM recordings WHERE interview_id = ? ORDER BY id", id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return b, nil
}

// DeleteInterview removes an interview with all its rows, its search
// entries (by the cascade's triggers) and its recording files. The rows go
// first, in one transaction; files are removed after the commit, so a
// failure never leaves rows pointing at missing audio. A file that cannot
// be removed is reported by path so the user can delete it by hand.
func (s *Store) DeleteInterview(ctx context.Context, id int64) error {
	var paths []string
	err := s.write(ctx, fmt.Sprintf("delete interview %d", id), func(tx *sql.Tx) (err error) {
		paths, err = deleteInterviews(ctx, tx, []int64{id})
		return err
	})
	if err != nil {
		return err
	}
	return s.removeRecordings(paths)
}

// deleteInterviews deletes rows and returns the recording files that no
// remaining row refers to. The reference check matters for libraries
// imported into by an older Sidenote, whose copies' recording rows point
// at the original's files (Import now copies the audio): deleting the copy
// must not take the original's audio.
func deleteInterviews(ctx context.Context, tx *sql.Tx, ids []int64) ([]string, error) {
	var paths []string
	for _, id := range ids {
		ps, err := queryAll(ctx, tx, scanString, "SELECT DISTINCT path FROM recordings WHERE interview_id = ?", id)
		if err != nil {
			return nil, err
		}
		res, err := tx.ExecContext(ctx, "DELETE FROM interviews WHERE id = ?", id)
		if err != nil {
			return nil, err
		}
		if err := checkAffected(res, "interview", id); err != nil {
			return nil, err
		}
		paths = append(paths, ps...)
	}
	var orphans []string
	for _, p := range paths {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM recordings WHERE path = ?", p).Scan(&n); err != nil {
			return nil, err
		}
		if n == 0 {
			orphans = append(orphans, p)
		}
	}
	return orphans, nil
}

func scanString(r rowScanner) (string, error) {
	var v string
	err := r.Scan(&v)
	return v, err
}

// DeleteOlderThan deletes interviews filed (see interview.When) more than
// days days ago, with their recordings, and returns their ids. Live and
// paused interviews are never deleted, whatever their date.
func (s *Store) DeleteOlderThan(ctx context.Context, days int) ([]int64, error) {
	if days <= 0 {
		return nil, fmt.Errorf("delete old interviews: %w: days must be positive, got %d", interview.ErrInvalid, days)
	}
	cutoff := s.now().AddDate(0, 0, -days).UnixMilli()
	var ids []int64
	var paths []string
	err := s.write(ctx, fmt.Sprintf("delete interviews older than %d days", days), func(tx *sql.Tx) error {
		var err error
		ids, err = queryAll(ctx, tx, scanID, `SELECT id FROM interviews
			WHERE filed_at < ? AND state NOT IN ('live', 'paused') ORDER BY id`, cutoff)
		if err != nil {
			return err
		}
		paths, err = deleteInterviews(ctx, tx, ids)
		return err
	})
	if err != nil {
		return nil, err
	}
	if len(ids) > 0 {
		s.log.Info("deleted old interviews", "days", days, "ids", ids)
	}
	return ids, s.removeRecordings(paths)
}

// ApplyRetention deletes old interviews when the retention setting is on
// (Settings.RetentionDays > 0) and returns their ids; with it off it does
// nothing.
func (s *Store) ApplyRetention(ctx context.Context) ([]int64, error) {
	st, err := s.Settings(ctx)
	if err != nil {
		return nil, err
	}
	if st.RetentionDays <= 0 {
		return nil, nil
	}
	return s.DeleteOlderThan(ctx, st.RetentionDays)
}
