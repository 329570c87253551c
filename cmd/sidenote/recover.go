package main

import (
	"context"
	"errors"
	"fmt"
	"text/tabwriter"

	"github.com/sidenote-app/sidenote/app/interview"
	"github.com/sidenote-app/sidenote/app/live"
	"github.com/sidenote-app/sidenote/app/store"
	"github.com/sidenote-app/sidenote/transcribe/subtitle"
)

// cmdRecover lists the interviews that did not end: those a crash or a
// second Ctrl+C left interrupted (after marking, as the window does at
// start-up, those a killed process left live), and those live right now
// in another Sidenote. Each says how to go on.
func cmdRecover(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "recover", "")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageErrorf("unexpected argument %q", pos[0])
	}
	st, err := openLibrary(e, false)
	if errors.Is(err, errNoLibrary) {
		fmt.Fprintln(e.stdout, "Nothing to recover: no interviews yet.")
		return nil
	}
	if err != nil {
		return err
	}
	defer st.Close()
	if _, err := live.Recover(ctx, st, e.dirs.Locks()); err != nil {
		// What could be marked was; the list below says where things are.
		fmt.Fprintf(e.stderr, "sidenote recover: %v\n", err)
	}
	var open []interview.Interview
	for _, state := range []interview.State{interview.StateInterrupted, interview.StateLive, interview.StatePaused} {
		ivs, err := st.ListInterviews(ctx, store.ListOptions{State: state})
		if err != nil {
			return err
		}
		open = append(open, ivs...)
	}
	if len(open) == 0 {
		fmt.Fprintln(e.stdout, "Nothing to recover: every interview has ended.")
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tTITLE\tRAN\tSTATE")
	for _, iv := range open {
		state := "interrupted"
		if iv.StateReason != "" {
			state += ": " + oneLine(iv.StateReason)
		}
		if pid, held := live.HeldElsewhere(e.dirs.Locks(), iv.ID); held {
			state = fmt.Sprintf("live in another Sidenote (pid %d)", pid)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", iv.ID, titleOf(iv), subtitle.Clock(iv.Ran), state)
	}
	tw.Flush()
	fmt.Fprintln(e.stdout, "\nResume an interrupted interview in the window (Home or Library), or end it here: sidenote end ID")
	return nil
}

// cmdEnd ends an interrupted interview without resuming it, as the
// window's End button does: its length becomes the last moment it stored.
func cmdEnd(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "end", "ID")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	id, err := oneID("interview", pos)
	if err != nil {
		return err
	}
	st, err := openLibrary(e, false)
	if err != nil {
		return interviewErr(err, id)
	}
	defer st.Close()
	iv, err := live.EndInterrupted(ctx, st, e.dirs.Locks(), id)
	if err != nil {
		if errors.Is(err, live.ErrLiveElsewhere) {
			return fmt.Errorf("%w; end it there (Ctrl+C in its terminal, or End in its window)", err)
		}
		return interviewErr(err, id)
	}
	fmt.Fprintf(e.stdout, "Ended interview %d %q after %s. See it with: sidenote show %d\n", iv.ID, titleOf(iv), subtitle.Clock(iv.Ran), iv.ID)
	return nil
}
