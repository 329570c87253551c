package audiotest

import (
	"bytes"
	"math"
	"testing"

	"github.com/go-audio/wav"
)

// The writer is checked against an independent decoder, go-audio/wav, so
// that the audio package's tests do not only prove that a reader and a
// writer from the same hand agree. (go-audio returns float samples as raw
// bits, which is what is compared for them.)
func TestEncodeAgreesWithGoAudio(t *testing.T) {
	for _, s := range []Spec{
		{Rate: 44100, Channels: 2, Bits: 16},
		{Rate: 48000, Channels: 2, Bits: 24},
		{Rate: 8000, Channels: 1, Bits: 32},
		{Rate: 22050, Channels: 2, Bits: 8},
		{Rate: 16000, Channels: 2, Bits: 32, Float: true},
	} {
		left, right := Ramp(100), Sine(s.Rate, 1000, 0.9, 100)
		chans := [][]float32{left, right}[:s.Channels]
		b, err := Encode(s, chans)
		if err != nil {
			t.Fatal(err)
		}
		d := wav.NewDecoder(bytes.NewReader(b))
		buf, err := d.FullPCMBuffer()
		if err != nil {
			t.Fatalf("%+v: go-audio: %v", s, err)
		}
		tag := uint16(TagPCM)
		if s.Float {
			tag = TagFloat
		}
		if int(d.SampleRate) != s.Rate || int(d.NumChans) != s.Channels || int(d.BitDepth) != s.Bits || d.WavAudioFormat != tag {
			t.Errorf("%+v: go-audio sees %d Hz, %d ch, %d bits, tag %d", s, d.SampleRate, d.NumChans, d.BitDepth, d.WavAudioFormat)
		}
		if len(buf.Data) != 100*s.Channels {
			t.Fatalf("%+v: go-audio decoded %d samples, want %d", s, len(buf.Data), 100*s.Channels)
		}
		for i, got := range buf.Data {
			v := chans[i%s.Channels][i/s.Channels]
			var want int
			switch {
			case s.Float:
				want = int(int32(math.Float32bits(v)))
			case s.Bits == 8:
				want = int(math.Round(float64(Quantize(s, v))*128)) + 128
			default:
				want = int(math.Round(float64(Quantize(s, v)) * math.Ldexp(1, s.Bits-1)))
			}
			if got != want {
				t.Fatalf("%+v: sample %d: go-audio read %d, want %d", s, i, got, want)
			}
		}
	}
}

func TestEncodeRejectsBadSpecs(t *testing.T) {
	for _, s := range []Spec{
		{Rate: 16000, Channels: 1, Bits: 12},
		{Rate: 16000, Channels: 1, Bits: 16, Float: true},
		{Rate: 0, Channels: 1, Bits: 16},
		{Rate: 16000, Channels: 0, Bits: 16},
	} {
		if _, err := Encode(s, make([][]float32, s.Channels)); err == nil {
			t.Errorf("%+v: no error", s)
		}
	}
	if _, err := Encode(Spec{Rate: 16000, Channels: 2, Bits: 16}, [][]float32{{1}}); err == nil {
		t.Error("one slice for two channels: no error")
	}
}
