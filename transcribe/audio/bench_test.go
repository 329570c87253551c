package audio

import (
	"bufio"
	"io"
	"os"
	"path/filepath"
	"slices"
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

// BenchmarkSeekBack5s times the Review screen's "−5 s" near the end of a
// 2-hour recording: move the reader 5 s back from where it is and read the
// 1024 samples the player decodes next. "reread" is how Player.seekTo did
// it before WAVReader.SeekTo (reopen the file and read up to the target),
// "seek" is SeekTo. Every op starts in the last half hour; a run that
// drifts out of it is put back, off the clock.
//
// 16k-mono is the Recorder's format (16-bit), written out in full (230 MB);
// 48k-stereo (16-bit, resampled on reading) is a sparse file of silence,
// 1.4 GB long but quick to make, and decodes at the same cost as sound.
//
//	go test -tags sqlite_fts5,migrated_fynedo -run '^$' -bench SeekBack5s -benchtime 2s -count 3 ./transcribe/audio/
//
// gave, on a 2-core Xeon VM (go1.26, files in the page cache), per "−5 s":
//
//	16k-mono/reread      154–166 ms   (14 ops per run)
//	16k-mono/seek        11.8–12.9 µs
//	48k-stereo/reread    14.0–16.7 s  (1 op per run: decoding and resampling 2 h)
//	48k-stereo/seek      313–346 µs   (mostly resampling the one 8192-frame block read)
//
// so a jump back costs the same anywhere in the file, about 10⁴ (16 kHz)
// to 5·10⁴ (48 kHz) times less than reading up to it.
func BenchmarkSeekBack5s(b *testing.B) {
	const hours = 2
	dir := b.TempDir()
	for _, file := range []struct {
		name   string
		spec   audiotest.Spec
		sparse bool
	}{
		{"16k-mono", audiotest.Spec{Rate: 16000, Channels: 1, Bits: 16}, false},
		{"48k-stereo", audiotest.Spec{Rate: 48000, Channels: 2, Bits: 16}, true},
	} {
		path := filepath.Join(dir, file.name+".wav")
		longWAV(b, path, file.spec, hours*3600, file.sparse)
		for _, how := range []struct {
			name string
			seek func(r *WAVReader, to int64, buf []float32) (*WAVReader, error)
		}{
			{"reread", func(r *WAVReader, to int64, buf []float32) (*WAVReader, error) {
				return rereadTo(r, path, to, buf)
			}},
			{"seek", func(r *WAVReader, to int64, _ []float32) (*WAVReader, error) {
				return r, r.SeekTo(to)
			}},
		} {
			b.Run(file.name+"/"+how.name, func(b *testing.B) {
				r, err := OpenWAV(path)
				if err != nil {
					b.Fatal(err)
				}
				defer func() { r.Close() }()
				const back = 5 * OutputRate
				total := r.Len()
				lo, start := total-1800*OutputRate, total-OutputRate
				buf := make([]float32, feedSamples)
				if err := r.SeekTo(start); err != nil {
					b.Fatal(err)
				}
				b.ResetTimer()
				for range b.N {
					to := r.Offset() - back
					if to < lo {
						b.StopTimer()
						if err := r.SeekTo(start); err != nil {
							b.Fatal(err)
						}
						to = start - back
						b.StartTimer()
					}
					if r, err = how.seek(r, to, buf); err != nil {
						b.Fatal(err)
					}
					if _, err := r.Read(buf); err != nil || r.Offset() != to+feedSamples {
						b.Fatalf("read at %d: %v, Offset %d", to, err, r.Offset())
					}
				}
			})
		}
	}
}

// rereadTo is the old way to move r to 16 kHz sample to: reopen the file
// when going back, then read forward, discarding.
func rereadTo(r *WAVReader, path string, to int64, buf []float32) (*WAVReader, error) {
	if to < r.Offset() {
		nr, err := OpenWAV(path)
		if err != nil {
			return r, err
		}
		r.Close()
		r = nr
	}
	for r.Offset() < to {
		if _, err := r.Read(buf[:min(int64(len(buf)), to-r.Offset())]); err != nil {
			return r, err
		}
	}
	return r, nil
}

// longWAV writes seconds of spec to path: a second of sine repeated, or,
// when sparse, a header and a hole the file system reads as zeros.
func longWAV(b *testing.B, path string, spec audiotest.Spec, seconds int, sparse bool) {
	b.Helper()
	second, err := audiotest.Encode(spec, slices.Repeat([][]float32{audiotest.Sine(spec.Rate, 440, 0.5, spec.Rate)}, spec.Channels))
	if err != nil {
		b.Fatal(err)
	}
	second = second[spec.HeaderBytes():]
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	data := int64(len(second)) * int64(seconds)
	if _, err := f.Write(audiotest.Header(spec, uint32(data))); err != nil {
		b.Fatal(err)
	}
	if sparse {
		err = f.Truncate(int64(spec.HeaderBytes()) + data)
	} else {
		w := bufio.NewWriterSize(f, 1<<20)
		for range seconds {
			w.Write(second)
		}
		err = w.Flush()
	}
	if err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
}
