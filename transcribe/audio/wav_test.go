package audio

import (
	"encoding/binary"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/go-audio/audio"
	"github.com/go-audio/wav"
	"github.com/sidenote-app/sidenote/transcribe/audio/audiotest"
)

var sampleFormats = []struct {
	bits  int
	float bool
}{{8, false}, {16, false}, {24, false}, {32, false}, {32, true}, {64, true}}

func readAll(t *testing.T, path string) ([]float32, Format) {
	t.Helper()
	got, f, err := ReadWAV16k(path)
	if err != nil {
		t.Fatal(err)
	}
	return got, f
}

// At 16 kHz the resampler passes samples through, so decoding and downmix
// are checked value by value: every sample format, plain and extensible,
// mono, stereo and 5.1, each channel holding a different signal.
func TestDecodeFormatMatrix(t *testing.T) {
	dir := t.TempDir()
	const n = 1001 // odd, so 8-bit mono has a pad byte that must not become a sample
	for _, sf := range sampleFormats {
		for _, ext := range []bool{false, true} {
			for _, chans := range []int{1, 2, 6} {
				spec := audiotest.Spec{Rate: 16000, Channels: chans, Bits: sf.bits, Float: sf.float, Extensible: ext}
				ch := make([][]float32, chans)
				want := make([]float32, n)
				for c := range ch {
					ch[c] = audiotest.Ramp(n)
					for i := range ch[c] {
						// Channels differ in sign and scale so a swapped or
						// dropped channel changes the mean.
						ch[c][i] *= float32(c%2*2-1) * float32(c+1) / float32(chans+1)
						want[i] += audiotest.Quantize(spec, ch[c][i]) / float32(chans)
					}
				}
				path := filepath.Join(dir, "m.wav")
				audiotest.WriteWAV(t, path, spec, ch...)
				got, f := readAll(t, path)

				wantF := Format{SampleRate: 16000, Channels: chans, BitDepth: sf.bits, Float: sf.float, Extensible: ext,
					Frames: n, Duration: n * time.Second / 16000}
				if f != wantF {
					t.Errorf("%+v: format %+v, want %+v", spec, f, wantF)
				}
				if len(got) != n {
					t.Fatalf("%+v: %d samples, want %d", spec, len(got), n)
				}
				for i := range want {
					if math.Abs(float64(got[i]-want[i])) > 1e-6 {
						t.Fatalf("%+v: sample %d = %g, want %g", spec, i, got[i], want[i])
					}
				}
			}
		}
	}
}

func TestDecodeExtremes(t *testing.T) {
	dir := t.TempDir()
	for _, sf := range sampleFormats[:4] {
		spec := audiotest.Spec{Rate: 16000, Channels: 1, Bits: sf.bits}
		path := filepath.Join(dir, "x.wav")
		audiotest.WriteMono(t, path, spec, []float32{-1, 0, 1})
		got, _ := readAll(t, path)
		top := 1 - math.Ldexp(1, 1-sf.bits) // the largest positive code
		if got[0] != -1 || got[1] != 0 || math.Abs(float64(got[2])-top) > 1e-7 {
			t.Errorf("%d-bit: -1, 0, 1 decoded as %v, want [-1 0 %g]", sf.bits, got, top)
		}
	}
}

func TestDownmixAveragesChannels(t *testing.T) {
	dir := t.TempDir()
	spec := audiotest.Spec{Rate: 16000, Channels: 2, Bits: 16}
	sine := audiotest.Sine(16000, 440, 0.5, 1600)
	neg := make([]float32, len(sine))
	for i, v := range sine {
		neg[i] = -v
	}
	path := filepath.Join(dir, "d.wav")
	audiotest.WriteWAV(t, path, spec, sine, neg)
	if got, _ := readAll(t, path); rms(got) > 1e-4 {
		t.Errorf("left = -right: downmix rms %g, want 0", rms(got))
	}
	audiotest.WriteWAV(t, path, spec, sine, audiotest.Silence(len(sine)))
	if got, _ := readAll(t, path); math.Abs(amplitudeAt(got, 16000, 440)-0.25) > 1e-3 {
		t.Errorf("one channel at 0.5, one silent: amplitude %g, want 0.25", amplitudeAt(got, 16000, 440))
	}
}

// Every rate, through the real resampler: the tone keeps its frequency and
// level, and the length and duration follow the rate.
func TestDecodeRates(t *testing.T) {
	dir := t.TempDir()
	specs := []audiotest.Spec{
		{Channels: 1, Bits: 16},
		{Channels: 2, Bits: 24, Extensible: true},
		{Channels: 6, Bits: 32, Float: true},
		{Channels: 2, Bits: 8},
	}
	// Every rate with one format, and every format at 44.1 kHz: the
	// formats themselves are checked sample by sample above.
	type tc struct {
		rate int
		spec audiotest.Spec
	}
	var cases []tc
	for i, rate := range []int{8000, 11025, 16000, 22050, 32000, 44100, 48000, 88200, 96000, 192000} {
		cases = append(cases, tc{rate, specs[i%len(specs)]})
	}
	for _, spec := range specs {
		cases = append(cases, tc{44100, spec})
	}
	for _, c := range cases {
		rate, spec := c.rate, c.spec
		spec.Rate = rate
		frames := rate * 3 / 4
		path := filepath.Join(dir, "r.wav")
		audiotest.WriteMono(t, path, spec, audiotest.Sine(rate, 1000, 0.5, frames))
		got, f := readAll(t, path)
		if want := int(math.Ceil(float64(frames) * 16000 / float64(rate))); len(got) != want {
			t.Errorf("%+v: %d samples, want %d", spec, len(got), want)
			continue
		}
		if wantD := time.Duration(frames) * time.Second / time.Duration(rate); f.Duration != wantD || f.Frames != int64(frames) {
			t.Errorf("%+v: %d frames, %s; want %d, %s", spec, f.Frames, f.Duration, frames, wantD)
		}
		amp := amplitudeAt(got[2000:10000], 16000, 1000)
		tol := 0.005
		if spec.Bits == 8 {
			tol = 0.01 // 8-bit quantisation noise
		}
		if math.Abs(amp-0.5) > tol {
			t.Errorf("%+v: 1 kHz amplitude %.4f, want 0.5", spec, amp)
		}
	}
}

// Reading in windows of any size gives the same samples as reading whole,
// and Offset counts them.
func TestReadWindowsAreContinuous(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.wav")
	audiotest.WriteMono(t, path, audiotest.Spec{Rate: 44100, Channels: 2, Bits: 16}, audiotest.Sine(44100, 300, 0.7, 44100*2))
	whole, _ := readAll(t, path)
	for _, window := range []int{1, 999, 16000, 100000} {
		r, err := OpenWAV(path)
		if err != nil {
			t.Fatal(err)
		}
		buf := make([]float32, window)
		var got []float32
		short := false
		for {
			if r.Offset() != int64(len(got)) {
				t.Fatalf("window %d: Offset %d after %d samples", window, r.Offset(), len(got))
			}
			n, err := r.Read(buf)
			got = append(got, buf[:n]...)
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			if short {
				t.Fatalf("window %d: a short read came before the end", window)
			}
			short = n < window
		}
		if int64(len(got)) != r.Len() || len(got) != len(whole) {
			t.Fatalf("window %d: %d samples, Len %d, whole read %d", window, len(got), r.Len(), len(whole))
		}
		for i := range got {
			if got[i] != whole[i] {
				t.Fatalf("window %d: sample %d = %g, whole read has %g", window, i, got[i], whole[i])
			}
		}
		if n, err := r.Read(buf); n != 0 || err != io.EOF {
			t.Errorf("read past the end: %d, %v; want 0, io.EOF", n, err)
		}
		r.Close()
	}
}

// A click at 1.000 s in a 48 kHz stereo file, read in odd windows, is at
// 16 kHz sample 16000: the window boundaries and the filter add no offset.
func TestClickKeepsItsTimeThroughTheReader(t *testing.T) {
	path := filepath.Join(t.TempDir(), "click.wav")
	audiotest.WriteMono(t, path, audiotest.Spec{Rate: 48000, Channels: 2, Bits: 24}, audiotest.Click(72000, 48000))
	r, err := OpenWAV(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	buf := make([]float32, 999)
	peak, peakAt := float32(0), int64(-1)
	for {
		at := r.Offset()
		n, err := r.Read(buf)
		for i, v := range buf[:n] {
			if v > peak {
				peak, peakAt = v, at+int64(i)
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if peakAt < 15999 || peakAt > 16001 {
		t.Errorf("click at 1.000 s came out at sample %d, want 16000±1", peakAt)
	}
}

// A 20-minute file read in 30 s windows: the heap must stay far below the
// 77 MB the decoded audio would take. This measures memory, not time.
func TestLongFileReadsInBoundedMemory(t *testing.T) {
	const minutes = 20
	spec := audiotest.Spec{Rate: 16000, Channels: 1, Bits: 16}
	path := filepath.Join(t.TempDir(), "long.wav")
	second, _ := audiotest.Encode(spec, [][]float32{audiotest.Sine(16000, 440, 0.5, 16000)})
	second = second[spec.HeaderBytes():]
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	f.Write(audiotest.Header(spec, uint32(len(second)*60*minutes)))
	for range 60 * minutes {
		f.Write(second)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	decoded := uint64(minutes * 60 * 16000 * 4)

	r, err := OpenWAV(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	buf := make([]float32, 30*16000)
	var before, now runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var total int64
	var peak uint64
	for {
		n, err := r.Read(buf)
		total += int64(n)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		runtime.ReadMemStats(&now)
		peak = max(peak, now.HeapAlloc)
	}
	runtime.ReadMemStats(&now)
	if total != minutes*60*16000 {
		t.Fatalf("read %d samples, want %d", total, minutes*60*16000)
	}
	allocated := now.TotalAlloc - before.TotalAlloc
	t.Logf("decoded size %d MB; allocated while reading %d KB; peak heap %d KB (before: %d KB)",
		decoded>>20, allocated>>10, peak>>10, before.HeapAlloc>>10)
	if allocated > decoded/50 {
		t.Errorf("allocated %d bytes reading a file that decodes to %d: it is not streaming", allocated, decoded)
	}
	if peak > before.HeapAlloc+decoded/20 {
		t.Errorf("peak heap %d bytes (from %d) for a file that decodes to %d", peak, before.HeapAlloc, decoded)
	}
}

// The files go-audio/wav writes, as the live recorder will: finished, and
// killed before Close left its placeholder sizes (42) in the header.
func TestReadsGoAudioFiles(t *testing.T) {
	dir := t.TempDir()
	for _, bits := range []int{16, 24} {
		for _, closed := range []bool{true, false} {
			path := filepath.Join(dir, "rec.wav")
			f, err := os.Create(path)
			if err != nil {
				t.Fatal(err)
			}
			enc := wav.NewEncoder(f, 16000, bits, 1, 1)
			full := 1 << (bits - 1)
			data := make([]int, 4000)
			for i := range data {
				data[i] = (i*37)%full - full/2
			}
			buf := &audio.IntBuffer{Data: data, Format: &audio.Format{NumChannels: 1, SampleRate: 16000}, SourceBitDepth: bits}
			if err := enc.Write(buf); err != nil {
				t.Fatal(err)
			}
			if closed {
				if err := enc.Close(); err != nil {
					t.Fatal(err)
				}
			}
			f.Close()

			got, _ := readAll(t, path)
			if len(got) != len(data) {
				t.Fatalf("%d-bit, closed=%v: %d samples, want %d", bits, closed, len(got), len(data))
			}
			for i, v := range data {
				if want := float32(v) / float32(full); got[i] != want {
					t.Fatalf("%d-bit, closed=%v: sample %d = %g, want %g", bits, closed, i, got[i], want)
				}
			}
		}
	}
}

func TestTruncatedDataChunkReadsWhatIsThere(t *testing.T) {
	dir := t.TempDir()
	spec := audiotest.Spec{Rate: 16000, Channels: 2, Bits: 24}
	b, _ := audiotest.Encode(spec, [][]float32{audiotest.Ramp(16000), audiotest.Ramp(16000)})
	for _, keep := range []int{1000, 1001, 1002} { // whole frames, and cut mid-frame
		path := filepath.Join(dir, "cut.wav")
		os.WriteFile(path, b[:spec.HeaderBytes()+keep*spec.FrameBytes()+keep%1000], 0o644)
		r, err := OpenWAV(path)
		if err != nil {
			t.Fatalf("cut at %d frames: %v", keep, err)
		}
		f := r.Format()
		got, _ := io.ReadAll(readerOf(r))
		r.Close()
		if !f.Truncated || f.Frames != int64(keep) || len(got) != 4*keep {
			t.Errorf("cut at %d frames: Truncated=%v Frames=%d read %d samples", keep, f.Truncated, f.Frames, len(got)/4)
		}
		w := r.Warning()
		if !errors.Is(w, ErrTruncated) || !strings.Contains(w.Error(), "cut.wav") {
			t.Errorf("cut at %d frames: warning %v, want ErrTruncated naming the file", keep, w)
		}
		t.Log(w)
	}
	path := filepath.Join(dir, "whole.wav")
	os.WriteFile(path, b, 0o644)
	r, _ := OpenWAV(path)
	defer r.Close()
	if r.Warning() != nil || r.Format().Truncated {
		t.Errorf("complete file: warning %v", r.Warning())
	}
}

// readerOf adapts a WAVReader to io.Reader of float32 bytes, for io.ReadAll.
func readerOf(r *WAVReader) io.Reader { return floatBytes{r} }

type floatBytes struct{ r *WAVReader }

func (f floatBytes) Read(p []byte) (int, error) {
	buf := make([]float32, len(p)/4)
	n, err := f.r.Read(buf)
	for i := range n {
		binary.LittleEndian.PutUint32(p[4*i:], math.Float32bits(buf[i]))
	}
	return 4 * n, err
}

func TestUnfinishedHeaderReadsToEndOfFile(t *testing.T) {
	dir := t.TempDir()
	spec := audiotest.Spec{Rate: 16000, Channels: 1, Bits: 16}
	b, _ := audiotest.Encode(spec, [][]float32{audiotest.Ramp(500)})
	for _, sizes := range [][2]uint32{{0, 0}, {0xFFFFFFFF, 0xFFFFFFFF}, {42, 42}, {36, 0}} {
		c := append([]byte(nil), b...)
		binary.LittleEndian.PutUint32(c[4:], sizes[0])
		binary.LittleEndian.PutUint32(c[40:], sizes[1])
		path := filepath.Join(dir, "u.wav")
		os.WriteFile(path, c, 0o644)
		got, f, err := ReadWAV16k(path)
		if sizes == [2]uint32{36, 0} {
			// A finished header that says "no data" is believed.
			if !errors.Is(err, ErrEmpty) {
				t.Errorf("RIFF 36, data 0: err %v, want ErrEmpty", err)
			}
			continue
		}
		if err != nil || len(got) != 500 || f.Truncated {
			t.Errorf("RIFF %d, data %d: %d samples, truncated %v, err %v; want 500", sizes[0], sizes[1], len(got), f.Truncated, err)
		}
	}
}

// Chunks before fmt and between fmt and data, one of odd size, must be
// skipped with their pad byte.
func TestSkipsOtherChunks(t *testing.T) {
	spec := audiotest.Spec{Rate: 16000, Channels: 1, Bits: 16}
	b, _ := audiotest.Encode(spec, [][]float32{{0.5, -0.5}})
	le := binary.LittleEndian
	chunk := func(id string, body string) []byte {
		c := le.AppendUint32([]byte(id), uint32(len(body)))
		c = append(c, body...)
		if len(body)%2 == 1 {
			c = append(c, 0)
		}
		return c
	}
	var c []byte
	c = append(c, b[:12]...)
	c = append(c, chunk("JUNK", "abc")...)
	c = append(c, b[12:36]...) // fmt
	c = append(c, chunk("LIST", "INFOxxxx")...)
	c = append(c, chunk("fact", "\x02\x00\x00\x00")...)
	c = append(c, b[36:]...)
	le.PutUint32(c[4:], uint32(len(c)-8))
	path := filepath.Join(t.TempDir(), "c.wav")
	os.WriteFile(path, c, 0o644)
	got, _ := readAll(t, path)
	if len(got) != 2 || got[0] != 0.5 || got[1] != -0.5 {
		t.Errorf("got %v, want [0.5 -0.5]", got)
	}
}

func TestRF64(t *testing.T) {
	spec := audiotest.Spec{Rate: 16000, Channels: 1, Bits: 16}
	b, _ := audiotest.Encode(spec, [][]float32{{0.25, -0.25, 0.5}})
	le := binary.LittleEndian
	var c []byte
	c = append(c, "RF64"...)
	c = le.AppendUint32(c, 0xFFFFFFFF)
	c = append(c, "WAVEds64"...)
	c = le.AppendUint32(c, 28)
	c = le.AppendUint64(c, uint64(len(b)-8+36))
	c = le.AppendUint64(c, 6) // data bytes
	c = le.AppendUint64(c, 3) // frames
	c = le.AppendUint32(c, 0) // table length
	c = append(c, b[12:40]...)
	c = le.AppendUint32(c, 0xFFFFFFFF)
	c = append(c, b[44:]...)
	c = append(c, "LIST\x04\x00\x00\x00INFO"...) // trailing chunk: must not be read as audio
	path := filepath.Join(t.TempDir(), "big.wav")
	os.WriteFile(path, c, 0o644)
	got, _ := readAll(t, path)
	if len(got) != 3 || got[2] != 0.5 {
		t.Errorf("got %v, want [0.25 -0.25 0.5]", got)
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	pcm := audiotest.Spec{Rate: 16000, Channels: 1, Bits: 16}
	good, _ := audiotest.Encode(pcm, [][]float32{audiotest.Ramp(100)})
	encode := func(s audiotest.Spec) []byte {
		b, err := audiotest.Encode(s, [][]float32{audiotest.Ramp(100)})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	patch := func(off int, v uint16) []byte {
		c := append([]byte(nil), good...)
		binary.LittleEndian.PutUint16(c[off:], v)
		return c
	}
	tests := []struct {
		name    string
		content []byte
		want    error
		says    string
	}{
		{"song.mp3", append([]byte("ID3\x04\x00\x00\x00\x00\x00\x00"), make([]byte, 100)...), ErrNotWAV, "MP3"},
		{"frames.mp3", append([]byte{0xFF, 0xFB, 0x90, 0x64}, make([]byte, 100)...), ErrNotWAV, "MP3"},
		{"notes.txt", []byte("Hello, this is not audio at all.\n"), ErrNotWAV, `"Hello, this`},
		{"a.flac", []byte("fLaC\x00\x00\x00\x22 and more"), ErrNotWAV, "FLAC"},
		{"a.m4a", []byte("\x00\x00\x00\x20ftypM4A \x00\x00"), ErrNotWAV, "MP4"},
		{"empty.wav", nil, ErrEmpty, "0 bytes"},
		{"riff4.wav", good[:4], ErrTruncated, "RIFF header"},
		{"riff11.wav", good[:11], ErrTruncated, "RIFF header"},
		{"cut12.wav", good[:12], ErrTruncated, "before its fmt chunk"},
		{"cut20.wav", good[:20], ErrTruncated, "fmt chunk"},
		{"cut30.wav", good[:30], ErrTruncated, "fmt chunk"},
		{"cut40.wav", good[:40], ErrTruncated, "before its data chunk"},
		{"header-only.wav", audiotest.Header(pcm, 0), ErrEmpty, "empty"},
		{"adpcm.wav", encode(audiotest.Spec{Rate: 8000, Channels: 1, Bits: 16, Tag: audiotest.TagADPCM}), ErrUnsupportedFormat, "ADPCM"},
		{"alaw.wav", encode(audiotest.Spec{Rate: 8000, Channels: 1, Bits: 8, Tag: audiotest.TagALaw}), ErrUnsupportedFormat, "A-law"},
		{"ulaw-ext.wav", encode(audiotest.Spec{Rate: 8000, Channels: 1, Bits: 8, Extensible: true, Tag: audiotest.TagMuLaw}), ErrUnsupportedFormat, "µ-law"},
		{"12bit.wav", patch(34, 12), ErrUnsupportedFormat, "12-bit"},
		{"float16.wav", patch(20, audiotest.TagFloat), ErrUnsupportedFormat, "16-bit float"},
		{"nochan.wav", patch(22, 0), ErrUnsupportedFormat, "0 channels"},
		{"align.wav", patch(32, 3), ErrUnsupportedFormat, "block align"},
		{"aiff.aif", []byte("FORM\x00\x00\x00\x00AIFFCOMM"), ErrNotWAV, "AIFF"},
	}
	for _, tt := range tests {
		path := filepath.Join(dir, tt.name)
		if err := os.WriteFile(path, tt.content, 0o644); err != nil {
			t.Fatal(err)
		}
		r, err := OpenWAV(path)
		if err == nil {
			r.Close()
			t.Errorf("%s: no error", tt.name)
			continue
		}
		if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.name) || !strings.Contains(err.Error(), tt.says) {
			t.Errorf("%s: error %q; want %v naming the file and saying %q", tt.name, err, tt.want, tt.says)
		}
		t.Log(err)
	}
	if _, err := OpenWAV(dir); !errors.Is(err, ErrNotWAV) {
		t.Errorf("directory: %v, want ErrNotWAV", err)
	}
	if _, err := OpenWAV(filepath.Join(dir, "missing.wav")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v, want os.ErrNotExist", err)
	}
}

func TestReadAfterClose(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.wav")
	audiotest.WriteMono(t, path, audiotest.Spec{Rate: 16000, Channels: 1, Bits: 16}, audiotest.Ramp(10))
	r, err := OpenWAV(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Read(make([]float32, 4)); !errors.Is(err, os.ErrClosed) {
		t.Errorf("Read after Close: %v, want os.ErrClosed", err)
	}
	if err := r.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}
