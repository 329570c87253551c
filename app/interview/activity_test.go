package interview

import (
	"fmt"
	"math"
	"testing"
)

func TestActivityBins(t *testing.T) {
	tests := []struct {
		name     string
		segs     []Segment
		bins     int
		wantYou  []float64
		wantThem []float64
	}{
		{
			name:     "segments crossing bin edges are split in proportion",
			segs:     []Segment{seg(SourceYou, 500, 2_500, "a"), seg(SourceThem, 2_500, 4_000, "b")},
			bins:     4, // 1 s each
			wantYou:  []float64{0.5, 1, 0.5, 0},
			wantThem: []float64{0, 0, 0.5, 1},
		},
		{
			name:     "overlapping segments of one speaker count once",
			segs:     []Segment{seg(SourceYou, 0, 1_500, "a"), seg(SourceYou, 1_000, 2_000, "b"), seg(SourceThem, 1_000, 2_000, "c")},
			bins:     2,
			wantYou:  []float64{1, 1},
			wantThem: []float64{0, 1},
		},
		{
			name:     "one bin",
			segs:     []Segment{seg(SourceThem, 0, 1_000, "a"), seg(SourceYou, 3_000, 4_000, "b")},
			bins:     0, // taken as one
			wantYou:  []float64{0.25},
			wantThem: []float64{0.25},
		},
		{
			name:     "uneven bins: 10 ms into 3",
			segs:     []Segment{seg(SourceYou, 0, 10, "a")},
			bins:     3, // 0–3, 3–6, 6–10
			wantYou:  []float64{1, 1, 1},
			wantThem: []float64{0, 0, 0},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := Activity(&Bundle{Segments: tt.segs}, tt.bins)
			var you, them []float64
			for _, b := range a.Bins {
				you, them = append(you, b.You), append(them, b.Them)
			}
			if fmt.Sprint(you) != fmt.Sprint(tt.wantYou) || fmt.Sprint(them) != fmt.Sprint(tt.wantThem) {
				t.Errorf("got you %v them %v, want you %v them %v", you, them, tt.wantYou, tt.wantThem)
			}
		})
	}
}

// The bins' speaking time adds up to the speakers' covered time whatever
// the bin count, and the bins tile the length with no gap.
func TestActivitySumsToSpeakingTime(t *testing.T) {
	b := syntheticBundle(20*60_000, 200, 10, 20)
	st := NewTalkStats(b)
	for _, bins := range []int{1, 7, 100, 333, 1_000, 5_000} {
		a := Activity(b, bins)
		var you, them float64
		var prevEnd int64
		for i, bin := range a.Bins {
			if bin.StartMs != prevEnd {
				t.Fatalf("%d bins: bin %d starts at %d, want %d", bins, i, bin.StartMs, prevEnd)
			}
			prevEnd = bin.EndMs
			w := float64(bin.EndMs - bin.StartMs)
			you += bin.You * w
			them += bin.Them * w
		}
		if prevEnd != a.LengthMs {
			t.Errorf("%d bins: last bin ends at %d, want %d", bins, prevEnd, a.LengthMs)
		}
		// The synthetic transcript's words are all ordinary, so every
		// segment counts as speech in both measures.
		if math.Abs(you-float64(st.You.SpeakingMs)) > 1e-6*float64(bins) || math.Abs(them-float64(st.Them.SpeakingMs)) > 1e-6*float64(bins) {
			t.Errorf("%d bins: got you %.3f them %.3f ms, want %d and %d", bins, you, them, st.You.SpeakingMs, st.Them.SpeakingMs)
		}
	}
}

func TestActivityMarkers(t *testing.T) {
	b := &Bundle{
		Questions: []Question{asked(1, "Q1", 5_000, 4), queued(2, "Q2"), asked(3, "Q3", 0, 0)},
		Notes:     []Note{{AtMs: 5_000, Text: "good #strength", Tags: []string{TagStrength}}, {AtMs: 9_000, Text: "later"}},
		Segments:  []Segment{seg(SourceYou, 0, 10_000, "a")},
	}
	a := Activity(b, 10)
	var got []string
	for _, m := range a.Markers {
		got = append(got, fmt.Sprintf("%s@%d x=%.1f bin=%d i=%d r=%d %v", m.Kind, m.AtMs, m.X, m.Bin, m.Index, m.Rating, m.Tags))
	}
	want := []string{
		"question@0 x=0.0 bin=0 i=2 r=0 []",
		"question@5000 x=0.5 bin=5 i=0 r=4 []",
		"note@5000 x=0.5 bin=5 i=0 r=0 [strength]",
		"note@9000 x=0.9 bin=9 i=1 r=0 []",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("markers:\ngot  %q\nwant %q", got, want)
	}
}

func TestActivityInverse(t *testing.T) {
	a := Activity(&Bundle{Segments: []Segment{seg(SourceYou, 0, 10, "a")}}, 3) // bins 0–3, 3–6, 6–10
	binAt := []struct {
		ms   int64
		want int
	}{{-5, 0}, {0, 0}, {2, 0}, {3, 1}, {5, 1}, {6, 2}, {9, 2}, {10, 2}, {99, 2}}
	for _, tt := range binAt {
		if got := a.BinAt(tt.ms); got != tt.want {
			t.Errorf("BinAt(%d): got %d, want %d", tt.ms, got, tt.want)
		}
	}
	timeAt := []struct {
		x    float64
		want int64
	}{{-1, 0}, {0, 0}, {0.5, 5}, {0.99, 9}, {1, 10}, {2, 10}, {math.NaN(), 0}}
	for _, tt := range timeAt {
		if got := a.TimeAt(tt.x); got != tt.want {
			t.Errorf("TimeAt(%v): got %d, want %d", tt.x, got, tt.want)
		}
	}
	// Round trip on a long interview: the bin of a bin's start is that bin,
	// and the time at a bin's x is in that bin.
	long := Activity(syntheticBundle(2*3600_000, 100, 5, 5), 997)
	for i := range long.Bins {
		if got := long.BinAt(long.BinStart(i)); got != i {
			t.Fatalf("BinAt(BinStart(%d)): got %d", i, got)
		}
		mid := (long.Bins[i].StartMs + long.Bins[i].EndMs) / 2
		if got := long.BinAt(long.TimeAt(long.X(mid))); got != i {
			t.Fatalf("bin %d: BinAt(TimeAt(X(%d))): got %d", i, mid, got)
		}
	}
	empty := Activity(&Bundle{}, 4)
	if empty.LengthMs != 0 || empty.BinAt(100) != 0 || empty.TimeAt(0.5) != 0 || empty.X(5) != 0 {
		t.Errorf("empty interview: got length %d bin %d time %d x %v, want zeros", empty.LengthMs, empty.BinAt(100), empty.TimeAt(0.5), empty.X(5))
	}
}
