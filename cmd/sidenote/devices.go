package main

import (
	"context"
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"github.com/sidenote-app/sidenote/transcribe/audio"
)

func cmdDevices(_ context.Context, e *env, args []string) error {
	fs := newFlags(e, "devices", "[-json]")
	asJSON := fs.Bool("json", false, "print the list as JSON")
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	devs, err := audio.Devices()
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if devs == nil {
			devs = []audio.Device{}
		}
		return enc.Encode(devs)
	}
	if len(devs) == 0 {
		fmt.Fprintln(e.stdout, "no input devices found; check that a microphone is connected and that this program may use it")
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "INDEX\tNAME\tAPI\tCHANNELS\tRATE\t")
	for _, d := range devs {
		mark := ""
		if d.Default {
			mark = "default"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%.0f Hz\t%s\n", d.Index, d.Name, d.HostAPI, d.MaxInputChannels, d.DefaultSampleRate, mark)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, "\nUse a name or index with: sidenote live -device NAME [-call-device NAME]")
	fmt.Fprintln(e.stdout, "For the call's audio pick a monitor or loopback input (\"Monitor of …\" on PulseAudio/PipeWire, BlackHole on macOS).")
	return nil
}
