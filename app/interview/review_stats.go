package interview

import (
	"cmp"
	"slices"
)

// TalkStats are the review's figures for the whole interview, measured on
// the stored transcript. Voice activity is not stored, so speaking time is
// the time the speaker's segments cover (overlaps counted once); segments
// with no words ("[BLANK_AUDIO]") are not speech, as in the live Coach.
type TalkStats struct {
	LengthMs int64
	Share    TalkShare // You against Them
	You      SpeakerTalk
	Them     SpeakerTalk
	// Unknown is an imported recording's speaker (SourceFile).
	Unknown SpeakerTalk

	Asked, Skipped, Queued int
}

// SpeakerTalk is one speaker's figures over the whole interview.
type SpeakerTalk struct {
	SpeakingMs int64
	Words      int
	// WPM is words per minute of the speaker's own speaking time, not of
	// the interview's length.
	WPM           float64
	Fillers       []FillerCount // most frequent first; PerMin per speaking minute
	FillerTotal   int
	FillersPerMin float64
	// Longest is the longest stretch of speech with no pause of
	// reviewMonologueGap or more (the live coach's rule).
	Longest Monologue
}

// reviewMonologueGap is the pause that ends a monologue: the live coach's
// default, so the review agrees with what the coach showed.
var reviewMonologueGap = ms(DefaultCoachConfig().MonologueGap)

// NewTalkStats measures b. Filler words are found with the interview's
// language (see NewFillerMatcher).
func NewTalkStats(b *Bundle) TalkStats {
	st := TalkStats{LengthMs: ReviewLengthMs(b)}
	for i := range b.Questions {
		switch b.Questions[i].Status {
		case QuestionAsked:
			st.Asked++
		case QuestionSkipped:
			st.Skipped++
		default:
			st.Queued++
		}
	}

	m := NewFillerMatcher(b.Interview.Language)
	acc := map[Source]*talkAcc{SourceYou: {}, SourceThem: {}, SourceFile: {}}
	for _, i := range segmentsByStart(b.Segments) {
		s := &b.Segments[i]
		a := acc[s.Source]
		if a == nil {
			continue
		}
		words := m.Count(s.Display(), func(name string) {
			if a.fillers == nil {
				a.fillers = map[string]int{}
			}
			a.fillers[name]++
			a.fillerTotal++
		})
		if words == 0 {
			continue
		}
		a.words += words
		a.spans = append(a.spans, [2]int64{s.StartMs, max(s.EndMs, s.StartMs)})
	}
	st.You = acc[SourceYou].talk(SourceYou)
	st.Them = acc[SourceThem].talk(SourceThem)
	st.Unknown = acc[SourceFile].talk(SourceFile)
	st.Share = newTalkShare(st.You.SpeakingMs, st.Them.SpeakingMs)
	return st
}

type talkAcc struct {
	spans       [][2]int64 // by start
	words       int
	fillers     map[string]int
	fillerTotal int
}

func (a *talkAcc) talk(src Source) SpeakerTalk {
	t := SpeakerTalk{Words: a.words, FillerTotal: a.fillerTotal}
	t.SpeakingMs = coveredMs(a.spans)
	// Monologues: spans merged across pauses shorter than the gap.
	var run [2]int64
	for k, s := range a.spans {
		if k == 0 || s[0]-run[1] >= reviewMonologueGap {
			run = s
		} else {
			run[1] = max(run[1], s[1])
		}
		if d := run[1] - run[0]; d > t.Longest.Ms || k == 0 {
			t.Longest = Monologue{Source: src, StartMs: run[0], Ms: d}
		}
	}
	minutes := float64(t.SpeakingMs) / 60_000
	if minutes > 0 {
		t.WPM = float64(a.words) / minutes
		t.FillersPerMin = float64(a.fillerTotal) / minutes
	}
	for name, n := range a.fillers {
		fc := FillerCount{Filler: name, Count: n}
		if minutes > 0 {
			fc.PerMin = float64(n) / minutes
		}
		t.Fillers = append(t.Fillers, fc)
	}
	slices.SortFunc(t.Fillers, func(x, y FillerCount) int {
		return cmp.Or(cmp.Compare(y.Count, x.Count), cmp.Compare(x.Filler, y.Filler))
	})
	return t
}

// coveredMs is the time spans (sorted by start) cover, overlaps once.
func coveredMs(spans [][2]int64) int64 {
	var total, end int64
	for k, s := range spans {
		if k == 0 || s[0] >= end {
			total += s[1] - s[0]
			end = s[1]
		} else if s[1] > end {
			total += s[1] - end
			end = s[1]
		}
	}
	return total
}
