//go:build race

package main

// raceEnabled lets TestBinaryFromFreshShell build with the same flags as
// the test binary, so it reuses the build cache instead of compiling the
// whole Fyne stack a second time.
const raceEnabled = true
