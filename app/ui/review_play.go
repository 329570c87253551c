package ui

import (
	"cmp"
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sidenote-app/sidenote/app/interview"
)

// playbackBar plays one source's recording at a time. An interview recorded
// with call audio has a file per source (you: the microphone; them: the
// call); the answerer's is opened first (interview.Answerer: Them when you
// interview, You when you are the candidate) and a choice switches to the
// other. A resumed interview has one part per source and resume, each
// starting at its Offset on the interview's clock: positions here are
// interview times, and playback runs from one part into the next.
type playbackBar struct {
	r       *review
	sources []interview.Source                         // the answerer's first
	parts   map[interview.Source][]interview.Recording // by offset
	src     int                                        // index into sources
	part    int                                        // index into parts[sources[src]]
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
	p := &playbackBar{r: r, parts: map[interview.Source][]interview.Recording{}}
	for _, rc := range r.b.Recordings {
		if _, ok := p.parts[rc.Source]; !ok {
			p.sources = append(p.sources, rc.Source)
		}
		p.parts[rc.Source] = append(p.parts[rc.Source], rc)
	}
	for _, list := range p.parts {
		slices.SortStableFunc(list, func(a, b interview.Recording) int { return cmp.Compare(a.Offset, b.Offset) })
	}
	first := interview.Answerer(r.b.Interview.Mode)
	slices.SortStableFunc(p.sources, func(a, b interview.Source) int {
		switch {
		case a == first && b != first:
			return -1
		case b == first && a != first:
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
	if len(p.sources) > 1 {
		var names []string
		for _, src := range p.sources {
			names = append(names, sourceName(src))
		}
		src := widget.NewSelect(names, nil)
		src.SetSelectedIndex(0)
		src.OnChanged = func(string) { p.switchTo(src.SelectedIndex()) }
		choices = container.NewGridWithColumns(2, p.speed, src)
	}
	p.content = container.NewBorder(nil, nil, container.NewHBox(p.playBtn, back, fwd, p.pos), nil, choices)
	if err := p.open(0, 0); err != nil {
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

// current is the part playing now.
func (p *playbackBar) current() interview.Recording {
	return p.parts[p.sources[p.src]][p.part]
}

// partAt is the part of source src that holds interview time at: the last
// one starting at or before it (the first when at is before them all).
func (p *playbackBar) partAt(src int, at time.Duration) int {
	list := p.parts[p.sources[src]]
	i := 0
	for j, rc := range list {
		if rc.Offset <= at {
			i = j
		}
	}
	return i
}

// open starts a player for part part of source src; its callbacks come
// from the audio goroutine and reach the widgets through the bridge.
func (p *playbackBar) open(src, part int) error {
	var pl Player
	rec := p.parts[p.sources[src]][part]
	pl, err := p.r.s.deps.OpenPlayer(rec.Path,
		func(d time.Duration) { onUI(func() { p.moved(pl, d) }) },
		func(err error) {
			onUI(func() {
				if p.player != pl {
					return
				}
				if err == nil && p.playing && p.part+1 < len(p.parts[p.sources[p.src]]) {
					p.playOn()
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
	p.player, p.src, p.part = pl, src, part
	p.setSpeed()
	return nil
}

// playOn continues into the next part when one ends.
func (p *playbackBar) playOn() {
	next := p.part + 1
	p.close()
	if err := p.open(p.src, next); err != nil {
		p.r.showError(lang.X("review.error.open", "The recording could not be opened:"), err)
		return
	}
	p.show(p.current().Offset)
	p.toggle()
}

// now is the interview time at the playhead.
func (p *playbackBar) now() time.Duration {
	return p.current().Offset + p.player.Position()
}

// moved follows the playhead of pl, ignoring a player already replaced.
func (p *playbackBar) moved(pl Player, d time.Duration) {
	if p.player == nil || p.player != pl {
		return
	}
	p.show(p.current().Offset + d)
}

func (p *playbackBar) show(at time.Duration) {
	p.pos.SetText(interview.Stamp(at.Milliseconds()))
	p.r.playedTo(at.Milliseconds())
}

func (p *playbackBar) switchTo(i int) {
	if p.player == nil || i == p.src || i < 0 {
		return
	}
	at := p.now()
	was := p.playing
	p.close()
	if err := p.open(i, p.partAt(i, at)); err != nil {
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
		p.seek((p.now() + d).Milliseconds())
	}
}

// seek moves playback to interview time atMs: into the part that holds
// it, within that part.
func (p *playbackBar) seek(atMs int64) {
	if p.player == nil {
		return
	}
	at := max(0, time.Duration(atMs)*time.Millisecond)
	if part := p.partAt(p.src, at); part != p.part {
		was := p.playing
		p.close()
		if err := p.open(p.src, part); err != nil {
			p.r.showError(lang.X("review.error.open", "The recording could not be opened:"), err)
			return
		}
		if was {
			defer p.toggle()
		}
	}
	off := p.current().Offset
	d := min(max(0, at-off), p.player.Duration())
	if err := p.player.Seek(d); err != nil {
		p.r.showError(lang.X("review.error.play", "The recording could not be played:"), err)
		return
	}
	p.show(off + d)
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
