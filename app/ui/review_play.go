package ui

import (
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sidenote-app/sidenote/app/interview"
)

// playbackBar plays one recording file at a time. An interview recorded
// with call audio has two files (you: the microphone; them: the call); the
// answerer's is opened first (interview.Answerer: Them when you interview,
// You when you are the candidate) and a choice switches to the other.
// Recordings start at interview time 0, so a position is an interview time.
type playbackBar struct {
	r       *review
	recs    []interview.Recording // the answerer's first
	rec     int
	player  Player
	playing bool

	playBtn *widget.Button
	pos     *widget.Label
	speed   *widget.Select
	content fyne.CanvasObject
}

var playbackSpeeds = []float64{1, 1.5, 2}

// newPlaybackBar is nil when there is nothing to play or no way to play it.
func newPlaybackBar(r *review) *playbackBar {
	if r.s.deps.OpenPlayer == nil || len(r.b.Recordings) == 0 {
		return nil
	}
	p := &playbackBar{r: r, recs: slices.Clone(r.b.Recordings)}
	first := interview.Answerer(r.b.Interview.Mode)
	slices.SortStableFunc(p.recs, func(a, b interview.Recording) int {
		switch {
		case a.Source == first && b.Source != first:
			return -1
		case b.Source == first && a.Source != first:
			return 1
		}
		return 0
	})
	p.playBtn = widget.NewButtonWithIcon("", theme.MediaPlayIcon(), p.toggle)
	back := widget.NewButton(lang.X("review.play.back", "−5 s"), func() { p.step(-5 * time.Second) })
	fwd := widget.NewButton(lang.X("review.play.fwd", "+5 s"), func() { p.step(5 * time.Second) })
	p.pos = widget.NewLabel("00:00")
	p.speed = widget.NewSelect([]string{"1×", "1.5×", "2×"}, func(string) { p.setSpeed() })
	p.speed.SetSelectedIndex(0)
	choices := container.NewGridWithColumns(1, p.speed)
	if len(p.recs) > 1 {
		var names []string
		for _, rc := range p.recs {
			names = append(names, sourceName(rc.Source))
		}
		src := widget.NewSelect(names, nil)
		src.SetSelectedIndex(0)
		src.OnChanged = func(string) { p.switchTo(src.SelectedIndex()) }
		choices = container.NewGridWithColumns(2, p.speed, src)
	}
	p.content = container.NewBorder(nil, nil, container.NewHBox(p.playBtn, back, fwd, p.pos), nil, choices)
	if err := p.open(0); err != nil {
		r.showError(lang.X("review.error.open", "The recording could not be opened:"), err)
	}
	return p
}

func sourceName(s interview.Source) string {
	switch s {
	case interview.SourceYou:
		return lang.X("transcript.you", "You")
	case interview.SourceThem:
		return lang.X("transcript.them", "Them")
	}
	return lang.X("review.play.file", "Recording")
}

// open starts a player for recording i; its callbacks come from the audio
// goroutine and reach the widgets through the bridge.
func (p *playbackBar) open(i int) error {
	var pl Player
	pl, err := p.r.s.deps.OpenPlayer(p.recs[i].Path,
		func(d time.Duration) { onUI(func() { p.moved(pl, d) }) },
		func(err error) {
			onUI(func() {
				if p.player != pl {
					return
				}
				p.stopped()
				if err != nil {
					p.r.showError(lang.X("review.error.play", "The recording could not be played:"), err)
				}
			})
		})
	if err != nil {
		return err
	}
	p.player, p.rec = pl, i
	p.setSpeed()
	return nil
}

// moved follows the playhead of pl, ignoring a player already replaced.
func (p *playbackBar) moved(pl Player, d time.Duration) {
	if p.player == nil || p.player != pl {
		return
	}
	p.pos.SetText(interview.Stamp(d.Milliseconds()))
	p.r.playedTo(d.Milliseconds())
}

func (p *playbackBar) switchTo(i int) {
	if p.player == nil || i == p.rec || i < 0 {
		return
	}
	at := p.player.Position()
	was := p.playing
	p.close()
	if err := p.open(i); err != nil {
		p.r.showError(lang.X("review.error.open", "The recording could not be opened:"), err)
		return
	}
	p.seek(at.Milliseconds())
	if was {
		p.toggle()
	}
}

func (p *playbackBar) toggle() {
	if p.player == nil {
		return
	}
	var err error
	if p.playing {
		err = p.player.Pause()
	} else {
		err = p.player.Play()
	}
	if err != nil {
		p.r.showError(lang.X("review.error.play", "The recording could not be played:"), err)
		return
	}
	p.playing = !p.playing
	p.showState()
}

func (p *playbackBar) stopped() {
	p.playing = false
	p.showState()
}

func (p *playbackBar) showState() {
	if p.playing {
		p.playBtn.SetIcon(theme.MediaPauseIcon())
	} else {
		p.playBtn.SetIcon(theme.MediaPlayIcon())
	}
}

func (p *playbackBar) step(d time.Duration) {
	if p.player != nil {
		p.seek((p.player.Position() + d).Milliseconds())
	}
}

// seek moves playback to interview time atMs, within the recording.
func (p *playbackBar) seek(atMs int64) {
	if p.player == nil {
		return
	}
	d := min(max(0, time.Duration(atMs)*time.Millisecond), p.player.Duration())
	if err := p.player.Seek(d); err != nil {
		p.r.showError(lang.X("review.error.play", "The recording could not be played:"), err)
		return
	}
	p.pos.SetText(interview.Stamp(d.Milliseconds()))
	p.r.playedTo(d.Milliseconds())
}

func (p *playbackBar) setSpeed() {
	if p.player == nil {
		return
	}
	if err := p.player.SetSpeed(playbackSpeeds[max(0, p.speed.SelectedIndex())]); err != nil {
		p.r.showError(lang.X("review.error.play", "The recording could not be played:"), err)
	}
}

func (p *playbackBar) close() {
	if p.player != nil {
		p.player.Close()
		p.player = nil
	}
	p.playing = false
}
