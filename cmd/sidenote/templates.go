package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/sidenote-app/sidenote/app/interview"
	"github.com/sidenote-app/sidenote/app/store"
	"github.com/sidenote-app/sidenote/app/store/export"
)

const templatesUsage = "list|import FILE.md|FILE.json|export ID [-f md|json] [-o FILE]"

const noTemplatesHint = "No templates yet. A template is a question plan reused for every candidate; import one with:\n" +
	"  sidenote templates import FILE.md    (a \"# Name\" heading, then the questions as a numbered list)\n" +
	"  sidenote templates import FILE.json  (one written by sidenote templates export -f json)"

func cmdTemplates(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return usageErrorf("which templates command?")
	}
	sub, rest := args[0], args[1:]
	switch sub {
	case "list", "ls":
		return templatesList(ctx, e, rest)
	case "import":
		return templatesImport(ctx, e, rest)
	case "export":
		return templatesExport(ctx, e, rest)
	case "-h", "--help", "help":
		fmt.Fprintf(e.stdout, "usage: sidenote templates %s\n", templatesUsage)
		return nil
	}
	return usageErrorf("unknown templates command %q", sub)
}

// templateErr is interviewErr for templates.
func templateErr(err error, id int64) error {
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, errNoLibrary) {
		return fmt.Errorf("no template with ID %d; run 'sidenote templates list' to see the IDs", id)
	}
	return err
}

func templatesList(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "templates list", "")
	if pos, err := parseInterspersed(fs, args); err != nil {
		return err
	} else if len(pos) > 0 {
		return usageErrorf("templates list takes no arguments")
	}
	s, err := openLibrary(e, false)
	if errors.Is(err, errNoLibrary) {
		fmt.Fprintln(e.stdout, noTemplatesHint)
		return nil
	}
	if err != nil {
		return err
	}
	defer s.Close()
	ts, err := s.Templates(ctx)
	if err != nil {
		return err
	}
	if len(ts) == 0 {
		fmt.Fprintln(e.stdout, noTemplatesHint)
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tQUESTIONS\tABOUT")
	for _, t := range ts {
		fmt.Fprintf(tw, "%d\t%s\t%d\t%s\n", t.ID, clip(orDash(t.Name), 40), len(t.Questions), clip(orDash(t.Description), 50))
	}
	return tw.Flush()
}

func templatesImport(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "templates import", "FILE.md|FILE.json...")
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return usageErrorf("name a template file: Markdown (a \"# Name\" heading and a numbered list of questions) or JSON")
	}
	ts := make([]*interview.Template, len(files))
	for i, name := range files {
		if ts[i], err = readTemplateFile(name); err != nil {
			return err
		}
	}
	s, err := openLibrary(e, true)
	if err != nil {
		return err
	}
	defer s.Close()
	for i, t := range ts {
		if err := s.CreateTemplate(ctx, t); err != nil {
			return fmt.Errorf("%s: %w", files[i], err)
		}
		fmt.Fprintf(e.stdout, "%s: imported as template %d, \"%s\" (%s)\n", files[i], t.ID, orDash(t.Name),
			count(len(t.Questions), "question", "questions"))
	}
	return nil
}

func readTemplateFile(name string) (*interview.Template, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	text := strings.TrimLeft(string(data), " \t\r\n\uFEFF")
	if text != "" && text[0] != '{' && !hasHeading(text) {
		return nil, fmt.Errorf("%s: a Markdown template needs its name as a heading first, such as \"# Backend loop\", then the questions as a list", name)
	}
	t, err := export.ReadTemplate(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return t, nil
}

// hasHeading reports whether Markdown text has a "# " heading line, which
// export.ReadTemplateMarkdown takes as the template's name.
func hasHeading(text string) bool {
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "# ") {
			return true
		}
	}
	return false
}

func templatesExport(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "templates export", "ID [-f md|json] [-o FILE]")
	format := fs.String("f", "", "format: md or json (default: from -o's extension, else md)")
	out := fs.String("o", "", "write to this file instead of standard output")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	id, err := oneID("template", pos)
	if err != nil {
		return err
	}
	f, err := exportFormat(*format, *out)
	if err != nil || (f != export.Markdown && f != export.JSON) {
		return usageErrorf("a template is written as md or json; use -f md or -f json, or name the file .md or .json")
	}
	if err := checkOutputFolder(*out); err != nil {
		return err
	}
	s, err := openLibrary(e, false)
	if err != nil {
		return templateErr(err, id)
	}
	defer s.Close()
	t, err := s.Template(ctx, id)
	if err != nil {
		return templateErr(err, id)
	}
	write := func(w io.Writer) error {
		if f == export.JSON {
			return export.WriteTemplateJSON(w, &t)
		}
		return export.WriteTemplateMarkdown(w, &t)
	}
	if *out == "" {
		return write(e.stdout)
	}
	return writeFileAtomic(*out, write)
}
