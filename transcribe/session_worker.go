package transcribe

import (
	"context"
	"time"
)

// work is the one goroutine that uses the recognizer and the sink: finals
// first, in order of start; the newest partial when idle and running;
// finals the sink refused offered to it again every SinkRetry, busy or
// not. It returns when the backlog is drained after the readers ended
// (trying the sink one last time), or at once when ctx is cancelled.
func (s *Session) work(ctx context.Context) {
	defer s.worker.Done()
	for ctx.Err() == nil {
		if held, in := s.retryDue(); held && in <= 0 {
			s.storeHeld()
		}
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
			if held, _ := s.retryDue(); held {
				s.storeHeld()
			}
			return
		}
		if s.running.Load() {
			if p := s.backlog.takePartial(); p != nil {
				s.partial(ctx, p)
				continue
			}
		}
		// Wait for work or the retry that is due, whichever comes first:
		// the deadline does not move when other work wakes us, so
		// retries keep their pace however much is said.
		var retry <-chan time.Time
		var t *time.Timer
		if held, in := s.retryDue(); held {
			t = time.NewTimer(max(in, 0))
			retry = t.C
		}
		select {
		case <-s.wake:
		case <-ctx.Done():
		case <-retry:
		}
		if t != nil {
			t.Stop()
		}
	}
}

// final transcribes an ended utterance and hands the result to the sink;
// its EventFinal follows once it is stored (see keep).
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
	s.backlog.finish()
	s.keep(Event{Kind: EventFinal, Source: u.src, Start: Samples(u.start), End: Samples(u.end), Segments: place(segs, u)})
	s.postBacklog()
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
