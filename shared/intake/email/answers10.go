package email

import (
	"strings"

	"github.com/safeguarding/mash/shared/domain"
)

// The tenth round's immediate-harm and consent rules (Portsmouth §7.5, §7.1), read from how people write rather than
// from one email; each with rows of its own invention in answers10_test.go.

var (
	// harmUnsafe10Re: the child will not go home because it is not safe, or does not feel safe going back there —
	// "im not going home tonite its not safe", "I don't feel safe going back there tonight", "it's not safe for her
	// to go back home". Its own negation is what it says.
	harmUnsafe10Re = lazy(`(?i)(?:\bnot|\bnever|n['’]?t)\s+(?:going|go)\s+(?:back\s+)?home\b[^.;]{0,20}?\b(?:it['’]?s|its|it\s+is)\s+(?:not|n['’]?t)\s+safe\b|` +
		`\b(?:not|dont|don['’]t|do\s+not)\s+feel\s+safe\s+(?:going|to\s+go)\s+back\s+(?:there|home)\b|` +
		`\b(?:it['’]?s|its|it\s+is)\s+(?:not|n['’]?t)\s+safe\s+for\s+(?:me|us|her|him|them)\s+to\s+go\s+back\s+(?:there|home)\b`)
	// harmIfHomeRe: a condition that is the child's ordinary course — going home ("if he goes home", "if she is sent
	// home tonight", "if they return home").
	harmIfHomeRe = lazy(`(?i)\bif\s+(?:he|she|they|i|we|the\s+\w+|[A-Z][\p{L}'’-]+)\s+(?:goes|go|returns?|is\s+sent|are\s+sent|gets?\s+sent|has\s+to\s+go|have\s+to\s+go)\s+(?:back\s+)?home\b(?:\s+(?:tonight|today|now|later|after\s+school))?`)
	// harmIsAtRiskRe: the risk said in the present ("he is at risk of immediate harm", "they are in danger"), not
	// foreseen ("will be in danger").
	harmIsAtRiskRe = lazy(`(?i)\b(?:is|are|['’]s|['’]re)\s+(?:still\s+|now\s+|both\s+|all\s+)?(?:at\s+(?:immediate\s+|imminent\s+)?risk|in\s+(?:immediate\s+|imminent\s+)?danger)\b`)
)

// harmRiskIfHome: "he is at risk of immediate harm if he goes home" says he is at risk now — going home is what
// happens next unless someone acts; the risk said in the present with no other hedge or condition is read.
// "He will be in danger if he goes home" foresees and is left.
func harmRiskIfHome(s string) (harmSays, bool) {
	loc := harmIfHomeRe.FindStringIndex(s)
	if loc == nil || !harmIsAtRiskRe.MatchString(s[:loc[0]]) {
		return harmSilent, false
	}
	rest := s[:loc[0]] + s[loc[1]:]
	if harmHedged(rest) {
		return harmSilent, false
	}
	if harmSentence(rest) == harmSaysYes {
		return harmSaysYes, true
	}
	return harmSilent, false
}

// harmReasonSplit: a hedge in a reason given after the answer does not take the answer back — "I do not believe the
// children are at immediate risk at present, as he remains at the hostel and may not have contact with any child
// under 18" is a no. The first clause is read alone when it holds the answer unhedged; "as long as", "as soon as"
// and "as if" are conditions, not reasons.
func harmReasonSplit(s string) (harmSays, bool) {
	l := strings.ToLower(s)
	for _, sep := range []string{", as ", " because ", ", since ", " as "} {
		i := strings.Index(l, sep)
		if i <= 0 {
			continue
		}
		after := l[i+len(sep):]
		if strings.HasPrefix(after, "long as") || strings.HasPrefix(after, "soon as") || strings.HasPrefix(after, "far as") || strings.HasPrefix(after, "if ") || strings.HasPrefix(after, "well as") {
			continue
		}
		first := s[:i]
		if !containsAny(strings.ToLower(first), harmWords) || harmHedged(first) {
			return harmSilent, false
		}
		switch says := harmSentence(first); says {
		case harmSaysYes, harmSaysNo:
			return says, true
		}
		return harmSilent, false
	}
	return harmSilent, false
}

// harmAnsweredAfterQuestion: the writer copies the form's question into the email and answers it in the next
// sentence — "Is any child at immediate risk? I don't believe so, but I would like the children seen" — read as
// the question answered after a dash (harmBareQuestion). Only a plain answer ("No", "Yes", "I don't think so",
// "I believe so") in the next sentence's first clause is taken.
func harmAnsweredAfterQuestion(q, next string) (harmSays, bool) {
	a := strings.TrimSpace(next)
	if harmYesButRe.MatchString(a) || answerHedgedRe.MatchString(a) {
		return harmSilent, false // "Yes – but he is now in custody", "No?": taken back or doubted
	}
	if i := strings.IndexAny(a, ",;–—"); i >= 0 {
		a = a[:i]
	}
	if i := strings.Index(strings.ToLower(a), " but "); i >= 0 {
		a = a[:i]
	}
	a = strings.TrimSpace(a)
	word := ""
	switch la := strings.ToLower(strings.TrimRight(a, ".! ")); {
	case la == "no" || la == "none":
		word = "no"
	case la == "yes":
		word = "yes"
	default:
		yes, known := harmShortAnswer(a)
		if !known {
			return harmSilent, false
		}
		word = map[bool]string{true: "yes", false: "no"}[yes]
	}
	says, ok := harmBareQuestion(strings.TrimSpace(q) + " - " + word)
	if !ok || says == harmSilent {
		return harmSilent, false
	}
	return says, true
}

var (
	// consentToldAnsweredRe: the referrer told the family what they would do, and the family answered — "I told her
	// I'd need to pass this on and she said ok", "I explained to mum (with Daria translating) that I would contact the
	// council …, and she said yes please", "I told Dani on Thursday I was going to contact social services and she
	// said 'don't you dare'". Group 1 who was told, group 2 what the referrer would do, group 3 the answer.
	consentToldAnsweredRe = lazy(`(?i)\b(?:told|informed|explained\s+to|said\s+to)\s+((?:the\s+|her\s+|his\s+|their\s+)?[\p{L}'’-]+)\s+(?:\([^)]{0,40}\)\s+)?(?:on\s+\w+\s+|today\s+|yesterday\s+|this\s+(?:morning|afternoon|evening)\s+)?(?:that\s+)?(?:i|we)\s*(?:['’]d|['’]ll|would|was|were|am|are|['’]m|will|had|have)?\s*(?:be\s+|have\s+to\s+|need\s+to\s+|going\s+to\s+|had\s+to\s+|needed\s+to\s+)?((?:make|making|send|sending|refer|referring|contact|contacting|pass|passing|share|sharing|tell|telling|email|emailing|write\s+to|writing\s+to|let|letting|report|reporting)\b[^.;]{0,80}?)\s*(?:,\s*and|,|\band)\s+(?:she|he|they|mum|dad)\s+said\s+(.{1,40})`)
	// consentToldWhatRe: what the referrer said they would do is this referral or a share with this service.
	consentToldWhatRe = lazy(`(?i)^(?:(?:make|making)\s+(?:a|the|this)\s+referral|(?:send|sending)\s+(?:this|it|a\s+referral)|(?:refer|referring)\b|(?:contact|contacting|email|emailing|write\s+to|writing\s+to|report|reporting)\s+(?:it\s+to\s+|this\s+to\s+)?(?:you|the\s+mash|mash|social\s+(?:services|care|workers?)|children['’]?s\s+(?:services|social\s+care)|the\s+council|the\s+local\s+authority|the\s+safeguarding\s+team|someone|somebody)\b|(?:pass|passing)\s+(?:this|it|that)?\s*on\b|(?:share|sharing)\s+(?:this|it|what|that|the\s+information|my\s+concerns|these\s+concerns)\b|(?:tell|telling)\s+(?:someone|somebody|social|children|you|the\s+mash)\b|(?:let|letting)\s+(?:someone|somebody|social\s+services|children['’]?s\s+services|you|the\s+mash)\s+know\b)`)
	// consentSaidYesRe / consentSaidNoRe: the family's answer.
	consentSaidYesRe = lazy(`(?i)^\W*(?:ok|okay|yes|yeah|fine|alright|all\s+right|that['’]?s\s+(?:fine|ok|okay|alright)|that\s+(?:was|is)\s+(?:fine|ok|okay)|it\s+(?:was|is)\s+(?:fine|ok|okay)|go\s+ahead)\b`)
	consentSaidNoRe  = lazy(`(?i)^\W*(?:no\b|not\s+to\b|don['’]?t|do\s+not|dont|please\s+don['’]?t|she\s+didn['’]?t\s+want|he\s+didn['’]?t\s+want|they\s+didn['’]?t\s+want)`)
)

// consentToldAnswered reads the family's answer to being told of the referral; unknown when the one told is a
// professional, or when what the referrer would do is something else ("I told mum I would contact the GP and she
// said yes").
// The sentence read in this shape says nothing else: shaped is true whenever it is this shape, so no looser rule
// reads "she said yes" in it.
func consentToldAnswered(s string) (c domain.ConsentStatus, shaped bool) {
	if !containsAny(s, []string{"told", "informed", "explained", "said to"}) {
		return domain.ConsentUnknown, false
	}
	m := consentToldAnsweredRe.FindStringSubmatch(s)
	if m == nil {
		return domain.ConsentUnknown, false
	}
	if permissionNotFamilyRe.MatchString(m[1]) || !consentToldWhatRe.MatchString(m[2]) {
		return domain.ConsentUnknown, true
	}
	if e := permissionElsewhereRe.FindStringSubmatch(m[2]); e != nil && !mashWord(e[1]) {
		return domain.ConsentUnknown, true // "refer him to the food bank"
	}
	if e := toWhomRe.FindStringSubmatch(m[2]); e != nil && !mashWord(e[1]) && !anyoneWord[strings.ToLower(e[1])] {
		return domain.ConsentUnknown, true // "share this with the school", "pass this on to her GP": someone else
	}
	a := strings.Trim(m[3], " \"'“”‘’")
	switch {
	case consentSaidNoRe.MatchString(a):
		return domain.ConsentRefused, true
	case consentSaidYesRe.MatchString(a) && !consentAnswerTakenBackRe.MatchString(a):
		return domain.ConsentGiven, true
	}
	return domain.ConsentUnknown, true
}

// consentAnswerTakenBackRe: "she said ok but not yet", "yes, but only after …": the answer taken back.
var consentAnswerTakenBackRe = lazy(`(?i)\b(?:but\s+not|not\s+yet|only\s+(?:after|if|once|when)|wait)\b`)

var (
	// consentAwareAgreedRe: "Ms Knight is aware of this referral and agreed to it".
	consentAwareAgreedRe = lazy(`(?i)\baware\s+of\s+(?:this|the|our|my)\s+referral\s+and\s+(?:has\s+|have\s+|had\s+)?(?:agreed|consented|supports\s+it|is\s+supportive)\b`)
	// consentKnowsAskedRe: "mum knows im emailing you, she asked me to" — the referral asked for, the verb left
	// unsaid after "to" (the clause ends, or an aside follows: "to be honest", "as she …").
	consentKnowsAskedRe = lazy(`(?i)\bknows?\s+(?:that\s+)?(?:i|we)\s*(?:['’]m|m|\s+am|['’]re|\s+are|\s+have|['’]ve)?\s+(?:been\s+)?(?:emailing|writing\s+to|contacting|referring|making\s+(?:a|the|this)\s+referral)\b[^.;]{0,30}?(?:,|\band)\s*(?:she|he|they)\s+(?:asked|wanted)\s+(?:me|us)\s+to\s*(?:$|,|to\s+be\s+honest\b|tbh\b|actually\b|really\b|in\s+fact\b|as\b|because\b|bc\b)`)
)

// consentGiven10 reads leave given in those words (ls is the sentence in lower case, with no negation).
func consentGiven10(ls string) bool {
	if !containsAny(ls, []string{"aware", "knows", "know ", "asked"}) {
		return false
	}
	return consentAwareAgreedRe.MatchString(ls) || consentKnowsAskedRe.MatchString(ls) && familyWordRe.MatchString(ls)
}

var (
	// consentNotReachedRe: the family not contacted, asked or told, said plainly at the end of its sentence or before
	// a reason — "I have not contacted Ellie's parents", "I have not said anything to the parents and I don't know
	// if I should", "I have not asked their mum about any of this obviously as they are on a care order".
	consentNotReachedRe = lazy(`(?i)\b(?:have|has|did|['’]ve)\s*(?:not|n['’]t)\s+(?:yet\s+)?(?:contacted|approached|rung|called|phoned|asked|told|informed|said\s+anything\s+to|spoken\s+to|talked\s+to)\s+(?:the\s+|her\s+|his\s+|their\s+|[\p{L}'’-]+['’]s\s+)?(?:mum|mother|dad|father|parents?|carers?|family)(?:\s+(?:about|of)\s+(?:any\s+of\s+)?(?:this|it|that))?(?:\s+(?:obviously|yet))?\s*(?:$|,|\band\s+(?:i|we)\b|[-–—(]|\b(?:due|as|because|yet|given|since|for\s+fear|until|before)\b)`)
	// consentNotFitRe: the parent in no state to be asked ("mum was not in a fit state to be asked about consent",
	// "dad was too drunk to discuss the referral").
	consentNotFitRe = lazy(`(?i)\b(?:not\s+in\s+(?:a\s+)?(?:fit\s+)?state|not\s+fit|in\s+no\s+(?:fit\s+)?state|too\s+(?:drunk|intoxicated|unwell|distressed|upset|ill|poorly|high|under\s+the\s+influence))\s+to\s+(?:be\s+asked|be\s+spoken\s+to|give|ask|discuss|consent|agree|talk|speak|understand)\b`)
)

// consentNotSought10: the family not reached or in no state to be asked, in a sentence about the referral or its
// consent (consentNotFitRe) or said plainly (consentNotReachedRe).
func consentNotSought10(ls string) bool {
	if consentNotReachedRe.MatchString(ls) {
		return true
	}
	return consentNotFitRe.MatchString(ls) && containsAny(ls, []string{"consent", "referral", "refer", "permission", "contacting you", "sharing"})
}

// professionalAntecedent: a sentence that opens with "She"/"He"/"They" and names no one of the family follows a
// sentence that names a professional by role and no family member (and does not itself open with the pronoun) ("… on behalf of our DSL, Mrs Adeyinka, who is on a course
// today. She asked me to send it to you first thing"): the one who asked is the professional, not the family.
func professionalAntecedent(ls, prev string) bool {
	w, _ := nextWord(strings.TrimLeft(ls, " \t>*-•"))
	switch w {
	case "she", "he", "they":
	default:
		return false
	}
	if pw, _ := nextWord(strings.ToLower(strings.TrimLeft(prev, " \t>*-•"))); pw == "she" || pw == "he" || pw == "they" {
		return false // "She has not reported this to police. She consents …": the same one as before
	}
	return !familyNounRe.MatchString(ls) && professionalPersonRe.MatchString(prev) && !familyNounRe.MatchString(prev)
}

// professionalPersonRe: a professional named by role ("our DSL", "my colleague", "the class teacher").
var professionalPersonRe = lazy(`(?i)\b(?:dsl|ddsl|colleague|manager|teacher|head|headteacher|deputy\s+head|senco|social\s+worker|health\s+visitor|nurse|doctor|dr|gp|consultant|supervisor|officer|practitioner|coordinator|co-ordinator|midwife|paramedic|pc|dc|sergeant|safeguarding\s+lead)\b`)

// familyNounRe: a member of the family named as such.
var familyNounRe = lazy(`(?i)\b(?:mum|mom|dad|mother|father|parents?|carers?|family|grandparents?|grandmother|grandfather|nan|nana|gran|granny|aunt|auntie|uncle|stepdad|stepmum|stepfather|stepmother|guardian)\b`)

var (
	// youngWriterRe: a young person writes about themself ("my name is Amara … and i'm 15", "im 16 years old").
	youngWriterRe = lazy(`(?i)\bmy\s+name\s+is\b[^.\n]{0,60}?\b(?:i['’]?m|im|i\s+am|aged?)\s+1[0-7]\b|\b(?:i['’]?m|im|i\s+am)\s+1[0-7]\s*(?:years?\s+old|yrs?\s+old|y/?o)\b`)
	// youngLeaveRe: the young person's own leave for the referral — "im ok with you sharing this with whoever you need
	// to", "i said its ok to tell them", "you can tell social services".
	youngLeaveRe = lazy(`(?i)\b(?:i['’]?m|im|i\s+am)\s+(?:ok|okay|fine|happy)\s+(?:with|for)\s+(?:you|u)\s+(?:to\s+)?(?:shar|tell|pass|contact|speak|talk)\w*|\bi\s+said\s+(?:it['’]?s|its|it\s+is)\s+(?:ok|okay|fine|alright)\s+(?:to|for\s+(?:you|u)\s+to)\s+(?:tell|shar|contact|speak|talk|pass)\w*|\b(?:you|u)\s+can\s+(?:tell|share\s+this\s+with|contact|speak\s+to)\s+(?:social\s+(?:services|care|workers?)|children['’]?s\s+services|whoever|anyone)\b`)
	// consentWriteToYouRe: "she asked me to write to you" (permissionOpenRe's verbs, said as writing to the MASH).
	consentWriteToYouRe = lazy(`(?i)\b(?:she|he|they|mum|dad|mother|father|parents?)\s+(?:has\s+|have\s+)?asked\s+(?:me|us)\s+to\s+(?:write|email|send\s+this)\s+to\s+(?:you|the\s+mash|mash|social\s+(?:services|care)|children['’]?s\s+services)\b`)
)

// leaveInClause: re matches in ls with no negation and no professional between the clause's start (the last comma,
// semicolon, "and" or "but" before it) and its end — "Her English is not strong and she asked me to write to you" is
// leave; "she was not happy and …" before it is another clause's.
func leaveInClause(re *lazyRegexp, ls string) bool {
	for _, loc := range re.FindAllStringIndex(ls, -1) {
		before := ls[:loc[0]]
		if j := max(strings.LastIndexAny(before, ",;"), strings.LastIndex(before, " and "), strings.LastIndex(before, " but ")); j >= 0 {
			before = before[j:]
		}
		if negationRe.MatchString(before+ls[loc[0]:loc[1]]) || professionalPersonRe.MatchString(ls[:loc[0]]) {
			continue
		}
		return true
	}
	return false
}

// youngLeave: a young person writing about themself gives their own leave for the referral (youngLeaveRe).
func youngLeave(text, ls string) bool {
	return containsAny(ls, []string{"ok", "fine", "happy", "alright", "can tell", "can share", "can contact", "can speak"}) &&
		leaveInClause(youngLeaveRe, ls) && youngWriterRe.MatchString(text)
}

// toWhomRe: whom the referrer said they would share with or pass to ("share this with the school", "pass it on to her
// GP"); group 1 its first word.
var toWhomRe = lazy(`(?i)\b(?:share|sharing|pass|passing|tell|telling|report|reporting)\b[^.;]*?\b(?:with|to)\s+(?:the\s+|her\s+|his\s+|their\s+|my\s+|our\s+)?([\w'’]+)`)

// anyoneWord: a share with whoever needs it is a share with this service.
var anyoneWord = map[string]bool{"someone": true, "somebody": true, "anyone": true, "anybody": true, "whoever": true, "people": true,
	"the": true, "council": true, "professionals": true, "services": true, "be": true}
