//go:build !linux && !darwin

package models

import "errors"

// freeBytes is unknown here; -1 makes callers skip the up-front check and
// rely on the write error instead.
func freeBytes(dir string) (int64, error) {
	return -1, errors.ErrUnsupported
}

func isNoSpace(err error) bool { return false }
