// Package ggmlfile reads and validates whisper.cpp model files in the legacy
// ggml layout (the ggml-*.bin files whisper.cpp publishes) without cgo.
//
// It exists because whisper.cpp 1.9.1 trusts its input: a header with zero
// heads or an absurd n_fft kills the process (SIGFPE/SIGSEGV or GGML_ASSERT),
// an unknown ftype aborts, and a file cut before or inside its tensors loads
// as an "empty model" that transcribes garbage. Everything whisper.cpp would
// choke on is checked here first, in pure Go, so the caller gets an error it
// can show instead of a dead process. Validation seeks over tensor data
// rather than reading it, so a 3 GB model is checked in milliseconds.
//
// The layout, all little-endian int32 unless noted (see whisper_model_load in
// whisper.cpp's src/whisper.cpp and models/convert-pt-to-ggml.py):
//
//	magic 0x67676d6c ("ggml")
//	11 hparams: n_vocab, n_audio_ctx, n_audio_state, n_audio_head,
//	            n_audio_layer, n_text_ctx, n_text_state, n_text_head,
//	            n_text_layer, n_mels, ftype (+1000*quantisation version)
//	mel filters: n_mel, n_fft, then n_mel*n_fft float32
//	vocab: count, then count × (uint32 length, bytes)
//	tensors until EOF: n_dims, name length, type, n_dims × ne (innermost
//	first), name bytes, then the raw data with no padding
package ggmlfile

import (
	"errors"
	"fmt"
)

// Sentinel errors, for errors.Is. Every error returned by this package wraps
// exactly one of them and says what is wrong with the file.
var (
	// ErrNotModel: the file is not a whisper.cpp ggml model at all (wrong
	// magic, empty, a GGUF file, ...).
	ErrNotModel = errors.New("not a whisper.cpp ggml model file")
	// ErrCorrupt: the file claims to be a model but its header, vocabulary or
	// tensor records are inconsistent or out of range.
	ErrCorrupt = errors.New("corrupt whisper model file")
	// ErrTruncated: the file ends before everything its header promises; in
	// practice an interrupted download or copy.
	ErrTruncated = errors.New("truncated whisper model file")
	// ErrUnsupported: a well-formed model that whisper.cpp 1.9.1 cannot run
	// safely (f32 weights, k-quants, an old quantisation version, ...).
	ErrUnsupported = errors.New("unsupported whisper model file")
)

// Magic is the first four bytes of a legacy ggml file, read as a
// little-endian uint32 ("lmgg" on disk).
const Magic = 0x67676d6c

// QuantVersion is the quantisation format whisper.cpp 1.9.1 writes and reads
// (GGML_QNT_VERSION). Quantised files store ftype + 1000*QuantVersion.
const QuantVersion = 2

// Values whisper.cpp 1.9.1 hard-codes, so a file disagreeing with them
// cannot work (see the checks in ReadHeader for why each one matters).
const (
	VocabEnglish      = 51864 // n_vocab of the .en models
	VocabMultilingual = 51865 // n_vocab of tiny…large-v2
	VocabLargeV3      = 51866 // n_vocab of large-v3 and large-v3-turbo
	AudioCtx          = 1500  // encoder positions for a 30 s window
	TextCtx           = 448   // decoder positions
	MelFFTBins        = 201   // 1 + WHISPER_N_FFT/2
	SpaceTokenID      = 220   // id of " " in the GPT-2 vocabulary
)

// Limits that no real model comes near but that keep a hostile header from
// making whisper.cpp allocate gigabytes or loop for hours.
const (
	maxState     = 8192
	maxHeads     = 256
	maxLayers    = 128
	maxTokenLen  = 1024 // longest GPT-2/tiktoken token is well under 200 bytes
	maxNameLen   = 256  // longest whisper tensor name is ~45 bytes
	maxTensorDim = 4
)

// Header is what a model file says about itself, after validation.
type Header struct {
	NVocab, NAudioCtx, NAudioState, NAudioHead, NAudioLayer int32
	NTextCtx, NTextState, NTextHead, NTextLayer, NMels      int32
	// FType is the weight type with the quantisation version removed:
	// 1 f16, 2 q4_0, 3 q4_1, 7 q8_0, 8 q5_0, 9 q5_1 (ggml_ftype).
	FType int32
	// QuantVersion is the quantisation version stored with FType
	// (ftype / 1000); 0 for f16 files.
	QuantVersion int32

	MelFilters MelFilters

	// VocabWords is how many tokens the file's vocabulary lists; whisper.cpp
	// names the remaining NVocab-VocabWords special tokens itself.
	VocabWords int32

	// ModelType is whisper.cpp's name for the size, from the encoder layer
	// count as whisper_model_load does it: "tiny", "base", "small",
	// "medium", "large", or "unknown" for other geometries (test models).
	ModelType string
	// Multilingual models can detect the language and translate; .en
	// models only transcribe English.
	Multilingual bool

	// ExpectedSize is the exact file size in bytes for a file in the layout
	// whisper.cpp's converter writes: everything up to the tensors plus
	// every tensor record whisper_model_load needs.
	ExpectedSize int64

	// TensorOffset is where the first tensor record starts.
	TensorOffset int64
}

// MelFilters is the shape of the mel filterbank stored in the file.
type MelFilters struct {
	NMel, NFFT int32
}

// NumLanguages is how many language tokens the vocabulary holds, as
// whisper.cpp counts them: language ids 0..NumLanguages()-1 are usable.
func (h Header) NumLanguages() int {
	n := int(h.NVocab) - 51765
	if h.Multilingual {
		n--
	}
	return n
}

// WeightType is the tensor type of the large matrices, from FType.
func (h Header) WeightType() TensorType {
	t, _ := weightType(h.FType)
	return t
}

// String describes the model in one line, for logs and `models list`.
func (h Header) String() string {
	lang := "English-only"
	if h.Multilingual {
		lang = "multilingual"
	}
	return fmt.Sprintf("%s %s, %s weights, %d/%d layers, state %d, %d mels",
		h.ModelType, lang, h.WeightType(), h.NAudioLayer, h.NTextLayer, h.NAudioState, h.NMels)
}

// modelType mirrors whisper_model_load's e_model choice.
func modelType(audioLayers int32) string {
	switch audioLayers {
	case 4:
		return "tiny"
	case 6:
		return "base"
	case 12:
		return "small"
	case 24:
		return "medium"
	case 32:
		return "large"
	}
	return "unknown"
}
