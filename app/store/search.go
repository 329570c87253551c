package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/sidenote-app/sidenote/app/interview"
)

// Kind is what a search hit points at.
type Kind string

// Kinds of searchable text. The numbers are the low bits of the search
// index's rowid (see 0001_init.sql).
const (
	KindNote     Kind = "note"
	KindSegment  Kind = "segment"
	KindQuestion Kind = "question"
)

var kindCodes = map[Kind]int64{KindNote: 1, KindSegment: 2, KindQuestion: 3}

func kindOf(rowid int64) Kind {
	for k, c := range kindCodes {
		if rowid%4 == c {
			return k
		}
	}
	return ""
}

// The snippet of a hit marks each matched word as «word». Guillemets
// rarely occur in English or Swedish notes (Swedish quotes with ” and »),
// are one character each, and read well in a terminal as they are; a UI
// splits on them to render the match in bold.
const (
	SnippetStart = "«"
	SnippetEnd   = "»"
	// snippetEllipsis marks text cut from either end of a snippet.
	snippetEllipsis = "…"
	snippetTokens   = 16
)

// maxQueryTerms bounds the number of words taken from a query. A pasted
// page of text would otherwise become a query of thousands of phrases.
const maxQueryTerms = 32

// SearchOptions narrows a search. Zero values mean "any".
type SearchOptions struct {
	InterviewID int64
	Kinds       []Kind
	Mode        interview.Mode
	// TemplateID keeps hits in interviews made from that template; Tag
	// keeps hits in interviews with a note carrying that tag, matched as
	// ListOptions.Tag is. The hit itself need not be the tagged note.
	TemplateID int64
	Tag        string
	// Since and Until bound interview.When: Since inclusive, Until exclusive.
	Since, Until time.Time
	Limit        int // default 50
	Offset       int
	// Prefix makes the last word match as a prefix ("interv" finds
	// "interview"), for search as you type.
	Prefix bool
}

// Hit is one search result.
type Hit struct {
	InterviewID    int64
	InterviewTitle string
	InterviewWhen  time.Time // interview.When of the interview
	Kind           Kind
	ID             int64 // the note, segment or question
	// AtMs is the interview time to jump to: a note's time, a segment's
	// start, a question's asked time; -1 for a question not asked.
	AtMs    int64
	Snippet string  // with matches between SnippetStart and SnippetEnd
	Rank    float64 // bm25: lower is a better match
}

// Search finds notes, transcript segments and questions whose text
// contains every word of query, best match first (bm25). Any text is a
// valid query: words are matched literally (quotes group words into a
// phrase, a trailing * makes a word a prefix; AND, OR, NOT, NEAR, -,
// parentheses and column names mean nothing special), case-insensitively,
// with å, ä and ö distinct from a and o. A query with no letters or
// digits returns no hits and no error.
func (s *Store) Search(ctx context.Context, query string, opts SearchOptions) ([]Hit, error) {
	terms := parseQuery(query, opts.Prefix)
	match := matchExpression(terms)
	if match == "" {
		return nil, nil
	}
	limit := opts.Limit
	if limit <= 0 {
		limit = 50
	}
	offset := max(opts.Offset, 0)
	kinds := opts.Kinds
	if len(kinds) == 0 {
		kinds = []Kind{KindNote, KindSegment, KindQuestion}
	}
	codes := make([]string, 0, len(kinds))
	for _, k := range kinds {
		c, ok := kindCodes[k]
		if !ok {
			return nil, fmt.Errorf("search: %w kind %q: use note, segment or question", interview.ErrInvalid, k)
		}
		codes = append(codes, fmt.Sprint(c))
	}
	where := []string{"search_index MATCH ?"}
	args := []any{match}
	if len(opts.Kinds) > 0 {
		where = append(where, "si.rowid % 4 IN ("+strings.Join(codes, ", ")+")")
	}
	if opts.Mode != "" {
		where, args = append(where, "i.mode = ?"), append(args, opts.Mode)
	}
	if opts.TemplateID != 0 {
		where, args = append(where, "i.template_id = ?"), append(args, opts.TemplateID)
	}
	if opts.Tag != "" {
		// si.interview_id, not i.id: SQLite then tests the tag before
		// the join and skips looking up the interviews of rejected hits
		// (for a common word, 0.6 s instead of 1.0 s).
		cond, arg, err := tagFilter("si.interview_id", opts.Tag)
		if err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		where, args = append(where, cond), append(args, arg)
	}
	if !opts.Since.IsZero() {
		where, args = append(where, "i.filed_at >= ?"), append(args, opts.Since.UnixMilli())
	}
	if !opts.Until.IsZero() {
		where, args = append(where, "i.filed_at < ?"), append(args, opts.Until.UnixMilli())
	}

	var hits []Hit
	err := s.read(ctx, "search", func(tx *sql.Tx) error {
		if opts.InterviewID == 0 {
			// ORDER BY rank lets FTS5 rank and sort internally, the
			// fastest way over the whole library.
			var err error
			hits, err = searchPage(ctx, tx, terms, "si.rank", where, append(args, limit, offset))
			return err
		}
		// In one interview, give FTS5 that interview's rowid range per
		// kind: it then seeks within each doclist, so a common word
		// costs what the interview holds, not what the library holds
		// (measured: 25 ms instead of 400 ms in a 9-million-word
		// library). Ids are allocated per table, so each kind has its
		// own range; an interview's rows are written together, so each
		// range is tight, and the interview_id test removes strangers.
		// The bounds must be plain values: SQLite does not hand a
		// subquery bound down to FTS5. bm25() sorted by SQLite, not
		// rank, keeps FTS5 in the mode that honours the range.
		for _, k := range kinds {
			table := map[Kind]string{KindNote: "notes", KindSegment: "segments", KindQuestion: "questions"}[k]
			var lo, hi sql.NullInt64
			// INDEXED BY: left alone, SQLite answers min(id) by walking
			// the table in id order until the interview turns up.
			err := tx.QueryRowContext(ctx, "SELECT min(id), max(id) FROM "+table+" INDEXED BY "+table+
				"_by_interview WHERE interview_id = ?", opts.InterviewID).Scan(&lo, &hi)
			if err != nil {
				return err
			}
			if !lo.Valid {
				continue
			}
			c := kindCodes[k]
			w := append(slices.Clone(where), "si.rowid BETWEEN ? AND ?", "si.rowid % 4 = ?", "si.interview_id = ?")
			a := append(slices.Clone(args), lo.Int64*4+c, hi.Int64*4+c, c, opts.InterviewID, limit+offset, 0)
			page, err := searchPage(ctx, tx, terms, "bm25(search_index)", w, a)
			if err != nil {
				return err
			}
			hits = append(hits, page...)
		}
		slices.SortStableFunc(hits, func(a, b Hit) int { return cmp.Compare(a.Rank, b.Rank) })
		hits = hits[min(offset, len(hits)):min(offset+limit, len(hits))]
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%w (query %q)", err, query)
	}
	return hits, nil
}

// searchPage runs one ranked query; args end with LIMIT and OFFSET.
// CROSS JOIN keeps the full-text index as the outer loop: SQLite must not
// run the MATCH once per interview.
func searchPage(ctx context.Context, tx *sql.Tx, terms []queryTerm, rank string, where []string, args []any) ([]Hit, error) {
	q := `SELECT si.rowid, si.interview_id, si.at_ms, ` + rank + `, i.title, i.filed_at, si.body
		FROM search_index si CROSS JOIN interviews i ON i.id = si.interview_id
		WHERE ` + strings.Join(where, " AND ") + `
		ORDER BY 4 LIMIT ? OFFSET ?`
	return queryAll(ctx, tx, func(r rowScanner) (Hit, error) {
		var h Hit
		var rowid, when int64
		var at sql.NullInt64
		var body string
		err := r.Scan(&rowid, &h.InterviewID, &at, &h.Rank, &h.InterviewTitle, &when, &body)
		h.Kind, h.ID = kindOf(rowid), rowid/4
		h.AtMs = -1
		if at.Valid {
			h.AtMs = at.Int64
		}
		h.InterviewWhen = time.UnixMilli(when).UTC()
		h.Snippet = snippet(body, terms)
		return h, err
	}, q, args...)
}

// MatchExpression turns what a user typed into an FTS5 query that cannot
// be a syntax error: every word becomes a quoted phrase (inner quotes
// doubled), so FTS5 operators and punctuation lose their meaning. A
// "quoted group" stays one phrase; a word ending in * becomes a prefix
// query, and so does the last word with prefix set, if it has at least
// minPrefixRunes letters (shorter prefixes match most of a library, which
// is slow and useless while typing). Words without a letter or digit are
// dropped, since the tokenizer would make them empty phrases. The result
// is "" when nothing searchable is left.
func MatchExpression(query string, prefix bool) string {
	return matchExpression(parseQuery(query, prefix))
}

// minPrefixRunes is the shortest last word that search-as-you-type treats
// as a prefix.
const minPrefixRunes = 3

// queryTerm is one phrase of a query, already split into the tokens the
// index holds (lower case), for building the match and marking snippets.
type queryTerm struct {
	text   string   // as typed, for the FTS5 phrase
	tokens []string // as the tokenizer sees it
	prefix bool
}

func parseQuery(query string, prefix bool) []queryTerm {
	query = strings.ToValidUTF8(query, " ")
	query = strings.ReplaceAll(query, "\x00", " ")
	var terms []queryTerm
	rs := []rune(query)
	for i := 0; i < len(rs) && len(terms) < maxQueryTerms; {
		var t queryTerm
		switch {
		case unicode.IsSpace(rs[i]):
			i++
			continue
		case rs[i] == '"':
			j := i + 1
			for j < len(rs) && rs[j] != '"' {
				j++
			}
			t.text = string(rs[i+1 : min(j, len(rs))])
			i = j + 1
			t.prefix = i < len(rs) && rs[i] == '*'
		default:
			j := i
			for j < len(rs) && !unicode.IsSpace(rs[j]) && rs[j] != '"' {
				j++
			}
			w := string(rs[i:j])
			t.text = strings.TrimRight(w, "*")
			t.prefix = t.text != w
			i = j
		}
		for _, tok := range tokenize(t.text) {
			t.tokens = append(t.tokens, strings.ToLower(t.text[tok[0]:tok[1]]))
		}
		if len(t.tokens) > 0 {
			terms = append(terms, t)
		}
	}
	if n := len(terms); prefix && n > 0 && utf8.RuneCountInString(terms[n-1].tokens[len(terms[n-1].tokens)-1]) >= minPrefixRunes {
		terms[n-1].prefix = true
	}
	return terms
}

func matchExpression(terms []queryTerm) string {
	parts := make([]string, 0, len(terms))
	for _, t := range terms {
		p := `"` + strings.ReplaceAll(t.text, `"`, `""`) + `"`
		if t.prefix {
			p += "*"
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, " ")
}

// isTokenRune mirrors what the unicode61 tokenizer keeps in a token:
// its default categories L*, N* and Co; everything else separates.
func isTokenRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.Co, r)
}

// tokenize returns the byte ranges of the tokens in s.
func tokenize(s string) [][2]int {
	var out [][2]int
	start := -1
	for i, r := range s {
		if isTokenRune(r) {
			if start < 0 {
				start = i
			}
		} else if start >= 0 {
			out = append(out, [2]int{start, i})
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, [2]int{start, len(s)})
	}
	return out
}

// snippet cuts a window of about snippetTokens tokens around the first
// match in body and marks every matching token. It is done here rather
// than with FTS5's snippet(), which SQLite would evaluate for every match
// before LIMIT, or which needs one more index lookup per hit: both cost
// hundreds of milliseconds for a common word in a large library.
func snippet(body string, terms []queryTerm) string {
	body = strings.Join(strings.Fields(body), " ")
	toks := tokenize(body)
	matched := make([]bool, len(toks))
	first := -1
	for i, tk := range toks {
		word := strings.ToLower(body[tk[0]:tk[1]])
		for _, t := range terms {
			for j, qt := range t.tokens {
				if word == qt || (t.prefix && j == len(t.tokens)-1 && strings.HasPrefix(word, qt)) {
					matched[i] = true
				}
			}
		}
		if matched[i] && first < 0 {
			first = i
		}
	}
	from, to := 0, len(toks)
	if len(toks) > snippetTokens {
		from = max(0, min(first-snippetTokens/4, len(toks)-snippetTokens))
		to = from + snippetTokens
	}
	var sb strings.Builder
	pos := 0
	if from > 0 {
		sb.WriteString(snippetEllipsis)
		pos = toks[from][0]
	}
	for i := from; i < to; i++ {
		if !matched[i] {
			continue
		}
		sb.WriteString(body[pos:toks[i][0]])
		sb.WriteString(SnippetStart)
		sb.WriteString(body[toks[i][0]:toks[i][1]])
		sb.WriteString(SnippetEnd)
		pos = toks[i][1]
	}
	if to < len(toks) {
		sb.WriteString(body[pos:toks[to-1][1]])
		sb.WriteString(snippetEllipsis)
	} else {
		sb.WriteString(body[pos:])
	}
	return sb.String()
}
