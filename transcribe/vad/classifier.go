package vad

import "time"

// Classifier gives the probability that windows of a stream hold speech,
// remembering the stream between calls (Silero's LSTM does). whisper.Silero
// is the real one; tests use fakes. One goroutine uses a Classifier.
type Classifier interface {
	// WindowLen is how many 16 kHz samples each probability covers.
	WindowLen() int
	// Classify writes the probability (0..1) of each WindowLen samples of
	// windows to probs; len(windows) == len(probs)*WindowLen. The samples
	// are finite and within [-1, 1].
	Classify(windows, probs []float32) error
	// Reset forgets the stream, for a new one.
	Reset()
}

// Defaults when DetectorConfig.Classifier is set. The thresholds are
// Silero's own (its get_speech_timestamps uses 0.5 and 0.5-0.15); the
// hangover is the silence that ends speech, measured on the scenes of
// scenes_test.go: shorter cuts words at stops ("p", "t"), longer delays
// every final.
const (
	DefaultSpeechOn   = 0.5
	DefaultSpeechOff  = 0.35
	DefaultMinSilence = 100 * time.Millisecond
)
