package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sidenote-app/sidenote/app/interview"
	"github.com/sidenote-app/sidenote/app/store/export"
	"github.com/sidenote-app/sidenote/transcribe/audio"
	"github.com/sidenote-app/sidenote/transcribe/audio/audiotest"
)

// Tests for files made to hurt: an export someone sends you can name
// any path and hold any bytes (issue #13).

// writeExport writes b as an interview export at path.
func writeExport(t *testing.T, path string, b *interview.Bundle) {
	t.Helper()
	var buf bytes.Buffer
	must(t, export.WriteJSON(&buf, b))
	must(t, os.WriteFile(path, buf.Bytes(), 0o600))
}

// TestImportNeverTakesTheUsersFiles: recordings an imported file names by
// an absolute path, by ../ or through a symlink are left out with a
// reason, and deleting the interview leaves those files alone; the audio
// next to the file comes in as a copy that plays and goes with the
// interview.
func TestImportNeverTakesTheUsersFiles(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	canary := filepath.Join(dir, "canary")
	must(t, os.WriteFile(canary, []byte("thesis"), 0o600))
	from := filepath.Join(dir, "inbox")
	must(t, os.MkdirAll(from, 0o700))
	must(t, os.Symlink(canary, filepath.Join(from, "link.wav")))
	legit := filepath.Join(from, "you.wav")
	audiotest.WriteWAV(t, legit, audiotest.Spec{Rate: 16000, Channels: 1, Bits: 16}, audiotest.Sine(16000, 440, 0.3, 8000))
	b := &interview.Bundle{Interview: interview.Interview{Title: "From a stranger", Mode: interview.ModeInterviewer, State: interview.StateEnded}}
	for _, p := range []string{canary, "../canary", "link.wav", "you.wav"} {
		b.Recordings = append(b.Recordings, interview.Recording{Source: interview.SourceYou, Path: p, SampleRate: 16000, Duration: time.Second})
	}
	file := filepath.Join(from, "interview.json")
	writeExport(t, file, b)

	code, out, errOut := runCLI(t, data, "import", file)
	m := importedRe.FindStringSubmatch(out)
	if code != 0 || m == nil {
		t.Fatalf("import: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if !strings.Contains(out, `"From a stranger" (1 recording)`) {
		t.Errorf("import should count the one recording that came in: %q", out)
	}
	for _, want := range []string{"recording 1 (" + canary + "): not a WAV file", "recording 2 (../canary): not a WAV file",
		"recording 3 (link.wav): not a regular file: it is a symbolic link"} {
		if !strings.Contains(errOut, "sidenote import: "+file+": left out "+want+"\n") {
			t.Errorf("stderr does not say %q:\n%s", want, errOut)
		}
	}
	s := openTestStore(t, data)
	id, _ := strconv.ParseInt(m[1], 10, 64)
	recs, err := s.Recordings(context.Background(), id)
	if err != nil || len(recs) != 1 {
		t.Fatalf("recordings: %+v, %v; want 1", recs, err)
	}
	copied := recs[0].Path
	if filepath.Dir(copied) != filepath.Join(data, "recordings") {
		t.Errorf("the audio was not copied into the data folder: %s", copied)
	}
	w, err := audio.OpenWAV(copied)
	if err != nil {
		t.Fatalf("the copy does not play: %v", err)
	}
	if got := w.Format().Duration; got != 500*time.Millisecond {
		t.Errorf("the copy plays %v, want 500ms", got)
	}
	w.Close()

	if code, _, errOut := runCLI(t, data, "delete", "-y", m[1]); code != 0 {
		t.Fatalf("delete: exit %d, %s", code, errOut)
	}
	if got, err := os.ReadFile(canary); err != nil || string(got) != "thesis" {
		t.Errorf("the canary did not survive: %q, %v", got, err)
	}
	if _, err := os.Stat(legit); err != nil {
		t.Errorf("the imported file's own audio was touched: %v", err)
	}
	if _, err := os.Stat(copied); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the copy outlived its interview: %v", err)
	}
}

// hostileTitle would turn the terminal red and retitle its window.
const hostileTitle = "Hi \x1b[31mred\x1b]0;pwned\x07 \u009b2J"

// TestStoredTextIsEscaped: list, show, search and error messages print
// control characters from stored text escaped, never raw.
func TestStoredTextIsEscaped(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	b := &interview.Bundle{
		Interview: interview.Interview{Title: hostileTitle, OtherName: "Eve\x1b[2J", Role: "r\x1bc", Mode: interview.ModeInterviewer,
			State: interview.StateEnded, StartedAt: time.Date(2025, 1, 2, 10, 0, 0, 0, time.UTC)},
		Questions: []interview.Question{{ID: 1, Position: 1, Text: "Why\x1b[8m hidden", Status: interview.QuestionQueued}},
		Notes:     []interview.Note{{ID: 1, AtMs: 1000, Text: "first line\n\x1b[1Asecond line", Wall: time.Date(2025, 1, 2, 10, 0, 1, 0, time.UTC)}},
		Points:    []interview.TalkingPoint{{ID: 1, Position: 1, Text: "point \x1b]8;;http://x\x07", Kind: interview.PointKindPoint}},
		Segments:  []interview.Segment{{ID: 1, Source: interview.SourceThem, StartMs: 0, EndMs: 900, Text: "said \x1b[5m kafka"}},
	}
	file := filepath.Join(dir, "evil.json")
	writeExport(t, file, b)
	code, out, errOut := runCLI(t, data, "import", file)
	m := importedRe.FindStringSubmatch(out)
	if code != 0 || m == nil {
		t.Fatalf("import: exit %d, %q, %q", code, out, errOut)
	}
	outputs := map[string]string{"import": out + errOut}
	for _, args := range [][]string{{"list"}, {"show", m[1]}, {"search", "kafka"}, {"search", "hidden"}} {
		code, out, errOut := runCLI(t, data, args...)
		if code != 0 {
			t.Fatalf("%v: exit %d, %s", args, code, errOut)
		}
		outputs[strings.Join(args, " ")] = out + errOut
	}
	var buf bytes.Buffer
	reportErr(&buf, "show", errors.New(`interview "`+hostileTitle+`" is broken`))
	outputs["error"] = buf.String()

	for name, o := range outputs {
		if strings.ContainsAny(o, "\x1b\x07\u009b") {
			t.Errorf("%s prints raw control characters: %q", name, o)
		}
		if name != "search kafka" && !strings.Contains(o, `\x1b[31mred\x1b]0;pwned\a \u009b2J`) {
			t.Errorf("%s does not show the title escaped: %q", name, o)
		}
	}
	show := outputs["show "+m[1]]
	for _, want := range []string{"Eve\\x1b[2J", "r\\x1bc", "Why\\x1b[8m hidden", "point \\x1b]8;;http://x\\a",
		"said \\x1b[5m kafka", "first line\n", "\\x1b[1Asecond line"} {
		if !strings.Contains(show, want) {
			t.Errorf("show lacks %q:\n%s", want, show)
		}
	}
	if !strings.Contains(outputs["search kafka"], `said \x1b[5m «kafka»`) {
		t.Errorf("search snippet not escaped: %q", outputs["search kafka"])
	}
}

func TestPrintable(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"plain Åsa Öberg — 面接", "plain Åsa Öberg — 面接"},
		{"\x1b[31m", `\x1b[31m`},
		{"\x1b]0;pwned\x07", `\x1b]0;pwned\a`},
		{"a\tb\rc\x00d\x7f", `a\tb\rc\x00d\x7f`},
		{"\u009b\u0085", `\u009b\u0085`},
		{"bad \xff\xfe utf-8", `bad \xff\xfe utf-8`},
		{"\ufffd kept", "\ufffd kept"},
	} {
		if got := printable(tt.in); got != tt.want {
			t.Errorf("printable(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
