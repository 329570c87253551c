package audio

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/sidenote-app/sidenote/transcribe/audio/audiotest"
)

// amplitudeAt is the peak amplitude of the freq Hz component of x sampled at
// rate: a single-bin DFT, exact when x holds whole cycles.
func amplitudeAt(x []float32, rate int, freq float64) float64 {
	var re, im float64
	for n, v := range x {
		ph := 2 * math.Pi * freq * float64(n) / float64(rate)
		re += float64(v) * math.Cos(ph)
		im -= float64(v) * math.Sin(ph)
	}
	return 2 * math.Hypot(re, im) / float64(len(x))
}

func rms(x []float32) float64 {
	var s float64
	for _, v := range x {
		s += float64(v) * float64(v)
	}
	return math.Sqrt(s / float64(len(x)))
}

func resampleAll(t testing.TB, in []float32, inRate, outRate int) []float32 {
	t.Helper()
	r, err := NewResampler(inRate, outRate)
	if err != nil {
		t.Fatal(err)
	}
	out := r.Process(in, nil)
	return r.Flush(out)
}

// steady is the part of a 0.75 s output that the stream's start and end do
// not reach: half a second, whole cycles of every test tone.
func steady(out []float32) []float32 { return out[2000:10000] }

func TestResamplePassesToneAtItsFrequency(t *testing.T) {
	tests := []struct {
		in   int
		freq float64
	}{
		{44100, 7000}, {48000, 7000}, {22050, 7000}, {96000, 7000}, {192000, 7000},
		{11025, 5000}, {32000, 7000}, {8000, 3500}, {16000, 7000},
		{44101, 7000}, // coprime with 16000: the interpolated-phase path
		{44100, 1000}, {48000, 100},
	}
	for _, tt := range tests {
		in := audiotest.Sine(tt.in, tt.freq, 1, tt.in*3/4)
		out := steady(resampleAll(t, in, tt.in, 16000))
		amp := amplitudeAt(out, 16000, tt.freq)
		// A pure tone: all the energy is at the bin, none elsewhere.
		rest := math.Sqrt(max(rms(out)*rms(out)-amp*amp/2, 0))
		if math.Abs(amp-1) > 0.01 || rest > 1e-3 {
			t.Errorf("%d Hz → 16 kHz, %g Hz tone: amplitude %.5f (want 1±0.01), energy off the bin %.2g (want < 1e-3)",
				tt.in, tt.freq, amp, rest)
		}
	}
}

func TestResampleAttenuatesAboveNyquist(t *testing.T) {
	tests := []struct {
		in   int
		freq float64 // above 8 kHz: must not fold back into 0–8 kHz
	}{
		{44100, 12000}, {44100, 8300}, {48000, 9000}, {96000, 30000}, {22050, 10000}, {44101, 12000},
	}
	for _, tt := range tests {
		in := audiotest.Sine(tt.in, tt.freq, 1, tt.in*3/4)
		out := steady(resampleAll(t, in, tt.in, 16000))
		// rms of a unit sine is 1/√2; measure everything that is left.
		db := 20 * math.Log10(rms(out)*math.Sqrt2)
		if db > -40 {
			t.Errorf("%d Hz → 16 kHz, %g Hz tone: %.1f dB left, want ≤ -40 dB", tt.in, tt.freq, db)
		} else {
			t.Logf("%d Hz → 16 kHz, %g Hz tone: %.1f dB", tt.in, tt.freq, db)
		}
	}
}

func TestUpsampleSuppressesImages(t *testing.T) {
	// 8 kHz → 16 kHz: a 3 kHz tone must not leave an image at 8-3 = 5 kHz.
	in := audiotest.Sine(8000, 3000, 1, 6000)
	out := steady(resampleAll(t, in, 8000, 16000))
	if amp := amplitudeAt(out, 16000, 5000); amp > 0.01 {
		t.Errorf("image at 5 kHz: amplitude %.4f, want < 0.01 (-40 dB)", amp)
	}
}

func TestResampleChunkedEqualsWhole(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, rates := range [][2]int{{44100, 16000}, {48000, 16000}, {8000, 16000}, {44101, 16000}, {16000, 16000}} {
		in := make([]float32, rates[0]/2)
		for i := range in {
			in[i] = rng.Float32()*2 - 1
		}
		whole := resampleAll(t, in, rates[0], rates[1])

		r, _ := NewResampler(rates[0], rates[1])
		var got []float32
		sizes := []int{1, 7, 0, 333, 2, 4096, 19, 1000}
		for i, k := 0, 0; i < len(in); k++ {
			n := min(sizes[k%len(sizes)], len(in)-i)
			got = r.Process(in[i:i+n], got)
			i += n
		}
		got = r.Flush(got)
		if len(got) != len(whole) {
			t.Fatalf("%v: chunked gave %d samples, whole %d", rates, len(got), len(whole))
		}
		for i := range got {
			if d := math.Abs(float64(got[i] - whole[i])); d > 1e-6 {
				t.Fatalf("%v: sample %d: chunked %g, whole %g", rates, i, got[i], whole[i])
			}
		}
	}
}

func TestResampleOutputLength(t *testing.T) {
	for _, in := range []int{8000, 11025, 16000, 22050, 44100, 48000, 96000, 44101} {
		for _, n := range []int{0, 1, 2, 3, 441, 12345, in} {
			got := len(resampleAll(t, make([]float32, n), in, 16000))
			want := int(math.Ceil(float64(n) * 16000 / float64(in)))
			if got != want {
				t.Errorf("%d Hz, %d samples: %d out, want %d", in, n, got, want)
			}
		}
	}
}

func TestResampleKeepsEventsInTime(t *testing.T) {
	for _, in := range []int{44100, 48000, 22050, 8000, 96000, 11025, 44101} {
		// A click at t = 1.000 s must peak at output sample 16000.
		out := resampleAll(t, audiotest.Click(in*5/4, in), in, 16000)
		peak := 0
		for i, v := range out {
			if math.Abs(float64(v)) > math.Abs(float64(out[peak])) {
				peak = i
			}
		}
		if peak < 15999 || peak > 16001 {
			t.Errorf("%d Hz: click at 1.000 s came out at sample %d (%.4f s), want 16000±1", in, peak, float64(peak)/16000)
		}
	}
}

func TestResampleSameRateIsCopy(t *testing.T) {
	in := audiotest.Ramp(1000)
	out := resampleAll(t, in, 16000, 16000)
	if len(out) != len(in) {
		t.Fatalf("got %d samples, want %d", len(out), len(in))
	}
	for i := range in {
		if out[i] != in[i] {
			t.Fatalf("sample %d: got %g, want %g", i, out[i], in[i])
		}
	}
}

func TestNewResamplerRejectsBadRates(t *testing.T) {
	for _, r := range [][2]int{{0, 16000}, {44100, 0}, {-1, 16000}} {
		if _, err := NewResampler(r[0], r[1]); err == nil {
			t.Errorf("NewResampler(%d, %d): no error", r[0], r[1])
		}
	}
}
