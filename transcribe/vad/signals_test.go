package vad

import (
	"math"
	"math/rand/v2"

	"github.com/sidenote-app/sidenote/transcribe"
	"github.com/sidenote-app/sidenote/transcribe/transcribetest"
)

// Generated test audio. Everything is seeded, so every run sees the same
// samples; levels are RMS in dBFS.

const sr = transcribe.SampleRate

func sec(s float64) int64 { return int64(math.Round(s * sr)) }

func dbAmp(db float64) float64 { return math.Pow(10, db/20) }

// part is one sound placed in a scene.
type part struct {
	kind     partKind
	at, dur  float64 // seconds
	db       float64 // RMS level (dBFS) while sounding
	toDB     float64 // noise ramp: level at the end
	freq     float64 // sine
	gap      float64 // speech: silence between syllables (s); default 50 ms
	sampleAt int64   // click: absolute sample
}

type partKind int

const (
	sine     partKind = iota // steady tone
	noisy                    // noise burst (fricative-like)
	speech                   // syllables: harmonic buzz, 200 ms on, 50 ms off
	click                    // a single full-scale sample
	noiseBed                 // background noise, optionally ramping (toDB)
)

// scene renders parts mixed over n samples.
func scene(seed uint64, total float64, parts ...part) []float32 {
	n := sec(total)
	x := make([]float64, n)
	rng := rand.New(rand.NewPCG(seed, 1))
	for _, p := range parts {
		a, b := sec(p.at), min(sec(p.at+p.dur), n)
		switch p.kind {
		case noiseBed:
			if p.dur == 0 {
				a, b = 0, n
			}
			for i := a; i < b; i++ {
				db := p.db
				if p.toDB != 0 {
					db += (p.toDB - p.db) * float64(i-a) / float64(b-a)
				}
				x[i] += rng.NormFloat64() * dbAmp(db)
			}
		case sine:
			amp := dbAmp(p.db) * math.Sqrt2
			for i := a; i < b; i++ {
				x[i] += amp * math.Sin(2*math.Pi*p.freq*float64(i-a)/sr)
			}
		case noisy:
			for i := a; i < b; i++ {
				x[i] += rng.NormFloat64() * dbAmp(p.db)
			}
		case speech:
			transcribetest.AddSpeech(x[a:b], rng, p.db, p.gap)
		case click:
			x[p.sampleAt] = 1
		}
	}
	out := make([]float32, n)
	for i, v := range x {
		out[i] = float32(v)
	}
	return out
}

// repeatNoise returns a fixed second of noise at db, for streams too long
// to generate sample by sample.
func repeatNoise(seed uint64, db float64) []float32 {
	rng := rand.New(rand.NewPCG(seed, 2))
	out := make([]float32, sr)
	for i := range out {
		out[i] = float32(rng.NormFloat64() * dbAmp(db))
	}
	return out
}
