package whisper

/*
#include <stdlib.h>
#include "shim.h"
*/
import "C"

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"strings"
	"sync"
	"time"
	"unsafe"

	bindings "github.com/ggerganov/whisper.cpp/bindings/go"
)

// SampleRate is the rate Transcribe expects: 16 kHz mono float32 in -1..1.
const SampleRate = bindings.SampleRate

// Options tune one transcription. The zero value transcribes with language
// detection, greedy decoding at temperature 0, and min(4, CPUs) threads.
type Options struct {
	// Language is "" or "auto" to detect it, or an ISO 639-1 code from
	// Model.Languages ("en", "sv", ...). English-only models accept only
	// "", "auto" and "en".
	Language string
	// Translate turns the transcript into English (multilingual models).
	Translate bool
	// Threads for whisper.cpp; 0 means min(4, number of CPUs).
	Threads int
	// InitialPrompt primes the decoder with text, typically names and terms
	// it should spell right ("Kubernetes, Sidenote, Åsa").
	InitialPrompt string
	// NoSpeechThreshold is the no-speech probability above which a window
	// with low confidence is dropped as silence; 0 means whisper.cpp's 0.6.
	NoSpeechThreshold float32
	// MaxTokensPerSegment caps each segment; 0 means no cap.
	MaxTokensPerSegment int
	// TemperatureFallback retries a window at rising temperatures (0.2
	// steps) when the greedy result looks like a repetition loop or has low
	// confidence. Better on hard audio, up to several times slower; off by
	// default so that a transcription costs one decoding pass.
	TemperatureFallback bool
	// TokenTimestamps fills Segment.Tokens with per-token times.
	TokenTimestamps bool
	// VADModel, if set, is a ggml Silero model (silero.Validate it first)
	// with which whisper.cpp skips non-speech before decoding, for whole
	// files: silence costs the detector (a few ms per second) instead of
	// the decoder. Timestamps stay on the samples' time axis. Leave it
	// empty for audio a live segmenter already cut. The settings are the
	// live detector's: 0.5 threshold, 250 ms of speech, 100 ms of silence.
	VADModel string
	// Progress, if set, is called with 0..100, never decreasing, from the
	// transcribing goroutine's C thread; keep it short.
	Progress func(percent int)
}

// Segment is a stretch of recognised speech, timed from the start of the
// samples passed to Transcribe.
type Segment struct {
	Start, End time.Duration
	// Text is trimmed, with invalid UTF-8 (a multibyte character split
	// across segments) replaced by U+FFFD so it is safe to store and show.
	Text string
	// Confidence is the mean probability of the segment's text tokens,
	// 0..1: a rough figure for greying out doubtful text.
	Confidence float32
	// Tokens is set when Options.TokenTimestamps is.
	Tokens []Token
}

// Token is one decoded text token.
type Token struct {
	ID         int
	Text       string
	P          float32 // probability, 0..1
	Start, End time.Duration
}

// The bindings keep their callbacks in package-level maps without a lock,
// written on every Whisper_full call and read from whisper.cpp's thread, so
// two Whisper_full calls (even on different models) must not overlap.
// Sidenote runs one recogniser at a time, so this costs nothing in practice.
var fullMu sync.Mutex

// Transcribe recognises speech in samples (16 kHz mono float32). It blocks
// until done, ctx is cancelled (returning ctx.Err() within one compute-graph
// node), or whisper.cpp fails. Concurrent calls on one Model wait their
// turn. Audio shorter than 100 ms gives no segments and no error.
func (m *Model) Transcribe(ctx context.Context, samples []float32, opts Options) ([]Segment, error) {
	if len(samples) == 0 {
		return nil, ErrEmptyAudio
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for i, s := range samples {
		if math.IsNaN(float64(s)) || math.IsInf(float64(s), 0) {
			return nil, fmt.Errorf("sample %d is %v: %w", i, s, ErrInvalidAudio)
		}
	}
	if len(samples) > math.MaxInt32 {
		return nil, fmt.Errorf("%d samples exceed whisper.cpp's int32 length; transcribe in windows: %w", len(samples), ErrInvalidOptions)
	}
	langID, err := m.languageID(opts)
	if err != nil {
		return nil, err
	}
	threads := opts.Threads
	switch {
	case threads < 0:
		return nil, fmt.Errorf("threads %d: want 0 (automatic) or more: %w", threads, ErrInvalidOptions)
	case threads == 0:
		threads = min(4, runtime.NumCPU())
	}
	if opts.MaxTokensPerSegment < 0 {
		return nil, fmt.Errorf("MaxTokensPerSegment=%d, want 0 (no cap) or more: %w", opts.MaxTokensPerSegment, ErrInvalidOptions)
	}
	noSpeech := opts.NoSpeechThreshold
	if noSpeech == 0 {
		noSpeech = 0.6
	}
	if !(noSpeech > 0 && noSpeech <= 1) {
		return nil, fmt.Errorf("NoSpeechThreshold=%v, want 0 (default) or a probability in (0, 1]: %w", opts.NoSpeechThreshold, ErrInvalidOptions)
	}

	m.mu.Lock()
	defer m.mu.Unlock()
	if m.ctx == nil {
		return nil, ErrClosed
	}

	p := m.ctx.Whisper_full_default_params(bindings.SAMPLING_GREEDY)
	p.SetThreads(threads)
	p.SetTranslate(opts.Translate)
	p.SetPrintProgress(false)
	p.SetPrintRealtime(false)
	p.SetPrintTimestamps(false)
	p.SetPrintSpecial(false)
	p.SetTokenTimestamps(opts.TokenTimestamps)
	p.SetMaxTokensPerSegment(opts.MaxTokensPerSegment)
	if !opts.TemperatureFallback {
		p.SetTemperatureFallback(-1)
	}
	if err := p.SetLanguage(langID); err != nil {
		return nil, fmt.Errorf("language %q: %w", opts.Language, ErrUnsupportedLanguage)
	}
	// Fields the bindings have no setter for are set on the same C struct.
	cp := (*C.struct_whisper_full_params)(unsafe.Pointer(&p))
	cp.no_speech_thold = C.float(noSpeech)
	if opts.InitialPrompt != "" {
		p.SetInitialPrompt(opts.InitialPrompt)
		// SetInitialPrompt hands over a C.CString nobody frees.
		defer C.free(unsafe.Pointer(cp.initial_prompt))
	}
	if opts.VADModel != "" {
		p.SetVAD(true)
		p.SetVADModelPath(opts.VADModel)
		p.SetVADThreshold(0.5)
		p.SetVADMinSpeechMs(250)
		p.SetVADMinSilenceMs(100)
		p.SetVADSpeechPadMs(100) // whole words, like the live pre- and post-roll
		// SetVADModelPath, too, hands over a C.CString nobody frees.
		defer C.free(unsafe.Pointer(cp.vad_model_path))
	}

	// Cancellation: a flag in C memory that ggml's compute thread polls
	// between graph nodes. It is freed only once the watcher is done with it.
	flag := C.sidenote_flag_new()
	if flag == nil {
		return nil, fmt.Errorf("allocate abort flag: %w", ErrEngine)
	}
	C.sidenote_params_set_abort(cp, flag)
	fired := make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		C.sidenote_flag_set(flag, 1)
		close(fired)
	})
	defer func() {
		if !stop() {
			<-fired
		}
		C.sidenote_flag_free(flag)
	}()

	last := -1
	progress := func(pct int) {
		pct = max(0, min(100, pct))
		if pct > last && opts.Progress != nil {
			last = pct
			opts.Progress(pct)
		}
	}
	// No encoder-begin callback: the abort flag already stops whisper.cpp
	// before and inside the encoder and decoder, and one mechanism is
	// easier to trust (the cancellation tests exercise exactly this one).
	fullMu.Lock()
	err = m.ctx.Whisper_full(p, samples, nil, nil, progress)
	fullMu.Unlock()
	if cerr := ctx.Err(); cerr != nil {
		return nil, cerr
	}
	if err != nil {
		return nil, fmt.Errorf("transcribe %.1f s of audio: %w", float64(len(samples))/SampleRate, ErrEngine)
	}
	progress(100)
	return m.segments(len(samples), opts.TokenTimestamps), nil
}

// languageID maps Options.Language to whisper.cpp's language id, -1 for
// detection.
func (m *Model) languageID(opts Options) (int, error) {
	code := strings.ToLower(strings.TrimSpace(opts.Language))
	if !m.header.Multilingual {
		if opts.Translate {
			return 0, fmt.Errorf("translation needs a multilingual model, %s is English-only: %w", m.path, ErrUnsupportedLanguage)
		}
		if code == "" || code == "auto" || code == "en" {
			return 0, nil // "en": detection would only ever answer English
		}
		return 0, fmt.Errorf("language %q: %s is English-only; pick a multilingual model or language \"en\": %w", opts.Language, m.path, ErrUnsupportedLanguage)
	}
	if code == "" || code == "auto" {
		return -1, nil
	}
	for id, c := range m.langs {
		if c == code {
			return id, nil
		}
	}
	return 0, fmt.Errorf("language %q is not an ISO code this model knows (see Model.Languages), or use \"auto\": %w", opts.Language, ErrUnsupportedLanguage)
}

// segments copies the results out of whisper.cpp's state; m.mu is held.
func (m *Model) segments(nSamples int, withTokens bool) []Segment {
	ctx := m.ctx
	audioEnd := time.Duration(nSamples) * time.Second / SampleRate
	eot := ctx.Whisper_token_eot()
	n := ctx.Whisper_full_n_segments()
	out := make([]Segment, 0, n)
	for i := range n {
		s := Segment{
			Start: clampTime(ctx.Whisper_full_get_segment_t0(i), audioEnd),
			End:   clampTime(ctx.Whisper_full_get_segment_t1(i), audioEnd),
			Text:  strings.TrimSpace(strings.ToValidUTF8(ctx.Whisper_full_get_segment_text(i), "\uFFFD")),
		}
		s.End = max(s.End, s.Start)
		var sum float64
		var count int
		for j := range ctx.Whisper_full_n_tokens(i) {
			id := ctx.Whisper_full_get_token_id(i, j)
			if id >= eot {
				continue // special tokens: sot, language, task, timestamps
			}
			p := ctx.Whisper_full_get_token_p(i, j)
			sum += float64(p)
			count++
			if withTokens {
				d := ctx.Whisper_full_get_token_data(i, j)
				s.Tokens = append(s.Tokens, Token{
					ID:    int(id),
					Text:  ctx.Whisper_full_get_token_text(i, j),
					P:     p,
					Start: clampTime(d.T0(), audioEnd),
					End:   clampTime(d.T1(), audioEnd),
				})
			}
		}
		if count > 0 {
			s.Confidence = float32(sum / float64(count))
		}
		out = append(out, s)
	}
	return out
}

// clampTime converts whisper.cpp's 10 ms ticks and keeps the result inside
// the audio: whisper.cpp can place a final timestamp past the last sample.
func clampTime(ticks int64, end time.Duration) time.Duration {
	return max(0, min(end, time.Duration(ticks)*10*time.Millisecond))
}
