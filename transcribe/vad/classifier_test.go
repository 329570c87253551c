package vad

import (
	"errors"
	"testing"
)

// scripted is a fake Classifier: the probability of window k is p(k).
type scripted struct {
	p       func(k int) float32
	k       int
	calls   int
	resets  int
	fail    bool
	closed  bool
	samples []float32 // every sample it was given
}

func (s *scripted) WindowLen() int { return 512 }

func (s *scripted) Classify(w, probs []float32) error {
	s.calls++
	s.samples = append(s.samples, w...)
	if s.fail {
		return errors.New("scripted failure")
	}
	for i := range probs {
		probs[i] = s.p(s.k)
		s.k++
	}
	return nil
}

func (s *scripted) Reset()       { s.resets++ }
func (s *scripted) Close() error { s.closed = true; return nil }

const win = 512

// windows turns [from, to) window spans into a probability script.
func windows(p float32, spans ...[2]int) func(int) float32 {
	return func(k int) float32 {
		for _, s := range spans {
			if k >= s[0] && k < s[1] {
				return p
			}
		}
		return 0.05
	}
}

func TestClassifierDecidesSpeech(t *testing.T) {
	// Noise everywhere (so no frame is digital silence); what is speech is
	// only what the script says.
	audio := scene(40, 12, part{kind: noiseBed, db: -30})
	tests := []struct {
		name  string
		p     func(int) float32
		want  string
		calls int
	}{
		// Windows 100-150 are 3.2-4.8 s: 250 ms before, 96 ms (3 windows) after.
		{"one utterance", windows(0.9, [2]int{100, 150}), "[2.950–4.896 s] ", 0},
		// 7 windows = 224 ms < 250 ms minimum speech: dropped.
		{"too short", windows(0.9, [2]int{100, 107}), "", 0},
		// A 2-window dip (64 ms) is shorter than the 100 ms of silence.
		{"dip bridged", windows(0.9, [2]int{100, 130}, [2]int{132, 160}), "[2.950–5.216 s] ", 0},
		// A 4-window dip (128 ms) ends the first; the second's pre-roll stops where it ended.
		{"dip splits", windows(0.9, [2]int{100, 130}, [2]int{134, 160}), "[2.950–4.256 s] [4.256–5.216 s] ", 0},
		// Hysteresis: 0.4 continues speech but cannot start it.
		{"hysteresis", func(k int) float32 {
			switch {
			case k >= 100 && k < 110:
				return 0.6
			case k >= 110 && k < 200:
				return 0.4
			case k >= 250 && k < 300:
				return 0.4
			}
			return 0.05
		}, "[2.950–6.496 s] ", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &scripted{p: tt.p}
			seg := newSegmenter(t, SegmenterConfig{Detector: DetectorConfig{Classifier: c}})
			var evs []Event
			for i := 0; i < len(audio); i += 800 {
				evs = append(evs, seg.Write(audio[i:min(i+800, len(audio))])...)
			}
			evs = append(evs, seg.Flush()...)
			if got := spans(finals(evs)); got != tt.want {
				t.Errorf("utterances %s, want %s", got, tt.want)
			}
			if want := len(audio) / win; c.calls != want {
				t.Errorf("%d classifier calls for %d windows", c.calls, want)
			}
			if err := seg.Close(); err != nil || !c.closed {
				t.Errorf("Close: %v, classifier closed %v", err, c.closed)
			}
		})
	}
}

// Pre-roll (250 ms) and post-roll (the 100 ms of silence) surround the
// windows the classifier called speech.
func TestClassifierKeepsPads(t *testing.T) {
	audio := scene(41, 6, part{kind: noiseBed, db: -30})
	c := &scripted{p: windows(0.9, [2]int{50, 80})}
	seg := newSegmenter(t, SegmenterConfig{Detector: DetectorConfig{Classifier: c}})
	us := finals(append(seg.Write(audio), seg.Flush()...))
	if len(us) != 1 {
		t.Fatalf("utterances %s, want one", spans(us))
	}
	speechStart, speechEnd := int64(50*win), int64(80*win)
	if got := speechStart - us[0].Start; got != sec(0.25) {
		t.Errorf("pre-roll %d samples, want %d", got, sec(0.25))
	}
	if got := us[0].End - speechEnd; got < sec(0.09) || got > sec(0.1) {
		t.Errorf("post-roll %d samples, want about %d", got, sec(0.1))
	}
}

// Digital silence is not sent to the classifier; a failing classifier
// leaves the energy decision in charge, counted; a flush resets its state.
func TestClassifierGateAndFallback(t *testing.T) {
	silence := make([]float32, 16000*2)
	c := &scripted{p: func(int) float32 { return 0.99 }}
	seg := newSegmenter(t, SegmenterConfig{Detector: DetectorConfig{Classifier: c}})
	if us := finals(append(seg.Write(silence), seg.Flush()...)); len(us) != 0 || c.calls != 0 {
		t.Errorf("digital silence: %d utterances, %d classifier calls; want 0, 0", len(us), c.calls)
	}
	if c.resets < 2 { // at creation and at the flush
		t.Errorf("%d resets, want a reset at the start and at each flush", c.resets)
	}

	fail := &scripted{fail: true}
	seg = newSegmenter(t, SegmenterConfig{Detector: DetectorConfig{Classifier: fail}})
	audio := scene(42, 8, part{kind: noiseBed, db: -60}, part{kind: speech, at: 2, dur: 2, db: -25})
	us := finals(append(seg.Write(audio), seg.Flush()...))
	if len(us) != 1 {
		t.Errorf("failing classifier: utterances %s, want the energy detector's one", spans(us))
	}
	if n, err := seg.Detector().ClassifierErrors(); n == 0 || err == nil {
		t.Errorf("ClassifierErrors = %d, %v; want them counted", n, err)
	}
}

func TestClassifierGetsSanitizedSamples(t *testing.T) {
	audio := scene(43, 2, part{kind: noiseBed, db: -30})
	audio[1000] = 1e9
	audio[3000] = float32(-1e30)
	c := &scripted{p: func(int) float32 { return 0.1 }}
	seg := newSegmenter(t, SegmenterConfig{Detector: DetectorConfig{Classifier: c}})
	seg.Write(audio)
	for i, v := range c.samples {
		if !(v >= -1 && v <= 1) {
			t.Fatalf("classifier got sample %d = %v", i, v)
		}
	}
}

func TestNewClassifierPerSegmenter(t *testing.T) {
	made := 0
	cfg := SegmenterConfig{NewClassifier: func() (Classifier, error) {
		made++
		return &scripted{p: func(int) float32 { return 0 }}, nil
	}}
	newSegmenter(t, cfg)
	newSegmenter(t, cfg)
	if made != 2 {
		t.Errorf("%d classifiers for 2 segmenters", made)
	}
	cfg.NewClassifier = func() (Classifier, error) { return nil, errors.New("no model") }
	if _, err := NewSegmenter(cfg); err == nil {
		t.Error("NewSegmenter with a failing NewClassifier: no error")
	}
}
