package models

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
)

// TestDownloadWriteENOSPC makes the part file /dev/full, whose writes fail
// with ENOSPC exactly as a full disk does, to check the error the user sees
// when the up-front space check could not foresee it.
func TestDownloadWriteENOSPC(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full")
	}
	fx := newFixture(t)
	if err := os.Symlink("/dev/full", fx.path("ggml-alpha.bin.part")); err != nil {
		t.Fatal(err)
	}
	_, err := fx.lib.Download(context.Background(), "alpha", nil)
	if !errors.Is(err, ErrDiskFull) || !strings.Contains(err.Error(), "free 2 MB in "+fx.lib.Dir) {
		t.Fatalf("err = %v, want ErrDiskFull saying how much to free where", err)
	}
	mustNotExist(t, fx.path("ggml-alpha.bin"))
}
