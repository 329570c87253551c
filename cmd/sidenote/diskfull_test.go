package main

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sidenote-app/sidenote/app/interview"
	"github.com/sidenote-app/sidenote/app/store"
	"github.com/sidenote-app/sidenote/transcribe/audio"
	"github.com/sidenote-app/sidenote/transcribe/whisper/whispertest"
)

// A full disk during `live -record`, made real without root: the process
// runs under a file size limit (RLIMIT_FSIZE through prlimit), so the WAV
// fills part-way with EFBIG. The recording must stop cleanly and play up
// to its last sample, transcription must go on, and Ctrl+C must still end
// the interview with every printed line stored. (The transcript's own
// writes failing is app/live's TestRunGivesUpOnAFullDisk: ALSA's file
// plugin cannot pace enough speech to fill the database here.)
func TestLiveOnAFullDisk(t *testing.T) {
	needsLiveBinary(t)
	prlimit, err := exec.LookPath("prlimit")
	if err != nil {
		t.Skip("prlimit (util-linux) is not installed")
	}
	dir := t.TempDir()
	model := whispertest.WriteModel(t, dir, whispertest.Geometry{})
	data := filepath.Join(dir, "data")
	// The library exists before the limit: a disk fills during an
	// interview, not before the first one.
	st, err := store.Open(filepath.Join(data, "sidenote.db"))
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	feedTalk(t, 12)

	const limit = 300 << 10 // bytes per file: about 9 s of recording
	args := []string{"--fsize=" + strconv.Itoa(limit), "--", sharedBinary(t), "-data-dir", data, "live", "-model", model,
		"-t", "1", "-l", "en", "-max-tokens", "8", "-record"}
	cmd := exec.Command(prlimit, args...)
	cmd.Env = append(os.Environ(), "OMP_WAIT_POLICY=passive", "GGML_NO_BACKTRACE=1")
	stderr := &syncBuffer{}
	cmd.Stderr = stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	var printed []string
	done := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			printed = append(printed, sc.Text())
		}
		close(done)
	}()
	deadline := time.Now().Add(time.Minute)
	for !strings.Contains(stderr.String(), "disk full") && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(time.Second) // transcription goes on meanwhile
	cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-done:
	case <-time.After(time.Minute):
		t.Fatalf("live did not finish; stderr:\n%s", stderr.String())
	}
	cmd.Wait()
	if code := cmd.ProcessState.ExitCode(); code != 0 {
		t.Errorf("exit %d, want 0; stderr:\n%s", code, stderr.String())
	}
	if !strings.Contains(stderr.String(), "kept and plays") {
		t.Errorf("stderr does not say the recording stopped and what is kept:\n%s", stderr.String())
	}
	b, have := storedLines(t, data)
	if len(printed) == 0 {
		t.Error("nothing was transcribed")
	}
	for _, l := range printed {
		if !have[lineText(l)] {
			t.Errorf("printed %q, not stored", l)
		}
	}
	if b.Interview.State != interview.StateEnded {
		t.Errorf("state %s, want ended", b.Interview.State)
	}
	if len(b.Recordings) != 1 {
		t.Fatalf("%d recordings, want 1", len(b.Recordings))
	}
	fi, err := os.Stat(b.Recordings[0].Path)
	if err != nil {
		t.Fatal(err)
	}
	wav, err := audio.OpenWAV(b.Recordings[0].Path)
	if err != nil {
		t.Fatalf("the recording does not open: %v", err)
	}
	defer wav.Close()
	if d := wav.Format().Duration; d < 5*time.Second || fi.Size() > limit || b.Recordings[0].Duration != d.Truncate(time.Millisecond) {
		t.Errorf("recording plays %v in %d bytes, stored as %v; want the audio up to the %d-byte limit", d, fi.Size(), b.Recordings[0].Duration, limit)
	}
}
