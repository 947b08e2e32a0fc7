package email

import (
	"strings"

	"github.com/safeguarding/mash/shared/domain"
)

// The ninth round's immediate-harm rules (Portsmouth §7.5), read from how people write rather than from one email.

// harmBareQuestionRe: a sentence that opens as a question — an auxiliary, then its subject ("Is he in immediate
// danger", "Are the children safe tonight", "Is Leo at risk") — asks even when its writer left out the question
// mark; an answer may follow it after a dash or a colon ("Is he in immediate danger - not while he's with us, no").
// Groups: the auxiliary, its subject, the rest of the question, the answer. The subject is a pronoun, "the/this …" or a name, so "Was taken into
// police protection" (a police note without its subject) is no question.
var harmBareQuestionRe = lazy(`^\s*((?i:is|are|was|were|will|would|could|can|should|does|do))\s+((?i:he|she|they|it|you|there|the\s+\w+(?:\s+(?:person|people|child|children|ones))?|any\s+(?:of\s+the\s+)?\w+|this\s+\w+|his\s+\w+|her\s+\w+|their\s+\w+)|[A-Z][\p{Ll}'’-]+)\b([^–—:]*?)(?:\s+[-–—]\s*|\s*[–—:]\s*|$)(.*)$`)

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
	subj := m[2]
	if strings.HasPrefix(strings.ToLower(subj), "any ") {
		subj = "the children" // "Is any child at immediate risk": the email's children, not children in general
	}
	q, a := subj+" "+m[1]+m[3], strings.ToLower(strings.TrimSpace(m[4]))
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

// The ninth round's consent rules (Portsmouth §7.1): leave given in the plain words people use for it, each with the
// family as the one who gives it; a sentence with a negation in it is left to the other rules.
var (
	// "Parents are aware and happy for the referral to be made"
	consentHappyForReferralRe = lazy(`(?i)\b(?:happy|content|willing|agreeable)\s+for\s+(?:the|this|a|my|our)\s+referral\s+to\s+(?:be\s+(?:made|sent|submitted)|go\s+(?:ahead|in)|proceed)\b`)
	// "Dad knows I'm emailing and is fine with it"
	consentKnowsAndFineRe = lazy(`(?i)\bknows?\s+(?:that\s+)?(?:i|we)(?:['’]m|['’]re|\s+am|\s+are|\s+have|['’]ve)?\s+(?:been\s+)?(?:emailing|writing|contacting|referring|making\s+(?:a|the|this)\s+referral|sending\s+this)\b[^.;]{0,40}?\s(?:and|,)\s*(?:(?:she|he|they)\s+)?(?:is|are|was|were|['’]s)\s+(?:fine|ok|okay|happy|content|alright)\b`)
	// "Consent gained from mum", "consent received from both parents"
	consentGainedFromRe = lazy(`(?i)\bconsent\s+(?:was\s+|has\s+been\s+)?(?:gained|received|confirmed)\s+(?:verbally\s+)?(?:from|by)\s+(?:mum|dad|mother|father|parents?|carers?|the\s+(?:family|parents?|carers?|young\s+person)|both\s+parents|(?:her|his|their)\s+(?:mum|dad|mother|father|parents?|carers?))\b`)
	// "Mum said yes when I asked if I could refer"
	consentSaidYesWhenAskedRe = lazy(`(?i)\b(?:mum|dad|mother|father|parents?|carers?|she|he|they)\s+said\s+(?:yes|ok|okay|that\s+was\s+fine|it\s+was\s+fine)\s+when\s+(?:i|we)\s+asked\s+(?:if|whether)\s+(?:i|we)\s+(?:could|can|should|would|might)\s+(?:refer|share|contact|make\s+(?:a|the|this)\s+referral|pass|tell\s+(?:you|social|children)|let\s+(?:you|social|children))`)
	// "I told mum I'd be making a referral and she said OK"
	consentToldAndOkRe = lazy(`(?i)\b(?:told|informed)\s+(?:mum|dad|mother|father|her|him|them|the\s+(?:parents?|family|carers?)|(?:her|his|their)\s+(?:mum|dad|mother|father|parents?))\s+(?:that\s+)?(?:i|we)\s*(?:['’]d|would|was|were|am|are|['’]m|will|had)?\s*(?:be\s+|have\s+to\s+|need\s+to\s+)?(?:making|make|made|sending|send|referring|refer|contacting|contact)\b[^.;]{0,40}?\s(?:and|,)\s*(?:she|he|they|mum|dad)\s+(?:said\s+(?:ok|okay|yes|that['’]?s\s+fine|that\s+was\s+fine|fine)|agreed|was\s+(?:fine|happy|ok|okay)\s+with\s+(?:it|that|this))\b`)
)

// familyWordRe: the family, or a pronoun for them, in the sentence.
var familyWordRe = lazy(`(?i)\b(?:mum|mom|dad|mother|father|parents?|carers?|family|grandparents?|nan|she|he|they)\b`)

// consentGiven9 reads leave given in those words (ls is the sentence in lower case, with no negation).
func consentGiven9(ls string) bool {
	if !containsAny(ls, []string{"happy", "content", "willing", "agreeable", "fine", " ok", "okay", "alright", "gained", "received", "confirmed", "said yes", "agreed"}) {
		return false
	}
	family := familyWordRe.MatchString(ls)
	switch {
	case consentGainedFromRe.MatchString(ls), consentSaidYesWhenAskedRe.MatchString(ls), consentToldAndOkRe.MatchString(ls):
		return true
	case family && (consentHappyForReferralRe.MatchString(ls) || consentKnowsAndFineRe.MatchString(ls)):
		return true
	}
	return false
}

// consentValueGiven9: a form's consent answer that says how leave was given ("verbal from mum 10/03", "Written -
// signed by dad", "Verbally given by mum").
var consentValueGiven9Re = lazy(`(?i)^\s*(?:verbal|verbally|written|signed)\b(?:\s+consent)?\s*(?:[-–:,]\s*)?(?:given\s+|obtained\s+|agreed\s+)?(?:from|by)\s+(?:mum|dad|mother|father|parents?|carers?|both|the\s+(?:family|parents?|young\s+person)|\w+\s+\(?(?:mum|dad|mother|father)\)?)\b`)

func consentValueGiven9(l string) domain.ConsentStatus {
	if consentValueGiven9Re.MatchString(l) && !negationRe.MatchString(l) {
		return domain.ConsentGiven
	}
	return domain.ConsentUnknown
}
