package audio

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Errors from Devices, OpenCapture, Capture.Read and Capture.Reopen, wrapped
// with the device name and details; test for them with errors.Is.
var (
	// ErrNoMicrophone: the system has no audio input at all.
	ErrNoMicrophone = errors.New("no microphone found; check that one is connected and allowed")
	// ErrNoDevice: no input device matches the name or index asked for.
	// The message lists the devices there are.
	ErrNoDevice = errors.New("no such audio device")
	// ErrAmbiguousDevice: the name is part of several device names. The
	// message lists them; use a longer part, the full name or the index.
	ErrAmbiguousDevice = errors.New("several audio devices match")
	// ErrFormatUnsupported: the device cannot capture at the rate and
	// channel count asked for.
	ErrFormatUnsupported = errors.New("audio format not supported by the device")
	// ErrDeviceLost: the device stopped delivering audio mid-stream
	// (unplugged, or its driver or sound server went away).
	ErrDeviceLost = errors.New("audio device lost")

	// errNoPortAudio: this binary was built without cgo.
	errNoPortAudio = errors.New("audio capture needs a build with cgo and PortAudio (CGO_ENABLED=1, portaudio19-dev)")
)

// Device is an audio input as PortAudio sees it.
type Device struct {
	Index             int    // PortAudio's device index: valid until the device list changes
	Name              string // as the host API names it, e.g. "default" or "USB Audio: - (hw:1,0)"
	HostAPI           string // "ALSA", "JACK Audio Connection Kit", "Core Audio", ...
	MaxInputChannels  int
	DefaultSampleRate float64
	Default           bool // the system's default input

	latency time.Duration // PortAudio's suggested high input latency
}

func (d Device) String() string { return fmt.Sprintf("%q (#%d, %s)", d.Name, d.Index, d.HostAPI) }

// CaptureConfig says what to open. The zero value opens the default input
// at its default rate, mono.
type CaptureConfig struct {
	// Device is a device name or index: a device whose name is exactly
	// this, else the device with this index when it is a number, else the
	// one device whose name contains it, ignoring case. "" is the
	// default input.
	Device string
	// SampleRate is the rate to capture at, in Hz; 0 is the device's
	// default. Read always delivers 16 kHz.
	SampleRate int
	// Channels to capture; 0 is mono, or stereo for a device that cannot
	// do mono. Read always delivers the channels averaged.
	Channels int
	// Buffer is how much audio the capture holds for a reader that falls
	// behind before it drops frames (counted by Overflows); 0 is 2 s.
	Buffer time.Duration
	// RawTap, when set, sees every block Read takes from the device
	// before downmixing and resampling: interleaved float32 at the device
	// rate and channel count, exactly as PortAudio delivered it. It runs
	// on the reading goroutine and must not keep the slice. For level
	// meters and for tests that check capture is bit-exact.
	RawTap func(interleaved []float32)
}

const (
	defaultBuffer = 2 * time.Second
	// readFrames is how many device frames Read converts at a time.
	readFrames = 4096
	// pollInterval is how often a Read with nothing to return looks for
	// new audio and for a stopped stream. The callback does not wake the
	// reader: every way to do that in Go (a channel send, a mutex and a
	// condition variable) takes a lock inside the real-time callback,
	// while a few ms of polling latency costs the transcript nothing.
	pollInterval = 5 * time.Millisecond
)

// sink is what a stream's callback writes into. Its methods run on
// PortAudio's audio thread: atomics and a copy only.
type sink struct {
	ring           *ring
	channels       int
	frames         atomic.Uint64 // frames the device delivered
	inputOverflows atomic.Uint64 // callbacks PortAudio flagged: the device lost input before we saw it
}

func (s *sink) deliver(interleaved []float32, overflowed bool) {
	if overflowed {
		s.inputOverflows.Add(1)
	}
	s.frames.Add(uint64(len(interleaved) / s.channels))
	s.ring.write(interleaved)
}

// Capture streams audio from one input device as 16 kHz mono float32.
//
// Read, Reopen and Offset belong to one reading goroutine; Close,
// Overflows and the other accessors may be called from any goroutine. Capture starts no
// goroutines of its own: PortAudio's audio thread fills a ring buffer and
// Read empties it.
//
// When the device goes away, Read returns what it had captured and then an
// error wrapping ErrDeviceLost until Reopen succeeds. The caller decides
// how often to try: the live session retries every few seconds, so a
// headset that is plugged back in resumes on its own. The 16 kHz stream
// simply continues after Reopen; the time the device was away is not in it,
// so a clock counted in samples must add the gap.
type Capture struct {
	cfg  CaptureConfig
	done chan struct{} // closed by Close, after the stream has stopped

	mu     sync.Mutex // guards the fields below against Close from another goroutine
	stream *paStream  // nil after loss until Reopen, and after Close
	device Device
	closed bool

	sink        atomic.Pointer[sink]
	droppedPrev atomic.Uint64 // frames dropped by streams Reopen replaced
	invalid     atomic.Int64  // samples Sanitize had to correct
	inOverPrev  atomic.Uint64
	rate        atomic.Int64
	channels    atomic.Int64

	// Reading goroutine only.
	rs      *Resampler
	raw     []float32
	mono    []float32
	out     []float32
	pending []float32
	end     error // io.EOF, or the ErrDeviceLost error until Reopen
	offset  int64
	wake    *time.Timer
}

// OpenCapture opens and starts the input device cfg names. Close it when
// done. Errors wrap ErrNoMicrophone, ErrNoDevice, ErrAmbiguousDevice or
// ErrFormatUnsupported where one applies and say what to do.
func OpenCapture(cfg CaptureConfig) (*Capture, error) {
	c := &Capture{cfg: cfg, done: make(chan struct{})}
	if err := c.start(); err != nil {
		return nil, err
	}
	c.wake = time.NewTimer(time.Hour)
	c.wake.Stop()
	return c, nil
}

// start opens cfg's device and sets up everything that depends on its
// rate and channel count. Called with mu held, or before c is shared.
func (c *Capture) start() error {
	buffer := c.cfg.Buffer
	if buffer <= 0 {
		buffer = defaultBuffer
	}
	st, dev, rate, channels, err := openStream(c.cfg, func(rate, channels int) *sink {
		frames := int(buffer.Seconds() * float64(rate))
		return &sink{ring: newRing(frames, channels), channels: channels}
	})
	if err != nil {
		return err
	}
	if c.rs == nil || c.rate.Load() != int64(rate) {
		c.rs, err = NewResampler(rate, OutputRate)
		if err != nil {
			st.close()
			return fmt.Errorf("capture from %s: %w", dev, err)
		}
	}
	c.raw = make([]float32, readFrames*channels)
	c.mono = make([]float32, readFrames)
	c.stream, c.device = st, dev
	c.rate.Store(int64(rate))
	c.channels.Store(int64(channels))
	c.sink.Store(st.sink)
	return nil
}

// Read fills dst with the next 16 kHz mono samples, waiting until there is
// at least one. It returns what it has without waiting for dst to fill.
// After Close it returns what was captured before, then io.EOF. After the
// device is lost it returns what was captured, then an error wrapping
// ErrDeviceLost until Reopen succeeds.
func (c *Capture) Read(dst []float32) (int, error) {
	if len(dst) == 0 {
		return 0, nil
	}
	for {
		if len(c.pending) > 0 {
			n := copy(dst, c.pending)
			c.pending = c.pending[n:]
			c.offset += int64(n)
			return n, nil
		}
		if c.end != nil {
			return 0, c.end
		}
		if c.convert() {
			continue
		}
		select {
		case <-c.done:
			c.finish(io.EOF)
			continue
		default:
		}
		if err := c.checkStream(); err != nil {
			c.finish(err)
			continue
		}
		c.wake.Reset(pollInterval)
		select {
		case <-c.done:
			c.wake.Stop()
		case <-c.wake.C:
		}
	}
}

// convert moves one block from the ring through the tap, the downmix and
// the resampler into pending; false when the ring was empty.
func (c *Capture) convert() bool {
	s := c.sink.Load()
	n := s.ring.read(c.raw)
	if n == 0 {
		return false
	}
	raw := c.raw[:n]
	if c.cfg.RawTap != nil {
		c.cfg.RawTap(raw)
	}
	// After the tap (which sees exactly what the device sent) and before
	// the downmix and the resampler, whose filter would smear one NaN over
	// its whole history.
	if k := Sanitize(raw); k > 0 {
		c.invalid.Add(int64(k))
	}
	mono := raw
	if s.channels > 1 {
		mono = c.mono[:n/s.channels]
		downmix(mono, raw, s.channels)
	}
	c.out = c.rs.Process(mono, c.out[:0])
	c.pending = c.out
	return true
}

// finish drains what the stopped stream left and the resampler's tail into
// pending, and makes err the next thing Read returns after them.
func (c *Capture) finish(err error) {
	var tail []float32
	for c.convert() {
		tail = append(tail, c.pending...)
	}
	c.pending = c.rs.Flush(tail)
	c.end = err
}

// checkStream reports the stream's loss, once: it closes the stopped stream
// so that nothing writes to the ring any more, and returns the error Read
// should give.
func (c *Capture) checkStream() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stream == nil || c.closed {
		return nil
	}
	active, why := c.stream.active()
	if active {
		return nil
	}
	c.stream.close()
	c.stream = nil
	return fmt.Errorf("%w: %s stopped delivering audio (%s); reconnect it, and capture resumes when Reopen succeeds", ErrDeviceLost, c.device, why)
}

// downmix averages interleaved frames into mono.
func downmix(mono, interleaved []float32, channels int) {
	scale := 1 / float32(channels)
	if channels == 2 {
		for i := range mono {
			mono[i] = (interleaved[2*i] + interleaved[2*i+1]) * scale
		}
		return
	}
	for i := range mono {
		var s float32
		for _, v := range interleaved[i*channels : (i+1)*channels] {
			s += v
		}
		mono[i] = s * scale
	}
}

// Reopen opens the device again after Read reported ErrDeviceLost (or at
// any time, to restart the stream), looking it up by the same name as
// OpenCapture did. Call it from the reading goroutine; on failure, try
// again later. Anything the old stream captured is still returned by Read
// first.
//
// PortAudio lists devices once, when it is initialized: a device plugged
// in again is seen only when no other Capture holds PortAudio open. With
// two captures running, a lost one comes back when it reappears under a
// name PortAudio already listed (the sound server's "default" or "pulse"
// do; a raw ALSA hw device does not) or after the other one closes.
func (c *Capture) Reopen() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return fmt.Errorf("reopen audio capture: %w", os.ErrClosed)
	}
	if c.stream != nil {
		c.stream.close()
		c.stream = nil
	}
	// Keep what the old stream captured, then start afresh.
	old := c.sink.Load()
	if c.end == nil {
		c.finish(nil)
	}
	c.out = nil // pending may still point into it
	if err := c.start(); err != nil {
		if c.end == nil {
			c.end = fmt.Errorf("%w: %s could not be reopened: %v", ErrDeviceLost, c.device, err)
		}
		return err
	}
	c.droppedPrev.Add(old.ring.dropped.Load())
	c.inOverPrev.Add(old.inputOverflows.Load())
	c.end = nil
	return nil
}

// Close stops the stream and releases the device and PortAudio. A Read
// blocked in another goroutine returns. Close may be called more than once.
func (c *Capture) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil
	}
	c.closed = true
	var err error
	if c.stream != nil {
		err = c.stream.close()
		c.stream = nil
	}
	close(c.done)
	return err
}

// Device is the device being captured (as of the last Reopen).
func (c *Capture) Device() Device {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.device
}

// SampleRate is the device rate in Hz; Read delivers 16 kHz regardless.
func (c *Capture) SampleRate() int { return int(c.rate.Load()) }

// Channels is the device channel count; Read delivers mono regardless.
func (c *Capture) Channels() int { return int(c.channels.Load()) }

// Offset is the number of 16 kHz samples Read has returned, which is the
// time of the next one: Offset()/16000 s of captured audio.
func (c *Capture) Offset() int64 { return c.offset }

// Overflows counts the device frames dropped because the reader fell more
// than CaptureConfig.Buffer behind. Anything above zero is audio lost:
// report it.
func (c *Capture) Overflows() int64 {
	return int64(c.droppedPrev.Load() + c.sink.Load().ring.dropped.Load())
}

// InvalidSamples counts the samples the device delivered as NaN, infinite
// or outside [-1, 1]. Read never returns them: NaN becomes silence and the
// rest is clamped to full scale. Anything above zero means the input (its
// driver, or a sound server's float path) is faulty: report it once.
func (c *Capture) InvalidSamples() int64 { return c.invalid.Load() }

// InputOverflows counts the callbacks for which PortAudio reported that
// the device itself lost input before the callback ran (the system was too
// busy to service it); how many frames went is not known.
func (c *Capture) InputOverflows() int64 {
	return int64(c.inOverPrev.Load() + c.sink.Load().inputOverflows.Load())
}

// chooseDevice picks the device name names among devs (see
// CaptureConfig.Device).
func chooseDevice(devs []Device, name string) (Device, error) {
	if len(devs) == 0 {
		return Device{}, ErrNoMicrophone
	}
	if name == "" {
		for _, d := range devs {
			if d.Default {
				return d, nil
			}
		}
		return devs[0], nil
	}
	var exact, partial []Device
	lower := strings.ToLower(name)
	for _, d := range devs {
		if d.Name == name {
			exact = append(exact, d)
		}
		if strings.Contains(strings.ToLower(d.Name), lower) {
			partial = append(partial, d)
		}
	}
	if len(exact) > 0 {
		partial = exact
	} else if i, err := strconv.Atoi(name); err == nil {
		for _, d := range devs {
			if d.Index == i {
				return d, nil
			}
		}
		return Device{}, fmt.Errorf("%w: no input device has index %d; inputs are %s", ErrNoDevice, i, listDevices(devs))
	}
	switch len(partial) {
	case 0:
		return Device{}, fmt.Errorf("%w: none is called %q; inputs are %s", ErrNoDevice, name, listDevices(devs))
	case 1:
		return partial[0], nil
	}
	return Device{}, fmt.Errorf("%w %q: %s; give the full name or the index", ErrAmbiguousDevice, name, listDevices(partial))
}

func listDevices(devs []Device) string {
	s := make([]string, len(devs))
	for i, d := range devs {
		s[i] = d.String()
	}
	return strings.Join(s, ", ")
}
