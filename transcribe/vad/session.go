package vad

import "github.com/sidenote-app/sidenote/transcribe"

// ForSession returns the constructor a transcribe.Session uses to give each
// input its own Segmenter with cfg's tuning. The session decides partial
// interval, maximum utterance length and where levels go; cfg supplies the
// rest (detector thresholds, pre- and post-roll, minimum speech).
//
// The adapter lives here rather than in package transcribe because this
// package imports that one for its sample clock.
func ForSession(cfg SegmenterConfig) func(transcribe.SegmenterOptions) (transcribe.Segmenter, error) {
	return func(o transcribe.SegmenterOptions) (transcribe.Segmenter, error) {
		c := cfg
		c.PartialEvery, c.MaxUtterance = o.PartialEvery, o.MaxUtterance
		if o.OnLevel != nil {
			c.OnFrame = func(f Frame) {
				o.OnLevel(transcribe.Level{RMS: f.RMS, Peak: f.Peak, Speaking: f.Speaking})
			}
		}
		s, err := NewSegmenter(c)
		if err != nil {
			return nil, err
		}
		return &sessionSegmenter{seg: s}, nil
	}
}

// sessionSegmenter translates events; it reuses one slice, as Segmenter's
// own Write does, so the steady state allocates nothing.
type sessionSegmenter struct {
	seg *Segmenter
	out []transcribe.UtteranceEvent
}

func (v *sessionSegmenter) Write(samples []float32) []transcribe.UtteranceEvent {
	return v.convert(v.seg.Write(samples))
}

func (v *sessionSegmenter) Flush() []transcribe.UtteranceEvent { return v.convert(v.seg.Flush()) }

// Close frees the classifier; the session calls it when the input ends.
func (v *sessionSegmenter) Close() error { return v.seg.Close() }

func (v *sessionSegmenter) convert(evs []Event) []transcribe.UtteranceEvent {
	v.out = v.out[:0]
	for _, e := range evs {
		var k transcribe.UtteranceKind
		switch e.Kind {
		case UtteranceStarted:
			k = transcribe.UtteranceStarted
		case UtterancePartial:
			k = transcribe.UtterancePartial
		case UtteranceEnded:
			k = transcribe.UtteranceEnded
		}
		u := e.Utterance
		v.out = append(v.out, transcribe.UtteranceEvent{Kind: k, Start: u.Start, End: u.End, Samples: u.Samples})
	}
	return v.out
}
