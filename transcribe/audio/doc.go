// Package audio turns microphones and recordings into what the recognizer
// eats: 16 kHz mono float32 samples, delivered in windows so that a 3-hour
// file never sits in memory whole, and writes recordings that survive a
// crash.
//
// Capture reads a PortAudio input device (cgo, in capture_portaudio.go and
// capture_callback.go). The audio callback only copies into a preallocated
// single-producer ring (no allocation, no locks); a full ring drops the
// newest frames and counts them. Read, on the consumer's goroutine, downmixes
// and resamples to 16 kHz. A lost device surfaces as ErrDeviceLost until
// Reopen succeeds.
//
// Player plays a recording on an output device from any position, at 1×,
// 1.5× or 2× without changing pitch (Stretcher, WSOLA); as with capture, the
// PortAudio callback only copies from a ring that a feeder goroutine fills.
//
// Recorder writes 16-bit mono WAV and rewrites the header's sizes after every
// chunk, so a killed process leaves a file that plays to its last write;
// RepairWAV fixes files written by anything less careful.
//
// WAVReader decodes PCM (8-bit unsigned, 16, 24 and 32-bit integers) and
// IEEE float (32 and 64-bit) WAV files, plain or WAVE_FORMAT_EXTENSIBLE, at
// any rate and channel count; channels are averaged to mono and the rate is
// converted by Resampler, a band-limited windowed-sinc filter. Damaged files
// get errors that say what is wrong and what to do; a recording cut off
// mid-write is still read as far as it goes. SeekTo moves a reader to any
// sample with one file seek, giving the samples a read from the start would,
// so the Player's jumps cost the same anywhere in a recording.
//
// Time is counted in samples: the n-th sample Read returns is at n/16000 s
// from the start of the file, however the reads were split.
//
// The file is parsed here rather than with go-audio/wav v1.1.0's Decoder,
// on evidence from its source and from feeding it this package's test files:
// it returns 32-bit float samples as their raw bits read as integers (0.5
// comes out as 1056964608); it drops the fmt chunk's extension, so an
// extensible file cannot be told float from PCM; it counts the RIFF pad byte
// of an odd-sized data chunk as audio, so 8-bit and mono 24-bit files gain a
// phantom last sample (a full-scale -1 for 8-bit); its riff.Parser ignores a
// failed read of a chunk size; and it decodes one sample per interface call.
// The tests also check that this reader reads what go-audio/wav's encoder
// writes, finished or killed mid-recording.
package audio
