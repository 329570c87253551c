package export

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/sidenote-app/sidenote/app/interview"
)

// WriteMarkdown writes a readable record of the interview: a details
// table, the scorecard (questions with status, time, rating and note),
// talking points, notes stamped [mm:ss], and the transcript with speaker
// labels and stamps. Empty sections are left out.
func WriteMarkdown(w io.Writer, b *interview.Bundle, opts Options) error {
	ew := &errWriter{w: w}
	iv := &b.Interview
	title := strings.TrimSpace(iv.Title)
	if title == "" {
		title = "Untitled interview"
	}
	ew.printf("# %s\n\n", oneLine(title))

	loc := opts.loc()
	wall := func(t time.Time) string { return t.In(loc).Format("2006-01-02 15:04 MST") }
	var rows [][2]string
	add := func(k, v string) {
		if strings.TrimSpace(v) != "" {
			rows = append(rows, [2]string{k, v})
		}
	}
	add("Mode", string(iv.Mode))
	add("Role", iv.Role)
	add("With", iv.OtherName)
	if !iv.ScheduledAt.IsZero() {
		s := wall(iv.ScheduledAt)
		if iv.Length > 0 {
			s += fmt.Sprintf(" (%d min)", int(iv.Length.Minutes()))
		}
		add("Scheduled", s)
	} else if iv.Length > 0 {
		add("Length", fmt.Sprintf("%d min", int(iv.Length.Minutes())))
	}
	if !iv.StartedAt.IsZero() {
		add("Started", wall(iv.StartedAt))
	}
	if !iv.EndedAt.IsZero() {
		add("Ended", wall(iv.EndedAt))
		if ran := iv.RanFor(); ran > 0 {
			add("Duration", interview.Stamp(ran.Milliseconds()))
		}
	}
	add("Platform", iv.Platform)
	add("Link", iv.Link)
	add("Backup phone", iv.BackupPhone)
	add("Documents", iv.Documents)
	add("Language", iv.Language)
	add("State", string(iv.State))
	add("Recording consent", map[bool]string{true: "yes", false: "no"}[iv.RecordingConsent])
	ew.print("| | |\n|---|---|\n")
	for _, r := range rows {
		ew.printf("| %s | %s |\n", r[0], cell(r[1]))
	}
	ew.print("\n")

	qnum := map[int64]int{}
	verdict := iv.Verdict
	hasVerdict := verdict.Rating > 0 || verdict.Recommendation != "" || strings.TrimSpace(verdict.Summary) != ""
	if len(b.Questions) > 0 || hasVerdict {
		ew.print("## Scorecard\n\n")
	}
	if len(b.Questions) > 0 {
		ew.print("| # | Question | Competency | Status | Asked | Rating | Note |\n|--:|---|---|---|--:|:-:|---|\n")
		for i, q := range b.Questions {
			qnum[q.ID] = i + 1
			asked, rating := "", ""
			if q.Status == interview.QuestionAsked {
				asked = interview.Stamp(q.AskedAtMs)
			}
			if q.Rating > 0 {
				rating = fmt.Sprintf("%d/%d", q.Rating, interview.MaxRating)
			}
			text := cell(q.Text)
			if q.Priority == interview.PriorityHigh {
				text = "**" + text + "**"
			}
			ew.printf("| %d | %s | %s | %s | %s | %s | %s |\n", i+1, text, cell(q.Competency), q.Status, asked, rating, cell(q.Note))
		}
		if avg, n := b.AverageRating(); n > 0 {
			ew.printf("\nAverage rating: %.1f of %d over %d rated question%s.\n", avg, interview.MaxRating, n, plural(n))
		}
		ew.print("\n")
	}
	if hasVerdict {
		writeVerdict(ew, verdict)
	}

	if len(b.Points) > 0 {
		ew.print("## Talking points\n\n")
		for _, p := range b.Points {
			box := " "
			if p.Checked {
				box = "x"
			}
			prefix := ""
			if p.Kind == interview.PointKindQuestion {
				prefix = "*Ask:* "
			}
			ew.printf("- [%s] %s%s\n", box, prefix, indent(p.Text, "  "))
		}
		ew.print("\n")
	}

	if len(b.Notes) > 0 {
		ew.print("## Notes\n\n")
		for _, n := range b.Notes {
			ew.printf("- **[%s]** %s", interview.Stamp(n.AtMs), indent(n.Text, "  "))
			if hashtags := interview.HashTags(n.Text); len(n.Tags) > len(hashtags) {
				var extra []string
				for _, t := range n.Tags {
					if !contains(hashtags, t) {
						extra = append(extra, "#"+t)
					}
				}
				ew.printf(" — %s", strings.Join(extra, " "))
			}
			if k, ok := qnum[n.QuestionID]; ok {
				ew.printf(" (Q%d)", k)
			}
			ew.print("\n")
		}
		ew.print("\n")
	}

	if segs := cues(b.Segments); len(segs) > 0 {
		ew.print("## Transcript\n\n")
		for _, s := range segs {
			stamp := interview.Stamp(s.Start.Milliseconds())
			if s.Speaker != "" {
				ew.printf("**[%s] %s:** %s\n\n", stamp, s.Speaker, s.Text)
			} else {
				ew.printf("**[%s]** %s\n\n", stamp, s.Text)
			}
		}
	}
	return ew.err
}

// writeVerdict writes the interviewer's verdict: "Overall: 4/5 ·
// Recommendation: yes", then the summary as a quote, the interviewer's
// own words.
func writeVerdict(ew *errWriter, v interview.Verdict) {
	var parts []string
	if v.Rating > 0 {
		parts = append(parts, fmt.Sprintf("Overall: %d/%d", v.Rating, interview.MaxRating))
	}
	if v.Recommendation != "" {
		parts = append(parts, "Recommendation: "+string(v.Recommendation))
	}
	if len(parts) > 0 {
		ew.printf("%s\n\n", strings.Join(parts, " · "))
	}
	if sum := strings.TrimSpace(strings.ReplaceAll(v.Summary, "\r\n", "\n")); sum != "" {
		for _, line := range strings.Split(sum, "\n") {
			if line = strings.TrimRight(line, " \t"); line == "" {
				ew.print(">\n")
			} else {
				ew.printf("> %s\n", line)
			}
		}
		ew.print("\n")
	}
}

// cell makes text safe inside a Markdown table cell: a pipe would end
// the cell and a newline the row.
func cell(s string) string {
	s = strings.ReplaceAll(strings.TrimSpace(s), "|", `\|`)
	return strings.Join(strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n"), "<br>")
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// indent keeps a multi-line item inside its list item.
func indent(s, pad string) string {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
	return strings.ReplaceAll(s, "\n", "\n"+pad)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
