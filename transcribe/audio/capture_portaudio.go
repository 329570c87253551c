//go:build cgo

package audio

/*
#cgo pkg-config: portaudio-2.0
#include <stdint.h>
#include <portaudio.h>

extern void sidenoteCaptureCallback(uintptr_t handle, void *input, unsigned long frames, unsigned long flags);

// The stream callback hands the buffer to Go and keeps the stream running:
// a capture stops only when Close or the device stops it.
static int sidenote_capture_cb(const void *in, void *out, unsigned long frames,
		const PaStreamCallbackTimeInfo *time, PaStreamCallbackFlags flags, void *user) {
	if (in != NULL) {
		sidenoteCaptureCallback((uintptr_t)user, (void *)in, frames, flags);
	}
	return paContinue;
}

static PaError sidenote_supported(int device, int channels, double rate) {
	PaStreamParameters p = {device, channels, paFloat32, 0, NULL};
	return Pa_IsFormatSupported(&p, NULL, rate);
}

static PaError sidenote_open(PaStream **s, int device, int channels, double latency, double rate, uintptr_t handle) {
	PaStreamParameters p = {device, channels, paFloat32, latency, NULL};
	return Pa_OpenStream(s, &p, NULL, rate, paFramesPerBufferUnspecified, paClipOff,
		sidenote_capture_cb, (void *)handle);
}

static const char *sidenote_error_text(PaError err) {
	if (err == paUnanticipatedHostError) {
		const PaHostErrorInfo *info = Pa_GetLastHostErrorInfo();
		if (info != NULL && info->errorText != NULL && info->errorText[0] != 0) {
			return info->errorText;
		}
	}
	return Pa_GetErrorText(err);
}
*/
import "C"

import (
	"errors"
	"fmt"
	"math"
	"runtime/cgo"
	"sync"
	"time"
	"unsafe"

	"github.com/gordonklaus/portaudio"
)

// pa serialises every PortAudio call: the library is not thread-safe, and
// neither are the binding's cached device lists. Each open stream and each
// Devices call holds one reference; PortAudio nests Initialize/Terminate,
// so it is torn down (and lists devices afresh next time) when the last
// reference goes.
var pa struct {
	sync.Mutex
	refs int
}

// acquirePortAudio takes a reference; pa must be locked.
func acquirePortAudio() error {
	if err := portaudio.Initialize(); err != nil {
		return fmt.Errorf("starting PortAudio: %w", err)
	}
	pa.refs++
	return nil
}

// releasePortAudio drops a reference; pa must be locked.
func releasePortAudio() {
	portaudio.Terminate()
	pa.refs--
}

// Devices lists the audio inputs. Errors wrap ErrNoMicrophone when there
// are none.
func Devices() ([]Device, error) {
	pa.Lock()
	defer pa.Unlock()
	if err := acquirePortAudio(); err != nil {
		return nil, err
	}
	defer releasePortAudio()
	devs, err := inputDevices()
	if err == nil && len(devs) == 0 {
		err = ErrNoMicrophone
	}
	return devs, err
}

// inputDevices lists the inputs; pa must be locked and acquired.
func inputDevices() ([]Device, error) {
	devs, _, err := scanDevices(portaudio.DefaultInputDevice, func(d *portaudio.DeviceInfo) (int, time.Duration) {
		return d.MaxInputChannels, d.DefaultHighInputLatency
	})
	return devs, err
}

// scanDevices lists the devices of one direction: channels gives a
// device's channel count and high latency in that direction (0 channels:
// not that kind of device), and the returned map holds those counts by
// index. pa must be locked and acquired.
func scanDevices(defaultDevice func() (*portaudio.DeviceInfo, error), channels func(*portaudio.DeviceInfo) (int, time.Duration)) ([]Device, map[int]int, error) {
	all, err := portaudio.Devices()
	if err != nil {
		return nil, nil, fmt.Errorf("listing audio devices: %w", err)
	}
	def := -1
	if d, err := defaultDevice(); err == nil {
		def = d.Index
	}
	var devs []Device
	chans := map[int]int{}
	for _, d := range all {
		n, latency := channels(d)
		if n <= 0 {
			continue
		}
		dev := Device{
			Index:             d.Index,
			Name:              d.Name,
			MaxInputChannels:  d.MaxInputChannels,
			DefaultSampleRate: d.DefaultSampleRate,
			Default:           d.Index == def,
			latency:           latency,
		}
		if d.HostApi != nil {
			dev.HostAPI = d.HostApi.Name
		}
		devs = append(devs, dev)
		chans[d.Index] = n
	}
	return devs, chans, nil
}

// paHandle is an open PortAudio stream, input or output, and the handle
// its callback finds its sink by. Capture and playback embed it.
type paHandle struct {
	ptr    unsafe.Pointer // PaStream*
	handle cgo.Handle     // the callback's way back to the sink
}

// paStream is one open, started PortAudio input stream.
type paStream struct {
	paHandle
	sink *sink
}

// openStream finds cfg's device, settles the rate and channel count, and
// starts a stream into the sink newSink makes for them.
func openStream(cfg CaptureConfig, newSink func(rate, channels int) *sink) (_ *paStream, _ Device, rate, channels int, err error) {
	pa.Lock()
	defer pa.Unlock()
	if err := acquirePortAudio(); err != nil {
		return nil, Device{}, 0, 0, err
	}
	defer func() {
		if err != nil {
			releasePortAudio()
		}
	}()
	devs, err := inputDevices()
	if err != nil {
		return nil, Device{}, 0, 0, err
	}
	dev, err := chooseDevice(devs, cfg.Device)
	if err != nil {
		return nil, Device{}, 0, 0, err
	}

	rate = cfg.SampleRate
	if rate == 0 {
		rate = int(math.Round(dev.DefaultSampleRate))
	}
	channels = cfg.Channels
	supported := func(ch int) C.PaError {
		return C.sidenote_supported(C.int(dev.Index), C.int(ch), C.double(rate))
	}
	if channels == 0 {
		channels = 1
		if supported(1) != C.paNoError && dev.MaxInputChannels >= 2 && supported(2) == C.paNoError {
			channels = 2
		}
	}
	if rate <= 0 || channels <= 0 {
		return nil, dev, 0, 0, fmt.Errorf("capture from %s: %w: %d Hz, %d channels", dev, ErrFormatUnsupported, rate, channels)
	}
	if e := supported(channels); e != C.paNoError {
		return nil, dev, 0, 0, fmt.Errorf("capture from %s: %w: it cannot record %d Hz, %d channel(s), 32-bit float (%s); it offers up to %d channels at a default %g Hz",
			dev, ErrFormatUnsupported, rate, channels, errorText(e), dev.MaxInputChannels, dev.DefaultSampleRate)
	}

	s := &paStream{sink: newSink(rate, channels)}
	s.handle = cgo.NewHandle(s.sink)
	var ptr unsafe.Pointer
	if e := C.sidenote_open(&ptr, C.int(dev.Index), C.int(channels), C.double(dev.latency.Seconds()), C.double(rate), C.uintptr_t(s.handle)); e != C.paNoError {
		s.handle.Delete()
		return nil, dev, 0, 0, fmt.Errorf("opening %s for capture: %s; is another program using it?", dev, errorText(e))
	}
	s.ptr = ptr
	if e := C.Pa_StartStream(s.ptr); e != C.paNoError {
		C.Pa_CloseStream(s.ptr)
		s.handle.Delete()
		return nil, dev, 0, 0, fmt.Errorf("starting capture from %s: %s", dev, errorText(e))
	}
	return s, dev, rate, channels, nil
}

// active reports whether the started stream still runs, and why not.
func (s *paHandle) active() (bool, string) {
	pa.Lock()
	defer pa.Unlock()
	switch r := C.Pa_IsStreamActive(s.ptr); {
	case r == 1:
		return true, ""
	case r == 0:
		return false, "the stream stopped"
	default:
		return false, errorText(C.PaError(r))
	}
}

// abort stops the stream at once, leaving it open; it does not return
// while the callback runs. Tests also use it to imitate an unplug.
func (s *paHandle) abort() {
	pa.Lock()
	defer pa.Unlock()
	C.Pa_AbortStream(s.ptr)
}

// closeStream stops and closes the stream and drops its PortAudio
// reference; what names it in the error ("capture", "playback"). Once it
// returns the callback no longer runs.
func (s *paHandle) closeStream(what string) error {
	pa.Lock()
	defer pa.Unlock()
	C.Pa_AbortStream(s.ptr) // an error only says it had stopped already
	var err error
	if e := C.Pa_CloseStream(s.ptr); e != C.paNoError {
		err = errors.New("closing audio " + what + ": " + errorText(e))
	}
	s.handle.Delete()
	releasePortAudio()
	return err
}

func (s *paStream) close() error { return s.closeStream("capture") }

func errorText(e C.PaError) string { return C.GoString(C.sidenote_error_text(e)) }
