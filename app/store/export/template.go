package export

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/sidenote-app/sidenote/app/interview"
)

type templateFile struct {
	Format      string                 `json:"format"`
	Version     int                    `json:"version"`
	Name        string                 `json:"name"`
	Description string                 `json:"description,omitempty"`
	Questions   []templateQuestionJSON `json:"questions"`
}

type templateQuestionJSON struct {
	Text       string `json:"text"`
	Competency string `json:"competency,omitempty"`
	Guidance   string `json:"guidance,omitempty"`
	ExpectedMs int64  `json:"expected_ms,omitempty"`
}

// WriteTemplateJSON writes a template for sharing. IDs and times are left
// out: they mean nothing in another library.
func WriteTemplateJSON(w io.Writer, t *interview.Template) error {
	f := templateFile{Format: templateFormat, Version: jsonVersion, Name: t.Name, Description: t.Description,
		Questions: []templateQuestionJSON{}}
	for _, q := range t.Questions {
		f.Questions = append(f.Questions, templateQuestionJSON{Text: q.Text, Competency: q.Competency,
			Guidance: q.Guidance, ExpectedMs: q.Expected.Milliseconds()})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(f)
}

// ReadTemplateJSON reads a template written by WriteTemplateJSON.
func ReadTemplateJSON(r io.Reader) (*interview.Template, error) {
	var f templateFile
	if err := decodeOne(r, &f); err != nil {
		return nil, fmt.Errorf("read template JSON: %w", err)
	}
	if err := checkHeader(f.Format, f.Version, templateFormat); err != nil {
		return nil, fmt.Errorf("read template JSON: %w", err)
	}
	t := &interview.Template{Name: f.Name, Description: f.Description}
	for i, q := range f.Questions {
		t.Questions = append(t.Questions, interview.TemplateQuestion{Position: i + 1, Text: q.Text,
			Competency: q.Competency, Guidance: q.Guidance, Expected: time.Duration(q.ExpectedMs) * time.Millisecond})
	}
	if strings.TrimSpace(t.Name) == "" {
		return nil, fmt.Errorf("read template JSON: %w: the template has no \"name\"", interview.ErrInvalid)
	}
	if len(t.Questions) == 0 {
		return nil, fmt.Errorf("read template JSON: %w: template %q has no questions", interview.ErrInvalid, t.Name)
	}
	if err := t.Validate(); err != nil {
		return nil, fmt.Errorf("read template JSON: %w", err)
	}
	if err := noRepeats(t, func(i int) string { return fmt.Sprintf("question %d", i+1) }); err != nil {
		return nil, fmt.Errorf("read template JSON: %w", err)
	}
	return t, nil
}

// WriteTemplateMarkdown writes a template as a numbered list that reads
// well on its own and that ReadTemplateMarkdown reads back:
//
//	# Name
//
//	Description
//
//	1. Question text
//	   - Competency: design
//	   - Guidance: what a good answer covers
//	   - Time: 10 min
func WriteTemplateMarkdown(w io.Writer, t *interview.Template) error {
	ew := &errWriter{w: w}
	ew.printf("# %s\n\n", oneLine(t.Name))
	if d := strings.TrimSpace(t.Description); d != "" {
		ew.printf("%s\n\n", d)
	}
	for i, q := range t.Questions {
		ew.printf("%d. %s\n", i+1, oneLine(q.Text))
		if q.Competency != "" {
			ew.printf("   - Competency: %s\n", oneLine(q.Competency))
		}
		if q.Guidance != "" {
			ew.printf("   - Guidance: %s\n", oneLine(q.Guidance))
		}
		if q.Expected > 0 {
			ew.printf("   - Time: %s\n", minutes(q.Expected))
		}
	}
	return ew.err
}

func minutes(d time.Duration) string {
	if d%time.Minute == 0 {
		return fmt.Sprintf("%d min", int(d/time.Minute))
	}
	return strconv.FormatFloat(d.Minutes(), 'f', -1, 64) + " min"
}

var (
	itemRe    = regexp.MustCompile(`^(?:\d+[.)]|[-*+])\s+(.*)$`)
	subitemRe = regexp.MustCompile(`^\s+[-*+]\s+([A-Za-zÅÄÖåäö ]+):\s*(.*)$`)
	minutesRe = regexp.MustCompile(`^(\d+(?:[.,]\d+)?)\s*(?:min|minutes?|m)?$`)
)

// ReadTemplateMarkdown reads a question list: the first "# " heading is
// the name, paragraphs before the list the description, each top-level
// item ("1." or "-") a question, and indented "- Competency:",
// "- Guidance:" and "- Time:" items (also Swedish "Kompetens:",
// "Vägledning:", "Tid:") its details. Other lines are ignored, so a list
// pasted from a document works.
func ReadTemplateMarkdown(r io.Reader) (*interview.Template, error) {
	t := &interview.Template{}
	var desc []string
	var lines []int // each question's line, for messages
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for line := 1; sc.Scan(); line++ {
		raw := strings.TrimRight(sc.Text(), " \t\r")
		trimmed := strings.TrimSpace(raw)
		switch {
		case trimmed == "":
		case strings.HasPrefix(trimmed, "# ") && t.Name == "":
			t.Name = strings.TrimSpace(trimmed[2:])
		case raw[0] != ' ' && raw[0] != '\t' && itemRe.MatchString(trimmed):
			text := itemRe.FindStringSubmatch(trimmed)[1]
			t.Questions = append(t.Questions, interview.TemplateQuestion{Position: len(t.Questions) + 1, Text: text})
			lines = append(lines, line)
		case len(t.Questions) > 0 && subitemRe.MatchString(raw):
			m := subitemRe.FindStringSubmatch(raw)
			q := &t.Questions[len(t.Questions)-1]
			switch strings.ToLower(strings.TrimSpace(m[1])) {
			case "competency", "kompetens":
				q.Competency = m[2]
			case "guidance", "vägledning":
				q.Guidance = m[2]
			case "time", "tid":
				mm := minutesRe.FindStringSubmatch(strings.TrimSpace(m[2]))
				if mm == nil {
					return nil, fmt.Errorf("read template Markdown line %d: %w time %q: write minutes, like \"10 min\"", line, interview.ErrInvalid, m[2])
				}
				v, _ := strconv.ParseFloat(strings.ReplaceAll(mm[1], ",", "."), 64)
				q.Expected = time.Duration(v * float64(time.Minute)).Round(time.Millisecond)
			}
		case len(t.Questions) == 0 && t.Name != "" && !strings.HasPrefix(trimmed, "#"):
			desc = append(desc, trimmed)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read template Markdown: %w", err)
	}
	t.Description = strings.Join(desc, "\n")
	if strings.TrimSpace(t.Name) == "" {
		return nil, fmt.Errorf("read template Markdown: %w: no name; start with a heading such as \"# Backend loop\"", interview.ErrInvalid)
	}
	if len(t.Questions) == 0 {
		return nil, fmt.Errorf("read template Markdown: %w: no questions found; write them as a list (\"1. …\" or \"- …\")", interview.ErrInvalid)
	}
	if err := t.Validate(); err != nil {
		return nil, fmt.Errorf("read template Markdown: %w", err)
	}
	if err := noRepeats(t, func(i int) string { return fmt.Sprintf("line %d (question %d)", lines[i], i+1) }); err != nil {
		return nil, fmt.Errorf("read template Markdown: %w", err)
	}
	return t, nil
}

// noRepeats refuses a template that asks the same question twice (the
// same words after trimming, spacing and case aside): in a file that is a
// paste gone wrong, and imported it would score one answer twice. where
// names question i for the message.
func noRepeats(t *interview.Template, where func(i int) string) error {
	first := map[string]int{}
	var repeats []string
	for i, q := range t.Questions {
		key := strings.ToLower(oneLine(q.Text))
		if j, ok := first[key]; ok {
			repeats = append(repeats, fmt.Sprintf("%s repeats %s, %q", where(i), where(j), oneLine(q.Text)))
			continue
		}
		first[key] = i
	}
	if len(repeats) == 0 {
		return nil
	}
	return fmt.Errorf("%w: %s; remove the repeats", interview.ErrInvalid, strings.Join(repeats, "; "))
}

// ReadTemplate reads a template in either format, telling them apart by
// the first non-blank character ('{' is JSON), so `templates import FILE`
// needs no format flag.
func ReadTemplate(r io.Reader) (*interview.Template, error) {
	br := bufio.NewReader(r)
	for {
		c, _, err := br.ReadRune()
		if err != nil {
			return nil, fmt.Errorf("read template: %w: the file is empty", interview.ErrInvalid)
		}
		if unicode.IsSpace(c) || c == '\uFEFF' {
			continue
		}
		br.UnreadRune()
		if c == '{' {
			return ReadTemplateJSON(br)
		}
		return ReadTemplateMarkdown(br)
	}
}
