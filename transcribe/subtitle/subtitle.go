// Package subtitle writes transcripts in the formats people paste into other
// tools: SubRip (SRT), WebVTT, plain text and JSON. It knows nothing about
// where cues come from, so the transcribe command and the interview export
// share one implementation of each format's rules.
package subtitle

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
)

// Cue is one timed piece of text. Speaker is optional.
type Cue struct {
	Start, End time.Duration
	Speaker    string
	Text       string
}

// Format names an output format.
type Format string

const (
	Text Format = "txt"
	SRT  Format = "srt"
	VTT  Format = "vtt"
	JSON Format = "json"
)

// Formats lists every format in the order help texts show them.
var Formats = []Format{Text, SRT, VTT, JSON}

// ParseFormat accepts a format name case-insensitively, with or without a
// leading dot, so "-f .SRT" and "-o talk.vtt" both work.
func ParseFormat(s string) (Format, error) {
	f := Format(strings.TrimPrefix(strings.ToLower(strings.TrimSpace(s)), "."))
	if f == "text" {
		f = Text
	}
	for _, known := range Formats {
		if f == known {
			return f, nil
		}
	}
	return "", fmt.Errorf("unknown format %q: use one of txt, srt, vtt, json", s)
}

// Write writes cues in format f.
func Write(w io.Writer, f Format, cues []Cue) error {
	switch f {
	case Text:
		return WriteText(w, cues)
	case SRT:
		return WriteSRT(w, cues)
	case VTT:
		return WriteVTT(w, cues)
	case JSON:
		return WriteJSON(w, cues)
	}
	return fmt.Errorf("unknown format %q", f)
}

// WriteSRT writes SubRip: a 1-based index line, "HH:MM:SS,mmm --> HH:MM:SS,mmm",
// the text, and a blank line after every cue. A speaker becomes a "Name: "
// prefix, which is how SRT files conventionally mark who talks.
func WriteSRT(w io.Writer, cues []Cue) error {
	bw := bufio.NewWriter(w)
	n := 0
	for _, c := range cues {
		text := cueText(c.Text)
		if text == "" {
			continue // SRT has no empty cues: players show a blank frame or choke
		}
		n++
		// SRT has no escaping; a line holding an arrow would be read as a
		// timing line by strict parsers.
		text = strings.ReplaceAll(text, "-->", "->")
		if c.Speaker != "" {
			text = c.Speaker + ": " + text
		}
		fmt.Fprintf(bw, "%d\n%s --> %s\n%s\n\n", n, stamp(c.Start, ','), stamp(endAfter(c), ','), text)
	}
	return bw.Flush()
}

// WriteVTT writes WebVTT: the "WEBVTT" header, a blank line, then cues with
// "HH:MM:SS.mmm" times separated by blank lines. A speaker becomes a voice
// span (<v Name>), which players can style and screen readers announce.
func WriteVTT(w io.Writer, cues []Cue) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("WEBVTT\n\n")
	for _, c := range cues {
		text := cueText(c.Text)
		if text == "" {
			continue
		}
		// "-->" inside a cue would end its timing line early, and < & start
		// markup; escape them as the spec asks.
		text = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(text)
		if c.Speaker != "" {
			text = "<v " + vttAnnotation(c.Speaker) + ">" + text
		}
		fmt.Fprintf(bw, "%s --> %s\n%s\n\n", stamp(c.Start, '.'), stamp(endAfter(c), '.'), text)
	}
	return bw.Flush()
}

// WriteText writes one line per cue, "[mm:ss] Speaker: text", the form that
// reads well in an email or a notes app.
func WriteText(w io.Writer, cues []Cue) error {
	bw := bufio.NewWriter(w)
	for _, c := range cues {
		text := strings.Join(strings.Fields(c.Text), " ")
		if text == "" {
			continue
		}
		bw.WriteString("[" + Clock(c.Start) + "] ")
		if c.Speaker != "" {
			bw.WriteString(c.Speaker + ": ")
		}
		bw.WriteString(text)
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

type jsonCue struct {
	StartMs int64  `json:"start_ms"`
	EndMs   int64  `json:"end_ms"`
	Speaker string `json:"speaker,omitempty"`
	Text    string `json:"text"`
}

// WriteJSON writes {"segments":[{"start_ms":…,"end_ms":…,"text":…}]},
// leaving out cues without text as the other formats do.
func WriteJSON(w io.Writer, cues []Cue) error {
	out := struct {
		Segments []jsonCue `json:"segments"`
	}{Segments: make([]jsonCue, 0, len(cues))}
	for _, c := range cues {
		if strings.TrimSpace(c.Text) == "" {
			continue
		}
		out.Segments = append(out.Segments, jsonCue{
			StartMs: c.Start.Milliseconds(),
			EndMs:   c.End.Milliseconds(),
			Speaker: c.Speaker,
			Text:    strings.TrimSpace(c.Text),
		})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // the file is read by people and scripts, not browsers
	return enc.Encode(out)
}

// Clock formats d as mm:ss, or h:mm:ss from an hour on: the stamp people
// read beside a note or a line of transcript.
func Clock(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	s := int64(d / time.Second)
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%02d:%02d", s/60, s%60)
}

// stamp formats HH:MM:SS followed by sep and milliseconds; both formats
// require two-digit hours even past 99 minutes, so hours are never elided.
func stamp(d time.Duration, sep byte) string {
	if d < 0 {
		d = 0
	}
	ms := d.Milliseconds()
	return fmt.Sprintf("%02d:%02d:%02d%c%03d", ms/3600000, ms/60000%60, ms/1000%60, sep, ms%1000)
}

// endAfter keeps every cue at least one millisecond long: a zero-length cue
// is invalid in WebVTT and skipped by many SRT players.
func endAfter(c Cue) time.Duration {
	if c.End.Milliseconds() <= c.Start.Milliseconds() {
		return c.Start + time.Millisecond
	}
	return c.End
}

// cueText trims the text and removes blank lines, which would end the cue
// early in both formats.
func cueText(s string) string {
	var lines []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n")
}

// vttAnnotation keeps a speaker name from closing the <v> tag early.
func vttAnnotation(s string) string {
	return strings.NewReplacer(">", "", "\n", " ", "&", "&amp;", "<", "&lt;").Replace(s)
}
