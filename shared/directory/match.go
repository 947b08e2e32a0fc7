package directory

import (
	"regexp"
	"sort"
	"strings"
	"sync"
	"unicode"

	"github.com/safeguarding/mash/shared/store"
)

// Outcome is what matching a PPN's free-text school found.
type Outcome string

const (
	// Matched: one open school, confidently.
	Matched Outcome = "matched"
	// Ambiguous: several schools fit equally; Candidates lists them.
	Ambiguous Outcome = "ambiguous"
	// NotFound: no school fits (Candidates may list near misses), or the PPN names none.
	NotFound Outcome = "not-found"
	// Closed: the school named is closed.
	Closed Outcome = "closed"
	// HomeEducated: the PPN says the child is educated at home.
	HomeEducated Outcome = "home-educated"
	// UnderSchoolAge: the PPN names no school or setting and the child is younger than any child at school
	// (SchoolAgeFrom), or unborn: there is no school to tell (NoSchoolToTell).
	UnderSchoolAge Outcome = "under-school-age"
)

// Match is the result of matching one PPN's school.
type Match struct {
	Outcome    Outcome
	School     *store.School  // Matched or Closed
	Candidates []store.School // Ambiguous or NotFound: best first, at most MaxCandidates
}

// MaxCandidates is the most candidates a match lists.
const MaxCandidates = 5

// phase bits: junior and infant are both primary-phase; "primary" fits either, junior and infant do not fit
// each other.
const (
	phaseInfant uint8 = 1 << iota
	phaseJunior
	phasePrimary
	phaseNursery
	phaseSecondary
)

var phaseWords = map[string]uint8{"infant": phaseInfant, "junior": phaseJunior, "primary": phasePrimary,
	"nursery": phaseNursery, "secondary": phaseSecondary}

// canon maps abbreviations and variants to one token.
var canon = map[string]string{
	"jnr": "junior", "jun": "junior", "juniors": "junior", "jnrs": "junior",
	"inf": "infant", "infants": "infant", "infs": "infant",
	"prim": "primary", "pri": "primary",
	"sch": "school", "schl": "school", "schools": "school",
	"acad": "academy", "academies": "academy",
	"sec":   "secondary",
	"saint": "st", "sts": "st",
	"ce": "cofe", "catholic": "rc",
	"nurs": "nursery",
	"coll": "college",
}

// phrases are multi-word variants, longest first.
var phrases = []struct {
	words []string
	token string
}{
	{[]string{"church", "of", "england"}, "cofe"},
	{[]string{"c", "of", "e"}, "cofe"},
	{[]string{"roman", "catholic"}, "rc"},
	{[]string{"c", "e"}, "cofe"},
	{[]string{"r", "c"}, "rc"},
}

// generic words say what kind of school it is, not which: set aside before comparing names.
var generic = map[string]bool{"school": true, "academy": true, "the": true, "and": true, "of": true, "cofe": true,
	"rc": true, "community": true, "voluntary": true, "aided": true, "controlled": true, "va": true, "vc": true,
	"foundation": true, "church": true, "federation": true, "free": true, "endowed": true, "mixed": true, "trust": true}

// tokens splits and normalises a name: lower case, apostrophes dropped ("Mary's" → marys), other
// punctuation a space, "&" → and, abbreviations and phrases canonical.
func tokens(s string) []string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r == '\'' || r == '’':
		case r == '&':
			b.WriteString(" and ")
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		default:
			b.WriteByte(' ')
		}
	}
	raw := strings.Fields(b.String())
	out := make([]string, 0, len(raw))
	for i := 0; i < len(raw); {
		matched := false
		for _, p := range phrases {
			if i+len(p.words) <= len(raw) && equalWords(raw[i:i+len(p.words)], p.words) {
				out = append(out, p.token)
				i += len(p.words)
				matched = true
				break
			}
		}
		if matched {
			continue
		}
		t := raw[i]
		if c, ok := canon[t]; ok {
			t = c
		}
		out = append(out, t)
		i++
	}
	return out
}

func equalWords(a, b []string) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// key splits a name into its distinguishing words (sorted, unique) and its phase bits.
func key(name string) ([]string, uint8) {
	var core []string
	var phase uint8
	for _, t := range tokens(name) {
		if p, ok := phaseWords[t]; ok {
			phase |= p
			continue
		}
		if generic[t] {
			continue
		}
		core = append(core, t)
	}
	sort.Strings(core)
	return compactStrings(core), phase
}

func compactStrings(s []string) []string {
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

// phasesFit: no phase on either side fits anything; primary fits infant and junior; otherwise they must share
// one.
func phasesFit(q, s uint8) bool {
	if q == 0 || s == 0 || q&s != 0 {
		return true
	}
	const prim = phaseInfant | phaseJunior | phasePrimary
	return (q&phasePrimary != 0 && s&prim != 0) || (s&phasePrimary != 0 && q&prim != 0)
}

// Index matches free text against one authority's schools. Build it once per directory version; Match is
// safe for concurrent use.
type Index struct {
	schools  []store.School
	core     [][]string
	phase    []uint8
	postings map[string][]int32  // distinguishing word → schools
	deletes  map[string][]string // a word with one letter deleted → the words (five letters or more)
	byURN    map[string]int32
	scratch  sync.Pool // *scratch
}

// NewIndex builds the index of a directory.
func NewIndex(schools []store.School) *Index {
	ix := &Index{schools: schools, core: make([][]string, len(schools)), phase: make([]uint8, len(schools)),
		postings: map[string][]int32{}, deletes: map[string][]string{}, byURN: make(map[string]int32, len(schools))}
	n := len(schools)
	ix.scratch.New = func() any { return &scratch{hits: make([]uint16, n), seen: make([]uint16, n)} }
	for i, s := range schools {
		ix.byURN[s.URN] = int32(i)
		core, phase := key(s.Name)
		ix.core[i], ix.phase[i] = core, phase
		for _, w := range core {
			if _, seen := ix.postings[w]; !seen && len([]rune(w)) >= fuzzyMin {
				for _, d := range deletions(w) {
					ix.deletes[d] = append(ix.deletes[d], w)
				}
			}
			ix.postings[w] = append(ix.postings[w], int32(i))
		}
	}
	return ix
}

// Len is the number of schools indexed.
func (ix *Index) Len() int { return len(ix.schools) }

// School returns the school with a URN.
func (ix *Index) School(urn string) (store.School, bool) {
	i, ok := ix.byURN[urn]
	if !ok {
		return store.School{}, false
	}
	return ix.schools[i], true
}

// fuzzyMin is the shortest word allowed a typing slip.
const fuzzyMin = 5

// deletions returns w with each one letter removed.
func deletions(w string) []string {
	r := []rune(w)
	out := make([]string, 0, len(r))
	for i := range r {
		out = append(out, string(r[:i])+string(r[i+1:]))
	}
	return out
}

// similar returns the indexed words equal to w or one edit (insert, delete, substitute) from it.
func (ix *Index) similar(w string) []string {
	if _, ok := ix.postings[w]; ok {
		return []string{w}
	}
	if len([]rune(w)) < fuzzyMin-1 {
		return nil
	}
	seen := map[string]bool{}
	var out []string
	add := func(ws []string) {
		for _, x := range ws {
			if !seen[x] && editDistanceAtMostOne(w, x) {
				seen[x] = true
				out = append(out, x)
			}
		}
	}
	add(ix.deletes[w]) // w lacks a letter
	for _, d := range deletions(w) {
		if _, ok := ix.postings[d]; ok && len([]rune(d)) >= fuzzyMin {
			add([]string{d}) // w has an extra letter
		}
		add(ix.deletes[d]) // a letter substituted
	}
	return out
}

func editDistanceAtMostOne(a, b string) bool {
	ra, rb := []rune(a), []rune(b)
	if len(ra) < len(rb) {
		ra, rb = rb, ra
	}
	if len(ra)-len(rb) > 1 {
		return false
	}
	i := 0
	for i < len(rb) && ra[i] == rb[i] {
		i++
	}
	if i == len(rb) {
		return true // equal, or one letter added at the end
	}
	if len(ra) == len(rb) {
		return string(ra[i+1:]) == string(rb[min(i+1, len(rb)):])
	}
	return string(ra[i+1:]) == string(rb[i:])
}

var (
	urnInText      = regexp.MustCompile(`(?:^|\D)([0-9]{5,7})(?:\D|$)`)
	postcodeInText = regexp.MustCompile(`(?i)\b([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})\b`)
	homeEducated   = regexp.MustCompile(`(?i)\b(home[- ]?educated|home[- ]?education|home[- ]?schooled|home[- ]?schooling|EHE)\b`)
)

// PostcodeIn finds a UK postcode in free text (normalised), or "".
func PostcodeIn(s string) string {
	m := postcodeInText.FindStringSubmatch(s)
	if m == nil {
		return ""
	}
	return NormalisePostcode(m[1] + m[2])
}

// Match finds the school a PPN names. text is the school as written (it may carry a URN or a postcode);
// postcode, when not empty, is a further hint (e.g. from the child's address) used only to choose
// between schools that fit equally.
func (ix *Index) Match(text, postcode string) Match {
	text = strings.TrimSpace(text)
	if homeEducated.MatchString(text) {
		return Match{Outcome: HomeEducated}
	}
	if m := urnInText.FindStringSubmatch(text); m != nil {
		if i, ok := ix.byURN[m[1]]; ok {
			return ix.found(i)
		}
	}
	hint := PostcodeIn(text)
	name := text
	if hint != "" {
		name = postcodeInText.ReplaceAllString(text, " ")
	}
	core, phase := key(name)
	if len(core) == 0 {
		return Match{Outcome: NotFound}
	}
	// Count, per school, the query words it has (each query word through its similar indexed words).
	sc := ix.scratch.Get().(*scratch)
	defer ix.scratch.Put(sc)
	sc.reset()
	for _, w := range core {
		sim := ix.similar(w)
		for k, s := range sim {
			for _, i := range ix.postings[s] {
				if k > 0 && sc.seen[i] == sc.word {
					continue // the same school through a second similar word
				}
				sc.seen[i] = sc.word
				if sc.hits[i] == 0 {
					sc.touched = append(sc.touched, i)
				}
				sc.hits[i]++
			}
		}
		sc.word++
	}
	var full, partial []int32
	for _, i := range sc.touched {
		n := int(sc.hits[i])
		switch {
		case !phasesFit(phase, ix.phase[i]):
		case n == len(core) && len(ix.core[i]) == len(core):
			full = append(full, i)
		case 2*n >= max(len(core), len(ix.core[i])):
			partial = append(partial, i)
		}
	}
	if len(full) > 1 {
		// Postcode given: keep the schools at it, else in its outward code.
		for _, pc := range []string{hint, postcode} {
			if pc == "" {
				continue
			}
			if at := ix.filter(full, func(s store.School) bool { return s.Postcode == pc }); len(at) == 1 {
				return ix.found(at[0])
			}
			out := outward(pc)
			if near := ix.filter(full, func(s store.School) bool { return outward(s.Postcode) == out }); len(near) == 1 {
				return ix.found(near[0])
			}
		}
		// One open school among several closed ones of the same name (a school reopened as an academy).
		if open := ix.filter(full, func(s store.School) bool { return s.Open }); len(open) == 1 {
			return ix.found(open[0])
		}
		return Match{Outcome: Ambiguous, Candidates: ix.best(full, sc.hits, hint, postcode)}
	}
	if len(full) == 1 {
		return ix.found(full[0])
	}
	return Match{Outcome: NotFound, Candidates: ix.best(partial, sc.hits, hint, postcode)}
}

// scratch is one Match call's counters, pooled: a count per school and the schools touched.
type scratch struct {
	hits    []uint16
	seen    []uint16
	word    uint16
	touched []int32
}

func (sc *scratch) reset() {
	for _, i := range sc.touched {
		sc.hits[i] = 0
	}
	sc.touched = sc.touched[:0]
	// seen holds word stamps; start each call above every stamp written so far.
	if sc.word > 60000 {
		clear(sc.seen)
		sc.word = 0
	}
	sc.word++
}

func (ix *Index) found(i int32) Match {
	s := ix.schools[i]
	if !s.Open {
		return Match{Outcome: Closed, School: &s}
	}
	return Match{Outcome: Matched, School: &s}
}

func (ix *Index) filter(is []int32, keep func(store.School) bool) []int32 {
	var out []int32
	for _, i := range is {
		if keep(ix.schools[i]) {
			out = append(out, i)
		}
	}
	return out
}

// best returns at most MaxCandidates of is, best first: more of their words shared, then at the postcode,
// then open, then by name and URN. A selection, not a sort: a saint's name can bring thousands.
func (ix *Index) best(is []int32, hits []uint16, hint, postcode string) []store.School {
	type scored struct {
		i     int32
		share float64
		near  int
	}
	better := func(a, b scored) bool {
		if a.share != b.share {
			return a.share > b.share
		}
		if a.near != b.near {
			return a.near > b.near
		}
		x, y := ix.schools[a.i], ix.schools[b.i]
		if x.Name != y.Name {
			return x.Name < y.Name
		}
		return x.URN < y.URN
	}
	top := make([]scored, 0, MaxCandidates+1)
	for _, i := range is {
		s := ix.schools[i]
		near := 0
		for _, pc := range []string{hint, postcode} {
			if pc != "" && s.Postcode == pc {
				near += 2
			} else if pc != "" && outward(s.Postcode) == outward(pc) {
				near++
			}
		}
		if s.Open {
			near++
		}
		c := scored{i, float64(hits[i]) / float64(max(len(ix.core[i]), 1)), near}
		if len(top) == MaxCandidates && !better(c, top[len(top)-1]) {
			continue
		}
		k := len(top)
		top = append(top, c)
		for k > 0 && better(c, top[k-1]) {
			top[k] = top[k-1]
			k--
		}
		top[k] = c
		if len(top) > MaxCandidates {
			top = top[:MaxCandidates]
		}
	}
	out := make([]store.School, len(top))
	for k, c := range top {
		out[k] = ix.schools[c.i]
	}
	return out
}

func outward(pc string) string {
	out, _, _ := strings.Cut(pc, " ")
	return out
}
