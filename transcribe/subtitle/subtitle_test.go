package subtitle

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

var sample = []Cue{
	{Start: 0, End: 2500 * time.Millisecond, Speaker: "You", Text: " Thanks for joining, Åsa. "},
	{Start: 2500 * time.Millisecond, End: 2500 * time.Millisecond, Speaker: "Them", Text: "Hi!"},
	{Start: 3 * time.Second, End: 4 * time.Second, Text: "   "},
	{Start: 61*time.Minute + 5*time.Second + 7*time.Millisecond, End: 61*time.Minute + 9*time.Second, Speaker: "Them", Text: "x --> y & <b>bold</b>\n\nsecond line"},
}

func TestGolden(t *testing.T) {
	for _, f := range Formats {
		t.Run(string(f), func(t *testing.T) {
			var buf bytes.Buffer
			if err := Write(&buf, f, sample); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", "sample."+string(f))
			if *update {
				if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(buf.Bytes(), want) {
				failed := filepath.Join("testdata", "failed", "sample."+string(f))
				os.MkdirAll(filepath.Dir(failed), 0o755)
				os.WriteFile(failed, buf.Bytes(), 0o644)
				t.Errorf("output differs from %s (got written to %s):\n%s", golden, failed, buf.String())
			}
		})
	}
}

// TestSRTStructure checks the spec's shape independently of the golden, so a
// wrong golden accepted with -update is still caught.
func TestSRTStructure(t *testing.T) {
	var buf bytes.Buffer
	WriteSRT(&buf, sample)
	blocks := strings.Split(strings.TrimSuffix(buf.String(), "\n\n"), "\n\n")
	timing := regexp.MustCompile(`^\d{2}:\d{2}:\d{2},\d{3} --> \d{2}:\d{2}:\d{2},\d{3}$`)
	if len(blocks) != 3 {
		t.Fatalf("got %d cues, want 3 (the blank one dropped)", len(blocks))
	}
	for i, b := range blocks {
		lines := strings.Split(b, "\n")
		if lines[0] != strings.TrimSpace(lines[0]) || lines[0] != string(rune('1'+i)) {
			t.Errorf("cue %d index line %q", i, lines[0])
		}
		if !timing.MatchString(lines[1]) {
			t.Errorf("cue %d timing line %q", i, lines[1])
		}
		if len(lines) < 3 || lines[2] == "" {
			t.Errorf("cue %d has no text", i)
		}
	}
}

func TestVTTStructure(t *testing.T) {
	var buf bytes.Buffer
	WriteVTT(&buf, sample)
	out := buf.String()
	if !strings.HasPrefix(out, "WEBVTT\n\n") {
		t.Fatalf("missing WEBVTT header: %q", out[:min(20, len(out))])
	}
	timing := regexp.MustCompile(`^\d{2}:\d{2}:\d{2}\.\d{3} --> \d{2}:\d{2}:\d{2}\.\d{3}$`)
	blocks := strings.Split(strings.TrimSuffix(strings.TrimPrefix(out, "WEBVTT\n\n"), "\n\n"), "\n\n")
	for i, b := range blocks {
		lines := strings.Split(b, "\n")
		if !timing.MatchString(lines[0]) {
			t.Errorf("cue %d timing line %q", i, lines[0])
		}
		for _, l := range lines[1:] {
			if strings.Contains(l, "-->") {
				t.Errorf("cue %d text contains an unescaped arrow: %q", i, l)
			}
		}
	}
}

func TestStamps(t *testing.T) {
	tests := []struct {
		d          time.Duration
		srt, clock string
	}{
		{0, "00:00:00,000", "00:00"},
		{999 * time.Millisecond, "00:00:00,999", "00:00"},
		{59*time.Minute + 59*time.Second, "00:59:59,000", "59:59"},
		{2*time.Hour + 3*time.Minute + 4*time.Second + 5*time.Millisecond, "02:03:04,005", "2:03:04"},
		{-time.Second, "00:00:00,000", "00:00"},
	}
	for _, tt := range tests {
		if got := stamp(tt.d, ','); got != tt.srt {
			t.Errorf("stamp(%v) = %q, want %q", tt.d, got, tt.srt)
		}
		if got := Clock(tt.d); got != tt.clock {
			t.Errorf("Clock(%v) = %q, want %q", tt.d, got, tt.clock)
		}
	}
}

func TestParseFormat(t *testing.T) {
	for in, want := range map[string]Format{"srt": SRT, ".VTT": VTT, "text": Text, " json ": JSON, "txt": Text} {
		if got, err := ParseFormat(in); err != nil || got != want {
			t.Errorf("ParseFormat(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := ParseFormat("docx"); err == nil || !strings.Contains(err.Error(), "txt, srt, vtt, json") {
		t.Errorf("ParseFormat(docx) error %v should list the formats", err)
	}
}
