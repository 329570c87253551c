package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sort"
	"strings"

	"github.com/sidenote-app/sidenote/app/desktop"
	"github.com/sidenote-app/sidenote/app/paths"
	"github.com/sidenote-app/sidenote/transcribe/whisper"
)

// ioEnv is the process's streams, passed in so tests run commands in-process.
type ioEnv struct {
	stdin          io.Reader
	stdout, stderr io.Writer
}

// env is what every command gets: streams, the data folder and a logger.
type env struct {
	ioEnv
	dirs paths.Dirs
	log  *slog.Logger
}

// command is one subcommand. run gets the arguments after its name.
type command struct {
	name    string
	args    string // usage after the name, e.g. "[flags] FILE.wav"
	summary string
	run     func(ctx context.Context, e *env, args []string) error
}

// errUsage marks an error caused by how the command was called; the usage
// line is printed after it.
var errUsage = errors.New("usage")

func usageErrorf(format string, a ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{errUsage}, a...)...)
}

func commands() []command {
	return []command{
		{"transcribe", "[flags] FILE.wav", "transcribe a WAV file with the local speech model", cmdTranscribe},
		{"models", "list|download|import|verify|default ...", "list, download, import and check speech models", cmdModels},
		{"list", listArgs, "list the interviews in your library", cmdList},
		{"search", searchArgs, "find words in notes, questions and transcripts", cmdSearch},
		{"show", "ID", "print an interview: details, notes, questions and transcript in time order", cmdShow},
		{"export", exportArgs, "write an interview as Markdown, JSON, SRT, WebVTT or text", cmdExport},
		{"import", "FILE.json...", "add interviews from JSON exports to your library", cmdImport},
		{"delete", "ID [-y]", "delete an interview with its notes, transcript and recordings", cmdDelete},
		{"templates", templatesUsage, "list, import and export question templates", cmdTemplates},
		{"recover", "", "list interviews that did not end (interrupted, or live in another Sidenote)", cmdRecover},
		{"end", "ID", "end an interrupted interview without resuming it", cmdEnd},
		{"live", liveArgs, "transcribe the microphone (and the call) live into a new interview", cmdLive},
		{"devices", "[-json]", "list the audio inputs sidenote can listen to", cmdDevices},
		{"vad", "[-json] FILE.wav", "print the speech regions live transcription would send to whisper", cmdVAD},
		{"demo", demoArgs, "open the window over made-up interviews, without microphone or model", cmdDemo},
		{"version", "", "print the version", cmdVersion},
	}
}

// run executes one command line and returns the process exit code: 0 on
// success, 1 when the command failed, 2 when it was called wrongly.
func run(ctx context.Context, args []string, io ioEnv) int {
	global := flag.NewFlagSet("sidenote", flag.ContinueOnError)
	global.SetOutput(io.stderr)
	dataDir := global.String("data-dir", "", "folder for interviews, recordings and models (default: $"+paths.EnvDataDir+" or the system's data folder)")
	verbose := global.Bool("v", false, "log what happens, including the speech engine's own messages")
	global.Usage = func() { printUsage(io.stderr, global) }
	if err := global.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	dirs, err := paths.Resolve(*dataDir)
	if err != nil {
		fmt.Fprintf(io.stderr, "sidenote: %v\n", err)
		return 1
	}
	level := slog.LevelWarn
	if *verbose {
		level = slog.LevelDebug
	}
	e := &env{ioEnv: io, dirs: dirs, log: slog.New(slog.NewTextHandler(io.stderr, &slog.HandlerOptions{Level: level}))}
	e.dirs.Log = e.log // a data folder others can read is worth a warning on stderr
	if *verbose {
		// whisper.cpp's own messages (model geometry, timings) are silent
		// unless asked for: they would bury the transcript on stderr.
		whisper.SetLogger(e.log)
		defer whisper.SetLogger(nil)
	}

	rest := global.Args()
	if len(rest) == 0 {
		// Before anything is built: without a display nothing may be
		// created, not even the data folder.
		if err := desktop.CheckDisplay(); err != nil {
			return reportErr(io.stderr, "", err)
		}
		return reportErr(io.stderr, "", desktop.Run(ctx, desktopEnv(e)))
	}
	name := rest[0]
	if name == "help" || name == "-h" || name == "--help" {
		printUsage(io.stdout, global)
		return 0
	}
	for _, c := range commands() {
		if c.name == name {
			err := c.run(ctx, e, rest[1:])
			if errors.Is(err, flag.ErrHelp) {
				return 0
			}
			if errors.Is(err, errUsage) {
				fmt.Fprintf(io.stderr, "sidenote %s: %s\nusage: sidenote %s %s\n", name, printable(strings.TrimPrefix(err.Error(), errUsage.Error()+": ")), c.name, c.args)
				return 2
			}
			return reportErr(io.stderr, name, err)
		}
	}
	fmt.Fprintf(io.stderr, "sidenote: unknown command %q; run 'sidenote help' for the list\n", name)
	return 2
}

// reportErr prints err as one line, the form scripts and people both read,
// escaped (printable): an error can quote a title from an imported file.
func reportErr(w io.Writer, cmd string, err error) int {
	if err == nil {
		return 0
	}
	prefix := "sidenote"
	if cmd != "" {
		prefix += " " + cmd
	}
	if errors.Is(err, context.Canceled) {
		fmt.Fprintf(w, "%s: interrupted\n", prefix)
		return 130
	}
	fmt.Fprintf(w, "%s: %s\n", prefix, printable(strings.ReplaceAll(err.Error(), "\n", " ")))
	return 1
}

func printUsage(w io.Writer, global *flag.FlagSet) {
	fmt.Fprintln(w, "Sidenote: an interview companion with local, private transcription.")
	fmt.Fprintln(w, "\nusage: sidenote [global flags] [command] [arguments]")
	fmt.Fprintln(w, "       sidenote            open the window")
	fmt.Fprintln(w, "\ncommands:")
	cmds := commands()
	sort.Slice(cmds, func(i, j int) bool { return cmds[i].name < cmds[j].name })
	for _, c := range cmds {
		fmt.Fprintf(w, "  %-11s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nglobal flags:")
	global.SetOutput(w)
	global.PrintDefaults()
	fmt.Fprintln(w, "\nRun 'sidenote COMMAND -h' for a command's flags.")
}

// newFlags makes a command's flag set that reports errors through run.
func newFlags(e *env, c string, args string) *flag.FlagSet {
	fs := flag.NewFlagSet("sidenote "+c, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "usage: sidenote %s %s\n", c, args)
		fs.PrintDefaults()
	}
	return fs
}

// parseInterspersed parses flags that may come before or after positional
// arguments ("transcribe talk.wav -f srt" as well as "-f srt talk.wav"),
// which Go's flag package alone stops at.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, fmt.Errorf("%w: %v", errUsage, err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// isTerminal reports whether w is a terminal, where progress bars belong.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// desktopEnv is what the window is built from.
func desktopEnv(e *env) desktop.Env {
	return desktop.Env{Dirs: e.dirs, Models: modelLibrary(e), Log: e.log, Stderr: e.stderr}
}

// version is set at build time with -ldflags "-X main.version=…".
var version = "0.1.0-dev"

func cmdVersion(_ context.Context, e *env, _ []string) error {
	fmt.Fprintf(e.stdout, "sidenote %s\n", version)
	return nil
}
