//go:build cgo

package audio

/*
#include <stdint.h>
#include <portaudio.h>
*/
import "C"

import (
	"runtime/cgo"
	"unsafe"
)

// sidenoteCaptureCallback runs on PortAudio's audio thread for every
// buffer of input. It only copies into the stream's ring: a cgo.Handle
// lookup (a lock-free map read), a type assertion and atomics; no
// allocation, no locks, no logging. (It lives apart from the C code it is
// called from because a file with //export may only declare C functions.)
//
//export sidenoteCaptureCallback
func sidenoteCaptureCallback(handle C.uintptr_t, input unsafe.Pointer, frames C.ulong, flags C.ulong) {
	s := cgo.Handle(handle).Value().(*sink)
	s.deliver(unsafe.Slice((*float32)(input), int(frames)*s.channels), flags&C.paInputOverflow != 0)
}
