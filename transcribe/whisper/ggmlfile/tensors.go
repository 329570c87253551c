package ggmlfile

import "fmt"

// TensorType is a ggml tensor element type (enum ggml_type). Only the types
// a whisper model accepted by this package can contain are named.
type TensorType int32

// The ggml types a supported whisper model stores.
const (
	F32  TensorType = 0
	F16  TensorType = 1
	Q4_0 TensorType = 2
	Q4_1 TensorType = 3
	Q5_0 TensorType = 6
	Q5_1 TensorType = 7
	Q8_0 TensorType = 8
)

// layout is ggml's block size and bytes per block for each known type
// (type_traits in ggml.c).
var layout = map[TensorType]struct {
	name        string
	block, size int64
}{
	F32:  {"f32", 1, 4},
	F16:  {"f16", 1, 2},
	Q4_0: {"q4_0", 32, 18},
	Q4_1: {"q4_1", 32, 20},
	Q5_0: {"q5_0", 32, 22},
	Q5_1: {"q5_1", 32, 24},
	Q8_0: {"q8_0", 32, 34},
}

func (t TensorType) String() string {
	if l, ok := layout[t]; ok {
		return l.name
	}
	return fmt.Sprintf("ggml type %d", int32(t))
}

// BlockSize is how many elements one block of this type holds (1 for
// f32/f16, 32 for the q types). A row length must be a multiple of it.
func (t TensorType) BlockSize() int64 { return layout[t].block }

// RowBytes is the size in bytes of n consecutive elements; n must be a
// multiple of BlockSize.
func (t TensorType) RowBytes(n int64) int64 {
	l := layout[t]
	return n / l.block * l.size
}

// FTypeName names a ggml file type (the FType header field).
func FTypeName(ftype int32) string {
	switch ftype {
	case 0:
		return "f32"
	case 1:
		return "f16"
	case 2:
		return "q4_0"
	case 3:
		return "q4_1"
	case 4:
		return "q4_1_some_f16"
	case 7:
		return "q8_0"
	case 8:
		return "q5_0"
	case 9:
		return "q5_1"
	case 10, 11, 12, 13, 14:
		return fmt.Sprintf("q%d_k", ftype-8)
	case 24:
		return "bf16"
	}
	return fmt.Sprintf("ftype %d", ftype)
}

// weightType maps a supported ftype to the type of the big matrices, as
// ggml_ftype_to_ggml_type does. ok is false for every ftype whisper.cpp
// 1.9.1 cannot run safely: f32 (0) aborts in 1.9.1, an unknown ftype trips
// a GGML_ASSERT, and the k-quant/i-quant/bf16 types are not produced for
// whisper models and are untested here.
func weightType(ftype int32) (TensorType, bool) {
	switch ftype {
	case 1:
		return F16, true
	case 2:
		return Q4_0, true
	case 3:
		return Q4_1, true
	case 7:
		return Q8_0, true
	case 8:
		return Q5_0, true
	case 9:
		return Q5_1, true
	}
	return F32, false
}

// Tensor is one weight tensor whisper_model_load expects.
type Tensor struct {
	Name string
	// Dims is ggml's ne: innermost (fastest-varying) dimension first, as
	// the file stores it. Its length is the n_dims the converter writes.
	Dims []int32
	Type TensorType
}

// Elements is the number of values in the tensor.
func (t Tensor) Elements() int64 {
	n := int64(1)
	for _, d := range t.Dims {
		n *= int64(d)
	}
	return n
}

// DataBytes is the size of the tensor's data in the file.
func (t Tensor) DataBytes() int64 {
	if len(t.Dims) == 0 {
		return 0
	}
	rows := t.Elements() / int64(t.Dims[0])
	return rows * t.Type.RowBytes(int64(t.Dims[0]))
}

// RecordBytes is the size of the whole tensor record: header, dims, name
// and data.
func (t Tensor) RecordBytes() int64 {
	return 12 + 4*int64(len(t.Dims)) + int64(len(t.Name)) + t.DataBytes()
}

// Tensors lists every tensor whisper_model_load creates for this header, in
// the order the converter writes them, with the shapes and types the loader
// checks. The header must have passed ReadHeader's checks.
func (h Header) Tensors() []Tensor {
	w := h.WeightType()
	// Convolution kernels stay f16 even in quantised files: the quantiser
	// only touches 2-D tensors, and the loader asks for f16 (vtype).
	const conv = F16
	as, ts := h.NAudioState, h.NTextState
	out := make([]Tensor, 0, 11+15*int(h.NAudioLayer)+24*int(h.NTextLayer))
	add := func(name string, typ TensorType, dims ...int32) {
		out = append(out, Tensor{Name: name, Dims: dims, Type: typ})
	}

	add("encoder.positional_embedding", F32, as, h.NAudioCtx)
	add("encoder.conv1.weight", conv, 3, h.NMels, as)
	add("encoder.conv1.bias", F32, 1, as)
	add("encoder.conv2.weight", conv, 3, as, as)
	add("encoder.conv2.bias", F32, 1, as)
	for i := range h.NAudioLayer {
		p := fmt.Sprintf("encoder.blocks.%d.", i)
		add(p+"attn.query.weight", w, as, as)
		add(p+"attn.query.bias", F32, as)
		add(p+"attn.key.weight", w, as, as)
		add(p+"attn.value.weight", w, as, as)
		add(p+"attn.value.bias", F32, as)
		add(p+"attn.out.weight", w, as, as)
		add(p+"attn.out.bias", F32, as)
		add(p+"attn_ln.weight", F32, as)
		add(p+"attn_ln.bias", F32, as)
		add(p+"mlp.0.weight", w, as, 4*as)
		add(p+"mlp.0.bias", F32, 4*as)
		add(p+"mlp.2.weight", w, 4*as, as)
		add(p+"mlp.2.bias", F32, as)
		add(p+"mlp_ln.weight", F32, as)
		add(p+"mlp_ln.bias", F32, as)
	}
	add("encoder.ln_post.weight", F32, as)
	add("encoder.ln_post.bias", F32, as)

	add("decoder.positional_embedding", F32, ts, h.NTextCtx)
	add("decoder.token_embedding.weight", w, ts, h.NVocab)
	for i := range h.NTextLayer {
		p := fmt.Sprintf("decoder.blocks.%d.", i)
		for _, attn := range []string{"attn", "cross_attn"} {
			add(p+attn+".query.weight", w, ts, ts)
			add(p+attn+".query.bias", F32, ts)
			add(p+attn+".key.weight", w, ts, ts)
			add(p+attn+".value.weight", w, ts, ts)
			add(p+attn+".value.bias", F32, ts)
			add(p+attn+".out.weight", w, ts, ts)
			add(p+attn+".out.bias", F32, ts)
			add(p+attn+"_ln.weight", F32, ts)
			add(p+attn+"_ln.bias", F32, ts)
		}
		add(p+"mlp.0.weight", w, ts, 4*ts)
		add(p+"mlp.0.bias", F32, 4*ts)
		add(p+"mlp.2.weight", w, 4*ts, ts)
		add(p+"mlp.2.bias", F32, ts)
		add(p+"mlp_ln.weight", F32, ts)
		add(p+"mlp_ln.bias", F32, ts)
	}
	add("decoder.ln.weight", F32, ts)
	add("decoder.ln.bias", F32, ts)
	return out
}
