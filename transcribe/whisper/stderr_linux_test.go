package whisper_test

import (
	"io"
	"os"
	"syscall"
	"testing"
)

// captureStderr runs fn with file descriptor 2 pointed at a temp file, so
// it sees what C code writes there (os.Stderr swaps would not), and returns
// what was written.
func captureStderr(t *testing.T, fn func()) string {
	t.Helper()
	f, err := os.CreateTemp(t.TempDir(), "stderr")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	saved, err := syscall.Dup(2)
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Dup3(int(f.Fd()), 2, 0); err != nil {
		t.Fatal(err)
	}
	func() {
		defer func() {
			syscall.Dup3(saved, 2, 0)
			syscall.Close(saved)
		}()
		fn()
	}()
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
