// Package transcribetest holds fakes for the transcribe pipeline, written by
// hand so a test reads as what it checks, not as mock set-up:
//
//   - sources: Samples (a slice), Paced (real-time pacing on an injectable
//     clock), Feed, Flaky (a device that is lost and comes back), Repeat;
//   - recognizers: Recognizer (one segment per burst), Spans, Slow (gated,
//     to build a backlog);
//   - sinks and recorders: Sink, Recorder;
//   - audio and time: Scene and Speech (bursts at known times), ManualTime.
package transcribetest

import (
	"context"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/sidenote-app/sidenote/transcribe"
)

// Recognizer reports, for every window it is given, one segment per run of
// non-silent samples, so a test can put "speech" at known times and check
// where it comes out. Text is "speech@<ms>" with the window-relative start.
type Recognizer struct {
	// Threshold is the absolute level above which a sample counts as
	// speech. Zero means 0.01.
	Threshold float32
	// Err, when set, is returned from every call.
	Err error

	mu      sync.Mutex
	windows []int
}

// Recognize implements transcribe.Recognizer.
func (r *Recognizer) Recognize(ctx context.Context, samples []float32) ([]transcribe.Segment, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r.mu.Lock()
	r.windows = append(r.windows, len(samples))
	r.mu.Unlock()
	if r.Err != nil {
		return nil, r.Err
	}
	th := r.Threshold
	if th == 0 {
		th = 0.01
	}
	var segs []transcribe.Segment
	start := -1
	for i := 0; i <= len(samples); i++ {
		loud := i < len(samples) && (samples[i] > th || samples[i] < -th)
		switch {
		case loud && start < 0:
			start = i
		case !loud && start >= 0:
			st := transcribe.Samples(int64(start))
			segs = append(segs, transcribe.Segment{
				Start:      st,
				End:        transcribe.Samples(int64(i)),
				Text:       fmt.Sprintf("speech@%d", st/time.Millisecond),
				Confidence: 1,
			})
			start = -1
		}
	}
	return segs, nil
}

// Windows returns the length in samples of every window recognized so far.
func (r *Recognizer) Windows() []int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]int(nil), r.windows...)
}

// Samples is a SampleReader over a slice, handing out at most Chunk samples
// per Read (zero: as many as fit) to exercise callers' buffering.
type Samples struct {
	Data  []float32
	Chunk int
	pos   int
}

// Read implements transcribe.SampleReader.
func (s *Samples) Read(dst []float32) (int, error) {
	if s.pos >= len(s.Data) {
		return 0, io.EOF
	}
	if s.Chunk > 0 && len(dst) > s.Chunk {
		dst = dst[:s.Chunk]
	}
	n := copy(dst, s.Data[s.pos:])
	s.pos += n
	return n, nil
}
