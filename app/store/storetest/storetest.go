// Package storetest makes synthetic interviews for benchmarks: speech-like
// text with a realistic word distribution, whole interviews of any length,
// and a cached library of 1,000 one-hour interviews that the store's and
// the window's search benchmarks share. It imports no store, so the
// store's own tests can use it.
package storetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sidenote-app/sidenote/app/interview"
)

// TextGen writes deterministic pseudo-speech: words drawn with a Zipf
// distribution from a vocabulary built from syllables (with å, ä, ö), so
// a few words are very common and most are rare, as in real speech.
type TextGen struct {
	rng  *rand.Rand
	zipf *rand.Zipf
	// Vocab is the vocabulary, commonest word first; the same for every
	// seed, so queries can name words by rank.
	Vocab []string
}

// NewTextGen returns a generator; the same seed writes the same text.
func NewTextGen(seed uint64) *TextGen {
	rng := rand.New(rand.NewPCG(seed, 42))
	syll := strings.Fields("ka lo mi ne ru sa te vi bo da fe gu ha jo ky lä mö på rå sö tä ul ve xi yr ze an el in or st ek ar ån ös")
	vrng := rand.New(rand.NewPCG(7, 7)) // the same vocabulary for every seed
	seen := map[string]bool{}
	var vocab []string
	for len(vocab) < 5000 {
		var w strings.Builder
		for range 1 + vrng.IntN(4) {
			w.WriteString(syll[vrng.IntN(len(syll))])
		}
		if len(w.String()) >= 3 && !seen[w.String()] {
			seen[w.String()] = true
			vocab = append(vocab, w.String())
		}
	}
	return &TextGen{rng: rng, zipf: rand.NewZipf(rng, 1.1, 2, uint64(len(vocab)-1)), Vocab: vocab}
}

// Sentence is words words of speech.
func (g *TextGen) Sentence(words int) string {
	var sb strings.Builder
	for i := range words {
		if i > 0 {
			sb.WriteByte(' ')
		}
		sb.WriteString(g.Vocab[g.zipf.Uint64()])
	}
	return sb.String()
}

// Interview is a finished interview of length d: a segment of about 25
// words every 10 s alternating between speakers (≈150 words a minute), a
// note every 2 minutes, 12 questions. One in fifty segments mentions a
// planted word ("kubernetes", "löneanspråk", "deadline"), so some queries
// have known, rarer hits.
func Interview(g *TextGen, title string, d time.Duration) *interview.Bundle {
	start := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC).Add(time.Duration(g.rng.IntN(365*24)) * time.Hour)
	b := &interview.Bundle{Interview: interview.Interview{Title: title, Mode: interview.ModeInterviewer,
		State: interview.StateEnded, StartedAt: start, EndedAt: start.Add(d), CreatedAt: start, UpdatedAt: start.Add(d)}}
	for i := range 12 {
		q := interview.Question{ID: int64(i + 1), Position: i + 1, Text: g.Sentence(10) + "?", Status: interview.QuestionAsked,
			AskedAtMs: int64(i) * d.Milliseconds() / 12, Rating: 1 + g.rng.IntN(5)}
		b.Questions = append(b.Questions, q)
	}
	planted := []string{"kubernetes", "löneanspråk", "deadline"}
	for ms := int64(0); ms < d.Milliseconds(); ms += 10_000 {
		text := g.Sentence(20 + g.rng.IntN(11))
		if g.rng.IntN(50) == 0 {
			text += " " + planted[g.rng.IntN(len(planted))]
		}
		src := interview.SourceYou
		if ms/10_000%2 == 1 {
			src = interview.SourceThem
		}
		b.Segments = append(b.Segments, interview.Segment{Source: src, StartMs: ms, EndMs: ms + 9_500, Text: text, Confidence: 0.9})
		if ms%120_000 == 0 {
			b.Notes = append(b.Notes, interview.Note{AtMs: ms + 3_000, Wall: start.Add(time.Duration(ms) * time.Millisecond),
				Text: g.Sentence(8), QuestionID: int64(1 + ms*12/d.Milliseconds())})
		}
	}
	return b
}

// Importer is the part of *store.Store that builds the library.
type Importer interface {
	Import(ctx context.Context, b *interview.Bundle) (int64, error)
	Close() error
}

// libraryVersion keys the cached library; bump it when the generator or
// the schema changes.
const libraryVersion = "v2-autoinc"

// LibrarySize is how many one-hour interviews Library holds.
const LibrarySize = 1000

// Library returns the path of the cached synthetic library, building it
// with open first when missing: LibrarySize interviews of 60 minutes,
// ≈ 9 million transcript words, a 212 MB file. It lives in
// os.TempDir()/sidenote-bench-<version> (a few minutes to build on two
// cores); delete that folder to rebuild it. Open the path afresh; it is
// shared by every benchmark that asks.
func Library(tb testing.TB, open func(path string) (Importer, error)) string {
	tb.Helper()
	dir := filepath.Join(os.TempDir(), "sidenote-bench-"+libraryVersion)
	path, done := filepath.Join(dir, "sidenote.db"), filepath.Join(dir, "complete")
	if _, err := os.Stat(done); err == nil {
		return path
	}
	os.RemoveAll(dir)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		tb.Fatal(err)
	}
	t0 := time.Now()
	s, err := open(path)
	if err != nil {
		tb.Fatal(err)
	}
	g := NewTextGen(0)
	words := 0
	for i := range LibrarySize {
		bd := Interview(g, fmt.Sprintf("Interview %d", i+1), time.Hour)
		for _, sg := range bd.Segments {
			words += strings.Count(sg.Text, " ") + 1
		}
		if _, err := s.Import(context.Background(), bd); err != nil {
			s.Close()
			tb.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(done, fmt.Appendf(nil, "%d words\n", words), 0o600); err != nil {
		tb.Fatal(err)
	}
	tb.Logf("built the search library in %v: %d transcript words, %s", time.Since(t0).Round(time.Second), words, path)
	return path
}
