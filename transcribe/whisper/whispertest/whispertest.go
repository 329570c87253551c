// Package whispertest writes whisper.cpp model files for tests: small valid
// models with random weights that real whisper.cpp loads and runs in a
// fraction of a second, and a corpus of broken files that must be rejected.
//
// Real models are 75 MB to 3 GB and cannot live in the repository; a random
// model with the real vocabulary size and a 32-wide state exercises the
// whole engine (mel, encoder, decoder, timestamps, callbacks) at 4 MB. Its
// "transcripts" are babble, so tests check structure, never words: turn
// temperature fallback off and cap tokens per segment, or whisper.cpp
// retries each window at rising temperatures for seconds.
//
// Everything is deterministic: the same Geometry gives the same bytes.
package whispertest

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/sidenote-app/sidenote/transcribe/whisper/ggmlfile"
)

// Geometry chooses the shape of a generated model. The zero value is the
// small English-only test model: state 32, 1 head, 1 encoder and 1 decoder
// layer, 80 mels, f16 weights (about 4 MB).
type Geometry struct {
	// NVocab is 51864 (English-only, the default), 51865 (multilingual)
	// or 51866 (large-v3 layout, 100 languages).
	NVocab int32
	// State is the width of encoder and decoder (default 32).
	State int32
	// Heads per attention block (default 1); must divide State.
	Heads int32
	// AudioLayers and TextLayers default to 1.
	AudioLayers, TextLayers int32
	// Mels is 80 (default) or 128.
	Mels int32
	// FType is the ggml file type: 0 or 1 for f16 (the default), 7 for
	// q8_0, or F32FType for all-f32 weights (which whisper.cpp 1.9.1 cannot
	// run: only for rejection tests).
	FType int32
	// Seed for the weights (default 1).
	Seed uint64
}

func (g Geometry) withDefaults() Geometry {
	def := func(p *int32, v int32) {
		if *p == 0 {
			*p = v
		}
	}
	def(&g.NVocab, ggmlfile.VocabEnglish)
	def(&g.State, 32)
	def(&g.Heads, 1)
	def(&g.AudioLayers, 1)
	def(&g.TextLayers, 1)
	def(&g.Mels, 80)
	if g.Seed == 0 {
		g.Seed = 1
	}
	return g
}

// F32FType asks for an all-f32 model (ggml ftype 0). It is not 0 because
// FType's zero value means the default, f16.
const F32FType = -1

// Header is the ggml header a Geometry produces.
func (g Geometry) Header() ggmlfile.Header {
	g = g.withDefaults()
	ftype := g.FType
	switch ftype {
	case 0:
		ftype = 1
	case F32FType:
		ftype = 0
	}
	return ggmlfile.Header{
		NVocab: g.NVocab, NAudioCtx: ggmlfile.AudioCtx, NAudioState: g.State, NAudioHead: g.Heads,
		NAudioLayer: g.AudioLayers, NTextCtx: ggmlfile.TextCtx, NTextState: g.State, NTextHead: g.Heads,
		NTextLayer: g.TextLayers, NMels: g.Mels, FType: ftype,
		MelFilters:   ggmlfile.MelFilters{NMel: g.Mels, NFFT: ggmlfile.MelFFTBins},
		Multilingual: g.NVocab >= ggmlfile.VocabMultilingual,
	}
}

// Layout records where the parts of a written model start, so corruption
// tests can cut or patch a file at a meaningful place.
type Layout struct {
	MelOffset    int64 // n_mel, n_fft, filter data
	VocabOffset  int64 // token count, tokens
	TensorOffset int64 // first tensor record
	// FirstTensorData is where the first tensor's data starts.
	FirstTensorData int64
	// LastTensorOffset is where the last tensor record starts.
	LastTensorOffset int64
	Size             int64
}

// WriteModel writes a random-weight model with geometry g into dir and
// returns its path. The name encodes the geometry, so tests sharing a dir
// and geometry share the file.
func WriteModel(tb testing.TB, dir string, g Geometry) string {
	tb.Helper()
	path := filepath.Join(dir, g.fileName())
	if _, err := WriteFile(path, g); err != nil {
		tb.Fatalf("write test model: %v", err)
	}
	return path
}

func (g Geometry) fileName() string {
	g = g.withDefaults()
	return fmt.Sprintf("ggml-test-v%d-s%d-h%d-l%dx%d-m%d-f%d-seed%d.bin",
		g.NVocab, g.State, g.Heads, g.AudioLayers, g.TextLayers, g.Mels, g.FType, g.Seed)
}

// encoded caches each geometry's bytes: the same model is written by many
// tests, and generating one costs far more than copying it.
var encoded sync.Map // Geometry (with defaults) → *encodedModel

type encodedModel struct {
	once   sync.Once
	data   []byte
	layout Layout
	err    error
}

// WriteFile writes a random-weight model with geometry g to path,
// replacing any file there.
func WriteFile(path string, g Geometry) (Layout, error) {
	v, _ := encoded.LoadOrStore(g.withDefaults(), &encodedModel{})
	em := v.(*encodedModel)
	em.once.Do(func() {
		var b bytes.Buffer
		em.layout, em.err = Encode(&b, g)
		em.data = b.Bytes()
	})
	if em.err != nil {
		return Layout{}, em.err
	}
	if err := os.WriteFile(path, em.data, 0o644); err != nil {
		return Layout{}, fmt.Errorf("write test model: %w", err)
	}
	return em.layout, nil
}

// Encode writes a random-weight model with geometry g to w in the legacy
// ggml layout whisper_model_load reads.
func Encode(w io.Writer, g Geometry) (Layout, error) {
	return encode(w, nil, g)
}

// WriteSparseFile writes a model file of geometry g whose tensor data are
// holes: the exact size and structure of a real model (a large-v3 geometry
// gives a 3 GB file) using almost no disk or time. It is for validation
// tests and benchmarks only; the all-zero weights are not worth running.
func WriteSparseFile(path string, g Geometry) (Layout, error) {
	f, err := os.Create(path)
	if err != nil {
		return Layout{}, err
	}
	l, err := encode(f, f, g)
	if err == nil {
		err = f.Truncate(l.Size) // materialise a trailing hole
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return l, fmt.Errorf("write sparse test model %s: %w", path, err)
	}
	return l, nil
}

// encode writes the model; with a non-nil holes, tensor data is skipped by
// seeking instead of written.
func encode(w io.Writer, holes io.Seeker, g Geometry) (Layout, error) {
	g = g.withDefaults()
	h := g.Header()
	if h.FType != 0 && h.FType != 1 && h.FType != 7 {
		return Layout{}, fmt.Errorf("whispertest: cannot write ftype %d (only 0, 1, 7)", h.FType)
	}
	if h.NAudioState%h.NAudioHead != 0 {
		return Layout{}, fmt.Errorf("whispertest: state %d not divisible by %d heads", h.NAudioState, h.NAudioHead)
	}
	e := &encoder{w: bufio.NewWriterSize(w, 1<<20), rng: rand.New(rand.NewPCG(g.Seed, 0x5eed))}
	var l Layout

	ftype := h.FType
	if ftype == 7 {
		ftype += 1000 * ggmlfile.QuantVersion
	}
	e.i32(ggmlfile.Magic, h.NVocab, h.NAudioCtx, h.NAudioState, h.NAudioHead, h.NAudioLayer,
		h.NTextCtx, h.NTextState, h.NTextHead, h.NTextLayer, h.NMels, ftype)

	l.MelOffset = e.off
	e.i32(h.MelFilters.NMel, h.MelFilters.NFFT)
	e.f32s(melFilters(int(h.NMels)))

	l.VocabOffset = e.off
	words := vocab(h)
	e.i32(int32(len(words)))
	for _, word := range words {
		e.i32(int32(len(word)))
		e.bytes([]byte(word))
	}

	l.TensorOffset = e.off
	tensors := h.Tensors()
	for i, t := range tensors {
		if i == len(tensors)-1 {
			l.LastTensorOffset = e.off
		}
		e.i32(int32(len(t.Dims)), int32(len(t.Name)), int32(t.Type))
		e.i32(t.Dims...)
		e.bytes([]byte(t.Name))
		if i == 0 {
			l.FirstTensorData = e.off
		}
		if holes != nil {
			e.hole(holes, t.DataBytes())
		} else {
			e.tensor(t)
		}
	}
	l.Size = e.off
	if e.err == nil {
		e.err = e.w.Flush()
	}
	return l, e.err
}

// vocab returns the text tokens of the GPT-2 vocabulary's size (50256 for
// English-only, 50257 for multilingual), so whisper.cpp places eot/sot and
// the timestamp tokens where real models have them and names the specials
// itself. Token 220 is " ", which whisper_full requires; the rest are short
// distinct words so babble is readable.
func vocab(h ggmlfile.Header) []string {
	n := 50256
	if h.Multilingual {
		n = 50257
	}
	words := make([]string, n)
	for i := range words {
		words[i] = " " + word(i)
	}
	words[ggmlfile.SpaceTokenID] = " "
	return words
}

func word(i int) string {
	const letters = "etaoinshrdlucmfwypvbgkqjxz"
	b := []byte{}
	for {
		b = append(b, letters[i%len(letters)])
		i /= len(letters)
		if i == 0 {
			return string(b)
		}
	}
}

// melFilters builds a triangular filterbank over the 201 FFT bins. It only
// has to be plausible: positive, finite, each band covering a few bins.
func melFilters(nMel int) []float32 {
	const bins = ggmlfile.MelFFTBins
	out := make([]float32, nMel*bins)
	for m := range nMel {
		lo := float64(m) * float64(bins-1) / float64(nMel+1)
		hi := float64(m+2) * float64(bins-1) / float64(nMel+1)
		mid := (lo + hi) / 2
		for k := range bins {
			x := float64(k)
			var v float64
			switch {
			case x > lo && x <= mid:
				v = (x - lo) / (mid - lo)
			case x > mid && x < hi:
				v = (hi - x) / (hi - mid)
			}
			out[m*bins+k] = float32(v * 0.02)
		}
	}
	return out
}

type encoder struct {
	w   *bufio.Writer
	rng *rand.Rand
	off int64
	err error
	b   [4]byte
	buf []byte
}

func (e *encoder) scratch(n int64) []byte {
	if int64(cap(e.buf)) < n {
		e.buf = make([]byte, n)
	}
	return e.buf[:n]
}

func (e *encoder) bytes(p []byte) {
	if e.err != nil {
		return
	}
	n, err := e.w.Write(p)
	e.off += int64(n)
	e.err = err
}

func (e *encoder) hole(s io.Seeker, n int64) {
	if e.err != nil {
		return
	}
	if e.err = e.w.Flush(); e.err != nil {
		return
	}
	_, e.err = s.Seek(n, io.SeekCurrent)
	e.off += n
}

func (e *encoder) i32(vs ...int32) {
	for _, v := range vs {
		binary.LittleEndian.PutUint32(e.b[:], uint32(v))
		e.bytes(e.b[:4])
	}
}

func (e *encoder) f32s(vs []float32) {
	for _, v := range vs {
		binary.LittleEndian.PutUint32(e.b[:], math.Float32bits(v))
		e.bytes(e.b[:4])
	}
}

// tensor writes random values scaled like a trained network's: layer-norm
// gains near 1, biases near 0, matrices with variance 1/fan-in so
// activations stay finite through the layers.
func (e *encoder) tensor(t ggmlfile.Tensor) {
	n := t.Elements()
	var mean, std float64
	switch {
	case len(t.Dims) == 1 && hasSuffix(t.Name, "ln.weight", "ln_post.weight"):
		mean, std = 1, 0.02
	case len(t.Dims) == 1 || hasSuffix(t.Name, "conv1.bias", "conv2.bias"):
		mean, std = 0, 0.02
	default:
		std = 1 / math.Sqrt(float64(t.Dims[0]))
	}
	// Uniform noise with the wanted mean and deviation, four values per
	// 64 random bits: a network does not care about the distribution's
	// shape, and a Gaussian per value made model generation slow under -race.
	lo, width := float32(mean-math.Sqrt(3)*std), float32(2*math.Sqrt(3)*std/65536)
	var bits uint64
	left := 0
	next := func() float32 {
		if left == 0 {
			bits, left = e.rng.Uint64(), 4
		}
		v := float32(bits & 0xffff)
		bits >>= 16
		left--
		return lo + width*v
	}
	// Whole tensors are built in memory and written at once: per-value
	// writes made generating a model the slowest part of the test suite.
	switch t.Type {
	case ggmlfile.F32:
		buf := e.scratch(4 * n)
		for i := range n {
			binary.LittleEndian.PutUint32(buf[4*i:], math.Float32bits(next()))
		}
		e.bytes(buf)
	case ggmlfile.F16:
		buf := e.scratch(2 * n)
		for i := range n {
			binary.LittleEndian.PutUint16(buf[2*i:], f16(next()))
		}
		e.bytes(buf)
	case ggmlfile.Q8_0:
		// block_q8_0: f16 scale d, then 32 int8 q with x = d*q.
		var blk [34]byte
		var xs [32]float32
		for range n / 32 {
			amax := float32(0)
			for i := range xs {
				xs[i] = next()
				amax = max(amax, float32(math.Abs(float64(xs[i]))))
			}
			d := amax / 127
			binary.LittleEndian.PutUint16(blk[:], f16(d))
			for i, x := range xs {
				q := int8(0)
				if d != 0 {
					q = int8(math.Round(float64(x / d)))
				}
				blk[2+i] = byte(q)
			}
			e.bytes(blk[:])
		}
	default:
		e.err = fmt.Errorf("whispertest: cannot write tensor type %s", t.Type)
	}
}

func hasSuffix(s string, suffixes ...string) bool {
	for _, x := range suffixes {
		if len(s) >= len(x) && s[len(s)-len(x):] == x {
			return true
		}
	}
	return false
}

// f16 converts to IEEE half precision, rounding to nearest; values beyond
// the half range saturate and tiny ones flush to zero, which is all random
// weights need.
func f16(f float32) uint16 {
	b := math.Float32bits(f)
	sign := uint16(b>>16) & 0x8000
	exp := int32(b>>23&0xff) - 127 + 15
	mant := b & 0x7fffff
	switch {
	case exp >= 31:
		return sign | 0x7bff
	case exp <= 0:
		return sign
	}
	h := sign | uint16(exp)<<10 | uint16(mant>>13)
	if mant&0x1000 != 0 { // round half up
		h++
	}
	return h
}
