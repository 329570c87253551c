package audio

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/sidenote-app/sidenote/transcribe/audio/audiotest"
)

// seekFile writes two and a half of the reader's blocks (0.2 to 2.6 s) of noise (different on every channel, so the
// downmix is exercised) in spec, wrapped as layout says:
//
//	"plain"     the header audiotest writes
//	"chunks"    odd-sized JUNK and LIST chunks before fmt and data, so the
//	            data starts at no usual offset
//	"rf64"      RF64 with a ds64 chunk, a 0xFFFFFFFF data size and a
//	            trailing LIST chunk that must not be read as audio
//	"truncated" the data chunk declares more than the file holds, and the
//	            file ends inside a frame
func seekFile(t *testing.T, spec audiotest.Spec, layout string) string {
	t.Helper()
	frames := blockFrames*5/2 + 1 // odd, for 8-bit mono's pad byte
	chans := make([][]float32, spec.Channels)
	for c := range chans {
		chans[c] = noise(uint64(100+c), frames)
	}
	b, err := audiotest.Encode(spec, chans)
	if err != nil {
		t.Fatal(err)
	}
	hb := spec.HeaderBytes()
	data := frames * spec.FrameBytes()
	le := binary.LittleEndian
	chunk := func(id, body string) []byte {
		c := le.AppendUint32([]byte(id), uint32(len(body)))
		c = append(c, body...)
		if len(body)%2 == 1 {
			c = append(c, 0)
		}
		return c
	}
	var c []byte
	switch layout {
	case "plain":
		c = b
	case "chunks":
		c = append(c, b[:12]...)
		c = append(c, chunk("JUNK", "abc")...)
		c = append(c, b[12:hb-8]...) // fmt
		c = append(c, chunk("LIST", "INFOx")...)
		c = append(c, b[hb-8:]...)
		le.PutUint32(c[4:], uint32(len(c)-8))
	case "rf64":
		c = append(c, "RF64"...)
		c = le.AppendUint32(c, 0xFFFFFFFF)
		c = append(c, "WAVEds64"...)
		c = le.AppendUint32(c, 28)
		c = le.AppendUint64(c, uint64(len(b)-8+36))
		c = le.AppendUint64(c, uint64(data))
		c = le.AppendUint64(c, uint64(frames))
		c = le.AppendUint32(c, 0) // table length
		c = append(c, b[12:hb-4]...)
		c = le.AppendUint32(c, 0xFFFFFFFF)
		c = append(c, b[hb:]...)
		c = append(c, chunk("LIST", "INFOxxxx")...)
	case "truncated":
		c = b[:hb+data*9/10+spec.FrameBytes()/2]
	default:
		t.Fatalf("layout %q", layout)
	}
	path := filepath.Join(t.TempDir(), layout+".wav")
	if err := os.WriteFile(path, c, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// readN reads up to n samples in reads of odd sizes, until io.EOF.
func readN(t *testing.T, r *WAVReader, n int) ([]float32, error) {
	t.Helper()
	out := make([]float32, 0, n)
	buf := make([]float32, 997)
	for len(out) < n {
		k, err := r.Read(buf[:min(len(buf), n-len(out))])
		out = append(out, buf[:k]...)
		if err != nil {
			return out, err
		}
	}
	return out, nil
}

// SeekTo then Read gives, bit for bit, what reading from the start and
// discarding gives, for every sample format and header layout, at rates
// that resample exactly, with interpolated phases (44101 Hz) and not at
// all; at the first sample, odd ones, both sides of a block boundary, the
// last ones, the end and past it; jumping forwards and backwards on one
// reader, including from the end. The reference is one read of the whole
// file from the start (reading in windows is continuous: see
// TestReadWindowsAreContinuous).
func TestSeekToMatchesReadingFromTheStart(t *testing.T) {
	type tc struct {
		spec   audiotest.Spec
		layout string
	}
	var cases []tc
	for i, sf := range sampleFormats {
		for _, ext := range []bool{false, true} {
			rate := []int{16000, 44100, 48000}[i%3]
			ch := []int{1, 2, 6}[(i+btoi(ext))%3]
			cases = append(cases, tc{audiotest.Spec{Rate: rate, Channels: ch, Bits: sf.bits, Float: sf.float, Extensible: ext}, "plain"})
		}
	}
	for i, rate := range []int{8000, 11025, 22050, 44101, 96000} {
		spec := audiotest.Spec{Rate: rate, Channels: 2, Bits: 16}
		if i%2 == 1 {
			spec = audiotest.Spec{Rate: rate, Channels: 3, Bits: 32, Float: true}
		}
		cases = append(cases, tc{spec, "plain"})
	}
	cases = append(cases,
		tc{audiotest.Spec{Rate: 16000, Channels: 1, Bits: 16}, "rf64"},
		tc{audiotest.Spec{Rate: 48000, Channels: 2, Bits: 24, Extensible: true}, "rf64"},
		tc{audiotest.Spec{Rate: 22050, Channels: 1, Bits: 8}, "chunks"},
		tc{audiotest.Spec{Rate: 16000, Channels: 3, Bits: 24}, "chunks"},
		tc{audiotest.Spec{Rate: 16000, Channels: 2, Bits: 24}, "truncated"},
		tc{audiotest.Spec{Rate: 44100, Channels: 1, Bits: 16}, "truncated"},
	)

	for _, c := range cases {
		kind := "pcm"
		if c.spec.Float {
			kind = "float"
		}
		if c.spec.Extensible {
			kind += "-ext"
		}
		name := fmt.Sprintf("%s/%d-%s/%dch/%dHz", c.layout, c.spec.Bits, kind, c.spec.Channels, c.spec.Rate)
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			path := seekFile(t, c.spec, c.layout)
			want, f := readAll(t, path)
			if (c.layout == "truncated") != f.Truncated {
				t.Fatalf("Truncated = %v", f.Truncated)
			}
			total := int64(len(want))
			r, err := OpenWAV(path)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			if r.Len() != total {
				t.Fatalf("Len %d, read %d", r.Len(), total)
			}
			// Output samples per block the reader decodes: seeks on
			// both sides of the second block's first sample.
			block := int64(blockFrames) * OutputRate / int64(c.spec.Rate)
			var positions []int64
			for _, k := range []int64{0, 1, 7, 333, block - 1, block, block + 1, total/2 + 1,
				total - 3001, total - 2, total - 1, total, total + 1, total + 12345} {
				if k >= 0 {
					positions = append(positions, k)
				}
			}
			back := slices.Clone(positions)
			slices.Reverse(back)
			positions = append(positions, back...)
			for i, k := range positions {
				if err := r.SeekTo(k); err != nil {
					t.Fatalf("SeekTo(%d): %v", k, err)
				}
				at := min(k, total)
				if r.Offset() != at || r.Len() != total {
					t.Fatalf("SeekTo(%d): Offset %d, Len %d; want %d, %d", k, r.Offset(), r.Len(), at, total)
				}
				// Read across a block boundary; to the end for the last
				// positions, and the first time for the middle one.
				n := 3000
				if total-at < 5000 || i == 7 { // i == 7: total/2+1, the first time
					n = int(total-at) + 1
				}
				got, err := readN(t, r, n)
				end := min(at+int64(n), total)
				if end == total && !errors.Is(err, io.EOF) || end < total && err != nil {
					t.Fatalf("SeekTo(%d), reading %d: err %v", k, n, err)
				}
				sameBits(t, fmt.Sprintf("SeekTo(%d)", k), got, want[at:end])
				if len(got) != int(end-at) || r.Offset() != end {
					t.Fatalf("SeekTo(%d): read %d samples to Offset %d, want %d to %d", k, len(got), r.Offset(), end-at, end)
				}
			}
		})
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// The resampler state resumeAt builds is the one a whole stream leaves,
// checked directly at every output index near the start (where it sits on
// the silence before the stream) and a few further on.
func TestResamplerResumeAt(t *testing.T) {
	in := noise(7, 5000)
	for _, inRate := range []int{8000, 16000, 44100, 44101, 48000} {
		rs, _ := NewResampler(inRate, OutputRate)
		want := rs.Flush(rs.Process(in, nil))
		for _, k := range []int64{0, 1, 2, 3, 50, 51, 333, int64(len(want)) - 1} {
			rs.resumeAt(k)
			got := rs.Flush(rs.Process(in[rs.firstInputFor(k):], nil))
			if len(got) != len(want)-int(k) {
				t.Fatalf("%d Hz from output %d: %d outputs, want %d", inRate, k, len(got), len(want)-int(k))
			}
			sameBits(t, fmt.Sprintf("%d Hz from output %d", inRate, k), got, want[k:])
		}
	}
}

func TestSeekToErrors(t *testing.T) {
	path := seekFile(t, audiotest.Spec{Rate: 16000, Channels: 1, Bits: 16}, "plain")
	r, err := OpenWAV(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.SeekTo(-1); err == nil || r.Offset() != 0 {
		t.Errorf("SeekTo(-1): %v, Offset %d", err, r.Offset())
	}
	r.Close()
	if err := r.SeekTo(0); !errors.Is(err, os.ErrClosed) {
		t.Errorf("SeekTo after Close: %v, want os.ErrClosed", err)
	}
}
