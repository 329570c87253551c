package ui

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sidenote-app/sidenote/app/interview"
)

func rowText(t *transcriptView, id int) (string, bool) {
	r := t.newRow().(*widget.RichText)
	t.fillRow(id, r)
	last := r.Segments[len(r.Segments)-1].(*widget.TextSegment)
	return r.String(), last.Style.ColorName == theme.ColorNamePlaceHolder
}

func final(src interview.Source, startS int, text string) FinalSegment {
	return FinalSegment{Segment: interview.Segment{Source: src, StartMs: int64(startS) * 1000, EndMs: int64(startS+3) * 1000, Text: text}}
}

func TestTranscriptShowsPartialThenFinalAndFollowsTheEnd(t *testing.T) {
	f := newTestLive(t, emptyBundle())
	f.l.tabs.SelectIndex(1)
	s := f.l.script
	s.l.Post(PartialText{Source: interview.SourceThem, StartMs: 61000, Text: "we rewrote"})
	drain(2 * flushEvery)
	if s.length() != 1 {
		t.Fatalf("%d rows after a partial", s.length())
	}
	if text, grey := rowText(s, 0); !grey || !strings.Contains(text, "Them 01:01 we rewrote") {
		t.Errorf("partial row %q grey=%v", text, grey)
	}
	s.l.Post(PartialText{Source: interview.SourceThem, StartMs: 61000, Text: "we rewrote the alert"})
	s.l.Post(final(interview.SourceThem, 61, "We rewrote the alert on queue age."))
	drain(2 * flushEvery)
	if s.length() != 1 {
		t.Fatalf("%d rows: the final did not replace the partial", s.length())
	}
	if text, grey := rowText(s, 0); grey || !strings.Contains(text, "We rewrote the alert on queue age.") {
		t.Errorf("final row %q grey=%v", text, grey)
	}

	for i := range 40 {
		s.l.Post(final(interview.SourceYou, 70+i*5, fmt.Sprintf("Line %d of a long answer that wraps over more than one row in a narrow window.", i)))
	}
	drain(2 * flushEvery)
	if !s.list.atEnd() {
		t.Errorf("not following the end: offset %v of %v", s.list.GetScrollOffset(), s.list.contentHeight()-s.list.Size().Height)
	}
	if s.jump.Visible() {
		t.Error("jump button shown while following")
	}

	// The user scrolls back to read: new lines must not pull them down.
	s.list.ScrollToOffset(0)
	s.l.Post(final(interview.SourceThem, 400, "A new line."))
	drain(2 * flushEvery)
	if s.list.GetScrollOffset() != 0 || !s.jump.Visible() {
		t.Errorf("after scrolling back: offset %v, jump visible %v", s.list.GetScrollOffset(), s.jump.Visible())
	}
	s.l.keys.run(ctrlKey("L"))
	if !s.list.atEnd() || s.jump.Visible() {
		t.Error("jump to latest did not return to the end")
	}
}

// TestPostFromManyGoroutines posts bursts from several goroutines while
// the test goroutine plays the UI: run with -race, it shows that events
// reach widgets only through the bridge, and that none is lost.
func TestPostFromManyGoroutines(t *testing.T) {
	f := newTestLive(t, emptyBundle())
	const workers, each = 6, 200
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			src := interview.SourceYou
			if w%2 == 1 {
				src = interview.SourceThem
			}
			for i := range each {
				f.l.Post(Levels{You: float32(i%10) / 10, Them: 0.5})
				f.l.Post(PartialText{Source: src, StartMs: int64(w*1_000_000 + i*1000), Text: "partial"})
				f.l.Post(final(src, w*1000+i, fmt.Sprintf("w%d i%d", w, i)))
				f.l.Post(Backlog{Behind: time.Duration(i) * time.Millisecond})
				f.l.Post(Speaking{Source: src, Speaking: i%2 == 0})
			}
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	for running := true; running; {
		select {
		case fn := <-uiQueue:
			fn()
		case <-done:
			running = false
		}
	}
	drain(3 * flushEvery)
	if got := len(f.l.script.finals); got != workers*each {
		t.Errorf("%d finals shown, want %d", got, workers*each)
	}
}

func TestTranscriptOffSaysNotesStillWork(t *testing.T) {
	f := newTestLive(t, emptyBundle())
	f.l.Post(StatusChange{State: TranscriptionOff})
	drain(2 * flushEvery)
	if f.l.status.Text != "Transcription off — no model" || !strings.Contains(f.l.script.empty.Text, "Notes, questions and the clock still work") {
		t.Errorf("status %q, transcript %q", f.l.status.Text, f.l.script.empty.Text)
	}
	f.l.Post(StatusChange{State: TranscriptionRunning})
	f.l.Post(Backlog{Behind: 12 * time.Second, Pending: 3})
	drain(2 * flushEvery)
	if f.l.status.Text != "Transcribing · behind by 12 s" {
		t.Errorf("status %q", f.l.status.Text)
	}
	f.l.Post(StatusChange{State: TranscriptionFailed, Err: fmt.Errorf("microphone unplugged: plug it in or pick another input in Settings")})
	drain(2 * flushEvery)
	if !f.l.errBox.Visible() || !strings.Contains(f.l.errText.Text, "pick another input") || !strings.Contains(f.l.status.Text, "stopped") {
		t.Errorf("error banner %v %q status %q", f.l.errBox.Visible(), f.l.errText.Text, f.l.status.Text)
	}
	f.l.Post(RecordingChange{On: true})
	drain(2 * flushEvery)
	if !f.l.recLabel.Visible() {
		t.Error("recording dot not shown while recording")
	}
}

// BenchmarkTranscriptFlush is one redraw of a busy second: two finals and
// a partial arriving on an hour-long transcript (about 0.23 ms here, so a
// redraw every 33 ms costs under 1% of a core).
func BenchmarkTranscriptFlush(b *testing.B) {
	f := newTestLive(b, emptyBundle())
	f.l.tabs.SelectIndex(1)
	s := f.l.script
	for i := range 1000 {
		s.finals = append(s.finals, final(interview.SourceThem, i*3, "An earlier line of the conversation that wraps once.").Segment)
	}
	s.list.measureFrom(0)
	if s.list.width == 0 {
		b.Fatal("the transcript has no width; rows are not measured")
	}
	b.ResetTimer()
	for i := range b.N {
		at := 3000 + i*2
		s.add([]interview.Segment{final(interview.SourceYou, at, "A new line.").Segment, final(interview.SourceThem, at+1, "And a reply.").Segment},
			map[interview.Source]PartialText{interview.SourceYou: {Source: interview.SourceYou, StartMs: int64(at+2) * 1000, Text: "partial"}})
	}
}
