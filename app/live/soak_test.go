package live

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sidenote-app/sidenote/app/interview"
	"github.com/sidenote-app/sidenote/transcribe"
	"github.com/sidenote-app/sidenote/transcribe/transcribetest"
	"github.com/sidenote-app/sidenote/transcribe/whisper"
	"github.com/sidenote-app/sidenote/transcribe/whisper/whispertest"
)

// BenchmarkSoak runs one long interview through the whole live pipeline:
// b.N × 10 minutes of speech and silence (a 2.5 s answer every 8 s) on two
// inputs, real whisper.cpp on a tiny random-weight model, finals into a
// real SQLite file, with a note every simulated minute. It reports the
// process's resident memory and goroutines when the interview starts and
// after it ends, so growth over hours shows as a ratio. Short in CI
// (-benchtime=1x); by hand for two hours: -benchtime=12x.
//
//	go test -tags sqlite_fts5,migrated_fynedo -run '^$' -bench Soak -benchtime=12x ./app/live
func BenchmarkSoak(b *testing.B) {
	dir := b.TempDir()
	model, err := whisper.Load(whispertest.WriteModel(b, dir, whispertest.Geometry{}), whisper.LoadOptions{})
	if err != nil {
		b.Fatal(err)
	}
	defer model.Close()
	st := openStore(b)
	ctx := context.Background()
	iv := interview.Interview{Title: "Soak", Mode: interview.ModeInterviewer}
	if err := st.CreateInterview(ctx, &iv); err != nil {
		b.Fatal(err)
	}
	const part = 10 * time.Minute
	var you, them []transcribetest.Burst
	for at := time.Second; at < part; at += 8 * time.Second {
		them = append(them, transcribetest.Burst{At: at, Dur: 2500 * time.Millisecond})
		you = append(you, transcribetest.Burst{At: at + 4*time.Second, Dur: 1500 * time.Millisecond})
	}
	total := int64(b.N) * int64(part.Seconds()) * transcribe.SampleRate
	reader := func(seed uint64, bursts []transcribetest.Burst) transcribe.SampleReader {
		return &transcribetest.Repeat{Data: transcribetest.Scene(seed, part, bursts...), Total: total}
	}
	runtime.GC()
	rssStart, gStart := residentMB(), runtime.NumGoroutine()
	b.ResetTimer()
	run, err := Start(ctx, Options{Store: st, InterviewID: iv.ID,
		Inputs:     []Input{{Source: transcribe.SourceYou, Reader: reader(1, you)}, {Source: transcribe.SourceThem, Reader: reader(2, them)}},
		Recognizer: &whisper.Recognizer{Model: model, Options: whisper.Options{Threads: 1, Language: "en", MaxTokensPerSegment: 8}},
		LockDir:    filepath.Join(dir, "locks"), SpoolDir: dir})
	if err != nil {
		b.Fatal(err)
	}
	end := time.Duration(b.N) * part
	next := time.Minute
	for run.Elapsed() < end {
		if run.Elapsed() >= next {
			n := interview.NewNote(0, time.Time{}, "a note #soak")
			if err := run.AddNote(ctx, &n); err != nil {
				b.Fatal(err)
			}
			next += time.Minute
		}
		time.Sleep(5 * time.Millisecond)
	}
	if _, err := run.End(ctx); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	runtime.GC()
	b.ReportMetric(rssStart, "rss-start-MB")
	b.ReportMetric(residentMB(), "rss-end-MB")
	b.ReportMetric(float64(gStart), "goroutines-start")
	b.ReportMetric(float64(runtime.NumGoroutine()), "goroutines-end")
	bundle, err := st.Load(ctx, iv.ID)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(len(bundle.Segments))/float64(b.N), "finals/10min")
}

// residentMB is the process's resident set, from /proc (0 elsewhere).
func residentMB() float64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	return 0
}
