package main

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// printable makes text from the library, or from a file being imported,
// safe to print to a terminal. A title is the other person's to write: an
// ESC in it would start a sequence that recolours the terminal, retitles
// its window or rewrites what is on screen. So C0 controls, DEL and C1
// controls, and bytes that are not UTF-8, are shown escaped in Go's
// notation without the quotes (\x1b, \u009b); everything else, including
// non-ASCII letters, is left as it is. A newline reaching printable is
// escaped too: callers that keep lines (hang) split them first.
func printable(s string) string {
	if !strings.ContainsFunc(s, unprintable) && utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			b.WriteString(`\x`)
			b.WriteString(hex2(s[i]))
		case unprintable(r):
			q := strconv.QuoteRuneToASCII(r) // '\x1b', '\u009b', '\n'
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

func unprintable(r rune) bool { return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) }

func hex2(c byte) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[c>>4], digits[c&0xf]})
}
