//go:build !race

package transcribe_test

const raceEnabled = false
