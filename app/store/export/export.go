// Package export writes interviews and templates to files people read or
// re-import: Markdown, JSON, SRT, WebVTT and plain text. It works on
// interview.Bundle and interview.Template values only, without a
// database, so every format is tested with golden files and no cgo; the
// store loads a bundle and imports one read back from JSON.
package export

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/sidenote-app/sidenote/app/interview"
)

// Format is an interview export format.
type Format string

// Export formats, by their command-line names.
const (
	Markdown Format = "md"
	JSON     Format = "json"
	SRT      Format = "srt"
	VTT      Format = "vtt"
	Text     Format = "txt"
)

// Formats lists the formats in the order a menu offers them.
func Formats() []Format { return []Format{Markdown, JSON, SRT, VTT, Text} }

// ParseFormat reads a --format value; "markdown", "webvtt" and "text" are
// accepted as long names.
func ParseFormat(s string) (Format, error) {
	switch strings.ToLower(strings.TrimPrefix(strings.TrimSpace(s), ".")) {
	case "md", "markdown":
		return Markdown, nil
	case "json":
		return JSON, nil
	case "srt":
		return SRT, nil
	case "vtt", "webvtt":
		return VTT, nil
	case "txt", "text":
		return Text, nil
	}
	return "", fmt.Errorf("%w export format %q: use md, json, srt, vtt or txt", interview.ErrInvalid, s)
}

// Ext is the file name extension, with the dot.
func (f Format) Ext() string { return "." + string(f) }

// Options adjusts human-readable output.
type Options struct {
	// Location for wall-clock times in Markdown; nil means time.Local.
	Location *time.Location
}

func (o Options) loc() *time.Location {
	if o.Location == nil {
		return time.Local
	}
	return o.Location
}

// Write writes b in format f.
func Write(w io.Writer, f Format, b *interview.Bundle, opts Options) error {
	switch f {
	case Markdown:
		return WriteMarkdown(w, b, opts)
	case JSON:
		return WriteJSON(w, b)
	case SRT:
		return WriteSRT(w, b.Segments)
	case VTT:
		return WriteVTT(w, b.Segments)
	case Text:
		return WriteText(w, b.Segments)
	}
	return fmt.Errorf("%w export format %q: use md, json, srt, vtt or txt", interview.ErrInvalid, f)
}

// errWriter keeps the first write error so formatting code reads straight.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}

func (e *errWriter) print(s string) {
	if e.err == nil {
		_, e.err = io.WriteString(e.w, s)
	}
}
