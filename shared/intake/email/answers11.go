package email

import (
	"strings"

	"github.com/safeguarding/mash/shared/domain"
)

// The eleventh round's immediate-harm and consent rules (Portsmouth §7.5, §7.1), read from how people write rather
// than from one email; each with rows of its own invention in answers11_test.go.

var (
	// harmReasonLeadRe: a sentence that opens with its reason before a comma ("Given this and the knife he was seen
	// with last week, we now believe he is at immediate risk", "In light of what she told us today, …"): the
	// reason's own past time is not a hedge of what follows it.
	harmReasonLeadRe = lazy(`(?i)^\W*(?:given|in\s+light\s+of|in\s+view\s+of|because\s+of|following|due\s+to|after)\b[^,;]{3,140},\s*`)
	// harmCantGoBackRe: the writer cannot go back home tonight — "i cant go back there tonight", "we can't go home
	// tonight", "I cannot go back home now"; group 1 when a time word says it is now.
	harmCantGoBackRe = lazy(`(?i)\b(?:i|we)\s+(?:can['’]?t|cant|cannot|can\s+not|am\s+not\s+able\s+to)\s+(?:go|get)\s+(?:back\s+)?(?:home|there|back)\b(\s+(?:tonight|now|today|this\s+evening|right\s+now))?`)
	// harmThemCantGoBackRe: a child who cannot go back home because of a threat ("she can't go home tonight, he has
	// threatened to kill her", "he cannot go back there, his stepdad said he would stab him").
	harmThemCantGoBackRe = lazy(`(?i)\b(?:she|he|they)\s+(?:can['’]?t|cant|cannot|can\s+not)\s+(?:go|get)\s+(?:back\s+)?(?:home|there|back)\b`)
	// harmThreatWordRe: a threat to the child's life or body said in the same sentence.
	harmThreatWordRe = lazy(`(?i)\b(?:kill|stab|batter|strangle|hurt|beat)\w*\b|\b(?:he|she|they)['’]?ll\s+(?:kill|hurt|stab|batter)\b|\bhell\s+(?:kill|hurt|stab|batter)\b`)
	// harmFearWordRe: fear or danger said in the same sentence ("i cant go back there tonight im scared of him").
	harmFearWordRe = lazy(`(?i)\b(?:scared|afraid|frightened|terrified|petrified|unsafe|not\s+safe|violent|drunk|hit|hits|punch\w*|beat\w*|attack\w*|threat\w*)\b`)
	// harmStayOnlyRe: a stay away from home that ends tonight ("but his mum says i can only stay tonight", "we can
	// only stay one night"): not safe for now.
	harmStayOnlyRe = lazy(`(?i)\bonly\s+(?:stay|sleep|be\s+there|be\s+here|have\s+(?:me|us|her|him|them))\b[^.;]{0,20}?\b(?:tonight|one\s+night|for\s+(?:one|a)\s+night|today|till\s+tomorrow|until\s+tomorrow)\b`)
	// harmNothingSuggestsRe: "I have no information to suggest that either child is at immediate risk", "nothing to
	// indicate the children are in danger", "no evidence that she is at immediate risk": a professional's no.
	harmNothingSuggestsRe = lazy(`(?i)\b(?:no|nothing|not\s+(?:any|aware\s+of\s+any))\s+(?:(?:information|evidence|indication|reason|concerns?|record)\s+)?(?:to\s+(?:suggest|indicate|show)|that\s+(?:suggests|indicates|shows)|(?:held\s+)?(?:that|which)\s+would\s+suggest)\s+(?:that\s+)?([^.;,]{0,50}?)\s*\b(?:(?:is|are|would\s+be)\s+)?(?:at\s+(?:immediate|imminent)\s+risk|in\s+(?:immediate\s+|imminent\s+)?danger|at\s+risk\s+of\s+(?:immediate|imminent)\s+harm|(?:immediate|imminent)\s+(?:risk|danger))\b`)
)

// harmSentence11 reads the eleventh round's shapes of one sentence; ok is false when it is none of them (the
// sentence is then read as before).
func harmSentence11(s string) (says harmSays, ok bool) {
	l := strings.ToLower(s)
	if m := harmReasonLeadRe.FindStringIndex(s); m != nil && harmHedged(s[:m[1]]) {
		rest := s[m[1]:]
		if containsAny(strings.ToLower(rest), harmWords) && !harmHedged(rest) {
			switch says := harmSentence(rest); says {
			case harmSaysYes, harmSaysNo:
				return says, true // "Given … last week, we now believe Jordan IS at immediate risk"
			}
		}
	}
	if strings.Contains(l, "go") && (strings.Contains(l, "can") || strings.Contains(l, "not able")) {
		if m := harmCantGoBackRe.FindStringSubmatchIndex(s); m != nil && !harmNegBefore.MatchString(clauseBefore(s[:m[0]])) &&
			(harmThreatWordRe.MatchString(s) || m[2] >= 0 && harmFearWordRe.MatchString(s)) {
			return harmSaysYes, true // "i cant go back there tonight he said hell kill me if i come back"
		}
		if m := harmThemCantGoBackRe.FindStringIndex(s); m != nil && !harmNegBefore.MatchString(clauseBefore(s[:m[0]])) &&
			harmThreatWordRe.MatchString(s[m[1]:]) && !adultsRisk(s[:m[0]], s[m[1]:]) {
			return harmSaysYes, true // "she can't go home tonight, he has threatened to kill her"
		}
	}
	if strings.Contains(l, "only") && harmStayOnlyRe.MatchString(s) && harmAwayNow(s) {
		return harmSilent, true // "im at my mates house now but his mum says i can only stay tonight": safe until tonight
	}
	if strings.Contains(l, "suggest") || strings.Contains(l, "indicat") || strings.Contains(l, "show") {
		if m := harmNothingSuggestsRe.FindStringSubmatchIndex(s); m != nil {
			after := s[m[1]:]
			switch {
			case adultsRisk(s[m[2]:m[3]], after) || adultsRisk(s[:m[0]], after):
				return harmSilent, true // "nothing to suggest mum is at immediate risk": the adult's
			case harmCaveatRe.MatchString(after) || harmHedgeRe.MatchString(after):
				return harmSilent, true // "…, but he knows where they live"
			case !strings.Contains(strings.ToLower(clauseBefore(s[:m[0]])), "not"):
				return harmSaysNo, true // "I have no information to suggest that either child is at immediate risk, but …"
			}
		}
	}
	return harmSilent, false
}

var (
	// consentToldAgreedRe: the family told of the referral and agreeing to it — "Both parents were told this evening
	// that we are making a referral to children's social care and both agreed to it", "Mum was informed we would be
	// contacting you and she agreed". Group 1 what they were told, group 2 the answer.
	consentToldAgreedRe = lazy(`(?i)\b(?:was|were|been|i|we)\s+(?:\w+\s+){0,2}?(?:told|informed|advised|made\s+aware)\b([^.;]{0,100}?)(?:,\s*and|,|\band)\s+(?:both(?:\s+(?:parents|of\s+them))?|they|she|he|mum|dad|the\s+parents|parents|each|the\s+family|the\s+mother|the\s+father)\s+(?:have\s+|has\s+|had\s+)?((?:agreed|consented|agree|consent|(?:was|were|are|is)\s+(?:happy|content|fine|ok|okay)\s+(?:with|about|for))\b[^.;]{0,30})`)
	// consentToldOfThisRe: what the family was told is this referral ("that we are making a referral to children's
	// social care", "we would be contacting you").
	consentToldOfThisRe = lazy(`(?i)\b(?:referral|referring|refer|contacting|contact|sharing|share|passing|emailing|writing\s+to)\b`)
	// consentAgreedToItRe: the answer is to what they were told ("agreed to it", "agreed", "were happy with this").
	consentAgreedToItRe = lazy(`(?i)^(?:agreed|consented|agree|consent|(?:was|were|are|is)\s+(?:happy|content|fine|ok|okay)\s+(?:with|about|for))\s*(?:$|(?:to|with)\s+(?:it|this|that|the\s+referral|this\s+referral|us\s+(?:doing\s+so|making\s+it|referring))\b|to\s+(?:us|me)\s+(?:making|sending|doing)\b|[,(–-])`)
	// consentKnowsSaidOkRe: "my sister knows I am writing to you and she said ok", "mum knows im emailing you, she says
	// its fine": the one who knows of the referral said yes to it. Group 1 the words before "knows".
	consentKnowsSaidOkRe = lazy(`(?i)^(.*?)\bknows?\s+(?:that\s+)?(?:i|we)\s*(?:['’]m|m|\s+am|['’]re|\s+are|\s+have|['’]ve|ve)?\s*(?:been\s+)?((?:writing|emailing|contacting|referring|messaging|getting\s+in\s+touch|in\s+touch|written|emailed|contacted|making\s+(?:a|the|this)\s+referral)\b[^.;]{0,30}?)(?:,|\band)\s*(?:she|he|they)\s+(?:said|says)\s+(?:that['’]?s\s+|thats\s+|it['’]?s\s+|its\s+|it\s+is\s+)?(?:ok|okay|fine|alright|all\s+right|yes)\b`)
	// consentIConsentRe: the family member writing consents in the first person to the MASH's checks or contact —
	// "Yes I consent to you speaking to whoever you need to", "I give my consent for you to contact school", "and yes
	// I consent to you doing whatever checks you need".
	consentIConsentRe = lazy(`(?i)\bi\s+(?:do\s+|fully\s+|hereby\s+|also\s+)?(?:consent|give\s+(?:my\s+|full\s+)?consent|agree)\s+(?:to|for)\s+(?:you|u|the\s+mash|mash|social\s+(?:services|care|workers?)|children['’]?s\s+services|this\s+referral|the\s+referral|(?:information\s+)?sharing|information\s+being\s+shared|whatever|any\s+checks)\b`)
	// familyWriterRe: the writer is the child's family, said in so many words ("I am their mum", "I have parental
	// responsibility", "my kids").
	familyWriterRe = lazy(`(?i)\bparental\s+responsibility\b|\bi\s+(?:am|['’]m|m)\s+(?:on\s+)?(?:both\s+|their\s+|the\s+)?birth\s+certificates?\b`)
	// consentSeekObtainedRe: "Consent to seek information from partner agencies was obtained from the mother", "consent
	// for sharing with other agencies has been given by dad".
	consentSeekObtainedRe = lazy(`(?i)\bconsent\s+(?:to|for)\s+(?:seek|shar|obtain|request|gather|mash|refer|information|agency|agencies|partner|multi)\w*\b[^.;]{0,60}?\b(?:was|were|has\s+been|have\s+been|had\s+been|is)\s+(?:verbally\s+|already\s+)?(?:given|obtained|granted|gained|received|agreed)\b`)
	// consentNotSaidAnythingRe: "We haven't said anything to mum about contacting you yet", "i havent told mum ive
	// contacted you", "I have not mentioned the referral to dad".
	consentNotSaidAnythingRe = lazy(`(?i)\b(?:have|has|did|had|['’]ve)\s*(?:not|n['’]?t)\s+(?:yet\s+)?(?:said\s+anything|mentioned\s+(?:anything|it|this))\s+to\s+(?:the\s+|her\s+|his\s+|their\s+|[\p{L}'’-]+['’]s\s+)?(?:mum|mother|dad|father|parents?|carers?|family|nan|gran)\s+(?:about|regarding)\s+(?:contacting|emailing|writing\s+to|referring|making\s+(?:a|the|this)\s+referral|(?:this|the|a|my|our)\s+referral|this|it)\b|` +
		`\b(?:havent|hadnt|didnt|(?:have|has|had|did)\s*(?:not|n['’]t))\s+(?:yet\s+)?(?:told|tell|informed)\s+(?:the\s+|her\s+|his\s+|their\s+)?(?:mum|mother|dad|father|parents?|carers?|family|nan|gran)\s+(?:that\s+)?(?:i|we)\s*(?:['’]ve|ve|\s+have|['’]m|m|\s+am|['’]re|\s+are)?\s*(?:contacted|emailed|written\s+to|referred|contacting|emailing|writing\s+to|referring|messaged|been\s+in\s+touch)(?:\s+(?:with\s+)?(?:you|u|the\s+mash|mash|social\s+(?:services|care|workers?)|children['’]?s\s+services))?\s*(?:$|[,.;:–—(-]|\b(?:and|as|because|but|yet|she|he|they|or|so|because)\b)`)
	// consentNotDiscussedRe: an answer typed as a fragment, the family not yet asked — "Not discussed with Ms Barker - we
	// have not been able to reach her", "Not yet spoken to mum", "Not told dad as he is the alleged perpetrator".
	consentNotDiscussedRe = lazy(`(?i)^\W*not\s+(?:yet\s+)?(?:discussed|spoken|talked|told|informed|raised|shared)\s+(?:(?:with|to)\s+)?(?:the\s+|her\s+|his\s+|their\s+)?(?:(?:mum|mother|dad|father|parents?|carers?|family)\b|(?:mr|mrs|ms|miss|mx)\.?\s+[\p{L}'’-]+)`)
	// consentTakenBackRe: a later clause that takes the leave back or refuses this referral.
	consentTakenBackRe = lazy(`(?i)\b(?:refus|declin|withdr|withh|object|retract|revok|changed\s+(?:her|his|their)\s+mind|no\s+longer|but\s+not\b|only\s+(?:if|after|once|when)|until)\w*`)
)

// consent11 reads the eleventh round's shapes of one sentence that said nothing sure before (ls is s in lower case).
func consent11(s, ls string, parentWriter, familyWriter bool) domain.ConsentStatus {
	if m := consentToldAgreedRe.FindStringSubmatch(s); m != nil && consentToldOfThisRe.MatchString(m[1]) &&
		consentAgreedToItRe.MatchString(strings.TrimSpace(m[2])) && !negationRe.MatchString(m[1]+" "+m[2]) &&
		!permissionElsewhereTo(m[1]) && !toSomeoneElse(m[1]) {
		return domain.ConsentGiven // "Both parents were told … we are making a referral … and both agreed to it"
	}
	if strings.Contains(ls, "know") {
		if m := consentKnowsSaidOkRe.FindStringSubmatch(s); m != nil && !professionalPersonRe.MatchString(m[1]) && !negationRe.MatchString(m[1]) &&
			!consentTakenBackRe.MatchString(s) && !toSomeoneElse(m[2]) {
			return domain.ConsentGiven // "My sister knows I am writing to you and she said ok, but she is scared"
		}
	}
	if (strings.Contains(ls, "consent") || strings.Contains(ls, "agree")) && familyWriter {
		if loc := consentIConsentRe.FindStringIndex(s); loc != nil && !negationRe.MatchString(clauseOf(ls, loc[0])) {
			return domain.ConsentGiven // "Yes I consent to you speaking to whoever you need to" (the father, who has PR)
		}
	}
	if strings.Contains(ls, "consent") {
		if loc := consentSeekObtainedRe.FindStringIndex(s); loc != nil && !negationRe.MatchString(ls[loc[0]:loc[1]]) && !consentTakenBackRe.MatchString(ls[loc[1]:]) {
			return domain.ConsentGiven // "Consent to seek information from partner agencies was obtained from the mother"
		}
	}
	if consentNotSaidAnythingRe.MatchString(s) || notDiscussedFragment(s) {
		return domain.ConsentNotSought // "We haven't said anything to mum about contacting you yet because …"
	}
	if c := consentSaidWays(s, ls); c != domain.ConsentUnknown {
		return c
	}
	return consentFirstClause(s, ls, parentWriter)
}

var (
	// consentHaveLeaveRe: "I have Mum's permission to share this with you", "we have the family's agreement to refer".
	consentHaveLeaveRe = lazy(`(?i)\b(?:i|we)\s+(?:have|['’]ve\s+got|have\s+got|had)\s+(?:(?:the\s+)?(?:mum|mother|dad|father|parents?|carers?|family|young\s+person)(?:['’]s|s['’])?|her|his|their|parental)\s+(?:full\s+|verbal\s+|written\s+)?(?:permission|consent|agreement|blessing)\s+(?:to|for)\s+(?:me\s+to\s+|us\s+to\s+)?(?:share|sharing|refer|referring|contact|contacting|pass|passing|make|making|send|sending|email|emailing|write|writing|this)\b`)
	// consentSaidCouldRe: "Mum said I could contact you", "she said we can tell whoever we need to". Group 1 who said
	// it, group 2 what the referrer could do.
	consentSaidCouldRe = lazy(`(?i)\b(mum|mother|dad|father|parents?|carers?|she|he|they|the\s+family|nan|gran)\s+(?:said|says|told\s+me|agreed)\s+(?:that\s+)?(?:i|we)\s+(?:could|can|may|should|was\s+allowed\s+to)\s+([^.;]{3,60})`)
	// consentRequestedRe: "Mum requested the referral", "dad asked for this referral", "the family want this referral".
	consentRequestedRe = lazy(`(?i)\b(?:mum|mother|dad|father|parents?|carers?|the\s+family|family|nan|gran|grandparents?)\s+(?:has\s+|have\s+|had\s+)?(?:requested|asked\s+for|wants?|wanted|would\s+like|welcomes?|welcomed)\s+(?:this|the|a)\s+referral\b`)
	// consentSupportiveRe: the family's leave at the end of a sentence about the referral — "Mum understands we are
	// making this referral and is supportive", "both parents know about this referral and are happy for it to be
	// made". Group 1 the words before it.
	consentSupportiveRe = lazy(`(?i)^(.*?)\b(?:is|are)\s+(?:very\s+|fully\s+|also\s+)?(?:supportive|in\s+agreement|agreeable|happy\s+for\s+(?:it|this|that)\s+to\s+(?:be\s+made|go\s+ahead|happen|be\s+sent|proceed)|happy\s+with\s+(?:it|this|that)|(?:ok|okay|fine)\s+with\s+(?:it|this|that))\s*$`)
	// consentNotAskedForRe: "Parents have not been asked for consent as this may increase the risk", "I did not ask mum
	// as she was very distressed".
	consentNotAskedForRe = lazy(`(?i)\b(?:mum|mother|dad|father|parents?|carers?|family)\s+(?:has|have)\s*(?:not|n['’]t)\s+(?:yet\s+)?been\s+asked\s+(?:for|about)\s+(?:their\s+|her\s+|his\s+)?(?:consent|permission|agreement)\b|\b(?:did|have|has)\s*(?:not|n['’]t)\s+(?:yet\s+)?ask\s+(?:the\s+|her\s+|his\s+|their\s+)?(?:mum|mother|dad|father|parents?|carers?|family)\s*(?:$|,|[-–—(]|\b(?:as|because|since|due|given|for\s+fear)\b)`)
	// consentNotHappyAboutRe: "Dad is not happy about the referral".
	consentNotHappyAboutRe = lazy(`(?i)\b(?:mum|mother|dad|father|parents?|carers?|family|she|he|they)\s+(?:is|are|was|were)\s*(?:not|n['’]t)\s+(?:at\s+all\s+|very\s+)?happy\s+(?:about|with)\s+(?:the|this|a|my|our|any)\s+referral\b`)
)

var (
	// consentUnhappyReferringRe: "Mum was unhappy that I was referring", "dad objected to us contacting you".
	consentUnhappyReferringRe = lazy(`(?i)\b(?:mum|mother|dad|father|parents?|carers?|family|she|he|they)\s+(?:was|were|is|are)\s+(?:very\s+)?(?:unhappy|not\s+happy|angry)\s+(?:that|about)\s+(?:i|we|me|us|the\s+school)\s+(?:was\s+|were\s+|am\s+|are\s+|had\s+|have\s+)?(?:referring|making\s+(?:a|the|this)\s+referral|contacting\s+(?:you|social|children|the\s+mash|mash))`)
	// consentAskedNotContactedRe: "Mum has asked that social care are not contacted", "she asked us not to tell
	// social services".
	consentAskedNotContactedRe = lazy(`(?i)\b(?:mum|mother|dad|father|parents?|carers?|family|she|he|they)\s+(?:has\s+|have\s+|had\s+)?(?:asked|begged|pleaded|requested)\s+(?:that\s+(?:social\s+(?:care|services|workers?)|children['’]?s\s+services|you|the\s+mash|mash)\s+(?:are|is|be)\s+not\s+(?:contacted|told|informed|involved)|(?:me|us)\s+not\s+to\s+(?:tell|contact|inform|refer\s+to|involve)\s+(?:social\s+(?:care|services|workers?)|children['’]?s\s+services|you|the\s+mash|mash))\b`)
	// consentNoInvolvementRe: "she doesn't want any more involvement from social services".
	consentNoInvolvementRe = lazy(`(?i)\b(?:mum|mother|dad|father|parents?|carers?|family|she|he|they)\s+(?:said\s+(?:that\s+)?(?:she|he|they)\s+)?(?:does|do|did)\s*(?:not|n['’]?t)\s+want\s+(?:any\s+)?(?:more\s+|further\s+)?(?:involvement|help|contact|input)\s+(?:from|with)\s+(?:social\s+(?:care|services|workers?)|children['’]?s\s+services|you|the\s+mash)\b`)
	// consentFragmentGivenRe: a note's fragment giving leave and whose: "Verbal consent from dad.", "Written consent
	// obtained from mum".
	consentFragmentGivenRe = lazy(`(?i)^\W*(?:verbal|written|full|signed)\s+consent\s+(?:(?:was\s+|has\s+been\s+)?(?:given|obtained|gained|received)\s+)?(?:from|by)\s+(?:the\s+|her\s+|his\s+)?(?:mum|mother|dad|father|parents?|carers?|family|young\s+person|yp|child|patient|client)\b`)
)

// consentSaidWays reads leave or its absence said in a few more of the ways families' answers are told.
func consentSaidWays(s, ls string) domain.ConsentStatus {
	if consentHaveLeaveRe.MatchString(s) && !toSomeoneElse(s) && !negationRe.MatchString(s) {
		return domain.ConsentGiven // "I have Mum's permission to share this with you"
	}
	if m := consentSaidCouldRe.FindStringSubmatch(s); m != nil && !negationRe.MatchString(s) {
		what := strings.ToLower(strings.TrimSpace(m[2]))
		if consentToldWhatRe.MatchString(what) && !toSomeoneElse(what) {
			return domain.ConsentGiven // "Mum said I could contact you"
		}
		if strings.HasPrefix(what, "tell whoever") || strings.HasPrefix(what, "share this with whoever") || strings.HasPrefix(what, "tell anyone") {
			return domain.ConsentGiven // "she said I could tell whoever I needed to"
		}
	}
	if m := consentRequestedRe.FindStringIndex(s); m != nil && !negationRe.MatchString(clauseOf(ls, m[0])) && !permissionElsewhereTo(s[m[0]:]) {
		return domain.ConsentGiven // "Mum requested the referral"
	}
	if m := consentSupportiveRe.FindStringSubmatch(strings.TrimRight(s, " .!")); m != nil && familyNounRe.MatchString(m[1]) &&
		consentAboutThisRe.MatchString(m[1]) && !negationRe.MatchString(m[1]) && !professionalPersonRe.MatchString(m[1]) && !permissionElsewhereTo(m[1]) {
		return domain.ConsentGiven // "Mum understands we are making this referral and is supportive"
	}
	if consentNotAskedForRe.MatchString(s) {
		return domain.ConsentNotSought // "Parents have not been asked for consent as this may increase the risk"
	}
	if consentNotHappyAboutRe.MatchString(s) || consentUnhappyReferringRe.MatchString(s) {
		return domain.ConsentRefused // "Dad is not happy about the referral", "Mum was unhappy that I was referring"
	}
	if consentAskedNotContactedRe.MatchString(s) || consentNoInvolvementRe.MatchString(s) {
		return domain.ConsentRefused // "Mum has asked that social care are not contacted"
	}
	if consentFragmentGivenRe.MatchString(s) && !negationRe.MatchString(s) {
		return domain.ConsentGiven // "Verbal consent from dad."
	}
	return domain.ConsentUnknown
}

// consentAboutThisRe: a sentence about this referral ("this referral", "the referral", "contacting you").
var consentAboutThisRe = lazy(`(?i)\b(?:this|the|our|my)\s+referral\b|\b(?:making|make|made)\s+(?:a|the|this)\s+referral\b|\b(?:contacting|emailing|writing\s+to)\s+(?:you|the\s+mash|mash|social\s+(?:services|care)|children['’]?s\s+services)\b`)

// notDiscussedFragment: consentNotDiscussedRe, unless what was not discussed is something else ("Not told dad about
// the bruise").
func notDiscussedFragment(s string) bool {
	loc := consentNotDiscussedRe.FindStringIndex(s)
	if loc == nil {
		return false
	}
	rest := strings.ToLower(strings.TrimSpace(s[loc[1]:]))
	if w, after := nextWord(rest); w == "about" || w == "regarding" || w == "of" {
		return aboutThisRe.MatchString(after)
	}
	return true
}

// aboutThisRe: what was not discussed is this referral ("about the referral", "about this", "about contacting you").
var aboutThisRe = lazy(`^(?:this|it|that|the\s+referral|this\s+referral|our\s+referral|my\s+referral|the\s+concerns?|these\s+concerns|(?:us\s+|me\s+)?(?:contacting|referring|emailing)|making\s+(?:a|the|this)\s+referral)\b`)

// permissionElsewhereTo: what the family was told is a referral or contact elsewhere ("told that we are making a
// referral to CAMHS").
func permissionElsewhereTo(told string) bool {
	e := referralToRe.FindStringSubmatch(told)
	return e != nil && !mashWord(e[1])
}

// toSomeoneElse: what the family was told is a contact or a share with someone other than this service ("we would be
// contacting his GP", "I would share this with the school").
func toSomeoneElse(told string) bool {
	for _, re := range []*lazyRegexp{toWhomRe, contactWhomRe} {
		if e := re.FindStringSubmatch(told); e != nil && !mashWord(e[1]) && !anyoneWord[strings.ToLower(e[1])] {
			return true
		}
	}
	return false
}

// contactWhomRe: whom the referrer would contact or email ("contacting his GP"); group 1 its first word.
var contactWhomRe = lazy(`(?i)\b(?:contact|contacting|email|emailing|ring|ringing|call|calling|phone|phoning|writing\s+to|write\s+to)\s+(?:the\s+|his\s+|her\s+|their\s+|my\s+|our\s+)?([\w'’]+)`)

// referralToRe: where a referral goes ("a referral to CAMHS", "referring her to the food bank"); group 1 the
// service's first word.
var referralToRe = lazy(`(?i)\b(?:referral|referring|refer)\b(?:\s+[\w'’]+){0,3}?\s+to\s+(?:the\s+)?([\w'’]+)`)

// clauseOf is the clause of ls holding position i: from the last comma, semicolon, "and" or "but" before it to i.
func clauseOf(ls string, i int) string {
	before := ls[:i]
	if j := max(strings.LastIndexAny(before, ",;"), strings.LastIndex(before, " and "), strings.LastIndex(before, " but ")); j >= 0 {
		before = before[j:]
	}
	return before
}

// consentFirstClause: leave given in a sentence's first clause is not taken back by a negation in a later clause
// about something else — "Mrs Öztürk agreed to the referral through the interpreter, and asked that her husband is
// not told that it came from her", "Zoë has given her consent to this referral and understands that information
// about Noé will be shared". The first clause (to the first ", and", ", but", ";" or " and " after the leave) is
// read alone; a later clause that refuses, withdraws or conditions the leave leaves it unread.
func consentFirstClause(s, ls string, parentWriter bool) domain.ConsentStatus {
	loc := consentYesRe.FindStringIndex(ls)
	if loc == nil {
		return domain.ConsentUnknown
	}
	rest := ls[loc[1]:]
	cut := -1
	for _, sep := range []string{", and ", ", but ", "; ", " and ", " but "} {
		if i := strings.Index(rest, sep); i >= 0 && (cut < 0 || i < cut) {
			cut = i
		}
	}
	if cut < 0 {
		return domain.ConsentUnknown
	}
	first, after := s[:loc[1]+cut], ls[loc[1]+cut:]
	if consentTakenBackRe.MatchString(after) || consentDontWantRe.MatchString(after) || consentCondRe.MatchString(after) {
		return domain.ConsentUnknown
	}
	if c := consentSentence(first, strings.ToLower(first), parentWriter); c == domain.ConsentGiven {
		return c
	}
	return domain.ConsentUnknown
}

// answerMarkerRe: the mark a writer types before an answer under a quoted question — ">> No not immediate", "GP: I
// have no information …", "A: Yes", "A4: No", "Answer - mum agreed", "[HV] No".
var answerMarkerRe = lazy(`^\s*(?:>{1,}\s*|\[?[A-Z]{1,4}\]?\s*[:\-–]\s*|\[[A-Z]{1,4}\]\s*|(?i:a|ans|answer|reply|response)\s*\d{0,2}\s*[.:\-–]\s*)`)

// questionNumberRe: a numbered question, "4. …", "4) …", "Q4: …", "Question 4 - …": group 1 the number, group 2 the
// question.
var questionNumberRe = lazy(`^\s*(?:(?i:q|question)\s*)?\(?(\d{1,2})[.):\-–]?\s+(.+?)\s*$`)

// answerLeadRe: an answer's first word (the answer typed on the next line with no mark: "No - dad has left").
var answerLeadRe = lazy(`(?i)^\s*(?:yes|no|none|not)\b`)

// answersUnder: a reply that types its answers under each quoted question rather than above them — "4. Do you
// consider the children are at risk of immediate harm?" / ">> No not immediate - dad moved out …", or "GP: I have no
// information to suggest …" under the question. Each numbered question the form reads as its immediate-harm or
// consent question is joined with the line that answers it, when that line is marked as an answer (">>", "GP:",
// "A:") or opens with Yes or No, so the form reads it as that question's answer. The text keeps its lines.
func answersUnder(text string) string {
	if !strings.Contains(text, "?") {
		return text
	}
	lines := strings.Split(text, "\n")
	changed := false
	for i, l := range lines {
		t := strings.TrimLeft(l, "> \t")
		if !strings.HasSuffix(strings.TrimSpace(t), "?") {
			continue
		}
		m := questionNumberRe.FindStringSubmatch(t)
		if m == nil {
			continue
		}
		switch lookupLabel(strings.TrimRight(m[2], "?")) {
		case fImmediate, fSafeNow, fConsent, fInformed, fConsentSought:
		default:
			continue
		}
		j := i + 1
		for j < len(lines) && strings.TrimSpace(strings.TrimLeft(lines[j], "> \t")) == "" && j-i <= 2 {
			j++
		}
		if j >= len(lines) {
			continue
		}
		a := lines[j]
		if questionNumberRe.MatchString(strings.TrimLeft(a, "> \t")) && !answerMarkerRe.MatchString(a) || strings.HasSuffix(strings.TrimSpace(a), "?") {
			continue // the next question, unanswered
		}
		if at := strings.TrimLeft(a, "> \t"); answerLeadRe.MatchString(at) && quoteDepth(a) >= quoteDepth(l) {
			a = at // "No - dad has left", ">> No not immediate"
		} else if mk := answerMarkerRe.FindStringIndex(a); mk != nil && mk[1] > 0 && strings.TrimSpace(a[:mk[1]]) != "" && deeperOrMarked(l, a[:mk[1]]) {
			a = a[mk[1]:] // "GP: I have no information to suggest …"
		} else {
			continue
		}
		a = strings.TrimSpace(a)
		if a == "" {
			continue
		}
		lines[i] = strings.TrimSpace(m[2]) + " " + a
		changed = true
	}
	if !changed {
		return text
	}
	return strings.Join(lines, "\n")
}

// deeperOrMarked: the answer's mark is a letter mark ("GP:"), or quote marks deeper than the question's (">>" under
// a question quoted once or not at all).
func deeperOrMarked(q, mark string) bool {
	if strings.TrimLeft(mark, "> \t") != "" {
		return true
	}
	return quoteDepth(mark) > quoteDepth(q)
}

// quoteDepth counts the '>' a line opens with.
func quoteDepth(l string) int {
	n := 0
	for _, r := range l {
		switch r {
		case '>':
			n++
		case ' ', '\t':
		default:
			return n
		}
	}
	return n
}

// runLabelRe: a form's long label run into its value where a PDF cell left no gap between them — "Immediate risk of
// harm to the childrenNo immediate risk identified", "Has the parent been informed / consented?Discussed with mother":
// a small letter, a question mark or a bracket straight before a capital that opens a word.
var runLabelRe = lazy(`[\p{Ll}?)][\p{Lu}][\p{Ll}\s]`)

// splitRunLabels puts a tab between an attached form's label and its value where the two ran together, when the
// words before the join are a label the form reads as the immediate-harm or consent question (never a name:
// "McDonald", "DeShawn").
func splitRunLabels(text string) string {
	if !strings.ContainsAny(text, "?") && !containsAny(strings.ToLower(text), []string{"immediate", "imminent", "consent", "harm", "agree", "informed"}) {
		return text
	}
	lines := strings.Split(text, "\n")
	changed := false
	for i, l := range lines {
		if strings.Contains(l, "\t") || len(l) < 20 {
			continue
		}
		for _, loc := range runLabelRe.FindAllStringIndex(l, 3) {
			label := l[:loc[0]+1]
			if len(strings.Fields(label)) < 3 {
				continue
			}
			switch lookupLabel(strings.TrimRight(label, "?")) {
			case fImmediate, fSafeNow, fConsent, fInformed, fConsentSought:
				lines[i] = label + "\t" + l[loc[0]+1:]
				changed = true
			}
			break
		}
	}
	if !changed {
		return text
	}
	return strings.Join(lines, "\n")
}

// unwrapLines joins the lines of an attached document's paragraph that its layout wrapped ("She agrees to the" /
// "referral and would like help"): a line that ends without a stop, followed by one that opens with a small letter,
// is one line. Used for reading an attachment's sentences (harm, consent), not its labelled fields.
func unwrapLines(text string) string {
	if !strings.Contains(text, "\n") {
		return text
	}
	var b strings.Builder
	b.Grow(len(text))
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		b.WriteString(l)
		if i == len(lines)-1 {
			break
		}
		t := strings.TrimRight(l, " \t")
		n := strings.TrimLeft(lines[i+1], " \t")
		if t != "" && n != "" && !strings.ContainsAny(t[len(t)-1:], ".!?:;") && n[0] >= 'a' && n[0] <= 'z' {
			b.WriteByte(' ')
			continue
		}
		b.WriteByte('\n')
	}
	return b.String()
}
