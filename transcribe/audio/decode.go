package audio

import (
	"encoding/binary"
	"math"
)

// decoder turns whole frames of raw little-endian samples into mono by
// averaging the channels. One loop per sample format, so the per-sample
// work is inline arithmetic rather than an indirect call.
type decoder func(dst []float32, src []byte, channels int)

func decoderFor(f Format) decoder {
	switch {
	case f.Float && f.BitDepth == 64:
		return decodeF64
	case f.Float:
		return decodeF32
	case f.BitDepth == 8:
		return decodeU8
	case f.BitDepth == 16:
		return decodeS16
	case f.BitDepth == 24:
		return decodeS24
	default:
		return decodeS32
	}
}

// Integer scales map the most negative code to exactly -1, the convention
// of most converters (and of go-audio's IntBuffer.AsFloatBuffer): the
// positive peak then falls a hair below +1.

func decodeU8(dst []float32, src []byte, ch int) {
	scale := 1 / (128 * float32(ch))
	for i := range dst {
		var s int32
		for _, b := range src[i*ch : (i+1)*ch] {
			s += int32(b) - 128
		}
		dst[i] = float32(s) * scale
	}
}

func decodeS16(dst []float32, src []byte, ch int) {
	scale := 1 / (32768 * float32(ch))
	if ch == 1 {
		for i := range dst {
			dst[i] = float32(int16(binary.LittleEndian.Uint16(src[2*i:]))) * scale
		}
		return
	}
	for i := range dst {
		var s int32
		frame := src[i*2*ch : (i+1)*2*ch]
		for j := 0; j < len(frame); j += 2 {
			s += int32(int16(binary.LittleEndian.Uint16(frame[j:])))
		}
		dst[i] = float32(s) * scale
	}
}

func decodeS24(dst []float32, src []byte, ch int) {
	scale := 1 / (8388608 * float64(ch))
	for i := range dst {
		var s int64
		frame := src[i*3*ch : (i+1)*3*ch]
		for j := 0; j < len(frame); j += 3 {
			// Place the 3 bytes at the top of an int32 and shift back down
			// to sign-extend.
			v := int32(uint32(frame[j])<<8|uint32(frame[j+1])<<16|uint32(frame[j+2])<<24) >> 8
			s += int64(v)
		}
		dst[i] = float32(float64(s) * scale)
	}
}

func decodeS32(dst []float32, src []byte, ch int) {
	// float64 keeps all 32 bits until the final rounding.
	scale := 1 / (2147483648 * float64(ch))
	for i := range dst {
		var s int64
		frame := src[i*4*ch : (i+1)*4*ch]
		for j := 0; j < len(frame); j += 4 {
			s += int64(int32(binary.LittleEndian.Uint32(frame[j:])))
		}
		dst[i] = float32(float64(s) * scale)
	}
}

func decodeF32(dst []float32, src []byte, ch int) {
	if ch == 1 {
		for i := range dst {
			dst[i] = math.Float32frombits(binary.LittleEndian.Uint32(src[4*i:]))
		}
		return
	}
	scale := 1 / float32(ch)
	for i := range dst {
		var s float32
		frame := src[i*4*ch : (i+1)*4*ch]
		for j := 0; j < len(frame); j += 4 {
			s += math.Float32frombits(binary.LittleEndian.Uint32(frame[j:]))
		}
		dst[i] = s * scale
	}
}

func decodeF64(dst []float32, src []byte, ch int) {
	scale := 1 / float64(ch)
	for i := range dst {
		var s float64
		frame := src[i*8*ch : (i+1)*8*ch]
		for j := 0; j < len(frame); j += 8 {
			s += math.Float64frombits(binary.LittleEndian.Uint64(frame[j:]))
		}
		dst[i] = float32(s * scale)
	}
}
