package export

import (
	"bytes"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sidenote-app/sidenote/app/interview"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// golden compares got with testdata/name. With -update it rewrites the
// file; on a mismatch it writes got to testdata/failed/name (ignored by
// git) so the two can be diffed.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		failed := filepath.Join("testdata", "failed", name)
		os.MkdirAll(filepath.Dir(failed), 0o755)
		os.WriteFile(failed, got, 0o644)
		t.Errorf("%s differs from the golden file; got written to %s (diff them, or run with -update)", name, failed)
	}
}

func sampleBundle() *interview.Bundle {
	start := time.Date(2026, 3, 5, 13, 0, 12, 0, time.UTC)
	return &interview.Bundle{
		Interview: interview.Interview{
			ID: 7, Title: "Backend engineer — Åsa Öberg", Role: "Backend engineer", OtherName: "Åsa Öberg",
			Mode: interview.ModeInterviewer, ScheduledAt: time.Date(2026, 3, 5, 13, 0, 0, 0, time.UTC), Length: 45 * time.Minute,
			Platform: "Zoom", Link: "https://zoom.example/j/123?pwd=a|b", BackupPhone: "+46 70 123 45 67",
			Documents: "CV\nPortfolio", Language: "sv", TemplateID: 3, State: interview.StateEnded, Ran: 62*time.Minute + 10*time.Second,
			StartedAt: start, EndedAt: start.Add(62*time.Minute + 5*time.Second), RecordingConsent: true,
			CreatedAt: time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC), UpdatedAt: start.Add(63 * time.Minute),
			Verdict: interview.Verdict{Rating: 4, Recommendation: interview.RecommendYes,
				Summary: "Strong on design, honest about the conflict.\n\nCheck references | notice period."},
		},
		Questions: []interview.Question{
			{ID: 11, InterviewID: 7, Position: 1, Priority: interview.PriorityHigh, Text: "Design a job queue", Competency: "design",
				Guidance: "retries, idempotency", Status: interview.QuestionAsked, AskedAtMs: 192_000, Rating: 4, Note: "Solid | thoughtful",
				TemplateQuestionID: 31},
			{ID: 12, InterviewID: 7, Position: 2, Text: "Berätta om en konflikt", Competency: "samarbete",
				Status: interview.QuestionAsked, AskedAtMs: 1_900_000, Rating: 3, Note: "Vag\nmen ärlig", TemplateQuestionID: 32},
			{ID: 13, InterviewID: 7, Position: 3, Text: "Salary expectations?", Status: interview.QuestionSkipped},
		},
		Notes: []interview.Note{
			{ID: 21, InterviewID: 7, AtMs: 5_000, Wall: start.Add(5 * time.Second), Text: "Camera on, good light"},
			{ID: 22, InterviewID: 7, AtMs: 724_900, Wall: start.Add(724900 * time.Millisecond), Text: "Clear on #channels\nand back-pressure",
				Tags: []string{"channels", "strength"}, QuestionID: 11, EditedAt: start.Add(30 * time.Minute)},
			{ID: 23, InterviewID: 7, AtMs: 3_725_000, Wall: start.Add(3725 * time.Second), Text: "Ask about notice period",
				Tags: []string{"follow-up"}},
		},
		Points: []interview.TalkingPoint{
			{ID: 31, InterviewID: 7, Position: 1, Text: "Explain the on-call rota", Kind: interview.PointKindPoint, Checked: true},
			{ID: 32, InterviewID: 7, Position: 2, Text: "When can you start?", Kind: interview.PointKindQuestion},
		},
		Segments: []interview.Segment{
			{ID: 42, InterviewID: 7, Source: interview.SourceThem, StartMs: 4_200, EndMs: 9_800,
				Text: "Hej! Jag heter Åsa & jag <3 Go --> mycket.", Confidence: 0.91},
			{ID: 41, InterviewID: 7, Source: interview.SourceYou, StartMs: 0, EndMs: 4_000, Text: "Welcome, can you hear me?", Confidence: 0.97},
			{ID: 43, InterviewID: 7, Source: interview.SourceYou, StartMs: 192_000, EndMs: 199_500,
				Text: "design a jog queue", EditedText: "Design a job queue,\n\nplease.", Confidence: 0.6},
			{ID: 44, InterviewID: 7, Source: interview.SourceThem, StartMs: 3_725_250, EndMs: 3_725_250, Text: "Tack så mycket", Confidence: 0.88},
			{ID: 45, InterviewID: 7, Source: interview.SourceFile, StartMs: 3_726_000, EndMs: 3_727_000, Text: "(applause)", Confidence: 0.5},
		},
		Recordings: []interview.Recording{
			{ID: 51, InterviewID: 7, Source: interview.SourceYou, Path: "/home/u/.local/share/sidenote/recordings/7-you.wav",
				SampleRate: 16000, Duration: 62*time.Minute + 5*time.Second, CreatedAt: start},
			{ID: 52, InterviewID: 7, Source: interview.SourceYou, Path: "/home/u/.local/share/sidenote/recordings/7-you-2.wav",
				SampleRate: 16000, Duration: 5 * time.Second, Offset: 62*time.Minute + 5*time.Second, CreatedAt: start},
		},
	}
}

func TestGoldens(t *testing.T) {
	b := sampleBundle()
	for _, f := range Formats() {
		var buf bytes.Buffer
		if err := Write(&buf, f, b, Options{Location: time.UTC}); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		golden(t, "interview"+f.Ext(), buf.Bytes())
	}
	var buf bytes.Buffer
	if err := WriteTemplateJSON(&buf, sampleTemplate()); err != nil {
		t.Fatal(err)
	}
	golden(t, "template.json", buf.Bytes())
	buf.Reset()
	if err := WriteTemplateMarkdown(&buf, sampleTemplate()); err != nil {
		t.Fatal(err)
	}
	golden(t, "template.md", buf.Bytes())
}

func TestEmptyInterview(t *testing.T) {
	b := &interview.Bundle{Interview: interview.Interview{Mode: interview.ModePractice, State: interview.StatePlanned}}
	for _, f := range Formats() {
		var buf bytes.Buffer
		if err := Write(&buf, f, b, Options{Location: time.UTC}); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		golden(t, "empty"+f.Ext(), buf.Bytes())
	}
}

// TestSubtitleStructure checks the spec rules directly, so a wrong golden
// cannot hide a broken file.
func TestSubtitleStructure(t *testing.T) {
	b := sampleBundle()
	var srt, vtt bytes.Buffer
	if err := WriteSRT(&srt, b.Segments); err != nil {
		t.Fatal(err)
	}
	if err := WriteVTT(&vtt, b.Segments); err != nil {
		t.Fatal(err)
	}
	srtCues := strings.Split(strings.TrimSuffix(srt.String(), "\n\n"), "\n\n")
	if len(srtCues) != 5 {
		t.Fatalf("SRT has %d cues, want 5:\n%s", len(srtCues), srt.String())
	}
	for i, c := range srtCues {
		lines := strings.Split(c, "\n")
		if len(lines) != 3 || lines[0] != strconv.Itoa(i+1) || !srtTiming.MatchString(lines[1]) || lines[2] == "" {
			t.Errorf("SRT cue %d malformed: %q", i+1, c)
		}
	}
	if !strings.HasPrefix(vtt.String(), "WEBVTT\n\n") {
		t.Errorf("VTT header missing: %q", vtt.String()[:20])
	}
	vttCues := strings.Split(strings.TrimSuffix(strings.TrimPrefix(vtt.String(), "WEBVTT\n\n"), "\n\n"), "\n\n")
	for i, c := range vttCues {
		lines := strings.Split(c, "\n")
		if len(lines) != 2 || !vttTiming.MatchString(lines[0]) || strings.Contains(lines[1], "-->") {
			t.Errorf("VTT cue %d malformed: %q", i+1, c)
		}
	}
	if !strings.Contains(vtt.String(), "<v Them>Hej! Jag heter Åsa &amp; jag &lt;3 Go --&gt; mycket.") {
		t.Errorf("VTT text not escaped:\n%s", vtt.String())
	}
	if !strings.Contains(srt.String(), "01:02:05,250 --> 01:02:05,251\nThem: Tack så mycket") {
		t.Errorf("SRT zero-length cue not lengthened or hour not written:\n%s", srt.String())
	}
}

func TestJSONRoundTrip(t *testing.T) {
	b := sampleBundle()
	var buf bytes.Buffer
	if err := WriteJSON(&buf, b); err != nil {
		t.Fatal(err)
	}
	got, err := ReadJSON(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, b) {
		t.Errorf("round trip differs:\n got %+v\nwant %+v", got, b)
	}
}

// TestReadJSONBeforeVerdict reads a file written before interviews had a
// verdict and questions a template link (testdata/interview_v1_before_verdict.json,
// the interview.json golden of that time): both read as "none".
func TestReadJSONBeforeVerdict(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "interview_v1_before_verdict.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := ReadJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	want := sampleBundle()
	want.Interview.Verdict = interview.Verdict{}
	// Before interview time was kept: no running time, one part per source.
	want.Interview.Ran = 0
	want.Recordings = want.Recordings[:1]
	for i := range want.Questions {
		want.Questions[i].TemplateQuestionID = 0
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("older file:\n got %+v\nwant %+v", got, want)
	}
}

func TestVerdictInMarkdown(t *testing.T) {
	tests := []struct {
		name string
		v    interview.Verdict
		want string // the scorecard section's text after its table, or all of it
	}{
		{"none", interview.Verdict{}, ""},
		{"rating only", interview.Verdict{Rating: 2}, "Overall: 2/5\n\n"},
		{"recommendation only", interview.Verdict{Recommendation: interview.RecommendStrongNo}, "Recommendation: strong-no\n\n"},
		{"summary only", interview.Verdict{Summary: " Not yet.\r\n# not a heading "}, "> Not yet.\n> # not a heading\n\n"},
	}
	for _, tt := range tests {
		b := &interview.Bundle{Interview: interview.Interview{Mode: interview.ModeInterviewer, State: interview.StateEnded, Verdict: tt.v}}
		var buf bytes.Buffer
		if err := WriteMarkdown(&buf, b, Options{Location: time.UTC}); err != nil {
			t.Fatal(err)
		}
		_, section, found := strings.Cut(buf.String(), "## Scorecard\n\n")
		if tt.want == "" {
			if found {
				t.Errorf("%s: a scorecard section without questions or verdict:\n%s", tt.name, buf.String())
			}
			continue
		}
		if section != tt.want {
			t.Errorf("%s: scorecard section\n got %q\nwant %q", tt.name, section, tt.want)
		}
	}
}

func TestReadJSONErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want error
	}{
		{"not json", "# notes", interview.ErrInvalid},
		{"other format", `{"format":"other","version":1}`, interview.ErrInvalid},
		{"newer", `{"format":"sidenote-interview","version":99}`, ErrNewerFile},
		{"bad mode", `{"format":"sidenote-interview","version":1,"interview":{"mode":"boss","state":"ended"}}`, interview.ErrInvalid},
		{"bad rating", `{"format":"sidenote-interview","version":1,"interview":{"mode":"practice","state":"ended"},
			"questions":[{"text":"q","status":"queued","rating":7}]}`, interview.ErrInvalid},
		{"bad overall rating", `{"format":"sidenote-interview","version":1,"interview":{"mode":"practice","state":"ended",
			"verdict":{"rating":9}}}`, interview.ErrInvalid},
		{"bad recommendation", `{"format":"sidenote-interview","version":1,"interview":{"mode":"practice","state":"ended",
			"verdict":{"recommendation":"hire"}}}`, interview.ErrInvalid},
		{"bad template link", `{"format":"sidenote-interview","version":1,"interview":{"mode":"practice","state":"ended"},
			"questions":[{"text":"q","status":"queued","template_question_id":-2}]}`, interview.ErrInvalid},
		{"template as interview", `{"format":"sidenote-template","version":1,"name":"x"}`, interview.ErrInvalid},
	}
	for _, tt := range tests {
		if _, err := ReadJSON(strings.NewReader(tt.in)); !errors.Is(err, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, err, tt.want)
		}
	}
}

func sampleTemplate() *interview.Template {
	return &interview.Template{Name: "Backend loop", Description: "Same questions, same order, for every candidate.",
		Questions: []interview.TemplateQuestion{
			{Position: 1, Text: "Design a job queue", Competency: "design", Guidance: "retries, idempotency, back-pressure", Expected: 15 * time.Minute},
			{Position: 2, Text: "Berätta om en konflikt", Competency: "samarbete", Expected: 7*time.Minute + 30*time.Second},
			{Position: 3, Text: "Questions for us?"},
		}}
}

func TestTemplateRoundTrips(t *testing.T) {
	want := sampleTemplate()
	var buf bytes.Buffer
	if err := WriteTemplateJSON(&buf, want); err != nil {
		t.Fatal(err)
	}
	got, err := ReadTemplateJSON(&buf)
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("JSON round trip:\n got %+v, %v\nwant %+v", got, err, want)
	}
	buf.Reset()
	if err := WriteTemplateMarkdown(&buf, want); err != nil {
		t.Fatal(err)
	}
	got, err = ReadTemplateMarkdown(&buf)
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("Markdown round trip:\n got %+v, %v\nwant %+v", got, err, want)
	}
}

func TestReadTemplateEitherFormat(t *testing.T) {
	want := sampleTemplate()
	for _, write := range []func(io.Writer, *interview.Template) error{WriteTemplateJSON, WriteTemplateMarkdown} {
		var buf bytes.Buffer
		buf.WriteString("\ufeff\n  ")
		if err := write(&buf, want); err != nil {
			t.Fatal(err)
		}
		if got, err := ReadTemplate(&buf); err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("ReadTemplate:\n got %+v, %v\nwant %+v", got, err, want)
		}
	}
	if _, err := ReadTemplate(strings.NewReader(" \n")); !errors.Is(err, interview.ErrInvalid) {
		t.Errorf("empty: got %v, want ErrInvalid", err)
	}
}

func TestReadTemplateMarkdownLoose(t *testing.T) {
	in := "# Intervju\n\nStrukturerad.\n\n- Varför oss?\n  * Kompetens: motivation\n  * Tid: 5\n* Styrkor?\n\n## Notes\n\n+ Svagheter?\n   - Tid: 2,5 min\n"
	got, err := ReadTemplateMarkdown(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := &interview.Template{Name: "Intervju", Description: "Strukturerad.", Questions: []interview.TemplateQuestion{
		{Position: 1, Text: "Varför oss?", Competency: "motivation", Expected: 5 * time.Minute},
		{Position: 2, Text: "Styrkor?"},
		{Position: 3, Text: "Svagheter?", Expected: 150 * time.Second},
	}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	for _, bad := range []string{"# Only a name\n", "1. q\n   - Time: soon\n", "1. question without a name\n"} {
		if _, err := ReadTemplateMarkdown(strings.NewReader(bad)); !errors.Is(err, interview.ErrInvalid) {
			t.Errorf("ReadTemplateMarkdown(%q): got %v, want ErrInvalid", bad, err)
		}
	}
}

func TestParseFormat(t *testing.T) {
	for in, want := range map[string]Format{"md": Markdown, "Markdown": Markdown, ".json": JSON, "srt": SRT, "WebVTT": VTT, "vtt": VTT, "text": Text, "txt": Text} {
		if got, err := ParseFormat(in); err != nil || got != want {
			t.Errorf("ParseFormat(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := ParseFormat("pdf"); !errors.Is(err, interview.ErrInvalid) {
		t.Errorf("ParseFormat(pdf): got %v", err)
	}
}
