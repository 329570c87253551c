// Package vad finds speech in a stream of 16 kHz mono samples and cuts it
// into utterances for the recognizer.
//
// Detector is an energy detector: it measures each 10 ms frame (RMS and
// peak in dBFS, for meters), tracks the noise floor of the room, and calls a
// frame voiced when it stands a margin above that floor and above an
// absolute minimum. Onset, hysteresis and hangover turn voiced frames into a
// steady "speaking" state: a click is too short to start speech, and the
// pauses between words are too short to end it.
//
// Segmenter feeds a Detector and keeps the audio around it: a fixed ring of
// recent samples so an utterance can start a little before its onset, and
// the samples of the utterance in progress. It reports each utterance as it
// starts, grows (for partial transcripts) and ends, cutting long monologues
// at their quietest point so that finals keep coming.
//
// Time is counted in samples, never read from a clock: a sample's offset is
// the number of samples written before it plus the configured base. The
// result therefore does not depend on how the stream was chunked or how
// fast it arrived, and a test can replay hours of audio in seconds.
//
// Both types are written for the audio path: after warm-up, writing silence
// allocates nothing and memory stays bounded however long the stream runs.
// Neither is safe for concurrent use; one goroutine owns each.
package vad
