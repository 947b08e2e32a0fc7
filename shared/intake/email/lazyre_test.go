package email

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestLazyRegexp_CueWordsChangeNoResult: the cue check before each expression (lazyre.go) only skips work.
// Every expression of the package is run, with and without its cue check, over the samples' and every
// tenth corpus email's bodies and over each of their lines, and over texts written to catch a wrong cue: the
// results must be the same.
func TestLazyRegexp_CueWordsChangeNoResult(t *testing.T) {
	texts := cueTexts(t)
	withCue := 0
	for _, l := range allLazy {
		re := l.get()
		if l.cue != nil {
			withCue++
		} else {
			continue
		}
		for _, x := range texts {
			if got, want := l.MatchString(x.s), re.MatchString(x.s); got != want {
				t.Fatalf("%s on %s: %v with the cue check, %v without", l.src, x.label, got, want)
			}
		}
	}
	if withCue < len(allLazy)/2 {
		t.Errorf("only %d of %d expressions have cue words", withCue, len(allLazy))
	}
	t.Logf("%d of %d expressions have cue words; %d texts", withCue, len(allLazy), len(texts))
}

// TestCueOf reads the cue words of a few expressions as written, and finds them in either ASCII case.
func TestCueOf(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want []string // nil: no cue
	}{
		{`(?i)\b(?:refused|declined)\b[^.]{0,25}\bconsent`, []string{"refused", "declined"}}, // the first of the longest
		{`(?i)\b(?:date of birth|d\.?o\.?b\.?)\s+is`, []string{"is"}},                        // "d.o.b" needs only "o": too short
		{`\d+`, nil},
		{`(?i)photos?|pictures?`, []string{"photo", "picture"}},
		{`(?i)\bmum|x*`, nil},
		{`(?:Mum)’s`, []string{"mum"}},
	} {
		c := cueOf(tc.src)
		if tc.want == nil || shortest(tc.want) < 2 {
			if c != nil {
				t.Errorf("%s: a cue, want none", tc.src)
			}
			continue
		}
		if c == nil {
			t.Errorf("%s: no cue, want %q", tc.src, tc.want)
			continue
		}
		for _, w := range tc.want {
			if !c.in("xx " + strings.ToUpper(w) + " xx") {
				t.Errorf("%s: %q not found in upper case", tc.src, w)
			}
		}
		if c.in("zzz") {
			t.Errorf("%s: a cue found in zzz", tc.src)
		}
		_ = regexp.MustCompile(tc.src)
	}
}

// text is a text to run the expressions over, with a label for a failure's message.
type text struct{ label, s string }

// cueTexts are texts written to catch a wrong cue, the samples' subjects and bodies and every tenth corpus
// email's body, each whole and line by line, each line also lower-cased.
func cueTexts(t *testing.T) []text {
	// Each text has a label for a failure's message: a corpus text is named by its file and line, never
	// printed (the held-out part's content stays unread).
	var texts []text
	for _, s := range []string{
		"", "Her DOB is 01/02/2015", "date of birth: 7 March 2013", "ſocial care ſharing consent", // U+017F folds to s
		"\u212aids are at school", "MUM REFUSED CONSENT TO THE REFERRAL", "mum’s partner", "école élève",
	} {
		texts = append(texts, text{"written " + strconv.Quote(s), s})
	}
	var bodies []text
	for _, name := range sampleNames(t) {
		if m, err := Parse(readSample(t, name), colleagueOpts); err == nil {
			bodies = append(bodies, text{name + " subject", m.Subject}, text{name, m.BodyText})
		}
	}
	files, err := filepath.Glob(filepath.Join(corpusDir, "*.eml"))
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range files {
		if i%10 == 0 {
			name := filepath.Base(f)
			bodies = append(bodies, text{name, parseCorpusMail(t, name).BodyText})
		}
	}
	for _, b := range bodies {
		texts = append(texts, b)
		for i, line := range strings.Split(b.s, "\n") {
			label := fmt.Sprintf("%s line %d", b.label, i+1)
			// the rules run most expressions on lower-cased lines
			texts = append(texts, text{label, line}, text{label + " lower-cased", strings.ToLower(line)})
		}
	}
	return texts
}

// TestSplitLabelColon_SameAsExpression: splitLabelColon, which runs labelColon's head only, gives what
// labelColon gives over the whole line (label and trimmed value, or no match), on the same texts and on
// lines written to try its edges.
func TestSplitLabelColon_SameAsExpression(t *testing.T) {
	texts := cueTexts(t)
	for _, s := range []string{
		"Name: Amy", "  - 1) Child's name ::  * Amy Smith \t ", "DOB?", "Name\t: x", "\tName: x", "-\tName: x",
		"Name :\n x", "Na\nme: x", "a very long line of prose that goes on and on and on and on and on and on and on and on and on: and a colon",
		"Name:\v x \v", "Name:\u00a0x\u00a0", "(2) School? St Mary’s", "•• > Mum: Kelly", "Name:*:* ?x", ":", "?", " : x",
	} {
		texts = append(texts, text{"written " + strconv.Quote(s), s})
	}
	for _, x := range texts {
		for _, line := range append([]string{x.s}, strings.Split(x.s, "\n")...) {
			label, value, ok := splitLabelColon(line)
			m := labelColon.get().FindStringSubmatch(line)
			if ok != (m != nil) || ok && (label != m[1] || value != strings.TrimSpace(m[2])) {
				t.Fatalf("%s: splitLabelColon and labelColon differ", x.label)
			}
		}
	}
}
