package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/sidenote-app/sidenote/transcribe"
	"github.com/sidenote-app/sidenote/transcribe/audio"
	"github.com/sidenote-app/sidenote/transcribe/subtitle"
	"github.com/sidenote-app/sidenote/transcribe/whisper"
)

func cmdTranscribe(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "transcribe", "[flags] FILE.wav")
	model := fs.String("m", "", "speech model: a name from 'sidenote models list' or a file path (default: the default model)")
	lang := fs.String("l", "auto", "spoken language: auto, or a code such as en, sv, de")
	threads := fs.Int("t", whisper.DefaultThreads(), "CPU threads for the speech model, 1 to the number of CPUs")
	prompt := fs.String("prompt", "", "names and terms to spell right, e.g. \"Åsa Lindqvist, Kubernetes\"")
	translate := fs.Bool("translate", false, "translate the speech into English")
	format := fs.String("f", "", "output format: txt, srt, vtt or json (default: from -o's extension, else txt)")
	out := fs.String("o", "", "write to this file instead of standard output")
	noFallback := fs.Bool("no-fallback", false, "decode once, without retrying unsure windows at higher temperature (faster, a little less accurate)")
	maxTokens := fs.Int("max-tokens", 0, "at most this many tokens per segment (0: no limit)")
	noVAD := fs.Bool("no-vad", false, "decode the silence too, instead of skipping non-speech with the Silero detector")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageErrorf("give exactly one WAV file, got %d arguments", len(pos))
	}
	if *maxTokens < 0 {
		return usageErrorf("-max-tokens must not be negative")
	}
	nThreads, err := checkThreads(e.stderr, "transcribe", *threads)
	if err != nil {
		return err
	}
	f, err := outputFormat(*format, *out)
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}

	// Open the audio before loading the model: a wrong file name should
	// fail at once, not after seconds of loading.
	wav, err := audio.OpenWAV(pos[0])
	if err != nil {
		return err
	}
	defer wav.Close()

	lib := modelLibrary(e)
	modelPath, err := lib.Resolve(*model)
	if err != nil {
		return err
	}
	m, err := whisper.Load(modelPath, whisper.LoadOptions{})
	if err != nil {
		return err
	}
	defer m.Close()
	if err := checkLanguage(m, *lang, *translate); err != nil {
		return err
	}

	total := wav.Format().Duration
	var bar *progressBar
	if isTerminal(e.stderr) {
		bar = newProgressBar(e.stderr, filepath.Base(pos[0]))
		defer bar.Done()
	}
	rec := &whisper.ProgressRecognizer{Recognizer: whisper.Recognizer{Model: m, Options: whisper.Options{
		Language:            *lang,
		Translate:           *translate,
		Threads:             nThreads,
		InitialPrompt:       *prompt,
		TemperatureFallback: !*noFallback,
		MaxTokensPerSegment: *maxTokens,
	}}}
	if !*noVAD {
		rec.Options.VADModel = fileVADModel(e)
	}
	if bar != nil {
		rec.OnProgress = func(done time.Duration) {
			bar.Set(done.Seconds(), total.Seconds(), subtitle.Clock(done)+" / "+subtitle.Clock(total))
		}
	}
	segs, err := transcribe.File(ctx, wav, rec, transcribe.FileOptions{Total: total})
	if err != nil {
		return err
	}
	if bar != nil {
		bar.Done()
	}

	cues := make([]subtitle.Cue, 0, len(segs))
	for _, s := range segs {
		cues = append(cues, subtitle.Cue{Start: s.Start, End: s.End, Text: s.Text})
	}
	if *out == "" {
		return subtitle.Write(e.stdout, f, cues)
	}
	return writeFileAtomic(*out, func(w io.Writer) error { return subtitle.Write(w, f, cues) })
}

// checkLanguage refuses a language the model cannot do before any audio is
// processed, rather than failing on the first window minutes later.
func checkLanguage(m *whisper.Model, lang string, translate bool) error {
	if !m.IsMultilingual() {
		if lang != "auto" && lang != "" && lang != "en" {
			return fmt.Errorf("%s is an English-only model; for %q pick a multilingual one (sidenote models list)", filepath.Base(m.Path()), lang)
		}
		if translate {
			return fmt.Errorf("%s is an English-only model and cannot translate; pick a multilingual one", filepath.Base(m.Path()))
		}
		return nil
	}
	if lang == "auto" || lang == "" {
		return nil
	}
	for _, l := range m.Languages() {
		if l == lang {
			return nil
		}
	}
	return fmt.Errorf("language %q is not one this model knows; use a code such as en, sv, de, or auto", lang)
}

// outputFormat picks the format from -f, else from -o's extension, else txt.
func outputFormat(flagValue, out string) (subtitle.Format, error) {
	if flagValue != "" {
		return subtitle.ParseFormat(flagValue)
	}
	if ext := filepath.Ext(out); ext != "" {
		if f, err := subtitle.ParseFormat(ext); err == nil {
			return f, nil
		}
	}
	return subtitle.Text, nil
}
