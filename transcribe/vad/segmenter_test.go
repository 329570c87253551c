package vad

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

func newSegmenter(t testing.TB, cfg SegmenterConfig) *Segmenter {
	t.Helper()
	s, err := NewSegmenter(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// segment feeds audio in chunks of the given size, flushes, and returns
// every event. The events are copied: Write reuses its slice.
func segment(t testing.TB, cfg SegmenterConfig, audio []float32, chunk int) []Event {
	t.Helper()
	s := newSegmenter(t, cfg)
	var events []Event
	for i := 0; i < len(audio); i += chunk {
		events = append(events, s.Write(audio[i:min(i+chunk, len(audio))])...)
	}
	return append(events, s.Flush()...)
}

func finals(events []Event) []Utterance {
	var out []Utterance
	for _, e := range events {
		if e.Kind == UtteranceEnded {
			out = append(out, e.Utterance)
		}
	}
	return out
}

func spans(us []Utterance) string {
	var b strings.Builder
	for _, u := range us {
		fmt.Fprintf(&b, "[%.3f–%.3f s] ", float64(u.Start)/sr, float64(u.End)/sr)
	}
	return b.String()
}

// checkWellFormed checks what every event stream must satisfy: each
// utterance goes started, partials, ended; samples match offsets;
// utterances do not overlap; a split one is continued at its end.
func checkWellFormed(t *testing.T, events []Event, max time.Duration) {
	t.Helper()
	var open *Utterance
	var prevEnd int64 = -1
	prevSplit := false
	for i, e := range events {
		u := e.Utterance
		if int64(len(u.Samples)) != u.End-u.Start {
			t.Fatalf("event %d (%v): %d samples for [%d, %d)", i, e.Kind, len(u.Samples), u.Start, u.End)
		}
		if u.Duration() > max {
			t.Fatalf("event %d (%v): %v long, over the maximum %v", i, e.Kind, u.Duration(), max)
		}
		switch e.Kind {
		case UtteranceStarted:
			if open != nil {
				t.Fatalf("event %d: started while [%d, …) is open", i, open.Start)
			}
			if u.Start < prevEnd {
				t.Fatalf("event %d: starts at %d, before the previous end %d", i, u.Start, prevEnd)
			}
			if prevSplit != u.Continued || (prevSplit && u.Start != prevEnd) {
				t.Fatalf("event %d: continued %v at %d after split %v ending at %d", i, u.Continued, u.Start, prevSplit, prevEnd)
			}
			open = &u
		case UtterancePartial, UtteranceEnded:
			if open == nil || u.Start != open.Start {
				t.Fatalf("event %d (%v) for [%d, %d) without its start", i, e.Kind, u.Start, u.End)
			}
			// A final may be shorter than the last partial: the partial
			// held hangover audio the final trims back to its post-roll.
			n := min(len(u.Samples), len(open.Samples))
			if !slices.Equal(u.Samples[:n], open.Samples[:n]) {
				t.Fatalf("event %d (%v): samples differ from the earlier event's", i, e.Kind)
			}
			if e.Kind == UtteranceEnded {
				open, prevEnd, prevSplit = nil, u.End, u.Split
			} else {
				open = &u
			}
		}
	}
	if open != nil {
		t.Fatalf("utterance [%d, …) never ended", open.Start)
	}
}

type sound struct{ start, end float64 }

func TestSegmenterFindsUtterances(t *testing.T) {
	const (
		pre  = 0.25
		hang = 0.3
		post = 0.2
		slop = 0.03 // onset detection and frame rounding
	)
	tests := []struct {
		name   string
		audio  []float32
		sounds []sound
	}{
		{
			"speech on -60 dBFS",
			scene(20, 12, part{kind: noiseBed, db: -60}, part{kind: speech, at: 2, dur: 2, db: -30}, part{kind: speech, at: 6, dur: 3.5, db: -25}),
			[]sound{{2, 4}, {6, 9.5}},
		},
		{
			"speech and sine on -50 dBFS",
			scene(21, 12, part{kind: noiseBed, db: -50}, part{kind: speech, at: 1.5, dur: 3, db: -20}, part{kind: sine, at: 7.2, dur: 1.5, db: -25, freq: 700}),
			[]sound{{1.5, 4.5}, {7.2, 8.7}},
		},
		{
			"noise bursts on -40 dBFS",
			scene(22, 10, part{kind: noiseBed, db: -40}, part{kind: noisy, at: 1, dur: 1, db: -20}, part{kind: noisy, at: 3, dur: 0.8, db: -18}, part{kind: noisy, at: 6.5, dur: 1.2, db: -22}),
			[]sound{{1, 2}, {3, 3.8}, {6.5, 7.7}},
		},
		{
			"speech on digital silence with a click",
			// Speech here has real silence between syllables; the first one
			// sets the floor, but ramps in loud enough to be found.
			scene(23, 8, part{kind: click, sampleAt: sec(0.7)}, part{kind: speech, at: 2, dur: 2.5, db: -25}, part{kind: speech, at: 5, dur: 1, db: -30}),
			[]sound{{2, 4.5}, {5, 6}},
		},
		{
			"speech over a floor rising -60 to -40 dBFS",
			scene(24, 40, part{kind: noiseBed, db: -60, toDB: -40, dur: 40},
				part{kind: speech, at: 5, dur: 2, db: -30}, part{kind: speech, at: 15, dur: 2, db: -25},
				part{kind: speech, at: 25, dur: 2, db: -22}, part{kind: speech, at: 35, dur: 3, db: -18}),
			[]sound{{5, 7}, {15, 17}, {25, 27}, {35, 38}},
		},
		{
			"two people, short gap",
			// 400 ms between them is over the hangover: two utterances, and
			// the second's pre-roll is clipped so they do not overlap.
			scene(25, 8, part{kind: noiseBed, db: -50}, part{kind: speech, at: 1, dur: 2, db: -25}, part{kind: speech, at: 3.4, dur: 2, db: -25}),
			[]sound{{1, 3}, {3.4, 5.4}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			events := segment(t, SegmenterConfig{}, tt.audio, 320)
			checkWellFormed(t, events, DefaultMaxUtterance)
			got := finals(events)
			if len(got) != len(tt.sounds) {
				t.Fatalf("got utterances %s, want %d", spans(got), len(tt.sounds))
			}
			for i, s := range tt.sounds {
				u := got[i]
				// Padded start: PreRoll before the sound, unless the previous
				// utterance ends later.
				want := sec(s.start - pre)
				if i > 0 {
					want = max(want, got[i-1].End)
				}
				if u.Start < want-sec(slop) || u.Start > sec(s.start) {
					t.Errorf("utterance %d starts at %.3f s, want %.3f s (±%v)", i, float64(u.Start)/sr, float64(want)/sr, slop)
				}
				// Ends after the sound, by the post-roll, within the hangover.
				if u.End < sec(s.end) || u.End > sec(s.end+hang+post+slop) {
					t.Errorf("utterance %d ends at %.3f s, want %.3f s to %.3f s", i, float64(u.End)/sr, s.end, s.end+hang+post)
				}
			}
		})
	}
}

func TestSegmenterDropsBlips(t *testing.T) {
	tests := []struct {
		name  string
		audio []float32
		want  int
	}{
		{"click", scene(30, 4, part{kind: noiseBed, db: -50}, part{kind: click, sampleAt: sec(2)}), 0},
		{"50 ms knock", scene(30, 4, part{kind: noiseBed, db: -50}, part{kind: noisy, at: 2, dur: 0.05, db: -15}), 0},
		{"150 ms cough", scene(30, 4, part{kind: noiseBed, db: -50}, part{kind: noisy, at: 2, dur: 0.15, db: -15}), 0},
		{"400 ms word", scene(30, 4, part{kind: noiseBed, db: -50}, part{kind: noisy, at: 2, dur: 0.4, db: -15}), 1},
		{"digital silence", make([]float32, 4*sr), 0},
		{"noise only", scene(31, 4, part{kind: noiseBed, db: -40}), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			events := segment(t, SegmenterConfig{}, tt.audio, 512)
			checkWellFormed(t, events, DefaultMaxUtterance)
			if got := finals(events); len(got) != tt.want {
				t.Errorf("got %d utterances %s, want %d", len(got), spans(got), tt.want)
			}
			if tt.want == 0 && len(events) != 0 {
				t.Errorf("got events %v for a dropped blip, want none", events)
			}
		})
	}
}

func TestSegmenterChunkingDoesNotMatter(t *testing.T) {
	audio := scene(40, 50, part{kind: noiseBed, db: -50},
		part{kind: speech, at: 1, dur: 3, db: -25},
		part{kind: noisy, at: 5, dur: 0.1, db: -20},
		part{kind: speech, at: 7, dur: 25, db: -22, gap: 0.02}, // split at the maximum
		part{kind: sine, at: 34, dur: 1.2, db: -25, freq: 330},
		part{kind: speech, at: 47, dur: 3, db: -25}, // open at the end: Flush
	)
	cfg := SegmenterConfig{PartialEvery: time.Second}
	want := segment(t, cfg, audio, len(audio))
	checkWellFormed(t, want, DefaultMaxUtterance)
	if n := len(finals(want)); n != 5 {
		t.Fatalf("got %d utterances %s, want 5", n, spans(finals(want)))
	}
	sizes := []int{1, 7, 160, 4000}
	if testing.Short() {
		sizes = sizes[1:]
	}
	for _, chunk := range sizes {
		t.Run(fmt.Sprint(chunk), func(t *testing.T) {
			got := segment(t, cfg, audio, chunk)
			compareEvents(t, got, want)
		})
	}
	t.Run("random", func(t *testing.T) {
		rng := rand.New(rand.NewPCG(41, 0))
		s := newSegmenter(t, cfg)
		var got []Event
		for rest := audio; len(rest) > 0; {
			n := min(len(rest), rng.IntN(3000))
			got = append(got, s.Write(rest[:n])...)
			rest = rest[n:]
		}
		compareEvents(t, append(got, s.Flush()...), want)
	})
}

func compareEvents(t *testing.T, got, want []Event) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d events, want %d", len(got), len(want))
	}
	for i := range got {
		g, w := got[i], want[i]
		if g.Kind != w.Kind || g.Utterance.Start != w.Utterance.Start || g.Utterance.End != w.Utterance.End ||
			g.Utterance.Split != w.Utterance.Split || g.Utterance.Continued != w.Utterance.Continued ||
			!slices.Equal(g.Utterance.Samples, w.Utterance.Samples) {
			t.Fatalf("event %d: got %v [%d, %d), want %v [%d, %d)", i, g.Kind, g.Utterance.Start, g.Utterance.End, w.Kind, w.Utterance.Start, w.Utterance.End)
		}
	}
}

func TestSegmenterSplitsLongSpeechAtQuietestPoint(t *testing.T) {
	// 50 s of speech whose syllables are 20 ms apart, except for pauses
	// under the hangover at 14 s and 31 s (150 ms, quieter than any
	// syllable gap) and one at 26 s (100 ms, in a half too early to cut).
	parts := []part{{kind: noiseBed, db: -50}}
	at := 1.0
	for _, end := range []float64{14, 26, 31, 51} {
		parts = append(parts, part{kind: speech, at: at, dur: end - at, db: -22, gap: 0.02})
		at = end + 0.15
		if end == 26 {
			at = end + 0.1
		}
	}
	audio := scene(50, 53, parts...)
	for _, max := range []time.Duration{DefaultMaxUtterance, 8 * time.Second} {
		t.Run(max.String(), func(t *testing.T) {
			events := segment(t, SegmenterConfig{MaxUtterance: max}, audio, 1000)
			checkWellFormed(t, events, max)
			got := finals(events)
			if len(got) < 3 {
				t.Fatalf("got %s, want the 50 s cut in several", spans(got))
			}
			if got[0].Start > sec(1) || got[len(got)-1].End < sec(51) {
				t.Errorf("got %s, want 1 s to 51 s covered", spans(got))
			}
			for i, u := range got[:len(got)-1] {
				if !u.Split || u.Duration() < max/2 {
					t.Errorf("utterance %d %s: split %v, want a split no shorter than half the maximum", i, spans(got[i:i+1]), u.Split)
				}
			}
			if max == DefaultMaxUtterance {
				// The cuts fall in the long pauses: the speech at 14.0 s
				// fades out over its last syllable, then 150 ms of noise.
				for i, pause := range []float64{14, 31} {
					if end := float64(got[i].End) / sr; end < pause || end > pause+0.15 {
						t.Errorf("cut %d at %.3f s, want in the pause %.2f–%.2f s", i, end, pause, pause+0.15)
					}
				}
			}
		})
	}
}

func TestSegmenterFlushEmitsOpenUtterance(t *testing.T) {
	audio := scene(60, 5, part{kind: noiseBed, db: -50}, part{kind: speech, at: 2, dur: 3, db: -25})
	s := newSegmenter(t, SegmenterConfig{})
	events := slices.Clone(s.Write(audio))
	if len(events) == 0 || events[0].Kind != UtteranceStarted {
		t.Fatalf("got %v before Flush, want the utterance started", events)
	}
	if finals(events) != nil {
		t.Fatalf("got a final before Flush while speech goes on")
	}
	events = append(events, s.Flush()...)
	checkWellFormed(t, events, DefaultMaxUtterance)
	got := finals(events)
	if len(got) != 1 || got[0].End != sec(5) || got[0].Start > sec(2) {
		t.Fatalf("got %s, want one utterance ending at the stream's end, 5 s", spans(got))
	}
	if len(s.Flush()) != 0 {
		t.Errorf("a second Flush emitted events")
	}

	// The clock runs on: the next stream's speech is dated after the first.
	events = slices.Clone(s.Write(audio))
	events = append(events, s.Flush()...)
	got = finals(events)
	if len(got) != 1 || got[0].Start < sec(5+1.5) || got[0].End != sec(10) {
		t.Fatalf("second stream: got %s, want one utterance from about 6.75 s to 10 s", spans(got))
	}
	if s.Position() != sec(10) {
		t.Errorf("position %d after two 5 s streams, want %d", s.Position(), sec(10))
	}
}

func TestSegmenterPartials(t *testing.T) {
	audio := scene(70, 10, part{kind: noiseBed, db: -50}, part{kind: speech, at: 1, dur: 7, db: -25})
	for _, every := range []time.Duration{time.Second, 1500 * time.Millisecond, -1} {
		t.Run(every.String(), func(t *testing.T) {
			events := segment(t, SegmenterConfig{PartialEvery: every}, audio, 777)
			checkWellFormed(t, events, DefaultMaxUtterance)
			var lens []int
			for _, e := range events {
				if e.Kind != UtteranceEnded {
					lens = append(lens, len(e.Utterance.Samples))
				}
			}
			if every < 0 {
				if len(lens) != 1 {
					t.Fatalf("got %d started/partial events with partials off, want 1", len(lens))
				}
				return
			}
			// From the start (pre-roll + MinSpeech) to the end of the
			// speech is about 6.75 s of new audio.
			want := int((6750 * time.Millisecond) / every)
			if len(lens)-1 < want-1 || len(lens)-1 > want {
				t.Errorf("got %d partials, want %d or %d", len(lens)-1, want-1, want)
			}
			step := sec(every.Seconds())
			for i := 1; i < len(lens); i++ {
				// Partials come at the first frame boundary past the interval.
				if d := int64(lens[i] - lens[i-1]); d < step || d >= step+160 {
					t.Errorf("partial %d grew by %d samples, want %d to %d", i, d, step, step+160)
				}
			}
		})
	}
}

func TestSegmenterBaseOffset(t *testing.T) {
	audio := scene(80, 6, part{kind: noiseBed, db: -50}, part{kind: speech, at: 2, dur: 2, db: -25})
	const base = 7_200 * sr // two hours in
	zero := segment(t, SegmenterConfig{}, audio, 500)
	moved := segment(t, SegmenterConfig{Base: base}, audio, 500)
	if len(zero) == 0 || len(zero) != len(moved) {
		t.Fatalf("got %d and %d events, want the same, more than none", len(zero), len(moved))
	}
	for i := range zero {
		z, m := zero[i].Utterance, moved[i].Utterance
		if m.Start != z.Start+base || m.End != z.End+base || !slices.Equal(m.Samples, z.Samples) {
			t.Errorf("event %d: got [%d, %d), want [%d, %d)", i, m.Start, m.End, z.Start+base, z.End+base)
		}
	}
	if got := finals(moved)[0].StartTime(); got < 2*time.Hour || got > 2*time.Hour+2*time.Second {
		t.Errorf("start time %v, want just after 2h0m1.75s", got)
	}
}

// The receiver owns what it is given: later writes must not change an
// utterance already reported, nor a partial's samples.
func TestSegmenterDoesNotReuseHandedOutSamples(t *testing.T) {
	audio := scene(90, 30, part{kind: noiseBed, db: -50},
		part{kind: speech, at: 1, dur: 3, db: -25}, part{kind: speech, at: 6, dur: 3, db: -20}, part{kind: speech, at: 12, dur: 15, db: -22})
	s := newSegmenter(t, SegmenterConfig{PartialEvery: 500 * time.Millisecond, MaxUtterance: 6 * time.Second})
	type kept struct{ live, copy []float32 }
	var all []kept
	for i := 0; i < len(audio); i += 640 {
		for _, e := range s.Write(audio[i:min(i+640, len(audio))]) {
			all = append(all, kept{e.Utterance.Samples, slices.Clone(e.Utterance.Samples)})
		}
	}
	for _, e := range s.Flush() {
		all = append(all, kept{e.Utterance.Samples, slices.Clone(e.Utterance.Samples)})
	}
	if len(all) < 10 {
		t.Fatalf("got %d events, want many", len(all))
	}
	for i, k := range all {
		if !slices.Equal(k.live, k.copy) {
			t.Fatalf("event %d's samples changed after it was reported", i)
		}
	}
}

func TestSegmenterConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		cfg  SegmenterConfig
		want string
	}{
		{"post-roll over hangover", SegmenterConfig{PostRoll: time.Second}, "hangover"},
		{"tiny maximum", SegmenterConfig{MaxUtterance: time.Second}, "maximum utterance"},
		{"negative pre-roll", SegmenterConfig{PreRoll: -time.Second}, "pre-roll"},
		{"negative base", SegmenterConfig{Base: -1}, "base"},
		{"bad detector", SegmenterConfig{Detector: DetectorConfig{OnMargin: 1, OffMargin: 2}}, "margins"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewSegmenter(tt.cfg)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error about %q", err, tt.want)
			}
		})
	}
}

// Two hours of a quiet room with a word now and then: the Segmenter's
// buffers must not grow with the stream, and neither must the heap.
func TestSegmenterMemoryStaysFlat(t *testing.T) {
	hours := 2.0
	if testing.Short() {
		hours = 0.25
	}
	room := repeatNoise(100, -55)
	word := scene(101, 1, part{kind: noiseBed, db: -55}, part{kind: speech, at: 0.2, dur: 0.6, db: -25})
	s := newSegmenter(t, SegmenterConfig{})
	chunk := 1024 // a typical callback after resampling; does not divide a second

	var before, after runtime.MemStats
	seconds := int(hours * 3600)
	utterances := 0
	pos := 0
	for sIdx := range seconds {
		if sIdx == 60 {
			runtime.GC()
			runtime.ReadMemStats(&before)
		}
		src := room
		if sIdx%600 == 300 { // a word every 10 minutes
			src = word
		}
		for i := 0; i < len(src); {
			n := min(chunk-pos%chunk, len(src)-i)
			for _, e := range s.Write(src[i : i+n]) {
				if e.Kind == UtteranceEnded {
					utterances++
				}
			}
			i += n
			pos += n
		}
		if cap(s.buf) > 4*sr || len(s.ring) > sr || len(s.levels) > 2100 || cap(s.events) > 8 {
			t.Fatalf("at %d s: buffers grew: utterance %d, ring %d, levels %d, events %d", sIdx, cap(s.buf), len(s.ring), len(s.levels), cap(s.events))
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	if want := seconds / 600; utterances < want-1 || utterances > want+1 {
		t.Errorf("got %d utterances, want about %d", utterances, want)
	}
	if grew := int64(after.HeapInuse) - int64(before.HeapInuse); grew > 1<<20 {
		t.Errorf("heap in use grew by %d bytes over %.2f h, want flat", grew, hours)
	}
	if s.Position() != int64(seconds)*sr {
		t.Errorf("position %d, want %d", s.Position(), int64(seconds)*sr)
	}
}

func TestSegmenterReportsEveryFrame(t *testing.T) {
	audio := scene(110, 5, part{kind: noiseBed, db: -50}, part{kind: speech, at: 1, dur: 2, db: -20})
	var frames []Frame
	cfg := SegmenterConfig{Base: 1000, OnFrame: func(f Frame) { frames = append(frames, f) }}
	s := newSegmenter(t, cfg)
	var events []Event
	for i := 0; i < len(audio); i += 333 {
		events = append(events, s.Write(audio[i:min(i+333, len(audio))])...)
		if s.Speaking() != (len(frames) > 0 && frames[len(frames)-1].Speaking) {
			t.Fatalf("Speaking() disagrees with the last frame at %d", s.Position())
		}
	}
	if len(frames) != len(audio)/160 {
		t.Fatalf("got %d frames, want %d", len(frames), len(audio)/160)
	}
	speaking := 0
	for i, f := range frames {
		if f.Start != 1000+int64(i)*160 {
			t.Fatalf("frame %d starts at %d, want %d", i, f.Start, 1000+i*160)
		}
		if f.Speaking {
			speaking++
		}
	}
	// Speaking from onset (+30 ms) to hangover after the end (+300 ms).
	if want := (2000 + 300 - 30) / 10; speaking < want-10 || speaking > want+10 {
		t.Errorf("speaking in %d frames, want about %d", speaking, want)
	}
	if len(finals(events)) != 1 || events[0].Kind.String() != "started" || EventKind(9).String() != "EventKind(9)" {
		t.Errorf("got events %v, want one utterance", events)
	}
	u := finals(events)[0]
	if u.EndTime()-u.StartTime() != u.Duration() {
		t.Errorf("end %v - start %v != duration %v", u.EndTime(), u.StartTime(), u.Duration())
	}

	// Reset forgets the open utterance and moves the clock.
	s.Write(audio[sec(1):sec(2)])
	s.Reset(50)
	if s.Position() != 50 || s.Speaking() || len(s.Flush()) != 0 {
		t.Errorf("after Reset: position %d, speaking %v, want 50, false and nothing to flush", s.Position(), s.Speaking())
	}
}
