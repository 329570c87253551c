package whisper

/*
#include "shim.h"
*/
import "C"

import (
	"bytes"
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
)

// whisper.cpp's log hook is process-wide, so the logger is too.
var logger atomic.Pointer[slog.Logger]

func init() {
	// Installed before any other call into whisper.cpp so that not even
	// the first model load writes to stderr.
	C.sidenote_log_install()
}

// SetLogger sends whisper.cpp's and ggml's log lines to l; nil (the
// default) discards them. Their INFO chatter (model geometry, buffer
// sizes, timings) is logged at slog.LevelDebug; warnings and errors keep
// their level. Each record has the attribute source=whisper.cpp.
func SetLogger(l *slog.Logger) {
	logger.Store(l)
	on := C.int(0)
	if l != nil {
		on = 1
	}
	C.sidenote_log_enable(on)
}

// ggml log levels (enum ggml_log_level).
const (
	ggmlWarn  = 3
	ggmlError = 4
	ggmlCont  = 5 // continues the previous message
)

// whisper.cpp emits lines in pieces (GGML_LOG_LEVEL_CONT) and from several
// threads; pieces are joined into whole lines before they reach slog.
var pending struct {
	sync.Mutex
	buf   []byte
	level slog.Level
}

//export sidenoteLog
func sidenoteLog(level C.int, text *C.char) {
	l := logger.Load()
	if l == nil {
		return
	}
	s := C.GoString(text)
	pending.Lock()
	defer pending.Unlock()
	if level != ggmlCont {
		flushLog(l)
		pending.level = slogLevel(int(level))
	}
	pending.buf = append(pending.buf, s...)
	for {
		i := bytes.IndexByte(pending.buf, '\n')
		if i < 0 {
			return
		}
		emit(l, pending.level, pending.buf[:i])
		pending.buf = pending.buf[i+1:]
	}
}

func flushLog(l *slog.Logger) {
	if len(pending.buf) > 0 {
		emit(l, pending.level, pending.buf)
		pending.buf = pending.buf[:0]
	}
}

func emit(l *slog.Logger, level slog.Level, line []byte) {
	line = bytes.TrimSpace(line)
	if len(line) == 0 {
		return
	}
	l.Log(context.Background(), level, string(line), "source", "whisper.cpp")
}

func slogLevel(ggml int) slog.Level {
	switch ggml {
	case ggmlWarn:
		return slog.LevelWarn
	case ggmlError:
		return slog.LevelError
	default: // debug, info, none
		return slog.LevelDebug
	}
}
