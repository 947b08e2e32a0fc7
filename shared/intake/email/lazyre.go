package email

import (
	"regexp"
	"regexp/syntax"
	"strings"
	"sync"
	"unicode/utf8"
)

// lazyRegexp is a regular expression compiled on first use, not at package init: compiling the package's
// fifty-odd expressions at init cost 3–7 ms of every cold start of a function that links this package,
// including those that never parse mail (issue #19, BenchmarkInit in functions/). The methods are the
// *regexp.Regexp methods the package uses.
//
// Each expression also carries its cue words, worked out from its syntax when it is compiled: strings one of
// which every match contains (an expression "(?i)\\b(?:refused|declined)\\b[^.]{0,25}consent" cannot match a
// text without "consent"). The string methods first look for a cue, in one pass over the text without
// allocating, and run the expression only when one is there: most of the extraction rules' expressions run
// over texts that lack their words, and the expression's own scan costs tens of times more (issue #18 "Size
// and speed"). The cue check errs only towards running the expression, so no result changes.
type lazyRegexp struct {
	src  string
	once sync.Once
	re   *regexp.Regexp
	cue  *cueWords // nil: no cue could be worked out, the expression always runs
}

// allLazy is every expression made by lazy, for the test that checks the cue words change no result.
var allLazy []*lazyRegexp

func lazy(src string) *lazyRegexp {
	l := &lazyRegexp{src: src}
	allLazy = append(allLazy, l)
	return l
}

func (l *lazyRegexp) get() *regexp.Regexp {
	l.once.Do(func() {
		l.re = regexp.MustCompile(l.src)
		l.cue = cueOf(l.src)
	})
	return l.re
}

// may reports whether s may hold a match: false only when s holds none of the expression's cue words.
func (l *lazyRegexp) may(s string) bool {
	l.get()
	return l.cue == nil || l.cue.in(s)
}

func (l *lazyRegexp) MatchString(s string) bool { return l.may(s) && l.re.MatchString(s) }
func (l *lazyRegexp) Match(b []byte) bool       { return l.get().Match(b) }
func (l *lazyRegexp) FindString(s string) string {
	if !l.may(s) {
		return ""
	}
	return l.re.FindString(s)
}
func (l *lazyRegexp) FindStringIndex(s string) []int {
	if !l.may(s) {
		return nil
	}
	return l.re.FindStringIndex(s)
}
func (l *lazyRegexp) FindStringSubmatch(s string) []string {
	if !l.may(s) {
		return nil
	}
	return l.re.FindStringSubmatch(s)
}
func (l *lazyRegexp) FindStringSubmatchIndex(s string) []int {
	if !l.may(s) {
		return nil
	}
	return l.re.FindStringSubmatchIndex(s)
}
func (l *lazyRegexp) FindAllString(s string, n int) []string {
	if !l.may(s) {
		return nil
	}
	return l.re.FindAllString(s, n)
}
func (l *lazyRegexp) FindAllStringIndex(s string, n int) [][]int {
	if !l.may(s) {
		return nil
	}
	return l.re.FindAllStringIndex(s, n)
}
func (l *lazyRegexp) FindAllStringSubmatch(s string, n int) [][]string {
	if !l.may(s) {
		return nil
	}
	return l.re.FindAllStringSubmatch(s, n)
}
func (l *lazyRegexp) FindAllStringSubmatchIndex(s string, n int) [][]int {
	if !l.may(s) {
		return nil
	}
	return l.re.FindAllStringSubmatchIndex(s, n)
}
func (l *lazyRegexp) Find(b []byte) []byte                 { return l.get().Find(b) }
func (l *lazyRegexp) FindIndex(b []byte) []int             { return l.get().FindIndex(b) }
func (l *lazyRegexp) FindSubmatch(b []byte) [][]byte       { return l.get().FindSubmatch(b) }
func (l *lazyRegexp) FindSubmatchIndex(b []byte) []int     { return l.get().FindSubmatchIndex(b) }
func (l *lazyRegexp) FindAll(b []byte, n int) [][]byte     { return l.get().FindAll(b, n) }
func (l *lazyRegexp) FindAllIndex(b []byte, n int) [][]int { return l.get().FindAllIndex(b, n) }
func (l *lazyRegexp) FindAllSubmatch(b []byte, n int) [][][]byte {
	return l.get().FindAllSubmatch(b, n)
}
func (l *lazyRegexp) FindAllSubmatchIndex(b []byte, n int) [][]int {
	return l.get().FindAllSubmatchIndex(b, n)
}
func (l *lazyRegexp) ReplaceAllString(s, repl string) string {
	if !l.may(s) {
		return s
	}
	return l.re.ReplaceAllString(s, repl)
}
func (l *lazyRegexp) ReplaceAllLiteralString(s, repl string) string {
	if !l.may(s) {
		return s
	}
	return l.re.ReplaceAllLiteralString(s, repl)
}
func (l *lazyRegexp) ReplaceAllStringFunc(s string, f func(string) string) string {
	if !l.may(s) {
		return s
	}
	return l.re.ReplaceAllStringFunc(s, f)
}
func (l *lazyRegexp) ReplaceAll(b, repl []byte) []byte { return l.get().ReplaceAll(b, repl) }
func (l *lazyRegexp) ReplaceAllFunc(b []byte, f func([]byte) []byte) []byte {
	return l.get().ReplaceAllFunc(b, f)
}
func (l *lazyRegexp) Split(s string, n int) []string { return l.get().Split(s, n) }
func (l *lazyRegexp) SubexpIndex(name string) int    { return l.get().SubexpIndex(name) }
func (l *lazyRegexp) SubexpNames() []string          { return l.get().SubexpNames() }
func (l *lazyRegexp) NumSubexp() int                 { return l.get().NumSubexp() }
func (l *lazyRegexp) String() string                 { return l.get().String() }

// mayHoldWord reports whether s may hold one of words (each lower-case ASCII) as a (?i) expression would
// match it: ASCII letters in either case. It is the cheap cue check before an expression that cannot match
// without one of its words, so it errs only towards true: the two non-ASCII runes that Unicode case folding
// takes to an ASCII letter (U+017F ſ to s, U+212A Kelvin sign to k) make it true whenever a word holds that
// letter and s holds that rune.
func mayHoldWord(s string, words ...string) bool {
	var first [256]bool
	for _, w := range words {
		first[w[0]] = true
		if 'a' <= w[0] && w[0] <= 'z' {
			first[w[0]-('a'-'A')] = true
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !first[c] {
			continue
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		for _, w := range words {
			if w[0] == c && hasPrefixLower(s[i:], w) {
				return true
			}
		}
	}
	for _, w := range words {
		if strings.IndexByte(w, 's') >= 0 && strings.Contains(s, "\u017f") ||
			strings.IndexByte(w, 'k') >= 0 && strings.Contains(s, "\u212a") {
			return true
		}
	}
	return false
}

// hasPrefixLower is strings.HasPrefix with ASCII letters of s in either case; w is lower-case.
func hasPrefixLower(s, w string) bool {
	if len(s) < len(w) {
		return false
	}
	for j := 0; j < len(w); j++ {
		c := s[j]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != w[j] {
			return false
		}
	}
	return true
}

// cueWords are an expression's cue words, lower-case ASCII, grouped by first byte (either case) for a
// one-pass search.
type cueWords struct {
	byFirst [256][]string
	s, k    bool // a word holds 's' or 'k', which (?i) also matches as U+017F or U+212A
}

// in reports whether s may hold one of the words as the expression would match it: ASCII letters in either
// case, and true whenever a word holds 's' or 'k' and s holds U+017F or U+212A.
func (c *cueWords) in(s string) bool {
	for i := 0; i < len(s); i++ {
		for _, w := range c.byFirst[s[i]] {
			if hasPrefixLower(s[i:], w) {
				return true
			}
		}
	}
	return c.s && strings.Contains(s, "\u017f") || c.k && strings.Contains(s, "\u212a")
}

// cueOf works out the cue words of the expression src, or nil when it has none (an expression that can match
// without a literal, such as `\d+`, or one whose words are too short to be worth a search).
func cueOf(src string) *cueWords {
	t, err := syntax.Parse(src, syntax.Perl)
	if err != nil {
		return nil
	}
	words := required(t)
	if len(words) == 0 {
		return nil
	}
	c := &cueWords{}
	for _, w := range words {
		if len(w) < 2 {
			return nil // a one-letter cue is in nearly every text: not worth a pass
		}
		c.byFirst[w[0]] = append(c.byFirst[w[0]], w)
		if 'a' <= w[0] && w[0] <= 'z' {
			c.byFirst[w[0]-('a'-'A')] = append(c.byFirst[w[0]-('a'-'A')], w)
		}
		c.s = c.s || strings.IndexByte(w, 's') >= 0
		c.k = c.k || strings.IndexByte(w, 'k') >= 0
	}
	return c
}

// required returns strings, lower-case ASCII, one of which every match of t contains; nil when there are
// none to be had. A literal gives its text up to its first non-ASCII character (lower-cased: the search
// ignores ASCII case, which only widens it); a concatenation the best of its parts' (longest shortest word);
// an alternation every branch's, or none when a branch has none; a group, a "+" or a repeat of at least one
// its body's. Anything that can match without a literal ("*", "?", classes, anchors) gives none.
func required(t *syntax.Regexp) []string {
	switch t.Op {
	case syntax.OpLiteral:
		var b strings.Builder
		for _, r := range t.Rune {
			if r >= utf8.RuneSelf {
				break
			}
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			b.WriteRune(r)
		}
		if b.Len() == 0 {
			return nil
		}
		return []string{b.String()}
	case syntax.OpCapture, syntax.OpPlus:
		return required(t.Sub[0])
	case syntax.OpRepeat:
		if t.Min >= 1 {
			return required(t.Sub[0])
		}
		return nil
	case syntax.OpConcat:
		var best []string
		for _, s := range t.Sub {
			if w := required(s); w != nil && (best == nil || shortest(w) > shortest(best)) {
				best = w
			}
		}
		return best
	case syntax.OpAlternate:
		var all []string
		for _, s := range t.Sub {
			w := required(s)
			if w == nil {
				return nil
			}
			all = append(all, w...)
		}
		return all
	}
	return nil
}

func shortest(ws []string) int {
	n := -1
	for _, w := range ws {
		if n < 0 || len(w) < n {
			n = len(w)
		}
	}
	return n
}
