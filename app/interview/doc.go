// Package interview holds Sidenote's domain types and the rules that do not
// need a database or a window: which state changes an interview may make,
// what a valid rating is, how #tags are read from a note, and how interview
// time is written ("12:04").
//
// Everything here is plain Go so the store, the UI and the command line can
// share it and so the rules are tested without cgo. Times inside an
// interview are milliseconds from its start (int64, "AtMs"), never wall
// clock, because notes and transcript are stamped from the same session
// clock and must line up; wall-clock times are time.Time.
package interview

import "errors"

// ErrInvalid is wrapped by every validation error in this package, so
// callers can tell "the user typed something unacceptable" from a failure.
var ErrInvalid = errors.New("invalid")

// ErrIllegalTransition is wrapped when a state change is not allowed, for
// example ending an interview twice or resuming one that has ended.
var ErrIllegalTransition = errors.New("illegal state transition")
