package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
	"unicode"

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
	match := MatchExpression(query, opts.Prefix)
	if match == "" {
		return nil, nil
	}
	limit := opts.Limit
	if limit <= 0 {
		limit = 50
	}
	where := []string{"search_index MATCH ?"}
	args := []any{match}
	if opts.InterviewID != 0 {
		where, args = append(where, "si.interview_id = ?"), append(args, opts.InterviewID)
	}
	if len(opts.Kinds) > 0 {
		codes := make([]string, 0, len(opts.Kinds))
		for _, k := range opts.Kinds {
			c, ok := kindCodes[k]
			if !ok {
				return nil, fmt.Errorf("search: %w kind %q: use note, segment or question", interview.ErrInvalid, k)
			}
			codes = append(codes, fmt.Sprint(c))
		}
		where = append(where, "si.rowid % 4 IN ("+strings.Join(codes, ", ")+")")
	}
	if opts.Mode != "" {
		where, args = append(where, "i.mode = ?"), append(args, opts.Mode)
	}
	if !opts.Since.IsZero() {
		where, args = append(where, "i.filed_at >= ?"), append(args, opts.Since.UnixMilli())
	}
	if !opts.Until.IsZero() {
		where, args = append(where, "i.filed_at < ?"), append(args, opts.Until.UnixMilli())
	}
	args = append(args, limit, max(opts.Offset, 0))
	// CROSS JOIN keeps the full-text index as the outer loop: SQLite must
	// not run the MATCH once per interview. Ranking first and making
	// snippets only for the page of hits keeps a common word cheap.
	q := `SELECT si.rowid, si.interview_id, si.at_ms, si.rank, i.title, i.filed_at
		FROM search_index si CROSS JOIN interviews i ON i.id = si.interview_id
		WHERE ` + strings.Join(where, " AND ") + `
		ORDER BY si.rank LIMIT ? OFFSET ?`

	var hits []Hit
	err := s.read(ctx, "search", func(tx *sql.Tx) error {
		var err error
		hits, err = queryAll(ctx, tx, func(r rowScanner) (Hit, error) {
			var h Hit
			var rowid, when int64
			var at sql.NullInt64
			err := r.Scan(&rowid, &h.InterviewID, &at, &h.Rank, &h.InterviewTitle, &when)
			h.Kind, h.ID = kindOf(rowid), rowid/4
			h.AtMs = -1
			if at.Valid {
				h.AtMs = at.Int64
			}
			h.InterviewWhen = time.UnixMilli(when).UTC()
			return h, err
		}, q, args...)
		if err != nil {
			return err
		}
		stmt, err := tx.PrepareContext(ctx, `SELECT snippet(search_index, 0, '`+SnippetStart+`', '`+SnippetEnd+`', '`+
			snippetEllipsis+`', `+fmt.Sprint(snippetTokens)+`) FROM search_index WHERE search_index MATCH ? AND rowid = ?`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for i := range hits {
			if err := stmt.QueryRowContext(ctx, match, hits[i].ID*4+kindCodes[hits[i].Kind]).Scan(&hits[i].Snippet); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%w (query %q)", err, query)
	}
	return hits, nil
}

// MatchExpression turns what a user typed into an FTS5 query that cannot
// be a syntax error: every word becomes a quoted phrase (inner quotes
// doubled), so FTS5 operators and punctuation lose their meaning. A
// "quoted group" stays one phrase; a word ending in * (or the last word,
// with prefix) becomes a prefix query. Words without a letter or digit
// are dropped, since the tokenizer would make them empty phrases. The
// result is "" when nothing searchable is left.
func MatchExpression(query string, prefix bool) string {
	query = strings.ToValidUTF8(query, " ")
	query = strings.ReplaceAll(query, "\x00", " ")
	type term struct {
		text   string
		prefix bool
	}
	var terms []term
	rs := []rune(query)
	for i := 0; i < len(rs) && len(terms) < maxQueryTerms; {
		switch {
		case unicode.IsSpace(rs[i]):
			i++
		case rs[i] == '"':
			j := i + 1
			for j < len(rs) && rs[j] != '"' {
				j++
			}
			t := term{text: string(rs[i+1 : min(j, len(rs))])}
			i = j + 1
			if i < len(rs) && rs[i] == '*' {
				t.prefix = true
			}
			terms = append(terms, t)
		default:
			j := i
			for j < len(rs) && !unicode.IsSpace(rs[j]) && rs[j] != '"' {
				j++
			}
			w := string(rs[i:j])
			t := term{text: strings.TrimRight(w, "*")}
			t.prefix = t.text != w
			terms = append(terms, t)
			i = j
		}
	}
	var parts []string
	for i, t := range terms {
		if strings.IndexFunc(t.text, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) }) < 0 {
			continue
		}
		p := `"` + strings.ReplaceAll(t.text, `"`, `""`) + `"`
		if t.prefix || (prefix && i == len(terms)-1) {
			p += "*"
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, " ")
}
