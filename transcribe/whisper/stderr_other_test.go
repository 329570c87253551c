//go:build !linux

package whisper_test

import "testing"

// captureStderr needs dup3 to redirect file descriptor 2; elsewhere the
// stderr checks are skipped.
func captureStderr(t *testing.T, fn func()) string {
	t.Skip("stderr capture is implemented for Linux only")
	return ""
}
