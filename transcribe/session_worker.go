package transcribe

import (
	"context"
	"time"
)

// work is the one goroutine that uses the recognizer: finals first, in
// order of start; the newest partial when idle and running; failed
// segments offered to the sink again when nothing else happens. It returns
// when the backlog is drained after the readers ended, or at once when ctx
// is cancelled.
func (s *Session) work(ctx context.Context) {
	defer s.worker.Done()
	for ctx.Err() == nil {
		u, err := s.backlog.pop()
		if err != nil {
			s.backlog.finish()
			s.events.post(Event{Kind: EventSpoolError, Source: u.src, Start: Samples(u.start), End: Samples(u.end), Err: err})
			s.postBacklog()
			continue
		}
		if u != nil {
			s.final(ctx, u)
			continue
		}
		if s.backlog.drained() {
			if len(s.Unsaved()) > 0 {
				s.retryStore()
			}
			return
		}
		if s.running.Load() {
			if p := s.backlog.takePartial(); p != nil {
				s.partial(ctx, p)
				continue
			}
		}
		var retry <-chan time.Time
		var t *time.Timer
		if len(s.Unsaved()) > 0 {
			t = time.NewTimer(s.opts.SinkRetry)
			retry = t.C
		}
		select {
		case <-s.wake:
		case <-ctx.Done():
		case <-retry:
			s.retryStore()
		}
		if t != nil {
			t.Stop()
		}
	}
}

// final transcribes an ended utterance and stores the result.
func (s *Session) final(ctx context.Context, u *utterance) {
	segs, err := s.opts.Recognizer.Recognize(ctx, u.samples)
	if err != nil {
		if ctx.Err() != nil {
			s.backlog.requeue(u)
			return
		}
		s.backlog.finish()
		s.events.post(Event{Kind: EventRecognizerError, Source: u.src, Start: Samples(u.start), End: Samples(u.end), Err: err})
		s.postBacklog()
		return
	}
	out := place(segs, u)
	s.backlog.finish()
	pending, serr := s.store(out)
	s.events.post(Event{Kind: EventFinal, Source: u.src, Start: Samples(u.start), End: Samples(u.end), Segments: out})
	if serr != nil {
		s.events.post(Event{Kind: EventSinkError, Segments: pending, Err: serr})
	}
	s.postBacklog()
}

// store offers the segments the sink has not taken, then out, in order,
// stopping at the first refusal; the rest wait for the next try. A final
// is stored before its event is posted, and a refusal reported after it.
func (s *Session) store(out []Segment) (pending []Segment, err error) {
	s.unsavedMu.Lock()
	defer s.unsavedMu.Unlock()
	s.unsaved = append(s.unsaved, out...)
	i := 0
	for ; i < len(s.unsaved); i++ {
		if err = s.opts.Sink.Final(s.unsaved[i]); err != nil {
			break
		}
	}
	if i == len(s.unsaved) {
		s.unsaved = nil
		return nil, nil
	}
	s.unsaved = append([]Segment(nil), s.unsaved[i:]...)
	return append([]Segment(nil), s.unsaved...), err
}

// retryStore offers the unsaved segments to the sink again.
func (s *Session) retryStore() {
	if pending, err := s.store(nil); err != nil {
		s.events.post(Event{Kind: EventSinkError, Segments: pending, Err: err})
	}
}

// partial transcribes the utterance in progress so far. Partials are a
// courtesy: a failure is not reported, the final will be.
func (s *Session) partial(ctx context.Context, p *utterance) {
	segs, err := s.opts.Recognizer.Recognize(ctx, p.samples)
	if err != nil {
		return
	}
	s.events.post(Event{Kind: EventPartial, Source: p.src, Start: Samples(p.start), End: Samples(p.end), Segments: place(segs, p)})
}

// place moves a recognizer's segments from the utterance's own time to the
// session's, clamped to the utterance, and labels them.
func place(segs []Segment, u *utterance) []Segment {
	out := make([]Segment, 0, len(segs))
	base, limit := Samples(u.start), Samples(u.len())
	for _, sg := range segs {
		sg.Start = min(max(sg.Start, 0), limit) + base
		sg.End = min(max(sg.End, sg.Start-base), limit) + base
		sg.Source = u.src
		out = append(out, sg)
	}
	return out
}

func (s *Session) postBacklog() {
	s.events.post(Event{Kind: EventBacklog, Backlog: s.backlog.status(s.clock.Now())})
}
