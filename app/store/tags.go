package store

import (
	"bytes"
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/sidenote-app/sidenote/app/interview"
)

// TagCount is a note tag and how many interviews have at least one note
// carrying it.
type TagCount struct {
	Tag        string
	Interviews int
}

// Tags returns every tag on a note anywhere in the library, with the
// number of interviews that use it, most used first, then by name. Tags
// are as the notes store them (see interview.NormalizeTag), so each can be
// passed back as ListOptions.Tag or SearchOptions.Tag. An interview's
// notes go when it is deleted, and so do its tags.
//
// The tags column is split here rather than in SQL: one pass over the
// notes in interview order (the order of notes_by_interview, so no sort)
// counts each tag once per interview by remembering the last interview
// it was counted for, with no set of ids. Nearly all the time goes to
// reading the rows: 17 ms for 50,000 notes, where a recursive CTE that
// splits and groups in SQLite took 70–90 ms (see BenchmarkTags).
func (s *Store) Tags(ctx context.Context) ([]TagCount, error) {
	type tally struct {
		n    int
		last int64 // the interview last counted; ids start at 1
	}
	counts := map[string]*tally{}
	err := s.read(ctx, "list tags", func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, "SELECT interview_id, tags FROM notes WHERE tags <> '' ORDER BY interview_id")
		if err != nil {
			return err
		}
		defer rows.Close()
		var id int64
		var tags sql.RawBytes
		for rows.Next() {
			if err := rows.Scan(&id, &tags); err != nil {
				return err
			}
			for f := range bytes.FieldsSeq(tags) {
				t := counts[string(f)] // no allocation for a tag seen before
				if t == nil {
					t = &tally{}
					counts[string(f)] = t
				}
				if t.last != id {
					t.n, t.last = t.n+1, id
				}
			}
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	out := make([]TagCount, 0, len(counts))
	for tag, t := range counts {
		out = append(out, TagCount{Tag: tag, Interviews: t.n})
	}
	slices.SortFunc(out, func(a, b TagCount) int {
		return cmp.Or(cmp.Compare(b.Interviews, a.Interviews), strings.Compare(a.Tag, b.Tag))
	})
	return out, nil
}

// tagFilter returns the condition "the interview whose id is in column id
// has a note tagged tag", and its argument. The tag is normalised as the
// notes' tags are, so "#Concern" finds "concern". It matches whole tags
// only: the tags column and the tag are both wrapped in spaces, so "go"
// does not find "golang" or "go-live". instr, not LIKE: LIKE would read
// the '_' that tags may hold as a wildcard.
//
// IN with a subquery that does not depend on the outer row, not a
// correlated EXISTS: SQLite runs it once per statement (one scan of the
// notes, a few ms) into a temporary index and looks each row up there.
// EXISTS scans an interview's notes again for every row it tests. In
// BenchmarkSearch's library, with tags added to its 30,000 notes, a
// common word under a tag no hit's interview has took 2.2 s with EXISTS
// and 0.73 s with IN (Search now tests the hit's interview id before the
// join, so it is less: see BenchmarkSearch/common-word-tag-none).
func tagFilter(id, tag string) (string, any, error) {
	norm := interview.NormalizeTag(tag)
	if norm == "" {
		return "", nil, fmt.Errorf("%w tag %q: a tag needs a letter or digit", interview.ErrInvalid, tag)
	}
	return id + " IN (SELECT interview_id FROM notes WHERE instr(' ' || tags || ' ', ?) > 0)", " " + norm + " ", nil
}
