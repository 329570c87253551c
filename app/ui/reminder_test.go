package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"github.com/sidenote-app/sidenote/app/interview"
)

func TestEyeReminderRules(t *testing.T) {
	type step struct {
		at       time.Duration
		speaking bool
		want     bool
	}
	for _, c := range []struct {
		name  string
		r     eyeReminder
		steps []step
	}{
		{"waits for you to speak", eyeReminder{every: 3 * time.Minute, showFor: 8 * time.Second}, []step{
			{2 * time.Minute, true, false},
			{3 * time.Minute, false, false},
			{4 * time.Minute, true, true},
			{4*time.Minute + 7*time.Second, false, true},
			{4*time.Minute + 8*time.Second, false, false},
			{6 * time.Minute, true, false}, // due 3 min after it last showed
			{7 * time.Minute, true, true},
		}},
		{"always", eyeReminder{every: time.Minute, always: true, showFor: 8 * time.Second}, []step{
			{time.Minute, false, true},
			{time.Minute + 10*time.Second, false, false},
			{2 * time.Minute, false, true},
		}},
		{"off", eyeReminder{showFor: 8 * time.Second}, []step{{time.Hour, true, false}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := c.r
			for _, s := range c.steps {
				if got := r.update(s.at, s.speaking); got != s.want {
					t.Errorf("at %v speaking=%v: got %v, want %v", s.at, s.speaking, got, s.want)
				}
			}
		})
	}
}

func TestReminderAppearsOnTheClockOnlyWhileYouSpeakAndSnoozes(t *testing.T) {
	f := newTestLive(t, emptyBundle())
	l := f.l
	speak := func(on bool) {
		l.Post(Speaking{Source: interview.SourceYou, Speaking: on})
		drain(2 * flushEvery)
	}
	f.clock.set(3 * time.Minute)
	l.tick()
	if l.remindBox.Visible() {
		t.Fatal("reminder shown while you are silent")
	}
	l.Post(Speaking{Source: interview.SourceThem, Speaking: true})
	drain(2 * flushEvery)
	if l.remindBox.Visible() {
		t.Fatal("reminder shown while only they speak")
	}
	speak(true)
	if !l.remindBox.Visible() {
		t.Fatal("reminder not shown when you start speaking after 3 min")
	}
	f.clock.set(3*time.Minute + 9*time.Second)
	l.tick()
	if l.remindBox.Visible() {
		t.Error("reminder stays up past its time")
	}

	f.clock.set(6*time.Minute + 10*time.Second)
	l.tick()
	if !l.remindBox.Visible() {
		t.Fatal("reminder not shown again 3 min later while you speak")
	}
	l.keys.run(ctrlKey(fyne.KeyE)) // snooze
	if l.remindBox.Visible() {
		t.Error("snooze did not hide the reminder")
	}
	f.clock.set(15 * time.Minute)
	l.tick()
	if l.remindBox.Visible() {
		t.Error("reminder back within the 10 min snooze")
	}
	f.clock.set(16*time.Minute + 11*time.Second)
	l.tick()
	if !l.remindBox.Visible() {
		t.Error("reminder not back after the snooze")
	}

	l.setReminderEvery(0) // off
	f.clock.set(40 * time.Minute)
	l.tick()
	if l.remindBox.Visible() {
		t.Error("reminder shown while off")
	}
}

func TestReminderWaitsWhilePaused(t *testing.T) {
	f := newTestLive(t, emptyBundle())
	f.l.togglePause()
	f.l.speakingMe = true
	f.clock.set(10 * time.Minute)
	f.l.tick()
	if f.l.remindBox.Visible() {
		t.Error("reminder shown in a paused interview")
	}
}

func TestCoachStripShowsFiguresAndWarnings(t *testing.T) {
	f := newTestLive(t, emptyBundle())
	if f.l.coach.content.Visible() {
		t.Error("coach strip shown before any reading")
	}
	f.l.Post(CoachSnapshot{WPM: 182.4, Fillers: 7, YouShare: 0.71, Monologue: 2 * time.Minute})
	drain(2 * flushEvery)
	c := f.l.coach
	if !c.content.Visible() || c.figures.Text != "182 wpm · 7 fillers · you 71% · turn 02:00" {
		t.Errorf("figures %q", c.figures.Text)
	}
	if !c.warning.Visible() || c.warning.Text != "Long answer — leave room" {
		t.Errorf("warning %q", c.warning.Text)
	}
	f.l.Post(CoachSnapshot{WPM: 140, YouShare: 0.4})
	drain(2 * flushEvery)
	if c.warning.Visible() {
		t.Errorf("warning %q at a calm pace", c.warning.Text)
	}
}
