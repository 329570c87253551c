package ui

import (
	"errors"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/sidenote-app/sidenote/app/interview"
)

// TestLiveMarkup pins the Live screen's structure at 400 × 720 in the
// test theme: the demo interview 14:32 in, recording, with a partial line,
// and with the reminder and an error banner up. On a change that is
// meant, copy testdata/failed/<name> over testdata/<name> and look at the
// diff.
func TestLiveMarkup(t *testing.T) {
	for _, c := range []struct {
		golden string
		mode   interview.Mode
		setup  func(*liveFixture)
	}{
		{"live_interviewer_400x720.xml", interview.ModeInterviewer, nil},
		{"live_candidate_banners_400x720.xml", interview.ModeCandidate, func(f *liveFixture) {
			f.l.Post(Speaking{Source: interview.SourceYou, Speaking: true})
			drain(2 * flushEvery)
			f.l.showError("Your note was not saved.", errors.New("database is read-only: make it writable"))
		}},
	} {
		t.Run(c.golden, func(t *testing.T) {
			f := newTestLive(t, DemoBundle(c.mode), func(d *LiveDeps) {
				d.Recording, d.Status = true, TranscriptionRunning
			})
			f.clock.set(14*time.Minute + 32*time.Second)
			for _, ev := range DemoEvents() {
				f.l.Post(ev)
			}
			drain(2 * flushEvery)
			if c.setup != nil {
				c.setup(f)
			}
			f.l.tick()
			test.AssertRendersToMarkup(t, c.golden, f.w.Canvas())
		})
	}
}
