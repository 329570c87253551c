package silero

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// pb builds protobuf messages for the tests: a synthetic ONNX export with
// silero's structure, so the converter is tested on every machine without
// the real file.
type pb struct{ bytes.Buffer }

func (p *pb) varint(num int, v uint64) *pb {
	p.Write(binary.AppendUvarint(nil, uint64(num)<<3))
	p.Write(binary.AppendUvarint(nil, v))
	return p
}

func (p *pb) bytes(num int, b []byte) *pb {
	p.Write(binary.AppendUvarint(nil, uint64(num)<<3|2))
	p.Write(binary.AppendUvarint(nil, uint64(len(b))))
	p.Write(b)
	return p
}

// onnxTensor encodes a float TensorProto: raw data, or float_data when
// packed is set, as exporters write either.
func onnxTensor(name string, dims []int64, data []float32, packed bool) []byte {
	var t pb
	var d []byte
	for _, x := range dims {
		d = binary.AppendUvarint(d, uint64(x))
	}
	t.bytes(1, d).varint(2, onnxFloat).bytes(8, []byte(name))
	var raw []byte
	for _, v := range data {
		raw = binary.LittleEndian.AppendUint32(raw, math.Float32bits(v))
	}
	if packed {
		t.bytes(4, raw)
	} else {
		t.bytes(9, raw)
	}
	return t.Bytes()
}

// onnxShape is the PyTorch shape of each tensor.
var onnxShape = map[string][]int64{
	"decoder.rnn.weight_ih":    {512, 128},
	"decoder.rnn.weight_hh":    {512, 128},
	"decoder.rnn.bias_ih":      {512},
	"decoder.rnn.bias_hh":      {512},
	"decoder.decoder.2.weight": {1, 128, 1},
	"decoder.decoder.2.bias":   {1},
}

// value is the synthetic weight i of tensor k: distinct, and exact in
// float16 so the test can compare bit for bit.
func value(k, i int) float32 { return float32((k*7919+i)%2048-1024) / 512 }

// syntheticONNX is a model with an If whose branches hold an 8 kHz model
// (as Constant nodes) and a 16 kHz one (as initializers of the branch).
func syntheticONNX(t *testing.T) []byte {
	t.Helper()
	branch := func(rate int) []byte {
		var g pb
		basis := []int64{258, 1, 256}
		if rate == 8000 {
			basis = []int64{130, 1, 128}
		}
		for k, l := range tensors {
			dims := onnxShape[l.onnx]
			switch {
			case l.onnx == "stft.forward_basis_buffer":
				dims = basis
			case dims == nil: // encoder
				e := encoder[k/2]
				if rate == 8000 && k == 0 {
					e[0] = 65
				}
				dims = []int64{int64(e[1]), int64(e[0]), int64(e[2])}
				if k%2 == 1 {
					dims = []int64{int64(e[1])}
				}
			}
			n := int64(1)
			for _, d := range dims {
				n *= d
			}
			data := make([]float32, n)
			for i := range data {
				data[i] = value(k+rate, i)
			}
			tp := onnxTensor(l.onnx, dims, data, k%2 == 0)
			if rate == 8000 {
				// Constant node: output name, attribute "value" with t.
				var attr, node pb
				attr.bytes(1, []byte("value")).bytes(5, tp)
				node.bytes(2, []byte(l.onnx)).bytes(4, []byte("Constant")).bytes(5, attr.Bytes())
				g.bytes(1, node.Bytes())
			} else {
				g.bytes(5, tp)
			}
		}
		return g.Bytes()
	}
	var ifNode, main, model pb
	for _, b := range [][]byte{branch(8000), branch(16000)} {
		var attr pb
		attr.bytes(1, []byte("branch")).bytes(6, b)
		ifNode.bytes(5, attr.Bytes())
	}
	ifNode.bytes(4, []byte("If"))
	main.bytes(1, ifNode.Bytes())
	model.varint(1, 8).bytes(7, main.Bytes())
	return model.Bytes()
}

func TestConvertSynthetic(t *testing.T) {
	out, err := Convert(syntheticONNX(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != FileSize {
		t.Fatalf("%d bytes, want %d", len(out), FileSize)
	}
	path := filepath.Join(t.TempDir(), FileName)
	if err := os.WriteFile(path, out, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := Validate(path); err != nil {
		t.Fatal(err)
	}
	// Every tensor holds the 16 kHz model's values in PyTorch's order.
	hdr := 4 + 4 + len(modelType) + 12 + 12 + 12*len(encoder) + 16
	b := out[hdr:]
	for k, l := range tensors {
		b = b[12+4*len(l.ne)+len(l.name):]
		for i := range l.elements() {
			want := value(k+16000, i)
			var got float32
			if l.ftype == ftypeF16 {
				if h := binary.LittleEndian.Uint16(b[2*i:]); h != f16(want) {
					t.Fatalf("%s[%d] = %#04x, want %#04x (%g)", l.name, i, h, f16(want), want)
				}
				continue
			}
			got = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
			if got != want {
				t.Fatalf("%s[%d] = %g, want %g", l.name, i, got, want)
			}
		}
		b = b[l.dataBytes():]
	}
}

func TestConvertRejects(t *testing.T) {
	for name, in := range map[string][]byte{
		"empty":     nil,
		"garbage":   []byte("this is not protobuf at all \xff\xff\xff\xff\xff"),
		"no graph":  (&pb{}).varint(1, 8).Bytes(),
		"no 16 kHz": (&pb{}).bytes(7, (&pb{}).bytes(5, onnxTensor("stft.forward_basis_buffer", []int64{130, 1, 128}, make([]float32, 130*128), false)).Bytes()).Bytes(),
	} {
		if _, err := Convert(in); !errors.Is(err, ErrNotONNX) && !errors.Is(err, ErrNotSilero) {
			t.Errorf("%s: %v, want ErrNotONNX or ErrNotSilero", name, err)
		}
	}
}

func TestValidateRejectsDamage(t *testing.T) {
	good, err := Convert(syntheticONNX(t))
	if err != nil {
		t.Fatal(err)
	}
	nanAt := len(good) - 4*1000 // inside the STFT basis (f16): make it Inf
	damage := map[string]func([]byte) []byte{
		"cut after the header": func(b []byte) []byte { return b[:106] },
		"cut mid-tensor":       func(b []byte) []byte { return b[:len(b)/2] },
		"one byte short":       func(b []byte) []byte { return b[:len(b)-1] },
		"one byte more":        func(b []byte) []byte { return append(b, 0) },
		"bad magic":            func(b []byte) []byte { b[0] ^= 1; return b },
		"other window":         func(b []byte) []byte { b[31] = 1; return b },
		"renamed tensor":       func(b []byte) []byte { i := bytes.Index(b, []byte("rnn.weight_hh")); b[i] = 'R'; return b },
		"infinite weight":      func(b []byte) []byte { b[nanAt], b[nanAt+1] = 0x00, 0x7c; return b },
	}
	dir := t.TempDir()
	for name, f := range damage {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, f(append([]byte(nil), good...)), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := Validate(path); !errors.Is(err, ErrInvalidModel) {
			t.Errorf("%s: %v, want ErrInvalidModel", name, err)
		}
	}
	if err := Validate(filepath.Join(dir, "missing")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v, want ErrNotExist", err)
	}
}

func TestF16(t *testing.T) {
	for _, tt := range []struct {
		in   float32
		want uint16
	}{
		{0, 0}, {float32(math.Copysign(0, -1)), 0x8000}, {1, 0x3c00}, {-2, 0xc000},
		{0.1, 0x2e66}, {65504, 0x7bff}, {65520, 0x7c00}, {1e10, 0x7c00},
		{5.960464477539063e-08, 0x0001}, {2.98e-08, 0x0000}, {6.103515625e-05, 0x0400},
		{1 + 1.0/2048, 0x3c00},        // a tie rounds to even
		{1 + 3.0/2048, 0x3c02},        // a tie rounds to even, upwards
		{1 + 1.0/2048 + 1e-7, 0x3c01}, // past the tie rounds up
		{3.0517578125e-05, 0x0200},    // subnormal
		{float32(math.Inf(-1)), 0xfc00},
	} {
		if got := f16(tt.in); got != tt.want {
			t.Errorf("f16(%g) = %#04x, want %#04x", tt.in, got, tt.want)
		}
	}
}

// The file make generated, when there is one: exactly the size whisper.cpp's
// own converter gives, and valid.
func TestGeneratedModel(t *testing.T) {
	path, err := Find()
	if err != nil {
		if os.Getenv(EnvPath) != "" {
			t.Fatal(err) // make said where it is: it must be there
		}
		t.Skip(err)
	}
	if err := Validate(path); err != nil {
		t.Fatal(err)
	}
}
