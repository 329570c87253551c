package interview

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestInitialPrompt(t *testing.T) {
	iv := Interview{
		Title: "Spotify – Staff Engineer", Role: "Staff Engineer", OtherName: "Åsa Lindqvist",
		Mode: ModeInterviewer, Platform: "Zoom", Language: "en",
	}
	tests := []struct {
		name string
		in   PromptInput
		want string
	}{
		{"nothing known", PromptInput{}, ""},
		{"the brief's example", PromptInput{Interview: iv, Company: "Spotify", Questions: []Question{
			{Position: 1, Text: "How do you run Kubernetes with gRPC services?"},
			{Position: 2, Text: "Which SLO would you set first?"},
		}}, "Interview with Åsa Lindqvist for Staff Engineer at Spotify on Zoom. Terms: Kubernetes, gRPC, SLO."},
		{"title words not yet said", PromptInput{Interview: iv},
			"Interview with Åsa Lindqvist for Staff Engineer on Zoom. Terms: Spotify."},
		{"user's name, deduplicated", PromptInput{Interview: Interview{OtherName: "Örjan Sjöström", Language: "en"}, UserName: "örjan sjöström"},
			"Interview with Örjan Sjöström."},
		{"user's name second", PromptInput{Interview: Interview{OtherName: "Örjan Sjöström", Language: "en"}, UserName: "Li Wei"},
			"Interview with Örjan Sjöström and Li Wei."},
		{"Swedish", PromptInput{Interview: Interview{OtherName: "Åsa Lindqvist", Role: "backendutvecklare", Platform: "Teams", Language: "sv"},
			Company: "Klarna", Points: []TalkingPoint{{Position: 1, Text: "Flyttade betalflödet till Kafka och PostgreSQL."}}},
			"Intervju med Åsa Lindqvist om rollen som backendutvecklare på Klarna via Teams. Termer: Kafka, PostgreSQL."},
		{"automatic language is a bare list", PromptInput{Interview: Interview{OtherName: "Åsa Lindqvist", Role: "SRE", Platform: "Meet"},
			Terms: []string{"kubectl"}},
			"Åsa Lindqvist, SRE, Meet. kubectl."},
		{"practice", PromptInput{Interview: Interview{Mode: ModePractice, Role: "Data Engineer", Language: "en"}},
			"Practice interview for Data Engineer."},
		// Explicit terms first and verbatim; then the interviewer's
		// questions, high priority first; then talking points.
		{"order of importance", PromptInput{
			Interview: Interview{Mode: ModeInterviewer, Language: "en"},
			Terms:     []string{"kubectl", "Backstage"},
			Questions: []Question{
				{Position: 1, Text: "Tell me about Terraform."},
				{Position: 2, Priority: PriorityHigh, Text: "What did you do with Datadog?"},
				{Position: 3, Priority: PriorityLow, Text: "Ever used Jenkins?"},
			},
			Points: []TalkingPoint{{Position: 1, Text: "Ask about Nomad"}},
		}, "Terms: kubectl, Backstage, Datadog, Terraform, Jenkins, Nomad."},
		{"a candidate's points come before questions", PromptInput{
			Interview: Interview{Mode: ModeCandidate, Language: "en"},
			Questions: []Question{{Position: 1, Text: "Tell me about Terraform."}},
			Points:    []TalkingPoint{{Position: 2, Text: "Led the Nomad migration"}, {Position: 1, Text: "Built CI on Buildkite"}},
		}, "Terms: CI, Buildkite, Nomad, Terraform."},
		// Within a tier, a term said more often comes first.
		{"frequency", PromptInput{Interview: Interview{Mode: ModeInterviewer, Language: "en"}, Questions: []Question{
			{Position: 1, Text: "You used Redis and Kafka?"},
			{Position: 2, Text: "Why Kafka over RabbitMQ?"},
		}}, "Terms: Kafka, Redis, RabbitMQ."},
		{"first spelling kept, longer terms absorb shorter", PromptInput{Interview: Interview{Mode: ModeInterviewer, Language: "en"},
			Terms: []string{"Google Cloud"}, Questions: []Question{
				{Position: 1, Text: "Have you run GRPC on Google? We run gRPC and grpc-web."},
			}}, "Terms: Google Cloud, GRPC."},
		{"digits, acronyms, versions", PromptInput{Interview: Interview{Mode: ModeInterviewer, Language: "en"}, Questions: []Question{
			{Position: 1, Text: "Go 1.26 on K8s: since 2019 we ran EC2 with IPv6, Java 17 and C++ in CI/CD. Also Node.js and C#."},
		}}, "Terms: Go 1.26, K8s, EC2, IPv6, Java 17, C++, CI/CD, Node.js, C#."},
		{"sentence openers and stop words are not terms", PromptInput{Interview: Interview{Mode: ModeInterviewer, Language: "en"}, Questions: []Question{
			{Position: 1, Text: "Describe a time you failed. Leadership matters. What about Terraform?"},
			{Position: 2, Text: "Kafka: when? We chose Kafka."},
		}}, "Terms: Kafka, Terraform."},
		{"long title-cased runs kept word by word", PromptInput{Interview: Interview{Title: "Round Two With The Platform Team Kubernetes", Language: "en"}},
			"Terms: Round Two, Platform Team Kubernetes."},
		{"guidance, template and documents add terms", PromptInput{Interview: Interview{Mode: ModeInterviewer, Language: "en", Documents: "Bring the Figma link"},
			Questions: []Question{{Position: 1, Text: "How do you test?", Guidance: "Mentions Playwright."}},
			Template:  &Template{Name: "Frontend", Questions: []TemplateQuestion{{Text: "Explain React hooks."}}},
		}, "Terms: Playwright, Frontend, React, Figma."},
		{"keep fillers", PromptInput{Interview: Interview{OtherName: "Åsa", Language: "sv"}, KeepFillers: true},
			"Öh, alltså, hmm… Okej, så här, typ, eh. Intervju med Åsa."},
	}
	for _, tt := range tests {
		if got := InitialPrompt(tt.in); got != tt.want {
			t.Errorf("%s:\ngot  %q\nwant %q", tt.name, got, tt.want)
		}
	}
}

func TestInitialPromptCap(t *testing.T) {
	var qs []Question
	for i := range 300 {
		qs = append(qs, Question{Position: i + 1, Text: fmt.Sprintf("Tell me about Sjöström%03d and Ärlig%03d.", i, i)})
	}
	iv := Interview{OtherName: "Åsa Lindqvist", Role: "Staff Engineer", Mode: ModeInterviewer, Language: "en"}
	tests := []struct {
		limit, wantMax int
	}{
		{0, PromptMaxBytes},
		{100, 100},
		{60, 60},
		{20, 20}, // shorter than the first sentence: cut at a word
	}
	for _, tt := range tests {
		got := InitialPrompt(PromptInput{Interview: iv, Questions: qs, MaxBytes: tt.limit})
		if len(got) > tt.wantMax || len(got) < tt.wantMax-30 {
			t.Errorf("limit %d: got %d bytes (%q), want at most %d and not much less", tt.limit, len(got), got, tt.wantMax)
		}
		if !utf8.ValidString(got) {
			t.Errorf("limit %d: got invalid UTF-8 %q", tt.limit, got)
		}
		// Every listed term is whole, in order of importance.
		if _, list, ok := strings.Cut(got, "Terms: "); ok {
			terms := strings.Split(strings.TrimSuffix(list, "."), ", ")
			for i, term := range terms {
				if want := fmt.Sprintf("Sjöström%03d", i/2); i%2 == 0 && term != want {
					t.Errorf("limit %d: got term %d %q, want %q", tt.limit, i, term, want)
				}
			}
		}
	}
	for _, tt := range []struct {
		in    PromptInput
		limit int
		want  string
	}{
		{PromptInput{Interview: iv}, 20, "Interview with Åsa"},
		// One long word: cut inside it, on a letter boundary.
		{PromptInput{Interview: Interview{OtherName: "Åååååååååå"}}, 7, "Ååå"},
	} {
		tt.in.MaxBytes = tt.limit
		if got := InitialPrompt(tt.in); got != tt.want {
			t.Errorf("limit %d: got %q, want %q", tt.limit, got, tt.want)
		}
	}
}

func BenchmarkInitialPrompt(b *testing.B) {
	var qs []Question
	for i := range 30 {
		qs = append(qs, Question{Position: i + 1, Text: fmt.Sprintf("How did you run Kubernetes%d with gRPC and SLOs at Spotify?", i)})
	}
	in := PromptInput{Interview: Interview{OtherName: "Åsa Lindqvist", Role: "Staff Engineer", Language: "en"}, Questions: qs}
	b.ReportAllocs()
	for b.Loop() {
		_ = InitialPrompt(in)
	}
}
