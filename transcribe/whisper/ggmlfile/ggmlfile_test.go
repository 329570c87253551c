package ggmlfile_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sidenote-app/sidenote/transcribe/whisper/ggmlfile"
	"github.com/sidenote-app/sidenote/transcribe/whisper/whispertest"
)

func TestValidateGeneratedModels(t *testing.T) {
	dir := t.TempDir()
	for _, g := range []whispertest.Geometry{
		{},
		{NVocab: ggmlfile.VocabMultilingual, State: 64, Heads: 2, AudioLayers: 2, TextLayers: 3},
		{NVocab: ggmlfile.VocabLargeV3, Mels: 128, AudioLayers: 4},
		{FType: 7},
	} {
		path := whispertest.WriteModel(t, dir, g)
		h, err := ggmlfile.Validate(path)
		if err != nil {
			t.Fatalf("Validate(%+v): %v", g, err)
		}
		want := g.Header()
		st, _ := os.Stat(path)
		if h.ExpectedSize != st.Size() {
			t.Errorf("%+v: ExpectedSize = %d, file is %d bytes", g, h.ExpectedSize, st.Size())
		}
		if h.NVocab != want.NVocab || h.NAudioState != want.NAudioState || h.NAudioLayer != want.NAudioLayer ||
			h.NTextLayer != want.NTextLayer || h.NMels != want.NMels || h.FType != want.FType {
			t.Errorf("Validate(%+v) header = %+v, want %+v", g, h, want)
		}
		if h.Multilingual != want.Multilingual {
			t.Errorf("%+v: Multilingual = %v, want %v", g, h.Multilingual, want.Multilingual)
		}
		if h.MelFilters != (ggmlfile.MelFilters{NMel: want.NMels, NFFT: 201}) {
			t.Errorf("%+v: MelFilters = %+v", g, h.MelFilters)
		}

		// ReadHeader on a plain stream agrees with Validate.
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		h2, err := ggmlfile.ReadHeader(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("ReadHeader: %v", err)
		}
		if h2 != h {
			t.Errorf("ReadHeader = %+v, Validate = %+v", h2, h)
		}
	}
}

func TestHeaderFacts(t *testing.T) {
	for _, c := range []struct {
		layers       int32
		vocab        int32
		wantType     string
		wantLangs    int
		multilingual bool
	}{
		{4, 51864, "tiny", 99, false},
		{6, 51865, "base", 99, true},
		{12, 51865, "small", 99, true},
		{24, 51865, "medium", 99, true},
		{32, 51866, "large", 100, true},
		{1, 51864, "unknown", 99, false},
	} {
		path := whispertest.WriteModel(t, t.TempDir(), whispertest.Geometry{AudioLayers: c.layers, NVocab: c.vocab})
		h, err := ggmlfile.Validate(path)
		if err != nil {
			t.Fatal(err)
		}
		if h.ModelType != c.wantType || h.NumLanguages() != c.wantLangs || h.Multilingual != c.multilingual {
			t.Errorf("layers %d vocab %d: got type %q, %d languages, multilingual %v; want %q, %d, %v",
				c.layers, c.vocab, h.ModelType, h.NumLanguages(), h.Multilingual, c.wantType, c.wantLangs, c.multilingual)
		}
		if !strings.Contains(h.String(), c.wantType) {
			t.Errorf("String() = %q, want it to name %q", h.String(), c.wantType)
		}
	}
}

func TestCorpusRejected(t *testing.T) {
	for _, bad := range whispertest.Corpus(t, t.TempDir()) {
		t.Run(bad.Name, func(t *testing.T) {
			_, err := ggmlfile.Validate(bad.Path)
			if !errors.Is(err, bad.Want) {
				t.Fatalf("Validate = %v, want %v", err, bad.Want)
			}
			// Messages name the file and say what to do.
			if !strings.Contains(err.Error(), filepath.Base(bad.Path)) {
				t.Errorf("error %q does not name the file", err)
			}
			t.Log(err)
		})
	}
}

// Every cut of a valid file fails, wherever it falls: no prefix of a model
// is itself a model.
func TestEveryTruncationRejected(t *testing.T) {
	dir := t.TempDir()
	path := whispertest.WriteModel(t, dir, whispertest.Geometry{})
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(dir, "cut.bin")
	for n := 0; n < len(data); n += 1 + n/7 {
		if err := os.WriteFile(cut, data[:n], 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := ggmlfile.Validate(cut)
		if !errors.Is(err, ggmlfile.ErrTruncated) && !errors.Is(err, ggmlfile.ErrNotModel) {
			t.Fatalf("cut at %d of %d: got %v, want ErrTruncated", n, len(data), err)
		}
	}
}

func TestValidateMissingFile(t *testing.T) {
	_, err := ggmlfile.Validate(filepath.Join(t.TempDir(), "nope.bin"))
	if !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("got %v, want os.ErrNotExist", err)
	}
	_, err = ggmlfile.Validate(t.TempDir())
	if !errors.Is(err, ggmlfile.ErrNotModel) {
		t.Fatalf("directory: got %v, want ErrNotModel", err)
	}
}

func TestReadHeaderTruncatedStream(t *testing.T) {
	var buf bytes.Buffer
	if _, err := whispertest.Encode(&buf, whispertest.Geometry{}); err != nil {
		t.Fatal(err)
	}
	_, err := ggmlfile.ReadHeader(bytes.NewReader(buf.Bytes()[:30]))
	if !errors.Is(err, ggmlfile.ErrTruncated) {
		t.Fatalf("got %v, want ErrTruncated", err)
	}
}

func BenchmarkValidate(b *testing.B) {
	path := whispertest.WriteModel(b, b.TempDir(), whispertest.Geometry{})
	st, _ := os.Stat(path)
	b.SetBytes(st.Size())
	for b.Loop() {
		if _, err := ggmlfile.Validate(path); err != nil {
			b.Fatal(err)
		}
	}
}

// largeV3 is the geometry of ggml-large-v3.bin (3.1 GB).
var largeV3 = whispertest.Geometry{NVocab: ggmlfile.VocabLargeV3, State: 1280, Heads: 20, AudioLayers: 32, TextLayers: 32, Mels: 128}

// A full-size file is validated by seeking, not reading: the sparse 3 GB
// file below would take seconds to read.
func TestValidateFullSizeGeometry(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ggml-large-v3-sparse.bin")
	l, err := whispertest.WriteSparseFile(path, largeV3)
	if err != nil {
		t.Fatal(err)
	}
	h, err := ggmlfile.Validate(path)
	if err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if h.ModelType != "large" || h.NumLanguages() != 100 || h.ExpectedSize != l.Size {
		t.Errorf("got %s, %d languages, ExpectedSize %d; want large, 100, %d", h.ModelType, h.NumLanguages(), h.ExpectedSize, l.Size)
	}
	t.Logf("large-v3 geometry: %d bytes, %d tensors", l.Size, len(h.Tensors()))

	if err := os.Truncate(path, l.Size-1); err != nil {
		t.Fatal(err)
	}
	if _, err := ggmlfile.Validate(path); !errors.Is(err, ggmlfile.ErrTruncated) {
		t.Fatalf("cut large file: got %v, want ErrTruncated", err)
	}
}

func BenchmarkValidateLargeV3(b *testing.B) {
	path := filepath.Join(b.TempDir(), "ggml-large-v3-sparse.bin")
	if _, err := whispertest.WriteSparseFile(path, largeV3); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := ggmlfile.Validate(path); err != nil {
			b.Fatal(err)
		}
	}
}
