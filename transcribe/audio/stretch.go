package audio

import (
	"fmt"
	"math"
)

// Stretcher changes the speed of mono speech without changing its pitch,
// by WSOLA (waveform-similarity overlap-add): it cuts the input into
// Hann-windowed frames of 40 ms, takes them from the input every
// 20 ms × speed and lays them down every 20 ms, and shifts each frame by up
// to ±10 ms so that it lines up with the waveform the previous frame would
// have continued with. Lining up on the waveform, not on a fixed grid, is
// what keeps voiced speech free of the phasing and echo of plain
// overlap-add: the ±10 ms search covers a whole pitch period of even a
// deep voice (100 Hz).
//
// Output sample j corresponds to input sample j × speed (to within the
// search shift), and a stream of n input samples gives round(n / speed)
// output samples once flushed, so time can be mapped back by arithmetic.
//
// At speed 1 Process copies its input unchanged: normal playback is
// bit-exact. A Stretcher is not safe for concurrent use.
type Stretcher struct {
	speed float64
	n     int // frame length
	hs    int // output hop, n/2
	tol   int // search range either side of the nominal position
	win   []float32

	in      []float32 // input from absolute index inStart on
	inStart int64
	inCount int64
	acc     []float32 // overlap-add accumulator; acc[:hs] is finished after each frame
	k       int64     // frames laid down
	prev    int64     // input position of the last frame, -1 before the first
	out     int64     // samples returned
}

// NewStretcher returns a stretcher for mono audio at rate Hz, at speed 1.
func NewStretcher(rate int) (*Stretcher, error) {
	if rate < 100 {
		return nil, fmt.Errorf("time-stretch at %d Hz: the rate is too low", rate)
	}
	n := rate / 25 // 40 ms
	n -= n % 2
	s := &Stretcher{speed: 1, n: n, hs: n / 2, tol: rate / 100, win: make([]float32, n)}
	for i := range s.win {
		// Periodic Hann: two of them half a frame apart sum to exactly 1.
		s.win[i] = float32(0.5 - 0.5*math.Cos(2*math.Pi*float64(i)/float64(n)))
	}
	s.acc = make([]float32, n)
	s.Reset()
	return s, nil
}

// SetSpeed sets the speed (0.25 to 4; 1.5 plays 1.5 times as fast) and
// resets the stream: call Flush first to keep the input still held back.
func (s *Stretcher) SetSpeed(speed float64) error {
	if !(speed >= 0.25 && speed <= 4) {
		return fmt.Errorf("time-stretch: speed %g is outside 0.25–4", speed)
	}
	s.speed = speed
	s.Reset()
	return nil
}

// Speed is the current speed.
func (s *Stretcher) Speed() float64 { return s.speed }

// Reset forgets all input, ready for a new stream at the same speed.
func (s *Stretcher) Reset() {
	s.in = s.in[:0]
	s.inStart, s.inCount, s.k, s.prev, s.out = 0, 0, 0, -1, 0
	clear(s.acc)
}

// Process appends to out the output that in makes available and returns
// the extended slice; pass a reused out[:0] to avoid allocating. About
// 50 ms of output is held back until more input or Flush arrives.
func (s *Stretcher) Process(in, out []float32) []float32 {
	if s.speed == 1 {
		s.out += int64(len(in))
		return append(out, in...)
	}
	s.inCount += int64(len(in))
	s.in = append(s.in, in...)
	return s.run(out, s.inStart+int64(len(s.in)), -1)
}

// Flush appends the output still held back, so that the whole stream came
// out as round(n / speed) samples, and resets for a new stream.
func (s *Stretcher) Flush(out []float32) []float32 {
	if s.speed == 1 {
		s.Reset()
		return out
	}
	total := int64(math.Round(float64(s.inCount) / s.speed))
	// Silence after the end lets the last frames be laid down.
	pad := s.n + 2*s.tol + int(float64(s.hs)*s.speed) + 1
	for range pad {
		s.in = append(s.in, 0)
	}
	out = s.run(out, s.inStart+int64(len(s.in)), total)
	if s.out < total { // the tail still in the accumulator
		c := int(min(total-s.out, int64(s.n)))
		out = append(out, s.acc[:c]...)
		s.out += int64(c)
	}
	s.Reset()
	return out
}

// run lays down frames while their input (up to end, exclusive) is there
// and, when limit >= 0, until limit samples are out.
func (s *Stretcher) run(out []float32, end, limit int64) []float32 {
	for limit < 0 || s.out < limit {
		nominal := int64(math.Round(float64(s.k) * float64(s.hs) * s.speed))
		need := nominal + int64(s.tol)
		if s.prev >= 0 {
			need = max(need, s.prev+int64(s.hs))
		}
		if need+int64(s.n) > end {
			break
		}
		pos := nominal
		if s.prev >= 0 {
			pos = s.bestMatch(nominal)
		}
		frame := s.in[pos-s.inStart : pos-s.inStart+int64(s.n)]
		for i, v := range frame {
			w := s.win[i]
			if s.k == 0 && i < s.hs {
				w = 1 // no fade-in at the very start
			}
			s.acc[i] += v * w
		}
		c := s.hs
		if limit >= 0 {
			c = int(min(int64(c), limit-s.out))
		}
		out = append(out, s.acc[:c]...)
		s.out += int64(c)
		copy(s.acc, s.acc[s.hs:])
		clear(s.acc[s.n-s.hs:])
		s.prev = pos
		s.k++
		s.drop()
	}
	return out
}

// bestMatch returns the input position within tol of nominal whose frame
// looks most like the natural continuation of the previous frame (the
// input right after it), by normalised cross-correlation. The comparison
// runs over the half frame that overlaps the previous one, which is where
// a mismatch would be heard.
func (s *Stretcher) bestMatch(nominal int64) int64 {
	lo := max(nominal-int64(s.tol), 0, s.inStart)
	hi := nominal + int64(s.tol)
	m := s.hs
	tmpl := s.in[s.prev+int64(s.hs)-s.inStart:][:m]
	first := s.in[lo-s.inStart:]
	var energy float32
	for _, v := range first[:m] {
		energy += v * v
	}
	best, bestScore := nominal, float32(math.Inf(-1))
	for p := lo; p <= hi; p++ {
		cand := s.in[p-s.inStart:][:m]
		c := dot(tmpl, cand)
		var score float32
		if energy > 1e-12 {
			score = c * c / energy
			if c < 0 {
				score = -score
			}
		}
		if score > bestScore {
			best, bestScore = p, score
		}
		// Slide the energy window one sample on.
		if p < hi {
			energy += s.in[p-s.inStart+int64(m)]*s.in[p-s.inStart+int64(m)] - cand[0]*cand[0]
			energy = max(energy, 0)
		}
	}
	return best
}

// drop discards input no later frame can reach.
func (s *Stretcher) drop() {
	next := int64(math.Round(float64(s.k)*float64(s.hs)*s.speed)) - int64(s.tol)
	keep := min(next, s.prev+int64(s.hs))
	if d := keep - s.inStart; d > 4096 && d <= int64(len(s.in)) {
		n := copy(s.in, s.in[d:])
		s.in = s.in[:n]
		s.inStart += d
	}
}
