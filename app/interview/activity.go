package interview

import (
	"cmp"
	"slices"
)

// ActivityPicture is what the review draws above the timeline: who spoke
// when, across the whole interview, with notes and questions on the same
// axis. Positions are fractions of the width (0..1) so the UI can draw it
// at any size; bins are whole milliseconds so the figures add up exactly.
type ActivityPicture struct {
	LengthMs int64
	Bins     []ActivityBin
	Markers  []Marker // by time; at the same time questions before notes
}

// ActivityBin is one column of the picture: the fractions (0..1) of its
// time during which each speaker's transcribed speech was going on.
// Overlapping segments of one speaker count once; You and Them may both be
// speaking at once, so their sum can exceed 1.
type ActivityBin struct {
	StartMs, EndMs int64 // [StartMs, EndMs)
	You, Them      float64
	Unknown        float64 // SourceFile: an imported recording's speaker
}

// MarkerKind tells what a marker stands for.
type MarkerKind string

// Kinds of marker.
const (
	MarkerQuestion MarkerKind = "question"
	MarkerNote     MarkerKind = "note"
)

// Marker is a question asked or a note, placed on the picture. Tags ride on
// note markers: a tagged note is drawn in its first tag's colour.
type Marker struct {
	Kind   MarkerKind
	AtMs   int64
	X      float64 // AtMs as a fraction of the length
	Bin    int
	Index  int // into Bundle.Questions or Bundle.Notes, by Kind
	Text   string
	Rating int      // questions: 0 when not rated
	Tags   []string // notes
}

// Activity divides b's length (ReviewLengthMs) into bins columns and
// measures each speaker in each, and places every asked question and every
// note. Fewer than one bin is taken as one. An interview with no length
// gives bins of no length and all-zero fractions.
func Activity(b *Bundle, bins int) ActivityPicture {
	bins = max(bins, 1)
	a := ActivityPicture{LengthMs: ReviewLengthMs(b), Bins: make([]ActivityBin, bins)}
	for i := range a.Bins {
		a.Bins[i].StartMs, a.Bins[i].EndMs = a.BinStart(i), a.BinStart(i+1)
	}

	spans := map[Source][][2]int64{}
	for _, i := range segmentsByStart(b.Segments) {
		s := &b.Segments[i]
		if s.EndMs > s.StartMs && s.Source.Valid() {
			spans[s.Source] = append(spans[s.Source], [2]int64{s.StartMs, s.EndMs})
		}
	}
	covered := make([]int64, bins)
	for src, list := range spans {
		clear(covered)
		for _, s := range mergeSpans(list) {
			a.spread(s, covered)
		}
		for i := range a.Bins {
			bin := &a.Bins[i]
			w := bin.EndMs - bin.StartMs
			if w <= 0 {
				continue
			}
			f := float64(covered[i]) / float64(w)
			switch src {
			case SourceYou:
				bin.You = f
			case SourceThem:
				bin.Them = f
			default:
				bin.Unknown = f
			}
		}
	}

	for i := range b.Questions {
		if q := &b.Questions[i]; q.Status == QuestionAsked {
			a.Markers = append(a.Markers, Marker{Kind: MarkerQuestion, AtMs: q.AskedAtMs, X: a.X(q.AskedAtMs), Bin: a.BinAt(q.AskedAtMs),
				Index: i, Text: q.Text, Rating: q.Rating})
		}
	}
	for i := range b.Notes {
		n := &b.Notes[i]
		a.Markers = append(a.Markers, Marker{Kind: MarkerNote, AtMs: n.AtMs, X: a.X(n.AtMs), Bin: a.BinAt(n.AtMs),
			Index: i, Text: n.Text, Tags: n.Tags})
	}
	slices.SortStableFunc(a.Markers, func(x, y Marker) int {
		return cmp.Or(cmp.Compare(x.AtMs, y.AtMs), cmp.Compare(kindOrder(x.Kind), kindOrder(y.Kind)))
	})
	return a
}

func kindOrder(k MarkerKind) int {
	if k == MarkerQuestion {
		return 0
	}
	return 1
}

// spread adds the span's time to the bins it crosses.
func (a *ActivityPicture) spread(s [2]int64, covered []int64) {
	start, end := max(s[0], 0), min(s[1], a.LengthMs)
	if end <= start {
		return
	}
	for i := a.BinAt(start); i < len(a.Bins) && a.Bins[i].StartMs < end; i++ {
		lo, hi := max(start, a.Bins[i].StartMs), min(end, a.Bins[i].EndMs)
		if hi > lo {
			covered[i] += hi - lo
		}
	}
}

// mergeSpans joins overlapping spans (sorted by start).
func mergeSpans(list [][2]int64) [][2]int64 {
	out := list[:0:0]
	for _, s := range list {
		if n := len(out); n > 0 && s[0] <= out[n-1][1] {
			out[n-1][1] = max(out[n-1][1], s[1])
			continue
		}
		out = append(out, s)
	}
	return out
}

// BinStart is where bin i begins; BinStart(len(Bins)) is the end. Bins
// differ in length by at most a millisecond.
func (a *ActivityPicture) BinStart(i int) int64 {
	n := int64(max(len(a.Bins), 1))
	i = max(0, min(i, len(a.Bins)))
	return a.LengthMs * int64(i) / n
}

// BinAt is the bin holding interview time atMs, clamped to the picture.
func (a *ActivityPicture) BinAt(atMs int64) int {
	n := len(a.Bins)
	if n == 0 || a.LengthMs <= 0 || atMs <= 0 {
		return 0
	}
	if atMs >= a.LengthMs {
		return n - 1
	}
	// The inverse of BinStart's floor: the largest i with BinStart(i) ≤ atMs.
	i := int((atMs*int64(n) + int64(n) - 1) / a.LengthMs)
	for i > 0 && a.BinStart(i) > atMs {
		i--
	}
	for i+1 < n && a.BinStart(i+1) <= atMs {
		i++
	}
	return i
}

// X is interview time atMs as a fraction of the width, clamped to 0..1.
func (a *ActivityPicture) X(atMs int64) float64 {
	if a.LengthMs <= 0 {
		return 0
	}
	return min(1, max(0, float64(atMs)/float64(a.LengthMs)))
}

// TimeAt is the interview time at fraction x of the width (0 left, 1
// right), clamped: where a click on the picture should jump.
func (a *ActivityPicture) TimeAt(x float64) int64 {
	if !(x > 0) { // also NaN
		return 0
	}
	if x >= 1 {
		return a.LengthMs
	}
	return int64(x * float64(a.LengthMs))
}
