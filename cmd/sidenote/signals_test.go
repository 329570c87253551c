package main

import (
	"bufio"
	"context"
	"encoding/binary"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/sidenote-app/sidenote/app/interview"
	"github.com/sidenote-app/sidenote/app/store"
	"github.com/sidenote-app/sidenote/transcribe/audio"
	"github.com/sidenote-app/sidenote/transcribe/whisper/whispertest"
)

// The binary, built once for the tests that send it signals.
var (
	binOnce sync.Once
	binPath string
	binDir  string
)

func sharedBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "sidenote-bin-")
		if err != nil {
			t.Fatal(err)
		}
		binDir = dir
		binPath = buildBinary(t, dir)
	})
	if binPath == "" {
		t.Fatal("the binary did not build")
	}
	return binPath
}

// needsLiveBinary skips a test that runs `sidenote live` as its own
// process on the ALSA test microphone, where that cannot run.
func needsLiveBinary(t *testing.T) {
	t.Helper()
	if alsaDir == "" {
		t.Skip("no ALSA here")
	}
	if testing.Short() {
		t.Skip("runs the binary")
	}
}

// feedTalk makes the ALSA test microphone read n repetitions of a spoken
// sentence, each followed by a second of silence, then silence: more
// speech than the tiny model transcribes in the time the tests wait, so
// a signal always lands while something is being transcribed.
func feedTalk(t *testing.T, n int) {
	t.Helper()
	if _, err := exec.LookPath("espeak-ng"); err != nil {
		t.Skip("espeak-ng is not installed (make deps installs it)")
	}
	speech := filepath.Join(t.TempDir(), "speech.wav")
	if out, err := exec.Command("espeak-ng", "-w", speech, "We moved the queue to a second region last spring.").CombinedOutput(); err != nil {
		t.Fatalf("espeak-ng: %v %s", err, out)
	}
	voice, _, err := audio.ReadWAV16k(speech)
	if err != nil {
		t.Fatal(err)
	}
	mic := make([]float32, 16000)
	for range n {
		mic = append(mic, voice...)
		mic = append(mic, make([]float32, 16000)...)
	}
	mic = append(mic, make([]float32, 5*16000)...)
	up, err := audio.NewResampler(16000, 44100)
	if err != nil {
		t.Fatal(err)
	}
	raw := up.Flush(up.Process(mic, nil))
	b := make([]byte, 4*len(raw))
	for i, v := range raw {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(v))
	}
	if err := os.WriteFile(filepath.Join(alsaDir, "mic.raw"), b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// liveProcess is `sidenote live` running as its own process.
type liveProcess struct {
	cmd    *exec.Cmd
	lines  chan string // stdout, line by line
	stderr *syncBuffer
	done   chan struct{}
	code   int
}

type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func startLive(t *testing.T, data, model string, extra ...string) *liveProcess {
	t.Helper()
	args := append([]string{"-data-dir", data, "live", "-model", model, "-t", "1", "-l", "en", "-max-tokens", "8"}, extra...)
	cmd := exec.Command(sharedBinary(t), args...)
	cmd.Env = append(os.Environ(), "OMP_WAIT_POLICY=passive", "GGML_NO_BACKTRACE=1")
	p := &liveProcess{cmd: cmd, lines: make(chan string, 1000), stderr: &syncBuffer{}, done: make(chan struct{})}
	cmd.Stderr = p.stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			p.lines <- sc.Text()
		}
		close(p.lines)
		cmd.Wait()
		p.code = cmd.ProcessState.ExitCode()
		close(p.done)
	}()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-p.done
	})
	return p
}

// firstLine waits for the first transcript line.
func (p *liveProcess) firstLine(t *testing.T) string {
	t.Helper()
	select {
	case l, ok := <-p.lines:
		if !ok {
			<-p.done
			t.Fatalf("live exited %d before any line; stderr:\n%s", p.code, p.stderr.String())
		}
		return l
	case <-time.After(60 * time.Second):
		t.Fatalf("no transcript line within a minute; stderr:\n%s", p.stderr.String())
	}
	return ""
}

// wait returns every line printed and the exit code.
func (p *liveProcess) wait(t *testing.T, first string) ([]string, int) {
	t.Helper()
	printed := []string{first}
	timeout := time.After(90 * time.Second)
	for {
		select {
		case l, ok := <-p.lines:
			if !ok {
				<-p.done
				return printed, p.code
			}
			printed = append(printed, l)
		case <-timeout:
			t.Fatalf("live did not exit; stderr:\n%s", p.stderr.String())
		}
	}
}

// storedLines reads interview 1 back as the lines live printed.
func storedLines(t *testing.T, data string) (*interview.Bundle, map[string]bool) {
	t.Helper()
	st, err := store.Open(filepath.Join(data, "sidenote.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	b, err := st.Load(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, s := range b.Segments {
		have[strings.TrimSpace(s.Text)] = true
	}
	return b, have
}

// lineText is the text of a printed line "[00:01] You: text".
func lineText(l string) string {
	_, text, _ := strings.Cut(l, ": ")
	return strings.TrimSpace(text)
}

// The first Ctrl+C, SIGTERM or SIGHUP finishes what was being said,
// stores it, ends the interview and exits 0; every printed line is stored.
func TestLiveFinishesOnTheFirstSignal(t *testing.T) {
	needsLiveBinary(t)
	dir := t.TempDir()
	model := whispertest.WriteModel(t, dir, whispertest.Geometry{})
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP} {
		t.Run(sig.String(), func(t *testing.T) {
			feedTalk(t, 12)
			data := filepath.Join(t.TempDir(), "data")
			p := startLive(t, data, model, "-record")
			first := p.firstLine(t)
			p.cmd.Process.Signal(sig)
			printed, code := p.wait(t, first)
			if code != 0 {
				t.Fatalf("exit %d after %v, want 0; stderr:\n%s", code, sig, p.stderr.String())
			}
			if !strings.Contains(p.stderr.String(), "Finishing") {
				t.Errorf("stderr does not say it is finishing:\n%s", p.stderr.String())
			}
			b, have := storedLines(t, data)
			if b.Interview.State != interview.StateEnded {
				t.Errorf("state %s, want ended", b.Interview.State)
			}
			if b.Interview.Ran <= 0 {
				t.Errorf("ran %v, want the interview time", b.Interview.Ran)
			}
			for _, l := range printed {
				if !have[lineText(l)] {
					t.Errorf("printed %q, not stored", l)
				}
			}
			if len(b.Recordings) != 1 {
				t.Fatalf("%d recordings, want 1", len(b.Recordings))
			}
			f, err := audio.OpenWAV(b.Recordings[0].Path)
			if err != nil {
				t.Fatalf("the recording does not open: %v", err)
			}
			f.Close()
		})
	}
}

// A second Ctrl+C stops at once: exit 130, the interview interrupted with
// every line printed before stored, and resumable.
func TestLiveAbortsOnTheSecondSignal(t *testing.T) {
	needsLiveBinary(t)
	dir := t.TempDir()
	model := whispertest.WriteModel(t, dir, whispertest.Geometry{})
	feedTalk(t, 200)
	data := filepath.Join(dir, "data")
	p := startLive(t, data, model)
	first := p.firstLine(t)
	p.cmd.Process.Signal(syscall.SIGINT)
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(p.stderr.String(), "Finishing") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	p.cmd.Process.Signal(syscall.SIGINT)
	printed, code := p.wait(t, first)
	if code != 130 {
		t.Fatalf("exit %d after two Ctrl+C, want 130; stderr:\n%s", code, p.stderr.String())
	}
	b, have := storedLines(t, data)
	if b.Interview.State != interview.StateInterrupted {
		t.Errorf("state %s, want interrupted", b.Interview.State)
	}
	for _, l := range printed {
		if !have[lineText(l)] {
			t.Errorf("printed %q, not stored", l)
		}
	}
	if !strings.Contains(p.stderr.String(), "sidenote end 1") {
		t.Errorf("stderr does not say how to end it:\n%s", p.stderr.String())
	}

	// The command line can list it and end it; its length is the last
	// stored moment.
	code, out, errOut := runCLI(t, data, "recover")
	if code != 0 || !strings.Contains(out, "interrupted") {
		t.Errorf("recover: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut = runCLI(t, data, "end", "1")
	if code != 0 || !strings.Contains(out, "Ended interview 1") {
		t.Errorf("end 1: exit %d\n%s%s", code, out, errOut)
	}
	b, _ = storedLines(t, data)
	if b.Interview.State != interview.StateEnded || b.Interview.Ran != time.Duration(interview.ReviewLengthMs(b))*time.Millisecond {
		t.Errorf("after end: %s, ran %v; want ended at the last stored moment", b.Interview.State, b.Interview.Ran)
	}
}

// While one process runs an interview, another cannot end it, and
// recovery leaves it alone.
func TestAnInterviewLiveInAnotherProcessIsLeftAlone(t *testing.T) {
	needsLiveBinary(t)
	dir := t.TempDir()
	model := whispertest.WriteModel(t, dir, whispertest.Geometry{})
	feedTalk(t, 200)
	data := filepath.Join(dir, "data")
	p := startLive(t, data, model)
	first := p.firstLine(t)

	code, _, errOut := runCLI(t, data, "end", "1")
	if code != 1 || !strings.Contains(errOut, "live in another Sidenote (pid") {
		t.Errorf("end while live elsewhere: exit %d, %q", code, errOut)
	}
	code, out, _ := runCLI(t, data, "recover")
	if code != 0 || !strings.Contains(out, "live in another Sidenote") {
		t.Errorf("recover while live elsewhere: exit %d\n%s", code, out)
	}
	b, _ := storedLines(t, data)
	if b.Interview.State != interview.StateLive {
		t.Errorf("state %s, want live: another process must not touch it", b.Interview.State)
	}
	p.cmd.Process.Signal(syscall.SIGINT)
	p.cmd.Process.Signal(syscall.SIGINT)
	p.wait(t, first)
}
