package vad

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/sidenote-app/sidenote/transcribe"
)

// Defaults for SegmenterConfig's zero fields.
const (
	DefaultPreRoll      = 250 * time.Millisecond
	DefaultPostRoll     = 200 * time.Millisecond
	DefaultMinSpeech    = 250 * time.Millisecond
	DefaultMaxUtterance = 20 * time.Second
	DefaultPartialEvery = 1500 * time.Millisecond
)

// SegmenterConfig tunes a Segmenter. Zero fields take the defaults, so the
// zero value is a working configuration.
type SegmenterConfig struct {
	Detector DetectorConfig
	// NewClassifier, if set and Detector.Classifier is not, makes the
	// Segmenter's own Classifier: a classifier keeps the state of one
	// stream, so a config shared by several inputs (ForSession) must make
	// one per Segmenter. Close closes it when it is an io.Closer.
	NewClassifier func() (Classifier, error)

	// PreRoll is audio kept before the detected onset: energy detectors
	// trigger on the vowel, and the consonant before it ("s", "f", "th") is
	// quiet. Default 250 ms.
	PreRoll time.Duration
	// PostRoll is audio kept after the last voiced frame, for trailing
	// consonants and decays. At most Detector.Hangover, because the
	// utterance ends when the hangover does. Default 200 ms; with a
	// Classifier, the hangover (Silero's probability already trails the
	// speech by a window or two).
	PostRoll time.Duration
	// MinSpeech is the shortest speech (onset to last voiced frame, pads
	// not counted) that makes an utterance. Shorter blips — a cough, a
	// door, a tap on the mic — are dropped, not merged into the next
	// utterance: merging would hold them back until the next one, maybe
	// minutes later, and whisper turns such fragments into invented words
	// ("Thank you."). An utterance is only reported Started once it has
	// this much speech, so a dropped blip produces no events at all.
	// Default 250 ms.
	MinSpeech time.Duration
	// MaxUtterance bounds an utterance, pads included: a longer one is cut
	// at the quietest point of its second half, so a monologue still yields
	// finals and no recognizer window grows without bound. At least 2 s.
	// Default 20 s (whisper's window is 30 s).
	MaxUtterance time.Duration
	// PartialEvery is how much new audio an utterance in progress gathers
	// between UtterancePartial events. Negative disables partials.
	// Default 1.5 s.
	PartialEvery time.Duration

	// Base is the offset of the first sample written: the session clock
	// position where this stream starts, e.g. on resume after a pause.
	Base int64
	// OnFrame, if set, is called during Write with every frame the
	// detector judges, for level meters and "who is speaking" indicators.
	// It runs on the audio path: it must be quick and must not call back
	// into the Segmenter.
	OnFrame func(Frame)
}

// EventKind says what happened to an utterance.
type EventKind uint8

const (
	// UtteranceStarted: speech was confirmed (MinSpeech of it). Samples
	// hold the pre-roll and the speech so far.
	UtteranceStarted EventKind = iota + 1
	// UtterancePartial: PartialEvery more audio arrived; Samples hold the
	// whole utterance so far, for a partial transcript.
	UtterancePartial
	// UtteranceEnded: the utterance is complete, padding included; this is
	// the one to transcribe as final.
	UtteranceEnded
)

func (k EventKind) String() string {
	switch k {
	case UtteranceStarted:
		return "started"
	case UtterancePartial:
		return "partial"
	case UtteranceEnded:
		return "ended"
	}
	return fmt.Sprintf("EventKind(%d)", k)
}

// Event reports a change to an utterance.
type Event struct {
	Kind      EventKind
	Utterance Utterance
}

// Utterance is a stretch of speech with its padding.
//
// Samples belong to the receiver: the Segmenter never writes to memory it
// has handed out, so an utterance may be kept, queued or sent to another
// goroutine without copying. The events of one utterance may share memory
// (a partial and the final share their common prefix); treat Samples as
// read-only.
type Utterance struct {
	// Start and End (exclusive) are sample offsets on the session clock;
	// len(Samples) == End-Start.
	Start, End int64
	Samples    []float32
	// Continued: this utterance follows the previous one without a gap
	// because that one was cut at MaxUtterance.
	Continued bool
	// Split (UtteranceEnded only): this utterance was cut at MaxUtterance
	// while speech went on; the next one starts at End.
	Split bool
}

// Duration is the utterance's length.
func (u Utterance) Duration() time.Duration { return transcribe.Samples(u.End - u.Start) }

// StartTime and EndTime are Start and End as durations since offset 0.
func (u Utterance) StartTime() time.Duration { return transcribe.Samples(u.Start) }

// EndTime is End as a duration since offset 0.
func (u Utterance) EndTime() time.Duration { return transcribe.Samples(u.End) }

// Segmenter cuts a stream of 16 kHz mono samples into utterances.
//
// Write and Flush return the events they caused, in order. The returned
// slice is reused by the next call (copy the Events to keep the slice);
// the Utterances in it, Samples included, are the receiver's to keep.
//
// Memory is bounded: in silence the Segmenter holds only a fixed ring of
// recent samples for pre-roll; during speech, the utterance in progress,
// which MaxUtterance bounds.
type Segmenter struct {
	det      *Detector
	onFrame  func(Frame)
	frameLen int
	preRoll  int
	postRoll int
	minSpch  int64
	maxLen   int
	partial  int // samples between partials; 0: none

	pos         int64 // offset of the next sample
	streamStart int64 // where the current stream began (frames align to it)
	lastEnd     int64 // end of the last utterance reported, to avoid overlap

	// ring holds the most recent samples for pre-roll, whatever the state.
	ring     []float32
	ringHead int // index of the next write

	// levels holds the mean power of recent frames, by frame number since
	// streamStart modulo its length, for choosing where to split.
	levels []float64
	frames int64 // frames completed in this stream

	active      bool // between onset and end of speech
	started     bool // UtteranceStarted was reported
	continued   bool
	uStart      int64
	buf         []float32 // the utterance so far, from uStart
	lastPartial int       // len(buf) at the last Started/Partial event
	voicedEnd   int64

	events []Event
}

// NewSegmenter returns a Segmenter whose first sample is at cfg.Base.
func NewSegmenter(cfg SegmenterConfig) (*Segmenter, error) {
	if cfg.Detector.Classifier == nil && cfg.NewClassifier != nil {
		c, err := cfg.NewClassifier()
		if err != nil {
			return nil, fmt.Errorf("vad: %w", err)
		}
		cfg.Detector.Classifier = c
	}
	det, err := NewDetector(cfg.Detector)
	if err != nil {
		closeClassifier(cfg.Detector.Classifier)
		return nil, err
	}
	cfg = cfg.withDefaults()
	hangover := cfg.Detector.withDefaults().Hangover
	if cfg.PostRoll == 0 {
		cfg.PostRoll = DefaultPostRoll
		if cfg.Detector.Classifier != nil {
			cfg.PostRoll = hangover
		}
	}
	if err := cfg.check(hangover); err != nil {
		closeClassifier(cfg.Detector.Classifier)
		return nil, err
	}
	fl := det.FrameLen()
	s := &Segmenter{
		det:      det,
		onFrame:  cfg.OnFrame,
		frameLen: fl,
		preRoll:  samplesIn(cfg.PreRoll),
		postRoll: samplesIn(cfg.PostRoll),
		minSpch:  int64(samplesIn(cfg.MinSpeech)),
		maxLen:   samplesIn(cfg.MaxUtterance),
	}
	if cfg.PartialEvery > 0 {
		s.partial = max(1, samplesIn(cfg.PartialEvery))
	}
	// The ring must reach back from the frame that confirms an onset to
	// PreRoll before its first frame.
	s.ring = make([]float32, s.preRoll+(det.onsetFrames+1)*fl)
	s.levels = make([]float64, s.maxLen/fl+4)
	s.events = make([]Event, 0, 4)
	s.Reset(cfg.Base)
	return s, nil
}

func (c SegmenterConfig) withDefaults() SegmenterConfig {
	if c.PreRoll == 0 {
		c.PreRoll = DefaultPreRoll
	}
	if c.MinSpeech == 0 {
		c.MinSpeech = DefaultMinSpeech
	}
	if c.MaxUtterance == 0 {
		c.MaxUtterance = DefaultMaxUtterance
	}
	if c.PartialEvery == 0 {
		c.PartialEvery = DefaultPartialEvery
	}
	return c
}

func (c SegmenterConfig) check(hangover time.Duration) error {
	var errs []error
	if c.PreRoll < 0 || c.PostRoll < 0 || c.MinSpeech < 0 {
		errs = append(errs, fmt.Errorf("pre-roll %v, post-roll %v, minimum speech %v: must not be negative", c.PreRoll, c.PostRoll, c.MinSpeech))
	}
	if c.PostRoll > hangover {
		errs = append(errs, fmt.Errorf("post-roll %v is longer than the hangover %v: the utterance ends before that audio arrives", c.PostRoll, hangover))
	}
	// An utterance is only confirmed after pre-roll + minimum speech, and
	// a split keeps at least half the maximum: both must fit.
	if least := max(2*time.Second, 2*(c.PreRoll+c.MinSpeech+hangover)); c.MaxUtterance < least {
		errs = append(errs, fmt.Errorf("maximum utterance %v: want at least %v for these pads", c.MaxUtterance, least))
	}
	if c.Base < 0 {
		errs = append(errs, fmt.Errorf("base offset %d: must not be negative", c.Base))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("vad: bad segmenter config: %w", err)
	}
	return nil
}

// Close releases the classifier, when it is an io.Closer (whisper.Silero
// holds C memory); the Segmenter must not be used after. Without a
// classifier it does nothing.
func (s *Segmenter) Close() error { return closeClassifier(s.det.cls) }

func closeClassifier(c Classifier) error {
	if cl, ok := c.(io.Closer); ok {
		return cl.Close()
	}
	return nil
}

// Detector is the Segmenter's detector, for its counters; do not feed it.
func (s *Segmenter) Detector() *Detector { return s.det }

// Position is the offset of the next sample to be written.
func (s *Segmenter) Position() int64 { return s.pos }

// Speaking reports the detector's state after the last complete frame.
func (s *Segmenter) Speaking() bool { return s.det.Speaking() }

// Reset drops everything, the open utterance (unreported) and the noise
// floor included, and places the next sample at offset base.
func (s *Segmenter) Reset(base int64) {
	s.det.Reset(base)
	s.pos, s.streamStart, s.lastEnd = base, base, base
	s.frames = 0
	s.close()
}

// Write takes the next samples of the stream, in chunks of any size, and
// returns the events they caused (see Segmenter for who owns what).
func (s *Segmenter) Write(samples []float32) []Event {
	s.events = s.events[:0]
	for len(samples) > 0 {
		// Cut at frame boundaries so each frame is judged as soon as it is
		// complete, at the same offset whatever the chunking.
		k := min(len(samples), s.det.Pending())
		piece := samples[:k]
		samples = samples[k:]
		s.remember(piece)
		if s.active {
			n := len(s.buf)
			s.buf = append(s.buf, piece...)
			sanitize(s.buf[n:]) // whisper refuses non-finite audio
		}
		s.pos += int64(k)
		if f, ok := s.det.push(piece); ok {
			s.frame(f)
		}
	}
	return s.events
}

// Flush ends the stream: the utterance in progress is reported as ended
// (if it has MinSpeech of speech), and the next Write starts a new stream
// at Position, as after a pause. The noise floor is kept.
func (s *Segmenter) Flush() []Event {
	s.events = s.events[:0]
	if s.active {
		span := s.voicedEnd - s.det.speechStart
		if s.started || span >= s.minSpch {
			if !s.started {
				s.start()
			}
			s.end(min(s.pos, s.voicedEnd+int64(s.postRoll)), false)
		}
	}
	s.close()
	s.det.EndStream()
	s.streamStart, s.frames = s.pos, 0
	s.lastEnd = max(s.lastEnd, s.pos)
	clear(s.ring)
	return s.events
}

// remember keeps piece in the pre-roll ring. Write passes at most a frame
// at a time, and the ring is longer than that.
func (s *Segmenter) remember(piece []float32) {
	n := copy(s.ring[s.ringHead:], piece)
	sanitize(s.ring[s.ringHead : s.ringHead+n])
	if n < len(piece) {
		copy(s.ring, piece[n:])
		sanitize(s.ring[:len(piece)-n])
	}
	s.ringHead = (s.ringHead + len(piece)) % len(s.ring)
}

// recent appends the ring's samples from offset from to the current
// position; from must be within the ring and the current stream.
func (s *Segmenter) recent(dst []float32, from int64) []float32 {
	n := int(s.pos - from)
	i := s.ringHead - n
	if i < 0 {
		i += len(s.ring)
		dst = append(dst, s.ring[i:]...)
		return append(dst, s.ring[:s.ringHead]...)
	}
	return append(dst, s.ring[i:s.ringHead]...)
}

// frame acts on one judged frame; the frame's samples are already in the
// ring and, if active, in buf.
func (s *Segmenter) frame(f Frame) {
	if s.onFrame != nil {
		s.onFrame(f)
	}
	s.levels[s.frames%int64(len(s.levels))] = s.det.power
	s.frames++

	if f.Speaking && !s.active {
		s.open(f.SpeechStart)
	}
	if !s.active {
		return
	}
	s.voicedEnd = f.VoicedEnd
	if !f.Speaking {
		if s.started {
			s.end(min(s.pos, f.VoicedEnd+int64(s.postRoll)), false)
		}
		s.close()
		return
	}
	if !s.started {
		if f.VoicedEnd-f.SpeechStart < s.minSpch {
			return
		}
		s.start()
	}
	switch {
	case len(s.buf)+s.frameLen > s.maxLen:
		// The next frame would take the utterance over the maximum.
		s.split()
	case s.partial > 0 && len(s.buf)-s.lastPartial >= s.partial:
		s.lastPartial = len(s.buf)
		s.emit(UtterancePartial, false)
	}
}

// open begins gathering an utterance for speech that began at speechStart,
// with pre-roll from the ring. It is not reported until MinSpeech.
func (s *Segmenter) open(speechStart int64) {
	from := max(speechStart-int64(s.preRoll), s.lastEnd, s.streamStart, s.pos-int64(len(s.ring)))
	if s.buf == nil {
		// Room for a typical sentence; append grows it for longer ones.
		s.buf = make([]float32, 0, min(s.maxLen, 4*transcribe.SampleRate))
	}
	s.buf = s.recent(s.buf[:0], from)
	s.uStart = from
	s.active, s.started, s.continued = true, false, false
}

func (s *Segmenter) start() {
	s.started = true
	s.lastPartial = len(s.buf)
	s.emit(UtteranceStarted, false)
}

// end reports the open utterance as ending at offset end and hands its
// memory to the receiver.
func (s *Segmenter) end(end int64, split bool) {
	s.buf = s.buf[:end-s.uStart]
	s.emit(UtteranceEnded, split)
	s.lastEnd = end
	s.buf = nil // now the receiver's
}

// close forgets the open utterance. Unless it was reported, its buffer is
// kept for the next one, so blips cost no allocation.
func (s *Segmenter) close() {
	if s.started {
		s.buf = nil // handed out with UtteranceStarted: the receiver's now
	} else if s.buf != nil {
		s.buf = s.buf[:0]
	}
	s.active, s.started, s.continued = false, false, false
}

func (s *Segmenter) emit(kind EventKind, split bool) {
	n := len(s.buf)
	s.events = append(s.events, Event{Kind: kind, Utterance: Utterance{
		Start:     s.uStart,
		End:       s.uStart + int64(n),
		Samples:   s.buf[:n:n], // capped: a receiver's append cannot reach our spare capacity
		Continued: s.continued,
		Split:     split && kind == UtteranceEnded,
	}})
}

// split ends the utterance at the quietest point of its second half and
// carries on with the rest as a new, continued utterance.
func (s *Segmenter) split() {
	cut := s.quietestCut()
	rest := s.buf[cut-s.uStart:]
	next := make([]float32, len(rest), max(cap(s.buf)/2, len(rest)+4*transcribe.SampleRate))
	copy(next, rest)
	s.end(cut, true)
	s.buf = next
	s.uStart = cut
	s.continued = true
	s.started = true
	s.lastPartial = len(s.buf)
	s.emit(UtteranceStarted, false)
}

// quietestCut returns the offset in the middle of the frame whose
// neighbourhood (it and the frames either side) has the least energy,
// among the frames of the utterance's second half. Ties go to the later
// frame, which makes the first part longer and the splits fewer.
func (s *Segmenter) quietestCut() int64 {
	fl := int64(s.frameLen)
	n := int64(len(s.levels))
	last := s.frames - 1 // the newest complete frame
	at := func(k int64) int64 { return s.streamStart + k*fl }
	// Frames k-1..k+1 must be complete and inside the utterance, and the
	// cut must leave the first part at least half the maximum.
	lo := max((s.uStart-s.streamStart+fl-1)/fl+1, s.frames-n+1)
	for lo <= last-1 && at(lo)+fl/2 < s.uStart+int64(s.maxLen/2) {
		lo++
	}
	best, bestK := -1.0, int64(-1)
	for k := lo; k <= last-1; k++ {
		e := s.levels[(k-1)%n] + s.levels[k%n] + s.levels[(k+1)%n]
		if bestK < 0 || e <= best {
			best, bestK = e, k
		}
	}
	if bestK < 0 {
		return s.pos // cannot happen with a checked config; cut at the end
	}
	return at(bestK) + fl/2
}
