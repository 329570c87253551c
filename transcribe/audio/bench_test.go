package audio

import (
	"io"
	"path/filepath"
	"testing"

	"github.com/sidenote-app/sidenote/transcribe/audio/audiotest"
)

// benchmarkResample times one second of audio per op, so ns/op reads as
// the cost of an audio second.
func benchmarkResample(b *testing.B, inRate int) {
	in := audiotest.Sine(inRate, 440, 0.5, inRate)
	r, err := NewResampler(inRate, OutputRate)
	if err != nil {
		b.Fatal(err)
	}
	out := make([]float32, 0, 2*OutputRate)
	b.SetBytes(int64(4 * inRate))
	b.ReportAllocs()
	for b.Loop() {
		// In 100 ms chunks, as a capture callback would deliver them.
		out = out[:0]
		for i := 0; i < len(in); i += inRate / 10 {
			out = r.Process(in[i:min(i+inRate/10, len(in))], out)
		}
	}
}

func BenchmarkResample44k(b *testing.B)  { benchmarkResample(b, 44100) }
func BenchmarkResample48k(b *testing.B)  { benchmarkResample(b, 48000) }
func BenchmarkResample8k(b *testing.B)   { benchmarkResample(b, 8000) }
func BenchmarkResample192k(b *testing.B) { benchmarkResample(b, 192000) }

// BenchmarkReadWAV reads a 60 s 44.1 kHz stereo 16-bit file (the common
// export format) end to end in 30 s windows: parse, decode, downmix,
// resample. The audio-s/s metric is how many times faster than real time.
func BenchmarkReadWAV(b *testing.B) {
	benchmarkReadWAV(b, audiotest.Spec{Rate: 44100, Channels: 2, Bits: 16})
}

// BenchmarkReadWAV16k isolates parsing and decoding: no resampling.
func BenchmarkReadWAV16k(b *testing.B) {
	benchmarkReadWAV(b, audiotest.Spec{Rate: 16000, Channels: 2, Bits: 16})
}

func benchmarkReadWAV(b *testing.B, spec audiotest.Spec) {
	const seconds = 60
	path := filepath.Join(b.TempDir(), "bench.wav")
	audiotest.WriteMono(b, path, spec, audiotest.Sine(spec.Rate, 440, 0.5, seconds*spec.Rate))
	buf := make([]float32, 30*OutputRate)
	b.SetBytes(int64(seconds * spec.Rate * spec.FrameBytes()))
	b.ReportAllocs()
	for b.Loop() {
		r, err := OpenWAV(path)
		if err != nil {
			b.Fatal(err)
		}
		for {
			_, err := r.Read(buf)
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
		}
		r.Close()
	}
	b.ReportMetric(seconds*float64(b.N)/b.Elapsed().Seconds(), "audio-s/s")
}
