package vad

import (
	"testing"
	"time"
)

// A minute of an interview: speech and pauses over a quiet room.
func interviewMinute() []float32 {
	parts := []part{{kind: noiseBed, db: -55}}
	for at := 1.0; at < 58; at += 7 {
		parts = append(parts, part{kind: speech, at: at, dur: 4.5, db: -24})
	}
	return scene(300, 60, parts...)
}

// benchmarkSegmenter feeds audio in chunks of chunk samples, as the
// capture path would after resampling, and reports the cost per second
// of audio and how many times faster than real time that is.
func benchmarkSegmenter(b *testing.B, audio []float32, chunk int) {
	s := newSegmenter(b, SegmenterConfig{})
	seconds := float64(len(audio)) / sr
	b.SetBytes(int64(len(audio) * 4))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for i := 0; i < len(audio); i += chunk {
			s.Write(audio[i:min(i+chunk, len(audio))])
		}
	}
	perSecond := float64(b.Elapsed().Nanoseconds()) / float64(b.N) / seconds
	b.ReportMetric(perSecond, "ns/audio-s")
	b.ReportMetric(float64(time.Second)/perSecond, "x-realtime")
}

func BenchmarkSegmenter(b *testing.B) {
	b.Run("interview/chunk1024", func(b *testing.B) { benchmarkSegmenter(b, interviewMinute(), 1024) })
	b.Run("interview/chunk160", func(b *testing.B) { benchmarkSegmenter(b, interviewMinute(), 160) })
	// Silence is the steady state between utterances: no allocation.
	b.Run("silence/chunk1024", func(b *testing.B) { benchmarkSegmenter(b, repeatNoise(301, -55), 1024) })
}

func BenchmarkDetector(b *testing.B) {
	audio := interviewMinute()
	d := newDetector(b, DetectorConfig{})
	frames := make([]Frame, 0, 8)
	seconds := float64(len(audio)) / sr
	b.SetBytes(int64(len(audio) * 4))
	b.ReportAllocs()
	for b.Loop() {
		for i := 0; i < len(audio); i += 1024 {
			frames = d.Process(audio[i:min(i+1024, len(audio))], frames[:0])
		}
	}
	perSecond := float64(b.Elapsed().Nanoseconds()) / float64(b.N) / seconds
	b.ReportMetric(perSecond, "ns/audio-s")
	b.ReportMetric(float64(time.Second)/perSecond, "x-realtime")
}

// Write must not allocate while nothing is emitted.
func TestSegmenterSilenceDoesNotAllocate(t *testing.T) {
	if testing.CoverMode() != "" {
		t.Skip("coverage counters change allocation counts")
	}
	s := newSegmenter(t, SegmenterConfig{})
	room := repeatNoise(302, -55)
	s.Write(room) // warm up: the floor settles
	allocs := testing.AllocsPerRun(20, func() {
		for i := 0; i < len(room); i += 1024 {
			s.Write(room[i:min(i+1024, len(room))])
		}
	})
	if allocs != 0 {
		t.Errorf("got %.1f allocations per second of silence, want 0", allocs)
	}
}
