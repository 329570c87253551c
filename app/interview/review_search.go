package interview

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// SearchHit is one occurrence of the query in an interview: where it is on
// the timeline and where in its text, for highlighting.
type SearchHit struct {
	Kind  EntryKind // segment, note or question
	Index int       // into Bundle.Segments, Notes or Questions, by Kind
	// InNote is set for a hit in a question's own note rather than its text.
	InNote bool
	// AtMs is the timeline position: the segment's start, the note's time,
	// the question's asked time. Timed is false for a question not asked,
	// which has no place on the timeline (AtMs is then 0).
	AtMs  int64
	Timed bool
	// Text is what was searched (a segment's display text); Start and End
	// are byte offsets of the match in it.
	Text       string
	Start, End int
}

// SearchInterview finds query in b's transcript (display text, so
// corrections are found and replaced words are not), notes, and question
// texts and notes. Matching ignores case but not diacritics: "å" finds "Å"
// but not "a", and "a" does not find "å" even when the å is written as an
// "a" followed by a combining ring. Every whitespace character matches
// every other. Hits come in timeline order (as Bundle.Timeline orders
// entries), occurrences within one text left to right, then questions never
// asked in queue order. An empty query finds nothing.
func SearchInterview(b *Bundle, query string) []SearchHit {
	q := foldText(strings.TrimSpace(query), nil)
	if len(q) == 0 {
		return nil
	}
	var hits []SearchHit
	m := newFoldedMatcher(q)
	find := func(h SearchHit) {
		for _, m := range m.matches(h.Text) {
			h.Start, h.End = m[0], m[1]
			hits = append(hits, h)
		}
	}
	for i := range b.Segments {
		s := &b.Segments[i]
		find(SearchHit{Kind: EntrySegment, Index: i, AtMs: s.StartMs, Timed: true, Text: s.Display()})
	}
	for i := range b.Notes {
		find(SearchHit{Kind: EntryNote, Index: i, AtMs: b.Notes[i].AtMs, Timed: true, Text: b.Notes[i].Text})
	}
	for _, i := range queueOrder(b.Questions) {
		qu := &b.Questions[i]
		h := SearchHit{Kind: EntryQuestion, Index: i, Timed: qu.Status == QuestionAsked, Text: qu.Text}
		if h.Timed {
			h.AtMs = qu.AskedAtMs
		}
		find(h)
		h.InNote, h.Text = true, qu.Note
		find(h)
	}
	order := map[EntryKind]int{EntryQuestion: 0, EntrySegment: 1, EntryNote: 2}
	slices.SortStableFunc(hits, func(x, y SearchHit) int {
		if x.Timed != y.Timed {
			if x.Timed {
				return -1
			}
			return 1
		}
		if !x.Timed {
			return 0 // already in queue order
		}
		return cmp.Or(cmp.Compare(x.AtMs, y.AtMs), cmp.Compare(order[x.Kind], order[y.Kind]), cmp.Compare(x.Index, y.Index))
	})
	return hits
}

// foldedRune is one character as compared, with the bytes of the original
// text it came from.
type foldedRune struct {
	r          rune
	start, end int
}

// foldText folds text for comparison: case removed, whitespace made one,
// a decomposed å, ä, ö composed (the standard library has no Unicode
// normalisation; these are the letters Swedish text needs). Other
// combining marks stay separate characters.
func foldText(text string, buf []foldedRune) []foldedRune {
	out := buf[:0]
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRuneInString(text[i:])
		end := i + n
		if next, m := utf8.DecodeRuneInString(text[end:]); next == '\u030a' || next == '\u0308' {
			if c := composeNordic(text[i : end+m]); utf8.RuneCountInString(c) == 1 {
				r, _ = utf8.DecodeRuneInString(c)
				end += m
			}
		}
		switch {
		case unicode.IsSpace(r):
			r = ' '
		default:
			// Upper then lower folds pairs such as ς/σ that lower-casing
			// alone keeps apart.
			r = unicode.ToLower(unicode.ToUpper(r))
		}
		out = append(out, foldedRune{r: r, start: i, end: end})
		i = end
	}
	return out
}

// foldedMatcher finds one folded query in many texts, reusing its buffer.
type foldedMatcher struct {
	q []foldedRune
	// first holds every spelling of an ASCII first character of the query
	// (k, K and the Kelvin sign), to pass over texts without it unfolded;
	// empty when the first character is not ASCII.
	first string
	buf   []foldedRune
}

func newFoldedMatcher(q []foldedRune) *foldedMatcher {
	m := &foldedMatcher{q: q}
	if r := q[0].r; r < utf8.RuneSelf {
		var b strings.Builder
		for f := r; ; {
			b.WriteRune(f)
			if f = unicode.SimpleFold(f); f == r {
				break
			}
		}
		m.first = b.String()
	}
	return m
}

// matches returns the byte ranges in text where the query occurs, left to
// right, not overlapping. A match may not stop before a combining mark: "a"
// is not found in "á" written as a and an accent.
func (m *foldedMatcher) matches(text string) [][2]int {
	if len(text) == 0 || (m.first != "" && !strings.ContainsAny(text, m.first)) {
		return nil
	}
	m.buf = foldText(text, m.buf)
	t, q := m.buf, m.q
	var out [][2]int
	for i := 0; i+len(q) <= len(t); {
		k := 0
		for k < len(q) && t[i+k].r == q[k].r {
			k++
		}
		if k == len(q) && (i+k == len(t) || !unicode.Is(unicode.Mn, t[i+k].r)) {
			out = append(out, [2]int{t[i].start, t[i+k-1].end})
			i += k
			continue
		}
		i++
	}
	return out
}
