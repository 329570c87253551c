package export

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/sidenote-app/sidenote/app/interview"
)

// TestReadJSONRejectsTrailingData: a file holds one value; whatever
// follows it is refused rather than silently dropped.
func TestReadJSONRejectsTrailingData(t *testing.T) {
	var one bytes.Buffer
	b := &interview.Bundle{Interview: interview.Interview{Title: "one", Mode: interview.ModePractice, State: interview.StateEnded}}
	if err := WriteJSON(&one, b); err != nil {
		t.Fatal(err)
	}
	var tpl bytes.Buffer
	if err := WriteTemplateJSON(&tpl, sampleTemplate()); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		file string
		read func(string) error
	}{
		{"interview", one.String(), func(s string) error { _, err := ReadJSON(strings.NewReader(s)); return err }},
		{"template", tpl.String(), func(s string) error { _, err := ReadTemplateJSON(strings.NewReader(s)); return err }},
	} {
		if err := c.read(c.file + "\n\n \t\n"); err != nil {
			t.Errorf("%s with trailing white space: %v", c.name, err)
		}
		for _, tail := range []string{c.file, "garbage", "]", `{"title":"smuggled"}`, "\x00"} {
			err := c.read(c.file + tail)
			if !errors.Is(err, interview.ErrInvalid) || !strings.Contains(err.Error(), "more after the JSON value ends at byte") {
				t.Errorf("%s followed by %q: got %v, want ErrInvalid saying there is more", c.name, tail, err)
			}
		}
	}
}

// TestReadTemplateRefusesEmptyAndRepeats: no name, no questions, or the
// same question twice are refused, naming the line or question.
func TestReadTemplateRefusesEmptyAndRepeats(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"md no name", "1. Why us?\n", `no name; start with a heading such as "# Backend loop"`},
		{"md blank heading", "#   \n1. Why us?\n", "no name"},
		{"md no questions", "# Loop\n\nJust prose.\n", "no questions found"},
		{"md repeat", "# Loop\n\n1. Why us?\n2. Tell me about a conflict\n3.   why  US? \n",
			`line 5 (question 3) repeats line 3 (question 1), "why US?"`},
		{"md two repeats", "# Loop\n- A\n- B\n- a\n- b\n", `line 5 (question 4) repeats line 3 (question 2), "b"`},
		{"json no name", `{"format":"sidenote-template","version":1,"name":"  ","questions":[{"text":"a"}]}`, `the template has no "name"`},
		{"json no questions", `{"format":"sidenote-template","version":1,"name":"Loop","questions":[]}`, `template "Loop" has no questions`},
		{"json questions missing", `{"format":"sidenote-template","version":1,"name":"Loop"}`, `template "Loop" has no questions`},
		{"json empty question", `{"format":"sidenote-template","version":1,"name":"Loop","questions":[{"text":"a"},{"text":" "}]}`, "question 2: the text is empty"},
		{"json repeat", `{"format":"sidenote-template","version":1,"name":"Loop","questions":[{"text":"Why us?"},{"text":"b"},{"text":"WHY us?"}]}`,
			`question 3 repeats question 1, "WHY us?"`},
	}
	for _, tt := range tests {
		_, err := ReadTemplate(strings.NewReader(tt.in))
		if !errors.Is(err, interview.ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want ErrInvalid with %q", tt.name, err, tt.want)
		}
	}
}
