package whisper

/*
#include <stdlib.h>
#include <whisper.h>

// One context per input: a single thread (a 512-sample window costs tens
// of microseconds; more threads only add wake-ups) and no GPU.
static struct whisper_vad_context *sidenote_vad_init(const char *path) {
	struct whisper_vad_context_params p = whisper_vad_default_context_params();
	p.n_threads = 1;
	p.use_gpu = false;
	return whisper_vad_init_from_file_with_params(path, p);
}
*/
import "C"

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
	"unsafe"

	"github.com/sidenote-app/sidenote/transcribe/whisper/silero"
)

// SileroWindow is how many 16 kHz samples each speech probability covers.
const SileroWindow = 512

// ErrSileroModel: the Silero VAD model file is missing, damaged or not the
// one Sidenote builds; the caller falls back to the energy detector.
var ErrSileroModel = errors.New("silero VAD model unusable")

// Silero is one streaming state of whisper.cpp's Silero voice activity
// detector: its LSTM remembers the windows it has seen, so each input
// needs its own. It satisfies vad.Classifier. Not for concurrent use by
// several streams; Close may be called from any goroutine.
type Silero struct {
	mu      sync.Mutex
	ctx     *C.struct_whisper_vad_context
	cleanup runtime.Cleanup
}

// OpenSilero validates the ggml Silero model at path (package silero's
// layout) and loads it into a new whisper.cpp VAD context. A file that
// fails validation never reaches whisper.cpp; the error wraps
// ErrSileroModel.
func OpenSilero(path string) (*Silero, error) {
	if err := silero.Validate(path); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrSileroModel, err)
	}
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	ctx := C.sidenote_vad_init(cpath)
	if ctx == nil {
		return nil, fmt.Errorf("%w: whisper.cpp could not load %s (SetLogger shows why)", ErrSileroModel, path)
	}
	// whisper.cpp does not clear the LSTM state it allocates: without this
	// the first windows depend on whatever that memory held.
	C.whisper_vad_reset_state(ctx)
	s := &Silero{ctx: ctx}
	// A forgotten Close must not leak the context's C memory for good.
	s.cleanup = runtime.AddCleanup(s, func(c *C.struct_whisper_vad_context) { C.whisper_vad_free(c) }, ctx)
	return s, nil
}

// WindowLen is SileroWindow.
func (s *Silero) WindowLen() int { return SileroWindow }

// Classify writes the speech probability of each SileroWindow samples of
// windows to probs, continuing from the state the previous call left;
// len(windows) must be len(probs)*SileroWindow. Samples must be finite
// (vad sanitises what it passes).
func (s *Silero) Classify(windows []float32, probs []float32) error {
	if len(windows) != len(probs)*SileroWindow {
		return fmt.Errorf("silero: %d samples for %d windows of %d", len(windows), len(probs), SileroWindow)
	}
	if len(probs) == 0 {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ctx == nil {
		return ErrClosed
	}
	if !C.whisper_vad_detect_speech_no_reset(s.ctx, (*C.float)(unsafe.Pointer(&windows[0])), C.int(len(windows))) {
		return fmt.Errorf("silero: whisper.cpp could not run the detector: %w", ErrEngine)
	}
	n := int(C.whisper_vad_n_probs(s.ctx))
	if n != len(probs) {
		return fmt.Errorf("silero: whisper.cpp gave %d probabilities for %d windows: %w", n, len(probs), ErrEngine)
	}
	copy(probs, unsafe.Slice((*float32)(unsafe.Pointer(C.whisper_vad_probs(s.ctx))), n))
	return nil
}

// Reset forgets the stream: the next window starts from a fresh state.
func (s *Silero) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ctx != nil {
		C.whisper_vad_reset_state(s.ctx)
	}
}

// Close frees the context; later Classify calls return ErrClosed.
func (s *Silero) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ctx != nil {
		s.cleanup.Stop()
		C.whisper_vad_free(s.ctx)
		s.ctx = nil
	}
	return nil
}
