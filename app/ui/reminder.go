package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sidenote-app/sidenote/app/interview"
)

// eyeReminder decides when to remind the user to look at the camera. It
// counts interview time from the session clock, never the wall clock, so
// a paused interview does not nag and a test can drive it.
//
// The reminder is due every interval; by default it then waits until You
// speak, because that is when the other side notices where you look, and
// shows as soon as you do. It stays up for showFor, or until dismissed.
type eyeReminder struct {
	every   time.Duration // 0: off
	always  bool          // also while silent
	showFor time.Duration

	lastShown    time.Duration // interview time it last appeared (0: the start)
	snoozedUntil time.Duration
	visible      bool
	visibleSince time.Duration
}

// update reports whether the reminder should be visible at interview time
// now, given whether You are speaking.
func (r *eyeReminder) update(now time.Duration, speaking bool) bool {
	if r.visible {
		if now-r.visibleSince >= r.showFor || now < r.visibleSince {
			r.visible = false
		}
		return r.visible
	}
	if r.every <= 0 || now < r.snoozedUntil || now-r.lastShown < r.every {
		return false
	}
	if !r.always && !speaking {
		return false
	}
	r.visible, r.visibleSince, r.lastShown = true, now, now
	return true
}

// snooze hides the reminder and keeps it away for d.
func (r *eyeReminder) snooze(now, d time.Duration) {
	r.visible = false
	r.snoozedUntil = now + d
	r.lastShown = now
}

// Gentle limits for the speaking coach. Around 130–160 words a minute is
// a comfortable interview pace; a turn past 90 s is a monologue worth a
// nudge.
const (
	coachFastWPM   = 170
	coachMonologue = 90 * time.Second
)

// coachStrip is the one-line speaking coach under the top bar: pace,
// fillers, talk share and the length of the current answer, with a
// gentle warning when one of them is off.
type coachStrip struct {
	content *fyne.Container
	figures *widget.Label
	warning *widget.Label
}

func newCoachStrip() *coachStrip {
	c := &coachStrip{figures: widget.NewLabel(""), warning: widget.NewLabel("")}
	c.figures.SizeName = theme.SizeNameCaptionText
	c.figures.Truncation = fyne.TextTruncateEllipsis
	c.warning.SizeName = theme.SizeNameCaptionText
	c.warning.Importance = widget.WarningImportance
	c.warning.TextStyle.Bold = true
	c.warning.Hide()
	c.content = container.NewBorder(nil, nil, nil, c.warning, c.figures)
	c.content.Hide()
	return c
}

func (c *coachStrip) set(s CoachSnapshot) {
	defer c.content.Show()
	parts := lang.X("live.coach.figures", "{{.WPM}} wpm · {{.Fillers}} fillers · you {{.Share}}%",
		map[string]any{"WPM": int(s.WPM + 0.5), "Fillers": s.Fillers, "Share": int(s.YouShare*100 + 0.5)})
	if s.Monologue > 0 {
		parts += " · " + lang.X("live.coach.turn", "turn {{.Turn}}", map[string]any{"Turn": interview.Stamp(s.Monologue.Milliseconds())})
	}
	c.figures.SetText(parts)
	warn := ""
	switch {
	case s.Monologue >= coachMonologue:
		warn = lang.X("live.coach.monologue", "Long answer — leave room")
	case s.WPM >= coachFastWPM:
		warn = lang.X("live.coach.fast", "Slow down a little")
	}
	c.warning.SetText(warn)
	c.warning.Hidden = warn == ""
	c.warning.Refresh()
}
