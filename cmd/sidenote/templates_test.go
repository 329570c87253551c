package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sidenote-app/sidenote/app/interview"
	"github.com/sidenote-app/sidenote/app/store/export"
)

const templateMarkdown = `# Backend loop

Same questions, same order, for every candidate.

1. Design a job queue
   - Competency: design
   - Guidance: retries, idempotency
   - Time: 10 min
2. Berätta om en konflikt
   - Kompetens: samarbete
3. What do you want to ask us?
`

var templateImportedRe = regexp.MustCompile(`imported as template (\d+)`)

// importTemplate runs templates import and returns the new template's ID.
func importTemplate(t *testing.T, data, file string) int64 {
	t.Helper()
	code, out, errOut := runCLI(t, data, "templates", "import", file)
	m := templateImportedRe.FindStringSubmatch(out)
	if code != 0 || m == nil {
		t.Fatalf("templates import %s: exit %d, stdout %q, stderr %q", file, code, out, errOut)
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

func TestTemplatesRoundTrip(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	md := filepath.Join(dir, "loop.md")
	must(t, os.WriteFile(md, []byte(templateMarkdown), 0o600))

	mdID := importTemplate(t, data, md)
	s := openTestStore(t, data)
	ctx := context.Background()
	tpl, err := s.Template(ctx, mdID)
	must(t, err)
	want := []interview.TemplateQuestion{
		{Position: 1, Text: "Design a job queue", Competency: "design", Guidance: "retries, idempotency", Expected: 10 * time.Minute},
		{Position: 2, Text: "Berätta om en konflikt", Competency: "samarbete"},
		{Position: 3, Text: "What do you want to ask us?"},
	}
	if tpl.Name != "Backend loop" || tpl.Description != "Same questions, same order, for every candidate." || !sameQuestions(tpl.Questions, want) {
		t.Fatalf("imported from Markdown: %+v", tpl)
	}

	// export -f json equals the export package, and imports back the same.
	idArg := strconv.FormatInt(mdID, 10)
	code, out, errOut := runCLI(t, data, "templates", "export", idArg, "-f", "json")
	var wantJSON bytes.Buffer
	must(t, export.WriteTemplateJSON(&wantJSON, &tpl))
	if code != 0 || out != wantJSON.String() {
		t.Fatalf("export -f json: exit %d (%s):\n%s", code, errOut, out)
	}
	jsonFile := filepath.Join(dir, "loop.json")
	if code, _, errOut := runCLI(t, data, "templates", "export", idArg, "-o", jsonFile); code != 0 {
		t.Fatalf("export -o loop.json: exit %d, %s", code, errOut)
	}
	if got, _ := os.ReadFile(jsonFile); string(got) != wantJSON.String() {
		t.Errorf("-o loop.json did not write JSON:\n%s", got)
	}
	jsonID := importTemplate(t, data, jsonFile)
	back, err := s.Template(ctx, jsonID)
	must(t, err)
	if back.Name != tpl.Name || back.Description != tpl.Description || !sameQuestions(back.Questions, tpl.Questions) {
		t.Errorf("JSON round trip:\n got %+v\nwant %+v", back, tpl)
	}

	// Markdown is the default and reads back the same.
	code, out, _ = runCLI(t, data, "templates", "export", idArg)
	var wantMD bytes.Buffer
	must(t, export.WriteTemplateMarkdown(&wantMD, &tpl))
	if code != 0 || out != wantMD.String() {
		t.Errorf("export (Markdown): exit %d:\n%s", code, out)
	}
	mdAgain := filepath.Join(dir, "again.md")
	must(t, os.WriteFile(mdAgain, []byte(out), 0o600))
	again, err := s.Template(ctx, importTemplate(t, data, mdAgain))
	must(t, err)
	if !sameQuestions(again.Questions, tpl.Questions) {
		t.Errorf("Markdown round trip: %+v", again.Questions)
	}

	code, out, _ = runCLI(t, data, "templates", "list")
	rows := tableRows(out)
	if code != 0 || len(rows) != 3 || !strings.Contains(rows[mdID], "Backend loop") || !strings.Contains(rows[mdID], " 3 ") ||
		!strings.Contains(rows[mdID], "Same questions") {
		t.Errorf("templates list: exit %d:\n%s", code, out)
	}
}

// sameQuestions compares questions without their database IDs.
func sameQuestions(a, b []interview.TemplateQuestion) bool {
	strip := func(qs []interview.TemplateQuestion) []interview.TemplateQuestion {
		out := append([]interview.TemplateQuestion(nil), qs...)
		for i := range out {
			out[i].ID = 0
		}
		return out
	}
	return reflect.DeepEqual(strip(a), strip(b))
}

func TestTemplatesErrors(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		must(t, os.WriteFile(p, []byte(content), 0o600))
		return p
	}
	if code, out, _ := runCLI(t, data, "templates", "list"); code != 0 || !strings.Contains(out, "No templates yet") {
		t.Errorf("empty list: exit %d, %q", code, out)
	}
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no subcommand", []string{"templates"}, 2, "which templates command?"},
		{"unknown subcommand", []string{"templates", "rm", "1"}, 2, `unknown templates command "rm"`},
		{"no file", []string{"templates", "import"}, 2, "name a template file"},
		{"no heading", []string{"templates", "import", write("list.md", "1. a\n2. b\n")}, 1, `needs its name as a heading first, such as "# Backend loop"`},
		{"no questions", []string{"templates", "import", write("prose.md", "# Name\n\nJust prose.\n")}, 1, "no questions found"},
		{"no questions JSON", []string{"templates", "import", write("none.json", `{"format":"sidenote-template","version":1,"name":"x","questions":[]}`)}, 1, `template "x" has no questions`},
		{"repeated question", []string{"templates", "import", write("dup.md", "# Loop\n1. Why us?\n2. Strengths?\n3. why us?\n4. strengths?\n")}, 1,
			`invalid: line 4 (question 3) repeats line 2 (question 1), "why us?"; line 5 (question 4) repeats line 3 (question 2), "strengths?"; remove the repeats`},
		{"trailing data", []string{"templates", "import", write("two.json", `{"format":"sidenote-template","version":1,"name":"x","questions":[{"text":"a"}]}{}`)}, 1, "more after the JSON value"},
		{"an interview", []string{"templates", "import", write("iv.json", `{"format":"sidenote-interview","version":1}`)}, 1, "is not a sidenote-template file"},
		{"newer", []string{"templates", "import", write("new.json", `{"format":"sidenote-template","version":9,"name":"x"}`)}, 1, "newer version of Sidenote"},
		{"missing file", []string{"templates", "import", filepath.Join(dir, "nope.md")}, 1, "no such file"},
		{"missing template", []string{"templates", "export", "7"}, 1, "no template with ID 7; run 'sidenote templates list'"},
		{"bad format", []string{"templates", "export", "7", "-f", "srt"}, 2, "a template is written as md or json"},
		{"bad extension", []string{"templates", "export", "7", "-o", filepath.Join(dir, "t.docx")}, 2, "a template is written as md or json"},
		{"bad ID", []string{"templates", "export", "seven"}, 2, "template ID must be a positive number"},
	}
	for _, tt := range tests {
		code, out, errOut := runCLI(t, data, tt.args...)
		if code != tt.code || out != "" || !strings.Contains(errOut, tt.want) {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want exit %d and %q", tt.name, code, out, errOut, tt.code, tt.want)
		}
		if tt.code == 1 && strings.Count(errOut, "\n") != 1 {
			t.Errorf("%s: want one line, got %q", tt.name, errOut)
		}
	}
}
