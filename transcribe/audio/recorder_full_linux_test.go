package audio

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// recorderFullChildEnv makes TestRecordingFillsFileLimit, run in a child
// process, a recorder under a file size limit; its value is the path.
const recorderFullChildEnv = "SIDENOTE_TEST_RECORDER_FULL_CHILD"

// Under the limit a file ends mid-chunk and mid-sample: 2.5 s of audio,
// then 1001 bytes of the next chunk.
const (
	fullChildSeconds = 5
	fullChildLimit   = wavHeaderSize + 25*childChunk*2 + 1001
)

// fullChildReport is what the child tells the parent about its Writes.
type fullChildReport struct {
	Errors    []string // the errors Write returned, in order
	DiskFull  bool     // the first wraps ErrDiskFull
	FailedAt  int      // the Write (from 1) that failed
	Samples   int64    // Recorder.Samples after the last Write
	Dropped   int64
	CloseErr  string
	Attempted int64 // samples given to Write
}

// recorderFullChild records fullChildSeconds of audio in 100 ms Writes
// with the file size limited to fullChildLimit, as a full disk would,
// and prints a fullChildReport.
func recorderFullChild(path string) {
	// Without this the kernel's SIGXFSZ kills the process at the limit;
	// ignored, the write fails with EFBIG, as ENOSPC would on a full disk.
	signal.Ignore(syscall.SIGXFSZ)
	lim := syscall.Rlimit{Cur: fullChildLimit, Max: fullChildLimit}
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
		fmt.Fprintln(os.Stderr, "setrlimit:", err)
		os.Exit(1)
	}
	r, err := CreateRecording(path, 16000)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var rep fullChildReport
	chunk := make([]float32, childChunk)
	for n := int64(1); n <= fullChildSeconds*10; n++ {
		for i := range chunk {
			chunk[i] = childSample((n-1)*childChunk + int64(i))
		}
		rep.Attempted += int64(len(chunk))
		if err := r.Write(chunk); err != nil {
			if len(rep.Errors) == 0 {
				rep.DiskFull = errors.Is(err, ErrDiskFull) && errors.Is(err, syscall.EFBIG)
				rep.FailedAt = int(n)
			}
			rep.Errors = append(rep.Errors, err.Error())
		}
	}
	rep.Samples, rep.Dropped = r.Samples(), r.Dropped()
	if err := r.Close(); err != nil {
		rep.CloseErr = err.Error()
	}
	json.NewEncoder(os.Stdout).Encode(rep)
	os.Exit(0)
}

// A recording that hits the file size limit (the kernel's EFBIG, standing
// in for a full disk) ends with a file whose header covers exactly the
// whole samples that reached it, reports the error once, and counts what
// it could not record.
func TestRecordingFillsFileLimit(t *testing.T) {
	if path := os.Getenv(recorderFullChildEnv); path != "" {
		recorderFullChild(path) // never returns
	}
	path := filepath.Join(t.TempDir(), "interview.wav")
	cmd := exec.Command(os.Args[0], "-test.run=^TestRecordingFillsFileLimit$")
	cmd.Env = append(os.Environ(), recorderFullChildEnv+"="+path)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("child: %v\n%s", err, stderr.String())
	}
	var rep fullChildReport
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatalf("child's report %q: %v\n%s", stdout.String(), err, stderr.String())
	}
	t.Logf("child: %+v", rep)

	// The limit allows 2.5 s and 1001 bytes: 500 whole samples of the
	// 26th Write.
	const wantSamples = 25*childChunk + 500
	if len(rep.Errors) != 1 || !rep.DiskFull || rep.FailedAt != 26 {
		first := ""
		if len(rep.Errors) > 0 {
			first = rep.Errors[0]
		}
		t.Errorf("%d Write errors, the first at Write %d (ErrDiskFull and EFBIG: %v): %s; want one, at Write 26, wrapping both",
			len(rep.Errors), rep.FailedAt, rep.DiskFull, first)
	}
	if rep.Samples != wantSamples || rep.Dropped != rep.Attempted-wantSamples {
		t.Errorf("recorder holds %d samples and dropped %d of %d; want %d and the rest", rep.Samples, rep.Dropped, rep.Attempted, wantSamples)
	}
	if rep.CloseErr != "" {
		t.Errorf("Close after the failure: %s", rep.CloseErr)
	}

	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if want := int64(wavHeaderSize + 2*wantSamples); st.Size() != want {
		t.Errorf("file of %d bytes, want %d: a header and the whole samples written", st.Size(), want)
	}
	r, err := OpenWAV(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	f := r.Format()
	if r.Warning() != nil || f.Truncated || f.Frames != wantSamples || f.Duration != wantSamples*time.Second/16000 {
		t.Errorf("recording %v (%d frames), warning %v; want %d frames, %v, no warning",
			f, f.Frames, r.Warning(), wantSamples, wantSamples*time.Second/16000)
	}
	got, _, err := ReadWAV16k(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != wantSamples {
		t.Fatalf("read %d samples, want %d", len(got), wantSamples)
	}
	for i, v := range got {
		if v != childSample(int64(i)) {
			t.Fatalf("sample %d = %g, want %g", i, v, childSample(int64(i)))
		}
	}
}
