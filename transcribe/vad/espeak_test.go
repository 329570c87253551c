package vad

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/sidenote-app/sidenote/transcribe/audio"
)

// readPCM16 decodes a mono 16-bit PCM WAV file such as espeak-ng writes,
// walking the RIFF chunks itself. It returns the samples and their rate.
func readPCM16(path string) ([]float32, int, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, 0, err
	}
	if len(b) < 12 || string(b[:4]) != "RIFF" || string(b[8:12]) != "WAVE" {
		return nil, 0, fmt.Errorf("%s: not a RIFF/WAVE file", path)
	}
	var rate int
	for r := bytes.NewReader(b[12:]); ; {
		var hdr struct {
			ID   [4]byte
			Size uint32
		}
		if err := binary.Read(r, binary.LittleEndian, &hdr); err != nil {
			return nil, 0, fmt.Errorf("%s: no data chunk: %w", path, err)
		}
		body := make([]byte, min(int64(hdr.Size), int64(r.Len())))
		if _, err := r.Read(body); err != nil && len(body) > 0 {
			return nil, 0, err
		}
		switch string(hdr.ID[:]) {
		case "fmt ":
			var f struct {
				Tag, Channels     uint16
				Rate, ByteRate    uint32
				Align, BitsPerSmp uint16
			}
			if err := binary.Read(bytes.NewReader(body), binary.LittleEndian, &f); err != nil {
				return nil, 0, fmt.Errorf("%s: short fmt chunk: %w", path, err)
			}
			if f.Tag != 1 || f.Channels != 1 || f.BitsPerSmp != 16 {
				return nil, 0, fmt.Errorf("%s: want mono 16-bit PCM, got tag %d, %d channels, %d bits", path, f.Tag, f.Channels, f.BitsPerSmp)
			}
			rate = int(f.Rate)
		case "data":
			if rate == 0 {
				return nil, 0, errors.New(path + ": data before fmt")
			}
			out := make([]float32, len(body)/2)
			for i := range out {
				out[i] = float32(int16(binary.LittleEndian.Uint16(body[2*i:]))) / 32768
			}
			return out, rate, nil
		}
		if hdr.Size%2 == 1 {
			r.ReadByte() // RIFF pads odd chunks
		}
	}
}

// soundSpan is where x is louder than -40 dBFS peak: the speech in a
// synthesized sentence, without the silence espeak-ng puts around it.
func soundSpan(x []float32) (first, last int) {
	first, last = -1, -1
	for i, v := range x {
		if math.Abs(float64(v)) > 0.01 {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	return first, last
}

// Real synthesized speech, two sentences 2 s apart, must come out as two
// utterances where the sentences are.
func TestSegmenterOnSynthesizedSpeech(t *testing.T) {
	espeak, err := exec.LookPath("espeak-ng")
	if err != nil {
		t.Skip("espeak-ng is not installed")
	}
	dir := t.TempDir()
	sentences := []string{
		"The quarterly numbers look better than we expected.",
		"Tell me about the last project you shipped.",
	}
	var rate int
	var clips [][]float32
	for i, text := range sentences {
		path := filepath.Join(dir, fmt.Sprintf("s%d.wav", i))
		if out, err := exec.Command(espeak, "-w", path, text).CombinedOutput(); err != nil {
			t.Fatalf("espeak-ng: %v: %s", err, out)
		}
		x, r, err := readPCM16(path)
		if err != nil {
			t.Fatal(err)
		}
		rate = r
		clips = append(clips, x)

		// The package reader must agree with this decoding + its resampler.
		want, _, err := audio.ReadWAV16k(path)
		if err != nil {
			t.Fatal(err)
		}
		got := resampleTo16k(t, x, r)
		if len(got) != len(want) {
			t.Fatalf("sentence %d: %d samples at 16 kHz, the audio package reads %d", i, len(got), len(want))
		}
		for j := range got {
			if math.Abs(float64(got[j]-want[j])) > 1e-6 {
				t.Fatalf("sentence %d sample %d: %g, the audio package reads %g", i, j, got[j], want[j])
			}
		}
	}

	// 0.7 s, sentence, 2 s, sentence, 1 s, at the synthesizer's rate.
	var in []float32
	var speech [][2]float64 // seconds
	gap := func(s float64) { in = append(in, make([]float32, int(s*float64(rate)))...) }
	gap(0.7)
	for i, x := range clips {
		a, b := soundSpan(x)
		speech = append(speech, [2]float64{
			float64(len(in)+a) / float64(rate),
			float64(len(in)+b+1) / float64(rate),
		})
		in = append(in, x...)
		if i == 0 {
			gap(2)
		}
	}
	gap(1)

	// A quiet room under it, as a microphone would hear.
	pcm := resampleTo16k(t, in, rate)
	rng := rand.New(rand.NewPCG(200, 0))
	for i := range pcm {
		pcm[i] += float32(rng.NormFloat64() * dbAmp(-65))
	}

	events := segment(t, SegmenterConfig{}, pcm, 1024)
	checkWellFormed(t, events, DefaultMaxUtterance)
	got := finals(events)
	t.Logf("speech at %.3f–%.3f s and %.3f–%.3f s; utterances %s", speech[0][0], speech[0][1], speech[1][0], speech[1][1], spans(got))
	if len(got) != 2 {
		t.Fatalf("got utterances %s, want 2", spans(got))
	}
	for i, s := range speech {
		start, end := float64(got[i].Start)/sr, float64(got[i].End)/sr
		if start > s[0] || start < s[0]-0.3 {
			t.Errorf("utterance %d starts at %.3f s, want up to 300 ms before the speech at %.3f s", i, start, s[0])
		}
		if end < s[1]-0.05 || end > s[1]+0.55 {
			t.Errorf("utterance %d ends at %.3f s, want within 550 ms after the speech ends at %.3f s", i, end, s[1])
		}
	}
}

func resampleTo16k(t *testing.T, x []float32, rate int) []float32 {
	t.Helper()
	rs, err := audio.NewResampler(rate, sr)
	if err != nil {
		t.Fatal(err)
	}
	return rs.Flush(rs.Process(x, nil))
}
