//go:build linux || darwin || freebsd

package paths

import "syscall"

// FreeSpace reports the bytes an unprivileged user may still write in dir.
func FreeSpace(dir string) (uint64, error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return 0, err
	}
	return uint64(st.Bavail) * uint64(st.Bsize), nil
}
