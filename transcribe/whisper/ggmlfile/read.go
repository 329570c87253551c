package ggmlfile

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
)

// ReadHeader reads and checks everything before the tensors: magic,
// hyperparameters, mel filterbank and vocabulary. It reads about 1 MB for a
// real model (the vocabulary) and never the tensor data. Header.ExpectedSize
// says how long the whole file must be; only Validate can check that.
func ReadHeader(r io.Reader) (Header, error) {
	cr := &countingReader{r: bufio.NewReaderSize(r, 64<<10)}
	return readHeader(cr)
}

// Validate checks the model file at path the way whisper_model_load reads
// it, and more strictly: header, vocabulary, then every tensor record (name,
// shape, type) against what the loader expects, seeking over the data so a
// multi-gigabyte file is checked in milliseconds. A nil error means
// whisper.cpp 1.9.1 will load every tensor from real data.
func Validate(path string) (Header, error) {
	f, err := os.Open(path)
	if err != nil {
		return Header{}, fmt.Errorf("open whisper model: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return Header{}, fmt.Errorf("open whisper model: %w", err)
	}
	if !st.Mode().IsRegular() {
		return Header{}, fmt.Errorf("%s is not a regular file: %w", path, ErrNotModel)
	}
	h, err := readHeader(&countingReader{r: bufio.NewReaderSize(f, 64<<10)})
	if err != nil {
		return h, fmt.Errorf("%s: %w", path, err)
	}
	if err := checkTensors(f, st.Size(), h); err != nil {
		return h, fmt.Errorf("%s: %w", path, err)
	}
	return h, nil
}

// countingReader tracks the offset so errors can say where the file broke.
type countingReader struct {
	r   *bufio.Reader
	off int64
	buf [4]byte
}

func (c *countingReader) int32() (int32, error) {
	n, err := io.ReadFull(c.r, c.buf[:])
	c.off += int64(n)
	return int32(binary.LittleEndian.Uint32(c.buf[:])), err
}

func (c *countingReader) skip(n int64) error {
	m, err := c.r.Discard(int(n))
	c.off += int64(m)
	return err
}

// short turns a read error in the header into the right sentinel: running out
// of bytes means a cut file, anything else is an I/O problem worth passing on.
func short(err error, what string, off int64) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("file ends at byte %d inside the %s; the download or copy was cut short, fetch the model again: %w", off, what, ErrTruncated)
	}
	return fmt.Errorf("read %s at byte %d: %w", what, off, err)
}

func corrupt(format string, args ...any) error {
	return fmt.Errorf(format+"; the file is damaged or not a whisper model, download it again: %w", append(args, ErrCorrupt)...)
}

func readHeader(r *countingReader) (Header, error) {
	var h Header
	magic, err := r.int32()
	if err != nil {
		if r.off == 0 {
			return h, fmt.Errorf("file is empty: %w", ErrNotModel)
		}
		return h, fmt.Errorf("file is only %d bytes long: %w", r.off, ErrNotModel)
	}
	switch string(r.buf[:]) {
	case "lmgg":
	case "GGUF":
		return h, fmt.Errorf("file is GGUF, but whisper.cpp 1.9.1 loads the legacy ggml-*.bin layout; download the ggml .bin model instead: %w", ErrNotModel)
	case "ggml":
		return h, fmt.Errorf("file is a big-endian ggml model; use the standard little-endian ggml-*.bin: %w", ErrUnsupported)
	default:
		return h, fmt.Errorf("magic %#08x is not ggml's %#08x; choose a whisper.cpp ggml-*.bin model: %w", uint32(magic), uint32(Magic), ErrNotModel)
	}

	for _, p := range []*int32{&h.NVocab, &h.NAudioCtx, &h.NAudioState, &h.NAudioHead, &h.NAudioLayer,
		&h.NTextCtx, &h.NTextState, &h.NTextHead, &h.NTextLayer, &h.NMels, &h.FType} {
		if *p, err = r.int32(); err != nil {
			return h, short(err, "header", r.off)
		}
	}
	if err := checkHparams(&h); err != nil {
		return h, err
	}

	if h.MelFilters.NMel, err = r.int32(); err != nil {
		return h, short(err, "mel filter header", r.off)
	}
	if h.MelFilters.NFFT, err = r.int32(); err != nil {
		return h, short(err, "mel filter header", r.off)
	}
	// whisper.cpp sizes the filter table as n_mel*n_fft (an int32 product)
	// and indexes it assuming a 400-point FFT, so anything else overflows
	// or reads out of bounds.
	if h.MelFilters.NMel != h.NMels {
		return h, corrupt("mel filterbank has %d bands but the header says n_mels=%d", h.MelFilters.NMel, h.NMels)
	}
	if h.MelFilters.NFFT != MelFFTBins {
		return h, corrupt("mel filterbank has n_fft=%d bins, whisper.cpp needs %d", h.MelFilters.NFFT, MelFFTBins)
	}
	if err := r.skip(4 * int64(h.MelFilters.NMel) * int64(h.MelFilters.NFFT)); err != nil {
		return h, short(err, "mel filterbank", r.off)
	}

	if err := readVocab(r, &h); err != nil {
		return h, err
	}
	h.TensorOffset = r.off
	h.ExpectedSize = h.TensorOffset
	for _, t := range h.Tensors() {
		h.ExpectedSize += t.RecordBytes()
	}
	return h, nil
}

// checkHparams rejects every header value whisper.cpp cannot survive, and
// the ones it survives only to produce garbage.
func checkHparams(h *Header) error {
	// ftype first: an unknown one is a GGML_ASSERT abort in
	// ggml_ftype_to_ggml_type, and f32 aborts later in 1.9.1.
	h.QuantVersion = h.FType / 1000
	h.FType %= 1000
	if h.FType < 0 || h.QuantVersion < 0 {
		return corrupt("ftype %d is negative", h.FType+1000*h.QuantVersion)
	}
	if _, ok := weightType(h.FType); !ok {
		switch h.FType {
		case 0:
			return fmt.Errorf("weights are f32 (ftype 0), which whisper.cpp 1.9.1 aborts on; use the f16 or a q5_0/q5_1/q8_0 ggml model: %w", ErrUnsupported)
		default:
			return fmt.Errorf("weights are %s, which this build does not run; use an f16, q4_0, q4_1, q5_0, q5_1 or q8_0 ggml model: %w", FTypeName(h.FType), ErrUnsupported)
		}
	}
	if h.FType != 1 && h.QuantVersion != QuantVersion {
		return fmt.Errorf("quantisation version %d is not whisper.cpp 1.9.1's %d, so the weights would be misread; re-quantise from the f16 model: %w", h.QuantVersion, QuantVersion, ErrUnsupported)
	}

	// whisper.cpp hard-codes the special token ids (eot 50256, sot 50257,
	// ..., timestamps from 50363/50364) and derives the language count from
	// n_vocab; any other size indexes logits out of bounds.
	switch h.NVocab {
	case VocabEnglish, VocabMultilingual, VocabLargeV3:
	default:
		return corrupt("n_vocab=%d; whisper models have %d (English-only), %d or %d (multilingual)", h.NVocab, VocabEnglish, VocabMultilingual, VocabLargeV3)
	}
	// The decoding loop assumes 30 s windows: 3000 mel frames become 1500
	// encoder positions; text context is fixed by the tokenizer.
	if h.NAudioCtx != AudioCtx {
		return corrupt("n_audio_ctx=%d, whisper.cpp's 30 s window needs %d", h.NAudioCtx, AudioCtx)
	}
	if h.NTextCtx != TextCtx {
		return corrupt("n_text_ctx=%d, whisper models use %d", h.NTextCtx, TextCtx)
	}
	// Encoder output feeds cross-attention directly, so the widths must
	// match (whisper.cpp only asserts this in debug builds).
	if h.NAudioState != h.NTextState {
		return corrupt("n_audio_state=%d differs from n_text_state=%d", h.NAudioState, h.NTextState)
	}
	for _, part := range []struct {
		name                 string
		state, heads, layers int32
	}{
		{"audio", h.NAudioState, h.NAudioHead, h.NAudioLayer},
		{"text", h.NTextState, h.NTextHead, h.NTextLayer},
	} {
		if part.state < 1 || part.state > maxState {
			return corrupt("n_%s_state=%d is outside 1..%d", part.name, part.state, maxState)
		}
		// Zero heads is a division by zero (SIGFPE) inside whisper.cpp.
		if part.heads < 1 || part.heads > maxHeads {
			return corrupt("n_%s_head=%d is outside 1..%d", part.name, part.heads, maxHeads)
		}
		if part.state%part.heads != 0 {
			return corrupt("n_%s_state=%d is not divisible by n_%s_head=%d", part.name, part.state, part.name, part.heads)
		}
		if part.layers < 1 || part.layers > maxLayers {
			return corrupt("n_%s_layer=%d is outside 1..%d", part.name, part.layers, maxLayers)
		}
	}
	// Quantised rows are stored in whole blocks.
	if bs := int32(h.WeightType().BlockSize()); h.NAudioState%bs != 0 {
		return corrupt("n_audio_state=%d is not a multiple of the %s block size %d", h.NAudioState, h.WeightType(), bs)
	}
	// 80 bands for every model before large-v3, 128 since.
	if h.NMels != 80 && h.NMels != 128 {
		return corrupt("n_mels=%d, whisper models use 80 or 128", h.NMels)
	}
	h.ModelType = modelType(h.NAudioLayer)
	h.Multilingual = h.NVocab >= VocabMultilingual
	return nil
}

// readVocab walks the token list. whisper.cpp allocates each token's length
// before reading it and stores ids up to the count, so both are bounded; and
// whisper_full looks up the " " token with map::at, which throws (and
// terminates the process) when it is missing.
func readVocab(r *countingReader, h *Header) error {
	n, err := r.int32()
	if err != nil {
		return short(err, "vocabulary", r.off)
	}
	if n < 0 || n > h.NVocab {
		return corrupt("vocabulary lists %d tokens, expected 0..n_vocab=%d", n, h.NVocab)
	}
	h.VocabWords = n
	space := int32(-1)
	var word [maxTokenLen]byte
	for i := range n {
		l, err := r.int32()
		if err != nil {
			return short(err, fmt.Sprintf("vocabulary (token %d of %d)", i, n), r.off)
		}
		if l < 0 || l > maxTokenLen {
			return corrupt("token %d has length %d at byte %d, expected 0..%d", i, uint32(l), r.off-4, maxTokenLen)
		}
		m, err := io.ReadFull(r.r, word[:l])
		r.off += int64(m)
		if err != nil {
			return short(err, fmt.Sprintf("vocabulary (token %d of %d)", i, n), r.off)
		}
		if l == 1 && word[0] == ' ' {
			space = i
		}
	}
	if space < 0 {
		return corrupt("vocabulary has no \" \" token (GPT-2 id %d), which whisper.cpp needs to decode", SpaceTokenID)
	}
	return nil
}

// checkTensors walks the tensor records from h.TensorOffset to the end of
// the file, reading only the record headers. Each expected tensor must
// appear exactly once with the loader's shape and type, its data must fit in
// the file, and nothing may follow the last one.
func checkTensors(f io.ReaderAt, size int64, h Header) error {
	want := h.Tensors()
	byName := make(map[string]*Tensor, len(want))
	for i := range want {
		byName[want[i].Name] = &want[i]
	}
	seen := make(map[string]bool, len(want))
	truncated := func(off int64, what string) error {
		return fmt.Errorf("file is %d bytes but %s at byte %d runs past its end (a complete file is %d bytes, %d of %d tensors present); the download or copy was cut short, fetch the model again: %w",
			size, what, off, h.ExpectedSize, len(seen), len(want), ErrTruncated)
	}

	off := h.TensorOffset
	var hdr [12 + 4*maxTensorDim + maxNameLen]byte
	for off < size {
		if len(seen) == len(want) {
			return corrupt("%d unexpected bytes after the last tensor at byte %d", size-off, off)
		}
		if size-off < 12 {
			return truncated(off, "the next tensor record")
		}
		if _, err := f.ReadAt(hdr[:12], off); err != nil {
			return fmt.Errorf("read tensor record at byte %d: %w", off, err)
		}
		nDims := int32(binary.LittleEndian.Uint32(hdr[0:]))
		nameLen := int32(binary.LittleEndian.Uint32(hdr[4:]))
		typ := TensorType(binary.LittleEndian.Uint32(hdr[8:]))
		// The loader reads n_dims values into int32 ne[4] on the stack:
		// more is a buffer overflow, not just a bad file.
		if nDims < 1 || nDims > maxTensorDim {
			return corrupt("tensor record at byte %d has %d dimensions, expected 1..%d", off, nDims, maxTensorDim)
		}
		if nameLen < 1 || nameLen > maxNameLen {
			return corrupt("tensor record at byte %d has a %d-byte name, expected 1..%d", off, nameLen, maxNameLen)
		}
		rest := int64(4*nDims + nameLen)
		if size-off-12 < rest {
			return truncated(off, "the tensor record header")
		}
		if _, err := f.ReadAt(hdr[12:12+rest], off+12); err != nil {
			return fmt.Errorf("read tensor record at byte %d: %w", off, err)
		}
		dims := make([]int32, nDims)
		for i := range dims {
			dims[i] = int32(binary.LittleEndian.Uint32(hdr[12+4*i:]))
		}
		name := string(hdr[12+4*nDims : 12+rest])

		t, ok := byName[name]
		if !ok {
			return corrupt("unknown tensor %q at byte %d (not part of a %d-layer encoder / %d-layer decoder)", name, off, h.NAudioLayer, h.NTextLayer)
		}
		if seen[name] {
			// The loader counts records, not names, so a repeated tensor
			// would hide a missing one and leave it uninitialised.
			return corrupt("tensor %q appears twice (second at byte %d)", name, off)
		}
		if !sameShape(dims, t.Dims) {
			return corrupt("tensor %q has shape %v, whisper.cpp expects %v", name, dims, t.Dims)
		}
		if typ != t.Type {
			return corrupt("tensor %q is stored as %s, whisper.cpp expects %s for a %s model", name, typ, t.Type, FTypeName(h.FType))
		}
		end := off + 12 + rest + t.DataBytes()
		if end > size {
			return truncated(off, fmt.Sprintf("tensor %q (%d bytes of data)", name, t.DataBytes()))
		}
		seen[name] = true
		off = end
	}
	if len(seen) < len(want) {
		for _, t := range want {
			if !seen[t.Name] {
				if len(seen) == 0 {
					return truncated(off, "the first tensor record")
				}
				return truncated(off, fmt.Sprintf("tensor %q", t.Name))
			}
		}
	}
	return nil
}

// sameShape compares ne the way the loader does: trailing 1s do not count,
// so a bias written as [n, 1] matches [n].
func sameShape(got, want []int32) bool {
	for i := range maxTensorDim {
		g, w := int32(1), int32(1)
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if g != w {
			return false
		}
	}
	return true
}
