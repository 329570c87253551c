package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/sidenote-app/sidenote/app/interview"
	"github.com/sidenote-app/sidenote/app/live"
	"github.com/sidenote-app/sidenote/app/paths"
	"github.com/sidenote-app/sidenote/app/store"
	"github.com/sidenote-app/sidenote/transcribe"
	"github.com/sidenote-app/sidenote/transcribe/audio"
	"github.com/sidenote-app/sidenote/transcribe/subtitle"
	"github.com/sidenote-app/sidenote/transcribe/whisper"
)

const liveArgs = "[-device NAME] [-call-device NAME] [-model NAME|PATH] [-record] [-title TEXT] [-mode MODE] [-for DURATION]"

func cmdLive(ctx context.Context, e *env, args []string) (rerr error) {
	// The session's event goroutine and this one both print: one lock per
	// stream keeps their lines whole (and the writers race-free).
	tty := isTerminal(e.stdout)
	locked := *e
	locked.stdout, locked.stderr = &lockedWriter{w: e.stdout}, &lockedWriter{w: e.stderr}
	e = &locked
	fs := newFlags(e, "live", liveArgs)
	device := fs.String("device", "", "microphone: a name or index from 'sidenote devices' (default: the system's default input)")
	callDevice := fs.String("call-device", "", "the call's audio, transcribed as \"Them\": a monitor or loopback input (default: none)")
	model := fs.String("model", "", "speech model: a name from 'sidenote models list' or a file path (default: the default model)")
	record := fs.Bool("record", false, "also record the audio; only with the consent of everyone on the call")
	title := fs.String("title", "", "the interview's title (default: \"Live session\" and the date)")
	modeFlag := fs.String("mode", string(interview.ModePractice), "interviewer, candidate or practice")
	lang := fs.String("l", "auto", "spoken language: auto, or a code such as en, sv")
	threads := fs.Int("t", whisper.DefaultThreads(), "CPU threads for the speech model")
	prompt := fs.String("prompt", "", "names and terms to spell right, comma-separated")
	maxTokens := fs.Int("max-tokens", 0, "at most this many tokens per segment (0: no limit)")
	finishWithin := fs.Duration("finish-within", live.DefaultFinishWithin, "when stopping, wait at most this long for what is still being transcribed (the recording keeps the rest)")
	diskWait := fs.Duration("disk-full-wait", live.DefaultGiveUpAfter, "when the transcript cannot be saved (a full disk), keep it in memory and retry this long before stopping")
	dur := fs.Duration("for", 0, "stop by itself after this much interview time, e.g. 30m (default: until Ctrl+C)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageErrorf("unexpected argument %q", pos[0])
	}
	mode, err := interview.ParseMode(*modeFlag)
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	nThreads, err := checkThreads(e.stderr, "live", *threads)
	if err != nil {
		return err
	}
	if *maxTokens < 0 {
		return usageErrorf("-max-tokens must not be negative")
	}
	if *finishWithin <= 0 {
		return usageErrorf("-finish-within must be a positive duration such as 10s, got %v", *finishWithin)
	}
	if *diskWait <= 0 {
		return usageErrorf("-disk-full-wait must be a positive duration such as 2m, got %v", *diskWait)
	}
	if *dur < 0 {
		return usageErrorf("-for must be a positive duration such as 30m, got %v", *dur)
	}

	// Everything that can fail fast does so before the microphone opens.
	modelPath, err := modelLibrary(e).Resolve(*model)
	if err != nil {
		return err
	}
	m, err := whisper.Load(modelPath, whisper.LoadOptions{})
	if err != nil {
		return err
	}
	defer m.Close()
	if err := checkLanguage(m, *lang, false); err != nil {
		return err
	}
	if err := e.dirs.Ensure(); err != nil {
		return err
	}
	st, err := store.Open(e.dirs.Database())
	if err != nil {
		return err
	}
	defer st.Close()

	inputs := []live.Input{}
	// Until the run owns them, the captures are ours to close. (Close is
	// idempotent, so a failed live.Start closing them too is harmless.)
	defer func() {
		if rerr != nil {
			for _, in := range inputs {
				in.Reader.(*audio.Capture).Close()
			}
		}
	}()
	mic, err := audio.OpenCapture(audio.CaptureConfig{Device: *device})
	if err != nil {
		return fmt.Errorf("microphone: %w", err)
	}
	inputs = append(inputs, live.Input{Source: transcribe.SourceYou, Reader: mic})
	if *callDevice != "" {
		call, err := audio.OpenCapture(audio.CaptureConfig{Device: *callDevice})
		if err != nil {
			return fmt.Errorf("call audio: %w", err)
		}
		inputs = append(inputs, live.Input{Source: transcribe.SourceThem, Reader: call})
	}

	iv := interview.Interview{Title: *title, Mode: mode, Language: strings.TrimPrefix(*lang, "auto"), RecordingConsent: *record}
	if iv.Title == "" {
		iv.Title = "Live session " + time.Now().Format("2006-01-02 15:04")
	}
	if err := st.CreateInterview(ctx, &iv); err != nil {
		return err
	}
	var terms []string
	for _, t := range strings.Split(*prompt, ",") {
		if t = strings.TrimSpace(t); t != "" {
			terms = append(terms, t)
		}
	}
	opts := whisper.Options{Language: *lang, Threads: nThreads, MaxTokensPerSegment: *maxTokens,
		InitialPrompt: interview.InitialPrompt(interview.PromptInput{Interview: iv, Terms: terms})}

	out := &liveTerminal{w: e.stdout, tty: tty}
	newSegmenter, _ := whisper.SpeechDetector(e.stderr)
	run, err := live.Start(ctx, live.Options{
		Store: st, InterviewID: iv.ID, Inputs: inputs,
		Recognizer:    &whisper.Recognizer{Model: m, Options: opts},
		RecordingsDir: e.dirs.Recordings(),
		LockDir:       e.dirs.Locks(),
		GiveUpAfter:   *diskWait,
		FinishWithin:  *finishWithin,
		FreeSpace:     func() (uint64, error) { return paths.FreeSpace(e.dirs.Data) },
		OnLowSpace: func(free uint64) {
			fmt.Fprintf(e.stderr, "sidenote live: only %d MB free on the disk of %s; the transcript and recording stop being saved when it is full\n", free>>20, e.dirs.Data)
		},
		OnEvent:      func(ev transcribe.Event) { out.event(e, ev) },
		NewSegmenter: newSegmenter,
		Log:          e.log,
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "Listening (interview %d%s). Press Ctrl+C to finish.\n", iv.ID, map[bool]string{true: ", recording", false: ""}[*record])

	stopAt := make(chan struct{})
	if *dur > 0 {
		go func() {
			t := time.NewTicker(20 * time.Millisecond)
			defer t.Stop()
			for run.Elapsed() < *dur {
				select {
				case <-ctx.Done():
					return
				case <-t.C:
				}
			}
			close(stopAt)
		}()
	}
	select {
	case <-ctx.Done():
	case <-stopAt:
	case <-run.Done():
		// The run gave up by itself (a disk that stayed full).
		out.clearPartial()
		got, err := run.End(context.Background())
		for _, seg := range run.Unsaved() {
			fmt.Fprintf(e.stderr, "not saved: [%s] %s: %s\n", subtitle.Clock(seg.Start), seg.Source.Label(), seg.Text)
		}
		return errors.Join(fmt.Errorf("interview %d stopped and is interrupted: %s; free some space, then resume it in the window or end it with: sidenote end %d",
			iv.ID, got.StateReason, iv.ID), err)
	}

	// The first Ctrl+C (or SIGTERM, SIGHUP) stops capture and finishes
	// the utterance in flight, for at most live.DefaultFinishWithin, then
	// ends the interview: exit 0. A second one gives up on that at once:
	// the interview is left interrupted with everything stored so far,
	// resumable in the window or ended with 'sidenote end', and the exit
	// code is 130.
	out.clearPartial()
	fmt.Fprintf(e.stderr, "Finishing… transcribing what was being said (at most %v; Ctrl+C again to stop now)\n", *finishWithin)
	drain, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	ended, serr := run.End(drain)
	out.clearPartial()
	if ended.State == interview.StateInterrupted {
		fmt.Fprintf(e.stderr, "Stopped: interview %d is interrupted, with everything stored so far. Resume it in the window, or end it with: sidenote end %d\n", iv.ID, iv.ID)
		return fmt.Errorf("stopped before everything was transcribed: %w", context.Canceled)
	}
	fmt.Fprintf(e.stderr, "Saved as interview %d. See it with: sidenote show %d\n", iv.ID, iv.ID)
	if serr != nil && errors.Is(serr, context.DeadlineExceeded) {
		// Ended as asked; only the transcript of the last moments is
		// missing, and the recording (if any) has them.
		fmt.Fprintf(e.stderr, "sidenote live: %v\n", serr)
		return nil
	}
	return serr
}

// liveTerminal prints the transcript as it comes: finals as lines, and on a
// terminal the utterance in progress on a line that rewrites itself.
type liveTerminal struct {
	w       interface{ Write([]byte) (int, error) }
	tty     bool
	mu      sync.Mutex
	partial bool
	// lastOverflow is when lost input was last reported: a busy machine
	// loses some on every read, and one line in overflowEvery says it.
	lastOverflow time.Time
}

const overflowEvery = 30 * time.Second

func (t *liveTerminal) event(e *env, ev transcribe.Event) {
	t.mu.Lock()
	defer t.mu.Unlock()
	switch ev.Kind {
	case transcribe.EventPartial:
		if !t.tty || len(ev.Segments) == 0 {
			return
		}
		fmt.Fprintf(t.w, "\r\x1b[K\x1b[2m[%s] %s: %s…\x1b[0m", subtitle.Clock(ev.Start), ev.Source.Label(), transcribe.JoinText(ev.Segments))
		t.partial = true
	case transcribe.EventFinal:
		t.clearPartialLocked()
		if text := transcribe.JoinText(ev.Segments); text != "" {
			fmt.Fprintf(t.w, "[%s] %s: %s\n", subtitle.Clock(ev.Start), ev.Source.Label(), text)
		}
	case transcribe.EventSinkError:
		t.clearPartialLocked()
		what := "transcript not saved"
		if strings.Contains(strings.ToLower(fmt.Sprint(ev.Err)), "full") {
			what = "disk full"
		}
		fmt.Fprintf(e.stderr, "sidenote live: %s — %d %s waiting, kept in memory and retried (%v)\n", what, ev.Unsaved, plural(ev.Unsaved, "utterance", "utterances"), ev.Err)
	case transcribe.EventSinkRestored:
		fmt.Fprintln(e.stderr, "sidenote live: the transcript is saved again; nothing was lost")
	case transcribe.EventDeviceError, transcribe.EventRecorderError,
		transcribe.EventRecognizerError, transcribe.EventSpoolError:
		t.clearPartialLocked()
		fmt.Fprintf(e.stderr, "sidenote live: %s (%s): %v\n", ev.Kind, ev.Source.Label(), ev.Err)
	case transcribe.EventDeviceRestored:
		fmt.Fprintf(e.stderr, "sidenote live: %s input is back\n", ev.Source.Label())
	case transcribe.EventOverflow:
		if now := time.Now(); now.Sub(t.lastOverflow) < overflowEvery {
			return
		} else {
			t.lastOverflow = now
		}
		t.clearPartialLocked()
		fmt.Fprintf(e.stderr, "sidenote live: %s input lost %d samples so far (the computer is too busy)\n", ev.Source.Label(), ev.Overflows)
	case transcribe.EventInvalidSamples:
		fmt.Fprintf(e.stderr, "sidenote live: the %s input sent invalid samples (NaN, infinite or beyond full scale); they were replaced with silence or clipped, check the device or its driver\n", ev.Source.Label())
	}
}

func (t *liveTerminal) clearPartial() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.clearPartialLocked()
}

func (t *liveTerminal) clearPartialLocked() {
	if t.partial {
		fmt.Fprint(t.w, "\r\x1b[K")
		t.partial = false
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// lockedWriter serialises writes to w.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
