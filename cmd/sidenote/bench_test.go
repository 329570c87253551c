package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	// The one import of the bindings outside transcribe/whisper: the
	// benchmark's baseline is a bare call of them, on purpose.
	bindings "github.com/ggerganov/whisper.cpp/bindings/go"

	"github.com/sidenote-app/sidenote/transcribe/audio"
	"github.com/sidenote-app/sidenote/transcribe/audio/audiotest"
	"github.com/sidenote-app/sidenote/transcribe/whisper/whispertest"
)

// BenchmarkTranscribeOverhead compares `sidenote transcribe` on a 60 s file
// with a bare call of the whisper.cpp bindings on the same samples and
// settings (1 thread, greedy, no temperature fallback, 8 tokens per segment,
// English). Both load the model every time, as a command-line run does; the
// CLI side also reads and validates the WAV and the model and writes SRT.
// The two alternate inside one loop so machine noise hits both alike, and
// the ratio is reported as cli/direct.
//
//	make bench    or
//	go test -tags sqlite_fts5,migrated_fynedo -run '^$' -bench TranscribeOverhead -benchtime 20x ./cmd/sidenote
func BenchmarkTranscribeOverhead(b *testing.B) {
	dir := b.TempDir()
	model := whispertest.WriteModel(b, dir, whispertest.Geometry{})
	wav := filepath.Join(dir, "minute.wav")
	const seconds = 60
	tone := audiotest.Sine(16000, 220, 0.3, 16000*seconds)
	for i := range tone {
		if (i/8000)%3 == 2 {
			tone[i] = 0
		}
	}
	audiotest.WriteMono(b, wav, audiotest.Spec{Rate: 16000, Channels: 1, Bits: 16}, tone)
	samples, _, err := audio.ReadWAV16k(wav)
	if err != nil {
		b.Fatal(err)
	}
	data := filepath.Join(dir, "data")
	args := []string{"-data-dir", data, "transcribe", "-m", model, "-f", "srt", "-no-fallback", "-max-tokens", "8", "-t", "1", "-l", "en", wav}

	var cliTime, directTime time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		var out, errOut bytes.Buffer
		if code := run(context.Background(), args, ioEnv{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut}); code != 0 {
			b.Fatalf("cli: exit %d: %s", code, errOut.String())
		}
		cliTime += time.Since(start)

		start = time.Now()
		directTranscribe(b, model, samples)
		directTime += time.Since(start)
	}
	b.ReportMetric(float64(cliTime.Milliseconds())/float64(b.N), "cli-ms/op")
	b.ReportMetric(float64(directTime.Milliseconds())/float64(b.N), "direct-ms/op")
	b.ReportMetric(float64(cliTime)/float64(directTime), "cli/direct")
}

// directTranscribe is what a program using the bindings alone would do.
func directTranscribe(b *testing.B, model string, samples []float32) {
	ctx := bindings.Whisper_init(model)
	if ctx == nil {
		b.Fatal("whisper_init failed")
	}
	defer ctx.Whisper_free()
	p := ctx.Whisper_full_default_params(bindings.SAMPLING_GREEDY)
	p.SetThreads(1)
	p.SetPrintProgress(false)
	p.SetPrintRealtime(false)
	p.SetPrintTimestamps(false)
	p.SetMaxTokensPerSegment(8)
	p.SetTemperatureFallback(-1)
	if err := p.SetLanguage(ctx.Whisper_lang_id("en")); err != nil {
		b.Fatal(err)
	}
	if err := ctx.Whisper_full(p, samples, nil, nil, nil); err != nil {
		b.Fatal(err)
	}
	var sb strings.Builder
	for i := 0; i < ctx.Whisper_full_n_segments(); i++ {
		sb.WriteString(ctx.Whisper_full_get_segment_text(i))
	}
	if sb.Len() == 0 {
		b.Fatal("no text")
	}
}
