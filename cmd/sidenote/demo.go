package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/sidenote-app/sidenote/app/desktop"
)

const demoArgs = "[-screen home|new|templates|settings|checklist|live|library|review|compare] [-size 420x720] [-dir DIR]"

// cmdDemo opens the window over made-up interviews (see desktop.Demo).
func cmdDemo(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "demo", demoArgs)
	screen := fs.String("screen", "home", "the screen to open: "+strings.Join(desktop.DemoScreens, ", "))
	size := fs.String("size", "420x720", "window size, WIDTHxHEIGHT")
	dir := fs.String("dir", "", "keep the demo data in DIR (default: a temporary folder, removed afterwards)")
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	w, h, err := parseSize(*size)
	if err != nil {
		return fmt.Errorf("%w: -size: %v", errUsage, err)
	}
	if err := desktop.CheckDisplay(); err != nil {
		return err
	}
	err = desktop.Demo(ctx, desktopEnv(e), desktop.DemoOptions{Screen: *screen, Size: [2]float32{w, h}, Dir: *dir})
	if errors.Is(err, desktop.ErrUnknownScreen) {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	return err
}

func parseSize(s string) (float32, float32, error) {
	ws, hs, ok := strings.Cut(strings.ToLower(s), "x")
	w, err1 := strconv.Atoi(ws)
	h, err2 := strconv.Atoi(hs)
	if !ok || err1 != nil || err2 != nil || w < 200 || h < 200 {
		return 0, 0, fmt.Errorf("%q is not WIDTHxHEIGHT (at least 200x200)", s)
	}
	return float32(w), float32(h), nil
}
