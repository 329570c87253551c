package audio

// Sanitize makes samples safe for everything downstream, in place, and
// returns how many it changed: NaN becomes 0 and anything outside
// [-1, 1] (±Inf included) is clamped to the nearest end.
//
// Float devices can deliver such values (PipeWire and Pulse floats,
// loopback drivers, CoreAudio, WASAPI, a short read that leaves a period
// uninitialised). One NaN is enough to turn a noise-floor estimate, a
// spectrogram or an LSTM state into NaN for good, so they are stopped where
// audio enters the pipeline. Clamping rather than zeroing out-of-range
// values keeps the waveform's shape for the overdriven input it usually is.
func Sanitize(samples []float32) int {
	n := 0
	for i, x := range samples {
		// One comparison pair for the common case; NaN fails both.
		if x >= -1 && x <= 1 {
			continue
		}
		n++
		switch {
		case x > 1:
			samples[i] = 1
		case x < -1:
			samples[i] = -1
		default:
			samples[i] = 0
		}
	}
	return n
}
