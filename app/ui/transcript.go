package ui

import (
	"cmp"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sidenote-app/sidenote/app/interview"
)

// transcriptView is the live transcript: final utterances with speaker and
// time, then what is being said right now, greyed, until its final text
// replaces it. It follows the end unless the user has scrolled back to
// read; then a button offers the way back.
type transcriptView struct {
	l        *Live
	finals   []interview.Segment
	partials []PartialText // at most one per source, by start time
	list     *wrapList
	jump     *widget.Button
	empty    *widget.Label
	content  fyne.CanvasObject
}

func newTranscriptView(l *Live, segs []interview.Segment) *transcriptView {
	t := &transcriptView{l: l, finals: segs}
	t.list = newWrapList(t.length, t.newRow, t.fillRow)
	t.list.HideSeparators = true
	t.list.keepEnd = true
	t.jump = widget.NewButtonWithIcon(lang.X("transcript.latest", "Jump to latest"), theme.MoveDownIcon(), t.jumpToLatest)
	t.jump.Importance = widget.HighImportance
	t.jump.Hide()
	t.empty = widget.NewLabel("")
	t.empty.Wrapping = fyne.TextWrapWord
	t.empty.Importance = widget.LowImportance
	t.setState(l.tstate)
	t.content = container.NewStack(t.list, container.NewVBox(t.empty),
		container.NewBorder(nil, container.NewCenter(t.jump), nil, nil))
	return t
}

func (t *transcriptView) length() int { return len(t.finals) + len(t.partials) }

func (t *transcriptView) newRow() fyne.CanvasObject {
	r := widget.NewRichText()
	r.Wrapping = fyne.TextWrapWord
	return r
}

func (t *transcriptView) fillRow(id int, o fyne.CanvasObject) {
	r := o.(*widget.RichText)
	switch {
	case id < len(t.finals):
		s := &t.finals[id]
		r.Segments = lineSegments(s.Source, s.StartMs, s.Display(), false)
	case id-len(t.finals) < len(t.partials):
		p := t.partials[id-len(t.finals)]
		r.Segments = lineSegments(p.Source, p.StartMs, p.Text, true)
	default:
		return
	}
	r.Refresh()
}

// lineSegments writes "You 12:04 text". You and Them get different colours
// so a glance tells who spoke; partial text is greyed and italic because
// it will still change.
func lineSegments(src interview.Source, startMs int64, text string, partial bool) []widget.RichTextSegment {
	who := widget.RichTextStyle{Inline: true, TextStyle: fyne.TextStyle{Bold: true}, ColorName: theme.ColorNamePrimary}
	name := lang.X("transcript.you", "You")
	switch src {
	case interview.SourceThem:
		who.ColorName = theme.ColorNameSuccess
		name = lang.X("transcript.them", "Them")
	case interview.SourceFile:
		who.ColorName = theme.ColorNameForeground
		name = "·"
	}
	body := widget.RichTextStyleInline
	if partial {
		body = widget.RichTextStyle{Inline: true, ColorName: theme.ColorNamePlaceHolder, TextStyle: fyne.TextStyle{Italic: true}}
	}
	return []widget.RichTextSegment{
		&widget.TextSegment{Style: who, Text: name + " "},
		&widget.TextSegment{Style: widget.RichTextStyle{Inline: true, ColorName: theme.ColorNamePlaceHolder, TextStyle: fyne.TextStyle{Monospace: true}}, Text: interview.Stamp(startMs) + " "},
		&widget.TextSegment{Style: body, Text: text},
	}
}

// add takes a batch of finals and the newest partial per source, and
// redraws once.
func (t *transcriptView) add(finals []interview.Segment, partials map[interview.Source]PartialText) {
	follow := t.list.atEnd()
	firstChanged := len(t.finals)
	t.finals = append(t.finals, finals...)
	// A final replaces the partial of its source that it covers.
	t.partials = slices.DeleteFunc(t.partials, func(p PartialText) bool {
		for _, f := range finals {
			if f.Source == p.Source && p.StartMs <= f.StartMs {
				return true
			}
		}
		_, newer := partials[p.Source]
		return newer
	})
	for _, p := range partials {
		if p.Text != "" {
			t.partials = append(t.partials, p)
		}
	}
	slices.SortFunc(t.partials, func(a, b PartialText) int { return cmp.Compare(a.StartMs, b.StartMs) })
	t.empty.Hidden = t.length() > 0
	t.empty.Refresh()
	t.list.measureFrom(firstChanged)
	t.list.Refresh()
	if follow {
		t.list.ScrollToBottom()
	} else {
		t.jump.Show()
	}
}

// jumpToLatest scrolls to the end and follows it again.
func (t *transcriptView) jumpToLatest() {
	t.list.ScrollToBottom()
	t.jump.Hide()
}

// tick hides the jump button once the user has scrolled back down.
func (t *transcriptView) tick() {
	if t.jump.Visible() && t.list.atEnd() {
		t.jump.Hide()
	}
}

// setState words the empty transcript after the transcription state.
func (t *transcriptView) setState(s TranscriptionState) {
	switch s {
	case TranscriptionOff:
		t.empty.SetText(lang.X("transcript.off", "Transcription is off: no speech model. Notes, questions and the clock still work."))
	case TranscriptionFailed:
		t.empty.SetText(lang.X("transcript.failed", "Transcription stopped. Notes, questions and the clock still work."))
	default:
		t.empty.SetText(lang.X("transcript.empty", "What is said appears here, labelled You and Them."))
	}
	t.empty.Hidden = t.length() > 0
}
