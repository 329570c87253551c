//go:build !(linux || darwin || freebsd)

package paths

import "errors"

// ErrNoFreeSpace says free space is not measured on this system; the
// checklist then leaves the item out.
var ErrNoFreeSpace = errors.New("free space is not measured on this system")

// FreeSpace is not measured here.
func FreeSpace(string) (uint64, error) { return 0, ErrNoFreeSpace }
