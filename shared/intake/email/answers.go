package email

import (
	"strings"

	"github.com/safeguarding/mash/shared/domain"
)

// Answers to the form's questions written as sentences rather than against a label. Read only when no
// labelled answer was given, and only in their plain forms. Consent must be said in so many words.
//
// Immediate harm (Portsmouth §7.5: a referrer who deems the child at risk of immediate harm phones the
// concerns through before the form follows) is read from what referrers actually write, sentence by
// sentence:
//   - No: a negated statement ("not at immediate risk", "I don't think he is in immediate danger", "No
//     immediate risk identified", "Immediate risk - none known");
//   - Yes: the risk stated ("may be at immediate risk", "in immediate danger", "at risk of significant harm
//     today"), the child not safe to go home ("not safe to go home", "frightened to go home tonight", "I'm
//     not safe here"), the referrer having called the police, 999 or the MASH about it ("I have phoned the
//     MASH", "I have called 999"), or police protection used ("taken into police protection", "an emergency
//     protection order", "removed to a place of safety").
// A question ("Is the child at immediate risk?"), a hedged or conditional sentence ("not sure whether",
// "if he returns", "cannot rule out"), a general instruction (a signature's "Where a child is in immediate
// danger, call 999") or a statement about someone else's call ("Kayla called 999") says nothing. A text that says both is left unanswered: the screener reads it.

var (
	harmNoRe = lazy(`(?i)(?:\b(?:not|no|neither|nor|none|never)\b|n['’]t\b)[^.;]{0,40}\b(?:immediate|imminent)\s+(?:risk|danger|harm|(?:safeguarding|safety|protection)\s+(?:concerns?|issues?|risks?))|\bno\s+(?:\w+\s+)?concerns?\s+(?:about|for|regarding|over)\s+(?:her|his|their|the\s+\w+['’]s?|\w+['’]s)\s+immediate\s+safety\b|\b(?:immediate|imminent)\s+(?:risk|danger|harm)\s*(?:[:\-–—]\s*)?(?:none|no)\b`)
	// harmNewClauseRe opens a clause with its own verb ("… and is at immediate risk", "… so Amy is in immediate
	// danger"): a negation before it is another clause's. "hurt and in immediate danger" shares the verb, so
	// the negation still reaches it.
	harmNewClauseRe = lazy(`(?i)\b(?:and|but|so|because|although|though|while|whereas)\s+(?:\w+\s+)?(?:is|are|was|were|may|might|could|will|would|remains?)\b`)
	// harmClauseBreakRe is where one clause gives way to another inside a sentence.
	harmClauseBreakRe = lazy(`(?i),|\b(?:and|but|so|because|although|though|while|whereas|however)\b`)
	harmYesRe         = lazy(`(?i)\b(?:at|in)\s+(?:immediate|imminent)\s+(?:risk|danger)\b|\b(?:immediate|imminent)\s+danger\b|\b(?:is|are|be|being)\s+in\s+danger\b|\bin\s+danger\s+(?:now|tonight|today|right\s+now)\b|\bthere\s+(?:is|are)\s+(?:an?\s+)?(?:immediate|imminent)\s+risk\b|\bat\s+risk\s+of\s+(?:immediate|imminent)\s+(?:significant\s+)?harm\b|\bat\s+risk\s+of\s+(?:significant\s+)?harm\s+(?:today|tonight|now)\b`)
	// harmUnsafeRe carries its own negation: the sentence's "not" is what it says.
	harmUnsafeRe  = lazy(`(?i)\b(?:not|n['’]t)\s+(?:feel\s+|(?:think|believe)\s+(?:that\s+)?(?:she|he|they|it|the\s+\w+)\s+(?:is|are|would\s+be|will\s+be)\s+)?safe\s+(?:(?:for\s+(?:him|her|them)\s+)?to\s+(?:go|return)\s+home|going\s+home|returning\s+home|here|now|tonight|right\s+now|at\s+the\s+moment)\b|\b(?:frightened|scared|terrified|afraid)\s+(?:to\s+(?:go|return)|of\s+going)\s+home\b`)
	harmCalledRe  = lazy(`(?i)\b(?:i|we)\s+(?:(?:have|'ve|’ve)\s+(?:just\s+|also\s+|now\s+|already\s+|immediately\s+)?|just\s+|immediately\s+)(?:called|rung|rang|phoned|telephoned|dialled)\s+(?:the\s+)?(?:999|police|mash)\b`)
	harmProtectRe = lazy(`(?i)\b(?:taken|placed)\s+(?:in(?:to)?\s+)?police\s+protection\b|\bunder\s+police\s+protection\b|\bpolice\s+protection\s+(?:powers\s+)?(?:was|were|has\s+been|have\s+been)\s+(?:used|invoked|taken|exercised)\b|\bemergency\s+protection\s+order\b|\b(?:taken|removed)\s+to\s+(?:a\s+)?place\s+of\s+safety\b`)
	harmHedgeRe   = lazy(`(?i)\b(?:not\s+sure|unsure|unclear|whether|rule\s+out|if|unless|where|whenever|in\s+an\s+emergency|in\s+case|(?:a|any)\s+(?:child|young\s+person|person)|would\s+be|could\s+become|may\s+become|do\s+not\s+know|don['’]t\s+know|consultation|advice|advised|previously|last\s+(?:week|month|year|time)|in\s+the\s+past|no\s+longer|(?:has|have)\s+passed|(?:was|were|has\s+been|have\s+been)\s+removed)\b`)
	// harmSafeRe: the child said to be safe now, or seen safe and well (police's words): no immediate harm —
	// only when the one said to be safe is the writer ("I'm safe tonight") or the child (safeSubject).
	harmSafeRe       = lazy(`(?i)\b(?:i['’]?m|i\s+am|is|are|was|were|['’]s|['’]re)\s+(?:seen\s+|both\s+|all\s+|now\s+|currently\s+)?safe(?:\s+and\s+well\b|\b[^.;,]{0,30}?\b(?:tonight|today|now|at\s+the\s+moment|currently)\b)|\b(?:i['’]?m|i\s+am|is|are)\s+(?:currently|now)\s+safe\b`)
	harmCallBeforeRe = lazy(`(?i)^\W*(?:\w+\W+){0,3}?before\b(?:\s*$|\s+(?:about|over|for|when|regarding|now)\b)`)
	harmPastBefore   = lazy(`(?i)\b(?:was|were|had\s+been)\s+(?:\w+\s+)?$`)
	harmNegBefore    = lazy(`(?i)(?:\b(?:not|no|never|nor|neither)\b|n['’]t\b)`)
	consentNotRe     = lazy(`(?i)\bconsent\b[^.]{0,20}\bnot (?:been )?(?:sought|obtained|asked)|\bnot (?:sought|asked for|obtained)\b[^.]{0,25}\bconsent|\bhave not sought\b|` +
		// the family not yet told of the referral: "We have not spoken to parents about this referral", "I have not discussed the referral with mum", "Dad has not been told about the referral"
		`\b(?:have|has)\s*(?:not|n['’]t)\s+(?:yet\s+)?(?:spoken|talked|discussed|shared)\b[^.]{0,30}\b(?:(?:this|the|our|a|my)\s+referral|(?:contacting|emailing|calling|referring\s+to)\s+(?:you|the\s+mash|mash|children['’]?s\s+services|social\s+care))\b|` +
		// "I have not told mum I am contacting you", "we haven't informed the parents that we are referring"
		`\b(?:have|has|did)\s*(?:not|n['’]t)\s+(?:yet\s+)?(?:told|tell|informed|inform)\s+(?:the\s+|her\s+|his\s+|their\s+)?(?:mum|mother|dad|father|parents?|carers?|family|grandparents?|aunt|uncle)\b[^.]{0,20}\b(?:contacting|referring|emailing|calling|writing\s+to)\b|` +
		// "Parents have not been informed due to the risk", "Mum does not know about this referral"
		`\b(?:parents?|mum|mother|dad|father|family|carers?)\s+(?:has|have)\s*(?:not|n['’]t)\s+(?:yet\s+)?been\s+(?:informed|told|made\s+aware)(?:\s+(?:of|about)\s+(?:this|the|our|my)\s+referral)?\s*(?:$|,|\b(?:due|as|because|at\s+this|yet)\b)|` +
		`\b(?:does|do)\s*(?:not|n['’]t)\s+know\s+(?:about\s+)?(?:this|the|our|my)\s+referral\b|` +
		// "I have not asked her mother for consent"
		`\b(?:have|has|did)\s*(?:not|n['’]t)\s+(?:yet\s+)?ask(?:ed)?\s+(?:\w+\s+){0,3}for\s+(?:their\s+|her\s+|his\s+)?consent\b|\b(?:have|has)\s*(?:not|n['’]t)\s+(?:yet\s+)?(?:been\s+)?(?:told|informed|made\s+aware)\s+(?:of|about)\s+(?:this|the|our|my)\s+referral\b`)
	// consentNoneRe: "without consent", "there is no consent" — not sought, unless the sentence says the family
	// does not want it (consentDontWantRe): then refused.
	consentNoneRe     = lazy(`(?i)\b(?:without|no) (?:parental |their |the family'?s? )?consent\b`)
	consentDontWantRe = lazy(`(?i)\b(?:does|do|did)\s*(?:not|n['’]t)\s+want\s+(?:social\s+(?:care|services|workers?)|children['’]?s\s+(?:services|social\s+care)|(?:a|the|this|any)\s+referral|(?:us|me|anyone)\s+to\s+(?:refer|make\s+(?:a|the|this)\s+referral))`)
	consentRefRe      = lazy(`(?i)\b(?:refused|declined|withheld|withdrew|withdrawn)\b[^.]{0,25}\b(?:consent|referral)|\bconsent\b[^.]{0,25}\b(?:refused|declined|withheld|withdrawn)\b`)
	consentYesRe      = lazy(`(?i)\b(?:consent(?:s|ed)?|agreed|agrees|in agreement)\b[^.]{0,25}\b(?:to|with) (?:this|the|a|our) referral|\b(?:gave|given|obtained|have|has) (?:verbal |written |their |her |his |my |our )?consent\b|\bconsent (?:was |has been |is )?(?:given|obtained)\b|\bwe have consent\b|\b(?:mum|dad|mother|father|parents?|carers?|client|family)\b[^.]{0,45}\b(?:consent(?:s|ed)?|agree[ds]?)\b|\b(?:mum|dad|parents?)\b[^.]{0,10}\bdid consent\b|\baware of (?:this|the|our|my) referral and (?:agrees?|consents?|is happy|are happy|has agreed|have agreed)\b`)
	negationRe        = lazy(`(?i)\b(?:not|never|no|without|refus\w*|declin\w*)\b|n['’]t\b`)
	sentenceSplit     = lazy(`[.!?\n]+`)
)

// harmWords: a sentence that holds none of these says nothing about immediate harm (a cheap pre-check: most
// sentences hold none).
var harmWords = []string{"immediate", "imminent", "danger", "safe", "harm", "home", "999", "police", "mash", "protection", "place of safety"}

// proseHarm reads immediate harm said in sentences; known is false when nothing is said, or when the text
// says both yes and no.
func proseHarm(text string) (yes, known bool) {
	if !containsAny(strings.ToLower(text), harmWords) {
		return false, false
	}
	sawYes, sawNo := false, false
	for rest := text; rest != ""; {
		i := strings.IndexAny(rest, ".!?\n")
		s, term := rest, byte(0)
		if i >= 0 {
			s, term, rest = rest[:i], rest[i], rest[i+1:]
		} else {
			rest = ""
		}
		if term == '?' || len(s) < 8 {
			continue // a question asks; it does not answer
		}
		switch harmSentence(s) {
		case harmSaysYes:
			sawYes = true
		case harmSaysNo:
			sawNo = true
		}
	}
	if sawYes == sawNo {
		return false, false
	}
	return sawYes, true
}

type harmSays int

const (
	harmSilent harmSays = iota
	harmSaysYes
	harmSaysNo
)

// harmSaysNoHere reports whether the sentence says there is no immediate risk. A negation reaches "immediate
// risk" only within its own clause: in "she has not eaten since Friday and is at immediate risk" the "not" is
// the eating's, so the sentence is not a no (a wrong no would put a child at risk in the ordinary queue). A
// match that crosses a comma or a joining word is tried again from its next word, so "no concerns about school
// and no immediate risk at home" is still a no.
func harmSaysNoHere(s string) bool {
	for pos := 0; pos < len(s); {
		loc := harmNoRe.FindStringIndex(s[pos:])
		if loc == nil {
			return false
		}
		if !harmClauseBreakRe.MatchString(s[pos+loc[0] : pos+loc[1]]) {
			return true
		}
		pos += loc[0] + 1
	}
	return false
}

// harmSentence reads one sentence.
func harmSentence(s string) harmSays {
	l := strings.ToLower(s)
	if !containsAny(l, harmWords) {
		return harmSilent
	}
	if harmHedgeRe.MatchString(s) {
		// a hedge after "but" does not take back what the first clause says: "there is no immediate risk to
		// the children, as their father has moved back in, but I would be grateful for an assessment"
		if i := strings.Index(l, " but "); i > 0 && containsAny(l[:i], harmWords) && !harmHedgeRe.MatchString(s[:i]) {
			return harmSentence(s[:i])
		}
		return harmSilent
	}
	if harmSaysNoHere(s) {
		return harmSaysNo
	}
	if harmUnsafeRe.MatchString(s) {
		return harmSaysYes
	}
	for i, re := range []*lazyRegexp{harmYesRe, harmCalledRe, harmProtectRe} {
		for _, loc := range re.FindAllStringIndex(s, -1) {
			before := s[:loc[0]]
			if j := strings.LastIndexAny(before, ",;:"); j >= 0 {
				before = before[j+1:]
			}
			if m := harmNewClauseRe.FindAllStringIndex(before, -1); len(m) > 0 {
				before = before[m[len(m)-1][0]:] // "has not eaten since Friday and is at immediate risk"
			}
			switch {
			case harmNegBefore.MatchString(before):
			case i == 0 && harmPastBefore.MatchString(before): // "she was in immediate danger" tells of the past
			case i == 1 && harmCallBeforeRe.MatchString(s[loc[1]:]): // "we have called the police before"
			default:
				return harmSaysYes
			}
		}
	}
	if !strings.Contains(l, "safe") {
		return harmSilent
	}
	for _, loc := range harmSafeRe.FindAllStringIndex(s, -1) {
		before := s[:loc[0]]
		if j := strings.LastIndexAny(before, ",;:"); j >= 0 {
			before = before[j+1:]
		}
		after := strings.TrimSpace(l[loc[1]:])
		if harmNegBefore.MatchString(before) || strings.HasPrefix(after, "check") || strings.HasPrefix(after, "visit") {
			continue // "I don't think she's safe tonight"; "a safe and well check" is asked for, not found
		}
		m := strings.ToLower(s[loc[0]:])
		firstPerson := strings.HasPrefix(m, "i'm") || strings.HasPrefix(m, "i’m") || strings.HasPrefix(m, "im ") || strings.HasPrefix(m, "i am")
		if !firstPerson && !safeSubject(s[:loc[0]]) {
			continue // "Mum is safe now", "she is safe tonight": perhaps the adult victim, not the child
		}
		return harmSaysNo
	}
	return harmSilent
}

// safeSubject: the words just before "is safe" name the child: "the children were", "both boys are", "Amy is"
// (a name that is not an adult's word), never "she", "Mum", "nowhere".
func safeSubject(before string) bool {
	fs := strings.Fields(strings.TrimRight(before, " '’"))
	if len(fs) == 0 {
		return false
	}
	last := strings.Trim(fs[len(fs)-1], ",;:()")
	ll := strings.ToLower(last)
	switch ll {
	case "child", "children", "kids", "baby", "boys", "girls", "siblings", "twins", "person", "people", "both", "all", "son", "daughter":
		return true
	case "she", "he", "they", "it", "mum", "mother", "dad", "father", "parent", "parents", "partner", "victim", "aggrieved",
		"suspect", "nowhere", "nobody", "one", "everyone", "nan", "gran", "grandmother", "carer", "carers", "family", "household":
		return false
	}
	return isNameWord(last) && !nameStop[ll]
}

// proseConsent reads consent said in a sentence: not sought, refused, or given (a given-sentence with a
// negation in it does not count).
func proseConsent(text string) domain.ConsentStatus {
	l := strings.ToLower(text)
	// Without a word of consent, only "not told the family of the referral" is looked for (a cheap check first).
	toldOnly := !strings.Contains(l, "consent") && !strings.Contains(l, "agree") && !strings.Contains(l, "refus") && !strings.Contains(l, "declin") && !strings.Contains(l, "aware of")
	if toldOnly && !(containsAny(l, []string{"referral", "referring", "contacting"}) && containsAny(l, []string{"spoken", "discussed", "talked", "shared", "told", "informed", "made aware", "know"}) ||
		containsAny(l, []string{"not been informed", "not been told", "not been made aware", "n't been informed", "n't been told"})) {
		return domain.ConsentUnknown
	}
	// The sentences of the lower-cased text (every expression ignores case); a question asks, it does not
	// answer ("Have the family consented?"); a sentence without "not" or "n't" cannot say consent was not sought
	// (a cheap check before the long expression).
	for rest := l; rest != ""; {
		s := rest
		if i := strings.IndexAny(rest, ".!?\n"); i >= 0 {
			s, rest = rest[:i], rest[i+1:]
			if rest0 := l[len(l)-len(rest)-1]; rest0 == '?' {
				continue
			}
		} else {
			rest = ""
		}
		negated := strings.Contains(s, "not") || strings.Contains(s, "n't") || strings.Contains(s, "n’t")
		if toldOnly {
			if negated && consentNotRe.MatchString(s) {
				return domain.ConsentNotSought
			}
			continue
		}
		switch {
		case consentRefRe.MatchString(s): // "consent not obtained - mum declined": refused, not unasked
			return domain.ConsentRefused
		case negated && consentNotRe.MatchString(s):
			return domain.ConsentNotSought
		case consentNoneRe.MatchString(s) && consentDontWantRe.MatchString(s):
			return domain.ConsentRefused // "mum does not want social care involved, so there is no consent"
		case consentNoneRe.MatchString(s):
			return domain.ConsentNotSought
		case consentYesRe.MatchString(s) && !negationRe.MatchString(s):
			return domain.ConsentGiven
		}
	}
	return domain.ConsentUnknown
}

// tickedOption reads a tick-box answer ("☐ Yes ☒ No", "[x] Yes [ ] No"): the option after the ticked box,
// and ok false when there are no boxes or not exactly one is ticked.
func tickedOption(v string) (string, bool) {
	v = strings.NewReplacer("[x]", "☒", "[X]", "☒", "[ ]", "☐", "☑", "☒", "☑️", "☒", "✓", "☒", "✔", "☒", "□", "☐").Replace(v)
	if !strings.Contains(v, "☒") {
		return "", false
	}
	if strings.Count(v, "☒") != 1 {
		return "", false
	}
	after := v[strings.Index(v, "☒")+len("☒"):]
	if i := strings.Index(after, "☐"); i >= 0 {
		after = after[:i]
	}
	rest := ""
	if j := strings.Index(v, "☒"); j >= 0 {
		// text after the last box: "☐ Yes ☒ No - refused by dad" keeps "No - refused by dad"
		rest = after
	}
	return strings.TrimSpace(rest), true
}
