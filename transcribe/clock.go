package transcribe

import (
	"sync"
	"time"
)

// Clock is an interview's time axis: the time every segment and every note
// the user types is stamped with, so that a note taken at 12:04 sits next
// to what was said at 12:04.
//
// While a Session's primary input delivers audio, the clock is that input's
// sample count: exact, and the same axis the recognizer's segments are on,
// however late they arrive. When no audio runs (before a session, while the
// microphone is lost, after its stream ended, or with no Session at all) it
// runs on monotonic time from where the audio left it, so it never jumps
// back and notes keep their order.
//
// Paused time does not count: the clock stops while the interview is paused
// and continues from the same reading on resume, because audio captured
// during a pause is discarded (see Session.Pause) and the axis must match
// the audio that was kept. A recording made by a Session is on the same
// axis: its sample i is at Samples(i).
//
// A Clock is safe for concurrent use.
type Clock struct {
	now func() time.Time

	mu     sync.Mutex
	audio  bool          // following samples: reading is Samples(pos)
	pos    int64         // audio mode: samples so far
	base   time.Duration // wall mode: the reading at anchor
	anchor time.Time     // wall mode while running: when base was read
	paused bool
}

// NewClock returns a running clock at zero that counts monotonic time as
// now reports it; nil means time.Now (whose readings carry the monotonic
// clock, so changes to the wall clock do not move it).
func NewClock(now func() time.Time) *Clock {
	if now == nil {
		now = time.Now
	}
	return &Clock{now: now, anchor: now()}
}

// Now returns the interview time: audio time when audio runs, monotonic
// time since the start otherwise, pauses excluded.
func (c *Clock) Now() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.read()
}

func (c *Clock) read() time.Duration {
	switch {
	case c.audio:
		return Samples(c.pos)
	case c.paused:
		return c.base
	}
	return c.base + max(c.now().Sub(c.anchor), 0)
}

// Pause stops the clock until Resume; pausing a paused clock does nothing.
// A Session pauses and resumes its own clock: do not call these on it.
func (c *Clock) Pause() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.paused {
		return
	}
	if !c.audio {
		c.base = c.read()
	}
	c.paused = true
}

// Resume restarts a paused clock from the reading it stopped at.
func (c *Clock) Resume() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.paused {
		return
	}
	c.paused = false
	c.anchor = c.now()
}

// follow makes the clock read Samples(pos) from now on; pos must not be
// behind the current reading (the caller places its input there).
func (c *Clock) follow(pos int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.audio, c.pos = true, pos
}

// advance moves an audio-driven clock to pos; ignored in wall mode, which
// the audio left (a late chunk from a lost device must not move it).
func (c *Clock) advance(pos int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.audio && pos > c.pos {
		c.pos = pos
	}
}

// release hands the clock back to monotonic time from its current reading.
func (c *Clock) release() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.audio {
		return
	}
	c.base = Samples(c.pos)
	c.anchor = c.now()
	c.audio = false
}

// samples returns the reading as a sample offset, rounded down.
func (c *Clock) samples() int64 {
	return toSamples(c.Now())
}

// toSamples converts a duration to 16 kHz samples, rounded down.
func toSamples(d time.Duration) int64 {
	return int64(d/time.Second*SampleRate) + int64(d%time.Second)*SampleRate/int64(time.Second)
}
