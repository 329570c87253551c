package transcribetest

import (
	"sync"
	"time"
)

// ManualTime is a clock that moves only when told: Sleep returns at once
// having moved it, so a Paced reader runs as fast as it is read while
// everything timed by it sees real-time pacing.
type ManualTime struct {
	mu sync.Mutex
	t  time.Time
}

// NewManualTime returns a clock at an arbitrary fixed instant.
func NewManualTime() *ManualTime {
	return &ManualTime{t: time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)}
}

// Now returns the current reading.
func (m *ManualTime) Now() time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.t
}

// Advance moves the clock forward by d.
func (m *ManualTime) Advance(d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.t = m.t.Add(d)
}

// Sleep advances the clock by d instead of waiting.
func (m *ManualTime) Sleep(d time.Duration) { m.Advance(d) }
