//go:build cgo

package audio

/*
#include <stdint.h>
*/
import "C"

import (
	"runtime/cgo"
	"unsafe"
)

// sidenotePlaybackCallback runs on PortAudio's audio thread for every
// buffer of output: a handle lookup, a copy out of the ring and atomics;
// no allocation, no locks, no logging.
//
//export sidenotePlaybackCallback
func sidenotePlaybackCallback(handle C.uintptr_t, output unsafe.Pointer, frames C.ulong) {
	s := cgo.Handle(handle).Value().(*outSink)
	s.fill(unsafe.Slice((*float32)(output), int(frames)*s.channels))
}
