package main

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// progressBar draws one rewriting line on a terminal. It redraws at most
// ten times a second: whisper reports progress far more often, and a
// terminal that scrolls the bar is slower than the model.
type progressBar struct {
	w     io.Writer
	label string
	now   func() time.Time

	mu    sync.Mutex
	last  time.Time
	shown bool
}

func newProgressBar(w io.Writer, label string) *progressBar {
	return &progressBar{w: w, label: label, now: time.Now}
}

// Set shows done of total; detail is printed after the percentage.
func (p *progressBar) Set(done, total float64, detail string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	if p.shown && now.Sub(p.last) < 100*time.Millisecond && done < total {
		return
	}
	p.last, p.shown = now, true
	frac := 0.0
	if total > 0 {
		frac = min(max(done/total, 0), 1)
	}
	const width = 30
	filled := int(frac * width)
	fmt.Fprintf(p.w, "\r%s [%s%s] %3.0f%% %s\x1b[K", p.label,
		strings.Repeat("=", filled), strings.Repeat(" ", width-filled), frac*100, detail)
}

// Done ends the line so later output starts on a fresh one.
func (p *progressBar) Done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.shown = false
	}
}
