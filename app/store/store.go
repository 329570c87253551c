// Package store keeps everything a Sidenote user creates in one SQLite file:
// interviews, templates, questions, notes, talking points, transcript
// segments, recordings and data settings, with full-text search over notes,
// transcript and questions, and import/export (see the export subpackage for
// the file formats).
//
// The file is the user's memory of an interview, so the package is built
// around not losing it: every write is one transaction committed with
// synchronous=FULL, a crash while live is recovered on the next start, a
// file from a newer Sidenote is refused rather than "upgraded" backwards,
// and a file that is not ours is never touched.
//
// Build with -tags sqlite_fts5: the search index is an FTS5 table.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/mattn/go-sqlite3"
)

// Errors worth telling apart. Each is wrapped with the path and a hint.
var (
	// ErrNewerSchema: the file was written by a newer Sidenote. It is left
	// untouched; update Sidenote to open it.
	ErrNewerSchema = errors.New("database is from a newer version of Sidenote")
	// ErrNotDatabase: the file is not an SQLite database, or is another
	// program's database.
	ErrNotDatabase = errors.New("not a Sidenote database")
	// ErrCorrupt: SQLite found the file damaged.
	ErrCorrupt = errors.New("database is damaged")
	// ErrReadOnly: the file or its folder cannot be written.
	ErrReadOnly = errors.New("database is read-only")
	// ErrNotFound: no row with that id.
	ErrNotFound = errors.New("not found")
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// applicationID marks the file as Sidenote's ('SidN'); see 0001_init.sql.
const applicationID = 0x5369644E

// Store is an open database. It is safe for concurrent use: writes go
// through one connection, one after another, while reads run on their own
// connections and, thanks to WAL, never wait for a writer.
type Store struct {
	path string
	w    *sql.DB // exactly one connection: SQLite allows one writer anyway
	r    *sql.DB // readers
	now  func() time.Time
	log  *slog.Logger
	// recordings is the folder whose files the store owns: deleting an
	// interview removes its audio only from here, and Import copies audio
	// in here. A path anywhere else in a recordings row (a hostile or old
	// import) is never deleted.
	recordings string
}

type config struct {
	now        func() time.Time
	log        *slog.Logger
	recordings string
}

// Option configures Open.
type Option func(*config)

// WithClock sets the source of wall-clock time for created/updated/edited
// stamps, so tests can pin it.
func WithClock(now func() time.Time) Option { return func(c *config) { c.now = now } }

// WithLogger sets where the store logs migrations and recovery.
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.log = l } }

// WithRecordings sets the recordings folder (paths.Dirs.Recordings): the
// only place the store deletes audio from, and where Import copies audio
// to. Without it the folder is "recordings" beside the database file,
// which is the data folder's layout.
func WithRecordings(dir string) Option { return func(c *config) { c.recordings = dir } }

// Open opens the database at path, creating it (0600, in a 0700 folder when
// the folder is new) and bringing its schema up to date. It does not
// recover interviews left live by a crash: call Recover from the one
// process that runs live interviews, so a command-line tool reading the
// library while the app is live does not mark the live interview as
// interrupted.
func Open(path string, opts ...Option) (*Store, error) {
	cfg := config{now: time.Now, log: slog.New(slog.DiscardHandler)}
	for _, o := range opts {
		o(&cfg)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	if err := prepareFile(abs); err != nil {
		return nil, err
	}
	if cfg.recordings == "" {
		cfg.recordings = filepath.Join(filepath.Dir(abs), "recordings")
	}
	recordings, err := filepath.Abs(cfg.recordings)
	if err != nil {
		return nil, fmt.Errorf("open database %s: recordings folder %s: %w", path, cfg.recordings, err)
	}

	s := &Store{path: abs, now: cfg.now, log: cfg.log, recordings: recordings}
	// Per-connection settings, applied by the driver to every connection:
	//   foreign_keys: SQLite leaves them off by default; deleting an
	//     interview relies on ON DELETE CASCADE to take its rows with it.
	//   busy_timeout: another process (the CLI beside the app) may hold the
	//     write lock for a moment; wait instead of failing at once.
	//   synchronous=FULL: every commit is fsynced to the WAL before it
	//     returns. In WAL mode NORMAL may lose the last commits on power
	//     loss; a note the UI showed as saved must survive that, and the
	//     cost (one fsync per note) is far below typing speed.
	//   _txlock=immediate (writer): take the write lock at BEGIN, so two
	//     writers queue on busy_timeout instead of one failing mid-way
	//     when upgrading a read lock.
	common := "_foreign_keys=1&_busy_timeout=10000&_synchronous=FULL"
	u := url.URL{Scheme: "file", Path: abs}
	if s.w, err = sql.Open("sqlite3", u.String()+"?"+common+"&_txlock=immediate"); err != nil {
		return nil, fmt.Errorf("open database %s: %w", abs, err)
	}
	s.w.SetMaxOpenConns(1)
	s.w.SetConnMaxIdleTime(0)
	// Readers refuse writes (query_only) so a bug cannot write around the
	// single writer.
	if s.r, err = sql.Open("sqlite3", u.String()+"?"+common+"&_query_only=1"); err != nil {
		s.w.Close()
		return nil, fmt.Errorf("open database %s: %w", abs, err)
	}
	s.r.SetMaxOpenConns(max(2, runtime.GOMAXPROCS(0)))

	if err := s.migrate(context.Background()); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// prepareFile creates the folder and an empty file with private
// permissions before SQLite sees the path (SQLite would create it with the
// umask's 0644), and refuses early what SQLite would only half-notice: a
// file that is not a database, or one we cannot write.
func prepareFile(path string) error {
	dir := filepath.Dir(path)
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return fmt.Errorf("create the data folder %s: %w", dir, writeErr(err))
		}
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("open database %s: %w", path, writeErr(err))
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("open database %s: %w", path, err)
	}
	if !st.Mode().IsRegular() {
		return fmt.Errorf("open database %s: %w: it is not a regular file", path, ErrNotDatabase)
	}
	// Interviews are private: if the file was made readable by others
	// (copied, restored from a backup), take that back.
	if st.Mode().Perm()&0o077 != 0 {
		if err := f.Chmod(0o600); err != nil {
			return fmt.Errorf("make database %s private (chmod 600): %w", path, writeErr(err))
		}
	}
	if st.Size() == 0 {
		return nil
	}
	head := make([]byte, 16)
	if n, err := io.ReadFull(f, head); err != nil || string(head[:n]) != "SQLite format 3\x00" {
		return fmt.Errorf("open database %s: %w: the file is not an SQLite database; move it away or choose another --data-dir", path, ErrNotDatabase)
	}
	// SQLite needs to create the -wal and -shm files beside the database.
	probe, err := os.CreateTemp(dir, ".sidenote-probe-*")
	if err != nil {
		return fmt.Errorf("open database %s: the folder %s: %w", path, dir, writeErr(err))
	}
	probe.Close()
	os.Remove(probe.Name())
	return nil
}

// writeErr marks permission and read-only-filesystem failures as
// ErrReadOnly.
func writeErr(err error) error {
	if errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.EROFS) {
		return fmt.Errorf("%w (%w): make it writable, or choose another --data-dir", ErrReadOnly, err)
	}
	return err
}

// Path is the database file.
func (s *Store) Path() string { return s.path }

// RecordingsDir is the folder whose audio files the store owns (see
// WithRecordings).
func (s *Store) RecordingsDir() string { return s.recordings }

// Close closes the database. After a clean close the WAL is checkpointed
// into the main file by SQLite.
func (s *Store) Close() error {
	var errs []error
	if s.r != nil {
		errs = append(errs, s.r.Close())
	}
	if s.w != nil {
		errs = append(errs, s.w.Close())
	}
	return errors.Join(errs...)
}

type migration struct {
	version int
	name    string
	sql     string
}

func migrations() ([]migration, error) {
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	var ms []migration
	for i, n := range names {
		base := filepath.Base(n)
		v, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil || v != i+1 {
			return nil, fmt.Errorf("migration %s: numbers must run 0001, 0002, … without gaps", base)
		}
		b, err := migrationFiles.ReadFile(n)
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: base, sql: string(b)})
	}
	return ms, nil
}

// SchemaVersion is the highest migration this build knows.
func SchemaVersion() int {
	ms, _ := migrations()
	return len(ms)
}

// migrate checks the file is ours and not newer, switches it to WAL and
// applies the missing migrations, each in its own transaction. Nothing is
// written before the checks pass.
func (s *Store) migrate(ctx context.Context) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	fail := func(what string, err error) error {
		return fmt.Errorf("open database %s: %s: %w", s.path, what, classify(err))
	}
	var appID int64
	if err := s.w.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID); err != nil {
		return fail("read the header", err)
	}
	if appID != 0 && appID != applicationID {
		return fmt.Errorf("open database %s: %w: it belongs to another program (application id %#x); choose another --data-dir", s.path, ErrNotDatabase, appID)
	}
	var tables, hasLog int
	err = s.w.QueryRowContext(ctx, `SELECT count(*), count(*) FILTER (WHERE name = 'schema_migrations')
		FROM sqlite_schema WHERE type = 'table'`).Scan(&tables, &hasLog)
	if err != nil {
		return fail("read the schema", err)
	}
	if tables > 0 && hasLog == 0 {
		return fmt.Errorf("open database %s: %w: it holds another program's tables; choose another --data-dir", s.path, ErrNotDatabase)
	}
	if hasLog == 1 {
		var v int
		if err := s.w.QueryRowContext(ctx, "SELECT coalesce(max(version), 0) FROM schema_migrations").Scan(&v); err != nil {
			return fail("read the schema version", err)
		}
		if v > len(ms) {
			return fmt.Errorf("open database %s: %w (schema %d, this build knows %d): update Sidenote; the file was not changed", s.path, ErrNewerSchema, v, len(ms))
		}
	}

	// WAL lets the review screen read while a live interview writes, and a
	// commit appends to the log instead of rewriting pages in place.
	var mode string
	if err := s.w.QueryRowContext(ctx, "PRAGMA journal_mode = WAL").Scan(&mode); err != nil {
		return fail("switch to WAL", err)
	}
	if mode != "wal" {
		return fmt.Errorf("open database %s: journal mode is %q, not wal: %w", s.path, mode, ErrReadOnly)
	}
	if _, err := s.w.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT    NOT NULL,
		applied_at INTEGER NOT NULL)`); err != nil {
		return fail("create the migrations table", err)
	}
	for _, m := range ms {
		if err := s.apply(ctx, m, len(ms)); err != nil {
			return err
		}
	}
	return nil
}

// apply runs one migration unless it already ran. The check is inside the
// transaction: two processes opening a new file at once must not both run it.
func (s *Store) apply(ctx context.Context, m migration, known int) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("open database %s: migration %s: %w", s.path, m.name, classify(err))
	}
	defer tx.Rollback()
	var newest int
	if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(version), 0) FROM schema_migrations").Scan(&newest); err != nil {
		return fmt.Errorf("open database %s: migration %s: %w", s.path, m.name, classify(err))
	}
	if newest > known {
		return fmt.Errorf("open database %s: %w (schema %d, this build knows %d): update Sidenote", s.path, ErrNewerSchema, newest, known)
	}
	if newest >= m.version {
		return nil
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		hint := ""
		if strings.Contains(err.Error(), "fts5") {
			hint = " (this build lacks FTS5: build with -tags sqlite_fts5)"
		}
		return fmt.Errorf("open database %s: migration %s: %w%s", s.path, m.name, classify(err), hint)
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
		m.version, m.name, s.now().UnixMilli()); err != nil {
		return fmt.Errorf("open database %s: record migration %s: %w", s.path, m.name, classify(err))
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("open database %s: commit migration %s: %w", s.path, m.name, classify(err))
	}
	s.log.Info("applied migration", "db", s.path, "migration", m.name)
	return nil
}

// Check runs SQLite's integrity check over the whole file. It reads every
// page, so it is for a "check my data" action or a test, not start-up.
func (s *Store) Check(ctx context.Context) error {
	rows, err := s.r.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return fmt.Errorf("check database %s: %w", s.path, classify(err))
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return fmt.Errorf("check database %s: %w", s.path, classify(err))
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("check database %s: %w", s.path, classify(err))
	}
	if len(problems) > 0 {
		return fmt.Errorf("check database %s: %w: %s; restore a backup or export what still opens", s.path, ErrCorrupt, strings.Join(problems, "; "))
	}
	return nil
}

// classify adds the matching sentinel to an SQLite error.
func classify(err error) error {
	var se sqlite3.Error
	if !errors.As(err, &se) {
		return err
	}
	switch se.Code {
	case sqlite3.ErrCorrupt:
		return fmt.Errorf("%w (%w): restore a backup or export what still opens", ErrCorrupt, err)
	case sqlite3.ErrNotADB:
		return fmt.Errorf("%w (%w)", ErrNotDatabase, err)
	case sqlite3.ErrReadonly:
		return fmt.Errorf("%w (%w): make the file and its folder writable", ErrReadOnly, err)
	case sqlite3.ErrCantOpen, sqlite3.ErrPerm:
		return fmt.Errorf("%w (%w): check the file and folder permissions", ErrReadOnly, err)
	}
	return err
}

// isFK reports a foreign-key violation: the parent row is missing.
func isFK(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && se.ExtendedCode == sqlite3.ErrConstraintForeignKey
}

// write runs fn in one write transaction: begin, deferred rollback
// (a no-op after commit), commit. Every method that changes data goes
// through here, so a half-done change is never visible or kept.
func (s *Store) write(ctx context.Context, what string, fn func(tx *sql.Tx) error) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("%s: %w", what, classify(err))
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return fmt.Errorf("%s: %w", what, classify(err))
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("%s: commit: %w", what, classify(err))
	}
	return nil
}

// read runs fn in one read transaction so several queries see the same
// snapshot (a timeline never mixes before and after a concurrent write).
func (s *Store) read(ctx context.Context, what string, fn func(tx *sql.Tx) error) error {
	tx, err := s.r.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("%s: %w", what, classify(err))
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return fmt.Errorf("%s: %w", what, classify(err))
	}
	return tx.Commit()
}

// stamp is the store's "now", at the millisecond precision it keeps, in
// UTC, so a value written and read back compares equal.
func (s *Store) stamp() time.Time { return toMs(s.now()) }

func toMs(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return time.UnixMilli(t.UnixMilli()).UTC()
}

// msOrNull stores a zero time as NULL.
func msOrNull(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMilli()
}

func fromMs(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return time.UnixMilli(v.Int64).UTC()
}

func idOrNull(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func notFound(what string, id int64) error {
	return fmt.Errorf("%s %d: %w", what, id, ErrNotFound)
}

// rowScanner is what *sql.Row and *sql.Rows have in common.
type rowScanner interface{ Scan(dest ...any) error }

// queryAll runs a query and scans every row with scan.
func queryAll[T any](ctx context.Context, tx *sql.Tx, scan func(rowScanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// checkAffected turns "no row changed" into ErrNotFound.
func checkAffected(res sql.Result, what string, id int64) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return notFound(what, id)
	}
	return nil
}
