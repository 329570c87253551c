package interview

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"sort"
	"sync"
	"time"
)

// Coach turns what was said into the speaking coach's figures: pace, filler
// words, talk share and monologue length, per speaker, with gentle
// warnings for the user.
//
// It is fed two streams on the interview's millisecond time axis: final
// transcript segments (AddSegment) and voice-activity intervals
// (AddSpeech). It never reads a clock; Snapshot takes "now" from the
// caller, so the same inputs always give the same figures.
//
// What is measured from what:
//
//   - Pace (words per minute) and the rolling filler rate come from the
//     transcript only, over the last PaceWindow (60 s) of the speaker's
//     transcribed speaking time: walking back from the end of their latest
//     final segment, segments are taken whole until their spans add up to
//     60 s; the segment that crosses the window's start is counted in
//     proportion (half its span inside → half its words). Pace is those
//     words divided by those minutes. Silence between segments, and the
//     other person's speech, is not in the window. The window ends at the
//     transcript's end, not at now, because final text arrives seconds
//     after the audio: counting up to now would treat speech not yet
//     transcribed as speech without words and show a pace that is too slow.
//   - Speaking time, talk share and monologues come from voice activity
//     when the speaker has any, else from the spans of their segments.
//   - Warnings are about the user (SourceYou) only.
//
// Memory stays bounded however long the interview runs: per speaker the
// coach keeps the spans within ShareWindow of the latest input plus enough
// older ones for one PaceWindow of speech, and otherwise running totals.
//
// A Coach is safe for concurrent use: the pipeline adds while the UI reads.
type Coach struct {
	mu      sync.Mutex
	cfg     CoachConfig // defaults filled in
	fillers *FillerMatcher
	you     speaker
	them    speaker
	latest  int64 // largest end time seen in any input
}

// CoachConfig sets the coach's windows and warning thresholds. A zero field
// takes the default from DefaultCoachConfig; a negative threshold turns
// that warning off.
type CoachConfig struct {
	Mode     Mode   // decides which monologue limit applies and whether talk share is watched
	Language string // "en", "sv"; anything else counts both filler lists

	PaceWindow    time.Duration // speaking time pace and filler rate are measured over
	MinPaceSpeech time.Duration // less transcribed speech than this shows no pace yet
	FastWPM       float64       // pace above this …
	SlowWPM       float64       // … or below this …
	PaceSustain   time.Duration // … for this much further speech warns

	MonologueGap              time.Duration // pauses shorter than this do not end a monologue
	MonologueLimit            time.Duration // candidate and practice
	InterviewerMonologueLimit time.Duration // interviewers should leave the floor sooner

	FillersPerMinute float64 // rolling filler rate above this warns

	ShareWindow         time.Duration // the "recent" talk share window
	InterviewerShareMax float64       // interviewer's share of recent speech above this warns
	MinShareSpeech      time.Duration // both speakers' recent speech needed before judging share
}

// DefaultCoachConfig is the configuration used for zero fields. The pace
// band follows the usual advice for interviews (about 110–170 words a
// minute); the share limit follows the rule that candidates should do most
// of the talking.
func DefaultCoachConfig() CoachConfig {
	return CoachConfig{
		PaceWindow:                60 * time.Second,
		MinPaceSpeech:             15 * time.Second,
		FastWPM:                   170,
		SlowWPM:                   110,
		PaceSustain:               30 * time.Second,
		MonologueGap:              1500 * time.Millisecond,
		MonologueLimit:            2 * time.Minute,
		InterviewerMonologueLimit: 90 * time.Second,
		FillersPerMinute:          8,
		ShareWindow:               5 * time.Minute,
		InterviewerShareMax:       0.40,
		MinShareSpeech:            time.Minute,
	}
}

func (c CoachConfig) withDefaults() CoachConfig {
	d := DefaultCoachConfig()
	c.PaceWindow = cmp.Or(c.PaceWindow, d.PaceWindow)
	c.MinPaceSpeech = cmp.Or(c.MinPaceSpeech, d.MinPaceSpeech)
	c.FastWPM = cmp.Or(c.FastWPM, d.FastWPM)
	c.SlowWPM = cmp.Or(c.SlowWPM, d.SlowWPM)
	c.PaceSustain = cmp.Or(c.PaceSustain, d.PaceSustain)
	c.MonologueGap = cmp.Or(c.MonologueGap, d.MonologueGap)
	c.MonologueLimit = cmp.Or(c.MonologueLimit, d.MonologueLimit)
	c.InterviewerMonologueLimit = cmp.Or(c.InterviewerMonologueLimit, d.InterviewerMonologueLimit)
	c.FillersPerMinute = cmp.Or(c.FillersPerMinute, d.FillersPerMinute)
	c.ShareWindow = cmp.Or(c.ShareWindow, d.ShareWindow)
	c.InterviewerShareMax = cmp.Or(c.InterviewerShareMax, d.InterviewerShareMax)
	c.MinShareSpeech = cmp.Or(c.MinShareSpeech, d.MinShareSpeech)
	// Windows cannot be switched off; a negative one is a mistake.
	for _, w := range []*time.Duration{&c.PaceWindow, &c.MonologueGap, &c.ShareWindow} {
		if *w < 0 {
			*w = -*w
		}
	}
	return c
}

// NewCoach returns a coach for one interview.
func NewCoach(cfg CoachConfig) *Coach {
	cfg = cfg.withDefaults()
	c := &Coach{cfg: cfg, fillers: NewFillerMatcher(cfg.Language)}
	c.you.fillers = map[string]int{}
	c.them.fillers = map[string]int{}
	return c
}

// Config returns the configuration in use, defaults filled in.
func (c *Coach) Config() CoachConfig { return c.cfg }

// AddSegment feeds one final transcript segment (its Display text). Only
// SourceYou and SourceThem are counted: a file's speaker is unknown, so its
// figures would describe nobody. An end before the start is read as a
// segment of no length at its start.
func (c *Coach) AddSegment(seg Segment) {
	sp := c.speaker(seg.Source)
	if sp == nil {
		return
	}
	text := seg.Display()
	c.mu.Lock()
	defer c.mu.Unlock()
	start, end := seg.StartMs, max(seg.EndMs, seg.StartMs)
	var fillers int
	words := c.fillers.Count(text, func(name string) {
		sp.fillers[name]++
		fillers++
	})
	if words == 0 {
		return
	}
	sp.words += words
	sp.fillerTotal += fillers
	sp.segs.add(span{start: start, end: end, words: words, fillers: fillers})
	sp.segRuns.add(start, end, ms(c.cfg.MonologueGap))
	c.latest = max(c.latest, end)
	sp.updatePace(c.cfg)
	c.prune(sp)
}

// AddSpeech feeds one interval in which the voice-activity detector heard
// src speaking. Intervals may overlap earlier ones: a detector can report
// an utterance in progress by calling again with the same start and a later
// end, and the coach merges them.
func (c *Coach) AddSpeech(src Source, startMs, endMs int64) {
	sp := c.speaker(src)
	if sp == nil || endMs <= startMs {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	sp.hasVAD = true
	sp.vad.add(span{start: startMs, end: endMs})
	sp.vadRuns.add(startMs, endMs, ms(c.cfg.MonologueGap))
	c.latest = max(c.latest, endMs)
	c.prune(sp)
}

func (c *Coach) speaker(src Source) *speaker {
	switch src {
	case SourceYou:
		return &c.you
	case SourceThem:
		return &c.them
	}
	return nil
}

// prune drops spans no window can reach again: older than ShareWindow
// before the latest input, and not needed for the last PaceWindow of the
// speaker's speech. Inputs only move forward in practice, so "latest" is a
// safe stand-in for every future now.
func (c *Coach) prune(sp *speaker) {
	before := c.latest - ms(c.cfg.ShareWindow)
	keep := ms(c.cfg.PaceWindow)
	sp.segs.prune(before, keep)
	sp.vad.prune(before, keep)
}

// CoachSnapshot is everything the speaking coach shows at one moment.
type CoachSnapshot struct {
	AtMs      int64
	You, Them SpeakerStats
	// Share is talk time over the whole interview; RecentShare over the
	// last ShareWindow (5 minutes) before AtMs.
	Share, RecentShare TalkShare
	// Current is the monologue of whoever is speaking now; its Source is
	// empty when nobody is. When both are, it is the one who spoke last.
	Current  Monologue
	Warnings []Warning // most pressing first; empty when all is well
}

// SpeakerStats are one speaker's figures.
type SpeakerStats struct {
	// WPM is the pace over the last PaceWindow of transcribed speech; 0
	// until there is MinPaceSpeech of it. PaceSpeechMs is how much speech
	// the figure rests on (at most PaceWindow).
	WPM          float64
	PaceSpeechMs int64
	// FillersPerMin is the filler rate over the same window as WPM.
	FillersPerMin float64

	Words            int           // whole interview
	Fillers          []FillerCount // whole interview, most frequent first
	FillerTotal      int
	FillersPerMinAll float64 // whole interview, per minute of transcribed speech

	SpeakingMs       int64 // whole interview
	RecentSpeakingMs int64 // last ShareWindow

	Speaking           bool  // heard within MonologueGap of now
	MonologueMs        int64 // the current monologue; 0 when not speaking
	LongestMonologueMs int64
}

// FillerCount is how often one filler was said.
type FillerCount struct {
	Filler string
	Count  int
	PerMin float64 // per minute of the speaker's transcribed speech
}

// TalkShare splits speaking time between the user and the other side.
type TalkShare struct {
	YouMs, ThemMs int64
	You           float64 // YouMs / (YouMs + ThemMs); 0 when nobody spoke
}

// Monologue is a stretch of one speaker's speech with no pause of
// MonologueGap or longer; the other side's short "mm-hm"s do not end it.
type Monologue struct {
	Source  Source
	StartMs int64
	Ms      int64
}

// WarningCode names a warning so the UI can translate it and choose how to
// show it; Warning.Text is the default English wording.
type WarningCode string

// The coach's warnings.
const (
	WarnPaceFast  WarningCode = "pace-fast"
	WarnPaceSlow  WarningCode = "pace-slow"
	WarnMonologue WarningCode = "monologue"
	WarnFillers   WarningCode = "fillers"
	WarnTalkShare WarningCode = "talk-share"
)

// Warning is one gentle nudge. Value is the figure that tripped it (words
// per minute, milliseconds, fillers per minute, or a 0..1 share) and Limit
// the threshold, so a translated message can say the same thing.
type Warning struct {
	Code  WarningCode
	Text  string
	Value float64
	Limit float64
}

// Snapshot returns the coach's figures at interview time nowMs. It does
// not change the coach; now should not move backwards by more than
// ShareWindow, or the recent figures will miss spans already pruned.
func (c *Coach) Snapshot(nowMs int64) CoachSnapshot {
	c.mu.Lock()
	defer c.mu.Unlock()
	cfg := c.cfg
	s := CoachSnapshot{AtMs: nowMs}
	s.You = c.you.stats(cfg, nowMs)
	s.Them = c.them.stats(cfg, nowMs)
	s.Share = newTalkShare(s.You.SpeakingMs, s.Them.SpeakingMs)
	s.RecentShare = newTalkShare(s.You.RecentSpeakingMs, s.Them.RecentSpeakingMs)

	switch {
	case s.You.Speaking && s.Them.Speaking:
		if c.them.basisRuns().end > c.you.basisRuns().end {
			s.Current = c.them.monologue(SourceThem)
		} else {
			s.Current = c.you.monologue(SourceYou)
		}
	case s.You.Speaking:
		s.Current = c.you.monologue(SourceYou)
	case s.Them.Speaking:
		s.Current = c.them.monologue(SourceThem)
	}
	s.Warnings = c.warnings(s, nowMs)
	return s
}

func (c *Coach) warnings(s CoachSnapshot, nowMs int64) []Warning {
	cfg := c.cfg
	var out []Warning
	limit := cfg.MonologueLimit
	if cfg.Mode == ModeInterviewer {
		limit = cfg.InterviewerMonologueLimit
	}
	if limit > 0 && s.You.Speaking && s.You.MonologueMs > ms(limit) {
		out = append(out, Warning{Code: WarnMonologue, Value: float64(s.You.MonologueMs), Limit: float64(ms(limit)),
			Text: fmt.Sprintf("You've been talking for %s. A pause lets them come in.", minutesSeconds(s.You.MonologueMs))})
	}
	// A pace warning stays while the user is still speaking of it: it
	// fades a PaceWindow after their last transcribed words.
	if p := c.you.pace; p.dir != 0 && c.you.segs.total-p.since >= ms(cfg.PaceSustain) &&
		c.you.lastSegEnd() >= nowMs-ms(cfg.PaceWindow) {
		if p.dir > 0 {
			out = append(out, Warning{Code: WarnPaceFast, Value: s.You.WPM, Limit: cfg.FastWPM,
				Text: fmt.Sprintf("You're speaking quickly (%.0f words a minute). Slowing down helps your points land.", s.You.WPM)})
		} else {
			out = append(out, Warning{Code: WarnPaceSlow, Value: s.You.WPM, Limit: cfg.SlowWPM,
				Text: fmt.Sprintf("Your pace is slow (%.0f words a minute). You can pick it up a little.", s.You.WPM)})
		}
	}
	if cfg.FillersPerMinute > 0 && s.You.PaceSpeechMs >= ms(cfg.MinPaceSpeech) && s.You.FillersPerMin > cfg.FillersPerMinute &&
		c.you.lastSegEnd() >= nowMs-ms(cfg.PaceWindow) {
		out = append(out, Warning{Code: WarnFillers, Value: s.You.FillersPerMin, Limit: cfg.FillersPerMinute,
			Text: fmt.Sprintf("Quite a few filler words (%.0f a minute). A short silence works just as well.", s.You.FillersPerMin)})
	}
	// Talk share is judged over the recent window only once a whole window
	// has passed, so the interviewer's introduction does not count against
	// them, and only when enough was said to judge.
	r := s.RecentShare
	if cfg.Mode == ModeInterviewer && cfg.InterviewerShareMax > 0 && nowMs >= ms(cfg.ShareWindow) &&
		r.YouMs+r.ThemMs >= ms(cfg.MinShareSpeech) && r.You > cfg.InterviewerShareMax {
		out = append(out, Warning{Code: WarnTalkShare, Value: r.You, Limit: cfg.InterviewerShareMax,
			Text: fmt.Sprintf("You've done %.0f%% of the talking in the last %s. Give the candidate more room.",
				100*r.You, minutesSeconds(ms(cfg.ShareWindow)))})
	}
	return out
}

func newTalkShare(you, them int64) TalkShare {
	t := TalkShare{YouMs: you, ThemMs: them}
	if you+them > 0 {
		t.You = float64(you) / float64(you+them)
	}
	return t
}

// speaker is one side's inputs and running totals.
type speaker struct {
	segs        spanList // transcribed spans, with their words and fillers
	vad         spanList // voice activity
	hasVAD      bool     // voice activity is the measure of speaking time
	segRuns     runs
	vadRuns     runs
	words       int
	fillerTotal int
	fillers     map[string]int // by filler; bounded by the lists' length
	pace        paceState
}

// paceState remembers since when the pace has been out of the band, in
// transcribed speaking time, so a warning needs sustained speech.
type paceState struct {
	dir   int   // +1 fast, -1 slow, 0 in the band or not enough speech
	since int64 // segs.total when dir last changed
}

func (sp *speaker) updatePace(cfg CoachConfig) {
	wpm, speech, _ := sp.paceWindow(ms(cfg.PaceWindow))
	dir := 0
	if speech >= ms(cfg.MinPaceSpeech) {
		switch {
		case cfg.FastWPM > 0 && wpm > cfg.FastWPM:
			dir = 1
		case cfg.SlowWPM > 0 && wpm < cfg.SlowWPM:
			dir = -1
		}
	}
	if dir != sp.pace.dir {
		sp.pace = paceState{dir: dir, since: sp.segs.total}
	}
}

// paceWindow measures words and fillers per minute over the last window
// ms of transcribed speech, as the Coach comment describes.
func (sp *speaker) paceWindow(window int64) (wpm float64, speech int64, fillersPerMin float64) {
	var words, fillers float64
	for i := len(sp.segs.spans) - 1; i >= 0 && speech < window; i-- {
		s := sp.segs.spans[i]
		d := s.end - s.start
		frac := 1.0
		if speech+d > window {
			frac = float64(window-speech) / float64(d)
			d = window - speech
		}
		words += frac * float64(s.words)
		fillers += frac * float64(s.fillers)
		speech += d
	}
	if speech == 0 {
		return 0, 0, 0
	}
	minutes := float64(speech) / 60_000
	return words / minutes, speech, fillers / minutes
}

func (sp *speaker) lastSegEnd() int64 {
	if n := len(sp.segs.spans); n > 0 {
		return sp.segs.spans[n-1].end
	}
	return math.MinInt64 / 2
}

func (sp *speaker) basis() *spanList {
	if sp.hasVAD {
		return &sp.vad
	}
	return &sp.segs
}

func (sp *speaker) basisRuns() runs {
	if sp.hasVAD {
		return sp.vadRuns
	}
	return sp.segRuns
}

func (sp *speaker) monologue(src Source) Monologue {
	r := sp.basisRuns()
	return Monologue{Source: src, StartMs: r.start, Ms: r.end - r.start}
}

func (sp *speaker) stats(cfg CoachConfig, now int64) SpeakerStats {
	st := SpeakerStats{Words: sp.words, FillerTotal: sp.fillerTotal}
	wpm, speech, fpm := sp.paceWindow(ms(cfg.PaceWindow))
	st.PaceSpeechMs = speech
	if speech >= ms(cfg.MinPaceSpeech) {
		st.WPM, st.FillersPerMin = wpm, fpm
	}
	transcribedMin := float64(sp.segs.total) / 60_000
	if transcribedMin > 0 {
		st.FillersPerMinAll = float64(sp.fillerTotal) / transcribedMin
	}
	for name, n := range sp.fillers {
		fc := FillerCount{Filler: name, Count: n}
		if transcribedMin > 0 {
			fc.PerMin = float64(n) / transcribedMin
		}
		st.Fillers = append(st.Fillers, fc)
	}
	slices.SortFunc(st.Fillers, func(a, b FillerCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Filler, b.Filler))
	})

	b := sp.basis()
	st.SpeakingMs = b.total
	st.RecentSpeakingMs = b.within(now-ms(cfg.ShareWindow), now)

	r := sp.basisRuns()
	st.LongestMonologueMs = r.longest
	if r.any && r.end >= now-ms(cfg.MonologueGap) {
		st.Speaking = true
		st.MonologueMs = r.end - r.start
	}
	return st
}

// span is a stretch of one speaker's time; words and fillers are set for
// transcript spans.
type span struct {
	start, end     int64
	words, fillers int
}

// spanList keeps a speaker's spans sorted and disjoint: overlapping inputs
// are merged (their words added up), so time is never counted twice.
type spanList struct {
	spans []span
	total int64 // length of everything ever added, after merging
	kept  int64 // length of the spans still held
}

func (l *spanList) add(s span) {
	n := len(l.spans)
	// Spans nearly always arrive in order, after the last one.
	if n == 0 || l.spans[n-1].end <= s.start {
		l.spans = append(l.spans, s)
		l.total += s.end - s.start
		l.kept += s.end - s.start
		return
	}
	i := sort.Search(n, func(k int) bool { return l.spans[k].end > s.start })
	j, merged, old := i, s, int64(0)
	for ; j < n && l.spans[j].start < s.end; j++ {
		o := l.spans[j]
		merged.start, merged.end = min(merged.start, o.start), max(merged.end, o.end)
		merged.words += o.words
		merged.fillers += o.fillers
		old += o.end - o.start
	}
	added := merged.end - merged.start - old
	l.total += added
	l.kept += added
	l.spans = slices.Replace(l.spans, i, j, merged)
}

// prune drops leading spans that end before `before` while the spans left
// still hold at least keep ms.
func (l *spanList) prune(before, keep int64) {
	n := 0
	for n < len(l.spans) {
		s := l.spans[n]
		if s.end >= before || l.kept-(s.end-s.start) < keep {
			break
		}
		l.kept -= s.end - s.start
		n++
	}
	if n > 0 {
		l.spans = slices.Delete(l.spans, 0, n)
	}
}

// within is the time the spans cover between from and to.
func (l *spanList) within(from, to int64) int64 {
	var sum int64
	for i := len(l.spans) - 1; i >= 0; i-- {
		s := l.spans[i]
		if s.end <= from {
			break
		}
		if lo, hi := max(s.start, from), min(s.end, to); hi > lo {
			sum += hi - lo
		}
	}
	return sum
}

// runs follows monologues as intervals arrive: the current one and the
// longest so far. An interval that arrives late, entirely before the
// current monologue, is left out rather than rewriting history.
type runs struct {
	start, end int64
	longest    int64
	any        bool
}

func (r *runs) add(start, end, gap int64) {
	switch {
	case !r.any:
		r.start, r.end, r.any = start, end, true
	case end < r.start:
		return
	case start-r.end < gap:
		r.start, r.end = min(r.start, start), max(r.end, end)
	default:
		r.start, r.end = start, end
	}
	r.longest = max(r.longest, r.end-r.start)
}

func ms(d time.Duration) int64 { return d.Milliseconds() }

// minutesSeconds writes a length as "2 min 5 s" or "45 s" for messages.
func minutesSeconds(ms int64) string {
	s := ms / 1000
	switch {
	case s < 60:
		return fmt.Sprintf("%d s", s)
	case s%60 == 0:
		return fmt.Sprintf("%d min", s/60)
	}
	return fmt.Sprintf("%d min %d s", s/60, s%60)
}
