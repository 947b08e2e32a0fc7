package email

import (
	"strings"

	"github.com/safeguarding/mash/shared/domain"
)

// Answers to the form's questions written as sentences rather than against a label. Read only when no
// labelled answer was given, and only in their plain forms: a negated "immediate risk/danger/harm" is a No;
// consent must be said in so many words. Anything else is left unanswered for the screener.

var (
	sentenceSplit = lazy(`[.!?\n]+`)
	harmNoRe      = lazy(`(?i)\b(?:not|no|neither|nor|none)\b[^.]{0,40}\b(?:immediate|imminent)\s+(?:risk|danger|harm)|\b(?:immediate|imminent)\s+(?:risk|danger|harm)\s*(?:[:\-–]\s*)?(?:none|no)\b`)
	consentNotRe  = lazy(`(?i)\bconsent\b[^.]{0,20}\bnot (?:been )?(?:sought|obtained|asked)|\bnot (?:sought|asked for|obtained)\b[^.]{0,25}\bconsent|\b(?:without|no) (?:parental |their |the family'?s? )?consent\b|\bhave not sought\b`)
	consentRefRe  = lazy(`(?i)\b(?:refused|declined|withheld|withdrew|withdrawn)\b[^.]{0,25}\b(?:consent|referral)|\bconsent\b[^.]{0,25}\b(?:refused|declined|withheld|withdrawn)\b`)
	consentYesRe  = lazy(`(?i)\b(?:consent(?:s|ed)?|agreed|agrees|in agreement)\b[^.]{0,25}\b(?:to|with) (?:this|the|a|our) referral|\b(?:gave|given|obtained|have|has) (?:verbal |written |their |her |his )?consent\b|\bconsent (?:was |has been |is )?(?:given|obtained)\b|\bwe have consent\b|\b(?:mum|dad|mother|father|parents?|carers?|client|family)\b[^.]{0,45}\b(?:consent(?:s|ed)?|agreed|agrees)\b|\b(?:mum|dad|parents?)\b[^.]{0,10}\bdid consent\b`)
	negationRe    = lazy(`(?i)\b(?:not|never|no|without|refus\w*|declin\w*)\b|n['’]t\b`)
)

// proseHarm reads a negated statement of immediate risk ("not at immediate risk", "Neither boy seems in
// immediate danger"): known is false when none is found.
func proseHarm(text string) (yes, known bool) {
	l := strings.ToLower(text)
	if !strings.Contains(l, "immediate") && !strings.Contains(l, "imminent") {
		return false, false
	}
	for _, s := range sentenceSplit.Split(text, -1) {
		if harmNoRe.MatchString(s) {
			return false, true
		}
	}
	return false, false
}

// proseConsent reads consent said in a sentence: not sought, refused, or given (a given-sentence with a
// negation in it does not count).
func proseConsent(text string) domain.ConsentStatus {
	l := strings.ToLower(text)
	if !strings.Contains(l, "consent") && !strings.Contains(l, "agree") && !strings.Contains(l, "refus") && !strings.Contains(l, "declin") {
		return domain.ConsentUnknown
	}
	for _, s := range sentenceSplit.Split(text, -1) {
		switch {
		case consentNotRe.MatchString(s):
			return domain.ConsentNotSought
		case consentRefRe.MatchString(s):
			return domain.ConsentRefused
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
