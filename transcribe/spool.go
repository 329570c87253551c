package transcribe

import (
	"encoding/binary"
	"fmt"
	"math"
	"os"
)

// spool keeps utterances that wait for the recognizer on disk once the
// in-memory backlog is full, so a recognizer that falls far behind costs
// disk rather than memory and nothing said is dropped.
//
// The file is raw little-endian float32 samples, utterances one after the
// other; the index (where each one starts and how long it is) is the
// backlog's, in memory. It is a scratch file, not a recording: it is created
// on the first put, removed as soon as everything in it has been taken back,
// and removed on close. Appending only and removing when empty keeps it
// simple; its size is bounded by how far the recognizer is behind.
//
// A spool is not safe for concurrent use; the backlog's mutex guards it.
type spool struct {
	dir  string // "" means os.TempDir
	f    *os.File
	end  int64 // bytes written
	live int   // records put and not yet taken
	buf  []byte
}

// put appends samples and returns their byte offset.
func (s *spool) put(samples []float32) (int64, error) {
	if s.f == nil {
		f, err := os.CreateTemp(s.dir, "sidenote-spool-*.f32")
		if err != nil {
			return 0, fmt.Errorf("creating the transcription spool: %w", err)
		}
		s.f, s.end = f, 0
	}
	need := 4 * len(samples)
	if cap(s.buf) < need {
		s.buf = make([]byte, need)
	}
	b := s.buf[:need]
	for i, v := range samples {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(v))
	}
	at := s.end
	if _, err := s.f.WriteAt(b, at); err != nil {
		err = fmt.Errorf("writing %d samples to the transcription spool %s: %w", len(samples), s.f.Name(), err)
		if s.live == 0 {
			s.remove()
		}
		return 0, err
	}
	s.end += int64(need)
	s.live++
	return at, nil
}

// take reads back n samples put at offset at. Each record is taken once;
// when the last one is, the file goes.
func (s *spool) take(at int64, n int) ([]float32, error) {
	if s.f == nil {
		return nil, fmt.Errorf("transcription spool: no file for the record at %d", at)
	}
	s.live--
	defer func() {
		if s.live == 0 {
			s.remove()
		}
	}()
	b := make([]byte, 4*n)
	if _, err := s.f.ReadAt(b, at); err != nil {
		return nil, fmt.Errorf("reading %d samples back from the transcription spool %s: %w", n, s.f.Name(), err)
	}
	out := make([]float32, n)
	for i := range out {
		out[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return out, nil
}

// path is the current file's name, "" when there is none.
func (s *spool) path() string {
	if s.f == nil {
		return ""
	}
	return s.f.Name()
}

// remove deletes the file, whatever it still holds.
func (s *spool) remove() error {
	if s.f == nil {
		return nil
	}
	name := s.f.Name()
	err := s.f.Close()
	if rerr := os.Remove(name); rerr != nil && err == nil {
		err = rerr
	}
	s.f, s.end, s.live = nil, 0, 0
	s.buf = nil
	return err
}
