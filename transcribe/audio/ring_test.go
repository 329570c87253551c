package audio

import (
	"runtime"
	"sync"
	"testing"
)

func TestRingWrapsAndKeepsFramesWhole(t *testing.T) {
	q := newRing(5, 2) // 10 samples → 16 slots, 8 frames
	if got := q.capacityFrames(); got != 8 {
		t.Fatalf("capacity %d frames, want 8", got)
	}
	next, want := float32(0), float32(0)
	out := make([]float32, 7) // odd: only 3 whole frames fit
	for range 50 {
		in := make([]float32, 6)
		for i := range in {
			in[i] = next
			next++
		}
		if d := q.write(in); d != 0 {
			t.Fatalf("dropped %d frames with room to spare", d)
		}
		for q.buffered() > 0 {
			n := q.read(out)
			if n%2 != 0 || n == 0 {
				t.Fatalf("read %d samples, want a whole number of frames", n)
			}
			for _, v := range out[:n] {
				if v != want {
					t.Fatalf("got sample %g, want %g", v, want)
				}
				want++
			}
		}
	}
	if q.write([]float32{1, 2, 3}) != 0 || q.buffered() != 2 {
		t.Errorf("a half frame was queued: %d samples buffered, want 2", q.buffered())
	}
}

func TestRingDropsNewestWhenFull(t *testing.T) {
	q := newRing(4, 1)
	in := []float32{0, 1, 2, 3, 4, 5}
	if d := q.write(in); d != 2 {
		t.Fatalf("dropped %d, want 2", d)
	}
	if d := q.write([]float32{9}); d != 1 || q.dropped.Load() != 3 {
		t.Fatalf("dropped %d (total %d), want 1 (total 3)", d, q.dropped.Load())
	}
	out := make([]float32, 8)
	n := q.read(out)
	if n != 4 || out[0] != 0 || out[3] != 3 {
		t.Errorf("read %v, want the oldest four [0 1 2 3]", out[:n])
	}
}

// A producer and a consumer on separate goroutines, with -race: every
// sample read is the next one written, and read + dropped = written.
func TestRingConcurrent(t *testing.T) {
	const total = 200_000
	q := newRing(256, 2)
	var wg sync.WaitGroup
	wg.Add(1)
	var written int
	go func() {
		defer wg.Done()
		chunk := make([]float32, 64)
		for f := 0; f < total; {
			for i := 0; i < len(chunk); i += 2 {
				chunk[i], chunk[i+1] = float32(f), -float32(f)
				f++
			}
			q.write(chunk)
			written += len(chunk) / 2
			runtime.Gosched()
		}
	}()
	out := make([]float32, 100)
	read, last := 0, float32(-1)
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	check := func(n int) {
		for i := 0; i < n; i += 2 {
			if out[i] <= last || out[i+1] != -out[i] {
				t.Fatalf("frame %d: %g,%g after %g: out of order or torn", read, out[i], out[i+1], last)
			}
			last = out[i]
			read++
		}
	}
	for {
		n := q.read(out)
		check(n)
		if n == 0 {
			select {
			case <-done:
				for n := q.read(out); n > 0; n = q.read(out) {
					check(n)
				}
				if d := int(q.dropped.Load()); read+d != written {
					t.Fatalf("read %d + dropped %d != written %d", read, d, written)
				}
				t.Logf("read %d frames, dropped %d", read, q.dropped.Load())
				return
			default:
				runtime.Gosched()
			}
		}
	}
}

// BenchmarkRing pushes and pulls one second of 48 kHz stereo per op in
// 10 ms callbacks, the shape of a capture stream.
func BenchmarkRing(b *testing.B) {
	const rate, ch = 48000, 2
	q := newRing(rate, ch)
	in := make([]float32, rate/100*ch)
	out := make([]float32, 4096*ch)
	b.SetBytes(rate * ch * 4)
	b.ReportAllocs()
	for b.Loop() {
		for range 100 {
			q.write(in)
			for q.read(out) > 0 {
			}
		}
	}
}
