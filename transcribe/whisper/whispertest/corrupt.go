package whispertest

import (
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/sidenote-app/sidenote/transcribe/whisper/ggmlfile"
)

// BadFile is one entry of the corrupt-model corpus.
type BadFile struct {
	Name string
	Path string
	// Want is the ggmlfile sentinel a validator must report.
	Want error
}

// Hparam byte offsets in the header (after the 4-byte magic).
const (
	offNVocab    = 4
	offAudioHead = 4 + 3*4
	offTextHead  = 4 + 7*4
	offFType     = 4 + 10*4
	offMelNFFT   = 4 + 11*4 + 4
)

// Corpus writes every kind of broken model whisper.cpp must never see into
// dir, each derived from the small default model, and says which error each
// should produce. Several of them crash or silently corrupt a real
// whisper.cpp 1.9.1 process: zero heads (SIGFPE), huge n_fft (wild
// allocation), files cut before or inside the tensors (an "empty model" or
// uninitialised weights).
func Corpus(tb testing.TB, dir string) []BadFile {
	tb.Helper()
	files, err := WriteCorpus(dir)
	if err != nil {
		tb.Fatalf("write corrupt model corpus: %v", err)
	}
	return files
}

// WriteCorpus is Corpus without testing.TB, for benchmarks and tools.
func WriteCorpus(dir string) ([]BadFile, error) {
	good := filepath.Join(dir, "corpus-good.bin")
	l, err := WriteFile(good, Geometry{})
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(good)
	if err != nil {
		return nil, err
	}
	if err := os.Remove(good); err != nil {
		return nil, err
	}
	patch := func(off int64, v int32) []byte {
		b := append([]byte(nil), data...)
		binary.LittleEndian.PutUint32(b[off:], uint32(v))
		return b
	}
	f32 := filepath.Join(dir, "corpus-f32.bin")
	if _, err := WriteFile(f32, Geometry{FType: F32FType}); err != nil {
		return nil, err
	}

	var out []BadFile
	add := func(name string, b []byte, want error) error {
		p := filepath.Join(dir, "corpus-"+name+".bin")
		out = append(out, BadFile{Name: name, Path: p, Want: want})
		return os.WriteFile(p, b, 0o644)
	}
	cases := []struct {
		name string
		b    []byte
		want error
	}{
		{"empty", nil, ggmlfile.ErrNotModel},
		{"magic-only-2-bytes", data[:2], ggmlfile.ErrNotModel},
		{"wrong-magic", append([]byte("RIFF"), data[4:]...), ggmlfile.ErrNotModel},
		{"gguf", append([]byte("GGUF"), data[4:]...), ggmlfile.ErrNotModel},
		{"truncated-in-hparams", data[:20], ggmlfile.ErrTruncated},
		{"truncated-in-mel", data[:l.MelOffset+100], ggmlfile.ErrTruncated},
		{"truncated-in-vocab", data[:l.VocabOffset+1000], ggmlfile.ErrTruncated},
		{"truncated-before-tensors", data[:l.TensorOffset], ggmlfile.ErrTruncated},
		{"truncated-in-first-record", data[:l.TensorOffset+20], ggmlfile.ErrTruncated},
		{"truncated-in-first-tensor", data[:l.FirstTensorData+1000], ggmlfile.ErrTruncated},
		{"truncated-mid-file", data[:l.TensorOffset+(l.Size-l.TensorOffset)/2], ggmlfile.ErrTruncated},
		{"truncated-before-last-tensor", data[:l.LastTensorOffset], ggmlfile.ErrTruncated},
		{"truncated-last-byte", data[:l.Size-1], ggmlfile.ErrTruncated},
		{"trailing-garbage", append(append([]byte(nil), data...), make([]byte, 64)...), ggmlfile.ErrCorrupt},
		{"zero-audio-heads", patch(offAudioHead, 0), ggmlfile.ErrCorrupt},
		{"zero-text-heads", patch(offTextHead, 0), ggmlfile.ErrCorrupt},
		{"heads-not-dividing-state", patch(offAudioHead, 3), ggmlfile.ErrCorrupt},
		{"huge-n-fft", patch(offMelNFFT, 1<<30), ggmlfile.ErrCorrupt},
		{"negative-n-fft", patch(offMelNFFT, -1), ggmlfile.ErrCorrupt},
		{"huge-n-vocab", patch(offNVocab, 1<<30), ggmlfile.ErrCorrupt},
		{"huge-vocab-count", patch(l.VocabOffset, 1<<30), ggmlfile.ErrCorrupt},
		{"huge-token-length", patch(l.VocabOffset+4, -1), ggmlfile.ErrCorrupt},
		{"unknown-ftype", patch(offFType, 99), ggmlfile.ErrUnsupported},
		{"f32-ftype-header-only", patch(offFType, 0), ggmlfile.ErrUnsupported},
		{"huge-tensor-dims", patch(l.TensorOffset, 1000), ggmlfile.ErrCorrupt},
		{"wrong-tensor-shape", patch(l.TensorOffset+12, 33), ggmlfile.ErrCorrupt},
		{"wrong-tensor-type", patch(l.TensorOffset+8, int32(ggmlfile.F16)), ggmlfile.ErrCorrupt},
	}
	for _, c := range cases {
		if err := add(c.name, c.b, c.want); err != nil {
			return nil, err
		}
	}
	out = append(out, BadFile{Name: "f32-model", Path: f32, Want: ggmlfile.ErrUnsupported})
	return out, nil
}

// TruncateCopy copies the file at src to dir, cut to its first n bytes, and
// returns the new path: for tests that need a cut at a specific offset.
func TruncateCopy(tb testing.TB, src, dir string, n int64) string {
	tb.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		tb.Fatal(err)
	}
	if n > int64(len(data)) {
		tb.Fatalf("TruncateCopy: %s has %d bytes, cannot cut at %d", src, len(data), n)
	}
	dst := filepath.Join(dir, fmt.Sprintf("%s.cut%d", filepath.Base(src), n))
	if err := os.WriteFile(dst, data[:n], 0o644); err != nil {
		tb.Fatal(err)
	}
	return dst
}
