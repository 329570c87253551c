package whisper_test

import (
	"context"
	"errors"
	"log/slog"
	"math"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sidenote-app/sidenote/transcribe/whisper"
	"github.com/sidenote-app/sidenote/transcribe/whisper/ggmlfile"
	"github.com/sidenote-app/sidenote/transcribe/whisper/whispertest"
)

// One model file for the whole package: writing it takes ~50 ms, loading it
// a little more, and tests share whisper.cpp's global setup anyway.
var modelPath string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "whisper-test-")
	if err != nil {
		panic(err)
	}
	modelPath = dir + "/ggml-test.bin"
	if _, err := whispertest.WriteFile(modelPath, whispertest.Geometry{}); err != nil {
		panic(err)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// babble are options that keep random-weight decoding short: one pass, few
// tokens, one thread (the CI machine has two busy cores).
func babble() whisper.Options {
	return whisper.Options{Threads: 1, MaxTokensPerSegment: 8}
}

func load(t testing.TB) *whisper.Model {
	t.Helper()
	m, err := whisper.Load(modelPath, whisper.LoadOptions{})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	t.Cleanup(func() { m.Close() })
	return m
}

// tone is a 440 Hz sine, enough signal for the encoder to chew on.
func tone(seconds float64) []float32 {
	n := int(seconds * whisper.SampleRate)
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(0.3 * math.Sin(2*math.Pi*440*float64(i)/whisper.SampleRate))
	}
	return s
}

func TestLoadRejectsCorpus(t *testing.T) {
	for _, bad := range whispertest.Corpus(t, t.TempDir()) {
		t.Run(bad.Name, func(t *testing.T) {
			m, err := whisper.Load(bad.Path, whisper.LoadOptions{})
			if err == nil {
				m.Close()
				t.Fatal("Load succeeded, want an error")
			}
			if !errors.Is(err, bad.Want) {
				t.Fatalf("Load = %v, want %v", err, bad.Want)
			}
		})
	}
}

func TestLoadMissing(t *testing.T) {
	_, err := whisper.Load(t.TempDir()+"/missing.bin", whisper.LoadOptions{})
	if !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("got %v, want os.ErrNotExist", err)
	}
}

func TestModelFacts(t *testing.T) {
	m := load(t)
	if m.IsMultilingual() {
		t.Error("English-only test model reports multilingual")
	}
	if got := m.Languages(); len(got) != 1 || got[0] != "en" {
		t.Errorf("Languages() = %v, want [en]", got)
	}
	if m.Header().NAudioState != 32 {
		t.Errorf("Header().NAudioState = %d, want 32", m.Header().NAudioState)
	}

	dir := t.TempDir()
	for _, g := range []whispertest.Geometry{
		{NVocab: ggmlfile.VocabMultilingual},
		{NVocab: ggmlfile.VocabLargeV3, Mels: 128},
	} {
		ml, err := whisper.Load(whispertest.WriteModel(t, dir, g), whisper.LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		langs := ml.Languages()
		if !ml.IsMultilingual() || len(langs) != ml.Header().NumLanguages() || langs[0] != "en" {
			t.Errorf("vocab %d: multilingual %v, %d languages (%v...), want true, %d, en first",
				g.NVocab, ml.IsMultilingual(), len(langs), langs[:min(3, len(langs))], ml.Header().NumLanguages())
		}
		ml.Close()
	}
}

func checkSegments(t *testing.T, segs []whisper.Segment, audio time.Duration) {
	t.Helper()
	var prev time.Duration
	for i, s := range segs {
		if s.Start < prev || s.End < s.Start || s.End > audio {
			t.Errorf("segment %d [%v, %v] out of order or outside [0, %v] (previous end %v)", i, s.Start, s.End, audio, prev)
		}
		if s.Confidence < 0 || s.Confidence > 1 {
			t.Errorf("segment %d confidence %v outside 0..1", i, s.Confidence)
		}
		prev = s.Start
	}
}

func TestTranscribeGeneratedModel(t *testing.T) {
	m := load(t)
	audio := tone(3)
	segs, err := m.Transcribe(context.Background(), audio, babble())
	if err != nil {
		t.Fatalf("Transcribe: %v", err)
	}
	if len(segs) == 0 {
		t.Fatal("no segments from 3 s of audio")
	}
	checkSegments(t, segs, 3*time.Second)
	t.Logf("%d segments, first %+v", len(segs), segs[0])
}

func TestTranscribeOptions(t *testing.T) {
	m := load(t)
	opts := babble()
	opts.TokenTimestamps = true
	opts.InitialPrompt = "Sidenote, Kubernetes"
	opts.NoSpeechThreshold = 0.9
	opts.Language = "en"
	segs, err := m.Transcribe(context.Background(), tone(2), opts)
	if err != nil {
		t.Fatalf("Transcribe: %v", err)
	}
	checkSegments(t, segs, 2*time.Second)
	tokens := 0
	for _, s := range segs {
		tokens += len(s.Tokens)
		for _, tok := range s.Tokens {
			if tok.P < 0 || tok.P > 1 || tok.End < tok.Start {
				t.Errorf("token %+v: probability outside 0..1 or end before start", tok)
			}
		}
	}
	if tokens == 0 {
		t.Error("TokenTimestamps set but no tokens returned")
	}

	// Without TokenTimestamps, no per-token slices are built.
	segs, err = m.Transcribe(context.Background(), tone(2), babble())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range segs {
		if s.Tokens != nil {
			t.Fatalf("Tokens = %v without TokenTimestamps", s.Tokens)
		}
	}
}

// A quantised (q8_0) model goes through the same path as f16: validation
// must agree with whisper.cpp's loader on block sizes, and the weights run.
func TestTranscribeQuantised(t *testing.T) {
	path := whispertest.WriteModel(t, t.TempDir(), whispertest.Geometry{FType: 7})
	m, err := whisper.Load(path, whisper.LoadOptions{})
	if err != nil {
		t.Fatalf("Load q8_0: %v", err)
	}
	defer m.Close()
	if got := m.Header().WeightType(); got != ggmlfile.Q8_0 {
		t.Errorf("WeightType() = %v, want q8_0", got)
	}
	segs, err := m.Transcribe(context.Background(), tone(2), babble())
	if err != nil {
		t.Fatal(err)
	}
	checkSegments(t, segs, 2*time.Second)
}

func TestTranscribeMultilingual(t *testing.T) {
	path := whispertest.WriteModel(t, t.TempDir(), whispertest.Geometry{NVocab: ggmlfile.VocabMultilingual})
	m, err := whisper.Load(path, whisper.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	for _, opts := range []whisper.Options{
		{Language: "auto"},
		{Language: "sv"},
		{Language: "SV", Translate: true},
	} {
		opts.Threads, opts.MaxTokensPerSegment = 1, 4
		if _, err := m.Transcribe(context.Background(), tone(1.5), opts); err != nil {
			t.Errorf("Transcribe(%+v): %v", opts, err)
		}
	}
}

func TestInvalidInput(t *testing.T) {
	m := load(t)
	ctx := context.Background()
	nan := tone(1)
	nan[100] = float32(math.NaN())
	for _, c := range []struct {
		name    string
		samples []float32
		opts    whisper.Options
		want    error
	}{
		{"nil samples", nil, babble(), whisper.ErrEmptyAudio},
		{"empty samples", []float32{}, babble(), whisper.ErrEmptyAudio},
		{"NaN sample", nan, babble(), whisper.ErrInvalidAudio},
		{"unknown language", tone(1), whisper.Options{Language: "xx"}, whisper.ErrUnsupportedLanguage},
		{"non-English on .en model", tone(1), whisper.Options{Language: "sv"}, whisper.ErrUnsupportedLanguage},
		{"translate on .en model", tone(1), whisper.Options{Translate: true}, whisper.ErrUnsupportedLanguage},
		{"negative threads", tone(1), whisper.Options{Threads: -1}, whisper.ErrInvalidOptions},
		{"negative token cap", tone(1), whisper.Options{MaxTokensPerSegment: -1}, whisper.ErrInvalidOptions},
		{"no-speech threshold above 1", tone(1), whisper.Options{NoSpeechThreshold: 2}, whisper.ErrInvalidOptions},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := m.Transcribe(ctx, c.samples, c.opts)
			if !errors.Is(err, c.want) {
				t.Fatalf("got %v, want %v", err, c.want)
			}
		})
	}

	// Very short audio is not an error: whisper.cpp has nothing to say.
	segs, err := m.Transcribe(ctx, make([]float32, 160), babble())
	if err != nil || len(segs) != 0 {
		t.Fatalf("10 ms of audio: got %v, %v; want no segments, no error", segs, err)
	}
}

func TestProgressClampedAndMonotonic(t *testing.T) {
	m := load(t)
	var got []int
	opts := babble()
	opts.Progress = func(p int) { got = append(got, p) }
	if _, err := m.Transcribe(context.Background(), tone(35), opts); err != nil {
		t.Fatal(err)
	}
	if len(got) == 0 || got[len(got)-1] != 100 {
		t.Fatalf("progress %v, want it to end at 100", got)
	}
	for i, p := range got {
		if p < 0 || p > 100 || (i > 0 && p <= got[i-1]) {
			t.Fatalf("progress %v: not strictly increasing within 0..100", got)
		}
	}
}

func TestCancel(t *testing.T) {
	m := load(t)
	ctx, cancel := context.WithCancel(context.Background())
	opts := babble()
	// Cancel from inside the run, once whisper.cpp is demonstrably busy,
	// so the test does not depend on timing.
	cancelled, after := false, []int(nil)
	opts.Progress = func(p int) {
		if cancelled {
			after = append(after, p)
		}
		if p > 0 && !cancelled {
			cancel()
			cancelled = true
		}
	}
	_, err := m.Transcribe(ctx, tone(120), opts)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	// whisper.cpp reports progress at every 30 s window; none after the
	// cancel means it stopped in the window where it was cancelled.
	if len(after) > 0 {
		t.Errorf("progress %v reported after cancel: whisper.cpp kept going", after)
	}

	// Already cancelled: returns at once.
	if _, err := m.Transcribe(ctx, tone(1), babble()); !errors.Is(err, context.Canceled) {
		t.Fatalf("pre-cancelled: got %v, want context.Canceled", err)
	}

	// The model is still usable after an abort.
	if _, err := m.Transcribe(context.Background(), tone(2), babble()); err != nil {
		t.Fatalf("after cancel: %v", err)
	}
}

// Cancelling from another goroutine while the encoder or decoder runs.
func TestCancelFromOutside(t *testing.T) {
	m := load(t)
	ctx, cancel := context.WithCancel(context.Background())
	started := make(chan struct{})
	var once sync.Once
	opts := babble()
	top := -1
	opts.Progress = func(p int) {
		top = p
		once.Do(func() { close(started) })
	}
	done := make(chan error, 1)
	go func() {
		_, err := m.Transcribe(ctx, tone(120), opts)
		done <- err
	}()
	<-started
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	if top == 100 {
		t.Error("progress reached 100: the cancel did not stop the run")
	}
}

func TestConcurrentTranscribe(t *testing.T) {
	m := load(t)
	other, err := whisper.Load(modelPath, whisper.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	var wg sync.WaitGroup
	errs := make(chan error, 6)
	for i := range 6 {
		model := m
		if i%3 == 2 {
			model = other // two models at once must be safe too
		}
		wg.Go(func() {
			opts := babble()
			opts.Progress = func(int) {}
			segs, err := model.Transcribe(context.Background(), tone(1+float64(i)/2), opts)
			if err == nil && len(segs) == 0 {
				err = errors.New("no segments")
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}

func TestClose(t *testing.T) {
	m, err := whisper.Load(modelPath, whisper.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	if err := m.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if _, err := m.Transcribe(context.Background(), tone(1), babble()); !errors.Is(err, whisper.ErrClosed) {
		t.Fatalf("Transcribe after Close: got %v, want ErrClosed", err)
	}
}

// recorder is a slog.Handler that keeps records.
type recorder struct {
	mu   sync.Mutex
	recs []slog.Record
}

func (r *recorder) Enabled(context.Context, slog.Level) bool { return true }
func (r *recorder) Handle(_ context.Context, rec slog.Record) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.recs = append(r.recs, rec)
	return nil
}
func (r *recorder) WithAttrs([]slog.Attr) slog.Handler { return r }
func (r *recorder) WithGroup(string) slog.Handler      { return r }

func TestLogsGoToSlog(t *testing.T) {
	rec := &recorder{}
	whisper.SetLogger(slog.New(rec))
	defer whisper.SetLogger(nil)

	stderr := captureStderr(t, func() {
		m := load(t)
		if _, err := m.Transcribe(context.Background(), tone(1), babble()); err != nil {
			t.Error(err)
		}
		m.Close()
	})
	if stderr != "" {
		t.Errorf("whisper.cpp wrote to stderr:\n%s", stderr)
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	var sawLoad bool
	for _, r := range rec.recs {
		if strings.Contains(r.Message, "\n") {
			t.Errorf("log record spans lines: %q", r.Message)
		}
		if strings.Contains(r.Message, "n_audio_state") {
			sawLoad = true
		}
	}
	if !sawLoad {
		t.Errorf("no whisper.cpp load messages in %d records", len(rec.recs))
	}
}

func TestSilentByDefault(t *testing.T) {
	stderr := captureStderr(t, func() {
		m := load(t)
		if _, err := m.Transcribe(context.Background(), tone(1), babble()); err != nil {
			t.Error(err)
		}
		m.Close()
		// A rejected file logs nothing either (it never reaches whisper.cpp).
		whisper.Load(os.DevNull, whisper.LoadOptions{})
	})
	if stderr != "" {
		t.Errorf("whisper.cpp wrote to stderr:\n%s", stderr)
	}
}

// BenchmarkTranscribe reports the cost per second of audio on the 4 MB test
// model with one thread: the engine's own overhead plus whisper.cpp's work
// on a minimal network, not real-model speed.
func BenchmarkTranscribe(b *testing.B) {
	m := load(b)
	audio := tone(10)
	opts := babble()
	b.ResetTimer()
	for b.Loop() {
		if _, err := m.Transcribe(context.Background(), audio, opts); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N)/10*1e3, "ms/audio-s")
}

func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		m, err := whisper.Load(modelPath, whisper.LoadOptions{})
		if err != nil {
			b.Fatal(err)
		}
		m.Close()
	}
}
