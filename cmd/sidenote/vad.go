package main

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/sidenote-app/sidenote/transcribe"
	"github.com/sidenote-app/sidenote/transcribe/audio"
	"github.com/sidenote-app/sidenote/transcribe/vad"
	"github.com/sidenote-app/sidenote/transcribe/whisper"
	"github.com/sidenote-app/sidenote/transcribe/whisper/silero"
)

// fileVADModel is the Silero model whisper.cpp skips non-speech with in
// `transcribe`, validated; "" (said on stderr) decodes everything.
func fileVADModel(e *env) string {
	path, err := silero.Find()
	if err == nil {
		if err = silero.Validate(path); err == nil {
			return path
		}
	}
	fmt.Fprintf(e.stderr, "sidenote: transcribing silence too (slower): %v\n", err)
	return ""
}

type speechRegion struct {
	StartMs int64 `json:"start_ms"`
	EndMs   int64 `json:"end_ms"`
}

func cmdVAD(_ context.Context, e *env, args []string) error {
	fs := newFlags(e, "vad", "[-json] [-energy] FILE.wav")
	asJSON := fs.Bool("json", false, `print [{"start_ms":…,"end_ms":…}]`)
	energy := fs.Bool("energy", false, "use the energy detector (the fallback) instead of Silero")
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return fmt.Errorf("%w: want one WAV file", errUsage)
	}
	samples, _, err := audio.ReadWAV16k(rest[0])
	if err != nil {
		return err
	}
	newSeg, name := vad.ForSession(vad.SegmenterConfig{}), "energy"
	if !*energy {
		newSeg, name = whisper.SpeechDetector(e.stderr)
	}
	regions, err := speechRegions(newSeg, samples)
	if err != nil {
		return err
	}
	if *asJSON {
		return json.NewEncoder(e.stdout).Encode(regions)
	}
	var speech time.Duration
	for _, r := range regions {
		d := time.Duration(r.EndMs-r.StartMs) * time.Millisecond
		speech += d
		fmt.Fprintf(e.stdout, "%s  %s  %5.2f s\n", msClock(r.StartMs), msClock(r.EndMs), d.Seconds())
	}
	fmt.Fprintf(e.stderr, "%d speech regions, %.1f s of %.1f s (%s detector)\n", len(regions), speech.Seconds(),
		transcribe.Samples(int64(len(samples))).Seconds(), name)
	return nil
}

// speechRegions runs samples through a segmenter made as a live session
// makes one (its default partial interval and maximum utterance, chunks
// of 50 ms) and returns the utterances it would send to whisper as final.
func speechRegions(newSeg func(transcribe.SegmenterOptions) (transcribe.Segmenter, error), samples []float32) ([]speechRegion, error) {
	seg, err := newSeg(transcribe.SegmenterOptions{PartialEvery: vad.DefaultPartialEvery, MaxUtterance: vad.DefaultMaxUtterance})
	if err != nil {
		return nil, err
	}
	if c, ok := seg.(interface{ Close() error }); ok {
		defer c.Close()
	}
	regions := []speechRegion{}
	take := func(evs []transcribe.UtteranceEvent) {
		for _, ev := range evs {
			if ev.Kind == transcribe.UtteranceEnded {
				regions = append(regions, speechRegion{ev.Start * 1000 / transcribe.SampleRate, ev.End * 1000 / transcribe.SampleRate})
			}
		}
	}
	const chunk = transcribe.SampleRate / 20
	for i := 0; i < len(samples); i += chunk {
		take(seg.Write(samples[i:min(i+chunk, len(samples))]))
	}
	take(seg.Flush())
	return regions, nil
}

func msClock(ms int64) string {
	return fmt.Sprintf("%02d:%02d.%03d", ms/60000, ms/1000%60, ms%1000)
}
