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
