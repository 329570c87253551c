package audio

import (
	"fmt"
	"math"
	"sync"
)

// Resampler design constants. The passband ends at 90% of the lower
// Nyquist frequency and the stopband starts exactly at it, so nothing above
// the output's Nyquist folds back (a 12 kHz tone in a 44.1 kHz file must not
// reappear at 4 kHz) and speech up to 7.2 kHz at 16 kHz passes untouched.
const (
	passFraction = 0.90
	stopbandDB   = 80.0 // far below 16-bit noise and anything whisper can hear
	// maxPhases bounds the coefficient table. Every common rate pair needs
	// fewer (44.1k→16k uses 160); odd rates such as 44101 Hz fall back to
	// linear interpolation between 1024 phases, whose error sits near the
	// stopband floor.
	maxPhases = 1024
)

// Resampler converts a stream of mono samples from one rate to another with
// a Kaiser-windowed sinc filter in polyphase form. It keeps the tail of the
// input between calls, so feeding a signal in chunks of any size gives the
// same output as feeding it whole.
//
// Output sample k is the filtered input at time k/outRate exactly: the
// filter is centred, not causal, so there is no group delay to subtract and
// an event at t seconds in the input is at t seconds in the output. The
// price is that Process holds back about half a filter length of output
// until later input (or Flush) arrives.
//
// A Resampler is not safe for concurrent use.
type Resampler struct {
	inRate, outRate int
	l, m            int // out/in reduced: output k sits at input time k*m/l
	taps            int // filter length, even
	half            int // taps/2
	rows            int // phases in the table, plus one extra row for interpolation
	exact           bool
	coef            []float32 // (rows+1) × taps

	buf      []float32 // input from absolute index bufStart on
	bufStart int64
	base     int64 // integer part of the next output's input time
	phase    int   // fractional part, in units of 1/l
	inCount  int64 // input samples received
	outCount int64 // output samples produced
}

// NewResampler returns a resampler from inRate to outRate (Hz); it fails
// only for rates that are not positive. Resamplers for the same rate pair
// share one read-only coefficient table.
func NewResampler(inRate, outRate int) (*Resampler, error) {
	if inRate <= 0 || outRate <= 0 {
		return nil, fmt.Errorf("resample %d Hz → %d Hz: rates must be positive", inRate, outRate)
	}
	g := gcd(inRate, outRate)
	r := &Resampler{inRate: inRate, outRate: outRate, l: outRate / g, m: inRate / g}
	if r.l == r.m {
		return r, nil // same rate: Process copies
	}

	t := tableFor(r.l, inRate, outRate)
	r.taps, r.half, r.rows, r.exact, r.coef = t.taps, t.taps/2, t.rows, t.exact, t.coef
	r.Reset()
	return r, nil
}

// filterTable is the immutable coefficient set for one rate pair.
type filterTable struct {
	taps  int
	rows  int
	exact bool
	coef  []float32
}

// tables caches filterTables by rate pair: building one costs up to a few
// hundred thousand Bessel evaluations, and every file and stream at the same
// rate can share it. A program meets only a handful of rates, so the cache
// is never pruned.
var tables sync.Map // [2]int{in, out} → *filterTable

func tableFor(l, inRate, outRate int) *filterTable {
	key := [2]int{inRate, outRate}
	if t, ok := tables.Load(key); ok {
		return t.(*filterTable)
	}
	t, _ := tables.LoadOrStore(key, newFilterTable(l, inRate, outRate))
	return t.(*filterTable)
}

func newFilterTable(l, inRate, outRate int) *filterTable {
	nyquist := float64(min(inRate, outRate)) / 2
	pass, stop := passFraction*nyquist, nyquist
	// Kaiser's estimates for length and shape from the transition width
	// (in cycles per input sample) and the stopband attenuation.
	width := (stop - pass) / float64(inRate)
	taps := int(math.Ceil((stopbandDB - 7.95) / (14.36 * width)))
	taps += taps % 2
	beta := 0.1102 * (stopbandDB - 8.7)
	cutoff := (pass + stop) / 2 / float64(inRate) // cycles per input sample

	half := taps / 2
	rows, exact := l, true
	if l > maxPhases {
		rows, exact = maxPhases, false
	}
	coef := make([]float32, (rows+1)*taps)
	i0beta := besselI0(beta)
	h := make([]float64, taps)
	for row := 0; row <= rows; row++ {
		frac := float64(row) / float64(rows)
		c := coef[row*taps : (row+1)*taps]
		var sum float64
		clear(h)
		for j := range h {
			// Tap j multiplies input base-(half-1)+j, which lies
			// frac+half-1-j input samples before the output instant.
			t := frac + float64(half-1-j)
			x := t / float64(half)
			if x <= -1 || x >= 1 {
				continue
			}
			w := besselI0(beta*math.Sqrt(1-x*x)) / i0beta
			h[j] = 2 * cutoff * sinc(2*cutoff*t) * w
			sum += h[j]
		}
		// Unit gain at DC for every phase, so a constant input does not
		// pick up a ripple at the phase rate.
		for j := range h {
			c[j] = float32(h[j] / sum)
		}
	}
	return &filterTable{taps: taps, rows: rows, exact: exact, coef: coef}
}

// Reset forgets all input, ready for a new stream.
func (r *Resampler) Reset() {
	r.buf = r.buf[:0]
	// Samples before the start of the stream are silence; half-1 of them
	// let the first outputs use a full filter.
	for range max(r.half-1, 0) {
		r.buf = append(r.buf, 0)
	}
	r.bufStart = -int64(len(r.buf))
	r.base, r.phase, r.inCount, r.outCount = 0, 0, 0, 0
}

// firstInputFor is the index of the first input sample output k depends
// on: the earliest input resumeAt(k) needs. It is k when the rates match.
func (r *Resampler) firstInputFor(k int64) int64 {
	if r.l == r.m {
		return k
	}
	return max(0, k*int64(r.m)/int64(r.l)-int64(r.half-1))
}

// resumeAt puts r in the state it would be in had it been fed a stream
// from its start and produced exactly k outputs, except that it holds no
// input: the caller then feeds the stream from index firstInputFor(k) on.
// Output k is the dot product of one phase's coefficients with the input
// from half-1 samples before its instant to half after it (the zeros
// before the stream included), so every output from k on comes out bit for
// bit as it would have after the whole stream. k must be at most
// OutputLen of the stream, so that Flush's limit is right.
func (r *Resampler) resumeAt(k int64) {
	from := r.firstInputFor(k)
	r.inCount, r.outCount = from, k
	if r.l == r.m {
		return
	}
	pos := k * int64(r.m) // output k sits at input time pos/l
	r.base, r.phase = pos/int64(r.l), int(pos%int64(r.l))
	r.bufStart = r.base - int64(r.half-1)
	r.buf = r.buf[:0]
	for i := r.bufStart; i < 0; i++ {
		r.buf = append(r.buf, 0) // silence before the stream, as Reset leaves it
	}
}

// Rates returns the input and output rates.
func (r *Resampler) Rates() (in, out int) { return r.inRate, r.outRate }

// Taps returns the filter length in input samples (0 when the rates match).
func (r *Resampler) Taps() int { return r.taps }

// OutputLen is how many samples a stream of n input samples produces once
// flushed: ceil(n·out/in), so every output instant falls inside the input.
func (r *Resampler) OutputLen(n int64) int64 {
	return (n*int64(r.l) + int64(r.m) - 1) / int64(r.m)
}

// Process appends to out the output that in makes available and returns
// the extended slice, like the strconv Append functions: pass a reused
// out[:0] to avoid allocating.
func (r *Resampler) Process(in, out []float32) []float32 {
	r.inCount += int64(len(in))
	if r.l == r.m {
		r.outCount += int64(len(in))
		return append(out, in...)
	}
	// Drop input no future output can reach, then take the new samples.
	if drop := r.base - int64(r.half-1) - r.bufStart; drop > 0 {
		drop = min(drop, int64(len(r.buf)))
		n := copy(r.buf, r.buf[drop:])
		r.buf = r.buf[:n]
		r.bufStart += drop
	}
	r.buf = append(r.buf, in...)
	return r.run(out, r.bufStart+int64(len(r.buf)), -1)
}

// Flush appends the output still held back, treating the input as followed
// by silence, and resets the resampler for a new stream.
func (r *Resampler) Flush(out []float32) []float32 {
	if r.l == r.m {
		r.Reset()
		return out
	}
	for range r.half + 1 {
		r.buf = append(r.buf, 0)
	}
	out = r.run(out, r.bufStart+int64(len(r.buf)), r.OutputLen(r.inCount))
	r.Reset()
	return out
}

// run produces outputs while their filter fits in the input up to end
// (exclusive) and, when limit >= 0, until limit outputs exist.
func (r *Resampler) run(out []float32, end int64, limit int64) []float32 {
	taps, half := r.taps, r.half
	for r.base+int64(half) < end && (limit < 0 || r.outCount < limit) {
		start := int(r.base - int64(half-1) - r.bufStart)
		x := r.buf[start : start+taps]
		var y float32
		if r.exact {
			y = dot(r.coef[r.phase*taps:(r.phase+1)*taps], x)
		} else {
			pos := float64(r.phase) * float64(r.rows) / float64(r.l)
			row := int(pos)
			frac := float32(pos - float64(row))
			a := dot(r.coef[row*taps:(row+1)*taps], x)
			b := dot(r.coef[(row+1)*taps:(row+2)*taps], x)
			y = a + frac*(b-a)
		}
		out = append(out, y)
		r.outCount++
		r.phase += r.m
		if r.phase >= r.l {
			r.base += int64(r.phase / r.l)
			r.phase %= r.l
		}
	}
	return out
}

// dot is the inner loop of resampling; four accumulators let the CPU overlap
// the multiply-adds.
func dot(c, x []float32) float32 {
	x = x[:len(c)]
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(c); i += 4 {
		s0 += c[i] * x[i]
		s1 += c[i+1] * x[i+1]
		s2 += c[i+2] * x[i+2]
		s3 += c[i+3] * x[i+3]
	}
	for ; i < len(c); i++ {
		s0 += c[i] * x[i]
	}
	return (s0 + s1) + (s2 + s3)
}

func sinc(x float64) float64 {
	if x == 0 {
		return 1
	}
	return math.Sin(math.Pi*x) / (math.Pi * x)
}

// besselI0 is the modified Bessel function of the first kind, order 0, by
// its power series; it converges fast for the betas a Kaiser window uses.
func besselI0(x float64) float64 {
	sum, term := 1.0, 1.0
	for k := 1; k < 200; k++ {
		f := x / (2 * float64(k))
		term *= f * f
		sum += term
		if term < sum*1e-16 {
			break
		}
	}
	return sum
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}
