package email

import "strings"

// The ninth round's immediate-harm rules (Portsmouth §7.5), read from how people write rather than from one email.

// harmBareQuestionRe: a sentence that opens as a question — an auxiliary, then its subject ("Is he in immediate
// danger", "Are the children safe tonight", "Is Leo at risk") — asks even when its writer left out the question
// mark; an answer may follow it after a dash or a colon ("Is he in immediate danger - not while he's with us, no").
// Groups: the auxiliary, its subject, the rest of the question, the answer. The subject is a pronoun, "the/this …" or a name, so "Was taken into
// police protection" (a police note without its subject) is no question.
var harmBareQuestionRe = lazy(`^\s*((?i:is|are|was|were|will|would|could|can|should|does|do))\s+((?i:he|she|they|it|you|there|the\s+\w+(?:\s+(?:person|people|child|children|ones))?|this\s+\w+|his\s+\w+|her\s+\w+|their\s+\w+)|[A-Z][\p{Ll}'’-]+)\b([^–—:]*?)(?:\s+[-–—]\s*|\s*[–—:]\s*|$)(.*)$`)

// harmBareQuestion reads a sentence that opens as a question: it says nothing unless an answer follows it, and
// then what the answer says of what was asked. ok is false when the sentence does not open as a question.
func harmBareQuestion(s string) (says harmSays, ok bool) {
	first := strings.TrimLeft(s, " \t>*-•")
	if len(first) < 3 || !harmQuestionWord(first) {
		return harmSilent, false
	}
	m := harmBareQuestionRe.FindStringSubmatch(first)
	if m == nil {
		return harmSilent, false
	}
	// the question said as a statement ("he is in immediate danger"), to read what it asks about
	q, a := m[2]+" "+m[1]+m[3], strings.ToLower(strings.TrimSpace(m[4]))
	qs := harmSentence(q)
	if qs != harmSaysYes && qs != harmSaysNo {
		return harmSilent, true // a question about something else, or none it can read
	}
	a = strings.TrimRight(a, " .!")
	var yes bool
	switch {
	case a == "":
		return harmSilent, true // asked, not answered
	case strings.HasPrefix(a, "yes") || strings.HasSuffix(a, ", yes") || strings.HasSuffix(a, " - yes"):
		yes = true
	case strings.HasPrefix(a, "no") && (len(a) == 2 || !isWordByte(a[2])) || strings.HasPrefix(a, "not ") || strings.HasPrefix(a, "none") ||
		strings.HasSuffix(a, ", no") || strings.HasSuffix(a, " - no"):
		yes = false
	default:
		return harmSilent, true // "Is he in danger - hard to say": the screener reads it
	}
	if qs == harmSaysNo && strings.Contains(strings.ToLower(q), "safe") {
		yes = !yes // "Is he safe tonight - no"
	} else if qs == harmSaysNo {
		return harmSilent, true
	}
	if yes {
		return harmSaysYes, true
	}
	return harmSaysNo, true
}

// harmQuestionWord: the sentence's first word is an auxiliary a question opens with.
func harmQuestionWord(s string) bool {
	w, _ := nextWord(s)
	switch strings.ToLower(w) {
	case "is", "are", "was", "were", "will", "would", "could", "can", "should", "does", "do":
		return true
	}
	return false
}

// harmAfterIf: a conditional "if" in the middle of a sentence hedges its own clause, not a clause with its own
// subject after it — "he'll be 'wet up' if he doesn't pay back £600 by tonight, and he's too scared to go home"
// says he is too scared to go home. The clause after is read alone; ok is false when there is none, or when the
// sentence opens with its "if" ("If dad comes back tonight, and she is at home, she would be in danger").
func harmAfterIf(s string) (says harmSays, ok bool) {
	locs := harmIfRe.FindAllStringIndex(s, -1)
	if len(locs) == 0 || harmHedgeRe.MatchString(s) {
		return harmSilent, false
	}
	if strings.TrimSpace(s[:locs[0][0]]) == "" {
		return harmSilent, false // the sentence opens with its condition
	}
	last := locs[len(locs)-1][1]
	c := harmNewClauseRe.FindStringIndex(s[last:])
	if c == nil {
		return harmSilent, false
	}
	rest := s[last+c[0]:]
	if j := strings.IndexByte(s[last:last+c[0]], ','); j < 0 {
		return harmSilent, false // the next clause is the condition's own ("if he comes and she is home")
	}
	if harmHedged(rest) {
		return harmSilent, false
	}
	switch says := harmSentence(rest); says {
	case harmSaysYes, harmSaysNo:
		return says, true
	}
	return harmSilent, false
}

// discussedThenAgreedRe: the referral put to the family, who agreed — "I have discussed this referral with Ms Mills
// and she is in agreement", "I explained the referral to both parents and they agreed", "went through my concerns
// with dad and he is happy for us to share them". The one who agrees is the one the referral was put to (she, he,
// they, both, a parent); a sentence with a negation is left to the other rules.
var discussedThenAgreedRe = lazy(`(?i)\b(?:discussed|talked\s+(?:about|through)|explained|went\s+through|shared)\s+(?:this|the|my|our)\s+(?:referral|concerns?)\s+(?:with|to)\s+[^.;]{1,40}?\s+and\s+(?:she|he|they|both|mum|dad|(?:both\s+)?parents)\s+(?:is\s+|are\s+|was\s+|were\s+|has\s+|have\s+)?(?:both\s+)?(?:in\s+agreement|agreed|agrees|consented|consents|happy\s+(?:with|for)|agreeable|supportive)\b`)
