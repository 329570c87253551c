package interview

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// PromptMaxBytes caps the initial prompt. whisper.cpp conditions on at most
// n_text_ctx/2 = 224 tokens of prompt, one of them its ⟨prev⟩ marker, and
// when a prompt is longer it keeps the END, dropping the beginning, which is
// where this builder puts the names. Counting tokens would need the model's
// vocabulary, so the cap is in bytes: Whisper's byte-level BPE averages
// about 4 bytes a token on English prose but nearer 2.5–3 on names,
// acronyms and Swedish (å, ä, ö are two bytes each), so 2 bytes a token —
// 446 bytes for 223 tokens — is a conservative estimate, not a measurement.
const PromptMaxBytes = 446

// PromptInput is what the recognizer's initial prompt is built from.
type PromptInput struct {
	Interview Interview
	UserName  string // the user's own name, when known
	Company   string // when known; often it is only in the title
	Questions []Question
	Points    []TalkingPoint
	Template  *Template // optional; its name, description and questions
	// Terms are extra words to spell right, most important first, used
	// exactly as given (lower-case tool names like "kubectl" included).
	Terms []string
	// KeepFillers starts the prompt with a hesitant phrase. Whisper tends
	// to leave "um" and "öh" out of its text unless the prompt shows them;
	// practice mode needs them kept for the filler count.
	KeepFillers bool
	MaxBytes    int // 0 means PromptMaxBytes
}

// InitialPrompt builds whisper's initial prompt so that the names and terms
// of this interview are spelled the way the user typed them. It reads like
// the text it primes, in the interview's language:
//
//	Interview with Åsa Lindqvist for Staff Engineer at Spotify on Zoom. Terms: Kubernetes, gRPC, SLO.
//
// Most important first: the names, company, role and platform, then the
// explicit Terms, then distinctive words from the title, the questions and
// talking points (whichever the user's side speaks to first: questions for
// an interviewer, points for a candidate), the template and the documents.
// Distinctive means capitalised (not merely at a sentence start), an
// acronym or inner capital (SLO, gRPC, GitHub), or letters with digits
// (K8s, EC2), with a version kept with its name ("Go 1.26"); stop words
// never are. Each term appears once, in its first spelling; a term already
// said (in the first sentence or inside a longer term) is left out. Terms
// that do not fit the budget are left out whole, never cut.
func InitialPrompt(in PromptInput) string {
	limit := cmp.Or(in.MaxBytes, PromptMaxBytes)
	lang := promptLanguage(in.Interview.Language)
	head := truncateWords(promptHead(in, lang), limit)

	var b strings.Builder
	if in.KeepFillers {
		if f := fillerPhrase[lang]; len(f)+1+len(head) <= limit {
			b.WriteString(f)
		}
	}
	if head != "" {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(head)
	}

	said := [][]string{phraseKey(head)}
	label := termsLabel[lang]
	n := 0
	for _, term := range promptTerms(in) {
		key := phraseKey(term)
		if slices.ContainsFunc(said, func(s []string) bool { return containsPhrase(s, key) }) {
			continue
		}
		var add string
		switch {
		case n == 0 && b.Len() > 0:
			add = " " + label + term
		case n == 0:
			add = label + term
		default:
			add = ", " + term
		}
		if b.Len()+len(add)+1 > limit { // +1 for the closing full stop
			continue
		}
		b.WriteString(add)
		said = append(said, key)
		n++
	}
	if n > 0 {
		b.WriteByte('.')
	}
	return b.String()
}

// Languages the first sentence is written in. Whisper follows the prompt's
// language, so a Swedish interview gets a Swedish sentence; with automatic
// detection the prompt is a bare list so it tips neither way.
const (
	promptEN   = "en"
	promptSV   = "sv"
	promptAuto = ""
)

func promptLanguage(l string) string {
	switch strings.ToLower(strings.TrimSpace(l)) {
	case "en":
		return promptEN
	case "sv":
		return promptSV
	}
	return promptAuto
}

var termsLabel = map[string]string{promptEN: "Terms: ", promptSV: "Termer: ", promptAuto: ""}

var fillerPhrase = map[string]string{
	promptEN:   "Um, let me think, like, hmm… Okay, so, uh, here's what I mean.",
	promptSV:   "Öh, alltså, hmm… Okej, så här, typ, eh.",
	promptAuto: "Um, hmm… öh, alltså, uh.",
}

// promptHead is the first sentence: who, for what, where.
func promptHead(in PromptInput, lang string) string {
	iv := in.Interview
	var names []string
	for _, n := range []string{iv.OtherName, in.UserName} {
		if n = oneLine(n); n != "" && !slices.ContainsFunc(names, func(s string) bool { return strings.EqualFold(s, n) }) {
			names = append(names, n)
		}
	}
	role, company, platform := oneLine(iv.Role), oneLine(in.Company), oneLine(iv.Platform)
	if lang == promptAuto {
		parts := slices.DeleteFunc(append(names, role, company, platform), func(s string) bool { return s == "" })
		if len(parts) == 0 {
			return ""
		}
		return strings.Join(parts, ", ") + "."
	}
	if len(names) == 0 && role == "" && company == "" && platform == "" {
		return ""
	}
	// The words around the fields: interview, with, and, for, at, on.
	w := map[string][6]string{
		promptEN: {"Interview", " with ", " and ", " for ", " at ", " on "},
		promptSV: {"Intervju", " med ", " och ", " om rollen som ", " på ", " via "},
	}[lang]
	if iv.Mode == ModePractice {
		w[0] = map[string]string{promptEN: "Practice interview", promptSV: "Övningsintervju"}[lang]
	}
	var b strings.Builder
	b.WriteString(w[0])
	if len(names) > 0 {
		b.WriteString(w[1] + strings.Join(names, w[2]))
	}
	if role != "" {
		b.WriteString(w[3] + role)
	}
	if company != "" {
		b.WriteString(w[4] + company)
	}
	if platform != "" {
		b.WriteString(w[5] + platform)
	}
	b.WriteByte('.')
	return b.String()
}

// promptTerms returns the distinctive terms of the input, most important
// first, deduplicated case-insensitively with the first spelling kept.
func promptTerms(in PromptInput) []string {
	type source struct {
		tier   int
		text   string
		titled bool // a title or name: its first word is capitalised as a name, not as a sentence opener
	}
	var srcs []source
	qs := slices.Clone(in.Questions)
	slices.SortStableFunc(qs, func(a, b Question) int {
		return cmp.Or(cmp.Compare(b.Priority, a.Priority), cmp.Compare(a.Position, b.Position))
	})
	ps := slices.Clone(in.Points)
	slices.SortStableFunc(ps, func(a, b TalkingPoint) int { return cmp.Compare(a.Position, b.Position) })
	qTier, pTier := 2, 3
	if in.Interview.Mode != ModeInterviewer {
		qTier, pTier = 3, 2
	}
	srcs = append(srcs, source{1, in.Interview.Title, true})
	for _, q := range qs {
		srcs = append(srcs, source{qTier, q.Text, false}, source{qTier, q.Competency, false}, source{qTier, q.Guidance, false})
	}
	for _, p := range ps {
		srcs = append(srcs, source{pTier, p.Text, false})
	}
	if t := in.Template; t != nil {
		srcs = append(srcs, source{4, t.Name, true}, source{4, t.Description, false})
		for _, q := range t.Questions {
			srcs = append(srcs, source{4, q.Text, false}, source{4, q.Competency, false}, source{4, q.Guidance, false})
		}
	}
	srcs = append(srcs, source{5, in.Interview.Documents, false})

	// Words capitalised in the middle of a sentence anywhere are names;
	// the same word opening a sentence elsewhere is one too.
	names := map[string]bool{}
	toks := make([][]termToken, len(srcs))
	for i, s := range srcs {
		toks[i] = splitTermTokens(s.text)
		if s.titled && len(toks[i]) > 0 {
			toks[i][0].start = false
		}
		for _, t := range toks[i] {
			if !t.start && startsUpper(t.text) {
				names[strings.ToLower(t.text)] = true
			}
		}
	}

	type found struct {
		term        string
		tier, count int
		seq         int
	}
	byKey := map[string]*found{}
	var all []*found
	note := func(term string, tier int) {
		key := strings.Join(phraseKey(term), " ")
		if key == "" {
			return
		}
		if f, ok := byKey[key]; ok {
			f.count++
			return
		}
		f := &found{term: term, tier: tier, count: 1, seq: len(all)}
		byKey[key] = f
		all = append(all, f)
	}
	for _, t := range in.Terms {
		note(oneLine(t), 0)
	}
	for i, s := range srcs {
		for _, term := range extractTerms(toks[i], names) {
			note(term, s.tier)
		}
	}
	slices.SortStableFunc(all, func(a, b *found) int {
		if c := cmp.Compare(a.tier, b.tier); c != 0 || a.tier == 0 {
			return cmp.Or(c, cmp.Compare(a.seq, b.seq))
		}
		return cmp.Or(cmp.Compare(b.count, a.count), cmp.Compare(a.seq, b.seq))
	})
	out := make([]string, len(all))
	for i, f := range all {
		out[i] = f.term
	}
	return out
}

// termToken is a word of a text as typed, with whether it opens a sentence
// and whether punctuation separates it from the word before.
type termToken struct {
	text  string
	start bool
	sep   bool
}

// maxTermWords is the longest run of capitalised words kept as one term
// ("Google Cloud Platform"); longer runs are title-cased sentences and are
// kept word by word.
const maxTermWords = 4

// extractTerms finds the distinctive terms in one text's tokens.
func extractTerms(toks []termToken, names map[string]bool) []string {
	var out, run []string
	flush := func() {
		if len(run) <= maxTermWords {
			if len(run) > 0 {
				out = append(out, strings.Join(run, " "))
			}
		} else {
			out = append(out, run...)
		}
		run = run[:0]
	}
	for i, t := range toks {
		if t.sep {
			flush()
		}
		switch {
		case len(run) > 0 && isVersion(t.text):
			run = append(run, t.text)
		case isTermWord(t, names):
			run = append(run, t.text)
		// A sentence-opening capital followed by a version is a name:
		// "Go 1.26 brought …".
		case t.start && startsUpper(t.text) && !stopWords[strings.ToLower(t.text)] &&
			i+1 < len(toks) && !toks[i+1].sep && isVersion(toks[i+1].text):
			run = append(run, t.text)
		default:
			flush()
		}
	}
	flush()
	return out
}

func isTermWord(t termToken, names map[string]bool) bool {
	lower := strings.ToLower(t.text)
	if stopWords[lower] || isVersion(t.text) {
		return false
	}
	var letters, digits, upperInside int
	joiner := false
	for i, r := range t.text {
		switch {
		case unicode.IsLetter(r):
			letters++
			if i > 0 && unicode.IsUpper(r) {
				upperInside++
			}
		case unicode.IsDigit(r):
			digits++
		case i > 0 && strings.ContainsRune(".+#", r):
			joiner = true
		}
	}
	switch {
	case letters == 0:
		return false
	case digits > 0: // K8s, EC2, IPv6
		return true
	case upperInside > 0 && letters >= 2: // SLO, gRPC, GitHub
		return true
	case joiner && startsUpper(t.text) || joiner && letters > 1 && strings.ContainsAny(t.text, "+#"): // Node.js, C++, C#
		return true
	case startsUpper(t.text) && letters >= 2:
		return !t.start || names[lower]
	}
	return false
}

// isVersion reports a number that reads as a version after a name ("1.26",
// "17", "3") rather than a year or a count ("2019").
func isVersion(s string) bool {
	if s == "" || !unicode.IsDigit(rune(s[0])) {
		return false
	}
	for _, r := range s {
		if !unicode.IsDigit(r) && r != '.' {
			return false
		}
	}
	return strings.Contains(s, ".") || len(s) <= 2
}

func startsUpper(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r)
}

// splitTermTokens cuts text into words as typed. Dots, hyphens, slashes,
// apostrophes and pluses inside a word stay in it ("Node.js", "gRPC-Web",
// "CI/CD", "C++", "C#"); a trailing possessive "'s" goes.
func splitTermTokens(text string) []termToken {
	var out []termToken
	start, sep := true, false
	rs := []rune(text)
	for i := 0; i < len(rs); {
		r := rs[i]
		if !isWordRune(r) {
			switch {
			case strings.ContainsRune(".!?:;\n•", r):
				start, sep = true, true
			case !unicode.IsSpace(r):
				sep = true
			}
			i++
			continue
		}
		j := i + 1
		for j < len(rs) {
			switch {
			case isWordRune(rs[j]):
				j++
				continue
			case strings.ContainsRune(".-/_'’", rs[j]) && j+1 < len(rs) && isWordRune(rs[j+1]):
				j += 2
				continue
			case rs[j] == '+' || rs[j] == '#':
				// C++, C#, F#: only straight after letters and at a word end.
				k := j
				for k < len(rs) && (rs[k] == '+' || rs[k] == '#') {
					k++
				}
				if k == len(rs) || !isWordRune(rs[k]) {
					j = k
				}
			}
			break
		}
		w := string(rs[i:j])
		for _, poss := range []string{"'s", "’s"} {
			if len(w) > len(poss)+1 && strings.HasSuffix(w, poss) {
				w = strings.TrimSuffix(w, poss)
			}
		}
		out = append(out, termToken{text: w, start: start, sep: sep})
		start, sep = false, false
		i = j
	}
	return out
}

// phraseKey is a phrase's words in lower case, for comparing terms
// without regard to case or punctuation.
func phraseKey(s string) []string {
	toks := splitTermTokens(s)
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = strings.ToLower(t.text)
	}
	return out
}

// containsPhrase reports whether needle's words appear in order, adjacent,
// in haystack.
func containsPhrase(haystack, needle []string) bool {
	if len(needle) == 0 {
		return true
	}
	for i := 0; i+len(needle) <= len(haystack); i++ {
		if slices.Equal(haystack[i:i+len(needle)], needle) {
			return true
		}
	}
	return false
}

// oneLine trims s and folds its line breaks and runs of spaces into single
// spaces, leaving every letter as typed.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// truncateWords shortens s to at most limit bytes at a word boundary.
func truncateWords(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	cut := strings.LastIndexByte(s[:limit+1], ' ')
	if cut <= 0 {
		cut = limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
	}
	return strings.TrimRight(s[:cut], " ,")
}

// stopWords are never terms, even capitalised: English and Swedish function
// words and the verbs interview questions open with.
var stopWords = wordSet(`
a an the and or but if then than so as at by for from in into of off on onto out over to up with without about after before
between during under until via per
i me my mine we us our ours you your yours he him his she her hers it its they them their theirs this that these those
who whom whose which what when where why how whether
is am are was were be been being have has had having do does did doing done can could would should will shall may might must
not no yes ok okay
all any both each every few more most other some such only own same too very just also again ever
tell describe explain walk give share talk discuss name list think imagine suppose consider say show let make
time times example examples question questions answer answers thing things way ways
och eller men om så att som är var vara har hade ha kan kunde ska skulle vill ville måste får fick
jag mig min mitt mina du dig din ditt dina han honom hans hon henne hennes den det de dem deras vi oss vår vårt våra ni er ert era
en ett denna detta dessa vad vem vilken vilket vilka när var varför hur
i på av för från till med utan över under efter före mellan genom hos mot vid
inte ja nej alla allt andra annan annat någon något några ingen inget varje samma också bara mycket
berätta beskriv förklara ge nämn tänk säg visa gå
`)
