package transcribe

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"
)

// ErrNoAudio is returned when a source holds no samples at all.
var ErrNoAudio = errors.New("the audio holds no samples")

// FileOptions tune how a long recording is cut into recognizer windows.
type FileOptions struct {
	// Window is the longest stretch handed to the recognizer at once.
	// Long enough that whisper keeps its context across sentences, short
	// enough that a 3-hour file never sits in memory whole. Default 5 min.
	Window time.Duration
	// Search is how far back from a window's end the cut may move to land
	// in the quietest spot, so a word is not split in two. Default 10 s.
	Search time.Duration
	// Source labels the segments. Default SourceFile.
	Source Source
	// Total, when known, lets Progress report a fraction; zero means unknown.
	Total time.Duration
	// Progress is called after each window with the audio done so far.
	Progress func(done, total time.Duration)
}

func (o FileOptions) withDefaults() FileOptions {
	if o.Window <= 0 {
		o.Window = 5 * time.Minute
	}
	if o.Search <= 0 || o.Search >= o.Window {
		o.Search = min(10*time.Second, o.Window/4)
	}
	if o.Source == "" {
		o.Source = SourceFile
	}
	return o
}

// File transcribes everything src yields, window by window, and returns the
// segments on one continuous time axis. Memory stays bounded by the window
// size whatever the length of the source.
func File(ctx context.Context, src SampleReader, rec Recognizer, opts FileOptions) ([]Segment, error) {
	opts = opts.withDefaults()
	window := int(int64(opts.Window) * SampleRate / int64(time.Second))
	search := int(int64(opts.Search) * SampleRate / int64(time.Second))

	buf := make([]float32, 0, window)
	var (
		offset int64 // samples handed to the recognizer so far
		out    []Segment
		eof    bool
	)
	for {
		// Fill the window; what the previous cut left over is already at
		// the front of buf.
		for !eof && len(buf) < window {
			n, err := src.Read(buf[len(buf):window])
			buf = buf[:len(buf)+n]
			if errors.Is(err, io.EOF) {
				eof = true
			} else if err != nil {
				return out, fmt.Errorf("reading audio at %s: %w", Samples(offset+int64(len(buf))).Round(time.Millisecond), err)
			}
		}
		if len(buf) == 0 {
			if offset == 0 {
				return nil, ErrNoAudio
			}
			return out, nil
		}
		cut := len(buf)
		if !eof {
			cut = quietestCut(buf, len(buf)-search, len(buf))
		}
		if err := ctx.Err(); err != nil {
			return out, err
		}
		segs, err := rec.Recognize(ctx, buf[:cut])
		if err != nil {
			return out, fmt.Errorf("transcribing %s–%s: %w", Samples(offset).Round(time.Millisecond), Samples(offset+int64(cut)).Round(time.Millisecond), err)
		}
		base := Samples(offset)
		limit := Samples(int64(cut))
		for _, s := range segs {
			// A recognizer may round a segment's end past the audio it was
			// given; clamp so windows never overlap on the time axis.
			s.Start = min(max(s.Start, 0), limit)
			s.End = min(max(s.End, s.Start), limit)
			s.Start += base
			s.End += base
			s.Source = opts.Source
			out = append(out, s)
		}
		offset += int64(cut)
		if opts.Progress != nil {
			opts.Progress(Samples(offset), opts.Total)
		}
		rest := copy(buf, buf[cut:])
		buf = buf[:rest]
		if eof && len(buf) == 0 {
			return out, nil
		}
	}
}

// quietestCut returns the index in buf[from:to] that starts the 20 ms frame
// with the least energy, so a window ends in a pause rather than mid-word.
func quietestCut(buf []float32, from, to int) int {
	const frame = SampleRate / 50
	from = max(from, 0)
	best, bestEnergy := to, float32(-1)
	for i := from; i+frame <= to; i += frame / 2 {
		var e float32
		for _, v := range buf[i : i+frame] {
			e += v * v
		}
		if bestEnergy < 0 || e < bestEnergy {
			best, bestEnergy = i+frame/2, e
		}
	}
	if best <= 0 {
		return to
	}
	return best
}
