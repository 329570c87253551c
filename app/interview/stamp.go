package interview

import "fmt"

// Stamp writes interview time as the user sees it: "mm:ss", or "h:mm:ss"
// from one hour on. Seconds are truncated, not rounded, so a note written
// at 59.9 s never shows a minute that has not yet begun. Negative times
// (clock skew) show as 00:00.
func Stamp(ms int64) string {
	if ms < 0 {
		ms = 0
	}
	s := ms / 1000
	h, m, sec := s/3600, s/60%60, s%60
	if h > 0 {
		return fmt.Sprintf("%d:%02d:%02d", h, m, sec)
	}
	return fmt.Sprintf("%02d:%02d", m, sec)
}
