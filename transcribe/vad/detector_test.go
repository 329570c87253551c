package vad

import (
	"math"
	"strings"
	"testing"
	"time"
)

func newDetector(t testing.TB, cfg DetectorConfig) *Detector {
	t.Helper()
	d, err := NewDetector(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestDetectorLevels(t *testing.T) {
	tests := []struct {
		name          string
		audio         []float32
		rms, peak     float64
		tolRMS, tolPk float64
	}{
		{"sine -20 dBFS", scene(1, 1, part{kind: sine, at: 0, dur: 1, db: -20, freq: 1000}), -20, -20 + 3.01, 0.05, 0.05},
		{"sine -3 dBFS is full scale", scene(1, 1, part{kind: sine, at: 0, dur: 1, db: -3.0103, freq: 500}), -3.01, 0, 0.05, 0.05},
		{"digital silence", make([]float32, sr), SilenceDB, SilenceDB, 0, 0},
		{"noise -50 dBFS", scene(2, 1, part{kind: noiseBed, db: -50}), -50, -50 + 10, 2, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newDetector(t, DetectorConfig{})
			frames := d.Process(tt.audio, nil)
			if len(frames) != 100 {
				t.Fatalf("got %d frames for 1 s, want 100", len(frames))
			}
			for i, f := range frames {
				if f.Start != int64(i*160) || f.Len != 160 {
					t.Fatalf("frame %d at %d+%d, want %d+160", i, f.Start, f.Len, i*160)
				}
				if math.Abs(f.RMS-tt.rms) > tt.tolRMS || math.Abs(f.Peak-tt.peak) > tt.tolPk {
					t.Fatalf("frame %d: got RMS %.2f peak %.2f dBFS, want %.2f and %.2f", i, f.RMS, f.Peak, tt.rms, tt.peak)
				}
			}
		})
	}
}

// speakingSpans runs audio through a detector and returns the [start, end)
// sample spans where it reported Speaking.
func speakingSpans(t *testing.T, cfg DetectorConfig, audio []float32) [][2]int64 {
	t.Helper()
	d := newDetector(t, cfg)
	var spans [][2]int64
	for _, f := range d.Process(audio, nil) {
		n := len(spans)
		switch {
		case f.Speaking && (n == 0 || spans[n-1][1] != f.Start):
			spans = append(spans, [2]int64{f.Start, f.Start + int64(f.Len)})
		case f.Speaking:
			spans[n-1][1] = f.Start + int64(f.Len)
		}
	}
	return spans
}

func TestDetectorWhatIsNotSpeech(t *testing.T) {
	tests := []struct {
		name  string
		audio []float32
	}{
		{"digital silence", make([]float32, 10*sr)},
		{"noise -60 dBFS", scene(3, 10, part{kind: noiseBed, db: -60})},
		{"noise -40 dBFS", scene(3, 10, part{kind: noiseBed, db: -40})},
		{"click on silence", scene(4, 3, part{kind: click, sampleAt: sec(1.2345)})},
		{"click on noise", scene(4, 3, part{kind: noiseBed, db: -50}, part{kind: click, sampleAt: sec(1.5)})},
		{"20 ms tap", scene(4, 3, part{kind: noiseBed, db: -50}, part{kind: noisy, at: 1, dur: 0.02, db: -10})},
		{"noise rising 20 dB in 40 s", scene(5, 45, part{kind: noiseBed, db: -60, toDB: -40, dur: 40}, part{kind: noiseBed, at: 40, dur: 5, db: -40})},
		{"hum at -60 dBFS on silence", scene(6, 5, part{kind: sine, at: 0, dur: 5, db: -60, freq: 50})},
		{"zeros then noise -40 dBFS", scene(7, 10, part{kind: noiseBed, at: 0.5, dur: 9.5, db: -40})},
		{"noise with a 20 ms dropout", scene(7, 10, part{kind: noiseBed, at: 0, dur: 5, db: -40}, part{kind: noiseBed, at: 5.02, dur: 5, db: -40})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := speakingSpans(t, DetectorConfig{}, tt.audio); len(got) != 0 {
				t.Errorf("got speech at %v, want none", got)
			}
		})
	}
}

func TestDetectorFindsSpeech(t *testing.T) {
	const frame = 160
	hang := int64(DefaultHangover / time.Millisecond * sr / 1000)
	tests := []struct {
		name       string
		audio      []float32
		start, end float64 // where the sound is
		late       int64   // how much later than the onset speech may start
	}{
		{"sine on -60 dBFS", scene(8, 4, part{kind: noiseBed, db: -60}, part{kind: sine, at: 1, dur: 1.5, db: -30, freq: 440}), 1, 2.5, 4 * frame},
		{"noise burst on -50 dBFS", scene(8, 4, part{kind: noiseBed, db: -50}, part{kind: noisy, at: 1.003, dur: 1.5, db: -25}), 1.003, 2.503, 4 * frame},
		{"sine on -40 dBFS", scene(8, 4, part{kind: noiseBed, db: -40}, part{kind: sine, at: 1, dur: 1.5, db: -20, freq: 300}), 1, 2.5, 4 * frame},
		{"speech on -50 dBFS", scene(8, 4, part{kind: noiseBed, db: -50}, part{kind: speech, at: 1, dur: 1.5, db: -25}), 1, 2.45, 4 * frame},
		// Gated call audio: zeros between words. The first sound sets the
		// floor, so the first syllable is lost and speech starts with the
		// second, a syllable (250 ms) later.
		{"speech on digital silence", scene(8, 4, part{kind: speech, at: 1, dur: 1.5, db: -25}), 1, 2.45, sec(0.25) + 4*frame},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := speakingSpans(t, DetectorConfig{}, tt.audio)
			if len(got) != 1 {
				t.Fatalf("got speech at %v, want one span", got)
			}
			// Speaking turns on once the onset is confirmed (3 frames) and
			// off when the hangover runs out.
			on, off := sec(tt.start), sec(tt.end)
			if d := got[0][0] - on; d < 0 || d > tt.late {
				t.Errorf("speaking from %d, want within %d after %d", got[0][0], tt.late, on)
			}
			if d := got[0][1] - off; d < hang-frame || d > hang+2*frame {
				t.Errorf("speaking until %d, want hangover (%d) after %d, ±1 frame", got[0][1], hang, off)
			}
		})
	}
}

func TestDetectorDatesSpeechFromOnset(t *testing.T) {
	audio := scene(9, 3, part{kind: noiseBed, db: -50}, part{kind: sine, at: 1, dur: 1, db: -20, freq: 440})
	d := newDetector(t, DetectorConfig{})
	var began, ended bool
	prev := Frame{}
	for _, f := range d.Process(audio, nil) {
		if f.Speaking && !prev.Speaking {
			began = true
			if f.SpeechStart != sec(1) {
				t.Errorf("speech dated from %d, want %d (the first loud frame)", f.SpeechStart, sec(1))
			}
		}
		if !f.Speaking && prev.Speaking {
			ended = true
			if f.VoicedEnd != sec(2) {
				t.Errorf("last voiced frame ends at %d, want %d", f.VoicedEnd, sec(2))
			}
		}
		prev = f
	}
	if !began || !ended {
		t.Fatalf("began %v, ended %v: want both", began, ended)
	}
}

// A fan that starts up is a step in the floor the detector at first takes
// for speech; the stationarity test must end that within seconds.
func TestDetectorRecoversFromNoiseStep(t *testing.T) {
	audio := scene(10, 40, part{kind: noiseBed, at: 0, dur: 5, db: -60}, part{kind: noiseBed, at: 5, dur: 35, db: -35})
	got := speakingSpans(t, DetectorConfig{}, audio)
	for _, s := range got {
		if s[1] > sec(5+2.5) {
			t.Errorf("still speaking at %.1f s after a noise step at 5 s", float64(s[1])/sr)
		}
	}
	// And the speech that follows, at 15 dB over the new floor, is found.
	audio = append(audio, scene(11, 5, part{kind: noiseBed, db: -35}, part{kind: speech, at: 1, dur: 2, db: -20})...)
	got = speakingSpans(t, DetectorConfig{}, audio)
	if n := len(got); n == 0 || got[n-1][0] < sec(40) {
		t.Errorf("got speech %v, want a span after 41 s", got)
	}
}

func TestDetectorHysteresis(t *testing.T) {
	// A sine that starts 14 dB over the noise then sinks to 9 dB over it
	// stays speech (above the off margin) to its end; one that only ever
	// reaches 9 dB never starts. (The floor sits a little under the noise's
	// mean level, so these clear the 10 and 5 dB margins by a dB or two.)
	floor := -50.0
	stays := scene(12, 6, part{kind: noiseBed, db: floor}, part{kind: sine, at: 1, dur: 0.4, db: floor + 14, freq: 300}, part{kind: sine, at: 1.4, dur: 1.2, db: floor + 9, freq: 300})
	if got := speakingSpans(t, DetectorConfig{}, stays); len(got) != 1 || got[0][1] < sec(2.6) {
		t.Errorf("got %v, want one span to at least 2.6 s", got)
	}
	never := scene(12, 6, part{kind: noiseBed, db: floor}, part{kind: sine, at: 1, dur: 1.5, db: floor + 7, freq: 300})
	if got := speakingSpans(t, DetectorConfig{}, never); len(got) != 0 {
		t.Errorf("got %v, want no speech under the on margin", got)
	}
}

func TestDetectorChunkingDoesNotMatter(t *testing.T) {
	audio := scene(13, 5, part{kind: noiseBed, db: -50}, part{kind: speech, at: 1, dur: 2, db: -20})
	whole := newDetector(t, DetectorConfig{}).Process(audio, nil)
	for _, chunk := range []int{1, 7, 159, 161, 4000} {
		d := newDetector(t, DetectorConfig{})
		var got []Frame
		for i := 0; i < len(audio); i += chunk {
			got = d.Process(audio[i:min(i+chunk, len(audio))], got)
		}
		if len(got) != len(whole) {
			t.Fatalf("chunk %d: got %d frames, want %d", chunk, len(got), len(whole))
		}
		for i := range got {
			if got[i] != whole[i] {
				t.Fatalf("chunk %d: frame %d is %+v, want %+v", chunk, i, got[i], whole[i])
			}
		}
	}
}

func TestDetectorConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		cfg  DetectorConfig
		want string
	}{
		{"off over on", DetectorConfig{OnMargin: 3, OffMargin: 6}, "margins"},
		{"positive min level", DetectorConfig{MinLevel: 3}, "minimum level"},
		{"huge frame", DetectorConfig{Frame: time.Second}, "frame"},
		{"negative hangover", DetectorConfig{Hangover: -time.Millisecond}, "hangover"},
		{"falling floor", DetectorConfig{FloorRise: -1}, "floor rise"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewDetector(tt.cfg)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error about %q", err, tt.want)
			}
		})
	}
}
