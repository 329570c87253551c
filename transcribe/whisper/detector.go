package whisper

import (
	"fmt"
	"io"

	"github.com/sidenote-app/sidenote/transcribe"
	"github.com/sidenote-app/sidenote/transcribe/vad"
	"github.com/sidenote-app/sidenote/transcribe/whisper/silero"
)

// SpeechDetector is the voice detector every live input and `sidenote vad`
// use: Silero through whisper.cpp when its model is there and loads, else
// the energy detector, said once on warn (a missing or damaged model is
// never a crash). The model is validated and loaded once here so that a
// bad file is found before the interview starts, not per input. name is
// "silero" or "energy".
func SpeechDetector(warn io.Writer) (newSegmenter func(transcribe.SegmenterOptions) (transcribe.Segmenter, error), name string) {
	path, err := silero.Find()
	if err == nil {
		var s *Silero
		if s, err = OpenSilero(path); err == nil {
			s.Close()
			return vad.ForSession(SileroConfig(path)), "silero"
		}
	}
	fmt.Fprintf(warn, "sidenote: voice detection falls back to the energy detector, which takes typing and noise for speech: %v\n", err)
	return vad.ForSession(vad.SegmenterConfig{}), "energy"
}

// SileroConfig is the live pipeline's Silero tuning: the package defaults
// (0.5 on, 0.35 off, 250 ms of speech, 100 ms of silence to end, 250 ms
// pre-roll, 100 ms post-roll), one whisper.cpp state per input.
func SileroConfig(path string) vad.SegmenterConfig {
	return vad.SegmenterConfig{NewClassifier: func() (vad.Classifier, error) {
		return OpenSilero(path)
	}}
}
