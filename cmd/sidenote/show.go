package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/sidenote-app/sidenote/app/interview"
)

func cmdShow(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "show", "ID")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	id, err := oneID("interview", pos)
	if err != nil {
		return err
	}
	s, b, err := loadInterview(ctx, e, id)
	if err != nil {
		return err
	}
	defer s.Close()
	return writeShow(e.stdout, b)
}

// writeShow prints an interview for reading in a terminal: its details,
// then everything that happened in interview time, then what was planned
// but not asked.
func writeShow(w io.Writer, b *interview.Bundle) error {
	iv := &b.Interview
	fmt.Fprintf(w, "Interview %d: %s\n\n", iv.ID, titleOf(*iv))

	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	row := func(k, v string) {
		if v = strings.TrimSpace(v); v != "" {
			fmt.Fprintf(tw, "  %s\t%s\n", k, printable(strings.ReplaceAll(v, "\n", "; ")))
		}
	}
	row("Mode", string(iv.Mode))
	row("With", iv.OtherName)
	row("Role", iv.Role)
	if !iv.ScheduledAt.IsZero() {
		sched := localTime(iv.ScheduledAt)
		if iv.Length > 0 {
			sched += " (" + minutesOf(iv.Length) + ")"
		}
		row("Scheduled", sched)
	} else if iv.Length > 0 {
		row("Length", minutesOf(iv.Length))
	}
	if !iv.StartedAt.IsZero() {
		row("Started", localTime(iv.StartedAt))
	}
	if !iv.EndedAt.IsZero() {
		ended := localTime(iv.EndedAt)
		if ran := iv.RanFor(); ran > 0 {
			ended += " (" + minutesOf(ran) + ")"
		}
		row("Ended", ended)
	}
	if iv.StateReason != "" {
		row("Why", iv.StateReason)
	}
	row("Platform", strings.TrimSpace(iv.Platform+"  "+iv.Link))
	row("Backup phone", iv.BackupPhone)
	row("Documents", iv.Documents)
	row("Language", iv.Language)
	state := string(iv.State)
	switch iv.State {
	case interview.StateInterrupted:
		state = "INTERRUPTED: Sidenote stopped while it was live; open it in the window to resume or end it"
	case interview.StateLive, interview.StatePaused:
		state += " (running in the Sidenote window)"
	}
	row("State", state)
	if avg, n := b.AverageRating(); n > 0 {
		row("Rating", fmt.Sprintf("%.1f of %d on average (%s rated)", avg, interview.MaxRating, count(n, "question", "questions")))
	}
	for _, r := range b.Recordings {
		label := r.Source.Label()
		if label == "" {
			label = "file"
		}
		row("Recording", fmt.Sprintf("%s, %s: %s", label, minutesOf(r.Duration), r.Path))
	}
	if err := tw.Flush(); err != nil {
		return err
	}

	if len(b.Points) > 0 {
		fmt.Fprintln(w, "\nTalking points")
		for _, p := range b.Points {
			box := "[ ]"
			if p.Checked {
				box = "[x]"
			}
			prefix := ""
			if p.Kind == interview.PointKindQuestion {
				prefix = "Ask: "
			}
			fmt.Fprintf(w, "  %s %s%s\n", box, prefix, hang(p.Text, "      "))
		}
	}

	qnum := map[int64]int{}
	for i, q := range b.Questions {
		qnum[q.ID] = i + 1
	}
	timeline := b.Timeline()
	if len(timeline) > 0 {
		fmt.Fprintln(w, "\nTimeline")
	}
	// Stamps grow from [mm:ss] to [h:mm:ss] after an hour; pad them all
	// to the widest so the text starts in one column.
	width := 0
	for _, en := range timeline {
		width = max(width, len(interview.Stamp(en.AtMs))+2)
	}
	pad := strings.Repeat(" ", width+1) // continuation lines start under the text
	for _, en := range timeline {
		stamp := fmt.Sprintf("%-*s", width, "["+interview.Stamp(en.AtMs)+"]")
		switch en.Kind {
		case interview.EntryQuestion:
			q := en.Question
			fmt.Fprintf(w, "%s Question %d%s: %s\n", stamp, qnum[q.ID], questionState(q), hang(q.Text, pad))
			if n := strings.TrimSpace(q.Note); n != "" {
				fmt.Fprintf(w, "%s(%s)\n", pad, hang(n, pad))
			}
		case interview.EntrySegment:
			sg := en.Segment
			label := sg.Source.Label()
			if label != "" {
				label += ": "
			}
			edited := ""
			if sg.EditedText != "" {
				edited = " (corrected)"
			}
			fmt.Fprintf(w, "%s %s%s%s\n", stamp, label, hang(sg.Display(), pad), edited)
		case interview.EntryNote:
			n := en.Note
			line := "Note: " + hang(n.Text, pad)
			if extra := unseenTags(n); len(extra) > 0 {
				line += "  " + strings.Join(extra, " ")
			}
			if k, ok := qnum[n.QuestionID]; ok {
				line += fmt.Sprintf("  (question %d)", k)
			}
			fmt.Fprintf(w, "%s %s\n", stamp, line)
		}
	}

	var unasked []string
	for i, q := range b.Questions {
		if q.Status != interview.QuestionAsked {
			unasked = append(unasked, fmt.Sprintf("  %d. %s%s", i+1, hang(q.Text, "     "), questionState(&q)))
		}
	}
	if len(unasked) > 0 {
		fmt.Fprintln(w, "\nNot asked")
		for _, l := range unasked {
			fmt.Fprintln(w, l)
		}
	}
	if len(timeline) == 0 && len(b.Questions) == 0 && len(b.Points) == 0 {
		fmt.Fprintln(w, "\nNo notes, questions or transcript yet.")
	}
	return nil
}

// questionState is a question's status and rating, as " (skipped)" or
// " (rated 4/5, high priority)".
func questionState(q *interview.Question) string {
	var parts []string
	if q.Status != interview.QuestionAsked {
		parts = append(parts, string(q.Status))
	}
	if q.Rating > 0 {
		parts = append(parts, fmt.Sprintf("rated %d/%d", q.Rating, interview.MaxRating))
	}
	if q.Priority == interview.PriorityHigh {
		parts = append(parts, "high priority")
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

// unseenTags are a note's tags that its text does not already show as
// #hashtags: the one-key tags pressed while writing it.
func unseenTags(n *interview.Note) []string {
	inText := interview.HashTags(n.Text)
	var out []string
	for _, t := range n.Tags {
		seen := false
		for _, h := range inText {
			seen = seen || h == t
		}
		if !seen {
			out = append(out, "#"+printable(t))
		}
	}
	return out
}

// hang indents every line after the first, so a multi-line note stays
// under its stamp instead of running into the left margin, and makes each
// line safe to print (see printable).
func hang(s, pad string) string {
	lines := strings.Split(strings.ReplaceAll(strings.TrimSpace(s), "\r\n", "\n"), "\n")
	for i, l := range lines {
		lines[i] = printable(l)
	}
	return strings.Join(lines, "\n"+pad)
}
