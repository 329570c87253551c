package transcribe

import (
	"os"
	"slices"
	"testing"
)

func TestSpoolRoundTripsAndRemovesItselfWhenEmpty(t *testing.T) {
	dir := t.TempDir()
	s := spool{dir: dir}
	a := []float32{0, -1, 1, 0.25, -0.125}
	b := []float32{3.5, 1e-9}
	atA, err := s.put(a)
	if err != nil {
		t.Fatal(err)
	}
	atB, err := s.put(b)
	if err != nil {
		t.Fatal(err)
	}
	if files, _ := os.ReadDir(dir); len(files) != 1 {
		t.Fatalf("%d files in the spool dir, want 1", len(files))
	}
	gotB, err := s.take(atB, len(b))
	if err != nil || !slices.Equal(gotB, b) {
		t.Fatalf("take b: %v, %v; want %v", gotB, err, b)
	}
	if s.path() == "" {
		t.Fatal("spool file gone with a record still in it")
	}
	gotA, err := s.take(atA, len(a))
	if err != nil || !slices.Equal(gotA, a) {
		t.Fatalf("take a: %v, %v; want %v", gotA, err, a)
	}
	if files, _ := os.ReadDir(dir); len(files) != 0 || s.path() != "" {
		t.Fatalf("spool dir holds %v once everything was taken, want nothing", files)
	}
	// A new put starts a new file; remove drops it with its records.
	if _, err := s.put(a); err != nil {
		t.Fatal(err)
	}
	if err := s.remove(); err != nil {
		t.Fatal(err)
	}
	if files, _ := os.ReadDir(dir); len(files) != 0 {
		t.Fatalf("spool dir holds %v after remove", files)
	}
}

func TestSpoolReportsAnUnwritableDir(t *testing.T) {
	s := spool{dir: t.TempDir() + "/missing"}
	if _, err := s.put([]float32{1}); err == nil {
		t.Fatal("put into a missing directory succeeded")
	}
}

func TestBacklogSpoolsBeyondItsBoundInStartOrder(t *testing.T) {
	b := newBacklog(2, 100, t.TempDir())
	mk := func(input int, start, n int64) *utterance {
		samples := make([]float32, n)
		for i := range samples {
			samples[i] = float32(start)
		}
		return &utterance{input: input, start: start, end: start + n, samples: samples}
	}
	for _, u := range []*utterance{mk(0, 500, 80), mk(1, 100, 80), mk(0, 300, 50), mk(1, 300, 10)} {
		if err := b.push(u); err != nil {
			t.Fatal(err)
		}
	}
	if st := b.status(Samples(1000)); st.Utterances != 4 || st.Spooled != 2 || st.Lag != Samples(900) {
		t.Fatalf("status %+v, want 4 utterances, 2 spooled (bound 100 samples), lag from 100", st)
	}
	var got [][2]int64
	for {
		u, err := b.pop()
		if err != nil {
			t.Fatal(err)
		}
		if u == nil {
			break
		}
		if u.samples[0] != float32(u.start) || int64(len(u.samples)) != u.len() {
			t.Errorf("utterance at %d came back with %d samples of %v", u.start, len(u.samples), u.samples[0])
		}
		got = append(got, [2]int64{u.start, int64(u.input)})
		b.finish()
	}
	want := [][2]int64{{100, 1}, {300, 0}, {300, 1}, {500, 0}}
	if !slices.Equal(got, want) {
		t.Errorf("popped %v, want %v (by start, then input)", got, want)
	}
	if b.spool.path() != "" {
		t.Error("spool file left after everything was popped")
	}
}
