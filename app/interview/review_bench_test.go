package interview

import (
	"fmt"
	"strings"
	"testing"
)

// syntheticBundle makes an interviewer-mode interview of lengthMs with n
// transcript segments, nq questions asked at even intervals (the last two
// of every ten skipped) and nn notes, all deterministic. Segments alternate
// a short "You" line with a longer "Them" answer, some of them overlapping,
// with ordinary words and a few fillers.
func syntheticBundle(lengthMs int64, n, nq, nn int) *Bundle {
	b := &Bundle{Interview: Interview{ID: 1, Mode: ModeInterviewer, Language: "en", TemplateID: 1}}
	step := lengthMs / int64(n)
	phrase := strings.Fields("so we moved the billing service to Kafka and um the team owned the rollout, like, end to end with care")
	for i := range n {
		start := int64(i) * step
		src, dur := SourceThem, step*9/10
		if i%4 == 0 {
			src, dur = SourceYou, step/2
		}
		if i%17 == 0 {
			dur = step * 13 / 10 // runs into the next segment
		}
		var w []string
		for k := range 12 + i%20 {
			w = append(w, phrase[(i+k)%len(phrase)])
		}
		s := Segment{ID: int64(i + 1), InterviewID: 1, Source: src, StartMs: start, EndMs: min(start+dur, lengthMs), Text: strings.Join(w, " ")}
		if i%50 == 0 {
			s.EditedText = "Kubernetes " + s.Text
		}
		b.Segments = append(b.Segments, s)
	}
	for i := range nq {
		q := Question{ID: int64(i + 1), InterviewID: 1, Position: i + 1, Text: fmt.Sprintf("Question number %d?", i+1), Status: QuestionAsked,
			AskedAtMs: int64(i) * lengthMs / int64(nq), Rating: 1 + i%5, Note: "fine"}
		if i%10 >= 8 {
			q.Status, q.AskedAtMs, q.Rating = QuestionSkipped, 0, 0
		}
		b.Questions = append(b.Questions, q)
	}
	for i := range nn {
		n := NewNote(int64(i)*lengthMs/int64(nn)+700, b.Interview.CreatedAt, fmt.Sprintf("note %d about the answer #strength", i))
		n.ID, n.InterviewID = int64(i+1), 1
		b.Notes = append(b.Notes, n)
	}
	return b
}

// BenchmarkOpenReview is opening the review of a 2-hour interview: the
// scorecard, the talk statistics and the activity picture, the three the
// review screen computes before it first draws.
func BenchmarkOpenReview(b *testing.B) {
	bun := syntheticBundle(2*3600_000, 1_500, 40, 100)
	b.ReportAllocs()
	for b.Loop() {
		_ = NewScorecard(bun)
		_ = NewTalkStats(bun)
		_ = Activity(bun, 800)
	}
}

func BenchmarkScorecard(b *testing.B) {
	bun := syntheticBundle(2*3600_000, 1_500, 40, 100)
	b.ReportAllocs()
	for b.Loop() {
		_ = NewScorecard(bun)
	}
}

func BenchmarkTalkStats(b *testing.B) {
	bun := syntheticBundle(2*3600_000, 1_500, 40, 100)
	b.ReportAllocs()
	for b.Loop() {
		_ = NewTalkStats(bun)
	}
}

func BenchmarkActivity(b *testing.B) {
	bun := syntheticBundle(2*3600_000, 1_500, 40, 100)
	b.ReportAllocs()
	for b.Loop() {
		_ = Activity(bun, 800)
	}
}

// BenchmarkSearchInterview is one keystroke of the review's search box on
// a 2-hour interview.
func BenchmarkSearchInterview(b *testing.B) {
	bun := syntheticBundle(2*3600_000, 1_500, 40, 100)
	b.ReportAllocs()
	for b.Loop() {
		_ = SearchInterview(bun, "kafka")
	}
}
