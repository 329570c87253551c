// Command sidenote is an interview companion: with no arguments it opens the
// window; with a subcommand it transcribes, manages speech models and reads
// the interview library from the terminal. main only wires: each command's
// work lives in the packages under app/ and transcribe/.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	// Ctrl+C, SIGTERM and SIGHUP (logout, a closed terminal) cancel the
	// running command, which then cleans up: a partial download is kept
	// for resuming, a half-written output is removed, a live interview
	// finishes what was said and ends. The signals stay caught until the
	// process exits, so a command can wait for a second one.
	// A file size limit (ulimit -f) must make a write fail, so that the
	// recording is closed cleanly and the transcript kept in memory, not
	// kill the process mid-interview.
	signal.Ignore(syscall.SIGXFSZ)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	code := run(ctx, os.Args[1:], ioEnv{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr})
	stop()
	os.Exit(code)
}
