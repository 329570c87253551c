package audio

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"syscall"
	"time"
)

// ErrDiskFull: a recording could not be written because the disk (or the
// user's quota) is full, or the file reached the largest size allowed
// (EFBIG). The recording up to that point is kept and plays.
var ErrDiskFull = errors.New("disk full")

// DefaultSyncInterval is how much audio a Recorder writes between fsyncs
// unless SetSyncInterval says otherwise: a power cut loses at most this
// much, and the disk is not asked to flush for every chunk.
const DefaultSyncInterval = 5 * time.Second

// wavHeaderSize is the size of the canonical header a Recorder writes:
// RIFF, a 16-byte fmt chunk and the data chunk's header.
const wavHeaderSize = 44

// maxDataBytes keeps the RIFF size, a uint32, from overflowing: about 37
// hours at 16 kHz.
const maxDataBytes = math.MaxUint32 - (wavHeaderSize - 8)

// Recorder writes 16-bit PCM mono WAV that stays valid however the process
// ends: after every Write the header's RIFF size (offset 4) and data size
// (offset 40) are rewritten to cover what is on disk, so a killed process
// leaves a file that plays up to its last completed Write and needs no
// repair. Data goes first and the header after it, so a kill between the
// two leaves a header a chunk behind, never ahead of the data.
//
// The header is written by hand rather than with go-audio/wav's Encoder:
// that one writes placeholder sizes until Close and buffers samples in
// interface values; 44 bytes written here are easier to check.
//
// When a write fails (a full disk, say), the file is cut back to the
// last whole sample that reached it and the header made to cover exactly
// that; the error is returned once, and later Writes record nothing (see
// Dropped).
//
// A Recorder is not safe for concurrent use.
type Recorder struct {
	f         *os.File
	path      string
	rate      int
	dataBytes int64 // audio bytes the header covers
	buf       []byte
	syncEvery int64 // samples between fsyncs; 0 never
	unsynced  int64
	syncs     int   // fsyncs done, for tests
	failed    error // the write error that ended the recording, if any
	dropped   int64 // samples not recorded since
}

// CreateRecording creates a recording at path (mode 0600: it holds what
// people said) at rate Hz, normally 16000. It will not replace a file that
// holds anything: the error wraps os.ErrExist. Errors wrap ErrDiskFull
// when the disk is full.
func CreateRecording(path string, rate int) (*Recorder, error) {
	if rate <= 0 {
		return nil, fmt.Errorf("create recording %s: sample rate %d Hz must be positive", path, rate)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("create recording: %w", err)
	}
	if st, err := f.Stat(); err != nil || st.Mode().IsRegular() && st.Size() > 0 {
		f.Close()
		if err == nil {
			err = fmt.Errorf("%w: a recording is never overwritten; choose another name", os.ErrExist)
		}
		return nil, fmt.Errorf("create recording %s: %w", path, err)
	}
	r := &Recorder{f: f, path: path, rate: rate, syncEvery: int64(DefaultSyncInterval.Seconds() * float64(rate))}
	if err := r.writeHeader(wavHeader(rate, 0)); err != nil {
		f.Close()
		return nil, err
	}
	return r, nil
}

// wavHeader is the canonical header for dataBytes of 16-bit mono at rate.
func wavHeader(rate int, dataBytes uint32) []byte {
	le := binary.LittleEndian
	b := make([]byte, 0, wavHeaderSize)
	b = append(b, "RIFF"...)
	b = le.AppendUint32(b, wavHeaderSize-8+dataBytes)
	b = append(b, "WAVEfmt "...)
	b = le.AppendUint32(b, 16)
	b = le.AppendUint16(b, 1) // PCM
	b = le.AppendUint16(b, 1) // mono
	b = le.AppendUint32(b, uint32(rate))
	b = le.AppendUint32(b, uint32(rate*2))
	b = le.AppendUint16(b, 2)
	b = le.AppendUint16(b, 16)
	b = append(b, "data"...)
	return le.AppendUint32(b, dataBytes)
}

func (r *Recorder) writeHeader(h []byte) error {
	if _, err := r.f.WriteAt(h, 0); err != nil {
		return r.fail("writing the header", err)
	}
	return nil
}

// SetSyncInterval sets how much audio is written between fsyncs; 0 turns
// periodic fsync off (Close still syncs).
func (r *Recorder) SetSyncInterval(d time.Duration) {
	r.syncEvery = int64(d.Seconds() * float64(r.rate))
}

// Write appends samples (nominally in [-1, 1]; beyond is clipped, NaN is
// silence) and updates the header to cover them.
//
// If writing fails, the recording ends there: the file keeps the whole
// samples that reached it, with a header covering exactly those, and the
// error (wrapping ErrDiskFull for a full disk or file size limit) is
// returned. Later Writes return nil and record nothing, only counting
// their samples in Dropped: resuming after a hole would put what follows
// at the wrong time in the interview, and the error was reported once.
func (r *Recorder) Write(samples []float32) error {
	if r.f == nil {
		return fmt.Errorf("recording %s: %w", r.path, os.ErrClosed)
	}
	if r.failed != nil {
		r.dropped += int64(len(samples))
		return nil
	}
	if len(samples) == 0 {
		return nil
	}
	if r.dataBytes+2*int64(len(samples)) > maxDataBytes {
		return fmt.Errorf("recording %s: a WAV file holds at most %s of audio at %d Hz; start a new file", r.path, time.Duration(maxDataBytes/2/int64(r.rate))*time.Second, r.rate)
	}
	r.buf = r.buf[:0]
	for _, v := range samples {
		r.buf = binary.LittleEndian.AppendUint16(r.buf, uint16(toInt16(v)))
	}
	if n, err := r.f.WriteAt(r.buf, wavHeaderSize+r.dataBytes); err != nil {
		return r.end("writing audio", err, len(samples), int64(n))
	}
	n := r.dataBytes + int64(len(r.buf))
	if err := r.writeSizes(n); err != nil {
		return r.end("updating the header", err, len(samples), 0)
	}
	r.dataBytes = n
	r.unsynced += int64(len(samples))
	if r.syncEvery > 0 && r.unsynced >= r.syncEvery {
		return r.Sync()
	}
	return nil
}

// toInt16 rounds to the nearest 16-bit code, scaling by 32768 as the WAV
// reader divides by it, so that a sample read back is the sample written
// whenever it is a multiple of 1/32768 in range.
func toInt16(v float32) int16 {
	switch x := math.Round(float64(v) * 32768); {
	case x >= math.MaxInt16:
		return math.MaxInt16
	case x <= math.MinInt16:
		return math.MinInt16
	case x == x: // not NaN
		return int16(x)
	}
	return 0
}

// writeSizes sets the header's RIFF and data sizes for dataBytes of audio.
func (r *Recorder) writeSizes(dataBytes int64) error {
	var sizes [8]byte
	binary.LittleEndian.PutUint32(sizes[:4], uint32(wavHeaderSize-8+dataBytes))
	binary.LittleEndian.PutUint32(sizes[4:], uint32(dataBytes))
	if _, err := r.f.WriteAt(sizes[:4], 4); err != nil {
		return err
	}
	_, err := r.f.WriteAt(sizes[4:], 40)
	return err
}

// end stops the recording after a failed Write of samples, of which
// written bytes (at most) reached the file after the audio the header
// covers. The file keeps their whole samples, cut after the last one,
// and its header is made to cover exactly them; end returns the error to
// report. Cutting the file shrinks it and rewriting the sizes overwrites
// bytes it already has, so both work on a full disk.
func (r *Recorder) end(step string, err error, samples int, written int64) error {
	r.failed = err
	var errs []error
	st, serr := r.f.Stat()
	regular := serr == nil && st.Mode().IsRegular()
	if regular {
		// os.File.WriteAt counts nothing of a short write followed by
		// an error, as at a size limit; the file's size says what stuck.
		written = min(max(st.Size()-wavHeaderSize-r.dataBytes, 0), 2*int64(samples))
	}
	written &^= 1 // whole samples only
	keep := r.dataBytes + written
	if regular && st.Size() > wavHeaderSize+keep {
		if terr := r.f.Truncate(wavHeaderSize + keep); terr != nil {
			// The header still covers only the audio before this call,
			// so the file plays; the rest is junk after the data chunk.
			keep, written = r.dataBytes, 0
			errs = append(errs, fmt.Errorf("cutting off a partial write: %w", terr))
		}
	}
	r.dropped += int64(samples) - written/2
	if keep != r.dataBytes {
		if herr := r.writeSizes(keep); herr != nil {
			errs = append(errs, fmt.Errorf("covering the audio written before it: %w", herr))
		} else {
			r.dataBytes = keep
		}
	}
	if len(errs) > 0 {
		err = errors.Join(append([]error{err}, errs...)...)
	}
	return r.fail(step, err)
}

// Dropped is how many samples given to Write were not recorded because an
// earlier write failed (those of the failed call that did not reach the
// disk included).
func (r *Recorder) Dropped() int64 { return r.dropped }

// Sync flushes the recording to the disk.
func (r *Recorder) Sync() error {
	if r.f == nil {
		return fmt.Errorf("recording %s: %w", r.path, os.ErrClosed)
	}
	if err := r.f.Sync(); err != nil {
		return r.fail("syncing", err)
	}
	r.unsynced = 0
	r.syncs++
	return nil
}

// Samples is how many samples the recording holds.
func (r *Recorder) Samples() int64 { return r.dataBytes / 2 }

// Duration is how much audio the recording holds.
func (r *Recorder) Duration() time.Duration {
	return time.Duration(r.Samples()) * time.Second / time.Duration(r.rate)
}

// Path is where the recording is.
func (r *Recorder) Path() string { return r.path }

// Close syncs and closes the file. It may be called more than once.
func (r *Recorder) Close() error {
	if r.f == nil {
		return nil
	}
	err := r.Sync()
	if cerr := r.f.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("closing recording %s: %w", r.path, cerr)
	}
	r.f = nil
	return err
}

// fail says which step failed and, for a full disk, what to do.
func (r *Recorder) fail(step string, err error) error {
	kept := "nothing was recorded yet"
	if r.dataBytes > 0 {
		kept = fmt.Sprintf("the %s recorded so far is kept and plays", r.Duration().Round(100*time.Millisecond))
	}
	switch {
	case errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT):
		return fmt.Errorf("recording %s: %w while %s (%w): free some space or record to another disk; %s",
			r.path, ErrDiskFull, step, err, kept)
	case errors.Is(err, syscall.EFBIG):
		return fmt.Errorf("recording %s: %w while %s (%w): the file reached the largest size allowed here; record to another disk; %s",
			r.path, ErrDiskFull, step, err, kept)
	}
	return fmt.Errorf("recording %s: %s: %w; %s", r.path, step, err, kept)
}

// RepairWAV makes the header of the WAV file at path agree with its length,
// as a recording whose process was killed may need: the data chunk's size
// becomes everything after its header, less a trailing partial sample
// frame, and the RIFF size follows. It reports whether it changed the file;
// a file that is already consistent (including one with chunks after its
// audio) is left alone. Errors wrap ErrNotWAV, ErrUnsupportedFormat or
// ErrTruncated when the file cannot be a repairable WAV.
func RepairWAV(path string) (repaired bool, err error) {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return false, err
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = cerr
		}
	}()
	st, err := f.Stat()
	if err != nil {
		return false, err
	}
	size := st.Size()
	le := binary.LittleEndian
	var riff [12]byte
	if _, err := f.ReadAt(riff[:], 0); err != nil || string(riff[:4]) != "RIFF" || string(riff[8:]) != "WAVE" {
		return false, fmt.Errorf("repair %s: %w: it does not start with a RIFF/WAVE header", path, ErrNotWAV)
	}

	// Walk the chunks to the data chunk, learning the frame size on the way.
	var chunk [8]byte
	var fmtBody [16]byte
	blockAlign := int64(0)
	off := int64(12)
	for {
		if _, err := f.ReadAt(chunk[:], off); err != nil {
			return false, fmt.Errorf("repair %s: %w: no data chunk, so there is no audio to recover", path, ErrTruncated)
		}
		n := int64(le.Uint32(chunk[4:]))
		if string(chunk[:4]) == "data" {
			break
		}
		if string(chunk[:4]) == "fmt " {
			if _, err := f.ReadAt(fmtBody[:], off+8); err != nil || n < 16 {
				return false, fmt.Errorf("repair %s: %w: its fmt chunk is cut short", path, ErrTruncated)
			}
			blockAlign = int64(le.Uint16(fmtBody[12:]))
		}
		off += 8 + n + n%2
	}
	if blockAlign == 0 {
		return false, fmt.Errorf("repair %s: %w: no usable fmt chunk before the audio", path, ErrUnsupportedFormat)
	}
	dataStart := off + 8
	declared := int64(le.Uint32(chunk[4:]))
	declaredRIFF := int64(le.Uint32(riff[4:]))
	if declared <= size-dataStart && declaredRIFF == size-8 && chunksReachEnd(f, dataStart+declared+declared%2, size) {
		return false, nil
	}

	audio := size - dataStart
	audio -= audio % blockAlign
	if audio > maxDataBytes-(dataStart-wavHeaderSize) {
		return false, fmt.Errorf("repair %s: %w: %d bytes of audio are more than a WAV header can describe", path, ErrUnsupportedFormat, audio)
	}
	if end := dataStart + audio; end < size {
		if err := f.Truncate(end); err != nil {
			return false, fmt.Errorf("repair %s: trimming a partial sample: %w", path, err)
		}
	}
	var sizes [4]byte
	le.PutUint32(sizes[:], uint32(audio))
	if _, err := f.WriteAt(sizes[:], dataStart-4); err != nil {
		return false, fmt.Errorf("repair %s: %w", path, err)
	}
	le.PutUint32(sizes[:], uint32(dataStart-8+audio))
	if _, err := f.WriteAt(sizes[:], 4); err != nil {
		return false, fmt.Errorf("repair %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		return false, fmt.Errorf("repair %s: %w", path, err)
	}
	return true, nil
}

// chunksReachEnd reports whether the bytes from off to size are whole
// chunks, as after the audio of a finished file with metadata at its end.
func chunksReachEnd(f io.ReaderAt, off, size int64) bool {
	var chunk [8]byte
	for off < size {
		if _, err := f.ReadAt(chunk[:], off); err != nil {
			return false
		}
		n := int64(binary.LittleEndian.Uint32(chunk[4:]))
		off += 8 + n
		if off == size { // a final odd chunk without its pad byte
			return true
		}
		off += n % 2
	}
	return off == size
}
