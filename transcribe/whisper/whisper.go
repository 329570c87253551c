// Package whisper is Sidenote's speech recogniser: a safe engine over the
// official whisper.cpp Go bindings, and the only package that imports them.
//
// whisper.cpp is fast but unforgiving, and this package exists to absorb
// that. Model files are validated in pure Go (package ggmlfile) before
// whisper.cpp sees them, because a bad header kills the process and a cut
// file silently yields garbage. Empty input, which panics inside the
// bindings, is an error. Calls on one Model are serialised, because every
// whisper.cpp context of a model shares one decoding state. A context
// cancels a running transcription through whisper.cpp's abort callback,
// checked between compute-graph nodes. Progress is clamped to 0..100 and
// never goes backwards. whisper.cpp and ggml log through SetLogger's
// *slog.Logger (silent by default), never to stderr.
package whisper

/*
#cgo LDFLAGS: -lwhisper -lggml -lggml-base -lggml-cpu -lm -lstdc++
#cgo linux LDFLAGS: -fopenmp
#include <stdlib.h>
#include "shim.h"
*/
import "C"

import (
	"errors"
	"fmt"
	"sync"

	bindings "github.com/ggerganov/whisper.cpp/bindings/go"

	"github.com/sidenote-app/sidenote/transcribe/whisper/ggmlfile"
)

// Sentinel errors, for errors.Is.
var (
	// ErrEmptyAudio: Transcribe was given no samples.
	ErrEmptyAudio = errors.New("no audio to transcribe")
	// ErrInvalidAudio: the samples hold NaN or infinite values, which
	// whisper.cpp would turn into a spectrogram of NaNs.
	ErrInvalidAudio = errors.New("audio samples are not finite")
	// ErrClosed: the Model was used after Close.
	ErrClosed = errors.New("whisper model is closed")
	// ErrUnsupportedLanguage: the language code is unknown, or the model is
	// English-only and another language or translation was asked for.
	ErrUnsupportedLanguage = errors.New("language not supported by this model")
	// ErrInvalidOptions: an Options field is out of range.
	ErrInvalidOptions = errors.New("invalid transcription options")
	// ErrEngine: whisper.cpp itself reported a failure.
	ErrEngine = errors.New("whisper.cpp failed")
)

// LoadOptions configures Load. The zero value is what the official bindings
// support today: whisper.cpp's default context parameters (CPU, flash
// attention where the backend has it). It is a struct so GPU or
// alignment-head choices can be added without breaking callers.
type LoadOptions struct{}

// Model is a loaded whisper model. It is safe for concurrent use; calls are
// serialised because whisper.cpp keeps one decoding state per model. Close
// it to free the weights (tens of MB to GBs of C memory the Go GC cannot
// see).
type Model struct {
	mu     sync.Mutex // guards ctx and whisper.cpp's per-model state
	ctx    *bindings.Context
	path   string
	header ggmlfile.Header
	langs  []string // language codes, indexed by whisper.cpp language id
}

// Load validates the model file at path and loads it into whisper.cpp. An
// invalid file never reaches whisper.cpp: its error wraps one of ggmlfile's
// sentinels (ErrNotModel, ErrCorrupt, ErrTruncated, ErrUnsupported).
func Load(path string, opts LoadOptions) (*Model, error) {
	h, err := ggmlfile.Validate(path)
	if err != nil {
		return nil, fmt.Errorf("load whisper model: %w", err)
	}
	// The file could change between Validate and here; models live in
	// Sidenote's own directory and are replaced by atomic rename, so a
	// validated path keeps pointing at a complete file.
	ctx := bindings.Whisper_init(path)
	if ctx == nil {
		return nil, fmt.Errorf("load whisper model %s: whisper.cpp rejected it (out of memory, or a file this validator accepts but 1.9.1 cannot run; SetLogger shows whisper.cpp's reason): %w", path, ErrEngine)
	}
	m := &Model{ctx: ctx, path: path, header: h}
	n := h.NumLanguages()
	if !h.Multilingual {
		n = 1 // .en models: English only, whatever the vocabulary counts
	}
	for id := range n {
		m.langs = append(m.langs, bindings.Whisper_lang_str(id))
	}
	return m, nil
}

// Close frees the model. It waits for a running Transcribe to finish; later
// calls return ErrClosed. Closing twice is harmless.
func (m *Model) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.ctx != nil {
		m.ctx.Whisper_free()
		m.ctx = nil
	}
	return nil
}

// Header is the validated file header: geometry, weight type, size name.
func (m *Model) Header() ggmlfile.Header { return m.header }

// Path is the file the model was loaded from.
func (m *Model) Path() string { return m.path }

// IsMultilingual reports whether the model can detect the language,
// transcribe languages other than English and translate.
func (m *Model) IsMultilingual() bool { return m.header.Multilingual }

// Languages lists the ISO codes Options.Language accepts, in whisper.cpp's
// id order ("en" first). English-only models list just "en".
func (m *Model) Languages() []string { return append([]string(nil), m.langs...) }
