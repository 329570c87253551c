//go:build cgo

package audio

/*
#cgo pkg-config: portaudio-2.0
#include <stdint.h>
#include <string.h>
#include <portaudio.h>

extern void sidenotePlaybackCallback(uintptr_t handle, void *output, unsigned long frames);

// The output callback hands the buffer to Go and keeps the stream running:
// at the end of the audio Go fills it with silence, and the player stops
// the stream from its own goroutine.
static int sidenote_playback_cb(const void *in, void *out, unsigned long frames,
		const PaStreamCallbackTimeInfo *time, PaStreamCallbackFlags flags, void *user) {
	sidenotePlaybackCallback((uintptr_t)user, out, frames);
	return paContinue;
}

static PaError sidenote_out_supported(int device, int channels, double rate) {
	PaStreamParameters p = {device, channels, paFloat32, 0, NULL};
	return Pa_IsFormatSupported(NULL, &p, rate);
}

static PaError sidenote_open_output(PaStream **s, int device, int channels, double latency, double rate, uintptr_t handle) {
	PaStreamParameters p = {device, channels, paFloat32, latency, NULL};
	return Pa_OpenStream(s, NULL, &p, rate, paFramesPerBufferUnspecified, paClipOff | paPrimeOutputBuffersUsingStreamCallback,
		sidenote_playback_cb, (void *)handle);
}

static double sidenote_output_latency(PaStream *s) {
	const PaStreamInfo *info = Pa_GetStreamInfo(s);
	return info == NULL ? 0 : info->outputLatency;
}
*/
import "C"

import (
	"errors"
	"fmt"
	"math"
	"runtime/cgo"
	"time"
	"unsafe"

	"github.com/gordonklaus/portaudio"
)

// OutputDevices lists the audio outputs. Errors wrap ErrNoOutput when
// there are none. Device.MaxInputChannels is 0 for an output-only device.
func OutputDevices() ([]Device, error) {
	pa.Lock()
	defer pa.Unlock()
	if err := acquirePortAudio(); err != nil {
		return nil, err
	}
	defer releasePortAudio()
	devs, _, err := outputDevices()
	if err == nil && len(devs) == 0 {
		err = ErrNoOutput
	}
	return devs, err
}

// outputDevices lists the outputs and their channel counts; pa must be
// locked and acquired.
func outputDevices() ([]Device, map[int]int, error) {
	return scanDevices(portaudio.DefaultOutputDevice, func(d *portaudio.DeviceInfo) (int, time.Duration) {
		return d.MaxOutputChannels, d.DefaultHighOutputLatency
	})
}

// paOutput is one open PortAudio output stream, stopped or started.
type paOutput struct {
	paHandle
	sink    *outSink
	rate    int
	latency time.Duration // PortAudio's estimate of how long a sample takes to be heard
}

// openOutput opens (without starting) a float32 stream on the output name
// names: at 16 kHz when the device takes it, else at its default rate (or
// at rate when not 0); mono when it can, else stereo. newSink makes the
// ring for the rate and channels chosen.
func openOutput(name string, rate int, newSink func(rate, channels int) *outSink) (_ *paOutput, _ Device, _ error) {
	pa.Lock()
	defer pa.Unlock()
	if err := acquirePortAudio(); err != nil {
		return nil, Device{}, err
	}
	ok := false
	defer func() {
		if !ok {
			releasePortAudio()
		}
	}()
	devs, chans, err := outputDevices()
	if err != nil {
		return nil, Device{}, err
	}
	dev, err := chooseOutput(devs, name)
	if err != nil {
		return nil, Device{}, err
	}
	supported := func(ch, r int) bool {
		return C.sidenote_out_supported(C.int(dev.Index), C.int(ch), C.double(r)) == C.paNoError
	}
	rates := []int{OutputRate, int(math.Round(dev.DefaultSampleRate)), 48000, 44100}
	if rate > 0 {
		rates = []int{rate}
	}
	channels, chosen := 0, 0
	for _, r := range rates {
		for _, ch := range []int{1, 2} {
			if r > 0 && ch <= chans[dev.Index] && supported(ch, r) {
				channels, chosen = ch, r
				break
			}
		}
		if chosen != 0 {
			break
		}
	}
	if chosen == 0 {
		return nil, dev, fmt.Errorf("play on %s: %w: it takes none of %v Hz as 32-bit float, mono or stereo", dev, ErrFormatUnsupported, rates)
	}
	s := &paOutput{sink: newSink(chosen, channels), rate: chosen}
	s.handle = cgo.NewHandle(s.sink)
	var ptr unsafe.Pointer
	if e := C.sidenote_open_output(&ptr, C.int(dev.Index), C.int(channels), C.double(dev.latency.Seconds()), C.double(chosen), C.uintptr_t(s.handle)); e != C.paNoError {
		s.handle.Delete()
		return nil, dev, fmt.Errorf("opening %s for playback: %s; is another program using it?", dev, errorText(e))
	}
	s.ptr = ptr
	s.latency = time.Duration(float64(C.sidenote_output_latency(s.ptr)) * float64(time.Second))
	ok = true
	return s, dev, nil
}

func (s *paOutput) start() error {
	pa.Lock()
	defer pa.Unlock()
	if e := C.Pa_StartStream(s.ptr); e != C.paNoError {
		return errors.New(errorText(e))
	}
	return nil
}

// stop lets what PortAudio holds play out, then stops the callback
// (abort stops it at once). It does not return while the callback runs.
// An error only says the stream had stopped already.
func (s *paOutput) stop() {
	pa.Lock()
	defer pa.Unlock()
	C.Pa_StopStream(s.ptr)
}

func (s *paOutput) close() error { return s.closeStream("playback") }
