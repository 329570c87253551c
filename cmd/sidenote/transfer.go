package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/sidenote-app/sidenote/app/interview"
	"github.com/sidenote-app/sidenote/app/store/export"
)

const exportArgs = "ID [-f md|json|srt|vtt|txt] [-o FILE]"

func cmdExport(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "export", exportArgs)
	format := fs.String("f", "", "format: md, json, srt, vtt or txt (default: from -o's extension, else md)")
	out := fs.String("o", "", "write to this file instead of standard output")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	id, err := oneID("interview", pos)
	if err != nil {
		return err
	}
	f, err := exportFormat(*format, *out)
	if err != nil {
		return err
	}
	if err := checkOutputFolder(*out); err != nil {
		return err
	}
	s, b, err := loadInterview(ctx, e, id)
	if err != nil {
		return err
	}
	defer s.Close()
	if len(b.Segments) == 0 && (f == export.SRT || f == export.VTT || f == export.Text) {
		fmt.Fprintf(e.stderr, "sidenote export: interview %d has no transcript, so the %s file holds no text; -f md has the notes\n", id, f)
	}
	write := func(w io.Writer) error { return export.Write(w, f, b, export.Options{}) }
	if *out == "" {
		return write(e.stdout)
	}
	return writeFileAtomic(*out, write)
}

// exportFormat picks the format from -f, else from -o's extension, else
// Markdown. An extension that names no format is refused rather than
// guessed: Markdown written to notes.pdf helps nobody.
func exportFormat(flagValue, out string) (export.Format, error) {
	if flagValue != "" {
		f, err := export.ParseFormat(flagValue)
		if err != nil {
			return "", usageErrorf("-f %q: use md, json, srt, vtt or txt", flagValue)
		}
		return f, nil
	}
	ext := filepath.Ext(out)
	if ext == "" {
		return export.Markdown, nil
	}
	f, err := export.ParseFormat(ext)
	if err != nil {
		return "", usageErrorf("cannot tell the format from %q; name the file .md, .json, .srt, .vtt or .txt, or add -f", filepath.Base(out))
	}
	return f, nil
}

// checkOutputFolder fails before any work when -o names a file in a folder
// that does not exist, with a message about the folder rather than the
// temporary file writeFileAtomic would have made there.
func checkOutputFolder(out string) error {
	if out == "" {
		return nil
	}
	dir := filepath.Dir(out)
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return fmt.Errorf("cannot write %s: the folder %s does not exist", out, dir)
	}
	return nil
}

func cmdImport(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "import", "FILE.json...")
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return usageErrorf("name an interview file to import (one written by sidenote export -f json)")
	}
	// Read every file before changing anything, so a bad third file does
	// not leave the first two imported and the user unsure what happened.
	bundles := make([]*interview.Bundle, len(files))
	for i, name := range files {
		if bundles[i], err = readInterviewFile(name); err != nil {
			return err
		}
	}
	s, err := openLibrary(e, true)
	if err != nil {
		return err
	}
	defer s.Close()
	for i, b := range bundles {
		// The audio a file names is copied in from beside the file, never
		// used where it lies; what cannot be is left out, said here.
		res, err := s.ImportFrom(ctx, b, filepath.Dir(files[i]))
		if err != nil {
			return fmt.Errorf("%s: %w", files[i], err)
		}
		for _, sk := range res.Skipped {
			fmt.Fprintf(e.stderr, "sidenote import: %s: left out %s\n", files[i], printable(sk.Error()))
		}
		b.Recordings = res.Recordings
		fmt.Fprintf(e.stdout, "%s: imported as interview %d, \"%s\" (%s)\n", files[i], res.ID, titleOf(b.Interview), contents(b))
	}
	return nil
}

// readInterviewFile reads an interview export, saying which file failed
// and why in words a user can act on.
func readInterviewFile(name string) (*interview.Bundle, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := export.ReadJSON(f)
	switch {
	case err == nil:
		return b, nil
	case errors.Is(err, export.ErrNewerFile):
		return nil, fmt.Errorf("%s: %w", name, err)
	case strings.Contains(err.Error(), `"sidenote-template"`):
		return nil, fmt.Errorf("%s is a template, not an interview; import it with: sidenote templates import %s", name, name)
	}
	return nil, fmt.Errorf("%s is not a Sidenote interview export, or it is damaged: %w", name, err)
}

// contents says what an interview holds, for import and delete messages.
func contents(b *interview.Bundle) string {
	var parts []string
	add := func(n int, one, many string) {
		if n > 0 {
			parts = append(parts, count(n, one, many))
		}
	}
	add(len(b.Notes), "note", "notes")
	add(len(b.Questions), "question", "questions")
	add(len(b.Segments), "transcript line", "transcript lines")
	add(len(b.Recordings), "recording", "recordings")
	switch len(parts) {
	case 0:
		return "empty"
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

// stdinIsTerminal reports whether a person can answer a question on r.
// /dev/null is a character device too, and is what cron, CI and
// "< /dev/null" give; it must count as no one there. A variable so a test
// can stand in for the person.
var stdinIsTerminal = func(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	if err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return false
	}
	null, err := os.Stat(os.DevNull)
	return err != nil || !os.SameFile(fi, null)
}

func cmdDelete(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "delete", "ID [-y]")
	yes := fs.Bool("y", false, "delete without asking (needed when not run from a terminal)")
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
	iv := &b.Interview
	if iv.State.Active() {
		// Its rows are being written by the window right now (or it
		// crashed and has not been reopened, which marks it interrupted).
		return fmt.Errorf("interview %d is %s in the Sidenote window; end it there first", id, iv.State)
	}
	what := fmt.Sprintf("interview %d \"%s\"", id, titleOf(*iv))
	if !*yes {
		if !stdinIsTerminal(e.stdin) {
			return usageErrorf("not deleting %s without confirmation: add -y to delete it", what)
		}
		fmt.Fprintf(e.stderr, "Delete %s with %s? This cannot be undone. [y/N] ", what, deleteContents(b))
		answer, err := ask(ctx, e.stdin)
		if err != nil {
			fmt.Fprintln(e.stderr) // end the question's line
			return err
		}
		if a := strings.ToLower(strings.TrimSpace(answer)); a != "y" && a != "yes" {
			fmt.Fprintln(e.stdout, "Not deleted.")
			return nil
		}
	}
	if err := s.DeleteInterview(ctx, id); err != nil {
		return interviewErr(err, id)
	}
	fmt.Fprintf(e.stdout, "Deleted %s (%s).\n", what, contents(b))
	return nil
}

// deleteContents names what goes with the interview, for the question.
func deleteContents(b *interview.Bundle) string {
	c := contents(b)
	if c == "empty" {
		return "nothing in it yet"
	}
	return c
}

// ask waits for a line on r. Ctrl+C is caught to cancel ctx rather than
// kill the process, so waiting must give way to it.
func ask(ctx context.Context, r io.Reader) (string, error) {
	got := make(chan string, 1)
	go func() {
		line, _ := readLine(r)
		got <- line
	}()
	select {
	case line := <-got:
		return line, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// readLine reads up to a newline one byte at a time, so nothing after the
// answer is taken from stdin.
func readLine(r io.Reader) (string, error) {
	var sb strings.Builder
	buf := make([]byte, 1)
	for {
		n, err := r.Read(buf)
		if n == 1 {
			if buf[0] == '\n' {
				return sb.String(), nil
			}
			sb.WriteByte(buf[0])
		}
		if err != nil {
			return sb.String(), err
		}
	}
}
