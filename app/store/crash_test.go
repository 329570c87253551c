package store

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/sidenote-app/sidenote/app/interview"
)

const (
	crashChildEnv = "SIDENOTE_STORE_CRASH_CHILD" // database path for the child
	crashIDEnv    = "SIDENOTE_STORE_CRASH_INTERVIEW"
)

// TestCrashChild is not a test on its own: TestCrashKeepsSavedNotes runs
// the test binary again with this test selected and the environment set.
// It writes notes and segments as a live interview would, printing each
// id only after its commit returned, until it is killed.
func TestCrashChild(t *testing.T) {
	path := os.Getenv(crashChildEnv)
	if path == "" {
		t.Skip("helper process for TestCrashKeepsSavedNotes")
	}
	ivID, _ := strconv.ParseInt(os.Getenv(crashIDEnv), 10, 64)
	s, err := Open(path)
	if err != nil {
		fmt.Printf("error %v\n", err)
		os.Exit(2)
	}
	ctx := context.Background()
	out := bufio.NewWriter(os.Stdout)
	for i := 0; ; i++ {
		n := interview.Note{InterviewID: ivID, AtMs: int64(i) * 1000, Text: fmt.Sprintf("crash note %d #saved", i)}
		if err := s.AddNote(ctx, &n); err != nil {
			fmt.Printf("error %v\n", err)
			os.Exit(2)
		}
		fmt.Fprintf(out, "note %d %s\n", n.ID, n.Text)
		out.Flush()
		segs := []interview.Segment{
			{InterviewID: ivID, Source: interview.SourceYou, StartMs: int64(i) * 1000, EndMs: int64(i)*1000 + 900, Text: fmt.Sprintf("you said %d", i)},
			{InterviewID: ivID, Source: interview.SourceThem, StartMs: int64(i) * 1000, EndMs: int64(i)*1000 + 800, Text: fmt.Sprintf("they said %d", i)},
		}
		if err := s.AppendSegments(ctx, segs); err != nil {
			fmt.Printf("error %v\n", err)
			os.Exit(2)
		}
		fmt.Fprintf(out, "segment %d\nsegment %d\n", segs[0].ID, segs[1].ID)
		out.Flush()
	}
}

// TestCrashKeepsSavedNotes kills a writing process with SIGKILL at random
// moments, several times, and checks that every note and segment it
// reported as saved is there, that the file passes integrity_check, and
// that the interview it left live is recovered as interrupted.
func TestCrashKeepsSavedNotes(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	path := filepath.Join(t.TempDir(), "sidenote.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	iv := mustInterview(t, s, "crashy")
	s.Close()

	seed := time.Now().UnixNano()
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(uint64(seed), 0))
	notes := map[int64]string{}
	var segments []int64
	for round := range 5 {
		s, err := Open(path)
		if err != nil {
			t.Fatalf("round %d: reopen: %v", round, err)
		}
		if _, err := s.SetState(ctx, iv.ID, interview.StateLive); err != nil {
			t.Fatalf("round %d: go live: %v", round, err)
		}
		s.Close()

		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), crashChildEnv+"="+path, crashIDEnv+"="+strconv.FormatInt(iv.ID, 10))
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Kill after a random number of reported writes, plus a random
		// pause so the kill can land anywhere inside the next commit.
		killAfter := 1 + rng.IntN(150)
		pause := time.Duration(rng.IntN(3000)) * time.Microsecond
		var once sync.Once
		kill := func() { once.Do(func() { cmd.Process.Signal(syscall.SIGKILL) }) }
		sc := bufio.NewScanner(stdout)
		lines := 0
		for sc.Scan() {
			f := strings.SplitN(sc.Text(), " ", 3)
			switch f[0] {
			case "note":
				id, _ := strconv.ParseInt(f[1], 10, 64)
				notes[id] = f[2]
			case "segment":
				id, _ := strconv.ParseInt(f[1], 10, 64)
				segments = append(segments, id)
			default:
				kill()
				t.Fatalf("round %d: child: %s", round, sc.Text())
			}
			if lines++; lines == killAfter {
				go func() { time.Sleep(pause); kill() }()
			}
		}
		cmd.Wait()
		kill()
		if lines < killAfter {
			t.Fatalf("round %d: child stopped after %d writes before being killed", round, lines)
		}

		s, err = Open(path)
		if err != nil {
			t.Fatalf("round %d: reopen after kill: %v", round, err)
		}
		if err := s.Check(ctx); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		ids, err := s.Recover(ctx)
		if err != nil || len(ids) != 1 || ids[0] != iv.ID {
			t.Errorf("round %d: Recover = %v, %v; want [%d]", round, ids, err, iv.ID)
		}
		for id, text := range notes {
			n, err := s.Note(ctx, id)
			if err != nil || n.Text != text || !n.HasTag("saved") {
				t.Errorf("round %d: note %d reported saved: got %+v, %v", round, id, n, err)
			}
		}
		for _, id := range segments {
			if _, err := s.Segment(ctx, id); err != nil {
				t.Errorf("round %d: segment %d reported saved: %v", round, id, err)
			}
		}
		hits, err := s.Search(ctx, "saved", SearchOptions{Kinds: []Kind{KindNote}, Limit: 1 << 30})
		if err != nil || len(hits) < len(notes) {
			t.Errorf("round %d: search finds %d saved notes, %v; want at least %d", round, len(hits), err, len(notes))
		}
		s.Close()
	}
	t.Logf("%d notes and %d segments checked over 5 kills", len(notes), len(segments))
}
