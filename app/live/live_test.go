package live

import (
	"bufio"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/sidenote-app/sidenote/app/interview"
	"github.com/sidenote-app/sidenote/app/store"
	"github.com/sidenote-app/sidenote/transcribe"
	"github.com/sidenote-app/sidenote/transcribe/audio"
	"github.com/sidenote-app/sidenote/transcribe/audio/audiotest"
	"github.com/sidenote-app/sidenote/transcribe/transcribetest"
	"github.com/sidenote-app/sidenote/transcribe/whisper"
	"github.com/sidenote-app/sidenote/transcribe/whisper/whispertest"
)

// alsaDir holds an ALSA configuration whose capture devices read raw files
// (ALSA's file plugin), set before anything starts PortAudio: the real
// capture path, fed bit-exactly, on a machine without a sound card.
var alsaDir string

var alsaDevices = map[string]string{"default": "mic.raw", "call_monitor": "call.raw"}

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) != "" {
		os.Exit(killChild())
	}
	if os.Getenv(diskChildEnv) != "" {
		os.Exit(diskChild())
	}
	os.Exit(audiotest.RunWithFileDevices(m, alsaDevices, &alsaDir))
}

// feed makes an ALSA test device read samples (float32 LE, 16 kHz mono).
func feed(t *testing.T, device string, samples []float32) {
	t.Helper()
	b := make([]byte, 4*len(samples))
	for i, v := range samples {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(v))
	}
	if err := os.WriteFile(filepath.Join(alsaDir, alsaDevices[device]), b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// spoken synthesises text with espeak-ng at 16 kHz.
func spoken(t *testing.T, text string) []float32 {
	t.Helper()
	if _, err := exec.LookPath("espeak-ng"); err != nil {
		t.Skip("espeak-ng is not installed (make deps installs it)")
	}
	path := filepath.Join(t.TempDir(), "speech.wav")
	if out, err := exec.Command("espeak-ng", "-w", path, text).CombinedOutput(); err != nil {
		t.Fatalf("espeak-ng: %v: %s", err, out)
	}
	s, _, err := audio.ReadWAV16k(path)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// limited ends a capture after n samples: past the end of its file, ALSA's
// file plugin repeats stale data, where a real microphone would go on.
type limited struct {
	*audio.Capture
	left int
}

func (l *limited) Read(dst []float32) (int, error) {
	if l.left <= 0 {
		return 0, io.EOF
	}
	n, err := l.Capture.Read(dst[:min(len(dst), l.left)])
	l.left -= n
	return n, err
}

func openStore(t testing.TB) *store.Store {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "data", "sidenote.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestCaptureThroughWhisperIntoTheStore(t *testing.T) {
	if alsaDir == "" {
		t.Skip("no ALSA here")
	}
	const total = 10 * transcribe.SampleRate
	youAt, themAt := 1*transcribe.SampleRate, 11*transcribe.SampleRate/2
	you := spoken(t, "Thank you for joining us today.")
	them := spoken(t, "Happy to be here, thanks.")
	mic, call := make([]float32, total), make([]float32, total)
	copy(mic[youAt:], you)
	copy(call[themAt:], them)
	feed(t, "default", mic)
	feed(t, "call_monitor", call)

	open := func(device string) transcribe.SampleReader {
		c, err := audio.OpenCapture(audio.CaptureConfig{Device: device, SampleRate: transcribe.SampleRate, Channels: 1, Buffer: 30 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		return &limited{Capture: c, left: total}
	}
	dir := t.TempDir()
	model, err := whisper.Load(whispertest.WriteModel(t, dir, whispertest.Geometry{}), whisper.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer model.Close()

	st := openStore(t)
	ctx := context.Background()
	iv := interview.Interview{Title: "End to end", Mode: interview.ModeCandidate, RecordingConsent: true}
	if err := st.CreateInterview(ctx, &iv); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	ended := map[transcribe.Source]bool{}
	done := make(chan struct{})
	run, err := Start(ctx, Options{
		Store: st, InterviewID: iv.ID,
		Inputs:        []Input{{Source: transcribe.SourceYou, Reader: open("default")}, {Source: transcribe.SourceThem, Reader: open("call_monitor")}},
		Recognizer:    &whisper.Recognizer{Model: model, Options: whisper.Options{Threads: 1, Language: "en", MaxTokensPerSegment: 8}},
		RecordingsDir: filepath.Join(dir, "recordings"),
		OnEvent: func(ev transcribe.Event) {
			if ev.Kind != transcribe.EventInputEnded {
				return
			}
			mu.Lock()
			defer mu.Unlock()
			ended[ev.Source] = true
			if len(ended) == 2 {
				close(done)
			}
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		t.Fatal("the inputs never ended")
	}
	if err := run.Stop(ctx); err != nil {
		t.Fatal(err)
	}

	b, err := st.Load(ctx, iv.ID)
	if err != nil {
		t.Fatal(err)
	}
	if b.Interview.State != interview.StateEnded {
		t.Errorf("state %s after Stop, want ended", b.Interview.State)
	}
	spans := map[interview.Source][2]int64{
		interview.SourceYou:  {int64(youAt) * 1000 / transcribe.SampleRate, int64(youAt+len(you)) * 1000 / transcribe.SampleRate},
		interview.SourceThem: {int64(themAt) * 1000 / transcribe.SampleRate, int64(themAt+len(them)) * 1000 / transcribe.SampleRate},
	}
	for _, s := range b.Segments {
		t.Logf("%s %d–%d ms %q", s.Source, s.StartMs, s.EndMs, s.Text)
	}
	seen := map[interview.Source]int{}
	const slack = 400 // ms: the detector's pre- and post-roll
	for _, s := range b.Segments {
		span, ok := spans[s.Source]
		if !ok {
			t.Errorf("segment from unexpected source %q", s.Source)
			continue
		}
		seen[s.Source]++
		if s.StartMs < span[0]-slack || s.EndMs > span[1]+slack || s.EndMs < s.StartMs {
			t.Errorf("%s segment %d–%d ms lies outside the speech at %d–%d ms", s.Source, s.StartMs, s.EndMs, span[0], span[1])
		}
	}
	if seen[interview.SourceYou] == 0 || seen[interview.SourceThem] == 0 {
		t.Errorf("segments per source %v: want both you and them", seen)
	}

	// With consent, each source was recorded on the session's time axis.
	if len(b.Recordings) != 2 {
		t.Fatalf("got %d recordings, want 2", len(b.Recordings))
	}
	for _, rec := range b.Recordings {
		got, _, err := audio.ReadWAV16k(rec.Path)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != total {
			t.Errorf("%s recording has %d samples, want %d", rec.Source, len(got), total)
		}
		if rec.Duration != 10*time.Second {
			t.Errorf("%s recording duration %v, want 10s", rec.Source, rec.Duration)
		}
	}
}

func TestNotesAreStampedFromTheSessionClock(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	iv := interview.Interview{Title: "Notes", Mode: interview.ModeInterviewer}
	if err := st.CreateInterview(ctx, &iv); err != nil {
		t.Fatal(err)
	}
	// The reader hands out 3 s of audio at once and then blocks until
	// closed, so the clock stands at exactly 3 s.
	src := &transcribetest.Samples{Data: make([]float32, 3*transcribe.SampleRate)}
	block := &blockAfter{r: src, closed: make(chan struct{})}
	run, err := Start(ctx, Options{Store: st, InterviewID: iv.ID, Inputs: []Input{{Source: transcribe.SourceYou, Reader: block}}})
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for run.Elapsed() < 3*time.Second && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	n := interview.NewNote(0, time.Time{}, "Strong answer on #caching", interview.TagStrength)
	if err := run.AddNote(ctx, &n); err != nil {
		t.Fatal(err)
	}
	if n.AtMs != 3000 {
		t.Errorf("note stamped %d ms, want 3000 (the audio time)", n.AtMs)
	}
	if err := run.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	notes, err := st.Notes(ctx, iv.ID)
	if err != nil || len(notes) != 1 || !notes[0].HasTag("caching") || !notes[0].HasTag(interview.TagStrength) {
		t.Fatalf("stored notes %+v, %v", notes, err)
	}
}

// blockAfter reads r to its end, then blocks until closed, as a
// microphone does when nobody speaks.
type blockAfter struct {
	r      transcribe.SampleReader
	closed chan struct{}
	once   sync.Once
}

func (b *blockAfter) Read(dst []float32) (int, error) {
	n, err := b.r.Read(dst)
	if err == io.EOF {
		<-b.closed
		return 0, io.EOF
	}
	return n, err
}

func (b *blockAfter) Close() error {
	b.once.Do(func() { close(b.closed) })
	return nil
}

// The kill test: a child process runs a recorded interview from a
// real-time source, adding a note every 100 ms and printing each note's
// ID and the interview time once it is stored; the parent kills it with
// SIGKILL and checks what a user would find.
const childEnv = "SIDENOTE_LIVE_KILL_CHILD"

func killChild() int {
	dir := os.Getenv(childEnv)
	st, err := store.Open(filepath.Join(dir, "sidenote.db"))
	if err != nil {
		fmt.Println("ERR", err)
		return 1
	}
	ctx := context.Background()
	iv := interview.Interview{Title: "Killed", Mode: interview.ModePractice, RecordingConsent: true}
	if err := st.CreateInterview(ctx, &iv); err != nil {
		fmt.Println("ERR", err)
		return 1
	}
	fmt.Println("INTERVIEW", iv.ID)
	src := &transcribetest.Paced{Data: transcribetest.Scene(1, time.Minute, transcribetest.Burst{At: time.Second, Dur: 2 * time.Second})}
	run, err := Start(ctx, Options{Store: st, InterviewID: iv.ID, Inputs: []Input{{Source: transcribe.SourceYou, Reader: src}},
		RecordingsDir: filepath.Join(dir, "recordings"), LockDir: filepath.Join(dir, "locks")})
	if err != nil {
		fmt.Println("ERR", err)
		return 1
	}
	for i := 0; ; i++ {
		time.Sleep(100 * time.Millisecond)
		n := interview.NewNote(0, time.Time{}, fmt.Sprintf("note %d", i))
		if err := run.AddNote(ctx, &n); err != nil {
			fmt.Println("ERR", err)
			return 1
		}
		fmt.Println("NOTE", n.ID, n.AtMs)
	}
}

func TestKillDuringARecordingLosesNothingSaved(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a child process for a few seconds")
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var (
		id     int64
		notes  []int64
		lastAt int64
	)
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		switch f[0] {
		case "ERR":
			t.Fatalf("child: %s", sc.Text())
		case "INTERVIEW":
			id, _ = strconv.ParseInt(f[1], 10, 64)
		case "NOTE":
			n, _ := strconv.ParseInt(f[1], 10, 64)
			notes = append(notes, n)
			lastAt, _ = strconv.ParseInt(f[2], 10, 64)
		}
		if len(notes) == 25 { // about 2.5 s in
			cmd.Process.Signal(syscall.SIGKILL)
			break
		}
	}
	cmd.Wait()

	st, err := store.Open(filepath.Join(dir, "sidenote.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	ids, err := Recover(ctx, st, filepath.Join(dir, "locks"))
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != 1 || ids[0] != id {
		t.Fatalf("recovered %v, want [%d]", ids, id)
	}
	b, err := st.Load(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if b.Interview.State != interview.StateInterrupted {
		t.Errorf("state %s, want interrupted", b.Interview.State)
	}
	have := map[int64]bool{}
	for _, n := range b.Notes {
		have[n.ID] = true
	}
	for _, n := range notes {
		if !have[n] {
			t.Errorf("note %d was reported saved and is gone", n)
		}
	}
	if len(b.Recordings) != 1 {
		t.Fatalf("got %d recordings, want 1", len(b.Recordings))
	}
	wav, err := audio.OpenWAV(b.Recordings[0].Path)
	if err != nil {
		t.Fatalf("the killed recording does not open: %v", err)
	}
	defer wav.Close()
	got := wav.Format().Duration
	if want := time.Duration(lastAt)*time.Millisecond - time.Second; got < want {
		t.Errorf("recording plays %v; the last note was at %d ms, so want at least %v", got, lastAt, want)
	}
	if b.Recordings[0].Duration != got {
		t.Errorf("stored duration %v, file %v", b.Recordings[0].Duration, got)
	}
}
