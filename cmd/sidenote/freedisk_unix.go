//go:build linux || darwin || freebsd

package main

import "syscall"

// freeDisk reports the bytes an unprivileged user may still write in dir.
func freeDisk(dir string) func() (uint64, error) {
	return func() (uint64, error) {
		var st syscall.Statfs_t
		if err := syscall.Statfs(dir, &st); err != nil {
			return 0, err
		}
		return uint64(st.Bavail) * uint64(st.Bsize), nil
	}
}
