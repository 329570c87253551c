package ui

import "testing"

// The bar falls slowly through the gaps between syllables instead of
// flickering to empty, and a new input starts from empty.
func TestLevelBarFallsGently(t *testing.T) {
	b := newLevelBar()
	steps := []struct{ in, want float64 }{
		{-70, -70},               // below the floor from the start: shown as is
		{-20, -20},               // rises at once
		{-70, -20 - meterFallDB}, // falls by at most meterFallDB per redraw
		{-70, -20 - 2*meterFallDB},
		{-10, -10},
	}
	for i, s := range steps {
		b.set(s.in)
		if b.db != s.want {
			t.Errorf("step %d: set(%v) shows %v dB, want %v", i, s.in, b.db, s.want)
		}
	}
	b.reset()
	if b.db != meterFloorDB || b.Value != 0 {
		t.Errorf("after reset: %v dB, value %v", b.db, b.Value)
	}
}
