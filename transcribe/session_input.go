package transcribe

import (
	"errors"
	"io"
	"math"
	"time"
)

// input is one Input while the session runs; its fields belong to the
// input's reader goroutine.
type input struct {
	Input
	idx int
	s   *Session
	seg Segmenter

	pos   int64 // session offset of the next sample
	shift int64 // pos minus the segmenter's offset: time the device was lost

	// Level meter: frames since the last report.
	power        float64 // sum of frame mean squares
	peak         float64
	frames       int
	speaking     bool
	speakChanged bool
	levelAt      int64 // pos at the last report

	overflows int64
	invalid   bool // EventInvalidSamples was posted
}

// overflowCounter and reopener are the optional methods of Input.Reader.
type (
	overflowCounter interface{ Overflows() int64 }
	invalidCounter  interface{ InvalidSamples() int64 }
	reopener        interface{ Reopen() error }
)

// run reads until the end of the stream, the session's stop, or a device
// error that cannot be recovered.
func (in *input) run() {
	s := in.s
	defer s.readers.Done()
	buf := make([]float32, readChunk)
	wasPaused := false
	for {
		n, err := in.Reader.Read(buf)
		if n > 0 {
			if s.paused.Load() {
				// The first chunk of a pause ends the utterance in
				// progress; the rest is discarded.
				if !wasPaused {
					in.flush()
					wasPaused = true
				}
			} else {
				wasPaused = false
				in.take(buf[:n])
			}
		}
		in.checkOverflows()
		in.checkInvalid()
		if err == nil {
			continue
		}
		in.flush()
		if errors.Is(err, io.EOF) || s.stopRequested() {
			in.end(nil)
			return
		}
		s.events.post(Event{Kind: EventDeviceError, Source: in.Source, Err: err})
		if in.idx == 0 {
			s.clock.release()
		}
		lostAt := s.outage.Now()
		if !in.reopen() {
			in.end(err)
			return
		}
		in.realign(lostAt)
		s.events.post(Event{Kind: EventDeviceRestored, Source: in.Source})
	}
}

// take handles samples that are kept: recording, clock, voice activity.
func (in *input) take(samples []float32) {
	s := in.s
	in.record(samples)
	in.pos += int64(len(samples))
	if in.idx == 0 {
		s.clock.advance(in.pos)
	}
	in.handle(in.seg.Write(samples))
	if in.frames > 0 && (in.speakChanged || in.pos-in.levelAt >= readChunk) {
		in.postLevel()
	}
}

func (in *input) record(samples []float32) {
	if in.Recorder == nil {
		return
	}
	if err := in.Recorder.Write(samples); err != nil {
		in.s.events.post(Event{Kind: EventRecorderError, Source: in.Source, Err: err})
		in.Recorder = nil
	}
}

// handle passes the segmenter's events on to the backlog.
func (in *input) handle(evs []UtteranceEvent) {
	s := in.s
	for _, e := range evs {
		u := &utterance{input: in.idx, src: in.Source, start: e.Start + in.shift, end: e.End + in.shift, samples: e.Samples}
		switch e.Kind {
		case UtterancePartial:
			s.backlog.setPartial(u)
		case UtteranceEnded:
			if err := s.backlog.push(u); err != nil {
				s.events.post(Event{Kind: EventSpoolError, Source: in.Source, Start: Samples(u.start), End: Samples(u.end), Err: err})
			}
			s.postBacklog()
		}
	}
	if len(evs) > 0 {
		s.signal()
	}
}

// flush ends the utterance in progress: the stream pauses, ends or broke.
func (in *input) flush() {
	in.handle(in.seg.Flush())
	in.power, in.peak, in.frames = 0, 0, 0
	in.speaking, in.speakChanged = false, false
	in.levelAt = in.pos
	in.s.events.level(in.idx, Event{Kind: EventLevel, Source: in.Source, Level: silentLevel})
}

// end reports that the input will deliver nothing more, and releases its
// segmenter's resources (a Silero detector's C memory) when it has any.
func (in *input) end(err error) {
	if c, ok := in.seg.(io.Closer); ok {
		c.Close()
	}
	if in.idx == 0 {
		in.s.clock.release()
	}
	in.s.events.post(Event{Kind: EventInputEnded, Source: in.Source, Err: err})
}

// onLevel gathers the segmenter's frames for the meter (called in Write).
func (in *input) onLevel(l Level) {
	in.power += math.Pow(10, l.RMS/10)
	if in.frames == 0 || l.Peak > in.peak {
		in.peak = l.Peak
	}
	in.frames++
	if l.Speaking != in.speaking {
		in.speaking, in.speakChanged = l.Speaking, true
	}
}

func (in *input) postLevel() {
	rms := 10 * math.Log10(in.power/float64(in.frames))
	in.s.events.level(in.idx, Event{Kind: EventLevel, Source: in.Source,
		Level: Level{RMS: rms, Peak: in.peak, Speaking: in.speaking}})
	in.power, in.frames, in.speakChanged = 0, 0, false
	in.levelAt = in.pos
}

func (in *input) checkOverflows() {
	oc, ok := in.Reader.(overflowCounter)
	if !ok {
		return
	}
	if n := oc.Overflows(); n != in.overflows {
		in.overflows = n
		in.s.events.post(Event{Kind: EventOverflow, Source: in.Source, Overflows: n})
	}
}

// checkInvalid reports, once, that the input sent samples the reader had
// to replace: the device or its driver is faulty, and the user should know
// why a stretch of the transcript may be missing. Reporting every one would
// flood the events with a fault that is usually constant.
func (in *input) checkInvalid() {
	ic, ok := in.Reader.(invalidCounter)
	if !ok || in.invalid {
		return
	}
	if n := ic.InvalidSamples(); n > 0 {
		in.invalid = true
		in.s.events.post(Event{Kind: EventInvalidSamples, Source: in.Source, Invalid: n})
	}
}

// reopen retries a lost device with growing delays until it comes back
// (true) or the session stops (false). A reader that cannot reopen has
// ended.
func (in *input) reopen() bool {
	r, ok := in.Reader.(reopener)
	if !ok {
		return false
	}
	s := in.s
	delay := s.opts.ReopenDelay
	for {
		t := time.NewTimer(delay)
		select {
		case <-s.stopCh:
			t.Stop()
			return false
		case <-t.C:
		}
		if r.Reopen() == nil {
			return true
		}
		delay = min(2*delay, 16*s.opts.ReopenDelay)
	}
}

// realign places a reopened input where the session's time has got to:
// the primary input where its clock ran on monotonic time, another input
// after the (unpaused) time its device was away. The recording gets the
// gap as silence so that it stays on the clock's axis.
func (in *input) realign(lostAt time.Duration) {
	s := in.s
	var gap int64
	if in.idx == 0 {
		gap = s.clock.samples() - in.pos
	} else {
		gap = toSamples(s.outage.Now() - lostAt)
	}
	gap = max(gap, 0)
	in.pos += gap
	in.shift += gap
	in.levelAt = in.pos
	if in.Recorder != nil && gap > 0 {
		zeros := make([]float32, min(gap, SampleRate))
		for left := gap; left > 0 && in.Recorder != nil; left -= int64(len(zeros)) {
			in.record(zeros[:min(left, int64(len(zeros)))])
		}
	}
	if in.idx == 0 {
		s.clock.follow(in.pos)
	}
}
