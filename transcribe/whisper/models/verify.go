package models

import (
	"context"
	"fmt"
)

// Status is the outcome of verifying one file.
type Status int

const (
	StatusOK       Status = iota // checksum (if known) and structure fine
	StatusMismatch               // SHA-1 differs from the catalogue: damaged or replaced
	StatusInvalid                // unreadable, or rejected by Validate
)

func (s Status) String() string {
	switch s {
	case StatusOK:
		return "OK"
	case StatusMismatch:
		return "checksum mismatch"
	case StatusInvalid:
		return "invalid"
	}
	return fmt.Sprintf("Status(%d)", int(s))
}

// Check is Verify's report on one file.
type Check struct {
	Name   string
	Path   string
	Status Status
	Want   string // catalogue SHA-1; empty for files the catalogue does not know
	Got    string // SHA-1 computed now; empty when not computed
	Err    error  // why the status is not OK, with advice
}

// Verify checks the named installed models, or every installed file when
// no names are given: catalogue models by SHA-1 and Validate, others by
// Validate alone (there is nothing to compare their hash with). A file that
// fails is reported, not treated as an error; err is for names that are not
// installed, an unreadable directory, or cancellation.
func (l *Library) Verify(ctx context.Context, names ...string) ([]Check, error) {
	var targets []Entry
	if len(names) == 0 {
		es, err := l.List()
		if err != nil {
			return nil, err
		}
		for _, e := range es {
			if e.Installed {
				targets = append(targets, e)
			}
		}
	}
	for _, n := range names {
		e, err := l.installed(n)
		if err != nil {
			return nil, err
		}
		targets = append(targets, e)
	}
	out := make([]Check, 0, len(targets))
	for _, e := range targets {
		c := Check{Name: e.Name, Path: e.Path, Status: StatusOK, Want: e.SHA1}
		if e.Catalogued && e.SHA1 != "" {
			got, _, err := hashFile(ctx, e.Path)
			if ctx.Err() != nil {
				return out, fmt.Errorf("verify stopped: %w", ctx.Err())
			}
			c.Got = got
			switch {
			case err != nil:
				c.Status, c.Err = StatusInvalid, fmt.Errorf("read %s: %w", e.Path, err)
			case got != e.SHA1:
				c.Status = StatusMismatch
				c.Err = checksumError(e.Path, e.SHA1, got, "download it again with sidenote models download "+e.Name)
			}
		}
		if c.Status == StatusOK && l.Validate != nil {
			if err := l.Validate(e.Path); err != nil {
				c.Status, c.Err = StatusInvalid, fmt.Errorf("%w: %s: %w", ErrInvalid, e.Path, err)
			}
		}
		out = append(out, c)
	}
	return out, nil
}
