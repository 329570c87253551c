package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/sidenote-app/sidenote/app/interview"
	"github.com/sidenote-app/sidenote/app/store"
)

// The library commands read and change the interview database. They are
// thin: every rule lives in app/store and app/interview, and these only
// parse flags, open the store and print.
//
// They never call store.Recover. The window may be running a live
// interview in the same database right now; recovering would mark it as
// interrupted under its feet. Only the app that runs interviews recovers.

// errNoLibrary means the data folder has no database yet: nothing was ever
// saved there. Read-only commands say so kindly instead of creating an
// empty database as a side effect of looking.
var errNoLibrary = errors.New("no interviews yet")

// noLibraryHint is what an empty library tells the user.
const noLibraryHint = "No interviews yet. Interviews you plan or run in the Sidenote window are saved here;\n" +
	"to bring one in from an export, run: sidenote import FILE.json"

// openLibrary opens the interview database in the data folder. With create
// false a missing database is errNoLibrary rather than a new empty file.
func openLibrary(e *env, create bool) (*store.Store, error) {
	path := e.dirs.Database()
	if !create {
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return nil, errNoLibrary
		}
	}
	return store.Open(path, store.WithLogger(e.log), store.WithRecordings(e.dirs.Recordings()))
}

// loadInterview opens the library and reads interview id whole, with the
// errors a user acts on. The caller closes the store.
func loadInterview(ctx context.Context, e *env, id int64) (*store.Store, *interview.Bundle, error) {
	s, err := openLibrary(e, false)
	if err != nil {
		return nil, nil, interviewErr(err, id)
	}
	b, err := s.Load(ctx, id)
	if err != nil {
		s.Close()
		return nil, nil, interviewErr(err, id)
	}
	return s, b, nil
}

// interviewErr turns a store error about interview id into the line a user
// acts on; anything else already says what failed and what to do.
func interviewErr(err error, id int64) error {
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, errNoLibrary) {
		return fmt.Errorf("no interview with ID %d; run 'sidenote list' to see the IDs", id)
	}
	return err
}

// parseID reads an interview or template ID as typed ("12" or "#12").
func parseID(what, s string) (int64, error) {
	id, err := strconv.ParseInt(strings.TrimPrefix(s, "#"), 10, 64)
	if err != nil || id <= 0 {
		return 0, usageErrorf("%s ID must be a positive number, got %q", what, s)
	}
	return id, nil
}

// oneID checks that exactly one positional argument, an ID, was given.
func oneID(what string, pos []string) (int64, error) {
	if len(pos) != 1 {
		return 0, usageErrorf("give one %s ID, got %d arguments", what, len(pos))
	}
	return parseID(what, pos[0])
}

// parseSince reads -since: a date (2026-01-31, from local midnight), an
// age (36h, 7d, 2w), today or yesterday.
func parseSince(s string, now time.Time) (time.Time, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	midnight := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	switch s {
	case "":
		return time.Time{}, nil
	case "today":
		return midnight, nil
	case "yesterday":
		return midnight.AddDate(0, 0, -1), nil
	}
	if t, err := time.ParseInLocation("2006-01-02", s, now.Location()); err == nil {
		return t, nil
	}
	if n := len(s); n >= 2 {
		if v, err := strconv.Atoi(s[:n-1]); err == nil && v >= 0 {
			switch s[n-1] {
			case 'h':
				return now.Add(-time.Duration(v) * time.Hour), nil
			case 'd':
				return now.AddDate(0, 0, -v), nil
			case 'w':
				return now.AddDate(0, 0, -7*v), nil
			}
		}
	}
	return time.Time{}, usageErrorf("-since %q: use a date such as 2026-01-31, an age such as 36h, 7d or 2w, or today", s)
}

// filterFlags are the filters list and search share, the Library's in
// the window: -mode, -since, -template and -tag.
type filterFlags struct {
	mode, since, template, tag *string
}

func addFilterFlags(fs *flag.FlagSet) filterFlags {
	return filterFlags{
		mode:     fs.String("mode", "", "only interviews in this mode: interviewer, candidate or practice"),
		since:    fs.String("since", "", "only interviews since a date (2026-01-31), in the last 36h, 7d or 2w, or today"),
		template: fs.String("template", "", "only interviews made from this template (its name or id; see sidenote templates list)"),
		tag:      fs.String("tag", "", "only interviews with a note carrying this #tag"),
	}
}

// filters is what the flags say, in the store's terms; the template is
// resolved once the library is open.
type filters struct {
	mode     interview.Mode
	since    time.Time
	template string
	tag      string
}

func (f filterFlags) parse() (filters, error) {
	var out filters
	if *f.mode != "" {
		m, err := interview.ParseMode(*f.mode)
		if err != nil {
			return out, usageErrorf("-mode %q: use interviewer, candidate or practice", *f.mode)
		}
		out.mode = m
	}
	if *f.tag != "" {
		if out.tag = interview.NormalizeTag(*f.tag); out.tag == "" {
			return out, usageErrorf("-tag %q: a tag is letters, digits, - or _, such as concern or follow-up", *f.tag)
		}
	}
	out.template = strings.TrimSpace(*f.template)
	var err error
	out.since, err = parseSince(*f.since, time.Now())
	return out, err
}

// any reports whether some filter is set.
func (f filters) any() bool { return f != filters{} }

// templateID finds the template -template names: its id, or its name
// (case does not matter). 0 when the flag is empty.
func (f filters) templateID(ctx context.Context, s *store.Store) (int64, error) {
	if f.template == "" {
		return 0, nil
	}
	all, err := s.Templates(ctx)
	if err != nil {
		return 0, err
	}
	var found []interview.Template
	for _, t := range all {
		if strconv.FormatInt(t.ID, 10) == f.template || strings.EqualFold(t.Name, f.template) {
			found = append(found, t)
		}
	}
	switch len(found) {
	case 0:
		return 0, usageErrorf("-template %q: no template has that name or id; sidenote templates list shows them", f.template)
	case 1:
		return found[0].ID, nil
	}
	return 0, usageErrorf("-template %q: %d templates have that name; give the id (sidenote templates list)", f.template, len(found))
}

func cmdList(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "list", listArgs)
	filters := addFilterFlags(fs)
	state := fs.String("state", "", "only interviews in this state: planned, live, paused, interrupted or ended")
	asJSON := fs.Bool("json", false, "print JSON for scripts instead of a table")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageErrorf("list takes no arguments, got %q (to find words, use sidenote search)", strings.Join(pos, " "))
	}
	f, err := filters.parse()
	if err != nil {
		return err
	}
	opts := store.ListOptions{Mode: f.mode, Since: f.since, Tag: f.tag}
	if *state != "" {
		st, err := interview.ParseState(*state)
		if err != nil {
			return usageErrorf("-state %q: use planned, live, paused, interrupted or ended", *state)
		}
		opts.State = st
	}

	var ivs []interview.Interview
	s, err := openLibrary(e, false)
	switch {
	case errors.Is(err, errNoLibrary):
	case err != nil:
		return err
	default:
		defer s.Close()
		if opts.TemplateID, err = f.templateID(ctx, s); err != nil {
			return err
		}
		if ivs, err = s.ListInterviews(ctx, opts); err != nil {
			return err
		}
	}
	if *asJSON {
		return writeListJSON(e.stdout, ivs)
	}
	if len(ivs) == 0 {
		if s != nil && (f.any() || opts.State != "") {
			fmt.Fprintln(e.stdout, "No interviews match; run 'sidenote list' without flags to see them all.")
			return nil
		}
		fmt.Fprintln(e.stdout, noLibraryHint)
		return nil
	}

	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tWHEN\tTITLE\tWITH\tMODE\tLENGTH\tSTATE")
	interrupted := 0
	for _, iv := range ivs {
		st := string(iv.State)
		if iv.State == interview.StateInterrupted {
			st = "INTERRUPTED !"
			interrupted++
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", iv.ID, localTime(iv.When()), clip(titleOf(iv), 40),
			clip(orDash(iv.OtherName), 24), iv.Mode, lengthOf(iv), st)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if interrupted > 0 {
		fmt.Fprintf(e.stdout, "\n! %s stopped while live (Sidenote quit or crashed); what was saved is kept. Open it in the window to resume or end it.\n",
			count(interrupted, "interview", "interviews"))
	}
	return nil
}

const listArgs = "[-mode interviewer|candidate|practice] [-since 2026-01-31|7d|2w] [-template NAME|ID] [-tag TAG] [-state STATE] [-json]"

// listEntry is one interview in `list -json`: a stable shape for scripts,
// separate from the Go types like the export formats are.
type listEntry struct {
	ID          int64     `json:"id"`
	Title       string    `json:"title"`
	Role        string    `json:"role,omitempty"`
	OtherName   string    `json:"other_name,omitempty"`
	Mode        string    `json:"mode"`
	State       string    `json:"state"`
	When        time.Time `json:"when"`
	ScheduledAt time.Time `json:"scheduled_at,omitzero"`
	LengthMs    int64     `json:"length_ms,omitempty"`
	StartedAt   time.Time `json:"started_at,omitzero"`
	EndedAt     time.Time `json:"ended_at,omitzero"`
	Platform    string    `json:"platform,omitempty"`
}

func writeListJSON(w io.Writer, ivs []interview.Interview) error {
	out := make([]listEntry, 0, len(ivs))
	for _, iv := range ivs {
		out = append(out, listEntry{ID: iv.ID, Title: iv.Title, Role: iv.Role, OtherName: iv.OtherName,
			Mode: string(iv.Mode), State: string(iv.State), When: iv.When().UTC(), ScheduledAt: iv.ScheduledAt,
			LengthMs: iv.Length.Milliseconds(), StartedAt: iv.StartedAt, EndedAt: iv.EndedAt, Platform: iv.Platform})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

// localTime is a wall-clock time as the library shows it.
func localTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Local().Format("2006-01-02 15:04")
}

// lengthOf is how long the interview took, or how long it is planned to
// take when it has not run.
func lengthOf(iv interview.Interview) string {
	switch {
	case !iv.StartedAt.IsZero() && !iv.EndedAt.IsZero():
		return minutesOf(iv.EndedAt.Sub(iv.StartedAt))
	case iv.Length > 0:
		return minutesOf(iv.Length) + " planned"
	}
	return "-"
}

func minutesOf(d time.Duration) string {
	if d < time.Minute {
		return fmt.Sprintf("%d s", int(d.Seconds()))
	}
	return fmt.Sprintf("%d min", int(d.Round(time.Minute).Minutes()))
}

// titleOf is an interview's title on one line, safe to print (see
// printable).
func titleOf(iv interview.Interview) string {
	if t := oneLine(iv.Title); t != "" {
		return printable(t)
	}
	return "(untitled)"
}

// orDash is stored text on one line, safe to print, or "-" when empty.
func orDash(s string) string {
	if s = oneLine(s); s == "" {
		return "-"
	}
	return printable(s)
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// clip shortens s to at most n characters, marking the cut, so one long
// title does not push a table off the screen.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// count writes "1 note", "3 notes".
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

func cmdSearch(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "search", searchArgs)
	filters := addFilterFlags(fs)
	limit := fs.Int("limit", 20, "show at most this many matches")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		if strings.Contains(err.Error(), "flag provided but not defined") {
			return fmt.Errorf("%w (to search for a word that starts with -, put -- before it)", err)
		}
		return err
	}
	query := strings.Join(pos, " ")
	if strings.TrimSpace(query) == "" {
		return usageErrorf("what should I search for? give one or more words")
	}
	if *limit < 1 {
		return usageErrorf("-limit must be at least 1, got %d", *limit)
	}
	f, err := filters.parse()
	if err != nil {
		return err
	}
	opts := store.SearchOptions{Limit: *limit, Mode: f.mode, Since: f.since, Tag: f.tag}
	if store.MatchExpression(query, false) == "" {
		fmt.Fprintf(e.stdout, "Nothing to search for in %q: search looks for words and numbers.\n", query)
		return nil
	}
	s, err := openLibrary(e, false)
	if errors.Is(err, errNoLibrary) {
		fmt.Fprintln(e.stdout, noLibraryHint)
		return nil
	}
	if err != nil {
		return err
	}
	defer s.Close()
	if opts.TemplateID, err = f.templateID(ctx, s); err != nil {
		return err
	}
	hits, err := s.Search(ctx, query, opts)
	if err != nil {
		return err
	}
	if len(hits) == 0 {
		if f.any() {
			fmt.Fprintf(e.stdout, "No matches for %q in the interviews the filters select; try without them.\n", query)
			return nil
		}
		fmt.Fprintf(e.stdout, "No matches for %q.\n", query)
		return nil
	}
	writeHits(e.stdout, hits, isTerminal(e.stdout))
	if len(hits) == *limit {
		fmt.Fprintf(e.stdout, "\nShowing the best %d matches; use -limit to see more.\n", len(hits))
	}
	return nil
}

const searchArgs = "[-mode MODE] [-since 2026-01-31|7d|2w] [-template NAME|ID] [-tag TAG] [-limit N] WORDS..."

// writeHits prints matches grouped by interview, the interviews in the
// order of their best match, each match in rank order under it.
func writeHits(w io.Writer, hits []store.Hit, bold bool) {
	var order []int64
	byInterview := map[int64][]store.Hit{}
	for _, h := range hits {
		if _, ok := byInterview[h.InterviewID]; !ok {
			order = append(order, h.InterviewID)
		}
		byInterview[h.InterviewID] = append(byInterview[h.InterviewID], h)
	}
	mark := strings.NewReplacer() // keep « » as they are
	if bold {
		mark = strings.NewReplacer(store.SnippetStart, "\x1b[1m", store.SnippetEnd, "\x1b[22m")
	}
	width := 0
	for _, h := range hits {
		width = max(width, len(hitStamp(h)))
	}
	for i, id := range order {
		hs := byInterview[id]
		if i > 0 {
			fmt.Fprintln(w)
		}
		title := titleOf(interview.Interview{Title: hs[0].InterviewTitle})
		fmt.Fprintf(w, "%d  %s  (%s)\n", id, title, localTime(hs[0].InterviewWhen))
		for _, h := range hs {
			// Escaped before the bold marks go in: those are ours.
			fmt.Fprintf(w, "  %-*s %-10s %s\n", width, hitStamp(h), hitKind(h.Kind), mark.Replace(printable(oneLine(h.Snippet))))
		}
	}
	n := len(hits)
	fmt.Fprintf(w, "\n%s in %s.\n", count(n, "match", "matches"), count(len(order), "interview", "interviews"))
}

// hitStamp is where in the interview a hit is; a question never asked has
// no time.
func hitStamp(h store.Hit) string {
	if h.AtMs < 0 {
		return "[--:--]"
	}
	return "[" + interview.Stamp(h.AtMs) + "]"
}

func hitKind(k store.Kind) string {
	if k == store.KindSegment {
		return "transcript"
	}
	return string(k)
}
