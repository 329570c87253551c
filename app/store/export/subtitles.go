package export

import (
	"cmp"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/sidenote-app/sidenote/app/interview"
	"github.com/sidenote-app/sidenote/transcribe/subtitle"
)

// cues returns the segments in start order as subtitle cues, with their
// display text (the correction when there is one) folded onto one line:
// an utterance is one cue, and a line break inside it would read as two
// speakers. Empty segments are dropped. The format rules themselves (time
// stamps, escaping, zero-length cues) live in transcribe/subtitle, shared
// with the transcribe command.
func cues(segs []interview.Segment) []subtitle.Cue {
	sorted := slices.Clone(segs)
	slices.SortStableFunc(sorted, func(a, b interview.Segment) int {
		return cmp.Or(cmp.Compare(a.StartMs, b.StartMs), cmp.Compare(a.EndMs, b.EndMs))
	})
	out := make([]subtitle.Cue, 0, len(sorted))
	for _, s := range sorted {
		text := strings.Join(strings.Fields(s.Display()), " ")
		if text == "" {
			continue
		}
		out = append(out, subtitle.Cue{
			Start:   time.Duration(s.StartMs) * time.Millisecond,
			End:     time.Duration(s.EndMs) * time.Millisecond,
			Speaker: s.Source.Label(),
			Text:    text,
		})
	}
	return out
}

// WriteSRT writes the transcript as SubRip: numbered cues from 1, times
// as HH:MM:SS,mmm, the speaker as a "You: " prefix, a blank line after
// each cue.
func WriteSRT(w io.Writer, segs []interview.Segment) error {
	return subtitle.WriteSRT(w, cues(segs))
}

// WriteVTT writes the transcript as WebVTT: the WEBVTT header, then cues
// with times as HH:MM:SS.mmm and the speaker as a voice span (<v You>),
// each followed by a blank line.
func WriteVTT(w io.Writer, segs []interview.Segment) error {
	return subtitle.WriteVTT(w, cues(segs))
}

// WriteText writes the transcript as plain lines: "[mm:ss] You: text".
func WriteText(w io.Writer, segs []interview.Segment) error {
	return subtitle.WriteText(w, cues(segs))
}
