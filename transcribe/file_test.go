package transcribe_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/sidenote-app/sidenote/transcribe"
	"github.com/sidenote-app/sidenote/transcribe/transcribetest"
)

// audioWithBursts returns total of silence with 0.5 s bursts of "speech"
// starting at each of at.
func audioWithBursts(total time.Duration, at ...time.Duration) []float32 {
	n := int(total * transcribe.SampleRate / time.Second)
	buf := make([]float32, n)
	for _, a := range at {
		i := int(a * transcribe.SampleRate / time.Second)
		for j := i; j < i+transcribe.SampleRate/2 && j < n; j++ {
			buf[j] = 0.5
		}
	}
	return buf
}

func TestFileKeepsOneTimeAxisAcrossWindows(t *testing.T) {
	bursts := []time.Duration{1 * time.Second, 9 * time.Second, 17500 * time.Millisecond, 31 * time.Second}
	src := &transcribetest.Samples{Data: audioWithBursts(40*time.Second, bursts...), Chunk: 4321}
	rec := &transcribetest.Recognizer{}
	var progress []time.Duration
	segs, err := transcribe.File(context.Background(), src, rec, transcribe.FileOptions{
		Window:   8 * time.Second,
		Search:   3 * time.Second,
		Source:   transcribe.SourceThem,
		Progress: func(done, _ time.Duration) { progress = append(progress, done) },
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Windows()) < 5 {
		t.Fatalf("got %d windows for 40 s in 8 s windows, want at least 5", len(rec.Windows()))
	}
	if len(segs) != len(bursts) {
		t.Fatalf("got %d segments %+v, want %d (a burst split by a window cut?)", len(segs), segs, len(bursts))
	}
	for i, s := range segs {
		if d := s.Start - bursts[i]; d < -time.Millisecond || d > time.Millisecond {
			t.Errorf("segment %d starts at %v, want %v", i, s.Start, bursts[i])
		}
		if d := s.End - s.Start; d != 500*time.Millisecond {
			t.Errorf("segment %d lasts %v, want 500ms", i, d)
		}
		if s.Source != transcribe.SourceThem {
			t.Errorf("segment %d source %q, want %q", i, s.Source, transcribe.SourceThem)
		}
	}
	if last := progress[len(progress)-1]; last != 40*time.Second {
		t.Errorf("final progress %v, want 40s", last)
	}
	for i := 1; i < len(progress); i++ {
		if progress[i] <= progress[i-1] {
			t.Errorf("progress went %v → %v", progress[i-1], progress[i])
		}
	}
}

func TestFileWindowsNeverExceedTheLimit(t *testing.T) {
	src := &transcribetest.Samples{Data: audioWithBursts(61 * time.Second)}
	rec := &transcribetest.Recognizer{}
	if _, err := transcribe.File(context.Background(), src, rec, transcribe.FileOptions{Window: 10 * time.Second}); err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, w := range rec.Windows() {
		if w > 10*transcribe.SampleRate {
			t.Errorf("window of %d samples exceeds 10 s", w)
		}
		total += w
	}
	if total != 61*transcribe.SampleRate {
		t.Errorf("recognized %d samples, want %d: audio lost or repeated", total, 61*transcribe.SampleRate)
	}
}

func TestFileErrors(t *testing.T) {
	boom := errors.New("boom")
	tests := []struct {
		name string
		data []float32
		rec  *transcribetest.Recognizer
		ctx  func() context.Context
		want error
	}{
		{"empty", nil, &transcribetest.Recognizer{}, context.Background, transcribe.ErrNoAudio},
		{"recognizer fails", audioWithBursts(time.Second), &transcribetest.Recognizer{Err: boom}, context.Background, boom},
		{"cancelled", audioWithBursts(time.Second), &transcribetest.Recognizer{}, func() context.Context {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			return ctx
		}, context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := transcribe.File(tt.ctx(), &transcribetest.Samples{Data: tt.data}, tt.rec, transcribe.FileOptions{})
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
		})
	}
}

func TestSamplesHasNoDrift(t *testing.T) {
	// Three hours of samples must convert exactly, not to 10799.9999 s.
	if got, want := transcribe.Samples(3*3600*transcribe.SampleRate), 3*time.Hour; got != want {
		t.Fatalf("got %v, want %v", got, want)
	}
}
