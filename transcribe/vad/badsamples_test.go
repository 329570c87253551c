package vad

import (
	"fmt"
	"math"
	"testing"
)

// One bad sample must not end detection. Before the fix, a single NaN made
// the noise floor NaN (max(NaN, x) is NaN in Go) and no utterance was ever
// found again: six utterances of speech with one NaN at 18 ms gave none.
// Each kind of bad value goes at the very start of the stream, at the
// start, middle and end of an utterance; the utterances found must be
// those of the clean audio, and every sample handed out must be valid.
func TestBadSamplesDoNotPoisonTheSegmenter(t *testing.T) {
	var parts []part
	parts = append(parts, part{kind: noiseBed, db: -60})
	for i := range 6 {
		parts = append(parts, part{kind: speech, at: 1 + 3*float64(i), dur: 1.5, db: -25})
	}
	clean := scene(31, 20, parts...)
	want := finals(segment(t, SegmenterConfig{}, clean, 480))
	if len(want) != 6 {
		t.Fatalf("clean audio: %d utterances (%s), want 6", len(want), spans(want))
	}
	bad := map[string]float32{
		"NaN": float32(math.NaN()), "+Inf": float32(math.Inf(1)), "-Inf": float32(math.Inf(-1)),
		"+8 full scale": 8, "-max float": -math.MaxFloat32,
	}
	where := map[string]int64{
		"18 ms":                        sec(0.018),
		"speech start":                 sec(4),
		"speech middle":                sec(4.75),
		"speech end":                   sec(5.49),
		"every 100 ms of an utterance": -1,
	}
	for kind, v := range bad {
		for at, off := range where {
			t.Run(fmt.Sprintf("%s at %s", kind, at), func(t *testing.T) {
				x := append([]float32(nil), clean...)
				if off >= 0 {
					x[off] = v
				} else {
					for i := sec(10.05); i < sec(11.45); i += sec(0.1) {
						x[i] = v
					}
				}
				evs := segment(t, SegmenterConfig{}, x, 480)
				got := finals(evs)
				if len(got) != len(want) {
					t.Fatalf("%d utterances (%s), want %d (%s)", len(got), spans(got), len(want), spans(want))
				}
				for i := range got {
					// A full-scale sample may start or end an utterance a
					// frame or two differently; NaN (silence) hardly at all.
					if d := max(abs64(got[i].Start-want[i].Start), abs64(got[i].End-want[i].End)); d > sec(0.1) {
						t.Errorf("utterance %d at %s, want %s", i, spans(got[i:i+1]), spans(want[i:i+1]))
					}
				}
				for _, e := range evs {
					for j, s := range e.Utterance.Samples {
						if !(s >= -1 && s <= 1) {
							t.Fatalf("%s utterance at %d hands out sample %d = %v", e.Kind, e.Utterance.Start, j, s)
						}
					}
				}
			})
		}
	}
}

// The detector on its own: levels stay finite and the floor recovers.
func TestBadSamplesKeepLevelsFinite(t *testing.T) {
	d := newDetector(t, DetectorConfig{})
	x := scene(32, 3, part{kind: noiseBed, db: -50}, part{kind: speech, at: 1, dur: 1, db: -25})
	x[5] = float32(math.NaN())
	x[sec(1.5)] = float32(math.Inf(1))
	for _, f := range d.Process(x, nil) {
		for _, v := range []float64{f.RMS, f.Peak, f.Floor} {
			if math.IsNaN(v) || math.IsInf(v, 0) || v > 0 {
				t.Fatalf("frame at %d: RMS %v, peak %v, floor %v", f.Start, f.RMS, f.Peak, f.Floor)
			}
		}
	}
}

func abs64(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}
