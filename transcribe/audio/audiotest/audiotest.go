// Package audiotest writes WAV files of any layout for tests: every bit
// depth, integer or float samples, plain or WAVE_FORMAT_EXTENSIBLE headers,
// any channel count and rate, plus a few signal generators. It has its own
// small encoder rather than go-audio/wav's, because that one only writes
// integer samples and a 16-byte fmt chunk (no float data, no extensible
// header), and tests of a reader need exactly the files it cannot produce.
package audiotest

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// Format tags written in the fmt chunk.
const (
	TagPCM        = 0x0001
	TagADPCM      = 0x0002
	TagFloat      = 0x0003
	TagALaw       = 0x0006
	TagMuLaw      = 0x0007
	TagExtensible = 0xFFFE
)

// Spec describes the file to write.
type Spec struct {
	Rate     int
	Channels int
	// Bits per sample: 8 (unsigned), 16, 24 or 32 for integers; 32 or 64
	// when Float is set.
	Bits       int
	Float      bool
	Extensible bool // write a WAVE_FORMAT_EXTENSIBLE header (subformat PCM or float)
	// Tag, when non-zero, replaces the format tag (or the extensible
	// subformat) so tests can claim an encoding such as A-law while the
	// bytes stay plain PCM.
	Tag uint16
}

// FrameBytes is the size of one frame (a sample for every channel).
func (s Spec) FrameBytes() int { return s.Channels * s.Bits / 8 }

// HeaderBytes is the size of the header Header writes, i.e. the offset of
// the first sample byte.
func (s Spec) HeaderBytes() int {
	if s.Extensible {
		return 12 + 8 + 40 + 8
	}
	return 12 + 8 + 16 + 8
}

func (s Spec) check() error {
	switch {
	case s.Rate <= 0 || s.Channels <= 0:
		return fmt.Errorf("audiotest: bad spec %+v", s)
	case s.Float && s.Bits != 32 && s.Bits != 64:
		return fmt.Errorf("audiotest: float needs 32 or 64 bits, not %d", s.Bits)
	case !s.Float && s.Bits != 8 && s.Bits != 16 && s.Bits != 24 && s.Bits != 32:
		return fmt.Errorf("audiotest: integer PCM needs 8, 16, 24 or 32 bits, not %d", s.Bits)
	}
	return nil
}

// Header returns a RIFF/WAVE header whose sizes declare dataBytes of
// samples. Tests change the declared size to fake truncated or unfinished
// files.
func Header(s Spec, dataBytes uint32) []byte {
	tag := uint16(TagPCM)
	if s.Float {
		tag = TagFloat
	}
	if s.Tag != 0 {
		tag = s.Tag
	}
	fmtSize := 16
	if s.Extensible {
		fmtSize = 40
	}
	le := binary.LittleEndian
	b := make([]byte, 0, s.HeaderBytes())
	b = append(b, "RIFF"...)
	b = le.AppendUint32(b, uint32(4+8+fmtSize+8)+dataBytes+dataBytes%2)
	b = append(b, "WAVEfmt "...)
	b = le.AppendUint32(b, uint32(fmtSize))
	if s.Extensible {
		b = le.AppendUint16(b, TagExtensible)
	} else {
		b = le.AppendUint16(b, tag)
	}
	b = le.AppendUint16(b, uint16(s.Channels))
	b = le.AppendUint32(b, uint32(s.Rate))
	b = le.AppendUint32(b, uint32(s.Rate*s.FrameBytes()))
	b = le.AppendUint16(b, uint16(s.FrameBytes()))
	b = le.AppendUint16(b, uint16(s.Bits))
	if s.Extensible {
		b = le.AppendUint16(b, 22)                      // cbSize
		b = le.AppendUint16(b, uint16(s.Bits))          // valid bits
		b = le.AppendUint32(b, channelMask(s.Channels)) // speaker positions
		b = le.AppendUint16(b, tag)                     // subformat GUID: tag + fixed tail
		b = append(b, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71)
	}
	b = append(b, "data"...)
	b = le.AppendUint32(b, dataBytes)
	return b
}

func channelMask(ch int) uint32 {
	if ch >= 32 {
		return 0
	}
	return 1<<ch - 1
}

// AppendSample encodes v (nominally in [-1, 1]) as one sample of s,
// rounding and clipping integers the way a recorder would.
func AppendSample(b []byte, s Spec, v float32) []byte {
	le := binary.LittleEndian
	if s.Float {
		if s.Bits == 64 {
			return le.AppendUint64(b, math.Float64bits(float64(v)))
		}
		return le.AppendUint32(b, math.Float32bits(v))
	}
	full := math.Ldexp(1, s.Bits-1)
	q := math.Round(float64(v) * full)
	q = math.Max(-full, math.Min(full-1, q))
	switch s.Bits {
	case 8:
		return append(b, byte(int(q)+128))
	case 16:
		return le.AppendUint16(b, uint16(int16(q)))
	case 24:
		u := uint32(int32(q))
		return append(b, byte(u), byte(u>>8), byte(u>>16))
	default:
		return le.AppendUint32(b, uint32(int32(q)))
	}
}

// Quantize returns v as the reader should decode it after a round trip
// through s: the value AppendSample stores, scaled back.
func Quantize(s Spec, v float32) float32 {
	if s.Float {
		return v
	}
	full := math.Ldexp(1, s.Bits-1)
	q := math.Max(-full, math.Min(full-1, math.Round(float64(v)*full)))
	return float32(q / full)
}

// Encode returns a whole WAV file holding channels (one slice per channel,
// all the same length).
func Encode(s Spec, channels [][]float32) ([]byte, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	if len(channels) != s.Channels {
		return nil, fmt.Errorf("audiotest: %d channel slices for %d channels", len(channels), s.Channels)
	}
	frames := len(channels[0])
	for _, c := range channels {
		if len(c) != frames {
			return nil, fmt.Errorf("audiotest: channels differ in length")
		}
	}
	data := frames * s.FrameBytes()
	b := Header(s, uint32(data))
	for i := range frames {
		for _, c := range channels {
			b = AppendSample(b, s, c[i])
		}
	}
	if data%2 == 1 {
		b = append(b, 0) // RIFF pads odd chunks
	}
	return b, nil
}

// WriteWAV writes channels to path as a WAV file of spec s.
func WriteWAV(tb testing.TB, path string, s Spec, channels ...[]float32) {
	tb.Helper()
	b, err := Encode(s, channels)
	if err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		tb.Fatal(err)
	}
}

// WriteMono writes samples to every channel of s.
func WriteMono(tb testing.TB, path string, s Spec, samples []float32) {
	tb.Helper()
	ch := make([][]float32, s.Channels)
	for i := range ch {
		ch[i] = samples
	}
	WriteWAV(tb, path, s, ch...)
}

// WriteFunc streams frames frames of sample(ch, frame) to path without
// holding them in memory, for files longer than a test should allocate.
func WriteFunc(tb testing.TB, path string, s Spec, frames int64, sample func(ch int, frame int64) float32) {
	tb.Helper()
	if err := s.check(); err != nil {
		tb.Fatal(err)
	}
	data := frames * int64(s.FrameBytes())
	if data > math.MaxUint32-64 {
		tb.Fatalf("audiotest: %d bytes do not fit a WAV data chunk", data)
	}
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<16)
	w.Write(Header(s, uint32(data)))
	buf := make([]byte, 0, 64)
	for i := range frames {
		buf = buf[:0]
		for c := range s.Channels {
			buf = AppendSample(buf, s, sample(c, i))
		}
		w.Write(buf)
	}
	if data%2 == 1 {
		w.WriteByte(0)
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
}

// Sine returns n samples of a sine of freq Hz at rate, peak amp.
func Sine(rate int, freq, amp float64, n int) []float32 {
	out := make([]float32, n)
	for i := range out {
		out[i] = float32(amp * math.Sin(2*math.Pi*freq*float64(i)/float64(rate)))
	}
	return out
}

// Silence returns n zero samples.
func Silence(n int) []float32 { return make([]float32, n) }

// Click returns n samples of silence with a single full-scale sample at at,
// to check that a resampler keeps events where they were in time.
func Click(n, at int) []float32 {
	out := make([]float32, n)
	out[at] = 1
	return out
}

// Ramp returns n samples rising linearly from -1 to just under 1, so every
// sample differs and a misplaced byte shows.
func Ramp(n int) []float32 {
	out := make([]float32, n)
	for i := range out {
		out[i] = -1 + 2*float32(i)/float32(n)
	}
	return out
}

// SpeechLikeWAV writes seconds of a 220 Hz tone at 44.1 kHz stereo, quiet
// for half a second in every 1.5 s, to dir/talk.wav: enough like speech
// for the detector and the resampler, in a format the file readers must
// convert.
func SpeechLikeWAV(t testing.TB, dir string, seconds int) string {
	t.Helper()
	const rate = 44100
	n := rate * seconds
	tone := Sine(rate, 220, 0.3, n)
	for i := range tone {
		if (i/(rate/2))%3 == 2 {
			tone[i] = 0
		}
	}
	path := filepath.Join(dir, "talk.wav")
	WriteWAV(t, path, Spec{Rate: rate, Channels: 2, Bits: 16}, tone, tone)
	return path
}
