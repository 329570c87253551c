package store

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/sidenote-app/sidenote/app/interview"
)

// testClock is a wall clock the test moves by hand; each reading advances
// it by a millisecond so created/updated stamps are distinct and ordered.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *testClock {
	return &testClock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Millisecond)
	return c.t
}

func (c *testClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// openTest opens a store on a fresh file under t.TempDir (never :memory:,
// whose journaling differs from WAL on disk).
func openTest(t testing.TB) (*Store, *testClock) {
	t.Helper()
	clk := newClock()
	s, err := Open(filepath.Join(t.TempDir(), "data", "sidenote.db"), WithClock(clk.Now))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s, clk
}

func mustInterview(t testing.TB, s *Store, title string) interview.Interview {
	t.Helper()
	iv := interview.Interview{Title: title, Mode: interview.ModeInterviewer}
	if err := s.CreateInterview(context.Background(), &iv); err != nil {
		t.Fatalf("CreateInterview: %v", err)
	}
	return iv
}

func TestOpenCreatesPrivateFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "new", "sidenote")
	path := filepath.Join(dir, "sidenote.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for p, want := range map[string]os.FileMode{dir: 0o700 | os.ModeDir, path: 0o600} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode() != want {
			t.Errorf("%s mode = %v, want %v", p, st.Mode(), want)
		}
	}
	if s.Path() != path {
		t.Errorf("Path() = %q, want %q", s.Path(), path)
	}
	var mode string
	if err := s.r.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q, %v; want wal", mode, err)
	}
	var fk, sync int
	if err := s.w.QueryRow("PRAGMA foreign_keys").Scan(&fk); err != nil || fk != 1 {
		t.Errorf("foreign_keys = %d, %v; want 1", fk, err)
	}
	if err := s.w.QueryRow("PRAGMA synchronous").Scan(&sync); err != nil || sync != 2 {
		t.Errorf("synchronous = %d, %v; want 2 (FULL)", sync, err)
	}
}

func TestOpenMakesExistingFilePrivate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sidenote.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	s, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Errorf("mode after reopen = %v, want 0600", st.Mode().Perm())
	}
}

func TestMigrationsFromEmptyAndRerun(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sidenote.db")
	ctx := context.Background()
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	iv := mustInterview(t, s, "kept across reopen")
	var n int
	if err := s.r.QueryRow("SELECT count(*) FROM schema_migrations").Scan(&n); err != nil || n != SchemaVersion() {
		t.Errorf("schema_migrations rows = %d, %v; want %d", n, err, SchemaVersion())
	}
	s.Close()
	for range 2 {
		s, err = Open(path)
		if err != nil {
			t.Fatalf("reopen: %v", err)
		}
		if err := s.r.QueryRow("SELECT count(*) FROM schema_migrations").Scan(&n); err != nil || n != SchemaVersion() {
			t.Errorf("after reopen schema_migrations rows = %d, %v; want %d", n, err, SchemaVersion())
		}
		if _, err := s.Interview(ctx, iv.ID); err != nil {
			t.Errorf("interview lost on reopen: %v", err)
		}
		s.Close()
	}
}

func TestOpenConcurrentProcessesMigrateOnce(t *testing.T) {
	// Two stores opening a new file at once (the app and the CLI) must
	// both succeed and run each migration once.
	path := filepath.Join(t.TempDir(), "sidenote.db")
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() {
			s, err := Open(path)
			if err == nil {
				err = s.Close()
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("opener %d: %v", i, err)
		}
	}
}

func TestOpenNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sidenote.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.w.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'from the future', 0)", SchemaVersion()+1); err != nil {
		t.Fatal(err)
	}
	s.Close()
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Open(path)
	if !errors.Is(err, ErrNewerSchema) {
		t.Fatalf("Open newer schema: got %v, want ErrNewerSchema", err)
	}
	after, _ := os.ReadFile(path)
	if string(before) != string(after) {
		t.Error("Open changed a database from a newer schema")
	}
}

func TestOpenNotADatabase(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name    string
		content []byte
	}{
		{"text", []byte("these are my notes, not a database\n")},
		{"short", []byte("SQLite")},
		{"random", func() []byte {
			b := make([]byte, 8192)
			for i := range b {
				b[i] = byte(i*7 + 3)
			}
			return b
		}()},
	}
	for _, tt := range tests {
		path := filepath.Join(dir, tt.name+".db")
		if err := os.WriteFile(path, tt.content, 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := Open(path)
		if !errors.Is(err, ErrNotDatabase) {
			t.Errorf("%s: got %v, want ErrNotDatabase", tt.name, err)
		}
		if got, _ := os.ReadFile(path); string(got) != string(tt.content) {
			t.Errorf("%s: Open changed the file", tt.name)
		}
	}
}

func TestOpenForeignSQLite(t *testing.T) {
	// Another program's database: its own tables, no migrations table.
	path := filepath.Join(t.TempDir(), "other.db")
	db, err := openRaw(path, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("CREATE TABLE photos (id INTEGER PRIMARY KEY)"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := Open(path); !errors.Is(err, ErrNotDatabase) {
		t.Errorf("foreign tables: got %v, want ErrNotDatabase", err)
	}
	// A database marked with another application id.
	other := filepath.Join(t.TempDir(), "other2.db")
	s2, err := Open(other)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s2.w.Exec("PRAGMA application_id = 42"); err != nil {
		t.Fatal(err)
	}
	s2.Close()
	if _, err := Open(other); !errors.Is(err, ErrNotDatabase) {
		t.Errorf("foreign application id: got %v, want ErrNotDatabase", err)
	}
}

func TestOpenCorrupt(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sidenote.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	mustInterview(t, s, "doomed")
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// Keep the 100-byte header, scribble over the schema on page 1.
	for i := 100; i < 4096 && i < len(b); i++ {
		b[i] = 0xA5
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = Open(path)
	if !errors.Is(err, ErrCorrupt) {
		t.Fatalf("Open corrupt: got %v, want ErrCorrupt", err)
	}
	t.Log(err)
}

func TestCheck(t *testing.T) {
	s, _ := openTest(t)
	if err := s.Check(context.Background()); err != nil {
		t.Errorf("Check on a fresh database: %v", err)
	}
}

func TestOpenReadOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sidenote.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	// Root ignores permission bits, so use the immutable attribute where
	// chattr works; otherwise fall back to chmod (effective for others).
	if err := exec.Command("chattr", "+i", path).Run(); err == nil {
		t.Cleanup(func() { exec.Command("chattr", "-i", path).Run() })
	} else {
		if os.Geteuid() == 0 {
			t.Skip("running as root without chattr: cannot make a file read-only")
		}
		if err := os.Chmod(path, 0o400); err != nil {
			t.Fatal(err)
		}
	}
	_, err = Open(path)
	if !errors.Is(err, ErrReadOnly) {
		t.Fatalf("Open read-only: got %v, want ErrReadOnly", err)
	}
	t.Log(err)
}

func TestClassifyReadOnlyFromSQLite(t *testing.T) {
	// A read-only SQLite connection stands in for a file that turned
	// read-only after Open (e.g. a remounted disk): writes must fail with
	// ErrReadOnly, whatever the user's privileges.
	s, _ := openTest(t)
	ro := *s
	var err error
	ro.w, err = openRaw(s.path, "mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer ro.w.Close()
	iv := interview.Interview{Title: "x", Mode: interview.ModePractice}
	if err := ro.CreateInterview(context.Background(), &iv); !errors.Is(err, ErrReadOnly) {
		t.Errorf("write on read-only connection: got %v, want ErrReadOnly", err)
	}
}
