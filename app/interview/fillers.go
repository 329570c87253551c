package interview

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Filler words are counted on the transcript's words, so the rules below
// decide from text alone, with the punctuation the recognizer wrote as the
// only hint of a pause. Words that are fillers in one use and meaning in
// another ("like", "kind of", "so", "typ") are counted only in the position
// where they are fillers; the rule for each is written beside it. Hesitation
// sounds are recognised however long they are drawn out ("ummm", "öhhh").
//
// Words are compared in lower case with punctuation removed, so "Um," and
// "UM" are the same filler and "Öh" matches "öh".

// fillerWord is one token of a transcript, lower-cased, with the
// punctuation around it that the rules look at.
type fillerWord struct {
	text        string // lower case, no punctuation
	start       bool   // first word of the text or of a sentence (after . ! ? …)
	pauseAfter  bool   // followed by , ; : … – — (a written pause)
	pauseBefore bool   // preceded by , ; : … – — (a written pause)
}

// fillerRule is one filler: its words and, when it has a meaning too, the
// test that tells the filler use from the meaning.
type fillerRule struct {
	name  string   // shown to the user: "um", "you know", "öh"
	words []string // lower case
	// ok says whether the words starting at ws[i] are the filler. It sees
	// the whole text's words and whether the previous word was a filler
	// at the start of its clause ("Um, so …"). Nil means always.
	ok func(ws []fillerWord, i int, afterLeadingFiller bool) bool
}

// hesitations are sounds, never words, in both languages; keys are the
// spelling with repeated letters squeezed ("ummm" → "um").
var hesitationsEN = map[string]string{
	"um": "um", "uhm": "um", "uh": "uh", "er": "er", "erm": "er", "ah": "ah", "hm": "hmm",
}

var hesitationsSV = map[string]string{
	"öh": "öh", "öhm": "öh", "äh": "äh", "ähm": "äh", "eh": "eh", "ehm": "eh", "hm": "hmm",
}

// English determiners before "kind of"/"sort of" mean a kind, not a hedge:
// "what kind of database", "that sort of thing".
var enDeterminers = wordSet("a an the this that these those what which some any every each no one same other another my your his her its our their whatever")

// Words before "you know" that make it a real question or statement:
// "do you know Go", "as you know".
var enKnowers = wordSet("do did does don't didn't doesn't if as would will can could whether")

// Swedish words before "typ" that make it a noun: "vilken typ", "en typ".
var svDeterminers = wordSet("en ett vilken vilket vilka samma annan annat någon något ingen inget varje denna detta min din sin vår er")

var englishFillers = []fillerRule{
	// "so" opens a sentence as a filler ("So, what I did …", "Um, so …");
	// elsewhere it means something ("so that", "I think so").
	{name: "so", words: []string{"so"}, ok: func(ws []fillerWord, i int, lead bool) bool { return ws[i].start || lead }},
	// "like" is a filler when set off by a written pause ("it was, like,
	// huge", "Like, why?"); without one it is a verb or a comparison ("I'd
	// like to", "things like Kafka", "Like I said").
	{name: "like", words: []string{"like"}, ok: func(ws []fillerWord, i int, _ bool) bool { return ws[i].pauseBefore || ws[i].pauseAfter }},
	{name: "you know", words: []string{"you", "know"}, ok: func(ws []fillerWord, i int, _ bool) bool {
		return i == 0 || ws[i].start || !enKnowers[ws[i-1].text]
	}},
	// "I mean" at a clause edge ("I mean, it worked"); "what I mean is"
	// and "I mean it" are meant.
	{name: "I mean", words: []string{"i", "mean"}, ok: func(ws []fillerWord, i int, lead bool) bool {
		return ws[i].start || ws[i].pauseBefore || lead || ws[i+1].pauseAfter || i+2 == len(ws)
	}},
	{name: "sort of", words: []string{"sort", "of"}, ok: hedge(enDeterminers)},
	{name: "kind of", words: []string{"kind", "of"}, ok: hedge(enDeterminers)},
	{name: "kinda", words: []string{"kinda"}, ok: hedge(enDeterminers)},
	// Hedges counted wherever they are said: even when they carry meaning
	// they are the habit a speaker wants to notice.
	{name: "basically", words: []string{"basically"}},
	{name: "actually", words: []string{"actually"}},
	{name: "literally", words: []string{"literally"}},
}

var swedishFillers = []fillerRule{
	{name: "liksom", words: []string{"liksom"}},
	{name: "alltså", words: []string{"alltså"}},
	{name: "asså", words: []string{"asså"}},
	{name: "ba", words: []string{"ba"}},
	// "typ" is a hedge ("det var typ tio"), except as the noun "typ av",
	// "vilken typ".
	{name: "typ", words: []string{"typ"}, ok: func(ws []fillerWord, i int, _ bool) bool {
		if i+1 < len(ws) && ws[i+1].text == "av" && !ws[i].pauseAfter {
			return false
		}
		return i == 0 || ws[i].start || ws[i].pauseBefore || !svDeterminers[ws[i-1].text]
	}},
	// "så här" quoting or hesitating ("han var så här: …", "så här, …")
	// rather than "do it så här gör man" (this is how).
	{name: "så här", words: []string{"så", "här"}, ok: func(ws []fillerWord, i int, _ bool) bool {
		if ws[i+1].pauseAfter || i+2 == len(ws) {
			return true
		}
		return i > 0 && !ws[i].start && svQuoteVerbs[ws[i-1].text]
	}},
	// "du vet" as a tag; "om du vet" (if you know) is a question.
	{name: "du vet", words: []string{"du", "vet"}, ok: func(ws []fillerWord, i int, _ bool) bool {
		return i == 0 || ws[i].start || ws[i-1].text != "om"
	}},
	// "ju" is deliberately absent: it is a modal particle ("det är ju
	// så"), part of ordinary Swedish, not a sign of hesitation.
}

var svQuoteVerbs = wordSet("var är bara ba typ blev")

// hedge is the rule for "kind of"-like words: a hedge unless a determiner
// makes it a noun phrase.
func hedge(determiners map[string]bool) func([]fillerWord, int, bool) bool {
	return func(ws []fillerWord, i int, _ bool) bool {
		return i == 0 || ws[i].start || ws[i].pauseBefore || !determiners[ws[i-1].text]
	}
}

// FillerMatcher finds filler words in transcript text for one language
// choice. It is safe for concurrent use; build it once with NewFillerMatcher.
type FillerMatcher struct {
	hesitations map[string]string
	byFirst     map[string][]fillerRule // longest first
}

// NewFillerMatcher returns the matcher for an interview language: "en"
// English, "sv" Swedish, anything else (including "" for auto) both lists.
// With both, "er" is not counted: in Swedish it is a word ("er", you/your).
func NewFillerMatcher(language string) *FillerMatcher {
	m := &FillerMatcher{hesitations: map[string]string{}, byFirst: map[string][]fillerRule{}}
	var rules []fillerRule
	switch strings.ToLower(strings.TrimSpace(language)) {
	case "en":
		rules = englishFillers
		copyInto(m.hesitations, hesitationsEN)
	case "sv":
		rules = swedishFillers
		copyInto(m.hesitations, hesitationsSV)
	default:
		rules = append(append(rules, englishFillers...), swedishFillers...)
		copyInto(m.hesitations, hesitationsEN)
		copyInto(m.hesitations, hesitationsSV)
		delete(m.hesitations, "er")
		delete(m.hesitations, "erm")
	}
	for _, r := range rules {
		first := r.words[0]
		list := append(m.byFirst[first], r)
		// Longest first, so "så här" is tried before a one-word rule.
		for j := len(list) - 1; j > 0 && len(list[j].words) > len(list[j-1].words); j-- {
			list[j], list[j-1] = list[j-1], list[j]
		}
		m.byFirst[first] = list
	}
	return m
}

func copyInto(dst, src map[string]string) {
	for k, v := range src {
		dst[k] = v
	}
}

// Count returns how many words text has and calls found once for every
// filler in it, with the filler's display name.
func (m *FillerMatcher) Count(text string, found func(name string)) (words int) {
	ws := splitFillerWords(text)
	lead := false // the previous word was a filler opening its clause
	for i := 0; i < len(ws); {
		w := ws[i]
		if name, ok := m.hesitations[squeeze(w.text)]; ok {
			found(name)
			lead = w.start || lead
			i++
			continue
		}
		matched := 0
		for _, r := range m.byFirst[w.text] {
			if i+len(r.words) > len(ws) || !wordsMatch(ws[i:i+len(r.words)], r.words) {
				continue
			}
			if r.ok == nil || r.ok(ws, i, lead) {
				found(r.name)
				matched = len(r.words)
				break
			}
		}
		if matched == 0 {
			lead = false
			i++
			continue
		}
		lead = w.start || lead
		i += matched
	}
	return len(ws)
}

// wordsMatch reports whether ws spell want with no written pause inside:
// "you, know" is two words, not the filler.
func wordsMatch(ws []fillerWord, want []string) bool {
	for k, w := range want {
		if ws[k].text != w || (k > 0 && ws[k].pauseBefore) {
			return false
		}
	}
	return true
}

// squeeze collapses runs of the same letter ("ummm" → "um", "öhhh" →
// "öh") so drawn-out hesitations match one spelling. Only short tokens are
// squeezed: every hesitation is short, and squeezing every word would cost
// an allocation per word.
func squeeze(s string) string {
	if len(s) > 12 || !hasDoubledRune(s) {
		return s
	}
	var b strings.Builder
	var prev rune = -1
	for _, r := range s {
		if r != prev {
			b.WriteRune(r)
		}
		prev = r
	}
	return b.String()
}

func hasDoubledRune(s string) bool {
	var prev rune = -1
	for _, r := range s {
		if r == prev {
			return true
		}
		prev = r
	}
	return false
}

// splitFillerWords cuts text into lower-case words (letters, digits and the
// apostrophes and hyphens inside them) and notes the punctuation around
// each.
func splitFillerWords(text string) []fillerWord {
	var ws []fillerWord
	start, pause := true, false
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		// Whisper writes sounds it did not take for speech in brackets
		// ("[BLANK_AUDIO]", "(laughs)"); nobody said those words.
		if r == '[' || r == '(' {
			closer := "]"
			if r == '(' {
				closer = ")"
			}
			if k := strings.Index(text[i:], closer); k >= 0 {
				i += k + 1
				continue
			}
		}
		if !isWordRune(r) {
			switch {
			case r == '.' || r == '!' || r == '?' || r == '…':
				// "..." and "…" trail off like a pause; a full stop ends a
				// sentence. Both open a new clause.
				if r == '…' || strings.HasPrefix(text[i:], "..") {
					pause = true
				}
				start = true
				if len(ws) > 0 {
					ws[len(ws)-1].pauseAfter = ws[len(ws)-1].pauseAfter || pause
				}
			case r == ',' || r == ';' || r == ':' || r == '–' || r == '—' || r == '-':
				pause = true
				if len(ws) > 0 {
					ws[len(ws)-1].pauseAfter = true
				}
			}
			i += size
			continue
		}
		j := i + size
		for j < len(text) {
			r2, s2 := utf8.DecodeRuneInString(text[j:])
			if isWordRune(r2) {
				j += s2
				continue
			}
			// An apostrophe or hyphen between letters belongs to the word
			// ("don't", "mm-hmm").
			if r2 == '\'' || r2 == '’' || r2 == '-' {
				if r3, _ := utf8.DecodeRuneInString(text[j+s2:]); j+s2 < len(text) && isWordRune(r3) {
					j += s2
					continue
				}
			}
			break
		}
		word := strings.ToLower(composeNordic(strings.ReplaceAll(text[i:j], "’", "'")))
		ws = append(ws, fillerWord{text: word, start: start, pauseBefore: pause})
		start, pause = false, false
		i = j
	}
	return ws
}

// nordicComposer turns decomposed å, ä, ö (a letter followed by a combining
// ring or diaeresis, as some macOS text arrives) into the single letters the
// lists are written with. The standard library has no Unicode
// normalisation; these are the letters the Swedish list needs.
var nordicComposer = strings.NewReplacer(
	"a\u030a", "å", "a\u0308", "ä", "o\u0308", "ö",
	"A\u030a", "Å", "A\u0308", "Ä", "O\u0308", "Ö",
)

func composeNordic(s string) string {
	if !strings.ContainsRune(s, '\u0308') && !strings.ContainsRune(s, '\u030a') {
		return s
	}
	return nordicComposer.Replace(s)
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) }

func wordSet(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}
