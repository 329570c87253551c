package live

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// ErrLiveElsewhere is wrapped by the error of Start (and of ending or
// recovering) when another process holds the interview live.
var ErrLiveElsewhere = errors.New("live in another Sidenote")

// ElsewhereError names the interview and the process that holds it.
type ElsewhereError struct {
	InterviewID int64
	PID         int // 0 when the lock file does not say
}

func (e *ElsewhereError) Error() string {
	if e.PID > 0 {
		return fmt.Sprintf("interview %d is live in another Sidenote (pid %d)", e.InterviewID, e.PID)
	}
	return fmt.Sprintf("interview %d is live in another Sidenote", e.InterviewID)
}

func (e *ElsewhereError) Is(target error) bool { return target == ErrLiveElsewhere }

// Lock is one process's claim on a live interview: an exclusive flock on a
// file in the data folder's locks folder. The kernel releases it when the
// process dies, however it dies, so a lock that can be taken means nobody
// is running the interview; there is no stale lock to clean up. The file
// holds the owner's pid, for the message a second process shows.
type Lock struct {
	f *os.File
}

// lockPath is where the lock of interview id lives in dir.
func lockPath(dir string, id int64) string {
	return filepath.Join(dir, fmt.Sprintf("interview-%d.lock", id))
}

// AcquireLock claims interview id for this process, or returns an
// *ElsewhereError when another process has it. The lock file stays in
// place after Release: removing it would race with a process that has it
// open and is about to lock it.
func AcquireLock(dir string, id int64) (*Lock, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("locks folder: %w", err)
	}
	f, err := os.OpenFile(lockPath(dir, id), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("interview %d lock: %w", id, err)
	}
	if err := tryLock(f); err != nil {
		pid := readPID(f)
		f.Close()
		if errors.Is(err, errLocked) {
			return nil, &ElsewhereError{InterviewID: id, PID: pid}
		}
		return nil, fmt.Errorf("interview %d lock: %w", id, err)
	}
	return &Lock{f: f}, nil
}

// Note keeps why the run stopped in the lock file, for when the store
// could not take it (a full disk): the next Recover reads it back. The
// file already holds a block for the pid, so a short reason fits without
// new space.
func (l *Lock) Note(reason string) error {
	if l == nil || l.f == nil {
		return nil
	}
	if len(reason) > 1000 {
		reason = reason[:1000]
	}
	reason = strings.ReplaceAll(reason, "\n", " ")
	_, err := l.f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"+reason+"\n"), 0)
	return err
}

// noted is the reason a lock file keeps (see Note), or "".
func (l *Lock) noted() string {
	if l == nil || l.f == nil {
		return ""
	}
	buf := make([]byte, 1100)
	n, _ := l.f.ReadAt(buf, 0)
	_, reason, _ := strings.Cut(string(buf[:n]), "\n")
	return strings.TrimSpace(reason)
}

// Release gives the interview up. Safe on nil and more than once.
func (l *Lock) Release() error {
	if l == nil || l.f == nil {
		return nil
	}
	err := l.f.Close() // closing the descriptor drops the flock
	l.f = nil
	return err
}

// HeldElsewhere reports whether another process holds interview id live,
// and its pid when the lock file says. It takes and drops the lock to find
// out, so it must not be called for an interview this process runs.
func HeldElsewhere(dir string, id int64) (pid int, held bool) {
	if dir == "" {
		return 0, false
	}
	l, err := AcquireLock(dir, id)
	var e *ElsewhereError
	if errors.As(err, &e) {
		return e.PID, true
	}
	l.Release()
	return 0, false
}

func readPID(f *os.File) int {
	buf := make([]byte, 32)
	n, _ := f.ReadAt(buf, 0)
	first, _, _ := strings.Cut(string(buf[:n]), "\n")
	pid, _ := strconv.Atoi(strings.TrimSpace(first))
	return pid
}

// claimed marks a lock just taken as this process's: its pid, for the
// message a second process shows, and no reason yet. Recover reads the
// previous owner's reason before this.
func (l *Lock) claimed() {
	// The pid is only for the message; a failure to write it is harmless.
	if err := l.f.Truncate(0); err == nil {
		l.f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
}
