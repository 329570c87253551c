package live

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sidenote-app/sidenote/app/interview"
	"github.com/sidenote-app/sidenote/app/store"
	"github.com/sidenote-app/sidenote/transcribe"
	"github.com/sidenote-app/sidenote/transcribe/transcribetest"
)

// The full-disk test: a child process runs an interview under a file size
// limit (RLIMIT_FSIZE, SIGXFSZ ignored), so the database's writes fail
// with EFBIG part-way, as on a full disk. It prints each final the run
// reports (the run reports a final only once it is stored), then how the
// run ended. The parent checks that every printed final is stored and
// that the run gave up on its own, leaving the interview interrupted with
// the reason.
const diskChildEnv = "SIDENOTE_LIVE_DISK_CHILD"

func diskChild() int {
	dir := os.Getenv(diskChildEnv)
	st, err := store.Open(filepath.Join(dir, "sidenote.db"))
	if err != nil {
		fmt.Println("ERR", err)
		return 1
	}
	ctx := context.Background()
	iv := interview.Interview{Title: "Full disk", Mode: interview.ModeInterviewer}
	if err := st.CreateInterview(ctx, &iv); err != nil {
		fmt.Println("ERR", err)
		return 1
	}
	// Closing folds the write-ahead log into the database file: then the
	// file's size is the library's, and the limit leaves it a little room.
	st.Close()
	fi, err := os.Stat(filepath.Join(dir, "sidenote.db"))
	if err != nil {
		fmt.Println("ERR", err)
		return 1
	}
	limit := uint64(fi.Size()) + 16<<10
	signal.Ignore(syscall.SIGXFSZ)
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: limit, Max: limit}); err != nil {
		fmt.Println("ERR", err)
		return 1
	}
	if st, err = store.Open(filepath.Join(dir, "sidenote.db")); err != nil {
		fmt.Println("ERR", err)
		return 1
	}
	var bursts []transcribetest.Burst
	for at := time.Second; at < 20*time.Minute; at += 3 * time.Second {
		bursts = append(bursts, transcribetest.Burst{At: at, Dur: 1500 * time.Millisecond})
	}
	speech := transcribetest.Scene(1, 20*time.Minute, bursts...)
	run, err := Start(ctx, Options{Store: st, InterviewID: iv.ID, Recognizer: transcribetest.Spans{},
		LockDir:     filepath.Join(dir, "locks"),
		Inputs:      []Input{{Source: transcribe.SourceYou, Reader: &blockAfter{r: &transcribetest.Samples{Data: speech}, closed: make(chan struct{})}}},
		GiveUpAfter: time.Second,
		OnEvent: func(ev transcribe.Event) {
			if ev.Kind == transcribe.EventFinal {
				for _, s := range ev.Segments {
					fmt.Println("FINAL", s.Start.Milliseconds(), s.Text)
				}
			}
		}})
	if err != nil {
		fmt.Println("ERR", err)
		return 1
	}
	select {
	case <-run.Done():
	case <-time.After(2 * time.Minute):
		fmt.Println("ERR the run did not give up")
		return 1
	}
	got, err := run.End(ctx)
	fmt.Printf("DONE %s %q %d %v\n", got.State, got.StateReason, len(run.Unsaved()), err)
	return 0
}

func TestRunGivesUpOnAFullDisk(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a child process")
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), diskChildEnv+"="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	type final struct {
		at   int64
		text string
	}
	var finals []final
	var done string
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		line := sc.Text()
		f := strings.Fields(line)
		switch {
		case len(f) == 0:
		case f[0] == "ERR":
			t.Fatalf("child: %s (after %d finals)", line, len(finals))
		case f[0] == "FINAL":
			at, _ := strconv.ParseInt(f[1], 10, 64)
			finals = append(finals, final{at, strings.Join(f[2:], " ")})
		case f[0] == "DONE":
			done = line
		}
	}
	cmd.Wait()
	if !strings.HasPrefix(done, "DONE interrupted") || !strings.Contains(done, "disk full") {
		t.Fatalf("the run ended %q, want interrupted because the disk is full", done)
	}
	st, err := store.Open(filepath.Join(dir, "sidenote.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	// Where the disk stayed too full to store even the end, the next start
	// finds the interview live, nobody holding it, and the reason in its
	// lock file.
	if _, err := Recover(context.Background(), st, filepath.Join(dir, "locks")); err != nil {
		t.Fatal(err)
	}
	b, err := st.Load(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if b.Interview.State != interview.StateInterrupted || !strings.Contains(b.Interview.StateReason, "disk full") {
		t.Errorf("stored state %s (%q), want interrupted: disk full", b.Interview.State, b.Interview.StateReason)
	}
	have := map[final]bool{}
	for _, s := range b.Segments {
		have[final{s.StartMs, s.Text}] = true
	}
	if len(finals) == 0 {
		t.Fatal("nothing was stored before the disk filled")
	}
	for _, f := range finals {
		if !have[f] {
			t.Errorf("final %+v was reported and is not stored", f)
		}
	}
	t.Logf("%d finals stored before the disk filled; %s", len(finals), done)
}
