package email

import (
	"strings"
	"time"
	"unicode"

	"github.com/safeguarding/mash/shared/domain"
)

// The eleventh round's checks that stop a wrong child (a wrong child is worse than a missed one): what the readers
// took for a child that the email says is not one. Each with rows of its own invention in notchildren11_test.go.

// dropNotChildren removes from ks the children the email says are not children:
//   - a family name read as a given name alone ("HUSSAIN | Zara | 12/09/2011" read once more as "Hussain"), when
//     another child read has it as their family name and the same date of birth or none;
//   - a setting's initials read as a name ("1. CORBIN WALSH - YR 9 - KBA - DOB 02/12/12", "KBA" being Kettering
//     Buccleuch Academy, named in the signature): the school of the child on that line;
//   - an adult: one read with no date of birth whose name is followed by an adult's age ("Stacey ROBSON, 24 -
//     overdose"), by a date of birth that makes them 18 or more ("Jordan WEBB | 02/05/07 | n/a (adult)"), by
//     "adult" in the same table row, or by an adult's relation ("Abena MENSAH (mother)").
//
// The initials' schools are given after the schools are settled (a school with no setting's word in it is dropped
// there): call the returned func then.
func dropNotChildren(ks []*kid, texts []string, ref time.Time) ([]*kid, func()) {
	var later []func()
	settle := func() {
		for _, f := range later {
			f()
		}
	}
	if len(ks) == 0 {
		return ks, settle
	}
	var initials map[string]bool
	out := ks[:0:0]
	for _, k := range ks {
		switch {
		case surnameAsGiven(k, ks):
		case k.c.FamilyName == "" && isInitialism(k.c.GivenName, texts):
			if initials == nil {
				initials = settingInitials(texts)
			}
			if up := strings.ToUpper(k.c.GivenName); initials[up] {
				// the setting's initials in the child's own list line ("CORBIN WALSH - YR 9 - KBA - DOB 02/12/12"):
				// the school of the child read from that line with the same date of birth, as the email writes it
				if o := sameDOBKid(k, ks); o != nil && o.c.School == "" {
					src := k.src["child.name"].Source
					later = append(later, func() {
						if o.c.School == "" {
							o.c.School = up
							o.src["child.school"] = domain.FieldSource{Field: "child.school", Source: src, Confidence: domain.ConfidenceMedium}
						}
					})
				}
				continue
			}
			out = append(out, k)
		case k.c.DateOfBirth.IsZero() && (k.c.Age == 0 || k.c.Age >= 18) && k.named() && namedAsAdult(k.c, texts, ref):
		default:
			out = append(out, k)
		}
	}
	return out, settle
}

// surnameAsGiven: k is read by a given name alone that is another child's family name, with that child's date of
// birth or none.
func surnameAsGiven(k *kid, ks []*kid) bool {
	if k.c.FamilyName != "" || k.c.GivenName == "" {
		return false
	}
	g := domain.NormaliseName(k.c.GivenName)
	for _, o := range ks {
		if o == k || o.c.GivenName == "" || domain.NormaliseName(o.c.FamilyName) != g {
			continue
		}
		if k.c.DateOfBirth.IsZero() || k.c.DateOfBirth == o.c.DateOfBirth {
			return true
		}
	}
	return false
}

// sameDOBKid is the one other child with k's date of birth and a full name.
func sameDOBKid(k *kid, ks []*kid) *kid {
	var found *kid
	for _, o := range ks {
		if o == k || k.c.DateOfBirth.IsZero() || o.c.DateOfBirth != k.c.DateOfBirth || o.c.GivenName == "" || o.c.FamilyName == "" {
			continue
		}
		if found != nil {
			return nil // twins: not sure whose
		}
		found = o
	}
	return found
}

// isInitialism: w, two to five letters, is written in the email only in capitals ("KBA"), never as a name is
// ("Kba").
func isInitialism(w string, texts []string) bool {
	if len(w) < 2 || len(w) > 5 {
		return false
	}
	up := strings.ToUpper(w)
	seen := false
	for _, t := range texts {
		for i := 0; ; {
			j := indexFold(t[i:], w)
			if j < 0 {
				break
			}
			at := i + j
			i = at + len(w)
			if at > 0 && isLetterByte(t[at-1]) || i < len(t) && isLetterByte(t[i]) {
				continue // inside a longer word
			}
			if t[at:at+len(w)] != up {
				return false
			}
			seen = true
		}
	}
	return seen
}

func isLetterByte(b byte) bool { return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' }

// indexFold is strings.Index ignoring ASCII case.
func indexFold(s, sub string) int {
	n := len(sub)
	for i := 0; i+n <= len(s); i++ {
		if strings.EqualFold(s[i:i+n], sub) {
			return i
		}
	}
	return -1
}

// settingWords end the name of a setting or an organisation whose initials stand for it.
var settingWords = map[string]bool{"school": true, "academy": true, "college": true, "primary": true, "nursery": true,
	"infants": true, "juniors": true, "trust": true, "centre": true, "federation": true, "grammar": true, "unit": true}

// settingInitials are the initials of the settings named in the texts ("Kettering Buccleuch Academy" → KBA,
// "Queen Elizabeth's Grammar School" → QEGS and QEG), small joining words left out.
func settingInitials(texts []string) map[string]bool {
	out := map[string]bool{}
	for _, t := range texts {
		for _, line := range strings.Split(t, "\n") {
			ws := strings.FieldsFunc(line, func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' && r != '’' })
			for i, w := range ws {
				if !settingWords[strings.ToLower(w)] {
					continue
				}
				var letters []byte
				for j := i; j >= 0 && i-j < 6; j-- {
					x := ws[j]
					lx := strings.ToLower(x)
					if lx == "of" || lx == "the" || lx == "and" {
						continue
					}
					if !startsUpper(x) {
						break
					}
					letters = append([]byte{strings.ToUpper(x[:1])[0]}, letters...)
					if len(letters) >= 2 {
						out[string(letters)] = true
						if len(letters) >= 3 {
							out[string(letters[:len(letters)-1])] = true // without the setting's word: "QEG"
						}
					}
				}
			}
		}
	}
	return out
}

var (
	// adultAgeAfterRe: an adult's age just after a name — ", 24 -", " (31)", ", aged 19", " 45yrs".
	adultAgeAfterRe = lazy(`^\s*(?:,\s*|\(\s*|\s)(?:aged?\s+)?(\d{2})\s*(?:yrs?|years?(?:\s+old)?|y/?o)?\s*(?:$|[),;:|]|\s[-–—]\s|\s+(?:yrs?|years?)\b)`)
	// dateAfterRe: a date of birth in the cell or the brackets just after a name ("| 02/05/07", "(DOB 14/02/1991)").
	dateAfterRe = lazy(`(?i)^\s*(?:[|,(\t]|\s[-–]\s)?\s*(?:(?:dob|d\.o\.b\.?|born)\s*:?\s*)?(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})\b`)
	// adultRelationAfterRe: an adult's relation in brackets just after a name ("(mother)", "(maternal aunt)").
	adultRelationAfterRe = lazy(`(?i)^\s*\(\s*(?:maternal\s+|paternal\s+|birth\s+|step\s*-?)?(?:mother|mum|father|dad|aunt|auntie|uncle|grandmother|grandfather|nan|nana|grandma|grandad|stepfather|stepmother|stepdad|stepmum|partner|boyfriend|girlfriend|husband|wife|tenant|lodger|adult)\b(['’]s)?`)
)

// namedAsAdult: wherever the email writes c's name, what follows it says an adult (adultAgeAfterRe, a date of
// birth 18 or more years before ref, an adult's relation, or "adult" in the rest of a table row).
func namedAsAdult(c domain.Child, texts []string, ref time.Time) bool {
	name := strings.TrimSpace(c.GivenName + " " + c.FamilyName)
	if len(name) < 3 {
		return false
	}
	for _, t := range texts {
		for i := 0; ; {
			j := indexFold(t[i:], name)
			if j < 0 {
				break
			}
			at := i + j
			i = at + len(name)
			if at > 0 && isLetterByte(t[at-1]) || i < len(t) && isLetterByte(t[i]) {
				continue
			}
			after := t[i:]
			if k := strings.IndexByte(after, '\n'); k >= 0 {
				after = after[:k]
			}
			if m := adultAgeAfterRe.FindStringSubmatch(after); m != nil && atoi(m[1]) >= 18 {
				return true
			}
			if m := dateAfterRe.FindStringSubmatch(after); m != nil && adultDateParts(m[1], m[2], m[3], ref) {
				return true
			}
			if m := adultRelationAfterRe.FindStringSubmatch(after); m != nil && m[1] == "" { // never "(partner's son)"
				return true
			}
			if strings.ContainsAny(after, "|\t") && adultCellRe.MatchString(after) {
				return true // "Jordan WEBB | 02/05/07 | n/a (adult)"
			}
		}
	}
	return false
}

// adultCellRe: a table row's cell saying its person is an adult.
var adultCellRe = lazy(`(?i)(?:^|[|\t(])\s*(?:n/?a\s*)?\(?\s*adult\s*\)?\s*(?:$|[|\t)])`)

// adultDateParts: the date d/m/y (a two-digit year read as the most recent past year) is 18 or more years before ref.
func adultDateParts(ds, ms, ys string, ref time.Time) bool {
	d, m, y := atoi(ds), atoi(ms), atoi(ys)
	if m < 1 || m > 12 || d < 1 || d > 31 || ref.IsZero() {
		return false
	}
	if len(ys) == 2 {
		y += 2000
		if y > ref.Year() {
			y -= 100
		}
	}
	born := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	return !born.After(ref) && !born.AddDate(18, 0, 0).After(ref)
}

// childRelationWords: a household table's relationship cell that opens with one of these is a child's row, whatever
// follows it ("Son (partner)", "Daughter (applicant)", "Step-son").
var childRelationWords = map[string]bool{"son": true, "daughter": true, "child": true, "stepson": true, "stepdaughter": true,
	"step-son": true, "step-daughter": true, "grandson": true, "granddaughter": true, "niece": true, "nephew": true,
	"baby": true}

// childRelation: rel opens with a child's relation ("Son (partner)": his son, not the partner).
func childRelation(rel string) bool {
	w, _ := nextWord(strings.ToLower(strings.TrimSpace(rel)))
	return childRelationWords[strings.Trim(w, ",.;:()")]
}
