package audio

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/sidenote-app/sidenote/transcribe/audio/audiotest"
)

// alsaDir holds the ALSA configuration TestMain points libasound at, and
// the raw files its capture devices read. PortAudio reads the
// configuration once, so it is set for the whole test binary before
// anything initializes PortAudio; each test writes the raw files it needs
// before opening a capture (the file plugin opens its infile when the
// device is opened).
var alsaDir string

// The capture devices TestMain defines, and the raw file each reads.
var alsaDevices = map[string]string{"default": "default.raw", "headset_mic": "headset.raw", "call_monitor": "monitor.raw"}

func TestMain(m *testing.M) {
	os.Setenv("JACK_NO_START_SERVER", "1")
	// Without ALSA, alsaDir stays "" and the capture tests skip themselves.
	os.Exit(audiotest.RunWithFileDevices(m, alsaDevices, &alsaDir))
}

func needALSA(t testing.TB) {
	t.Helper()
	if alsaDir == "" {
		t.Skip("no ALSA here: capture is tested through ALSA's file plugin")
	}
	if _, err := Devices(); errors.Is(err, errNoPortAudio) {
		t.Skip(err)
	}
}

// feed makes device read interleaved as float32 little-endian, the
// format the capture opens the stream in.
func feed(t testing.TB, device string, interleaved []float32) {
	t.Helper()
	b := make([]byte, 4*len(interleaved))
	for i, v := range interleaved {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(v))
	}
	if err := os.WriteFile(filepath.Join(alsaDir, alsaDevices[device]), b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// noise is reproducible audio whose every sample differs, so a dropped,
// repeated or altered sample shows.
func noise(seed uint64, n int) []float32 {
	r := rand.New(rand.NewPCG(seed, 1))
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(0.3*math.Sin(float64(i)*0.05) + 0.2*(r.Float64()*2-1))
	}
	return x
}

// recording collects what a capture delivers: the raw tap and Read's output.
type recording struct {
	mu  sync.Mutex
	raw []float32
}

func (r *recording) tap(p []float32) {
	r.mu.Lock()
	r.raw = append(r.raw, p...)
	r.mu.Unlock()
}

func (r *recording) len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.raw)
}

// readUntil reads until done says stop, returning the 16 kHz output.
func readUntil(t testing.TB, c *Capture, done func(out []float32) bool) []float32 {
	t.Helper()
	var out []float32
	buf := make([]float32, 1000)
	for !done(out) {
		n, err := c.Read(buf)
		if err != nil {
			t.Fatalf("Read after %d samples: %v", len(out), err)
		}
		out = append(out, buf[:n]...)
	}
	return out
}

func TestDevicesListsInputs(t *testing.T) {
	needALSA(t)
	devs, err := Devices()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]Device{}
	for _, d := range devs {
		seen[d.Name] = d
		t.Logf("%s: %d ch, %g Hz, default %v", d, d.MaxInputChannels, d.DefaultSampleRate, d.Default)
	}
	for name := range alsaDevices {
		d, ok := seen[name]
		if !ok {
			t.Errorf("%q not listed", name)
			continue
		}
		if d.HostAPI != "ALSA" || d.MaxInputChannels < 2 || d.DefaultSampleRate <= 0 || d.Default != (name == "default") {
			t.Errorf("%q listed as %+v", name, d)
		}
	}
}

// Samples must arrive exactly as the device delivered them, at the device
// rate, and Read's 16 kHz must be the package's resampler applied to the
// channel average.
func TestCaptureIsBitExact(t *testing.T) {
	needALSA(t)
	for _, tt := range []struct {
		rate, channels, wantRate, wantChannels int
	}{
		{0, 0, 44100, 1}, // the device's defaults
		{48000, 2, 48000, 2},
		{16000, 1, 16000, 1},
		{8000, 3, 8000, 3},
	} {
		t.Run(fmt.Sprintf("%dHz-%dch", tt.wantRate, tt.wantChannels), func(t *testing.T) {
			frames := tt.wantRate / 2
			in := noise(uint64(tt.wantRate), frames*tt.wantChannels)
			feed(t, "default", in)
			rec := &recording{}
			c, err := OpenCapture(CaptureConfig{SampleRate: tt.rate, Channels: tt.channels, RawTap: rec.tap})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if c.SampleRate() != tt.wantRate || c.Channels() != tt.wantChannels || !c.Device().Default {
				t.Fatalf("opened %s at %d Hz, %d ch; want the default at %d Hz, %d ch", c.Device(), c.SampleRate(), c.Channels(), tt.wantRate, tt.wantChannels)
			}

			mono := make([]float32, frames)
			downmix(mono, in, tt.wantChannels)
			rs, _ := NewResampler(tt.wantRate, OutputRate)
			want := rs.Process(mono, nil) // only outputs that depend on in alone
			got := readUntil(t, c, func(out []float32) bool { return len(out) >= len(want) && rec.len() >= len(in) })

			for i, v := range in {
				if math.Float32bits(rec.raw[i]) != math.Float32bits(v) {
					t.Fatalf("raw sample %d (frame %d) = %g, want %g", i, i/tt.wantChannels, rec.raw[i], v)
				}
			}
			for i, v := range want {
				if math.Float32bits(got[i]) != math.Float32bits(v) {
					t.Fatalf("16 kHz sample %d = %g, want %g", i, got[i], v)
				}
			}
			if c.Offset() != int64(len(got)) {
				t.Errorf("Offset %d after reading %d", c.Offset(), len(got))
			}
			t.Logf("%d raw frames and %d 16 kHz samples exact; %d frames dropped while the test checked", frames, len(want), c.Overflows())
		})
	}
}

// The microphone and the call's audio at once, each from its own device.
func TestTwoCapturesAtOnce(t *testing.T) {
	needALSA(t)
	mic, call := noise(1, 22050), noise(2, 22050)
	feed(t, "headset_mic", mic)
	feed(t, "call_monitor", call)
	var recs [2]recording
	var caps [2]*Capture
	for i, name := range []string{"HEADSET", "call_monitor"} { // a case-blind part, and an exact name
		c, err := OpenCapture(CaptureConfig{Device: name, RawTap: recs[i].tap})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		caps[i] = c
	}
	for i, want := range [][]float32{mic, call} {
		readUntil(t, caps[i], func([]float32) bool { return recs[i].len() >= len(want) })
		for j, v := range want {
			if recs[i].raw[j] != v {
				t.Fatalf("%s: sample %d = %g, want %g", caps[i].Device(), j, recs[i].raw[j], v)
			}
		}
	}
}

func TestOpenCaptureErrors(t *testing.T) {
	needALSA(t)
	devs, err := Devices()
	if err != nil {
		t.Fatal(err)
	}
	monitor := -1
	for _, d := range devs {
		if d.Name == "call_monitor" {
			monitor = d.Index
		}
	}
	tests := []struct {
		cfg  CaptureConfig
		want error
		says []string
	}{
		{CaptureConfig{Device: "USB Microphone"}, ErrNoDevice, []string{`"USB Microphone"`, `"headset_mic"`, `"call_monitor"`, `"default"`}},
		{CaptureConfig{Device: "_"}, ErrAmbiguousDevice, []string{`"headset_mic"`, `"call_monitor"`, "full name or the index"}},
		{CaptureConfig{Device: "99"}, ErrNoDevice, []string{"index 99", `"default"`}},
		{CaptureConfig{Channels: 1000}, ErrFormatUnsupported, []string{`"default"`, "1000 channel"}},
		{CaptureConfig{SampleRate: 1}, ErrFormatUnsupported, []string{"1 Hz"}},
	}
	for _, tt := range tests {
		c, err := OpenCapture(tt.cfg)
		if err == nil {
			c.Close()
			t.Errorf("%+v: opened %s", tt.cfg, c.Device())
			continue
		}
		if !errors.Is(err, tt.want) {
			t.Errorf("%+v: %v; want %v", tt.cfg, err, tt.want)
		}
		for _, s := range tt.says {
			if !strings.Contains(err.Error(), s) {
				t.Errorf("%+v: %q does not say %s", tt.cfg, err, s)
			}
		}
		t.Log(err)
	}
	c, err := OpenCapture(CaptureConfig{Device: strconv.Itoa(monitor)})
	if err != nil {
		t.Fatal(err)
	}
	if c.Device().Name != "call_monitor" {
		t.Errorf("device %d opened %s", monitor, c.Device())
	}
	c.Close()
}

func TestChooseDevice(t *testing.T) {
	devs := []Device{
		{Index: 0, Name: "Built-in Microphone"},
		{Index: 1, Name: "default", Default: true},
		{Index: 2, Name: "default (2)"},
		{Index: 3, Name: "7"},
		{Index: 7, Name: "USB Headset Mic"},
	}
	for _, tt := range []struct {
		name string
		want int // index, or -1 for an error
	}{
		{"", 1},
		{"default", 1},         // exact beats a part of "default (2)"
		{"DEFAULT (2)", 2},     // a part, ignoring case
		{"7", 3},               // a name before an index
		{"2", 2},               // an index
		{"mic", -1},            // two devices
		{"headset", 7},         // one device
		{"Built-in Mic ", -1},  // no device
		{"built-in mic", 0},    // case-blind
		{"usb headset mic", 7}, // whole name, other case
		{"USB Headset Mic", 7}, // exact
		{"microphone", 0},      // a part
		{"Mic", -1},            // ambiguous
		{"headset mic", 7},     // a part
		{"USB Headset Micro", -1},
	} {
		d, err := chooseDevice(devs, tt.name)
		if tt.want < 0 {
			if err == nil {
				t.Errorf("%q: chose %s, want an error", tt.name, d)
			}
			continue
		}
		if err != nil || d.Index != tt.want {
			t.Errorf("%q: chose %s (%v), want #%d", tt.name, d, err, tt.want)
		}
	}
	if _, err := chooseDevice(devs[2:], ""); err != nil {
		t.Errorf("no default marked: %v; want the first device", err)
	}
	_, err := chooseDevice(nil, "")
	if !errors.Is(err, ErrNoMicrophone) || !strings.Contains(err.Error(), "no microphone found; check that one is connected and allowed") {
		t.Errorf("no devices: %v", err)
	}
}

// With a tiny buffer and a reader that does not read, frames are dropped
// and counted; what is kept is the unbroken start of the input, and every
// frame the device delivered is either read or counted.
func TestCaptureOverflowIsCounted(t *testing.T) {
	needALSA(t)
	ramp := make([]float32, 44100)
	for i := range ramp {
		ramp[i] = float32(i) // exact in float32
	}
	feed(t, "default", ramp)
	rec := &recording{}
	c, err := OpenCapture(CaptureConfig{Buffer: 5 * time.Millisecond, RawTap: rec.tap})
	if err != nil {
		t.Fatal(err)
	}
	capacity := c.sink.Load().ring.capacityFrames()
	for c.Overflows() == 0 {
		time.Sleep(time.Millisecond) // the file plugin delivers as fast as it can
	}
	readUntil(t, c, func([]float32) bool { return rec.len() >= capacity })
	for i := range capacity {
		if rec.raw[i] != float32(i) {
			t.Fatalf("kept frame %d = %g, want %d: the buffered audio is not continuous", i, rec.raw[i], i)
		}
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	buf := make([]float32, 1000)
	for {
		if _, err := c.Read(buf); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
	}
	delivered := int64(c.sink.Load().frames.Load())
	if read := int64(rec.len()); read+c.Overflows() != delivered {
		t.Errorf("read %d + dropped %d != delivered %d", read, c.Overflows(), delivered)
	}
	t.Logf("ring of %d frames: %d delivered, %d read, %d dropped", capacity, delivered, rec.len(), c.Overflows())
}

// Close from another goroutine ends a Read that is waiting for audio.
func TestCloseEndsBlockedRead(t *testing.T) {
	c := &Capture{done: make(chan struct{}), wake: time.NewTimer(time.Hour)}
	c.sink.Store(&sink{ring: newRing(16, 1), channels: 1})
	c.rs, _ = NewResampler(16000, OutputRate)
	c.raw = make([]float32, 16)
	res := make(chan error)
	go func() {
		_, err := c.Read(make([]float32, 10))
		res <- err
	}()
	time.Sleep(20 * time.Millisecond) // let it block: the result does not depend on it
	c.Close()
	if err := <-res; err != io.EOF {
		t.Errorf("Read returned %v, want io.EOF", err)
	}
}

// The same through PortAudio: Close while another goroutine reads.
func TestCloseWhileReading(t *testing.T) {
	needALSA(t)
	feed(t, "default", noise(3, 4410))
	before := runtime.NumGoroutine()
	c, err := OpenCapture(CaptureConfig{})
	if err != nil {
		t.Fatal(err)
	}
	res := make(chan error)
	var read int
	go func() {
		buf := make([]float32, 256)
		for {
			n, err := c.Read(buf)
			read += n
			if err != nil {
				res <- err
				return
			}
		}
	}()
	for c.sink.Load().frames.Load() < 44100 {
		time.Sleep(time.Millisecond)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-res; err != io.EOF {
		t.Errorf("Read returned %v, want io.EOF", err)
	}
	if err := c.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	t.Logf("read %d samples before io.EOF", read)
	checkNoGoroutineLeft(t, before)
}

// checkNoGoroutineLeft waits for goroutines that are finishing to go, then
// fails if more are running than before.
func checkNoGoroutineLeft(t *testing.T, before int) {
	t.Helper()
	for range 200 {
		if runtime.NumGoroutine() <= before {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	buf := make([]byte, 1<<16)
	t.Errorf("%d goroutines, %d before:\n%s", runtime.NumGoroutine(), before, buf[:runtime.Stack(buf, true)])
}

// A device that stops mid-stream: Read reports ErrDeviceLost after the
// audio it had, and Reopen brings the stream back.
func TestDeviceLostAndReopen(t *testing.T) {
	needALSA(t)
	in := noise(4, 8000)
	feed(t, "headset_mic", in)
	before := runtime.NumGoroutine()
	rec := &recording{}
	c, err := OpenCapture(CaptureConfig{Device: "headset_mic", SampleRate: 16000, RawTap: rec.tap})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	readUntil(t, c, func(out []float32) bool { return len(out) > 1000 })

	c.mu.Lock()
	c.stream.abort() // as the ALSA backend does when the device goes away
	c.mu.Unlock()
	buf := make([]float32, 1000)
	var err2 error
	for err2 == nil {
		_, err2 = c.Read(buf)
	}
	if !errors.Is(err2, ErrDeviceLost) || !strings.Contains(err2.Error(), "headset_mic") || !strings.Contains(err2.Error(), "Reopen") {
		t.Fatalf("after the stream stopped: %v; want ErrDeviceLost naming the device", err2)
	}
	t.Log(err2)
	if _, err := c.Read(buf); !errors.Is(err, ErrDeviceLost) {
		t.Errorf("second Read after loss: %v, want ErrDeviceLost again", err)
	}

	rec.mu.Lock()
	rec.raw = nil
	rec.mu.Unlock()
	if err := c.Reopen(); err != nil {
		t.Fatal(err)
	}
	readUntil(t, c, func([]float32) bool { return rec.len() >= len(in) })
	for i, v := range in {
		if rec.raw[i] != v {
			t.Fatalf("after Reopen, sample %d = %g, want %g", i, rec.raw[i], v)
		}
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if err := c.Reopen(); !errors.Is(err, os.ErrClosed) {
		t.Errorf("Reopen after Close: %v, want os.ErrClosed", err)
	}
	checkNoGoroutineLeft(t, before)
}

// BenchmarkCapture runs 10 s of 48 kHz stereo through PortAudio and the
// file plugin, the ring, the downmix and the resampler per op. The file
// plugin delivers as fast as it can, so this is the throughput of the
// whole path; cpu-ms/audio-s is the process CPU time (all threads,
// PortAudio's included) per second of audio.
func BenchmarkCapture(b *testing.B) {
	needALSA(b)
	const rate, ch, seconds = 48000, 2, 10
	feed(b, "default", noise(5, rate*ch*seconds))
	buf := make([]float32, 4096)
	var cpu time.Duration
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		c, err := OpenCapture(CaptureConfig{SampleRate: rate, Channels: ch, Buffer: (seconds + 1) * time.Second})
		if err != nil {
			b.Fatal(err)
		}
		start := cpuTime()
		b.StartTimer()
		for got := 0; got < seconds*OutputRate; {
			n, err := c.Read(buf)
			if err != nil {
				b.Fatal(err)
			}
			got += n
		}
		b.StopTimer()
		cpu += cpuTime() - start
		c.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*seconds), "ns/audio-s")
	b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N*seconds), "cpu-ms/audio-s")
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// What the callback does per buffer must not allocate.
func TestDeliverDoesNotAllocate(t *testing.T) {
	s := &sink{ring: newRing(4800, 2), channels: 2}
	buf := make([]float32, 960)
	out := make([]float32, 4096)
	if n := testing.AllocsPerRun(1000, func() {
		s.deliver(buf, true)
		s.ring.read(out)
	}); n != 0 {
		t.Errorf("%g allocations per callback, want 0", n)
	}
}

// A float device can send NaN, infinities and values past full scale.
// Read must never pass one on (one NaN in the resampler's history, the VAD's
// noise floor or whisper's spectrogram spoils everything after it), must
// count each, and must leave the good samples exactly as they were.
func TestCaptureSanitizesInvalidSamples(t *testing.T) {
	needALSA(t)
	bad := map[string]float32{
		"NaN": float32(math.NaN()), "+Inf": float32(math.Inf(1)), "-Inf": float32(math.Inf(-1)), "out of range": 3.5,
	}
	const rate = 16000
	for name, v := range bad {
		for _, where := range []struct {
			name string
			at   int
		}{{"start", 0}, {"middle", rate / 4}, {"end", rate/2 - 1}} {
			t.Run(name+"/"+where.name, func(t *testing.T) {
				in := noise(7, rate/2)
				in[where.at] = v
				// Silence after it: past its end the file plugin repeats stale data.
				in = append(in, make([]float32, rate)...)
				feed(t, "default", in)
				c, err := OpenCapture(CaptureConfig{SampleRate: rate, Channels: 1})
				if err != nil {
					t.Fatal(err)
				}
				defer c.Close()
				want := append([]float32(nil), in...)
				Sanitize(want)
				rs, _ := NewResampler(rate, OutputRate)
				want = rs.Process(want, nil)
				got := readUntil(t, c, func(out []float32) bool { return len(out) >= len(want) })
				for i, w := range want {
					if math.Float32bits(got[i]) != math.Float32bits(w) {
						t.Fatalf("sample %d = %g, want %g", i, got[i], w)
					}
				}
				if n := c.InvalidSamples(); n != 1 {
					t.Errorf("InvalidSamples = %d, want 1", n)
				}
			})
		}
	}
}
