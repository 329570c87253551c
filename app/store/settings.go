package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"github.com/sidenote-app/sidenote/app/interview"
)

// Settings are the choices that belong to the data rather than to the
// window: they travel with the database file, so a portable data folder
// keeps its retention policy. UI preferences live elsewhere.
type Settings struct {
	// RetentionDays > 0 deletes interviews older than that many days
	// (see ApplyRetention); 0 keeps everything.
	RetentionDays int
}

const keyRetentionDays = "retention_days"

// Settings reads the data settings; missing keys have their zero value.
func (s *Store) Settings(ctx context.Context) (Settings, error) {
	var st Settings
	err := s.read(ctx, "read settings", func(tx *sql.Tx) error {
		kv, err := queryAll(ctx, tx, func(r rowScanner) ([2]string, error) {
			var p [2]string
			err := r.Scan(&p[0], &p[1])
			return p, err
		}, "SELECT key, value FROM settings")
		if err != nil {
			return err
		}
		for _, p := range kv {
			if p[0] == keyRetentionDays {
				if st.RetentionDays, err = strconv.Atoi(p[1]); err != nil {
					return fmt.Errorf("setting %s = %q: %w", p[0], p[1], err)
				}
			}
		}
		return nil
	})
	return st, err
}

// SaveSettings stores the data settings.
func (s *Store) SaveSettings(ctx context.Context, st Settings) error {
	if st.RetentionDays < 0 {
		return fmt.Errorf("save settings: %w: retention days %d is negative; use 0 to keep everything", interview.ErrInvalid, st.RetentionDays)
	}
	return s.write(ctx, "save settings", func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, keyRetentionDays, strconv.Itoa(st.RetentionDays))
		return err
	})
}
