package interview

import (
	"maps"
	"testing"
)

func TestFillers(t *testing.T) {
	tests := []struct {
		lang  string
		text  string
		want  map[string]int
		words int
	}{
		// English hesitations, however drawn out and punctuated.
		{"en", "Um, so… I think we shipped it.", map[string]int{"um": 1, "so": 1}, 7},
		{"en", "UMMM. Uhh, hmm, erm — ahh", map[string]int{"um": 1, "uh": 1, "hmm": 1, "er": 1, "ah": 1}, 5},
		// "so" only opens a sentence (or follows a leading filler).
		{"en", "It was so good, so we did it so that it scales.", map[string]int{}, 12},
		{"en", "Done. So, what next? Uh so yes.", map[string]int{"so": 2, "uh": 1}, 7},
		// "like" only when set off by a written pause.
		{"en", "I'd like to use things like Kafka. Like I said.", map[string]int{}, 10},
		{"en", "It was, like, huge. Like, really.", map[string]int{"like": 2}, 6},
		// Multi-word fillers and their meaningful twins.
		{"en", "You know, we shipped it, you know?", map[string]int{"you know": 2}, 7},
		{"en", "Do you know Go? As you know, it's fast.", map[string]int{}, 9},
		{"en", "I mean, it worked. What I mean is latency.", map[string]int{"I mean": 1}, 9},
		{"en", "It's kind of slow and sort of flaky.", map[string]int{"kind of": 1, "sort of": 1}, 8},
		{"en", "What kind of database? That sort of thing.", map[string]int{}, 8},
		{"en", "you, know", map[string]int{}, 2},
		{"en", "Basically it's ACTUALLY literally fine.", map[string]int{"basically": 1, "actually": 1, "literally": 1}, 5},
		// Swedish, å ä ö intact, case-insensitive.
		{"sv", "Öh, alltså, vi körde typ tio tjänster.", map[string]int{"öh": 1, "alltså": 1, "typ": 1}, 7},
		{"sv", "ÖHHH asså liksom, ba kul. Ehm äh hmm", map[string]int{"öh": 1, "asså": 1, "liksom": 1, "ba": 1, "eh": 1, "äh": 1, "hmm": 1}, 8},
		{"sv", "Vilken typ av databas? En typ som skalar.", map[string]int{}, 8},
		{"sv", "Det är ju så.", map[string]int{}, 4},
		{"sv", "Och han var så här: nej. Så här gör man.", map[string]int{"så här": 1}, 10},
		{"sv", "Du vet, det var svårt, du vet. Om du vet svaret.", map[string]int{"du vet": 2}, 11},
		// Swedish "er" is a word; English fillers are not Swedish ones.
		{"sv", "Vi ringer er. Um, like, so", map[string]int{}, 6},
		// Decomposed ö (o + combining diaeresis) matches too.
		{"sv", "O\u0308h, okej", map[string]int{"öh": 1}, 2},
		// Auto language: both lists, but "er" is Swedish for "you".
		{"", "Um, alltså, vi ringer er.", map[string]int{"um": 1, "alltså": 1}, 5},
		{"en", "Er, we called her.", map[string]int{"er": 1}, 4},
		// Bracketed non-speech is not words.
		{"en", "[BLANK_AUDIO] (laughs) um okay", map[string]int{"um": 1}, 2},
		{"en", "mm-hmm, don't", map[string]int{}, 2},
	}
	for _, tt := range tests {
		m := NewFillerMatcher(tt.lang)
		got := map[string]int{}
		words := m.Count(tt.text, func(name string) { got[name]++ })
		if !maps.Equal(got, tt.want) {
			t.Errorf("%q (%q): got fillers %v, want %v", tt.text, tt.lang, got, tt.want)
		}
		if words != tt.words {
			t.Errorf("%q (%q): got %d words, want %d", tt.text, tt.lang, words, tt.words)
		}
	}
}
