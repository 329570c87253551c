package vad

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/sidenote-app/sidenote/transcribe"
)

// SilenceDB is the level reported for digital silence. Levels are clamped
// here rather than reported as -Inf so that meters and arithmetic stay
// finite; float32 audio has nothing meaningful below it.
const SilenceDB = -120.0

// Frames quieter than digitalSilenceDB are zeros, not a room: a muted or
// noise-gated call, a device starting up, a dropout. They pull the noise
// floor down at most silenceFall dB per second. A dropout of a few frames
// then barely moves it (otherwise the noise after it would look like speech
// until the floor climbed back), while the zeros between words of a gated
// call bring it down within a few pauses.
const (
	digitalSilenceDB = -100.0
	silenceFall      = 100.0
)

// Defaults for DetectorConfig's zero fields.
const (
	DefaultFrame     = 10 * time.Millisecond
	DefaultOnMargin  = 10.0 // dB above the floor to start speech
	DefaultOffMargin = 5.0  // dB above the floor to keep it going
	DefaultMinLevel  = -55.0
	DefaultFloorRise = 1.0 // dB per second
	DefaultOnset     = 30 * time.Millisecond
	DefaultHangover  = 300 * time.Millisecond
)

// A sound that stays within stationaryRange dB for stationaryWindow is not
// speech, whose syllables swing its level by 10-30 dB several times a
// second: it is a fan, a hum or a line that came alive, and the floor jumps
// up to it. Without this, a noise that steps up (a fan starting, a call
// connecting) would be taken for speech until the slow rise caught up,
// which takes tens of seconds. The price: a pure tone
// or a sung note longer than the window stops counting as speech.
const (
	stationaryWindow = 2 * time.Second
	stationaryRange  = 6.0
)

// DetectorConfig tunes a Detector. Zero fields take the defaults above, so
// the zero value is a working configuration.
type DetectorConfig struct {
	// Frame is the analysis window; levels and decisions come once per
	// frame. 10 ms resolves the gaps between words; default DefaultFrame.
	Frame time.Duration
	// OnMargin is how far (dB) above the noise floor a frame must be to
	// start speech; OffMargin, smaller, how far it must stay to continue it.
	// The gap between them is the hysteresis that keeps a level near the
	// threshold from flickering. Defaults 10 and 5 dB.
	OnMargin, OffMargin float64
	// MinLevel (dBFS, negative) is the quietest frame that can be speech
	// whatever the floor, so that near-digital silence (a muted call, a
	// good interface in a quiet room) is silence. Default -55 dBFS.
	MinLevel float64
	// FloorRise is how fast (dB per second) the noise floor estimate
	// climbs towards louder frames; it falls at once to quieter ones, and
	// jumps to a sound that stays steady for 2 s. Slow enough that speech
	// does not drag it up, fast enough to follow noise that creeps up.
	// Default 1 dB/s.
	FloorRise float64
	// Onset is how long frames must stay above the on-threshold before
	// speech starts; shorter bursts (clicks, taps) are ignored. The speech
	// is then dated from the first of those frames. Default 30 ms.
	Onset time.Duration
	// Hangover is how long speech continues after the last voiced frame,
	// so pauses between words do not end it. Default 300 ms, or
	// DefaultMinSilence with a Classifier.
	Hangover time.Duration

	// Classifier, if set, decides which frames are voiced: a frame is its
	// window (Frame must be 0 or the window's duration), voiced when its
	// probability reaches SpeechOn, or SpeechOff while speaking. The
	// energy measurements stay, for meters and as a gate: a frame of
	// digital silence is unvoiced without asking. The margins, MinLevel
	// and the floor then decide nothing. Onset defaults to one frame.
	Classifier Classifier
	// SpeechOn and SpeechOff are the probability thresholds; defaults
	// DefaultSpeechOn and DefaultSpeechOff.
	SpeechOn, SpeechOff float64
}

// Frame is the Detector's measurement of one frame, and its decision.
type Frame struct {
	// Start is the offset of the frame's first sample; Len its length.
	Start int64
	Len   int
	// RMS and Peak are the frame's levels in dBFS relative to 1.0 (a
	// full-scale sine has RMS -3 dBFS and peak 0); never below SilenceDB.
	RMS, Peak float64
	// Floor is the noise floor estimate (dBFS) the frame was judged
	// against, SilenceDB until the first non-silent frame.
	Floor float64
	// Prob is the Classifier's speech probability for the frame, 0 for
	// digital silence (not asked), or -1 without a Classifier or when it
	// failed (the energy decision stands then).
	Prob float32
	// Voiced: the frame itself is loud enough to be speech (above the on
	// threshold, or the off threshold while Speaking).
	Voiced bool
	// Speaking is the debounced state for "who is speaking" indicators:
	// true from a confirmed onset until Hangover after the last voiced frame.
	Speaking bool
	// SpeechStart is the offset where the current speech began (the first
	// frame of its onset) and VoicedEnd the end of its last voiced frame.
	// Both stay valid on the frame where Speaking turns false, which is
	// how a consumer learns where the speech it just lost ended.
	SpeechStart, VoicedEnd int64
}

// Detector classifies frames of a 16 kHz mono stream as speech or not.
// Feed it any chunk sizes: frames are cut at fixed offsets of the stream,
// and the result is the same however the samples were split.
type Detector struct {
	frameLen    int
	onMargin    float64
	offMargin   float64
	minLevel    float64
	rise        float64 // dB per frame
	silenceFall float64 // dB per frame
	floorMin    float64 // below this the floor changes no decision
	onsetFrames int
	hangFrames  int

	cls       Classifier
	speechOn  float32
	speechOff float32
	win       []float32 // the frame's samples, for the classifier
	prob      []float32
	clsErrs   int64
	clsErr    error

	pos   int64 // offset of the next sample
	n     int   // samples in the partial frame
	sum   float64
	peak  float32
	power float64 // mean square of the last complete frame

	floor    float64
	floorSet bool
	// recent holds the levels (dB) of the last frames, oldest at head once
	// full, for the stationarity test.
	recent     []float64
	recentHead int
	recentFull bool

	speaking    bool
	run         int // consecutive voiced frames while not speaking
	unvoiced    int // consecutive unvoiced frames while speaking
	speechStart int64
	voicedEnd   int64
}

// NewDetector returns a detector whose first sample is at offset 0.
func NewDetector(cfg DetectorConfig) (*Detector, error) {
	cfg = cfg.withDefaults()
	if err := cfg.check(); err != nil {
		return nil, err
	}
	frameLen := samplesIn(cfg.Frame)
	if cfg.Classifier != nil {
		frameLen = cfg.Classifier.WindowLen()
	}
	fs := float64(frameLen) / transcribe.SampleRate
	d := &Detector{
		frameLen:    frameLen,
		onMargin:    cfg.OnMargin,
		offMargin:   cfg.OffMargin,
		minLevel:    cfg.MinLevel,
		rise:        cfg.FloorRise * fs,
		silenceFall: silenceFall * fs,
		floorMin:    cfg.MinLevel - cfg.OnMargin,
		recent:      make([]float64, max(1, roundFrames(stationaryWindow, frameLen))),
		onsetFrames: max(1, roundFrames(cfg.Onset, frameLen)),
		hangFrames:  roundFrames(cfg.Hangover, frameLen),
		cls:         cfg.Classifier,
		speechOn:    float32(cfg.SpeechOn),
		speechOff:   float32(cfg.SpeechOff),
	}
	if d.cls != nil {
		d.win = make([]float32, frameLen)
		d.prob = make([]float32, 1)
	}
	d.Reset(0)
	return d, nil
}

func (c DetectorConfig) withDefaults() DetectorConfig {
	if c.Classifier != nil {
		if c.Frame == 0 {
			c.Frame = transcribe.Samples(int64(c.Classifier.WindowLen()))
		}
		if c.Onset == 0 {
			c.Onset = c.Frame
		}
		if c.Hangover == 0 {
			c.Hangover = DefaultMinSilence
		}
		if c.SpeechOn == 0 {
			c.SpeechOn = DefaultSpeechOn
		}
		if c.SpeechOff == 0 {
			c.SpeechOff = DefaultSpeechOff
		}
	}
	if c.Frame == 0 {
		c.Frame = DefaultFrame
	}
	if c.OnMargin == 0 {
		c.OnMargin = DefaultOnMargin
	}
	if c.OffMargin == 0 {
		c.OffMargin = DefaultOffMargin
	}
	if c.MinLevel == 0 {
		c.MinLevel = DefaultMinLevel
	}
	if c.FloorRise == 0 {
		c.FloorRise = DefaultFloorRise
	}
	if c.Onset == 0 {
		c.Onset = DefaultOnset
	}
	if c.Hangover == 0 {
		c.Hangover = DefaultHangover
	}
	return c
}

func (c DetectorConfig) check() error {
	var errs []error
	if c.Frame < time.Millisecond || c.Frame > 100*time.Millisecond {
		errs = append(errs, fmt.Errorf("frame %v: want 1 ms to 100 ms", c.Frame))
	}
	if c.OnMargin < 0 || c.OffMargin < 0 || c.OffMargin > c.OnMargin {
		errs = append(errs, fmt.Errorf("margins on %.1f dB, off %.1f dB: want 0 <= off <= on", c.OnMargin, c.OffMargin))
	}
	if c.MinLevel >= 0 || c.MinLevel < SilenceDB {
		errs = append(errs, fmt.Errorf("minimum level %.1f dBFS: want %v to 0", c.MinLevel, SilenceDB))
	}
	if c.FloorRise < 0 {
		errs = append(errs, fmt.Errorf("floor rise %.2f dB/s: must not be negative", c.FloorRise))
	}
	if c.Onset < 0 || c.Hangover < 0 {
		errs = append(errs, fmt.Errorf("onset %v, hangover %v: must not be negative", c.Onset, c.Hangover))
	}
	if c.Classifier != nil {
		if n := c.Classifier.WindowLen(); n <= 0 || samplesIn(c.Frame) != n {
			errs = append(errs, fmt.Errorf("frame %v with a classifier of %d-sample windows: leave Frame 0", c.Frame, n))
		}
		if !(c.SpeechOff > 0 && c.SpeechOff <= c.SpeechOn && c.SpeechOn < 1) {
			errs = append(errs, fmt.Errorf("speech thresholds on %.2f, off %.2f: want 0 < off <= on < 1", c.SpeechOn, c.SpeechOff))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("vad: bad detector config: %w", err)
	}
	return nil
}

// samplesIn converts a configured duration to 16 kHz samples, rounding to
// the nearest.
func samplesIn(d time.Duration) int {
	return int((int64(d)*transcribe.SampleRate + int64(time.Second)/2) / int64(time.Second))
}

func roundFrames(d time.Duration, frameLen int) int {
	return (samplesIn(d) + frameLen/2) / frameLen
}

// FrameLen is the frame length in samples.
func (d *Detector) FrameLen() int { return d.frameLen }

// Position is the offset of the next sample to be processed.
func (d *Detector) Position() int64 { return d.pos }

// Speaking reports the state after the last complete frame.
func (d *Detector) Speaking() bool { return d.speaking }

// Reset forgets everything, noise floor included, and places the next
// sample at offset pos: use it for a different source or a new session.
func (d *Detector) Reset(pos int64) {
	*d = Detector{
		frameLen: d.frameLen, onMargin: d.onMargin, offMargin: d.offMargin,
		minLevel: d.minLevel, rise: d.rise, silenceFall: d.silenceFall, floorMin: d.floorMin,
		onsetFrames: d.onsetFrames, hangFrames: d.hangFrames,
		recent: d.recent,
		cls:    d.cls, speechOn: d.speechOn, speechOff: d.speechOff, win: d.win, prob: d.prob,
		clsErrs: d.clsErrs, clsErr: d.clsErr,
		pos: pos, floor: SilenceDB,
	}
	clear(d.recent)
	if d.cls != nil {
		d.cls.Reset()
	}
}

// ClassifierErrors is how many frames the Classifier failed on (the energy
// decision stood for them), and the last error.
func (d *Detector) ClassifierErrors() (int64, error) { return d.clsErrs, d.clsErr }

// EndStream says the next sample does not follow the last one (the stream
// ended, or was paused): the part-frame is dropped (under one frame, too
// short to judge) and any speech ends. The noise floor is kept, since a
// stream resumed on the same device is likely in the same room; the
// offsets continue from Position.
func (d *Detector) EndStream() {
	d.n, d.sum, d.peak = 0, 0, 0
	d.speaking, d.run, d.unvoiced = false, 0, 0
	d.recentHead, d.recentFull = 0, false
	if d.cls != nil {
		d.cls.Reset() // the next window does not continue this one
	}
}

// Process appends to out a Frame for every frame that samples complete and
// returns the extended slice, like the strconv Append functions: pass a
// reused out[:0] and it does not allocate.
func (d *Detector) Process(samples []float32, out []Frame) []Frame {
	for len(samples) > 0 {
		k := min(len(samples), d.frameLen-d.n)
		if f, ok := d.push(samples[:k]); ok {
			out = append(out, f)
		}
		samples = samples[k:]
	}
	return out
}

// Pending is how many samples the next frame still needs.
func (d *Detector) Pending() int { return d.frameLen - d.n }

// push adds samples that do not cross a frame boundary (len <= Pending)
// and returns the frame they complete, if they do.
func (d *Detector) push(samples []float32) (Frame, bool) {
	sum, peak := d.sum, d.peak
	for i, x := range samples {
		if !(x >= -1 && x <= 1) {
			// NaN or beyond full scale. One NaN in the sum would make the
			// frame's level, and through it the noise floor, NaN for good:
			// max(NaN, x) is NaN, so no later frame could ever be voiced.
			x = sanitized(x)
		}
		if d.win != nil {
			d.win[d.n+i] = x
		}
		sum += float64(x) * float64(x)
		if x < 0 {
			x = -x
		}
		if x > peak {
			peak = x
		}
	}
	d.sum, d.peak = sum, peak
	d.n += len(samples)
	d.pos += int64(len(samples))
	if d.n < d.frameLen {
		return Frame{}, false
	}
	f := d.judge()
	d.n, d.sum, d.peak = 0, 0, 0
	return f, true
}

// judge decides the frame just completed and updates the floor and state.
func (d *Detector) judge() Frame {
	d.power = d.sum / float64(d.frameLen)
	f := Frame{
		Start: d.pos - int64(d.frameLen),
		Len:   d.frameLen,
		RMS:   powerDB(d.power),
		Peak:  amplitudeDB(d.peak),
	}
	level := f.RMS
	if !d.floorSet && level > digitalSilenceDB {
		// The first sound sets the floor. Zeros before it are a device
		// starting up, not the room; speech that is the very first sound is
		// missed until its first pause, which comes within a syllable or two.
		d.floor, d.floorSet = max(level, d.floorMin), true
	}
	f.Floor = d.floor

	on := max(d.floor+d.onMargin, d.minLevel)
	off := max(d.floor+d.offMargin, d.minLevel-(d.onMargin-d.offMargin))
	if d.speaking {
		f.Voiced = level >= off
	} else {
		f.Voiced = level >= on
	}
	f.Prob = -1
	if d.cls != nil {
		f.Prob, f.Voiced = d.classify(level, f.Voiced)
	}
	d.trackFloor(level, off)
	end := d.pos
	switch {
	case d.speaking && f.Voiced:
		d.unvoiced = 0
		d.voicedEnd = end
	case d.speaking:
		d.unvoiced++
		if d.unvoiced >= d.hangFrames {
			d.speaking, d.unvoiced = false, 0
		}
	case f.Voiced:
		d.run++
		if d.run >= d.onsetFrames {
			d.speaking, d.run, d.unvoiced = true, 0, 0
			d.speechStart = end - int64(d.onsetFrames*d.frameLen)
			d.voicedEnd = end
		}
	default:
		d.run = 0
	}
	f.Speaking = d.speaking
	f.SpeechStart, f.VoicedEnd = d.speechStart, d.voicedEnd
	return f
}

// classify asks the classifier about the frame in win, unless it is
// digital silence; if the classifier fails, the energy decision stands.
func (d *Detector) classify(level float64, energyVoiced bool) (float32, bool) {
	if level <= digitalSilenceDB {
		return 0, false
	}
	if err := d.cls.Classify(d.win, d.prob); err != nil {
		d.clsErrs++
		d.clsErr = err
		return -1, energyVoiced
	}
	p := d.prob[0]
	if d.speaking {
		return p, p >= d.speechOff
	}
	return p, p >= d.speechOn
}

// trackFloor moves the floor after a frame at level (dB): down at once to a
// quieter frame, slowly up towards a louder one, and straight up to a
// sound that has stayed stationary for the whole window.
func (d *Detector) trackFloor(level, off float64) {
	d.recent[d.recentHead] = level
	d.recentHead++
	if d.recentHead == len(d.recent) {
		d.recentHead, d.recentFull = 0, true
	}
	if !d.floorSet {
		return
	}
	if level <= digitalSilenceDB {
		level = d.floor - d.silenceFall
	}
	// Below floorMin no threshold moves (MinLevel rules), so the floor
	// stops there, and noise that follows need climb only from there.
	level = max(level, d.floorMin)
	if level < d.floor {
		d.floor = level
		return
	}
	d.floor = min(d.floor+d.rise, level)
	if level >= off && d.recentFull {
		lo, hi := d.recent[0], d.recent[0]
		for _, v := range d.recent[1:] {
			lo, hi = min(lo, v), max(hi, v)
		}
		if hi-lo < stationaryRange {
			d.floor = max(d.floor, lo)
		}
	}
}

// sanitized is x clamped to [-1, 1], NaN taken as silence: the same
// correction audio.Sanitize makes at the capture boundary, repeated here
// because a Segmenter may be fed by any reader (a file, a test, a future
// source) and one bad sample must not end detection.
func sanitized(x float32) float32 {
	switch {
	case x > 1:
		return 1
	case x < -1:
		return -1
	case x >= -1: // in range
		return x
	}
	return 0 // NaN
}

// sanitize applies sanitized to every sample of x in place.
func sanitize(x []float32) {
	for i, v := range x {
		if !(v >= -1 && v <= 1) {
			x[i] = sanitized(v)
		}
	}
}

func powerDB(p float64) float64 {
	if p <= 0 {
		return SilenceDB
	}
	return max(10*math.Log10(p), SilenceDB)
}

func amplitudeDB(a float32) float64 {
	if a <= 0 {
		return SilenceDB
	}
	return max(20*math.Log10(float64(a)), SilenceDB)
}
