//go:build !cgo

package audio

import "time"

// OutputDevices lists the audio outputs; without cgo it always fails.
func OutputDevices() ([]Device, error) { return nil, errNoPortAudio }

type paOutput struct {
	sink    *outSink
	rate    int
	latency time.Duration
}

func openOutput(string, int, func(rate, channels int) *outSink) (*paOutput, Device, error) {
	return nil, Device{}, errNoPortAudio
}

func (s *paOutput) start() error           { return errNoPortAudio }
func (s *paOutput) stop()                  {}
func (s *paOutput) abort()                 {}
func (s *paOutput) active() (bool, string) { return false, "no PortAudio" }
func (s *paOutput) close() error           { return nil }
