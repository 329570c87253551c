//go:build !cgo

package audio

// Without cgo there is no PortAudio: the rest of the package (WAV reading,
// resampling, recording) still builds and works.

// Devices lists the audio inputs; without cgo it always fails.
func Devices() ([]Device, error) { return nil, errNoPortAudio }

type paStream struct{ sink *sink }

func openStream(CaptureConfig, func(rate, channels int) *sink) (*paStream, Device, int, int, error) {
	return nil, Device{}, 0, 0, errNoPortAudio
}

func (s *paStream) active() (bool, string) { return false, "no PortAudio" }
func (s *paStream) abort()                 {}
func (s *paStream) close() error           { return nil }
