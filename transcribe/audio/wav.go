package audio

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// OutputRate is the rate WAVReader delivers: whisper models are trained on
// 16 kHz mono.
const OutputRate = 16000

// Errors returned by OpenWAV and ReadWAV16k, wrapped with the file name and
// the details; test for them with errors.Is.
var (
	// ErrNotWAV: the file is not a RIFF/WAVE file at all (MP3, text, ...).
	ErrNotWAV = errors.New("not a WAV file")
	// ErrUnsupportedFormat: a WAV file in an encoding this package does not
	// decode (ADPCM, A-law, 12-bit, ...).
	ErrUnsupportedFormat = errors.New("unsupported WAV format")
	// ErrTruncated: the file ends before its header does (an error), or
	// before its data chunk does (only a warning: see WAVReader.Warning).
	ErrTruncated = errors.New("WAV file is truncated")
	// ErrEmpty: the file holds no audio at all.
	ErrEmpty = errors.New("WAV file holds no audio")
)

// Format describes the audio in a WAV file as stored, before conversion.
type Format struct {
	SampleRate int
	Channels   int
	BitDepth   int  // bits per stored sample: 8, 16, 24, 32 or 64
	Float      bool // IEEE float rather than integer PCM
	Extensible bool // the header is WAVE_FORMAT_EXTENSIBLE
	// Frames counts the frames (one sample per channel) actually in the
	// file, which is fewer than the header claims when Truncated.
	Frames   int64
	Duration time.Duration
	// Truncated reports that the data chunk is shorter than its header
	// says, as when a recorder is killed mid-write; the audio that is there
	// is read, and WAVReader.Warning explains.
	Truncated bool
}

// String gives the format as a user would describe it, for logs and
// messages: "44100 Hz, 2 ch, 16-bit PCM, 1m3.5s".
func (f Format) String() string {
	kind := "PCM"
	if f.Float {
		kind = "float"
	}
	return fmt.Sprintf("%d Hz, %d ch, %d-bit %s, %s", f.SampleRate, f.Channels, f.BitDepth, kind, f.Duration.Round(time.Millisecond))
}

// WAVReader streams a WAV file as 16 kHz mono float32. It holds one block of
// the file at a time, whatever the file's length.
//
// Read fills dst completely unless the audio ends first; it returns io.EOF
// only with n == 0, after the last sample. The samples are continuous across
// calls: Offset (samples returned so far) is the time of the next one.
// A WAVReader is not safe for concurrent use.
type WAVReader struct {
	name   string // for messages: the base name of the file
	f      *os.File
	r      *bufio.Reader
	format Format
	warn   error

	dataStart int64 // file offset of the first sample byte
	dataBytes int64 // bytes of whole frames in the data chunk
	left      int64 // data bytes still to read
	raw       []byte
	mono      []float32
	decode    decoder

	rs      *Resampler
	out     []float32 // resampled output not yet returned
	pending []float32 // the unread part of out
	done    bool      // no more input; resampler flushed
	offset  int64
	total   int64
}

// blockFrames is how many frames one read from the file decodes: large
// enough that syscalls and the resampler's per-call work are noise, small
// enough (at most 512 KiB for 64 channels of float64) to keep memory flat.
const blockFrames = 8192

// OpenWAV opens path and validates its header. The error names the file and
// the problem and wraps ErrNotWAV, ErrUnsupportedFormat, ErrTruncated or
// ErrEmpty where one applies.
func OpenWAV(path string) (*WAVReader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err // *PathError already names the file
	}
	r, err := newWAVReader(f, filepath.Base(path))
	if err != nil {
		f.Close()
		return nil, err
	}
	return r, nil
}

func newWAVReader(f *os.File, name string) (*WAVReader, error) {
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		return nil, fmt.Errorf("%s: %w: it is a directory", name, ErrNotWAV)
	}
	br := bufio.NewReaderSize(f, 64<<10)
	h, err := parseHeader(br, st.Size())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	r := &WAVReader{name: name, f: f, r: br, format: h.format, dataStart: h.dataStart, dataBytes: h.dataBytes, left: h.dataBytes}
	if h.warning != "" {
		r.warn = fmt.Errorf("%s: %w: %s", name, ErrTruncated, h.warning)
	}
	r.decode = decoderFor(h.format)
	r.rs, err = NewResampler(h.format.SampleRate, OutputRate)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	r.total = r.rs.OutputLen(h.format.Frames)
	r.raw = make([]byte, blockFrames*h.frameBytes)
	r.mono = make([]float32, blockFrames)
	return r, nil
}

// Format describes the file as stored.
func (r *WAVReader) Format() Format { return r.format }

// Warning is non-nil when the file was readable but damaged: it wraps
// ErrTruncated and says how much audio the header promised and how much was
// there. Show it to the user; the audio read is still good.
func (r *WAVReader) Warning() error { return r.warn }

// Offset is the number of 16 kHz samples Read has returned so far, which is
// the time of the next sample: Offset()/16000 seconds from the start.
func (r *WAVReader) Offset() int64 { return r.offset }

// Len is the number of 16 kHz samples the whole file yields.
func (r *WAVReader) Len() int64 { return r.total }

// Read fills dst with the next 16 kHz mono samples.
func (r *WAVReader) Read(dst []float32) (int, error) {
	if r.f == nil {
		return 0, fmt.Errorf("%s: %w", r.name, os.ErrClosed)
	}
	n := 0
	for n < len(dst) {
		if len(r.pending) > 0 {
			c := copy(dst[n:], r.pending)
			r.pending = r.pending[c:]
			n += c
			continue
		}
		if r.done {
			break
		}
		if err := r.fill(); err != nil {
			r.offset += int64(n)
			return n, err
		}
	}
	r.offset += int64(n)
	if n == 0 && len(dst) > 0 && r.done {
		return 0, io.EOF
	}
	return n, nil
}

// fill decodes and resamples the next block into r.pending.
func (r *WAVReader) fill() error {
	frameBytes := len(r.raw) / blockFrames
	want := min(int64(len(r.raw)), r.left)
	want -= want % int64(frameBytes)
	got, err := io.ReadFull(r.r, r.raw[:want])
	r.left -= int64(got)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return fmt.Errorf("%s: reading audio data: %w", r.name, err)
	}
	if err != nil {
		// The file shrank after OpenWAV measured it: keep what came.
		if r.warn == nil {
			r.warn = fmt.Errorf("%s: %w: the file got shorter while it was being read", r.name, ErrTruncated)
		}
		r.left = 0
	}
	frames := got / frameBytes
	r.decode(r.mono[:frames], r.raw[:frames*frameBytes], r.format.Channels)
	r.out = r.rs.Process(r.mono[:frames], r.out[:0])
	if r.left < int64(frameBytes) {
		r.out = r.rs.Flush(r.out)
		r.done = true
	}
	r.pending = r.out
	return nil
}

// SeekTo moves the reader to 16 kHz sample n: Offset becomes n and the next
// Read returns, bit for bit, what reading from the start and discarding n
// samples would have. n at or past Len leaves the reader at the end, where
// Offset is Len and Read returns io.EOF. It seeks the file rather than
// reading it, so any move, back or forth, costs the same in any file.
//
// Only the input the resampler needs for sample n is read again: at 16 kHz
// that is frame n itself; at other rates the frames from half a filter
// before n's instant (see Resampler.resumeAt). The frame's byte is
// the data chunk's start plus frame × block align, for every format read.
func (r *WAVReader) SeekTo(n int64) error {
	if r.f == nil {
		return fmt.Errorf("%s: %w", r.name, os.ErrClosed)
	}
	if n < 0 {
		return fmt.Errorf("%s: seek to sample %d: before the start", r.name, n)
	}
	if n >= r.total { // Read will not decode again until the next SeekTo
		r.pending, r.done, r.offset = nil, true, r.total
		return nil
	}
	frameBytes := int64(len(r.raw) / blockFrames)
	from := r.rs.firstInputFor(n)
	at := from * frameBytes
	if _, err := r.f.Seek(r.dataStart+at, io.SeekStart); err != nil {
		return fmt.Errorf("%s: seek to sample %d: %w", r.name, n, err)
	}
	r.r.Reset(r.f)
	r.left = r.dataBytes - at
	r.rs.resumeAt(n)
	r.pending, r.done, r.offset = nil, false, n
	return nil
}

// Close releases the file.
func (r *WAVReader) Close() error {
	if r.f == nil {
		return nil
	}
	err := r.f.Close()
	r.f = nil
	return err
}

// ReadWAV16k reads a whole file into memory as 16 kHz mono. For short files
// only: an hour is 230 MB of float32. Use OpenWAV to stream longer ones.
// A file cut short is read as far as it goes, with Format.Truncated set.
func ReadWAV16k(path string) ([]float32, Format, error) {
	r, err := OpenWAV(path)
	if err != nil {
		return nil, Format{}, err
	}
	defer r.Close()
	out := make([]float32, r.Len())
	n, err := r.Read(out)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, r.format, err
	}
	return out[:n], r.format, nil
}

// header is what parseHeader learns.
type header struct {
	format     Format
	frameBytes int
	dataStart  int64 // file offset of the data chunk's first byte
	dataBytes  int64 // bytes of whole frames to read
	warning    string
}

// Format tags; see mmreg.h.
const (
	tagPCM        = 0x0001
	tagFloat      = 0x0003
	tagExtensible = 0xFFFE
)

// extensibleGUIDTail is the part of KSDATAFORMAT_SUBTYPE_* after the
// leading format tag.
var extensibleGUIDTail = []byte{0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71}

var tagNames = map[uint16]string{
	0x0002: "Microsoft ADPCM",
	0x0006: "A-law",
	0x0007: "µ-law",
	0x0011: "IMA ADPCM",
	0x0031: "GSM 6.10",
	0x0050: "MPEG audio",
	0x0055: "MP3",
	0x0160: "WMA",
	0x00FF: "AAC",
}

const convertHint = "convert it with: ffmpeg -i IN -ar 16000 -ac 1 -c:a pcm_s16le OUT.wav"

// parseHeader reads from the start of the file to the first sample of the
// data chunk. size is the file's length, used to tell a truncated data
// chunk from a complete one before reading it.
func parseHeader(r *bufio.Reader, size int64) (header, error) {
	var h header
	if size == 0 {
		return h, fmt.Errorf("%w: the file is empty (0 bytes)", ErrEmpty)
	}
	magic, err := r.Peek(12)
	if err != nil && !errors.Is(err, io.EOF) {
		return h, err
	}
	if err := sniff(magic); err != nil {
		return h, err
	}
	r.Discard(12)
	rf64 := string(magic[:4]) == "RF64"
	riffEnd := 8 + int64(binary.LittleEndian.Uint32(magic[4:8]))

	pos := int64(12)
	var (
		haveFmt  bool
		ds64Data int64 = -1
	)
	for {
		var ch [8]byte
		if _, err := io.ReadFull(r, ch[:]); err != nil {
			switch {
			case !haveFmt:
				return h, fmt.Errorf("%w: the file ends (at byte %d) before its fmt chunk", ErrTruncated, size)
			default:
				return h, fmt.Errorf("%w: the file ends (at byte %d) before its data chunk", ErrTruncated, size)
			}
		}
		pos += 8
		id := string(ch[:4])
		n := int64(binary.LittleEndian.Uint32(ch[4:]))
		switch id {
		case "ds64":
			// RF64 keeps the real sizes here, as 64-bit numbers, for files
			// over 4 GB.
			b, err := readChunk(r, n, 64)
			if err != nil || len(b) < 16 {
				return h, fmt.Errorf("%w: the file ends inside its ds64 chunk", ErrTruncated)
			}
			riffEnd = 8 + int64(binary.LittleEndian.Uint64(b[0:8]))
			ds64Data = int64(binary.LittleEndian.Uint64(b[8:16]))
		case "fmt ":
			b, err := readChunk(r, n, 64)
			if err != nil || len(b) < 16 {
				return h, fmt.Errorf("%w: the file ends (at byte %d) inside its fmt chunk", ErrTruncated, size)
			}
			if err := parseFmt(&h, b); err != nil {
				return h, err
			}
			haveFmt = true
		case "data":
			if !haveFmt {
				return h, fmt.Errorf("%w: the data chunk comes before the fmt chunk", ErrUnsupportedFormat)
			}
			if rf64 && n == 0xFFFFFFFF && ds64Data >= 0 {
				n = ds64Data
			}
			return h, h.sizeData(pos, n, riffEnd, size)
		default:
			// LIST, fact, bext, JUNK, ...: skip, with RIFF's pad byte.
			skip := n + n%2
			if pos+skip > size {
				if !haveFmt {
					return h, fmt.Errorf("%w: the file ends (at byte %d) inside a %q chunk, before its fmt chunk", ErrTruncated, size, id)
				}
				return h, fmt.Errorf("%w: the file ends (at byte %d) inside a %q chunk, before its data chunk", ErrTruncated, size, id)
			}
			if _, err := r.Discard(int(skip)); err != nil {
				return h, fmt.Errorf("%w: the file ends inside a %q chunk", ErrTruncated, id)
			}
			pos += skip
			continue
		}
		pos += n + n%2
	}
}

// readChunk reads a chunk body of n bytes (plus pad), returning at most
// limit of them: fmt and ds64 carry nothing useful beyond that.
func readChunk(r *bufio.Reader, n int64, limit int) ([]byte, error) {
	b := make([]byte, min(n, int64(limit)))
	if _, err := io.ReadFull(r, b); err != nil {
		return nil, err
	}
	if _, err := r.Discard(int(n - int64(len(b)) + n%2)); err != nil {
		return nil, err
	}
	return b, nil
}

// sniff rejects files that are not RIFF/WAVE, naming what they look like.
func sniff(b []byte) error {
	if len(b) >= 12 && (string(b[:4]) == "RIFF" || string(b[:4]) == "RF64") && string(b[8:12]) == "WAVE" {
		return nil
	}
	what := ""
	switch {
	case len(b) >= 4 && string(b[:4]) == "RIFF" && len(b) < 12:
		return fmt.Errorf("%w: the file ends (at byte %d) inside its RIFF header", ErrTruncated, len(b))
	case len(b) >= 4 && (string(b[:4]) == "RIFF" || string(b[:4]) == "RF64"):
		what = fmt.Sprintf("a RIFF file of type %q, not WAVE", b[8:12])
	case len(b) >= 4 && string(b[:4]) == "RIFX":
		return fmt.Errorf("%w: big-endian WAV (RIFX); %s", ErrUnsupportedFormat, convertHint)
	case bytes.HasPrefix(b, []byte("ID3")) || len(b) >= 2 && b[0] == 0xFF && b[1]&0xE0 == 0xE0:
		what = "an MP3 file"
	case bytes.HasPrefix(b, []byte("fLaC")):
		what = "a FLAC file"
	case bytes.HasPrefix(b, []byte("OggS")):
		what = "an Ogg file"
	case len(b) >= 8 && string(b[4:8]) == "ftyp":
		what = "an MP4/M4A file"
	case len(b) >= 12 && string(b[:4]) == "FORM" && (string(b[8:12]) == "AIFF" || string(b[8:12]) == "AIFC"):
		what = "an AIFF file"
	case bytes.HasPrefix(b, []byte{0x1A, 0x45, 0xDF, 0xA3}):
		what = "a WebM/Matroska file"
	default:
		what = fmt.Sprintf("it starts with %q", b)
	}
	return fmt.Errorf("%w (%s); %s", ErrNotWAV, what, convertHint)
}

// parseFmt checks the fmt chunk and fills h.format and h.frameBytes.
func parseFmt(h *header, b []byte) error {
	le := binary.LittleEndian
	tag := le.Uint16(b[0:2])
	ch := int(le.Uint16(b[2:4]))
	rate := int(le.Uint32(b[4:8]))
	blockAlign := int(le.Uint16(b[12:14]))
	bits := int(le.Uint16(b[14:16]))
	f := Format{SampleRate: rate, Channels: ch, BitDepth: bits}

	if tag == tagExtensible {
		if len(b) < 40 {
			return fmt.Errorf("%w: WAVE_FORMAT_EXTENSIBLE header is %d bytes, want 40", ErrUnsupportedFormat, len(b))
		}
		if !bytes.Equal(b[26:40], extensibleGUIDTail) {
			return fmt.Errorf("%w: extensible subformat %x is not PCM or float; %s", ErrUnsupportedFormat, b[24:40], convertHint)
		}
		f.Extensible = true
		tag = le.Uint16(b[24:26])
		// The container width (bits) decides the layout; valid bits below
		// it are left-justified, so decoding the container is right.
	}
	switch tag {
	case tagPCM:
		if bits != 8 && bits != 16 && bits != 24 && bits != 32 {
			return fmt.Errorf("%w: %d-bit integer PCM (supported: 8, 16, 24, 32); %s", ErrUnsupportedFormat, bits, convertHint)
		}
	case tagFloat:
		if bits != 32 && bits != 64 {
			return fmt.Errorf("%w: %d-bit float (supported: 32, 64); %s", ErrUnsupportedFormat, bits, convertHint)
		}
		f.Float = true
	default:
		name := tagNames[tag]
		if name == "" {
			name = "an unknown encoding"
		}
		return fmt.Errorf("%w: %s (format tag 0x%04X), only PCM and float are read; %s", ErrUnsupportedFormat, name, tag, convertHint)
	}
	if ch < 1 {
		return fmt.Errorf("%w: the header says %d channels", ErrUnsupportedFormat, ch)
	}
	if rate < 1000 || rate > 768000 {
		return fmt.Errorf("%w: sample rate %d Hz (supported: 1000 to 768000)", ErrUnsupportedFormat, rate)
	}
	frameBytes := ch * bits / 8
	if blockAlign != frameBytes {
		return fmt.Errorf("%w: block align %d does not match %d channel(s) of %d bits", ErrUnsupportedFormat, blockAlign, ch, bits)
	}
	h.format, h.frameBytes = f, frameBytes
	return nil
}

// sizeData decides how many bytes of audio to read from the data chunk
// starting at offset start with declared size n. A recorder killed before it
// wrote the final sizes leaves placeholders (0, 0xFFFFFFFF, or go-audio/wav's
// 42); the RIFF size then does not even cover the declared data, so the
// file's length is the truth. A file cut short keeps its honest header but
// ends early: read what is there and say so.
func (h *header) sizeData(start, n, riffEnd, size int64) error {
	avail := size - start
	var data int64
	switch {
	case n == 0xFFFFFFFF || riffEnd < start+n || riffEnd <= 8:
		data = avail // length unknown to the header: read to the end of the file
	case n > avail:
		data = avail
		h.warning = fmt.Sprintf("the data chunk declares %s but the file holds %s; reading what is there",
			h.describe(n), h.describe(avail))
		h.format.Truncated = true
	default:
		data = n
	}
	fb := int64(h.frameBytes)
	if data%fb != 0 && !h.format.Truncated && data == n {
		// A partial frame inside a declared size is corrupt, not cut; the
		// whole frames are still fine.
		h.warning = fmt.Sprintf("the data chunk ends inside a frame (%d bytes is not a multiple of %d); ignoring the last %d bytes", data, fb, data%fb)
	}
	data -= data % fb
	if data <= 0 {
		return fmt.Errorf("%w: the data chunk is empty", ErrEmpty)
	}
	h.dataStart, h.dataBytes = start, data
	h.format.Frames = data / fb
	h.format.Duration = time.Duration(h.format.Frames) * time.Second / time.Duration(h.format.SampleRate)
	return nil
}

func (h *header) describe(bytes int64) string {
	frames := bytes / int64(h.frameBytes)
	d := time.Duration(frames) * time.Second / time.Duration(h.format.SampleRate)
	return fmt.Sprintf("%d bytes (%s)", bytes, d.Round(time.Millisecond))
}
