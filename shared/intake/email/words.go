package email

import "strings"

// phrases matches a text containing any of its phrases as whole words, case-insensitively: what
// regexp `(?i)\b(?:p1|p2|…)\b` says, without the regular expression engine, which spent more time on the few
// lines of a signature than the rest of extraction (BenchmarkIngestEmail profile). Each phrase is lower
// case and starts and ends with an ASCII letter or digit; word boundaries are ASCII, as in package regexp.
// TestPhrasesMatchTheirRegexp holds each set to the expression it replaces.
type phrases []string

func (ps phrases) match(s string) bool {
	l := strings.ToLower(s)
	for _, p := range ps {
		for i := 0; i+len(p) <= len(l); {
			j := strings.Index(l[i:], p)
			if j < 0 {
				break
			}
			j += i
			if (j == 0 || !isWordByte(l[j-1])) && (j+len(p) == len(l) || !isWordByte(l[j+len(p)])) {
				return true
			}
			i = j + 1
		}
	}
	return false
}

// isWordByte is regexp's \w: an ASCII letter, digit or underscore.
func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

var (
	// orgWords say a signature line names an organisation.
	orgWords = phrases{"school", "academy", "college", "nursery", "pre-school", "surgery", "practice", "medical centre",
		"health centre", "hospital", "nhs", "trust", "council", "police", "constabulary", "housing association",
		"association", "ltd", "limited", "church", "mosque", "centre", "charity", "foundation", "cic", "probation",
		"camhs", "cafcass", "university", "federation"}
	// roleWords say a signature line names a professional role.
	roleWords = phrases{"designated safeguarding lead", "deputy designated safeguarding lead", "dsl", "ddsl",
		"safeguarding lead", "head teacher", "headteacher", "head of year", "deputy head", "assistant head", "teacher",
		"teaching assistant", "senco", "inclusion", "pastoral", "gp", "general practitioner", "doctor", "dr", "nurse",
		"health visitor", "midwife", "paediatrician", "social worker", "family support worker", "early help",
		"housing officer", "housing options", "tenancy", "police constable", "pc", "dc", "ps", "sergeant", "detective",
		"officer", "probation", "youth worker", "practitioner", "manager", "coordinator", "co-ordinator", "lead",
		"worker", "advisor", "adviser", "consultant", "therapist", "psychologist", "counsellor", "senior", "clinical",
		"ward sister"}
)
