package interview

import (
	"fmt"
	"strings"
	"time"
)

// Mode says whose side of the table the user is on; it decides which panels
// the live window shows and how exports are worded.
type Mode string

// The three modes of an interview.
const (
	ModeInterviewer Mode = "interviewer"
	ModeCandidate   Mode = "candidate"
	ModePractice    Mode = "practice"
)

// Modes lists every mode in display order.
func Modes() []Mode { return []Mode{ModeInterviewer, ModeCandidate, ModePractice} }

// Valid reports whether m is one of the known modes.
func (m Mode) Valid() bool {
	switch m {
	case ModeInterviewer, ModeCandidate, ModePractice:
		return true
	}
	return false
}

// ParseMode reads a mode as typed on the command line (case-insensitive).
func ParseMode(s string) (Mode, error) {
	m := Mode(strings.ToLower(strings.TrimSpace(s)))
	if !m.Valid() {
		return "", fmt.Errorf("%w mode %q: use interviewer, candidate or practice", ErrInvalid, s)
	}
	return m, nil
}

// State is where an interview is in its life.
type State string

// The states of an interview. Interrupted means the app stopped while the
// interview was live or paused (a crash or power cut); everything saved
// before it is kept and the interview can be resumed or ended.
const (
	StatePlanned     State = "planned"
	StateLive        State = "live"
	StatePaused      State = "paused"
	StateInterrupted State = "interrupted"
	StateEnded       State = "ended"
)

// States lists every state in life-cycle order.
func States() []State {
	return []State{StatePlanned, StateLive, StatePaused, StateInterrupted, StateEnded}
}

// Valid reports whether s is one of the known states.
func (s State) Valid() bool {
	_, ok := transitions[s]
	return ok
}

// Active reports whether the interview is running (its clock may advance).
func (s State) Active() bool { return s == StateLive || s == StatePaused }

// transitions is the whole life cycle in one table so it can be read at a
// glance. Ended is final: a finished interview is a record, and reopening it
// would make its timeline lie.
var transitions = map[State][]State{
	StatePlanned:     {StateLive, StateEnded},
	StateLive:        {StatePaused, StateInterrupted, StateEnded},
	StatePaused:      {StateLive, StateInterrupted, StateEnded},
	StateInterrupted: {StateLive, StateEnded},
	StateEnded:       nil,
}

// CanTransition reports whether an interview in state s may move to state to.
func (s State) CanTransition(to State) bool {
	for _, t := range transitions[s] {
		if t == to {
			return true
		}
	}
	return false
}

// ParseState reads a state as typed on the command line (case-insensitive).
func ParseState(s string) (State, error) {
	st := State(strings.ToLower(strings.TrimSpace(s)))
	if !st.Valid() {
		return "", fmt.Errorf("%w state %q: use planned, live, paused, interrupted or ended", ErrInvalid, s)
	}
	return st, nil
}

// Interview is one conversation: its details, as shared with the other
// side beforehand, and its life-cycle state.
type Interview struct {
	ID        int64
	Title     string
	Role      string // the position discussed
	OtherName string // the candidate or the interviewer on the other side
	Mode      Mode

	ScheduledAt time.Time     // zero when not scheduled
	Length      time.Duration // planned length; zero when unknown
	Platform    string        // Zoom, Meet, Teams, phone …
	Link        string
	BackupPhone string
	Documents   string // what to prepare or bring
	Language    string // transcription language ("sv", "en"); empty means auto

	TemplateID int64 // template the questions came from; 0 for none

	// Verdict is the interviewer's overall judgement, set by hand after
	// the interview (see Verdict).
	Verdict Verdict

	State     State
	StartedAt time.Time // first time it went live; zero before that
	EndedAt   time.Time // zero until ended
	// Ran is how long it ran in interview time (pauses not counted), as of
	// the last pause, end or interruption; a resume continues the clock
	// from it. Zero for interviews that never ran.
	Ran time.Duration
	// StateReason says why the interview is in its state when that was not
	// the user's doing ("disk full"); empty otherwise.
	StateReason string

	// RecordingConsent records that the other side agreed to be recorded;
	// the recorder refuses to start without it.
	RecordingConsent bool

	CreatedAt time.Time
	UpdatedAt time.Time
}

// RanFor is how long the interview ran: its interview time (pauses not
// counted) when known, else, for interviews stored before that was
// kept, the wall-clock span from start to end.
func (iv *Interview) RanFor() time.Duration {
	if iv.Ran > 0 {
		return iv.Ran
	}
	if !iv.StartedAt.IsZero() && !iv.EndedAt.IsZero() {
		return iv.EndedAt.Sub(iv.StartedAt)
	}
	return 0
}

// Validate checks the fields a user types or a file supplies.
func (iv *Interview) Validate() error {
	switch {
	case !iv.Mode.Valid():
		return fmt.Errorf("%w mode %q: use interviewer, candidate or practice", ErrInvalid, iv.Mode)
	case !iv.State.Valid():
		return fmt.Errorf("%w state %q", ErrInvalid, iv.State)
	case iv.Length < 0:
		return fmt.Errorf("%w length %v: must not be negative", ErrInvalid, iv.Length)
	case iv.TemplateID < 0:
		return fmt.Errorf("%w template id %d", ErrInvalid, iv.TemplateID)
	case !iv.EndedAt.IsZero() && !iv.StartedAt.IsZero() && iv.EndedAt.Before(iv.StartedAt):
		return fmt.Errorf("%w times: ended %v before it started %v", ErrInvalid, iv.EndedAt, iv.StartedAt)
	}
	return iv.Verdict.Validate()
}

// Transition moves the interview to state to at wall time now, stamping
// StartedAt the first time it goes live and EndedAt when it ends. An illegal
// change leaves the interview untouched and returns an error wrapping
// ErrIllegalTransition.
func (iv *Interview) Transition(to State, now time.Time) error {
	if !to.Valid() {
		return fmt.Errorf("%w state %q", ErrInvalid, to)
	}
	if !iv.State.CanTransition(to) {
		return fmt.Errorf("%w: interview %d cannot go from %s to %s", ErrIllegalTransition, iv.ID, iv.State, to)
	}
	iv.State = to
	if to == StateLive && iv.StartedAt.IsZero() {
		iv.StartedAt = now
	}
	if to == StateEnded {
		iv.EndedAt = now
	}
	return nil
}

// When is the moment the interview is filed under in the library: when it
// started, else when it is scheduled, else when it was created.
func (iv *Interview) When() time.Time {
	switch {
	case !iv.StartedAt.IsZero():
		return iv.StartedAt
	case !iv.ScheduledAt.IsZero():
		return iv.ScheduledAt
	}
	return iv.CreatedAt
}
