package audio

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/sidenote-app/sidenote/transcribe/audio/audiotest"
)

// recorderChildEnv makes TestRecordingSurvivesKill, run in a child
// process, the recorder that the parent kills.
const recorderChildEnv = "SIDENOTE_TEST_RECORDER_CHILD"

const childChunk = 1600 // 100 ms at 16 kHz

// childSample is the recording's sample i: distinct neighbours, and a
// multiple of 1/32768, so it reads back exactly.
func childSample(i int64) float32 { return float32((i*7919)%65536-32768) / 32768 }

// recorderChild records until it is killed, printing the number of each
// Write after it returns.
func recorderChild(path string) {
	r, err := CreateRecording(path, 16000)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	chunk := make([]float32, childChunk)
	for n := int64(1); n < 100_000; n++ {
		for i := range chunk {
			chunk[i] = childSample((n-1)*childChunk + int64(i))
		}
		if err := r.Write(chunk); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Println(n)
	}
	os.Exit(2) // the parent should have killed us long before
}

func TestRecordingSurvivesKill(t *testing.T) {
	if path := os.Getenv(recorderChildEnv); path != "" {
		recorderChild(path) // never returns
	}
	path := filepath.Join(t.TempDir(), "interview.wav")
	cmd := exec.Command(os.Args[0], "-test.run=^TestRecordingSurvivesKill$")
	cmd.Env = append(os.Environ(), recorderChildEnv+"="+path)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(out)
	var done int64
	for done < 40 && lines.Scan() {
		done, _ = strconv.ParseInt(lines.Text(), 10, 64)
	}
	cmd.Process.Kill() // SIGKILL, mid-Write or between Writes
	cmd.Wait()
	if done < 40 {
		t.Fatalf("the child recorded %d chunks before dying: %s", done, stderr.String())
	}

	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("recording mode %v, want 0600", st.Mode().Perm())
	}
	r, err := OpenWAV(path)
	if err != nil {
		t.Fatal(err)
	}
	f := r.Format()
	r.Close()
	if r.Warning() != nil || f.Truncated || f.SampleRate != 16000 || f.Channels != 1 || f.BitDepth != 16 {
		t.Fatalf("killed recording: %v, warning %v; want a clean 16 kHz mono 16-bit file", f, r.Warning())
	}
	got, _, err := ReadWAV16k(path)
	if err != nil {
		t.Fatal(err)
	}
	if int64(len(got)) < done*childChunk {
		t.Fatalf("%d samples; the child had finished %d Writes (%d samples)", len(got), done, done*childChunk)
	}
	for i, v := range got {
		if v != childSample(int64(i)) {
			t.Fatalf("sample %d = %g, want %g", i, v, childSample(int64(i)))
		}
	}
	t.Logf("killed after Write %d: the file holds %d samples (%d Writes)", done, len(got), len(got)/childChunk)

	// At most the header can be a chunk behind the data; repair takes it in.
	if _, err := RepairWAV(path); err != nil {
		t.Fatal(err)
	}
	if again, _, _ := ReadWAV16k(path); len(again) < len(got) {
		t.Errorf("after repair %d samples, before %d", len(again), len(got))
	}
}

func TestRecorderRoundTripAndClipping(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.wav")
	r, err := CreateRecording(path, 16000)
	if err != nil {
		t.Fatal(err)
	}
	r.SetSyncInterval(0)
	in := []float32{0, 0.5, -0.5, 1, -1, 2, -2, 0.25 + 1.0/65536, float32(nanF())}
	want := []float32{0, 0.5, -0.5, 32767.0 / 32768, -1, 32767.0 / 32768, -1, 0.25 + 1.0/32768, 0}
	for i := 0; i < len(in); i += 2 {
		if err := r.Write(in[i:min(i+2, len(in))]); err != nil {
			t.Fatal(err)
		}
	}
	if r.Samples() != int64(len(in)) || r.syncs != 0 {
		t.Errorf("Samples %d, syncs %d; want %d, 0", r.Samples(), r.syncs, len(in))
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if err := r.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if err := r.Write(in); !errors.Is(err, os.ErrClosed) {
		t.Errorf("Write after Close: %v", err)
	}
	got, _, err := ReadWAV16k(path)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %v\nwant %v", got, want)
	}
	if repaired, err := RepairWAV(path); repaired || err != nil {
		t.Errorf("RepairWAV on a finished recording: %v, %v; want false, nil", repaired, err)
	}
}

func nanF() float64 { var z float64; return z / z }

func TestRecorderSyncsEveryInterval(t *testing.T) {
	r, err := CreateRecording(filepath.Join(t.TempDir(), "s.wav"), 1000)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	r.SetSyncInterval(2e9) // 2 s of audio = 2000 samples
	for range 10 {
		if err := r.Write(make([]float32, 500)); err != nil {
			t.Fatal(err)
		}
	}
	if r.syncs != 2 {
		t.Errorf("%d fsyncs for 5 s of audio every 2 s, want 2", r.syncs)
	}
}

func TestCreateRecordingKeepsExistingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.wav")
	os.WriteFile(path, []byte("precious"), 0o600)
	if _, err := CreateRecording(path, 16000); !errors.Is(err, os.ErrExist) {
		t.Errorf("over an existing recording: %v, want os.ErrExist", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "precious" {
		t.Errorf("the existing file changed to %q", b)
	}
}

func TestRecorderDiskFull(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full")
	}
	path := filepath.Join(t.TempDir(), "full.wav")
	if err := os.Symlink("/dev/full", path); err != nil {
		t.Fatal(err)
	}
	_, err := CreateRecording(path, 16000)
	if !errors.Is(err, ErrDiskFull) || !strings.Contains(err.Error(), "free some space") {
		t.Errorf("CreateRecording on a full disk: %v; want ErrDiskFull saying what to do", err)
	}
	t.Log(err)

	// The disk filling up mid-recording.
	f, err := os.OpenFile("/dev/full", os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	r := &Recorder{f: f, path: path, rate: 16000}
	defer r.Close()
	err = r.Write(make([]float32, 100))
	if !errors.Is(err, ErrDiskFull) || r.Samples() != 0 {
		t.Errorf("Write on a full disk: %v, %d samples; want ErrDiskFull and nothing counted", err, r.Samples())
	}
	t.Log(err)
	// Reported once: the recording has ended, later audio is counted.
	if err := r.Write(make([]float32, 50)); err != nil || r.Dropped() != 150 || r.Samples() != 0 {
		t.Errorf("Write after the failure: %v, %d dropped, %d samples; want nil, 150, 0", err, r.Dropped(), r.Samples())
	}
}

func TestRepairWAV(t *testing.T) {
	dir := t.TempDir()
	spec := audiotest.Spec{Rate: 16000, Channels: 1, Bits: 16}
	ramp := audiotest.Ramp(1000)
	good, err := audiotest.Encode(spec, [][]float32{ramp})
	if err != nil {
		t.Fatal(err)
	}
	sized := func(riff, data uint32, b []byte) []byte {
		c := append([]byte(nil), b...)
		binary.LittleEndian.PutUint32(c[4:], riff)
		binary.LittleEndian.PutUint32(c[40:], data)
		return c
	}
	stereo, _ := audiotest.Encode(audiotest.Spec{Rate: 8000, Channels: 2, Bits: 24}, [][]float32{ramp, ramp})
	withList := append(sized(uint32(len(good)-8+16), 2000, good), "LIST\x08\x00\x00\x00INFOabcd"...)
	tests := []struct {
		name     string
		content  []byte
		repaired bool
		samples  int // 16 kHz samples after
		err      error
	}{
		{"finished.wav", good, false, 1000, nil},
		{"metadata-after-audio.wav", withList, false, 1000, nil},
		{"placeholder-sizes.wav", sized(0, 0, good), true, 1000, nil},
		{"go-audio-placeholder.wav", sized(42, 42, good), true, 1000, nil},
		{"header-behind.wav", sized(36+1600, 1600, good), true, 1000, nil},
		{"half-sample.wav", append(sized(36+2000, 2000, good), 0x7F), true, 1000, nil},
		{"header-ahead.wav", good[:44+1200+1], true, 600, nil},
		{"stereo-24bit-partial-frame.wav", sized(0xFFFFFFFF, 0xFFFFFFFF, stereo[:len(stereo)-4]), true, 999 * 2, nil},
		{"not.wav", []byte("ID3 this is an mp3 really"), false, 0, ErrNotWAV},
		{"no-data.wav", good[:36], false, 0, ErrTruncated},
	}
	for _, tt := range tests {
		path := filepath.Join(dir, tt.name)
		os.WriteFile(path, tt.content, 0o600)
		repaired, err := RepairWAV(path)
		if tt.err != nil {
			if !errors.Is(err, tt.err) {
				t.Errorf("%s: %v, want %v", tt.name, err, tt.err)
			}
			continue
		}
		if err != nil || repaired != tt.repaired {
			t.Errorf("%s: repaired %v, %v; want %v", tt.name, repaired, err, tt.repaired)
			continue
		}
		r, err := OpenWAV(path)
		if err != nil {
			t.Errorf("%s: after repair: %v", tt.name, err)
			continue
		}
		n := r.Len()
		r.Close()
		if r.Warning() != nil || n != int64(tt.samples) {
			t.Errorf("%s: after repair %d samples, warning %v; want %d, none", tt.name, n, r.Warning(), tt.samples)
		}
		if again, err := RepairWAV(path); again || err != nil {
			t.Errorf("%s: second repair: %v, %v; want false, nil", tt.name, again, err)
		}
		if !tt.repaired {
			if b, _ := os.ReadFile(path); !bytes.Equal(b, tt.content) {
				t.Errorf("%s: a consistent file was changed", tt.name)
			}
		}
	}
}

// BenchmarkRecorderWrite records one second of 16 kHz per op in 100 ms
// chunks, with the default fsync every 5 s of audio.
func BenchmarkRecorderWrite(b *testing.B) {
	r, err := CreateRecording(filepath.Join(b.TempDir(), "bench.wav"), 16000)
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	chunk := audiotest.Sine(16000, 440, 0.5, 1600)
	b.SetBytes(16000 * 2)
	b.ReportAllocs()
	for b.Loop() {
		for range 10 {
			if err := r.Write(chunk); err != nil {
				b.Fatal(err)
			}
		}
	}
}
