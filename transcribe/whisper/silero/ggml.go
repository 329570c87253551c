package silero

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
)

// Version is the silero-vad release the weights are from, written into the
// header as whisper.cpp's converter writes silero_vad.__version__.
var Version = [3]int32{5, 1, 2}

// FileName is the converted model's name, as whisper.cpp's
// download-vad-model.sh names it.
const FileName = "ggml-silero-v5.1.2.bin"

// FileSize is the size of a complete file, header and tensors.
const FileSize = 885098

const (
	ggmlMagic  = 0x67676d6c
	modelType  = "silero-16k"
	windowSize = 512 // samples per probability, at 16 kHz
	contextLen = 64
	ftypeF32   = 0
	ftypeF16   = 1
)

// Encoder geometry: input channels, output channels, kernel size.
var encoder = [4][3]int32{{129, 128, 3}, {128, 64, 3}, {64, 64, 3}, {64, 128, 3}}

// lstm and final-conv sizes: input, hidden; final in, out.
var lstmSize, finalSize = [2]int32{128, 128}, [2]int32{128, 1}

// layout is one tensor of the file: its name in the file, its name in the
// ONNX graph, its ggml shape (innermost first) and type.
type layout struct {
	name, onnx string
	ne         []int32
	ftype      int32
}

// tensors lists the file's tensors in the order the converter writes them.
var tensors = func() []layout {
	var l []layout
	for i, e := range encoder {
		n := fmt.Sprintf("encoder.%d.reparam_conv.", i)
		l = append(l,
			layout{"_model." + n + "weight", n + "weight", []int32{e[2], e[0], e[1]}, ftypeF16},
			layout{"_model." + n + "bias", n + "bias", []int32{e[1]}, ftypeF32})
	}
	h4 := 4 * lstmSize[1]
	l = append(l,
		layout{"_model.decoder.rnn.weight_ih", "decoder.rnn.weight_ih", []int32{lstmSize[0], h4}, ftypeF32},
		layout{"_model.decoder.rnn.weight_hh", "decoder.rnn.weight_hh", []int32{lstmSize[1], h4}, ftypeF32},
		layout{"_model.decoder.rnn.bias_ih", "decoder.rnn.bias_ih", []int32{h4}, ftypeF32},
		layout{"_model.decoder.rnn.bias_hh", "decoder.rnn.bias_hh", []int32{h4}, ftypeF32},
		// squeeze() leaves the weight one-dimensional and the bias a scalar.
		layout{"_model.decoder.decoder.2.weight", "decoder.decoder.2.weight", []int32{finalSize[0]}, ftypeF16},
		layout{"_model.decoder.decoder.2.bias", "decoder.decoder.2.bias", []int32{}, ftypeF32},
		// The STFT basis keeps all three dimensions.
		layout{"_model.stft.forward_basis_buffer", "stft.forward_basis_buffer", []int32{256, 1, 258}, ftypeF16},
	)
	return l
}()

func (t layout) elements() int {
	n := 1
	for _, d := range t.ne {
		n *= int(d)
	}
	return n
}

func (t layout) dataBytes() int {
	if t.ftype == ftypeF16 {
		return 2 * t.elements()
	}
	return 4 * t.elements()
}

// Sentinel errors, for errors.Is.
var (
	// ErrNotSilero: the ONNX file is not a silero-vad v5 model.
	ErrNotSilero = errors.New("not a silero-vad v5 ONNX model")
	// ErrInvalidModel: a ggml file is not the Silero model this package
	// writes (wrong header, a tensor missing or misshapen, cut short,
	// non-finite weights).
	ErrInvalidModel = errors.New("not a valid ggml Silero VAD model")
)

// Convert turns silero_vad_v5.onnx into the ggml file whisper.cpp loads.
func Convert(onnx []byte) ([]byte, error) {
	all, err := readONNXTensors(onnx)
	if err != nil {
		return nil, err
	}
	model, err := sixteenK(all)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.Grow(FileSize)
	w := func(v ...int32) {
		for _, x := range v {
			binary.Write(&b, binary.LittleEndian, x)
		}
	}
	writeHeader(w, &b)
	for _, t := range tensors {
		src := model[t.onnx]
		if len(src.Data) != t.elements() {
			return nil, fmt.Errorf("%w: %s has %d values (shape %v), want %d", ErrNotSilero, t.onnx, len(src.Data), src.Dims, t.elements())
		}
		w(int32(len(t.ne)), int32(len(t.name)), t.ftype)
		w(t.ne...)
		b.WriteString(t.name)
		for _, v := range src.Data {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				return nil, fmt.Errorf("%w: %s holds %v", ErrNotSilero, t.onnx, v)
			}
			if t.ftype == ftypeF16 {
				binary.Write(&b, binary.LittleEndian, f16(v))
			} else {
				binary.Write(&b, binary.LittleEndian, math.Float32bits(v))
			}
		}
	}
	if b.Len() != FileSize {
		return nil, fmt.Errorf("converted model is %d bytes, want %d", b.Len(), FileSize)
	}
	return b.Bytes(), nil
}

func writeHeader(w func(...int32), b *bytes.Buffer) {
	w(ggmlMagic, int32(len(modelType)))
	b.WriteString(modelType)
	w(Version[:]...)
	w(windowSize, contextLen, int32(len(encoder)))
	for _, e := range encoder {
		w(e[:]...)
	}
	w(lstmSize[:]...)
	w(finalSize[:]...)
}

// sixteenK picks the 16 kHz model's tensors. The export holds two models,
// in the branches of an If on the sample rate, with the same names; the
// 16 kHz one is the graph whose STFT basis has 258 filters of 256 taps
// (the 8 kHz one has 130 of 128).
func sixteenK(all []Tensor) (map[string]Tensor, error) {
	groups := map[int]map[string]Tensor{}
	for _, t := range all {
		if groups[t.Graph] == nil {
			groups[t.Graph] = map[string]Tensor{}
		}
		groups[t.Graph][t.Name] = t
	}
	for _, g := range groups {
		basis, ok := g["stft.forward_basis_buffer"]
		if !ok || len(basis.Dims) != 3 || basis.Dims[0] != 258 || basis.Dims[2] != 256 {
			continue
		}
		for _, t := range tensors {
			if _, ok := g[t.onnx]; !ok {
				return nil, fmt.Errorf("%w: the 16 kHz model has no %s", ErrNotSilero, t.onnx)
			}
		}
		return g, nil
	}
	return nil, fmt.Errorf("%w: no graph with a 16 kHz STFT basis of shape [258 1 256]", ErrNotSilero)
}

// f16 rounds v to the nearest IEEE half (ties to even), as numpy's
// astype(np.float16) does; out-of-range values become ±Inf, which Convert
// has excluded for finite weights of this size.
func f16(v float32) uint16 {
	b := math.Float32bits(v)
	sign := uint16(b>>16) & 0x8000
	exp := int32(b>>23&0xff) - 127 + 15
	man := b & 0x7fffff
	switch {
	case b&0x7fffffff == 0:
		return sign
	case exp >= 31:
		return sign | 0x7c00
	case exp <= 0:
		// Subnormal half: shift the mantissa (with its implicit 1) right.
		if exp < -10 {
			return sign
		}
		m := man | 0x800000
		shift := uint32(14 - exp)
		half := m >> shift
		rem := m & (1<<shift - 1)
		mid := uint32(1) << (shift - 1)
		if rem > mid || (rem == mid && half&1 == 1) {
			half++
		}
		return sign | uint16(half)
	}
	half := uint32(exp)<<10 | man>>13
	rem := man & 0x1fff
	if rem > 0x1000 || (rem == 0x1000 && half&1 == 1) {
		half++ // may carry into the exponent, which is right
	}
	return sign | uint16(half)
}

// Validate checks that the file at path is exactly the model Convert
// writes: the header, every tensor by name, shape and type, in order,
// finite weights, nothing missing and nothing after. Errors wrap
// ErrInvalidModel, or the os error when the file cannot be read.
func Validate(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("silero VAD model: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("silero VAD model: %w", err)
	}
	if st.Size() != FileSize {
		return fmt.Errorf("%w: %s is %d bytes, want %d (cut short, or another version)", ErrInvalidModel, path, st.Size(), FileSize)
	}
	b, err := io.ReadAll(f)
	if err != nil {
		return fmt.Errorf("silero VAD model: %w", err)
	}
	if err := check(b); err != nil {
		return fmt.Errorf("%w: %s: %w", ErrInvalidModel, path, err)
	}
	return nil
}

// check compares b with the layout, tensor data aside, and scans the data
// for NaN and infinities.
func check(b []byte) error {
	var want bytes.Buffer
	w := func(v ...int32) {
		for _, x := range v {
			binary.Write(&want, binary.LittleEndian, x)
		}
	}
	writeHeader(w, &want)
	if !bytes.HasPrefix(b, want.Bytes()) {
		return errors.New("the header is not silero-16k v5.1.2 with window 512 and the v5 geometry")
	}
	b = b[want.Len():]
	for _, t := range tensors {
		want.Reset()
		w(int32(len(t.ne)), int32(len(t.name)), t.ftype)
		w(t.ne...)
		want.WriteString(t.name)
		if !bytes.HasPrefix(b, want.Bytes()) {
			return fmt.Errorf("tensor %s is missing or misshapen", t.name)
		}
		b = b[want.Len():]
		n := t.dataBytes()
		if len(b) < n {
			return fmt.Errorf("tensor %s is cut short", t.name)
		}
		if err := finite(b[:n], t.ftype); err != nil {
			return fmt.Errorf("tensor %s: %w", t.name, err)
		}
		b = b[n:]
	}
	if len(b) != 0 {
		return fmt.Errorf("%d bytes after the last tensor", len(b))
	}
	return nil
}

func finite(data []byte, ftype int32) error {
	if ftype == ftypeF16 {
		for i := 0; i < len(data); i += 2 {
			if binary.LittleEndian.Uint16(data[i:])&0x7c00 == 0x7c00 {
				return fmt.Errorf("weight %d is not finite", i/2)
			}
		}
		return nil
	}
	for i := 0; i < len(data); i += 4 {
		if binary.LittleEndian.Uint32(data[i:])&0x7f800000 == 0x7f800000 {
			return fmt.Errorf("weight %d is not finite", i/4)
		}
	}
	return nil
}
