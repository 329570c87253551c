package audio

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// ErrNoOutput: the system has no audio output at all. (A named output
// that is not there is ErrNoDevice; a lost one is ErrDeviceLost.)
var ErrNoOutput = errors.New("no audio output found; check that speakers or headphones are connected")

// PlaybackConfig says where and how to play. The zero value plays on the
// default output.
type PlaybackConfig struct {
	// Device is an output name or index, matched as CaptureConfig.Device
	// is; "" is the default output.
	Device string
	// SampleRate forces the stream's rate in Hz. 0 plays at the file's
	// 16 kHz when the device takes it, else at the device's default rate
	// through Resampler.
	SampleRate int
	// Buffer is how much audio is queued for the device ahead of what it
	// plays; 0 is 250 ms. The player refills it every 10 ms, so it only
	// needs to cover a busy moment; a longer one delays nothing (seek,
	// pause and speed changes discard it), it only costs memory.
	Buffer time.Duration
	// OnPosition, when set, gets the position about 20 times a second
	// while playing, and once after each Seek, SetSpeed, Pause and end.
	// OnEnd, when set, is called when playback stops by itself: with nil
	// at the end of the recording, with an error wrapping ErrDeviceLost
	// when the output went away (Play tries to reopen it). Both run on the
	// player's goroutine: they must return quickly and must not call the
	// Player's controls (hand the value to the UI, e.g. with fyne.Do);
	// Position, Duration, Playing, Err, Underruns and the format getters
	// are fine.
	OnPosition func(time.Duration)
	OnEnd      func(error)
}

const (
	defaultPlaybackBuffer = 250 * time.Millisecond
	playbackTick          = 10 * time.Millisecond
	positionEvery         = 5 // ticks: OnPosition at 20 Hz
	feedSamples           = 1024
)

// Player plays a WAV recording on an audio output from any moment, at
// 1×, 1.5× or 2× without changing the pitch.
//
// One goroutine per player decodes the file (WAVReader: 16 kHz mono),
// time-stretches it (Stretcher; 1× is a bit-exact copy), resamples it
// when the device does not take 16 kHz, and keeps a ring of Buffer ahead
// of the device. PortAudio's callback only copies out of that ring; when
// it finds the ring empty before the end it plays silence and counts an
// underrun. The stream runs only while playing: Pause stops it after what
// PortAudio holds has played; Seek and SetSpeed abort it, throw the queued
// audio away and refill from the new place before starting again.
//
// Every method is safe from any goroutine. Close stops the goroutine.
type Player struct {
	cfg   PlaybackConfig
	total int64 // 16 kHz samples in the file

	cmds   chan func()
	quit   chan struct{}
	exited chan struct{}
	once   sync.Once
	err    error // Close's result, set before exited closes

	sink          atomic.Pointer[outSink]
	underrunsPrev atomic.Uint64 // from streams replaced after a loss
	format        atomic.Int64  // rate<<8 | channels, for readers on other goroutines

	mu sync.Mutex // guards m, dev, playing, lost for other goroutines
	m  timeMap
	// dev is the output being played on; playing and lost as the loop
	// last set them.
	dev     Device
	playing bool
	lost    error

	// Loop goroutine only.
	out       *paOutput // nil after a loss until Play reopens
	rate      int
	channels  int
	src       *WAVReader
	st        *Stretcher
	rs        *Resampler // nil at 16 kHz
	buf16     []float32
	stretched []float32
	resampled []float32
	pendBuf   []float32
	pending   []float32 // device samples made but not yet in the ring
	srcEOF    bool
	atEnd     bool
	ticks     int
}

// timeMap maps the ring's read position to the recording: from the last
// seek the ring holds one stretch at one speed, so it is a straight line.
type timeMap struct {
	frame   uint64  // ring frame where the seek's audio starts
	src     int64   // 16 kHz sample at that frame
	ratio   float64 // 16 kHz samples per device frame: speed × 16000 / rate
	speed   float64
	latency uint64 // device frames between the callback and the ear, while the stream runs
}

// outSink is what the output callback reads from. fill runs on
// PortAudio's audio thread: a copy and atomics only.
type outSink struct {
	ring      *ring
	channels  int
	end       atomic.Uint64 // ring position of the end of the recording; MaxUint64 until known
	underruns atomic.Uint64 // callbacks that found the ring short before the end
	silence   atomic.Uint64 // frames of silence those played
}

func (s *outSink) fill(out []float32) {
	n := s.ring.read(out)
	if n < len(out) {
		clear(out[n:])
		if s.ring.r.Load() < s.end.Load() {
			s.underruns.Add(1)
			s.silence.Add(uint64((len(out) - n) / s.channels))
		}
	}
}

// OpenPlayback opens the recording at path and the output cfg names,
// ready to Play from the start. Errors name the file or the device and
// wrap os.ErrNotExist, ErrNotWAV, ErrUnsupportedFormat, ErrEmpty,
// ErrNoOutput, ErrNoDevice, ErrAmbiguousDevice or ErrFormatUnsupported
// where one applies.
func OpenPlayback(path string, cfg PlaybackConfig) (*Player, error) {
	src, err := OpenWAV(path)
	if err != nil {
		return nil, fmt.Errorf("play recording: %w", err)
	}
	p := &Player{
		cfg: cfg, total: src.Len(), src: src,
		cmds: make(chan func()), quit: make(chan struct{}), exited: make(chan struct{}),
		buf16: make([]float32, feedSamples),
	}
	p.st, _ = NewStretcher(OutputRate)
	if err := p.openDevice(); err != nil {
		src.Close()
		return nil, err
	}
	p.setMap(0, false)
	go p.loop()
	return p, nil
}

// openDevice opens the output stream, stopped, and what depends on its
// rate and channels.
func (p *Player) openDevice() error {
	buffer := p.cfg.Buffer
	if buffer <= 0 {
		buffer = defaultPlaybackBuffer
	}
	out, dev, err := openOutput(p.cfg.Device, p.cfg.SampleRate, func(rate, channels int) *outSink {
		s := &outSink{ring: newRing(int(buffer.Seconds()*float64(rate))+1, channels), channels: channels}
		s.end.Store(math.MaxUint64)
		return s
	})
	if err != nil {
		return err
	}
	p.out, p.rate, p.channels = out, out.rate, out.sink.channels
	p.format.Store(int64(p.rate)<<8 | int64(p.channels))
	p.rs = nil
	if p.rate != OutputRate {
		if p.rs, err = NewResampler(OutputRate, p.rate); err != nil {
			out.close()
			return fmt.Errorf("play on %s: %w", dev, err)
		}
	}
	if old := p.sink.Swap(out.sink); old != nil {
		p.underrunsPrev.Add(old.underruns.Load())
	}
	p.mu.Lock()
	p.dev = dev
	p.mu.Unlock()
	return nil
}

// loop owns the stream, the decoder and the ring's producer side.
func (p *Player) loop() {
	defer close(p.exited)
	tick := time.NewTicker(playbackTick)
	defer tick.Stop()
	for {
		var tc <-chan time.Time
		if p.isPlaying() {
			tc = tick.C
		}
		select {
		case f := <-p.cmds:
			f()
		case <-tc:
			p.step()
		case <-p.quit:
			if p.out != nil {
				p.err = p.out.close()
			}
			p.src.Close()
			return
		}
	}
}

// do runs f on the loop goroutine and returns its error.
func (p *Player) do(f func() error) error {
	res := make(chan error, 1)
	select {
	case p.cmds <- func() { res <- f() }:
		return <-res
	case <-p.exited:
		return fmt.Errorf("player: %w", os.ErrClosed)
	}
}

// step refills the ring and notices the end and a lost device.
func (p *Player) step() {
	if err := p.fill(); err != nil {
		p.out.abort()
		p.stopped(p.Position(), false, err)
		return
	}
	s := p.sink.Load()
	if s.ring.r.Load() >= s.end.Load() {
		p.out.stop() // let the device play what it holds
		p.atEnd = true
		p.stopped(time.Duration(p.total)*time.Second/OutputRate, true, nil)
		return
	}
	if active, why := p.out.active(); !active {
		pos := p.Position()
		p.out.close()
		p.out = nil
		p.mu.Lock()
		dev := p.dev
		p.mu.Unlock()
		p.stopped(pos, false, fmt.Errorf("%w: %s stopped playing (%s); reconnect it or choose another output, then Play", ErrDeviceLost, dev, why))
		return
	}
	if p.ticks++; p.ticks%positionEvery == 0 && p.cfg.OnPosition != nil {
		p.cfg.OnPosition(p.Position())
	}
}

// stopped records that the stream no longer plays, at pos, and tells the
// callbacks. After an error the next Play starts again from pos.
func (p *Player) stopped(pos time.Duration, end bool, err error) {
	src := durToSamples(pos)
	if err != nil {
		p.srcEOF = false // refill from pos on the next Play
		p.atEnd = false
		if p.out != nil {
			p.seekTo(src)
		}
	}
	p.mu.Lock()
	p.playing = false
	p.lost = err
	p.m.latency = 0
	if end || err != nil {
		p.m = timeMap{frame: p.sink.Load().ring.r.Load() / uint64(p.channels), src: src, ratio: p.m.ratio, speed: p.m.speed}
	}
	p.mu.Unlock()
	if p.cfg.OnPosition != nil {
		p.cfg.OnPosition(pos)
	}
	if p.cfg.OnEnd != nil {
		p.cfg.OnEnd(err)
	}
}

func (p *Player) isPlaying() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.playing
}

// setMap starts a new stretch of the timeline at the ring's write
// position. Loop goroutine only.
func (p *Player) setMap(src int64, playing bool) {
	s := p.sink.Load()
	m := timeMap{
		frame: s.ring.w.Load() / uint64(p.channels),
		src:   src,
		speed: p.st.Speed(),
	}
	m.ratio = m.speed * OutputRate / float64(p.rate)
	if playing {
		m.latency = uint64(p.out.latency.Seconds() * float64(p.rate))
	}
	p.mu.Lock()
	p.m = m
	p.playing = playing
	p.mu.Unlock()
}

// seekTo discards everything queued and positions the decoder at src (a
// 16 kHz sample). The stream must be stopped: the ring's consumer is then
// idle, so this goroutine may move its read position.
func (p *Player) seekTo(src int64) error {
	src = max(0, min(src, p.total))
	// A file seek, whichever way and however far: the reader rereads only
	// the few frames its resampler needs.
	if err := p.src.SeekTo(src); err != nil {
		return fmt.Errorf("play recording: %w", err)
	}
	p.st.Reset()
	if p.rs != nil {
		p.rs.Reset()
	}
	p.pending, p.srcEOF, p.atEnd = nil, false, false
	s := p.sink.Load()
	s.ring.r.Store(s.ring.w.Load())
	s.end.Store(math.MaxUint64)
	p.setMap(src, false)
	return nil
}

// fill tops the ring up from the decoder. Loop goroutine only.
func (p *Player) fill() error {
	s := p.sink.Load()
	q := s.ring
	for {
		if len(p.pending) > 0 {
			free := uint64(len(q.buf)) - (q.w.Load() - q.r.Load())
			n := min(len(p.pending), int(free)/p.channels*p.channels)
			q.write(p.pending[:n])
			p.pending = p.pending[n:]
			if len(p.pending) > 0 {
				return nil // full
			}
		}
		if p.srcEOF {
			return nil
		}
		n, err := p.src.Read(p.buf16)
		if err != nil && err != io.EOF {
			return fmt.Errorf("play recording: %w", err)
		}
		y := p.st.Process(p.buf16[:n], p.stretched[:0])
		if err == io.EOF {
			y = p.st.Flush(y)
			p.srcEOF = true
		}
		p.stretched = y
		if p.rs != nil {
			z := p.rs.Process(y, p.resampled[:0])
			if p.srcEOF {
				z = p.rs.Flush(z)
			}
			p.resampled, y = z, z
		}
		if p.channels == 1 {
			p.pendBuf = append(p.pendBuf[:0], y...)
		} else {
			p.pendBuf = p.pendBuf[:0]
			for _, v := range y {
				for range p.channels {
					p.pendBuf = append(p.pendBuf, v)
				}
			}
		}
		p.pending = p.pendBuf
		if p.srcEOF {
			s.end.Store(q.w.Load() + uint64(len(p.pending)))
		}
	}
}

// Play starts or resumes playback: from the start after the end, from
// where Seek put it, and after a lost device from where it stopped, on the
// device reopened by name.
func (p *Player) Play() error {
	return p.do(func() error {
		if p.isPlaying() {
			return nil
		}
		if p.out == nil {
			pos := p.Position()
			if err := p.openDevice(); err != nil {
				return err
			}
			if err := p.seekTo(durToSamples(pos)); err != nil {
				return err
			}
		}
		if p.atEnd {
			if err := p.seekTo(0); err != nil {
				return err
			}
		}
		return p.start()
	})
}

// start primes the ring and starts the stream.
func (p *Player) start() error {
	if err := p.fill(); err != nil {
		return err
	}
	p.mu.Lock()
	dev := p.dev
	p.m.latency = uint64(p.out.latency.Seconds() * float64(p.rate))
	p.playing = true
	p.lost = nil
	p.mu.Unlock()
	if err := p.out.start(); err != nil {
		p.mu.Lock()
		p.playing = false
		p.m.latency = 0
		p.mu.Unlock()
		return fmt.Errorf("starting playback on %s: %s", dev, err)
	}
	p.ticks = 0
	return nil
}

// Pause stops playback once the audio PortAudio holds has played (a few
// tens of ms), keeping the place. Pausing a paused player does nothing.
func (p *Player) Pause() error {
	return p.do(func() error {
		if !p.isPlaying() {
			return nil
		}
		p.out.stop()
		p.mu.Lock()
		p.playing = false
		p.m.latency = 0 // a stopped stream has played all it took
		p.mu.Unlock()
		if p.cfg.OnPosition != nil {
			p.cfg.OnPosition(p.Position())
		}
		return nil
	})
}

// Seek moves to d from the start, clamped to [0, Duration]; playback goes
// on from there if it was playing. For ±5 s, Seek(Position() ± 5 s).
func (p *Player) Seek(d time.Duration) error {
	return p.do(func() error { return p.restartAt(durToSamples(d), 0) })
}

// SetSpeed sets the speed: 1, 1.5 or 2 in the UI (any of 0.25–4 works).
// The pitch stays; 1 plays the samples unchanged. The change is heard at
// once, from the current position.
func (p *Player) SetSpeed(speed float64) error {
	if !(speed >= 0.25 && speed <= 4) {
		return fmt.Errorf("playback speed %g: choose 1, 1.5 or 2", speed)
	}
	return p.do(func() error { return p.restartAt(durToSamples(p.Position()), speed) })
}

// restartAt moves to src, at speed when not 0, keeping play or pause.
func (p *Player) restartAt(src int64, speed float64) error {
	playing := p.isPlaying()
	if playing {
		p.out.abort()
		p.mu.Lock()
		p.playing = false
		p.mu.Unlock()
	}
	if speed != 0 && speed != p.st.Speed() {
		p.st.SetSpeed(speed)
	}
	if p.out == nil { // lost: Play reopens and seeks
		p.mu.Lock()
		p.m = timeMap{src: max(0, min(src, p.total)), speed: p.st.Speed(), ratio: p.m.ratio, frame: math.MaxUint64}
		p.mu.Unlock()
		return nil
	}
	if err := p.seekTo(src); err != nil {
		return err
	}
	if p.cfg.OnPosition != nil {
		p.cfg.OnPosition(p.Position())
	}
	if playing {
		return p.start()
	}
	return nil
}

// Position is the moment of the recording being heard. While playing it
// is worked out from the frames PortAudio has taken from the ring, less
// the output latency PortAudio reports, mapped back through the speed: it
// is as good as that latency figure (ALSA's is close; Bluetooth sinks can
// be 100–200 ms off) and lags speed changes by nothing, since they
// restart the queue. Stopped, it is exact.
func (p *Player) Position() time.Duration {
	s := p.sink.Load()
	p.mu.Lock()
	m := p.m
	p.mu.Unlock()
	src := m.src
	if m.frame != math.MaxUint64 {
		played := s.ring.r.Load() / uint64(s.channels)
		played -= min(played, m.latency)
		if played > m.frame {
			src += int64(float64(played-m.frame) * m.ratio)
		}
	}
	return time.Duration(max(0, min(src, p.total))) * time.Second / OutputRate
}

// Duration is the length of the recording.
func (p *Player) Duration() time.Duration { return time.Duration(p.total) * time.Second / OutputRate }

// Playing reports whether the player is playing.
func (p *Player) Playing() bool { return p.isPlaying() }

// Err is why playback last stopped by itself (an error wrapping
// ErrDeviceLost), or nil.
func (p *Player) Err() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.lost
}

// Device is the output being played on.
func (p *Player) Device() Device {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.dev
}

// SampleRate and Channels are the stream's format.
func (p *Player) SampleRate() int { return int(p.format.Load() >> 8) }
func (p *Player) Channels() int   { return int(p.format.Load() & 0xff) }

// Underruns counts the times the device asked for audio before the
// player had queued it, and so played silence. Anything above zero was
// heard as a gap.
func (p *Player) Underruns() int64 {
	return int64(p.underrunsPrev.Load() + p.sink.Load().underruns.Load())
}

// Close stops playback and the player's goroutine and releases the device
// and the file. It may be called more than once.
func (p *Player) Close() error {
	p.once.Do(func() { close(p.quit) })
	<-p.exited
	return p.err
}

func durToSamples(d time.Duration) int64 {
	return int64(math.Round(d.Seconds() * OutputRate))
}

// chooseOutput picks the output name names among devs.
func chooseOutput(devs []Device, name string) (Device, error) {
	if len(devs) == 0 {
		return Device{}, ErrNoOutput
	}
	d, err := chooseDevice(devs, name)
	if errors.Is(err, ErrNoDevice) {
		return d, fmt.Errorf("%w: no audio output is called %q; outputs are %s", ErrNoDevice, name, listDevices(devs))
	}
	return d, err
}
