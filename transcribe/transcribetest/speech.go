package transcribetest

import (
	"math"
	"math/rand/v2"
	"time"

	"github.com/sidenote-app/sidenote/transcribe"
)

// Burst places speech-like sound in a Scene.
type Burst struct {
	At, Dur time.Duration
}

// Scene returns total of near-silence (a -70 dBFS noise bed, so a voice
// activity detector sees a room) with speech-like bursts at -20 dBFS RMS.
// The same seed gives the same samples.
func Scene(seed uint64, total time.Duration, bursts ...Burst) []float32 {
	n := samplesIn(total)
	out := make([]float32, n)
	rng := rand.New(rand.NewPCG(seed, 7))
	bed := math.Pow(10, -70.0/20)
	for i := range out {
		out[i] = float32(rng.NormFloat64() * bed)
	}
	for _, b := range bursts {
		a := min(samplesIn(b.At), n)
		e := min(samplesIn(b.At+b.Dur), n)
		AddSpeech(out[a:e], rng, -20, 0)
	}
	return out
}

// Speech returns d of speech-like sound at db dBFS RMS: syllables of a
// harmonic buzz (110-220 Hz with falling harmonics) 200 ms long with 50 ms
// gaps, each with its own pitch and loudness, as an energy detector sees a
// voice. Steady tones or noise are not enough: a detector takes a sound
// that does not swing in level for noise.
func Speech(seed uint64, d time.Duration, db float64) []float32 {
	out := make([]float32, samplesIn(d))
	AddSpeech(out, rand.New(rand.NewPCG(seed, 8)), db, 0)
	return out
}

// AddSpeech adds Speech's sound to x at db dBFS (the RMS of the loudest
// syllable's steady part, roughly), its 200 ms syllables apart by gap
// seconds of nothing (0 means 50 ms, as stop consonants and word gaps
// give real speech). It sums in float64 whatever x holds.
func AddSpeech[F float32 | float64](x []F, rng *rand.Rand, db, gap float64) {
	const sr = transcribe.SampleRate
	if gap == 0 {
		gap = 0.05
	}
	const on = 0.2 * sr
	syl := int(on + gap*sr)
	// Harmonics 1..6 with amplitude 1/h have an RMS of about 0.89.
	norm := math.Pow(10, db/20) / 0.89 * math.Sqrt2
	var f0, gain float64
	for i := range x {
		j := i % syl
		if j == 0 {
			f0 = 110 + 110*rng.Float64()
			gain = 0.5 + 0.5*rng.Float64()
		}
		if j >= on {
			continue
		}
		env := math.Sin(math.Pi * float64(j) / on)
		t := float64(i) / sr
		var v float64
		for h := 1.0; h <= 6; h++ {
			v += math.Sin(2*math.Pi*f0*h*t) / h
		}
		x[i] += F(norm * gain * env * v)
	}
}

func samplesIn(d time.Duration) int {
	return int(d * transcribe.SampleRate / time.Second)
}
