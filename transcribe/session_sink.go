package transcribe

import (
	"time"
)

// heldFinal is an utterance's final whose segments the sink has not all
// taken; its EventFinal waits until it has, so that whatever a consumer
// shows as said is stored.
type heldFinal struct {
	ev     Event // the EventFinal to post once stored
	stored int   // leading segments of ev.Segments the sink has taken
}

// sinkState is what the worker knows about the sink. Only the worker
// changes it; s.unsavedMu guards it for Unsaved, which any goroutine may
// call.
type sinkState struct {
	held    []*heldFinal // in the order transcribed
	since   time.Time    // first refusal since the sink last took everything
	retryAt time.Time    // when to offer held finals again
	lastErr error
}

// keep stores a transcribed final, or holds it behind finals already
// waiting. A final with no segments has nothing to store and is posted at
// once.
func (s *Session) keep(ev Event) {
	if len(ev.Segments) == 0 {
		s.events.post(ev)
		return
	}
	s.unsavedMu.Lock()
	s.sink.held = append(s.sink.held, &heldFinal{ev: ev})
	waiting := len(s.sink.held) > 1
	s.unsavedMu.Unlock()
	if !waiting {
		s.storeHeld()
		return
	}
	// The sink is failing: wait for the next retry rather than hammer a
	// full disk with every utterance, but say that one more waits.
	s.postSinkError()
}

// storeHeld offers the held finals to the sink in order, posting each
// one's EventFinal once all its segments are taken, and stopping at the
// first refusal, which is posted as EventSinkError; the rest wait for
// the next retry.
func (s *Session) storeHeld() {
	for {
		s.unsavedMu.Lock()
		if len(s.sink.held) == 0 {
			failed := !s.sink.since.IsZero()
			s.sink.since, s.sink.lastErr = time.Time{}, nil
			s.unsavedMu.Unlock()
			if failed {
				s.events.post(Event{Kind: EventSinkRestored})
			}
			return
		}
		h := s.sink.held[0]
		s.unsavedMu.Unlock()

		// The sink is called without the lock: Unsaved must not wait for a
		// slow disk. Only this goroutine changes held.
		for h.stored < len(h.ev.Segments) {
			if err := s.opts.Sink.Final(h.ev.Segments[h.stored]); err != nil {
				s.refused(err)
				return
			}
			s.unsavedMu.Lock()
			h.stored++
			s.unsavedMu.Unlock()
		}
		s.unsavedMu.Lock()
		s.sink.held = s.sink.held[1:]
		s.unsavedMu.Unlock()
		s.events.post(h.ev)
	}
}

// refused records a refusal and schedules the next retry.
func (s *Session) refused(err error) {
	now := s.opts.Now()
	s.unsavedMu.Lock()
	if s.sink.since.IsZero() {
		s.sink.since = now
	}
	s.sink.lastErr = err
	s.sink.retryAt = now.Add(s.opts.SinkRetry)
	s.unsavedMu.Unlock()
	s.postSinkError()
}

// postSinkError reports what waits for a failing sink.
func (s *Session) postSinkError() {
	now := s.opts.Now()
	s.unsavedMu.Lock()
	ev := Event{Kind: EventSinkError, Err: s.sink.lastErr, Unsaved: len(s.sink.held),
		FailingFor: now.Sub(s.sink.since), Segments: s.unsavedLocked()}
	s.unsavedMu.Unlock()
	s.events.post(ev)
}

// retryDue reports whether held finals wait, and how long until they are
// offered to the sink again (zero or less: now).
func (s *Session) retryDue() (held bool, in time.Duration) {
	s.unsavedMu.Lock()
	defer s.unsavedMu.Unlock()
	if len(s.sink.held) == 0 {
		return false, 0
	}
	return true, s.sink.retryAt.Sub(s.opts.Now())
}

// unsavedLocked lists the segments the sink has not taken, in order;
// s.unsavedMu is held.
func (s *Session) unsavedLocked() []Segment {
	var out []Segment
	for _, h := range s.sink.held {
		out = append(out, h.ev.Segments[h.stored:]...)
	}
	return out
}
