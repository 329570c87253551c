package export

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/sidenote-app/sidenote/app/interview"
)

// cues returns the segments in start order with their display text cleaned
// for subtitle formats: blank lines end a cue in both SRT and WebVTT, so
// line breaks inside an utterance are folded into spaces; empty segments
// are dropped; an end not after the start is moved 1 ms past it, because
// WebVTT requires end > start and players skip zero-length SRT cues.
func cues(segs []interview.Segment) []interview.Segment {
	out := make([]interview.Segment, 0, len(segs))
	for _, s := range segs {
		text := strings.Join(strings.Fields(s.Display()), " ")
		if text == "" {
			continue
		}
		s.EditedText, s.Text = "", text
		if s.EndMs <= s.StartMs {
			s.EndMs = s.StartMs + 1
		}
		out = append(out, s)
	}
	slices.SortStableFunc(out, func(a, b interview.Segment) int {
		return cmp.Or(cmp.Compare(a.StartMs, b.StartMs), cmp.Compare(a.EndMs, b.EndMs))
	})
	return out
}

// clock writes HH:MM:SS<sep>mmm; hours grow past two digits if needed.
func clock(ms int64, sep byte) string {
	ms = max(ms, 0)
	return fmt.Sprintf("%02d:%02d:%02d%c%03d", ms/3_600_000, ms/60_000%60, ms/1000%60, sep, ms%1000)
}

// WriteSRT writes the transcript as SubRip: numbered cues from 1, times
// as HH:MM:SS,mmm, the speaker as a "You: " prefix, a blank line after
// each cue.
func WriteSRT(w io.Writer, segs []interview.Segment) error {
	ew := &errWriter{w: w}
	for i, s := range cues(segs) {
		text := s.Text
		if l := s.Source.Label(); l != "" {
			text = l + ": " + text
		}
		ew.printf("%d\n%s --> %s\n%s\n\n", i+1, clock(s.StartMs, ','), clock(s.EndMs, ','), text)
	}
	return ew.err
}

// vttEscape escapes what WebVTT cue text gives meaning to; escaping '>'
// also breaks any "-->", which cue text must not contain.
var vttEscape = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// WriteVTT writes the transcript as WebVTT: the WEBVTT header, then cues
// with times as HH:MM:SS.mmm and the speaker as a voice span (<v You>),
// each followed by a blank line.
func WriteVTT(w io.Writer, segs []interview.Segment) error {
	ew := &errWriter{w: w}
	ew.print("WEBVTT\n\n")
	for _, s := range cues(segs) {
		text := vttEscape.Replace(s.Text)
		if l := s.Source.Label(); l != "" {
			text = "<v " + l + ">" + text
		}
		ew.printf("%s --> %s\n%s\n\n", clock(s.StartMs, '.'), clock(s.EndMs, '.'), text)
	}
	return ew.err
}

// WriteText writes the transcript as plain lines: "[mm:ss] You: text".
func WriteText(w io.Writer, segs []interview.Segment) error {
	ew := &errWriter{w: w}
	for _, s := range cues(segs) {
		if l := s.Source.Label(); l != "" {
			ew.printf("[%s] %s: %s\n", interview.Stamp(s.StartMs), l, s.Text)
		} else {
			ew.printf("[%s] %s\n", interview.Stamp(s.StartMs), s.Text)
		}
	}
	return ew.err
}
