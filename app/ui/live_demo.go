package ui

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/sidenote-app/sidenote/app/interview"
)

// DemoStore is an in-memory LiveStore holding one made-up interview, for
// screenshots and for trying the Live screen without a database. Tests
// use it as their fake store. It is safe for concurrent use.
type DemoStore struct {
	mu     sync.Mutex
	b      interview.Bundle
	nextID int64
}

// NewDemoStore holds b; ids of rows added later continue after 1000.
func NewDemoStore(b interview.Bundle) *DemoStore {
	return &DemoStore{b: b, nextID: 1000}
}

// Bundle is a copy of what the store holds now.
func (s *DemoStore) Bundle() interview.Bundle {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.b
	b.Questions = slices.Clone(b.Questions)
	b.Notes = slices.Clone(b.Notes)
	b.Points = slices.Clone(b.Points)
	b.Segments = slices.Clone(b.Segments)
	return b
}

func (s *DemoStore) Load(_ context.Context, id int64) (*interview.Bundle, error) {
	b := s.Bundle()
	if id != b.Interview.ID {
		return nil, fmt.Errorf("interview %d: not found", id)
	}
	return &b, nil
}

func (s *DemoStore) AddNote(_ context.Context, n *interview.Note) error {
	n.Tags = interview.MergeTags(n.Tags, interview.HashTags(n.Text))
	if err := n.Validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextID++
	n.ID = s.nextID
	s.b.Notes = append(s.b.Notes, *n)
	return nil
}

func (s *DemoStore) UpdateNote(_ context.Context, n *interview.Note) error {
	n.Tags = interview.MergeTags(n.Tags, interview.HashTags(n.Text))
	if err := n.Validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.b.Notes {
		if s.b.Notes[i].ID == n.ID {
			s.b.Notes[i] = *n
			return nil
		}
	}
	return fmt.Errorf("note %d: not found", n.ID)
}

func (s *DemoStore) AddQuestion(_ context.Context, q *interview.Question) error {
	if q.Status == "" {
		q.Status = interview.QuestionQueued
	}
	if err := q.Validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextID++
	q.ID, q.Position = s.nextID, len(s.b.Questions)+1
	s.b.Questions = append(s.b.Questions, *q)
	return nil
}

func (s *DemoStore) UpdateQuestion(_ context.Context, q *interview.Question) error {
	if err := q.Validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.b.Questions {
		if s.b.Questions[i].ID == q.ID {
			q.Position = s.b.Questions[i].Position
			s.b.Questions[i] = *q
			return nil
		}
	}
	return fmt.Errorf("question %d: not found", q.ID)
}

func (s *DemoStore) MoveQuestion(_ context.Context, id int64, to int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	qs := s.b.Questions
	i := slices.IndexFunc(qs, func(q interview.Question) bool { return q.ID == id })
	if i < 0 {
		return fmt.Errorf("question %d: not found", id)
	}
	to = min(max(to, 1), len(qs)) - 1
	q := qs[i]
	qs = slices.Insert(slices.Delete(qs, i, i+1), to, q)
	for k := range qs {
		qs[k].Position = k + 1
	}
	s.b.Questions = qs
	return nil
}

func (s *DemoStore) UpdatePoint(_ context.Context, p *interview.TalkingPoint) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.b.Points {
		if s.b.Points[i].ID == p.ID {
			s.b.Points[i] = *p
			return nil
		}
	}
	return fmt.Errorf("talking point %d: not found", p.ID)
}

func (s *DemoStore) SetState(_ context.Context, id int64, to interview.State) (interview.Interview, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if id != s.b.Interview.ID {
		return interview.Interview{}, fmt.Errorf("interview %d: not found", id)
	}
	if err := s.b.Interview.Transition(to, time.Time{}); err != nil {
		return interview.Interview{}, err
	}
	return s.b.Interview, nil
}

// stoppedClock is a clock that shows one time, for screenshots.
type stoppedClock time.Duration

func (c stoppedClock) Elapsed() time.Duration { return time.Duration(c) }

// DemoBundle is a made-up interview in the given mode, 14 minutes in: a
// few questions asked and rated, notes with tags, talking points and a
// stretch of transcript.
func DemoBundle(mode interview.Mode) interview.Bundle {
	iv := interview.Interview{
		ID: 1, Title: "Backend engineer, second round", Role: "Backend engineer", OtherName: "Alex Lindqvist",
		Mode: mode, State: interview.StateLive, Platform: "Meet", RecordingConsent: true,
	}
	min := func(m, s int) int64 { return int64(m*60+s) * 1000 }
	qs := []interview.Question{
		{ID: 11, Text: "Walk me through a system you designed end to end.", Competency: "System design", Status: interview.QuestionAsked, AskedAtMs: min(2, 5), Rating: 4},
		{ID: 12, Text: "Tell me about a production incident you led the response to.", Competency: "Ownership", Guidance: "Listen for timeline, communication, follow-up.", Status: interview.QuestionAsked, AskedAtMs: min(9, 40), Priority: interview.PriorityHigh},
		{ID: 13, Text: "How do you decide what to test?", Competency: "Quality", Status: interview.QuestionQueued},
		{ID: 14, Text: "Describe a disagreement with a colleague and how it ended.", Competency: "Collaboration", Status: interview.QuestionQueued},
		{ID: 15, Text: "What would you want to learn in your first six months?", Status: interview.QuestionQueued, Priority: interview.PriorityLow},
	}
	for i := range qs {
		qs[i].InterviewID, qs[i].Position = iv.ID, i+1
	}
	notes := []interview.Note{
		interview.NewNote(min(3, 12), time.Time{}, "Clear diagram of the queue and the retry path", interview.TagStrength),
		interview.NewNote(min(6, 48), time.Time{}, "Unsure how backpressure works end to end #scaling", interview.TagConcern),
		interview.NewNote(min(11, 2), time.Time{}, "Wrote the postmortem the same day; ask who read it", interview.TagFollowUp),
	}
	notes[0].QuestionID, notes[1].QuestionID, notes[2].QuestionID = 11, 11, 12
	for i := range notes {
		notes[i].ID, notes[i].InterviewID = int64(21+i), iv.ID
	}
	points := []interview.TalkingPoint{
		{ID: 31, Text: "Led the move from cron jobs to a queue: 40% fewer pages", Kind: interview.PointKindPoint, Checked: true},
		{ID: 32, Text: "Mentored two juniors through their first on-call", Kind: interview.PointKindPoint},
		{ID: 33, Text: "Open-source: maintainer of a Go SQL migration tool", Kind: interview.PointKindPoint},
		{ID: 34, Text: "How is on-call shared across the team?", Kind: interview.PointKindQuestion},
		{ID: 35, Text: "What does success look like after a year?", Kind: interview.PointKindQuestion},
	}
	for i := range points {
		points[i].InterviewID, points[i].Position = iv.ID, i+1
	}
	segs := demoSegments(iv.ID)
	if mode == interview.ModeCandidate {
		// The other side asks: the candidate's own words are You's.
		for i := range segs {
			if segs[i].Source == interview.SourceYou {
				segs[i].Source = interview.SourceThem
			} else {
				segs[i].Source = interview.SourceYou
			}
		}
	}
	return interview.Bundle{Interview: iv, Questions: qs, Notes: notes, Points: points, Segments: segs}
}

func demoSegments(ivID int64) []interview.Segment {
	lines := []struct {
		src  interview.Source
		m, s int
		text string
	}{
		{interview.SourceYou, 9, 40, "Tell me about a production incident you led the response to."},
		{interview.SourceThem, 9, 47, "Sure. Last spring our payment webhooks started timing out during a partner's sale."},
		{interview.SourceThem, 10, 3, "I was on call, so I opened an incident channel and split the work: one person on the partner, one on our queue."},
		{interview.SourceYou, 10, 31, "What did you look at first?"},
		{interview.SourceThem, 10, 35, "The queue depth. It had grown for twenty minutes before the first alert, which told us the alert was wrong too."},
		{interview.SourceThem, 11, 10, "We shed load by pausing retries, and the backlog drained in about six minutes."},
	}
	segs := make([]interview.Segment, len(lines))
	for i, l := range lines {
		start := int64(l.m*60+l.s) * 1000
		segs[i] = interview.Segment{ID: int64(41 + i), InterviewID: ivID, Source: l.src, StartMs: start, EndMs: start + 5000, Text: l.text, Confidence: 0.9}
	}
	return segs
}

// DemoLiveDeps builds a Live screen's dependencies around DemoBundle in
// interviewer mode, with the clock stopped at 14:32, for screenshots.
func DemoLiveDeps() LiveDeps {
	return LiveDeps{
		Store:       NewDemoStore(DemoBundle(interview.ModeInterviewer)),
		InterviewID: 1,
		Clock:       stoppedClock(14*time.Minute + 32*time.Second),
		Recording:   true,
		Status:      TranscriptionRunning,
		TickEvery:   -1,
	}
}

// DemoEvents is what the pipeline would be sending at that moment: the
// other side mid-sentence, levels, a short backlog and a coach reading.
func DemoEvents() []LiveEvent {
	return []LiveEvent{
		Levels{You: 0.08, Them: 0.62},
		Speaking{Source: interview.SourceThem, Speaking: true},
		Backlog{Behind: 1200 * time.Millisecond, Pending: 1},
		PartialText{Source: interview.SourceThem, StartMs: (14*60 + 20) * 1000, Text: "Afterwards we rewrote the alert on queue age instead of"},
		CoachSnapshot{WPM: 148, Fillers: 3, YouShare: 0.34, Monologue: 0},
	}
}
