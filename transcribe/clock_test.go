package transcribe

import (
	"testing"
	"time"
)

func TestClockRunsOnMonotonicTimeWithoutAudio(t *testing.T) {
	now := time.Unix(1000, 0)
	c := NewClock(func() time.Time { return now })
	step := func(d time.Duration) { now = now.Add(d) }
	check := func(want time.Duration) {
		t.Helper()
		if got := c.Now(); got != want {
			t.Errorf("clock reads %v, want %v", got, want)
		}
	}
	step(2 * time.Second)
	check(2 * time.Second)
	c.Pause()
	step(time.Hour)
	check(2 * time.Second)
	c.Pause() // twice: still from the first
	c.Resume()
	step(time.Second)
	check(3 * time.Second)
	c.Resume() // not paused: no change
	check(3 * time.Second)
}

func TestClockFollowsAudioAndNeverGoesBack(t *testing.T) {
	now := time.Unix(1000, 0)
	c := NewClock(func() time.Time { return now })
	c.follow(0)
	now = now.Add(time.Minute) // audio mode ignores the wall clock
	c.advance(SampleRate / 2)
	if got := c.Now(); got != 500*time.Millisecond {
		t.Fatalf("clock after 8000 samples reads %v, want 500ms", got)
	}
	c.Pause() // a paused audio clock stands because no samples come
	c.advance(SampleRate)
	c.Resume()
	if got := c.Now(); got != time.Second {
		t.Fatalf("clock after 16000 samples reads %v, want 1s", got)
	}
	c.release() // the microphone is lost: monotonic time from here
	now = now.Add(1500 * time.Millisecond)
	c.advance(10 * SampleRate) // a late chunk does not move it
	if got := c.Now(); got != 2500*time.Millisecond {
		t.Fatalf("clock 1.5 s after audio stopped at 1 s reads %v, want 2.5s", got)
	}
	c.follow(c.samples()) // the microphone is back where the clock is
	c.advance(c.samples() + SampleRate)
	if got := c.Now(); got != 3500*time.Millisecond {
		t.Fatalf("clock 1 s of audio after coming back at 2.5 s reads %v, want 3.5s", got)
	}
}

func TestToSamplesRoundTrips(t *testing.T) {
	for _, n := range []int64{0, 1, 15999, 16000, 16001, 2 * 3600 * SampleRate, 2*3600*SampleRate + 7} {
		if got := toSamples(Samples(n)); got != n {
			t.Errorf("toSamples(Samples(%d)) = %d", n, got)
		}
	}
}
