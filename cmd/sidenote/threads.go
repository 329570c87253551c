package main

import (
	"fmt"
	"io"
	"runtime"
)

// checkThreads vets the -t flag of command cmd ("transcribe", "live").
// Below 1 is a usage error. More threads than CPUs only makes whisper.cpp
// slower (and -t 10000 would start ten thousand threads), so a larger value
// is lowered to runtime.NumCPU() with a note on stderr saying what is used.
func checkThreads(stderr io.Writer, cmd string, n int) (int, error) {
	if n < 1 {
		return 0, usageErrorf("-t must be at least 1, got %d", n)
	}
	cpus := runtime.NumCPU()
	if n <= cpus {
		return n, nil
	}
	unit := "threads"
	if cpus == 1 {
		unit = "thread"
	}
	fmt.Fprintf(stderr, "sidenote %s: -t %d is more than this computer has; using %d %s, the number of CPUs\n", cmd, n, cpus, unit)
	return cpus, nil
}
