package audio_test

import (
	"math"
	"testing"

	"github.com/sidenote-app/sidenote/transcribe/audio"
)

func TestSanitize(t *testing.T) {
	nan := float32(math.NaN())
	inf := float32(math.Inf(1))
	in := []float32{0, 0.5, -1, 1, nan, inf, -inf, 1.5, -7, math.MaxFloat32, math.SmallestNonzeroFloat32}
	want := []float32{0, 0.5, -1, 1, 0, 1, -1, 1, -1, 1, math.SmallestNonzeroFloat32}
	got := append([]float32(nil), in...)
	if n := audio.Sanitize(got); n != 6 {
		t.Errorf("Sanitize changed %d samples, want 6", n)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("sample %d (%v): got %v, want %v", i, in[i], got[i], want[i])
		}
	}
}

func BenchmarkSanitize(b *testing.B) {
	buf := make([]float32, 16000)
	for i := range buf {
		buf[i] = float32(math.Sin(float64(i) / 10))
	}
	b.SetBytes(int64(4 * len(buf)))
	for b.Loop() {
		audio.Sanitize(buf)
	}
}
