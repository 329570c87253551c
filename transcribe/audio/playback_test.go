package audio

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sidenote-app/sidenote/transcribe/audio/audiotest"
)

// The output devices the playback tests add to the ALSA configuration
// TestMain wrote, each writing what it plays to a raw file: ALSA's file
// plugin in front of the null device.
var outputs = struct {
	once  sync.Once
	files map[string]string
	err   error
}{files: map[string]string{"speakers": "speakers.raw", "headphones": "headphones.raw"}}

// playbackDevice makes sure the output devices exist and returns the raw
// file name plays into. The devices go in a configuration file of their
// own, appended to ALSA_CONFIG_PATH: alsa-lib rereads its configuration
// when the list of files changes, and PortAudio lists devices afresh at
// the next Initialize, which comes when no other test holds it.
func playbackDevice(t testing.TB, name string) string {
	t.Helper()
	needALSA(t)
	outputs.once.Do(func() {
		var conf strings.Builder
		for dev, file := range outputs.files {
			outputs.files[dev] = filepath.Join(alsaDir, file)
			conf.WriteString("pcm." + dev + " { type file slave.pcm \"null\" file \"" + outputs.files[dev] + "\" format \"raw\" }\n")
		}
		path := filepath.Join(alsaDir, "asound-playback.conf")
		if outputs.err = os.WriteFile(path, []byte(conf.String()), 0o600); outputs.err != nil {
			return
		}
		os.Setenv("ALSA_CONFIG_PATH", os.Getenv("ALSA_CONFIG_PATH")+":"+path)
	})
	if outputs.err != nil {
		t.Fatal(outputs.err)
	}
	return outputs.files[name]
}

// readRaw decodes the float32 samples the file plugin wrote.
func readRaw(t testing.TB, path string) []float32 {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	x := make([]float32, len(b)/4)
	for i := range x {
		x[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return x
}

// speech writes a 16 kHz 16-bit recording of n samples none of which is
// zero, so silence in the output is never mistaken for audio; it returns
// the samples as WAVReader reads them.
func speech(t testing.TB, n int, seed uint64) (string, []float32) {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 2))
	x := make([]float32, n)
	for i := range x {
		v := 0.05 + 0.3*r.Float64()
		if r.IntN(2) == 0 {
			v = -v
		}
		x[i] = float32(v)
	}
	path := filepath.Join(t.TempDir(), "rec.wav")
	audiotest.WriteMono(t, path, audiotest.Spec{Rate: 16000, Channels: 1, Bits: 16}, x)
	got, _, err := ReadWAV16k(path)
	if err != nil {
		t.Fatal(err)
	}
	return path, got
}

// ends collects OnEnd's reports.
type ends chan error

func (e ends) wait(t testing.TB) error {
	t.Helper()
	select {
	case err := <-e:
		return err
	case <-time.After(time.Minute): // a hang, not a timing assertion
		t.Fatal("playback never ended")
		return nil
	}
}

func openPlayer(t testing.TB, path string, cfg PlaybackConfig) (*Player, ends) {
	t.Helper()
	e := make(ends, 4)
	cfg.OnEnd = func(err error) { e <- err }
	p, err := OpenPlayback(path, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p, e
}

// leadingSilence is the index of the first non-zero sample.
func leadingSilence(x []float32) int {
	for i, v := range x {
		if v != 0 {
			return i
		}
	}
	return len(x)
}

func nonZero(x []float32) []float32 {
	var out []float32
	for _, v := range x {
		if v != 0 {
			out = append(out, v)
		}
	}
	return out
}

func sameBits(t testing.TB, what string, got, want []float32) {
	t.Helper()
	if len(got) < len(want) {
		t.Fatalf("%s: %d samples, want %d", what, len(got), len(want))
	}
	for i, v := range want {
		if math.Float32bits(got[i]) != math.Float32bits(v) {
			t.Fatalf("%s: sample %d = %g, want %g", what, i, got[i], v)
		}
	}
}

// Seek to 1.5 s and play the 2 s to the end: the device gets exactly
// those samples, after whatever silence PortAudio primes with, and then
// only silence. At 48 kHz they are the package's resampler's output.
// Played again after the end, the recording starts from the beginning.
//
// The null device behind the file plugin takes audio as fast as it is
// given (3 s of audio plays in about 10 ms here, and in that time the
// callback writes some 30 s of silence after it), so the whole excerpt is
// queued before the stream starts (Buffer 5 s) and no underrun can
// interrupt it.
func TestPlaybackFromSeekIsBitExact(t *testing.T) {
	out := playbackDevice(t, "speakers")
	path, rec := speech(t, 56000, 1) // 3.5 s
	for _, rate := range []int{16000, 48000} {
		t.Run(fmt.Sprint(rate), func(t *testing.T) {
			p, ended := openPlayer(t, path, PlaybackConfig{Device: "speakers", SampleRate: rate, Buffer: 5 * time.Second})
			if p.SampleRate() != rate || p.Channels() != 1 || p.Duration() != 3500*time.Millisecond {
				t.Fatalf("opened at %d Hz, %d ch, %v long", p.SampleRate(), p.Channels(), p.Duration())
			}
			if err := p.Seek(1500 * time.Millisecond); err != nil {
				t.Fatal(err)
			}
			if got := p.Position(); got != 1500*time.Millisecond {
				t.Errorf("Position after Seek = %v", got)
			}
			start := time.Now()
			if err := p.Play(); err != nil {
				t.Fatal(err)
			}
			if err := ended.wait(t); err != nil {
				t.Fatal(err)
			}
			took := time.Since(start)
			if got := p.Position(); got != p.Duration() || p.Playing() {
				t.Errorf("after the end: Position %v, Playing %v; want %v, false", got, p.Playing(), p.Duration())
			}
			if err := p.Play(); err != nil { // again, from the start
				t.Fatal(err)
			}
			if err := ended.wait(t); err != nil {
				t.Fatal(err)
			}
			if err := p.Close(); err != nil {
				t.Fatal(err)
			}
			if p.Underruns() != 0 {
				t.Errorf("%d underruns", p.Underruns())
			}

			want := rec[24000:]
			if rate != OutputRate {
				rs, _ := NewResampler(OutputRate, rate)
				want = rs.Flush(rs.Process(want, nil))
			}
			got := readRaw(t, out)
			lead := leadingSilence(got)
			sameBits(t, "from 1.5 s", got[lead:], want)
			again := lead + len(want) + leadingSilence(got[lead+len(want):])
			if rate == OutputRate {
				sameBits(t, "played again", got[again:], rec)
			} else if nz := len(nonZero(got[lead+len(want) : again])); nz != 0 {
				t.Errorf("%d non-zero samples between the end and the replay", nz)
			}
			t.Logf("%d samples of leading silence, then %d exact; the 2 s excerpt played in %v; %d samples written in all",
				lead, len(want), took.Round(time.Millisecond), len(got))
		})
	}
}

// Seeking backwards plays exactly the recording from the new place: after
// the end (the reader at its last sample), and twice while paused, forward
// then back, before anything is read. Each excerpt is played to the end,
// so the device gets each one whole, after silence.
func TestPlaybackSeekBackIsBitExact(t *testing.T) {
	out := playbackDevice(t, "speakers")
	path, rec := speech(t, 56000, 7) // 3.5 s
	for _, rate := range []int{16000, 48000} {
		t.Run(fmt.Sprint(rate), func(t *testing.T) {
			p, ended := openPlayer(t, path, PlaybackConfig{Device: "speakers", SampleRate: rate, Buffer: 5 * time.Second})
			var from []int
			for _, seeks := range [][]time.Duration{
				{3 * time.Second}, // forward, then to the end
				{time.Second},     // back from the end
				{2750 * time.Millisecond, 250 * time.Millisecond}, // forward and back, paused
			} {
				for _, d := range seeks {
					if err := p.Seek(d); err != nil {
						t.Fatal(err)
					}
					if got := p.Position(); got != d {
						t.Fatalf("Position after Seek(%v) = %v", d, got)
					}
				}
				if err := p.Play(); err != nil {
					t.Fatal(err)
				}
				if err := ended.wait(t); err != nil {
					t.Fatal(err)
				}
				from = append(from, int(durToSamples(seeks[len(seeks)-1])))
			}
			if err := p.Close(); err != nil {
				t.Fatal(err)
			}
			if p.Underruns() != 0 {
				t.Errorf("%d underruns", p.Underruns())
			}
			got := readRaw(t, out)
			at := 0
			for _, f := range from {
				want := rec[f:]
				if rate != OutputRate {
					rs, _ := NewResampler(OutputRate, rate)
					want = rs.Flush(rs.Process(want, nil))
				}
				at += leadingSilence(got[at:])
				sameBits(t, fmt.Sprintf("from %v", time.Duration(f)*time.Second/OutputRate), got[at:], want)
				at += len(want)
			}
			if nz := len(nonZero(got[at:])); nz != 0 {
				t.Errorf("%d non-zero samples after the last excerpt", nz)
			}
		})
	}
}

// waitPosition polls until the player is at least at d.
func waitPosition(t testing.TB, p *Player, d time.Duration) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); p.Position() < d; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) || !p.Playing() {
			t.Fatalf("position stuck at %v (playing %v, %v)", p.Position(), p.Playing(), p.Err())
		}
	}
}

// With a small buffer the device, which here takes audio as fast as it can,
// empties the ring long before the player's next 10 ms refill: each time
// it plays silence and counts an underrun. The audio between the gaps is
// still the recording, in order, nothing lost or repeated.
func TestPlaybackUnderrunsAreCounted(t *testing.T) {
	out := playbackDevice(t, "headphones")
	path, rec := speech(t, 8000, 2)
	p, ended := openPlayer(t, path, PlaybackConfig{Device: "headphones", Buffer: 50 * time.Millisecond})
	playsAll(t, p, ended, out, "between the gaps", rec)
	if p.Underruns() == 0 {
		t.Error("no underruns counted")
	}
	t.Logf("%d underruns for %d refills of 50 ms", p.Underruns(), len(rec)/800)
}

// Pause stops the stream: the file stops growing and the position stays;
// Play goes on from the same sample.
func TestPlaybackPauseStopsOutput(t *testing.T) {
	out := playbackDevice(t, "speakers")
	path, rec := speech(t, 16000, 3)
	var mu sync.Mutex
	var reports []time.Duration
	p, ended := openPlayer(t, path, PlaybackConfig{Device: "speakers", Buffer: 100 * time.Millisecond, OnPosition: func(d time.Duration) {
		mu.Lock()
		reports = append(reports, d)
		mu.Unlock()
	}})
	if err := p.Play(); err != nil {
		t.Fatal(err)
	}
	waitPosition(t, p, 400*time.Millisecond)
	if err := p.Pause(); err != nil {
		t.Fatal(err)
	}
	pos := p.Position()
	st1, _ := os.Stat(out)
	time.Sleep(100 * time.Millisecond) // would be megabytes of silence if the stream ran
	st2, _ := os.Stat(out)
	if st2.Size() != st1.Size() || p.Position() != pos || p.Playing() {
		t.Errorf("paused: file %d → %d bytes, position %v → %v, playing %v", st1.Size(), st2.Size(), pos, p.Position(), p.Playing())
	}
	playsAll(t, p, ended, out, "across the pause", rec)
	mu.Lock()
	defer mu.Unlock()
	if len(reports) == 0 || reports[len(reports)-1] != p.Duration() {
		t.Errorf("OnPosition reports %v; want the last at %v", reports, p.Duration())
	}
	t.Logf("paused at %v; %d position reports", pos, len(reports))
}

// At 2× a 2 s tone lasts 1 s and keeps its frequency.
func TestPlaybackSpeedKeepsPitch(t *testing.T) {
	out := playbackDevice(t, "speakers")
	path := filepath.Join(t.TempDir(), "tone.wav")
	audiotest.WriteMono(t, path, audiotest.Spec{Rate: 16000, Channels: 1, Bits: 16}, audiotest.Sine(16000, 440, 0.5, 32000))
	p, ended := openPlayer(t, path, PlaybackConfig{Device: "speakers", Buffer: 5 * time.Second})
	if err := p.SetSpeed(2); err != nil {
		t.Fatal(err)
	}
	if err := p.SetSpeed(3.5 * 2); err == nil {
		t.Error("SetSpeed(7) accepted")
	}
	if err := p.Play(); err != nil {
		t.Fatal(err)
	}
	if err := ended.wait(t); err != nil {
		t.Fatal(err)
	}
	p.Close()
	got := readRaw(t, out)
	first, last := -1, -1
	for i, v := range got {
		if math.Abs(float64(v)) > 0.05 {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if n := last - first + 1; math.Abs(float64(n)-16000) > 160 {
		t.Errorf("the tone lasts %d samples, want 16000 ± 1%%", n)
	}
	tone := got[first : last+1]
	on := goertzel(tone, 16000, 440)
	for _, f := range []float64{880, 220, 500} {
		if off := goertzel(tone, 16000, f); off > on/100 {
			t.Errorf("power at %g Hz is %.3g of 440 Hz's", f, off/on)
		}
	}
}

// When the stream stops under it, the player reports ErrDeviceLost once,
// and Play reopens the device and goes on.
func TestPlaybackDeviceLost(t *testing.T) {
	out := playbackDevice(t, "speakers")
	path, rec := speech(t, 20*16000, 4)
	p, ended := openPlayer(t, path, PlaybackConfig{Device: "speakers", Buffer: 20 * time.Millisecond})
	if err := p.Play(); err != nil {
		t.Fatal(err)
	}
	p.do(func() error { p.out.abort(); return nil }) // as ALSA does when the device goes
	err := ended.wait(t)
	if !errors.Is(err, ErrDeviceLost) || !strings.Contains(err.Error(), "speakers") || !errors.Is(p.Err(), ErrDeviceLost) || p.Playing() {
		t.Fatalf("after the stream stopped: %v (Err %v, playing %v); want ErrDeviceLost naming the device", err, p.Err(), p.Playing())
	}
	t.Log(err)
	if err := p.Seek(19 * time.Second); err != nil {
		t.Fatal(err)
	}
	if err := p.Play(); err != nil {
		t.Fatal(err)
	}
	if err := ended.wait(t); err != nil {
		t.Fatalf("after reopening: %v", err)
	}
	p.Close()
	got := nonZero(readRaw(t, out)) // the reopened device truncated the file
	sameBits(t, "after reopening", got, rec[19*16000:])
}

func TestOpenPlaybackErrors(t *testing.T) {
	playbackDevice(t, "speakers")
	dir := t.TempDir()
	text := filepath.Join(dir, "notes.txt")
	os.WriteFile(text, []byte("not audio at all, just some words in a file"), 0o600)
	path, _ := speech(t, 1600, 5)
	for _, tt := range []struct {
		path, device string
		want         error
	}{
		{filepath.Join(dir, "missing.wav"), "", os.ErrNotExist},
		{text, "", ErrNotWAV},
		{path, "HDMI", ErrNoDevice},
	} {
		p, err := OpenPlayback(tt.path, PlaybackConfig{Device: tt.device})
		if err == nil {
			p.Close()
			t.Errorf("%s on %q opened", tt.path, tt.device)
			continue
		}
		if !errors.Is(err, tt.want) {
			t.Errorf("%s on %q: %v, want %v", tt.path, tt.device, err, tt.want)
		}
		t.Log(err)
	}
	if _, err := chooseOutput(nil, ""); !errors.Is(err, ErrNoOutput) {
		t.Errorf("no outputs: %v, want ErrNoOutput", err)
	}
	devs, err := OutputDevices()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, d := range devs {
		names = append(names, d.Name)
	}
	if !strings.Contains(strings.Join(names, ","), "speakers") {
		t.Errorf("outputs %v lack speakers", names)
	}
}

// Close ends the player's goroutine, may repeat, and later calls fail
// with os.ErrClosed.
func TestPlaybackCloseLeaksNothing(t *testing.T) {
	playbackDevice(t, "speakers")
	path, _ := speech(t, 10*16000, 6)
	before := runtime.NumGoroutine()
	p, err := OpenPlayback(path, PlaybackConfig{Device: "speakers", Buffer: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Play(); err != nil {
		t.Fatal(err)
	}
	waitPosition(t, p, 100*time.Millisecond)
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if err := p.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	for _, f := range []func() error{p.Play, p.Pause, func() error { return p.Seek(0) }, func() error { return p.SetSpeed(1) }} {
		if err := f(); !errors.Is(err, os.ErrClosed) {
			t.Errorf("after Close: %v, want os.ErrClosed", err)
		}
	}
	checkNoGoroutineLeft(t, before)
}

// What the callback does per buffer must not allocate.
func TestPlaybackCallbackDoesNotAllocate(t *testing.T) {
	s := &outSink{ring: newRing(4096, 1), channels: 1}
	in := make([]float32, 512)
	buf := make([]float32, 512)
	if n := testing.AllocsPerRun(1000, func() {
		s.ring.write(in)
		s.fill(buf)
		s.fill(buf) // an underrun
	}); n != 0 {
		t.Errorf("%g allocations per callback, want 0", n)
	}
}

// BenchmarkPlaybackCallback times the callback's copy for one second of
// 48 kHz stereo in 512-frame buffers per op (the feeder's write included).
func BenchmarkPlaybackCallback(b *testing.B) {
	const rate, ch, frames = 48000, 2, 512
	s := &outSink{ring: newRing(4*frames, ch), channels: ch}
	s.end.Store(math.MaxUint64)
	in := noise(8, frames*ch)
	buf := make([]float32, frames*ch)
	b.SetBytes(4 * rate * ch)
	b.ReportAllocs()
	for b.Loop() {
		for range rate / frames {
			s.ring.write(in)
			s.fill(buf)
		}
	}
}

// playsAll plays p from where it is to its end and closes it; the
// non-silent samples out received must be want, bit for bit.
func playsAll(t *testing.T, p *Player, ended ends, out, what string, want []float32) {
	t.Helper()
	if err := p.Play(); err != nil {
		t.Fatal(err)
	}
	if err := ended.wait(t); err != nil {
		t.Fatal(err)
	}
	p.Close()
	got := nonZero(readRaw(t, out))
	if len(got) != len(want) {
		t.Fatalf("%d non-silent samples, want %d", len(got), len(want))
	}
	sameBits(t, what, got, want)
}
