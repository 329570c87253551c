package export

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/sidenote-app/sidenote/app/interview"
)

// The JSON file formats are Sidenote's own, separate from the Go types so
// that renaming a field in code never breaks a file a user saved. A
// reader accepts files up to its own version and refuses newer ones.
// Optional fields added later (the interview's verdict, a question's
// template_question_id) do not change the version: a file without them
// reads as "none", and an older reader ignores them.
const (
	interviewFormat = "sidenote-interview"
	templateFormat  = "sidenote-template"
	jsonVersion     = 1
)

// ErrNewerFile: the file was written by a newer Sidenote.
var ErrNewerFile = errors.New("file is from a newer version of Sidenote")

type interviewFile struct {
	Format     string          `json:"format"`
	Version    int             `json:"version"`
	Interview  interviewJSON   `json:"interview"`
	Questions  []questionJSON  `json:"questions"`
	Notes      []noteJSON      `json:"notes"`
	Points     []pointJSON     `json:"talking_points"`
	Segments   []segmentJSON   `json:"segments"`
	Recordings []recordingJSON `json:"recordings"`
}

type interviewJSON struct {
	ID               int64       `json:"id"`
	Title            string      `json:"title"`
	Role             string      `json:"role,omitempty"`
	OtherName        string      `json:"other_name,omitempty"`
	Mode             string      `json:"mode"`
	ScheduledAt      time.Time   `json:"scheduled_at,omitzero"`
	LengthMs         int64       `json:"length_ms,omitempty"`
	Platform         string      `json:"platform,omitempty"`
	Link             string      `json:"link,omitempty"`
	BackupPhone      string      `json:"backup_phone,omitempty"`
	Documents        string      `json:"documents,omitempty"`
	Language         string      `json:"language,omitempty"`
	TemplateID       int64       `json:"template_id,omitempty"`
	Verdict          verdictJSON `json:"verdict,omitzero"`
	State            string      `json:"state"`
	StartedAt        time.Time   `json:"started_at,omitzero"`
	EndedAt          time.Time   `json:"ended_at,omitzero"`
	RanMs            int64       `json:"ran_ms,omitempty"`
	StateReason      string      `json:"state_reason,omitempty"`
	RecordingConsent bool        `json:"recording_consent"`
	CreatedAt        time.Time   `json:"created_at,omitzero"`
	UpdatedAt        time.Time   `json:"updated_at,omitzero"`
}

type verdictJSON struct {
	Rating         int    `json:"rating,omitempty"`
	Recommendation string `json:"recommendation,omitempty"`
	Summary        string `json:"summary,omitempty"`
}

type questionJSON struct {
	ID         int64  `json:"id"`
	Position   int    `json:"position"`
	Priority   int    `json:"priority,omitempty"`
	Text       string `json:"text"`
	Competency string `json:"competency,omitempty"`
	Guidance   string `json:"guidance,omitempty"`
	Status     string `json:"status"`
	AskedAtMs  *int64 `json:"asked_at_ms,omitempty"`
	Rating     int    `json:"rating,omitempty"`
	Note       string `json:"note,omitempty"`
	// TemplateQuestionID is the exporting library's id, like TemplateID:
	// Import keeps it only where that template question exists.
	TemplateQuestionID int64 `json:"template_question_id,omitempty"`
}

type noteJSON struct {
	ID         int64     `json:"id"`
	AtMs       int64     `json:"at_ms"`
	Wall       time.Time `json:"wall"`
	Text       string    `json:"text"`
	Tags       []string  `json:"tags,omitempty"`
	QuestionID int64     `json:"question_id,omitempty"`
	EditedAt   time.Time `json:"edited_at,omitzero"`
}

type pointJSON struct {
	ID       int64  `json:"id"`
	Position int    `json:"position"`
	Text     string `json:"text"`
	Kind     string `json:"kind"`
	Checked  bool   `json:"checked"`
}

type segmentJSON struct {
	ID         int64   `json:"id"`
	Source     string  `json:"source"`
	StartMs    int64   `json:"start_ms"`
	EndMs      int64   `json:"end_ms"`
	Text       string  `json:"text"`
	Confidence float64 `json:"confidence"`
	EditedText string  `json:"edited_text,omitempty"`
}

type recordingJSON struct {
	ID         int64     `json:"id"`
	Source     string    `json:"source"`
	Path       string    `json:"path"`
	SampleRate int       `json:"sample_rate"`
	DurationMs int64     `json:"duration_ms"`
	OffsetMs   int64     `json:"offset_ms,omitempty"`
	CreatedAt  time.Time `json:"created_at,omitzero"`
}

func utc(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC()
}

// WriteJSON writes everything about the interview, indented, with times
// in UTC (RFC 3339). IDs are the exporting library's; ReadJSON uses them
// only to link notes to questions.
func WriteJSON(w io.Writer, b *interview.Bundle) error {
	iv := &b.Interview
	f := interviewFile{
		Format: interviewFormat, Version: jsonVersion,
		Interview: interviewJSON{
			ID: iv.ID, Title: iv.Title, Role: iv.Role, OtherName: iv.OtherName, Mode: string(iv.Mode),
			ScheduledAt: utc(iv.ScheduledAt), LengthMs: iv.Length.Milliseconds(), Platform: iv.Platform,
			Link: iv.Link, BackupPhone: iv.BackupPhone, Documents: iv.Documents, Language: iv.Language,
			TemplateID: iv.TemplateID, State: string(iv.State), StartedAt: utc(iv.StartedAt),
			EndedAt: utc(iv.EndedAt), RecordingConsent: iv.RecordingConsent, CreatedAt: utc(iv.CreatedAt),
			UpdatedAt: utc(iv.UpdatedAt), RanMs: iv.Ran.Milliseconds(), StateReason: iv.StateReason,
			Verdict: verdictJSON{Rating: iv.Verdict.Rating, Recommendation: string(iv.Verdict.Recommendation),
				Summary: iv.Verdict.Summary},
		},
		Questions: []questionJSON{}, Notes: []noteJSON{}, Points: []pointJSON{},
		Segments: []segmentJSON{}, Recordings: []recordingJSON{},
	}
	for _, q := range b.Questions {
		qj := questionJSON{ID: q.ID, Position: q.Position, Priority: int(q.Priority), Text: q.Text,
			Competency: q.Competency, Guidance: q.Guidance, Status: string(q.Status), Rating: q.Rating, Note: q.Note,
			TemplateQuestionID: q.TemplateQuestionID}
		if q.Status == interview.QuestionAsked {
			qj.AskedAtMs = &q.AskedAtMs
		}
		f.Questions = append(f.Questions, qj)
	}
	for _, n := range b.Notes {
		f.Notes = append(f.Notes, noteJSON{ID: n.ID, AtMs: n.AtMs, Wall: utc(n.Wall), Text: n.Text, Tags: n.Tags,
			QuestionID: n.QuestionID, EditedAt: utc(n.EditedAt)})
	}
	for _, p := range b.Points {
		f.Points = append(f.Points, pointJSON{ID: p.ID, Position: p.Position, Text: p.Text, Kind: string(p.Kind), Checked: p.Checked})
	}
	for _, s := range b.Segments {
		f.Segments = append(f.Segments, segmentJSON{ID: s.ID, Source: string(s.Source), StartMs: s.StartMs, EndMs: s.EndMs,
			Text: s.Text, Confidence: s.Confidence, EditedText: s.EditedText})
	}
	for _, r := range b.Recordings {
		f.Recordings = append(f.Recordings, recordingJSON{ID: r.ID, Source: string(r.Source), Path: r.Path,
			SampleRate: r.SampleRate, DurationMs: r.Duration.Milliseconds(), OffsetMs: r.Offset.Milliseconds(),
			CreatedAt: utc(r.CreatedAt)})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(f)
}

// checkHeader checks the format name and version of a JSON file.
func checkHeader(format string, version int, want string) error {
	switch {
	case format != want:
		return fmt.Errorf("%w: format %q is not a %s file", interview.ErrInvalid, format, want)
	case version > jsonVersion:
		return fmt.Errorf("%w (version %d, this build reads up to %d): update Sidenote", ErrNewerFile, version, jsonVersion)
	case version < 1:
		return fmt.Errorf("%w: version %d", interview.ErrInvalid, version)
	}
	return nil
}

// decodeOne decodes the one JSON value a file holds into v and refuses
// anything after it but white space: a second interview pasted on, or the
// rest of a file two exports were concatenated into, would otherwise be
// dropped without a word.
func decodeOne(r io.Reader, v any) error {
	dec := json.NewDecoder(r)
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%w: %w", interview.ErrInvalid, err)
	}
	end := dec.InputOffset()
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return fmt.Errorf("%w: there is more after the JSON value ends at byte %d; a file holds one export", interview.ErrInvalid, end)
	}
	return nil
}

// ReadJSON reads an interview written by WriteJSON and validates every
// part. IDs in the result are those in the file; the store assigns new
// ones on import.
func ReadJSON(r io.Reader) (*interview.Bundle, error) {
	var f interviewFile
	if err := decodeOne(r, &f); err != nil {
		return nil, fmt.Errorf("read interview JSON: %w", err)
	}
	if err := checkHeader(f.Format, f.Version, interviewFormat); err != nil {
		return nil, fmt.Errorf("read interview JSON: %w", err)
	}
	j := &f.Interview
	b := &interview.Bundle{Interview: interview.Interview{
		ID: j.ID, Title: j.Title, Role: j.Role, OtherName: j.OtherName, Mode: interview.Mode(j.Mode),
		ScheduledAt: utc(j.ScheduledAt), Length: time.Duration(j.LengthMs) * time.Millisecond, Platform: j.Platform,
		Link: j.Link, BackupPhone: j.BackupPhone, Documents: j.Documents, Language: j.Language,
		TemplateID: j.TemplateID, State: interview.State(j.State), StartedAt: utc(j.StartedAt),
		EndedAt: utc(j.EndedAt), RecordingConsent: j.RecordingConsent, CreatedAt: utc(j.CreatedAt),
		UpdatedAt: utc(j.UpdatedAt), Ran: time.Duration(j.RanMs) * time.Millisecond, StateReason: j.StateReason,
		Verdict: interview.Verdict{Rating: j.Verdict.Rating, Recommendation: interview.Recommendation(j.Verdict.Recommendation),
			Summary: j.Verdict.Summary},
	}}
	errs := []error{b.Interview.Validate()}
	for _, q := range f.Questions {
		qq := interview.Question{ID: q.ID, InterviewID: j.ID, Position: q.Position, Priority: interview.Priority(q.Priority),
			Text: q.Text, Competency: q.Competency, Guidance: q.Guidance, Status: interview.QuestionStatus(q.Status),
			Rating: q.Rating, Note: q.Note, TemplateQuestionID: q.TemplateQuestionID}
		if q.AskedAtMs != nil {
			qq.AskedAtMs = *q.AskedAtMs
		}
		errs = append(errs, qq.Validate())
		b.Questions = append(b.Questions, qq)
	}
	for _, n := range f.Notes {
		nn := interview.Note{ID: n.ID, InterviewID: j.ID, AtMs: n.AtMs, Wall: utc(n.Wall), Text: n.Text,
			Tags: n.Tags, QuestionID: n.QuestionID, EditedAt: utc(n.EditedAt)}
		errs = append(errs, nn.Validate())
		b.Notes = append(b.Notes, nn)
	}
	for _, p := range f.Points {
		pp := interview.TalkingPoint{ID: p.ID, InterviewID: j.ID, Position: p.Position, Text: p.Text,
			Kind: interview.PointKind(p.Kind), Checked: p.Checked}
		errs = append(errs, pp.Validate())
		b.Points = append(b.Points, pp)
	}
	for _, s := range f.Segments {
		ss := interview.Segment{ID: s.ID, InterviewID: j.ID, Source: interview.Source(s.Source), StartMs: s.StartMs,
			EndMs: s.EndMs, Text: s.Text, Confidence: s.Confidence, EditedText: s.EditedText}
		errs = append(errs, ss.Validate())
		b.Segments = append(b.Segments, ss)
	}
	for _, r := range f.Recordings {
		rr := interview.Recording{ID: r.ID, InterviewID: j.ID, Source: interview.Source(r.Source), Path: r.Path,
			SampleRate: r.SampleRate, Duration: time.Duration(r.DurationMs) * time.Millisecond,
			Offset: time.Duration(r.OffsetMs) * time.Millisecond, CreatedAt: utc(r.CreatedAt)}
		errs = append(errs, rr.Validate())
		b.Recordings = append(b.Recordings, rr)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("read interview JSON: %w", err)
	}
	return b, nil
}
