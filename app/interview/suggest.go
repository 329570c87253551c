package interview

import (
	"cmp"
	"math"
	"slices"
	"strings"
)

// A suggestion is only ever an offer: the Live screen shows it beside the
// call and the user clicks it or not. So the matcher errs on the side of
// saying nothing — small talk must not light up a question — and the rules
// below are tuned by the table in suggest_test.go, not by theory.
//
// Both the utterance and each candidate are cut into content words: lower
// case, punctuation gone, letters kept as they are (å is not a, "får" is
// not "far"), stop words and fillers of the interview's language dropped.
// A candidate's score is the share of its content words that were said,
// each word weighted by how rare it is among the candidates (a word every
// question has says little about which one was asked), plus a share for
// the candidate's word pairs said in the same order, next to each other
// once stop words are gone.

// SuggestKind says what a suggestion would act on.
type SuggestKind string

// Kinds of suggestion.
const (
	SuggestQuestion SuggestKind = "question" // mark a queued question asked
	SuggestPoint    SuggestKind = "point"    // tick a talking point
)

// Suggestion is a queued question or an unchecked talking point that an
// utterance sounds like.
type Suggestion struct {
	Kind  SuggestKind
	ID    int64
	Score float64 // 0..1; at least SuggestThreshold
	// Words are the candidate's content words that were heard, in the
	// candidate's order, as written in the candidate.
	Words []string
}

// SuggestThreshold is the lowest score Match reports. A paraphrase of a
// question scores about 0.9 and above, a sentence sharing one or two
// ordinary words with it below 0.4.
const SuggestThreshold = 0.6

// Weights of the score's two parts; they add up to 1.
const (
	coverageWeight = 0.8
	runWeight      = 0.2
)

// Suggester matches what the user said against the questions and talking
// points still open. It holds no state after NewSuggester, so one value is
// safe for concurrent use.
type Suggester struct {
	drop map[string]bool // stop words and fillers
}

// NewSuggester returns the matcher for an interview language: "en"
// English, "sv" Swedish, anything else (including "" for auto) drops the
// stop words and fillers of both.
func NewSuggester(language string) *Suggester {
	s := &Suggester{drop: map[string]bool{}}
	add := func(words map[string]bool) {
		for w := range words {
			s.drop[w] = true
		}
	}
	addHes := func(h map[string]string) {
		for w := range h {
			s.drop[w] = true
		}
	}
	switch strings.ToLower(strings.TrimSpace(language)) {
	case "en":
		add(stopEN)
		addHes(hesitationsEN)
	case "sv":
		add(stopSV)
		addHes(hesitationsSV)
	default:
		add(stopEN)
		add(stopSV)
		addHes(hesitationsEN)
		addHes(hesitationsSV)
	}
	return s
}

// Stop words: function words, question words and the fillers that are
// words ("basically", "liksom"); none of them tells one question from
// another. Lists are short on purpose: a content word wrongly dropped
// costs more than a function word wrongly kept, which the rarity weight
// mostly discounts anyway.
var stopEN = wordSet(`a an the and or but if then so as at by for from in into of off on onto out over to up with without about
	i me my mine we us our ours you your yours he him his she her hers it its they them their theirs
	this that these those there here what which who whom whose when where why how
	is am are was were be been being do does did done doing have has had having
	can could will would shall should may might must let lets let's
	i'm i've i'd i'll you're you've you'd you'll we're we've it's that's there's what's don't didn't doesn't isn't wasn't can't won't
	not no yes yeah yep ok okay well right just really very much more most some any all each every also too than
	like basically actually literally kinda sort kind mean know um uh er erm ah hmm mm oh
	tell through`)

var stopSV = wordSet(`och i att det som en ett på är av för med till den de dem har hade inte om men var jag mig min mitt mina
	du dig din ditt dina vi oss vår vårt våra ni er ert era han honom hans hon henne hennes sig sin sitt sina
	från så kan kunde ska skulle vill ville man när där här då nu hur vad vilken vilket vilka vem varför
	vara varit blev bli blir också eller bara lite mycket något någon några alla allt inget ingen efter under över mot utan vid hos
	ju nog väl ja nej okej jo liksom alltså asså ba typ öh äh eh hm mm
	berätta`)

// suggestWord is one content word: as written, and as runes to compare.
type suggestWord struct {
	text  string
	runes []rune
}

// words cuts text into its content words, in order.
func (s *Suggester) words(text string) []suggestWord {
	ws := splitFillerWords(text)
	out := make([]suggestWord, 0, len(ws))
	for _, w := range ws {
		t := strings.Trim(w.text, "'-")
		if t == "" || s.drop[t] || s.drop[squeeze(t)] {
			continue
		}
		out = append(out, suggestWord{text: t, runes: []rune(t)})
	}
	return out
}

// sameWord reports whether a and b are the same word up to an ending:
// equal; or the shorter, at least 3 letters, begins the longer, which has
// at most 3 more ("job"/"jobs", "end"/"ended"); or they share a prefix of
// at least 5 letters that the shorter extends by at most 2 ("designed"/
// "design", "projektet"/"projekt", "designing"/"designed"). Endings are
// not told apart by language: English and Swedish both inflect at the
// end, and a prefix rule needs no word lists. "interview"/"internal"
// share only "inter", so they differ.
func sameWord(a, b []rune) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	p := 0
	for p < len(a) && a[p] == b[p] {
		p++
	}
	switch {
	case p == len(a) && p == len(b):
		return true
	case p == len(a):
		return p >= 3 && len(b)-p <= 3
	}
	return p >= 5 && p >= len(a)-2
}

// wordKey is the part of a word that sameWord needs equal.
func wordKey(w []rune) string { return string(w[:min(3, len(w))]) }

// candidate is one question or point being scored.
type candidate struct {
	kind  SuggestKind
	id    int64
	words []suggestWord // distinct, in order of first use
	seq   []suggestWord // every content word, in order, for runs
}

// Match scores text against the queued questions and the unchecked
// points and returns those at or above SuggestThreshold, best first (ties
// by kind, then id, so the order is the same every time). Questions not
// queued and points already checked are never returned.
func (s *Suggester) Match(text string, questions []Question, points []TalkingPoint) []Suggestion {
	said := s.words(text)
	if len(said) == 0 {
		return nil
	}
	var cands []candidate
	addCand := func(kind SuggestKind, id int64, text string) {
		seq := s.words(text)
		if len(seq) == 0 {
			return
		}
		c := candidate{kind: kind, id: id, seq: seq}
		for _, w := range seq {
			if !slices.ContainsFunc(c.words, func(x suggestWord) bool { return sameWord(x.runes, w.runes) }) {
				c.words = append(c.words, w)
			}
		}
		cands = append(cands, c)
	}
	for _, q := range questions {
		if q.Status == QuestionQueued {
			addCand(SuggestQuestion, q.ID, q.Text)
		}
	}
	for _, p := range points {
		if !p.Checked {
			addCand(SuggestPoint, p.ID, p.Text)
		}
	}

	// Words can only be the same if they share their first three letters
	// (see sameWord), so candidates are indexed by those to count in how
	// many of them a word occurs without comparing every pair.
	byKey := map[string][]int{}
	for i, c := range cands {
		for _, w := range c.words {
			k := wordKey(w.runes)
			if l := byKey[k]; len(l) == 0 || l[len(l)-1] != i {
				byKey[k] = append(l, i)
			}
		}
	}
	var out []Suggestion
	for i := range cands {
		if sg, ok := s.score(said, cands, byKey, i); ok {
			out = append(out, sg)
		}
	}
	slices.SortFunc(out, func(a, b Suggestion) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Kind, b.Kind); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out
}

// score rates cands[i] against the words said.
func (s *Suggester) score(said []suggestWord, cands []candidate, byKey map[string][]int, i int) (Suggestion, bool) {
	c := cands[i]
	heard := func(w suggestWord) bool {
		return slices.ContainsFunc(said, func(x suggestWord) bool { return sameWord(x.runes, w.runes) })
	}
	var total, got float64
	var words []string
	for _, w := range c.words {
		// Rarity among the candidates: a word in every candidate
		// weighs ln 2, a word in one of n weighs ln(1+n).
		df := 0
		for _, o := range byKey[wordKey(w.runes)] {
			if slices.ContainsFunc(cands[o].words, func(x suggestWord) bool { return sameWord(x.runes, w.runes) }) {
				df++
			}
		}
		weight := math.Log(1 + float64(len(cands))/float64(max(df, 1)))
		total += weight
		if heard(w) {
			got += weight
			words = append(words, w.text)
		}
	}
	// One word in common is a coincidence unless the candidate is one
	// word long; two-word candidates must be heard whole.
	if len(words) < min(2, len(c.words)) || (len(c.words) <= 2 && len(words) < len(c.words)) {
		return Suggestion{}, false
	}
	coverage := got / total
	runs := coverage // a one-word candidate has no pairs
	if len(c.seq) > 1 {
		pairs := 0
		for k := 0; k+1 < len(c.seq); k++ {
			if saidInOrder(said, c.seq[k], c.seq[k+1]) {
				pairs++
			}
		}
		runs = float64(pairs) / float64(len(c.seq)-1)
	}
	score := coverageWeight*coverage + runWeight*runs
	if score < SuggestThreshold {
		return Suggestion{}, false
	}
	return Suggestion{Kind: c.kind, ID: c.id, Score: math.Round(score*1000) / 1000, Words: words}, true
}

// saidInOrder reports whether a was said right before b, counting content
// words only.
func saidInOrder(said []suggestWord, a, b suggestWord) bool {
	for k := 0; k+1 < len(said); k++ {
		if sameWord(said[k].runes, a.runes) && sameWord(said[k+1].runes, b.runes) {
			return true
		}
	}
	return false
}
