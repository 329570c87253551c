package interview

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
)

// The one-key tags: the interviewer presses a single key to tag the note
// being written, because typing "#concern" mid-answer costs attention.
const (
	TagStrength  = "strength"
	TagConcern   = "concern"
	TagFollowUp  = "follow-up"
	TagHighlight = "highlight"
)

// OneKeyTags lists the one-key tags in the order the UI offers them.
func OneKeyTags() []string { return []string{TagStrength, TagConcern, TagFollowUp, TagHighlight} }

// Note is a line the user typed, stamped with the interview time so it sits
// next to what was being said.
type Note struct {
	ID          int64
	InterviewID int64
	AtMs        int64     // interview time the note was started
	Wall        time.Time // wall-clock time it was written
	Text        string
	Tags        []string // normalised (see NormalizeTag), unique, in order of first use
	QuestionID  int64    // the question being discussed; 0 for none
	EditedAt    time.Time
}

// NewNote makes a note from typed text, reading its #hashtags and adding
// any one-key tags pressed while it was written.
func NewNote(atMs int64, wall time.Time, text string, keyTags ...string) Note {
	return Note{AtMs: atMs, Wall: wall, Text: text, Tags: MergeTags(HashTags(text), keyTags)}
}

// Validate checks the note.
func (n *Note) Validate() error {
	switch {
	case strings.TrimSpace(n.Text) == "" && len(n.Tags) == 0:
		return fmt.Errorf("%w note: it has neither text nor tags", ErrInvalid)
	case n.AtMs < 0:
		return fmt.Errorf("%w note time %d ms: must not be negative", ErrInvalid, n.AtMs)
	case n.QuestionID < 0:
		return fmt.Errorf("%w note question id %d", ErrInvalid, n.QuestionID)
	}
	for _, t := range n.Tags {
		if NormalizeTag(t) != t || t == "" {
			return fmt.Errorf("%w note tag %q: tags are lower-case letters, digits, - and _", ErrInvalid, t)
		}
	}
	return nil
}

// Edit replaces the text and records when. Tags that came from the old
// text's hashtags follow the text (a deleted #tag goes away); tags that did
// not come from the text, such as one-key tags, are kept.
func (n *Note) Edit(text string, at time.Time) {
	old := HashTags(n.Text)
	kept := make([]string, 0, len(n.Tags))
	for _, t := range n.Tags {
		if !slices.Contains(old, t) {
			kept = append(kept, t)
		}
	}
	n.Text, n.EditedAt = text, at
	n.Tags = MergeTags(kept, HashTags(text))
}

// HasTag reports whether the note carries tag (after normalising it).
func (n *Note) HasTag(tag string) bool { return slices.Contains(n.Tags, NormalizeTag(tag)) }

// HashTags returns the normalised #tags in text, unique, in order. A tag
// starts with # at the start of the text or after a character that is not
// a letter or digit (so "C#" is not a tag), continues over letters
// (including å, ä, ö and other scripts), digits, '_' and '-', and must hold
// at least one letter (so "question #2" has no tag).
func HashTags(text string) []string {
	var tags []string
	rs := []rune(text)
	for i := 0; i < len(rs); i++ {
		if rs[i] != '#' || (i > 0 && isTagRune(rs[i-1]) && rs[i-1] != '-') {
			continue
		}
		j := i + 1
		for j < len(rs) && isTagRune(rs[j]) {
			j++
		}
		if t := NormalizeTag(string(rs[i+1 : j])); t != "" && strings.IndexFunc(t, unicode.IsLetter) >= 0 && !slices.Contains(tags, t) {
			tags = append(tags, t)
		}
		i = j - 1
	}
	return tags
}

func isTagRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '-' || unicode.Is(unicode.Mn, r)
}

// NormalizeTag lower-cases a tag, drops a leading '#', trims stray '-' and
// '_' at the ends, and spells the follow-up tag one way ("followup" and
// "follow_up" become "follow-up") so one filter finds them all. Characters
// that cannot be in a tag are removed.
func NormalizeTag(tag string) string {
	tag = strings.TrimPrefix(strings.TrimSpace(tag), "#")
	tag = strings.Map(func(r rune) rune {
		if isTagRune(r) {
			return unicode.ToLower(r)
		}
		return -1
	}, tag)
	tag = strings.Trim(tag, "-_")
	switch tag {
	case "followup", "follow_up":
		return TagFollowUp
	}
	return tag
}

// MergeTags normalises and joins tag lists, keeping the first occurrence.
func MergeTags(lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		for _, t := range l {
			if t = NormalizeTag(t); t != "" && !slices.Contains(out, t) {
				out = append(out, t)
			}
		}
	}
	return out
}
