package audio

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/sidenote-app/sidenote/transcribe/audio/audiotest"
)

// goertzel is the power of x at freq Hz, normalised by length.
func goertzel(x []float32, rate int, freq float64) float64 {
	w := 2 * math.Pi * freq / float64(rate)
	c := 2 * math.Cos(w)
	var s1, s2 float64
	for _, v := range x {
		s0 := float64(v) + c*s1 - s2
		s2, s1 = s1, s0
	}
	p := s1*s1 + s2*s2 - c*s1*s2
	return p / float64(len(x)*len(x))
}

// stretchAll runs in through st in uneven chunks, as a feeder would.
func stretchAll(st *Stretcher, in []float32) []float32 {
	var out []float32
	r := rand.New(rand.NewPCG(7, 7))
	for i := 0; i < len(in); {
		n := min(1+r.IntN(3000), len(in)-i)
		out = st.Process(in[i:i+n], out)
		i += n
	}
	return st.Flush(out)
}

func TestStretchAtSpeedOneIsBitExact(t *testing.T) {
	st, err := NewStretcher(OutputRate)
	if err != nil {
		t.Fatal(err)
	}
	in := audiotest.Sine(OutputRate, 440, 0.5, 40000)
	in[123] = float32(math.Inf(1)) // even a value a filter would smear
	got := stretchAll(st, in)
	if len(got) != len(in) {
		t.Fatalf("got %d samples, want %d", len(got), len(in))
	}
	for i := range in {
		if math.Float32bits(got[i]) != math.Float32bits(in[i]) {
			t.Fatalf("sample %d = %g, want %g", i, got[i], in[i])
		}
	}
}

// Faster speech keeps its pitch: a tone stays at its frequency, its length
// shrinks by the speed, and no energy moves to neighbouring pitches.
func TestStretchKeepsPitch(t *testing.T) {
	for _, speed := range []float64{1.5, 2} {
		for _, freq := range []float64{120, 220, 440, 1000} {
			st, _ := NewStretcher(OutputRate)
			if err := st.SetSpeed(speed); err != nil {
				t.Fatal(err)
			}
			in := audiotest.Sine(OutputRate, freq, 0.5, 2*OutputRate)
			got := stretchAll(st, in)
			if want := int(math.Round(float64(len(in)) / speed)); len(got) != want {
				t.Errorf("%g× %g Hz: %d samples out of %d, want %d", speed, freq, len(got), len(in), want)
			}
			mid := got[len(got)/4 : 3*len(got)/4] // away from the edges
			on := goertzel(mid, OutputRate, freq)
			for _, f := range []float64{freq * speed, freq / speed, freq * 1.25, freq * 0.8} {
				if off := goertzel(mid, OutputRate, f); off > on/100 {
					t.Errorf("%g× %g Hz: power at %g Hz is %.3g of the tone's", speed, freq, f, off/on)
				}
			}
			// Amplitude 0.5 keeps power 0.0625 after the 1/N² scaling.
			if on < 0.05 || on > 0.075 {
				t.Errorf("%g× %g Hz: tone power %.4f, want about 0.0625 (no dips where frames join)", speed, freq, on)
			}
		}
	}
}

// A tone that starts 1 s into the input starts 1 s / speed into the output:
// time maps back by arithmetic, as Player.Position assumes.
func TestStretchMapsTime(t *testing.T) {
	in := make([]float32, 3*OutputRate)
	copy(in[OutputRate:], audiotest.Sine(OutputRate, 300, 0.5, OutputRate))
	for _, speed := range []float64{1.5, 2} {
		st, _ := NewStretcher(OutputRate)
		st.SetSpeed(speed)
		got := stretchAll(st, in)
		first := -1
		for i, v := range got {
			if math.Abs(float64(v)) > 0.1 {
				first = i
				break
			}
		}
		want := float64(OutputRate) / speed
		if math.Abs(float64(first)-want) > float64(OutputRate)/50 { // 20 ms
			t.Errorf("%g×: tone starts at sample %d, want about %.0f", speed, first, want)
		}
	}
}

func TestStretchSpeedLimits(t *testing.T) {
	st, _ := NewStretcher(OutputRate)
	for _, s := range []float64{0, -1, 5, math.NaN()} {
		if err := st.SetSpeed(s); err == nil {
			t.Errorf("SetSpeed(%g) accepted", s)
		}
	}
	if _, err := NewStretcher(10); err == nil {
		t.Error("NewStretcher(10) accepted")
	}
}

// BenchmarkStretch15 times one second of 16 kHz speech-like audio at 1.5×
// per op, in 1024-sample chunks as the player feeds it.
func BenchmarkStretch15(b *testing.B) {
	in := noise(9, OutputRate)
	st, _ := NewStretcher(OutputRate)
	st.SetSpeed(1.5)
	out := make([]float32, 0, OutputRate)
	b.SetBytes(4 * OutputRate)
	b.ReportAllocs()
	for b.Loop() {
		out = out[:0]
		for i := 0; i < len(in); i += 1024 {
			out = st.Process(in[i:min(i+1024, len(in))], out)
		}
	}
}
