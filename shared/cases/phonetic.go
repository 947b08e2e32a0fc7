package cases

import (
	"strings"

	"github.com/safeguarding/mash/shared/domain"
)

// Phonetic is a sound key for a name: a simplified Metaphone (Lawrence Philips, 1990) — no Go library for
// Double Metaphone is in the pinned set, so it is written here, with tests. Vowels (and y) count only as a
// first letter; consonants that sound alike share a code (c/k/q → K, s/z → S, v/f and ph → F, th → 0,
// sh/ch/tio → X, soft g and j → J, d → T); silent letters drop (kn-, gn-, wr-, gh, a w or h not before a
// vowel); doubled codes collapse. "Jayden" and "Jaden" → JTN; "Smyth" and "Smith" → SM0; "Catherine" and
// "Kathryn" → K0RN.
func Phonetic(name string) string {
	w := []rune(domain.NormaliseName(name))
	// Digits are not sounds.
	k := w[:0]
	for _, r := range w {
		if r >= 'a' && r <= 'z' {
			k = append(k, r)
		}
	}
	w = k
	if len(w) == 0 {
		return ""
	}
	s := string(w)
	for _, p := range []string{"kn", "gn", "pn", "wr", "ae"} {
		if strings.HasPrefix(s, p) {
			w = w[1:]
			break
		}
	}
	if w[0] == 'x' {
		w[0] = 's'
	}
	if len(w) > 1 && w[0] == 'w' && w[1] == 'h' {
		w = append([]rune{'w'}, w[2:]...)
	}
	at := func(i int) rune {
		if i < 0 || i >= len(w) {
			return 0
		}
		return w[i]
	}
	vowel := func(r rune) bool { return strings.ContainsRune("aeiouy", r) }
	var b strings.Builder
	last := rune(0)
	emit := func(c rune) {
		if c != last {
			b.WriteRune(c)
		}
		last = c
	}
	for i := 0; i < len(w); i++ {
		c, n := w[i], at(i+1)
		if c == at(i-1) && c != 'c' {
			continue
		}
		switch c {
		case 'a', 'e', 'i', 'o', 'u', 'y':
			if i == 0 {
				emit('A')
			} else {
				last = 0 // a vowel between two like consonants keeps both
			}
		case 'b':
			if !(i == len(w)-1 && at(i-1) == 'm') {
				emit('B')
			}
		case 'c':
			switch {
			case n == 'i' && at(i+2) == 'a', n == 'h':
				emit('X')
				if n == 'h' {
					i++
				}
			case n == 'i' || n == 'e' || n == 'y':
				emit('S')
			case at(i-1) == 's' && n == 'h':
			default:
				emit('K')
			}
		case 'd':
			if n == 'g' && strings.ContainsRune("eiy", at(i+2)) {
				emit('J')
				i++
			} else {
				emit('T')
			}
		case 'g':
			switch {
			case n == 'h' && !vowel(at(i+2)):
				i++ // gh not before a vowel is silent (Leigh, Haigh)
			case n == 'n' && i+2 == len(w):
			case strings.ContainsRune("eiy", n):
				emit('J')
			default:
				emit('K')
			}
		case 'h':
			if vowel(n) && !strings.ContainsRune("csptg", at(i-1)) {
				emit('H')
			}
		case 'k':
			if at(i-1) != 'c' {
				emit('K')
			}
		case 'p':
			if n == 'h' {
				emit('F')
				i++
			} else {
				emit('P')
			}
		case 'q':
			emit('K')
		case 's':
			switch {
			case n == 'h', n == 'i' && (at(i+2) == 'o' || at(i+2) == 'a'):
				emit('X')
				if n == 'h' {
					i++
				}
			default:
				emit('S')
			}
		case 't':
			switch {
			case n == 'i' && (at(i+2) == 'o' || at(i+2) == 'a'):
				emit('X')
			case n == 'h':
				emit('0')
				i++
			case n == 'c' && at(i+2) == 'h':
			default:
				emit('T')
			}
		case 'v':
			emit('F')
		case 'w':
			if vowel(n) {
				emit('W')
			}
		case 'x':
			emit('K')
			emit('S')
		case 'z':
			emit('S')
		default:
			emit(c - 'a' + 'A')
		}
	}
	return b.String()
}
