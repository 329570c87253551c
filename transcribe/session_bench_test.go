package transcribe_test

import (
	"context"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/sidenote-app/sidenote/transcribe"
	"github.com/sidenote-app/sidenote/transcribe/transcribetest"
	"github.com/sidenote-app/sidenote/transcribe/vad"
)

// nothing is a recognizer that costs nothing, to measure the rest.
type nothing struct{}

func (nothing) Recognize(context.Context, []float32) ([]transcribe.Segment, error) {
	return nil, nil
}

// discard is a sink that keeps nothing, so a long run holds no transcript.
type discard struct{}

func (discard) Final(transcribe.Segment) error { return nil }

// conversation is a minute of alternating speech and pauses.
func conversation(seed uint64) []float32 {
	var bursts []transcribetest.Burst
	for at := time.Second; at < 55*time.Second; at += 6 * time.Second {
		bursts = append(bursts, transcribetest.Burst{At: at, Dur: 3 * time.Second})
	}
	return transcribetest.Scene(seed, time.Minute, bursts...)
}

// BenchmarkSessionPerAudioSecond is the pipeline's own cost (reading,
// voice activity, levels, queueing, events) per second of audio, with a
// recognizer that costs nothing, over a minute of conversation per op.
func BenchmarkSessionPerAudioSecond(b *testing.B) {
	audio := conversation(1)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		runToEnd(b, &transcribetest.Samples{Data: audio}, nothing{})
	}
	perSec := float64(b.Elapsed().Nanoseconds()) / float64(b.N) / 60
	b.ReportMetric(perSec, "ns/audio-s")
	b.ReportMetric(perSec/1e9*100, "%cpu-realtime")
}

// BenchmarkEndOfUtteranceToFinal runs in real time: a paced reader
// delivers utterances of 2 s and a recognizer busy 300 ms per audio
// second; it reports how long after an utterance's last sample was
// captured its final was stored, as a ratio to the recognizer's compute
// time for it. Each op is one utterance, 4 s of real time: run it with
// -benchtime=5x or so.
func BenchmarkEndOfUtteranceToFinal(b *testing.B) {
	const perSecond = 300 * time.Millisecond
	var bursts []transcribetest.Burst
	n := b.N
	for i := range n {
		bursts = append(bursts, transcribetest.Burst{At: time.Duration(4*i+1) * time.Second, Dur: 2 * time.Second})
	}
	audio := transcribetest.Scene(2, time.Duration(4*n+1)*time.Second, bursts...)
	reader := &transcribetest.Paced{Data: audio}
	sink := &transcribetest.Sink{Now: time.Now}
	var mu sync.Mutex
	type span struct{ start, end time.Duration }
	var finals []span
	done := make(chan struct{})
	s, err := transcribe.NewSession(transcribe.SessionOptions{
		Inputs:       []transcribe.Input{{Source: transcribe.SourceYou, Reader: reader}},
		Recognizer:   &transcribetest.Slow{PerSecond: perSecond, Spin: true},
		Sink:         sink,
		NewSegmenter: newVAD(vad.SegmenterConfig{}),
		PartialEvery: -1, // partials would compete for the recognizer
		OnEvent: func(e transcribe.Event) {
			switch e.Kind {
			case transcribe.EventFinal:
				mu.Lock()
				finals = append(finals, span{e.Start, e.End})
				mu.Unlock()
			case transcribe.EventInputEnded:
				close(done)
			}
		},
	})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	if err := s.Start(context.Background()); err != nil {
		b.Fatal(err)
	}
	<-done
	if err := s.Stop(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	stored := sink.Stored()
	if len(finals) != n || len(stored) != n {
		b.Fatalf("%d finals, %d stored, want %d", len(finals), len(stored), n)
	}
	t0 := reader.Started()
	var ratio, latency float64
	for i, f := range finals {
		captured := t0.Add(f.end) // when the utterance's last sample arrived
		lat := stored[i].Sub(captured)
		compute := time.Duration(int64(perSecond) * int64(f.end-f.start) / int64(time.Second))
		ratio += float64(lat) / float64(compute)
		latency += float64(lat)
	}
	b.ReportMetric(ratio/float64(n), "latency/compute")
	b.ReportMetric(latency/float64(n)/1e6, "ms-latency")
}

// BenchmarkTwoHourMemory replays two hours of conversation as fast as it
// goes, with a recognizer that costs nothing and a sink that keeps
// nothing, and reports the heap in use after 10 minutes and at the end.
// They should match: nothing grows with the length of the interview.
func BenchmarkTwoHourMemory(b *testing.B) {
	for b.Loop() {
		early, late := heapOverInterview(b, 2*time.Hour, 10*time.Minute)
		b.ReportMetric(float64(early)/(1<<20), "MB-heap@10min")
		b.ReportMetric(float64(late)/(1<<20), "MB-heap@2h")
	}
}

// TestMemoryStaysFlat is the short form of BenchmarkTwoHourMemory.
func TestMemoryStaysFlat(t *testing.T) {
	total := 2 * time.Hour // about 1.5 s
	if testing.Short() || raceEnabled {
		total = 15 * time.Minute
	}
	early, late := heapOverInterview(t, total, 5*time.Minute)
	if early == 0 || late == 0 {
		t.Fatalf("heap not measured: %d after 5 min, %d at the end", early, late)
	}
	if late > early+4<<20 {
		t.Errorf("heap in use %.1f MB after 5 min, %.1f MB after %v: want flat", float64(early)/(1<<20), float64(late)/(1<<20), total)
	}
}

func heapOverInterview(tb testing.TB, total, early time.Duration) (earlyHeap, lateHeap uint64) {
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapInuse
	}
	totalN := int64(total * transcribe.SampleRate / time.Second)
	earlyN := int64(early * transcribe.SampleRate / time.Second)
	reader := &transcribetest.Repeat{Data: conversation(3), Total: totalN}
	reader.At = func(pos int64) {
		// Called on the reader's goroutine before each read.
		if pos >= earlyN && earlyHeap == 0 {
			earlyHeap = heap()
		}
		if pos >= totalN && lateHeap == 0 {
			lateHeap = heap()
		}
	}
	runToEnd(tb, reader, transcribetest.Spans{})
	return earlyHeap, lateHeap
}

// runToEnd runs one "You" input through a session with the VAD and rec,
// discarding the segments, until the input ends, then stops it.
func runToEnd(tb testing.TB, in transcribe.SampleReader, rec transcribe.Recognizer) {
	tb.Helper()
	done := make(chan struct{})
	s, err := transcribe.NewSession(transcribe.SessionOptions{
		Inputs:       []transcribe.Input{{Source: transcribe.SourceYou, Reader: in}},
		Recognizer:   rec,
		Sink:         discard{},
		NewSegmenter: newVAD(vad.SegmenterConfig{}),
		OnEvent: func(e transcribe.Event) {
			if e.Kind == transcribe.EventInputEnded {
				close(done)
			}
		},
	})
	if err != nil {
		tb.Fatal(err)
	}
	if err := s.Start(context.Background()); err != nil {
		tb.Fatal(err)
	}
	<-done
	if err := s.Stop(context.Background()); err != nil {
		tb.Fatal(err)
	}
}
