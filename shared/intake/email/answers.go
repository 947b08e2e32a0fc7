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
	harmNoRe = lazy(`(?i)\b(?:immediate|imminent)\s+(?:risk|danger|harm)\b[^.;]{0,30}?\b(?:assessed|judged|considered|deemed|graded|rated)\s+(?:to\s+be\s+|as\s+)?(?:none|no|nil)\b|(?:\b(?:not|no|neither|nor|none|never|nothing|unlikely|doubt)\b|n['’]t\b)[^.;]{0,40}\b(?:immediate|imminent)\s+(?:risk|danger|harm|(?:safeguarding|safety|protection)\s+(?:concerns?|issues?|risks?))|\bno\s+(?:\w+\s+)?concerns?\s+(?:about|for|regarding|over)\s+(?:her|his|their|the\s+\w+['’]s?|\w+['’]s)\s+immediate\s+safety\b|\b(?:immediate|imminent)\s+(?:risk|danger|harm)\s*(?:[:\-–—]\s*)?(?:none|no)\b|` +
		// "I don't think they are in danger right this minute", "im not in danger like right now", "not at risk tonight"
		`(?:\b(?:not|no|never|dont|doesnt|didnt|isnt|arent|wasnt|werent|cant|wont)\b|n['’]t\b)[^.;]{0,40}\b(?:in\s+(?:any\s+)?danger|at\s+(?:any\s+)?risk)\s+(?:\w+\s+)?(?:right\s+(?:now|this\s+(?:minute|moment|second))|this\s+(?:minute|moment|second|evening)|now|tonight|today|at\s+(?:the\s+moment|present)|currently|for\s+now)\b`)
	// harmProtectEndedRe: police protection or an order that has ended.
	harmProtectEndedRe = lazy(`(?i)\b(?:police\s+protection|pp|epo|emergency\s+protection\s+order)\s+(?:was\s+|has\s+been\s+|had\s+been\s+)?(?:ended|lifted|discharged|expired|rescinded|came\s+to\s+an\s+end|ceased)\b`)
	// harmNotUrgentRe: "I am not concerned about her immediate safety", "This is not an emergency".
	harmNotUrgentRe = lazy(`(?i)(?:\bnot|n['’]t)\s+(?:\w+\s+)?(?:concerned|worried)\s+(?:about|for)\s+(?:her|his|their|the\s+\w+['’]?s?|\w+['’]s)\s+immediate\s+(?:safety|welfare)\b|\b(?:this|it)\s+is\s*(?:not|n['’]t)\s+(?:an?\s+)?(?:emergency|urgent)\b`)
	// "the risk to Amy is not immediate"
	harmRiskNotImmediateRe = lazy(`(?i)\b(?:risk|danger|threat)\b[^.;,]{0,30}\b(?:is|are)\s*(?:not|n['’]t)\s+(?:\w+\s+)?(?:immediate|imminent)\b`)
	// harmNewClauseRe opens a clause with its own verb ("… and is at immediate risk", "… so Amy is in immediate
	// danger"): a negation before it is another clause's. "hurt and in immediate danger" shares the verb, so
	// the negation still reaches it.
	harmNewClauseRe = lazy(`(?i)\b(?:and|but|so|because|although|though|while|whereas)\s+(?:(?:\w+\s+)?(?:is|are|was|were|may|might|could|will|would|remains?)|i|we|she|he|they)\b`)
	// harmClauseBreakRe is where one clause gives way to another inside a sentence.
	harmClauseBreakRe = lazy(`(?i),|\b(?:and|but|so|because|although|though|while|whereas|however)\b`)
	harmYesRe         = lazy(`(?i)\b(?:immediate|imminent)\s+(?:risk|danger|harm)\b[^.;]{0,30}?\b(?:assessed|judged|considered|deemed|graded|rated)\s+(?:to\s+be\s+|as\s+)?(?:yes|present)\b|\b(?:at|in)\s+(?:immediate|imminent)\s+(?:risk|danger)\b|\b(?:immediate|imminent)\s+danger\b|\b(?:is|are|be|being)\s+(?:both\s+|all\s+|still\s+|now\s+|really\s+)?in\s+danger\b|\bin\s+danger\s+(?:now|tonight|today|right\s+now)\b|\bthere\s+(?:is|are)\s+(?:an?\s+)?(?:immediate|imminent)\s+risk\b|\bat\s+risk\s+of\s+(?:immediate|imminent)\s+(?:significant\s+)?harm\b|\bat\s+risk\s+of\s+(?:significant\s+)?harm\s+(?:today|tonight|now)\b|` +
		// "the risk to Amy is immediate", "at risk tonight", "concerned for her immediate safety", "nowhere to stay tonight"
		`\b(?:risk|danger|threat)\b[^.;,]{0,30}\b(?:is|are|remains)\s+(?:very\s+|now\s+)?(?:immediate|imminent)\b|\bat\s+risk\s+(?:tonight|today|right\s+now|this\s+evening)\b|` +
		`\b(?:concern(?:ed|s)?|worried)\s+(?:for|about|regarding)\s+(?:her|his|their|the\s+\w+['’]?s?|\w+['’]s)\s+immediate\s+(?:safety|welfare|wellbeing)\b|\bnowhere\s+(?:safe\s+)?to\s+(?:stay|sleep|go|live)\s+(?:\w+\s+)?(?:tonight|today)\b|` +
		// "Risk level: Immediate"
		`\brisk(?:\s+level)?\s*[:\-–]\s*(?:immediate|imminent)\b|` +
		// a threat for today: "he has threatened to kill her tonight"
		`\bthreat(?:ened|ening|ens)?\s+to\s+(?:kill|hurt|harm|stab|beat|attack|batter|strangle)\w*\s+(?:\w+\s+)?(?:tonight|today|this\s+evening|when\s+(?:i|she|he|they|we)\s+(?:gets?|goes?|go|get)\s+(?:back\s+)?home)\b|` +
		// harm foreseen for today: "I am worried he will hurt her tonight", "I'm scared he is going to hit me when I get home"
		`\b(?:worried|scared|afraid|frightened|fear|fears|feared|concerned|terrified)\s+(?:that\s+)?\w+\s+(?:will|['’]ll|is\s+going\s+to|['’]s\s+going\s+to|s\s+going\s+to)\s+(?:be\s+)?(?:hurt|harm|hit|kill|attack|assault|beat|stab|punch|strangle)\w*\s+(?:\w+\s+)?(?:tonight|today|this\s+evening|later\s+today|when\s+(?:i|she|he|they|we)\s+(?:gets?|goes?|go|get)\s+(?:back\s+)?home)\b|` +
		// hiding from the danger now: "im in my room with the door blocked and im scared to go out", "she is hiding in the bathroom"
		`\b(?:i['’]?m|im|i\s+am|is|are|['’]s|['’]re)\s+(?:currently\s+|now\s+|still\s+)?(?:hiding|barricaded)\s+(?:(?:herself|himself|themselves|myself)\s+)?(?:in|at|from|under|upstairs|behind)\b|\b(?:i['’]?m|im|i\s+am)\s+(?:too\s+|really\s+|so\s+)?(?:scared|frightened|terrified|afraid)\s+to\s+(?:go\s+out|come\s+out|leave\s+(?:my|the)\s+room|go\s+downstairs|open\s+the\s+door)\b`)
	// harmUnsafeRe carries its own negation: the sentence's "not" is what it says.
	harmUnsafeRe = lazy(`(?i)(?:\bnot|n['’]t)\s+(?:feel\s+|(?:think|believe)\s+(?:that\s+)?(?:she|he|they|it|the\s+\w+)\s+(?:is|are|would\s+be|will\s+be)\s+)?safe\s+(?:(?:for\s+(?:him|her|them)\s+)?to\s+(?:go|return)\s+home|going\s+home|returning\s+home|here|now|tonight|right\s+now|at\s+the\s+moment|at\s+home|in\s+the\s+(?:house|home|flat)|with\s+(?:him|dad|(?:her|his|their)\s+(?:dad|father|stepdad|stepfather)))\b|\b(?:frightened|scared|terrified|afraid)\s+(?:to\s+(?:go|return)|of\s+going)\s+home\b`)
	harmCalledRe = lazy(`(?i)\b(?:i|we)\s+(?:(?:have|'ve|’ve)\s+(?:just\s+|also\s+|now\s+|already\s+|immediately\s+)?|just\s+|immediately\s+)(?:called|rung|rang|phoned|telephoned|dialled|contacted)\s+(?:the\s+)?(?:999|police|mash)\b|` +
		// "I have made a 999 call", "we've just made an emergency call to the police"
		`\b(?:i|we)\s+(?:have|'ve|’ve)\s+(?:just\s+|also\s+|now\s+|already\s+)?made\s+(?:a\s+999|an\s+emergency)\s+call\b|` +
		// a call made today: "I phoned 999 this morning as he was at the door", "we rang the police an hour ago"
		`\b(?:i|we)\s+(?:called|rang|phoned|telephoned|dialled)\s+(?:the\s+)?(?:999|police)\s+(?:\w+\s+){0,2}?(?:this\s+(?:morning|afternoon|evening)|today|tonight|an?\s+hour\s+ago|just\s+now|earlier\s+today|(?:a\s+few\s+|\d+\s+)?minutes\s+ago)\b`)
	harmProtectRe = lazy(`(?i)\b(?:taken|placed)\s+(?:in(?:to)?\s+)?police\s+protection\b|\bunder\s+police\s+protection\b|\b(?:is|are|remains?|currently)\s+(?:in|under)\s+police\s+protection\b|\bpolice\s+protection\s+(?:powers\s+)?(?:(?:was|were|has\s+been|have\s+been)\s+)?(?:already\s+|now\s+|just\s+)?(?:used|invoked|taken|exercised|in\s+place)\b|\bemergency\s+protection\s+order\b|\b(?:taken|removed)\s+to\s+(?:a\s+)?place\s+of\s+safety\b`)
	harmHedgeRe   = lazy(`(?i)\b(?:not\s+sure|unsure|unclear|whether|rule\s+out|unless|where\s+(?:there|you|a|an|any|it|possible|appropriate|necessary|needed|required)|whenever|in\s+an\s+emergency|in\s+case|(?:a|any)\s+(?:child|young\s+person|person)|would\s+be|could\s+become|may\s+become|do\s+not\s+know|don['’]t\s+know|consultation|advice|advised|previously|last\s+(?:week|month|year|time)|in\s+the\s+past|no\s+longer|(?:has|have)\s+passed|(?:was|were|has\s+been|have\s+been)\s+removed|` +
		// a year gone by or a childhood episode ("In 2024 she was placed in police protection", "two years ago",
		// "when he was a baby"); a policy, training or guidance about children in general
		`(?:in|during|since|back\s+in)\s+(?:19|20)\d\d|(?:years?|months?)\s+ago|when\s+(?:she|he|they)\s+(?:was|were)\s+(?:younger|little|small|a\s+baby|a\s+toddler|\d{1,2})|` +
		`training|policy|policies|procedures?|guidance|protocol|leaflet|poster|recognis\w*|recogniz\w*|` +
		// a danger foreseen for later, not now: "Dad is back next week; Leo may be in danger then"
		`next\s+(?:week|month|year|term)|in\s+(?:the\s+)?future|later\s+(?:this|in\s+the)\s+(?:week|month|year))\b`)
	// harmSafeRe: the child said to be safe now, or seen safe and well (police's words): no immediate harm —
	// only when the one said to be safe is the writer ("I'm safe tonight") or the child (safeSubject).
	harmSafeRe       = lazy(`(?i)\b(?:i['’]?m|i\s+am|is|are|was|were|['’]s|['’]re)\s+(?:seen\s+|both\s+|all\s+|now\s+|currently\s+)?safe(?:\s+and\s+well\b|\b[^.;,]{0,30}?\b(?:tonight|today|now|at\s+the\s+moment|currently)\b)|\b(?:i['’]?m|i\s+am|is|are)\s+(?:currently|now)\s+safe\b`)
	harmCallBeforeRe = lazy(`(?i)^\W*(?:\w+\W+){0,3}?before\b(?:\s*$|\s+(?:about|over|for|when|regarding|now)\b)`)
	harmPastBefore   = lazy(`(?i)\b(?:was|were|had\s+been)\s+(?:\w+\s+)?$`)
	harmNegBefore    = lazy(`(?i)(?:\b(?:not|no|never|nor|neither|nothing|unlikely|doubt|dont|doesnt|didnt|isnt|arent|wasnt|werent|cant|wont)\b|n['’]t\b)`)
	consentNotRe     = lazy(`(?i)\bconsent\b[^.]{0,20}\bnot (?:been )?(?:sought|obtained|asked)|\bnot (?:sought|asked for|obtained)\b[^.]{0,25}\bconsent|\bhave not sought\b|` +
		// the family not yet told of the referral: "We have not spoken to parents about this referral", "I have not discussed the referral with mum", "Dad has not been told about the referral"
		`\b(?:have|has)\s*(?:not|n['’]t)\s+(?:yet\s+)?(?:spoken|talked|discussed|shared)\b[^.]{0,30}\b(?:(?:this|the|our|a|my)\s+referral|(?:contacting|emailing|calling|referring\s+to)\s+(?:you|the\s+mash|mash|children['’]?s\s+services|social\s+care))\b|` +
		// "I have not told mum I am contacting you", "we haven't informed the parents that we are referring"
		`\b(?:have|has|did)\s*(?:not|n['’]t)\s+(?:yet\s+)?(?:told|tell|informed|inform)\s+(?:the\s+|her\s+|his\s+|their\s+)?(?:mum|mother|dad|father|parents?|carers?|family|grandparents?|aunt|uncle)\b[^.]{0,20}\b(?:contacting|referring|emailing|calling|writing\s+to)\b|` +
		// "Parents have not been informed due to the risk", "Mum does not know about this referral"
		`\b(?:parents?|mum|mother|dad|father|family|carers?)\s+(?:(?:has|have)\s*(?:not|n['’]t)\s+(?:yet\s+)?been|not(?:\s+yet)?(?:\s+been)?)\s+(?:informed|told|made\s+aware|spoken\s+to|contacted|asked)(?:\s+(?:of|about)\s+(?:this|the|our|my)\s+referral)?\s*(?:$|,|[-–—(]|\b(?:due|as|because|at\s+this|yet|given|since|for\s+fear)\b)|` +
		// "Parents are not aware as it would put Amy at risk"
		`\b(?:parents?|mum|mother|dad|father|family|carers?)\s+(?:is|are)\s+(?:not\s+|un)aware(?:\s+(?:of|about)\s+(?:this|the|our|my)\s+referral)?\s*(?:$|,|[-–—(]|\b(?:due|as|because|yet|given|since|for\s+fear)\b)|` +
		// "We have not spoken to parents yet as Ellis asked us to wait", "I haven't asked her mum about making this referral"
		`\b(?:have|has|did)\s*(?:not|n['’]t)\s+(?:yet\s+)?(?:spoken|talked)\s+(?:to|with)\s+(?:the\s+|her\s+|his\s+|their\s+)?(?:mum|mother|dad|father|parents?|carers?|family)(?:\s+yet)?\s*(?:$|,|[-–—(]|\b(?:due|as|because|yet|given|since|for\s+fear|until|before)\b)|` +
		`\b(?:have|has|did)\s*(?:not|n['’]t)\s+(?:yet\s+)?asked\s+(?:\w+\s+){0,3}?(?:about|regarding)\s+(?:making\s+)?(?:a|the|this|our|my|any)\s+referral\b|` +
		`\bconsent\b[^.]{0,20}\b(?:is|was)?\s*not\s+(?:required|needed|necessary)\b|` +
		// "I have not asked her mother's permission", "I've not told his mum - he begged me not to", "I haven't said anything to her parents because …"
		`\b(?:have|has|did|['’]ve)\s*(?:not|n['’]t)\s+(?:yet\s+)?(?:asked|sought|got|obtained)\s+(?:\w+['’]?s?\s+){0,3}?(?:permission|agreement)\b|` +
		`\b(?:have|has|did|['’]ve)\s*(?:not|n['’]t)\s+(?:yet\s+)?(?:told|informed|said\s+anything\s+to|mentioned\s+(?:this|it|anything)\s+to|spoken\s+to|talked\s+to)\s+(?:the\s+|her\s+|his\s+|their\s+)?(?:mum|mother|dad|father|parents?|carers?|family)(?:\s+yet)?\s*(?:$|[-–—(]|\b(?:due|as|because|yet|given|since|for\s+fear|until|before)\b)|` +
		// "I did not seek consent", "we have not gained consent from dad"
		`\b(?:did|have|has)\s*(?:not|n['’]t)\s+(?:yet\s+)?(?:seek|sought|ask(?:ed)?\s+for|obtain(?:ed)?|gain(?:ed)?|get|got|gotten|request(?:ed)?)\s+(?:\w+\s+){0,2}?consent\b|` +
		// "Parents are unaware of this referral", "Mum does not know that I am writing to you"
		`\b(?:is|are)\s+(?:unaware|not\s+aware)\s+(?:of|about)\s+(?:this|the|our|my)\s+referral\b|\b(?:does|do)\s*(?:not|n['’]t)\s+know\s+(?:that\s+)?(?:i|we)\s*(?:am|are|have|['’]m|['’]ve|['’]re)\s+(?:writing|contacting|emailing|referring|made|making|calling|been\s+in\s+touch)\b|` +
		`\b(?:does|do)\s*(?:not|n['’]t)\s+know\s+(?:about\s+)?(?:this|the|our|my)\s+referral\b|` +
		// "I didn't get the chance to ask her about contacting you", "we did not ask mum about the referral"
		`\b(?:did|have|has|had)\s*(?:not|n['’]t)\s+(?:yet\s+)?(?:(?:get|got|have|had)\s+(?:the|a|any)\s+chance\s+to\s+)?ask(?:ed)?\s+(?:\w+\s+){0,3}?(?:about|for|regarding)\s+(?:contacting\s+(?:you|the\s+mash|mash|social\s+care)|referring|making\s+(?:a|the|this)\s+referral|(?:this|the|a|my|our)\s+referral|consent)\b|` +
		// "I have not asked her mother for consent"
		`\b(?:have|has|did)\s*(?:not|n['’]t)\s+(?:yet\s+)?ask(?:ed)?\s+(?:\w+\s+){0,3}for\s+(?:their\s+|her\s+|his\s+)?consent\b|\b(?:have|has)\s*(?:not|n['’]t)\s+(?:yet\s+)?(?:been\s+)?(?:told|informed|made\s+aware)\s+(?:of|about)\s+(?:this|the|our|my)\s+referral\b`)
	// consentNoneRe: "without consent", "there is no consent" — not sought, unless the sentence says the family
	// does not want it (consentDontWantRe): then refused.
	consentNoneRe     = lazy(`(?i)\b(?:without|no) (?:parental |their |the family'?s? )?consent\b`)
	consentDontWantRe = lazy(`(?i)\b(?:does|do|did)\s*(?:not|n['’]t)\s+want\s+(?:social\s+(?:care|services|workers?)|children['’]?s\s+(?:services|social\s+care)|(?:a|the|this|any)\s+referral|(?:us|me|anyone)\s+to\s+(?:refer|make\s+(?:a|the|this)\s+referral))`)
	consentRefRe      = lazy(`(?i)\b(?:refused|declined|withheld|withdrew|withdrawn)\b[^.]{0,25}\b(?:consent|referral)|\b(?:refused|refuses|declined|declines)\s+to\s+(?:let|allow)\s+(?:me|us)\s+(?:to\s+)?(?:refer|share|contact\s+(?:you|social|children)|make\s+(?:a|the|this)\s+referral)|\bconsent\b[^.]{0,25}\b(?:refused|declined|withheld|withdrawn)\b`)
	consentYesRe      = lazy(`(?i)\b(?:consent(?:s|ed)?|agreed|agrees|in agreement)\b[^.]{0,25}\b(?:to|with) (?:(?:this|the|a|our|my) )?referral|\bconsent(?:\s+(?:for|to)\s+(?:the\s+)?(?:this\s+)?(?:referral|information\s+sharing|sharing(?:\s+information)?|share\s+information|us\s+to\s+share|me\s+to\s+share))?(?:\s+(?:from|by)\s+(?:the\s+)?\w+)?\s+(?:was|were|has\s+been|have\s+been)\s+(?:given|obtained|granted)\b|\b(?:gave|given|give|giving|obtained|have|has) (?:verbal |written |their |her |his |my |our )?consent\b|\b(?:consent(?:s|ed)?|agreed|agrees)\s+to\s+(?:(?:the|this|her|his|their|my|our)\s+)?(?:information|details|data|concerns)?\s*(?:being\s+)?shar(?:ed|ing|e)\b|\bconsent\s+(?:was\s+|has\s+been\s+|is\s+)?(?:verbally\s+|already\s+|also\s+|now\s+)?(?:given|obtained|granted)\b|\bsigned\s+(?:the\s+|a\s+|our\s+)?(?:consent|data[- ]sharing|information[- ]sharing)(?:\s+(?:form|declaration|agreement))?\b|\bwe have consent\b|\b(?:mum|dad|mother|father|parents?|carers?|client|family|young\s+person|yp|patient|applicant)\b[^.]{0,45}\b(?:consent(?:s|ed)?|agree[ds]?|(?:is|are)\s+in\s+agreement|supportive\s+of\s+(?:the|this|a|our|my)\s+referral)\b|\b(?:mum|dad|parents?)\b[^.]{0,10}\bdid consent\b|\baware of (?:this|the|our|my) referral and (?:agrees?|consents?|is happy|are happy|has agreed|have agreed)\b`)
	// consentWithRe: "with mum's consent", "with parental agreement" — consent to whatever the sentence does, which
	// is this referral only when the sentence speaks of referring or sharing ("I am making this referral with mum's
	// consent"); "placed under a Section 20 with mum's agreement", "removed his phone with his agreement" is leave
	// for something else.
	consentWithRe = lazy(`(?i)\bwith\s+(?:the\s+)?(?:full\s+|verbal\s+|written\s+)?(?:mum|mother|dad|father|parent|parental|family|carer|her|his|their|the\s+family)(?:['’]s|s['’])?\s+(?:full\s+|verbal\s+|written\s+)?(?:consent|agreement|permission|knowledge\s+and\s+(?:consent|agreement))\b`)
	negationRe    = lazy(`(?i)\b(?:not|never|no|without|refus\w*|declin\w*)\b|n['’]t\b`)
	sentenceSplit = lazy(`[.!?\n]+`)
)

// harmOtherRiskRe: an immediate risk of something other than harm to the child, or to someone else, or danger
// spoken of as what a service is for.
var harmOtherRiskRe = lazy(`(?i)\b(?:immediate|imminent)\s+(?:risk|danger)\s+of\s+(?:eviction|exclusion|being\s+(?:evicted|excluded)|collapse|fire|flooding|homelessness|losing|closure|prosecution|arrest|breach|debt|disconnection|relapse|breakdown)\b|\b(?:immediate|imminent)\s+(?:risk|danger)\s+to\s+(?:staff|the\s+worker|workers|professionals|others|the\s+public|neighbours|property|the\s+property|visitors|officers|the\s+tenancy)\b|\b(?:is|are)\s+(?:only\s+)?for\s+(?:children|young\s+people|anyone|people|those)\b`)

// harmWords: a sentence that holds none of these says nothing about immediate harm (a cheap pre-check: most
// sentences hold none).
var harmWords = []string{"immediate", "imminent", "danger", "safe", "harm", "home", "999", "police", "mash", "protection", "place of safety", "at risk", "nowhere", "threat", "risk to", "emergency", "risk:", "risk level", "tonight", "overnight", "ok ", "okay", "fine", "alright", "all right", "hiding", "barricaded", "scared", "frightened", "terrified", "afraid"}

// proseHarm reads immediate harm said in sentences; known is false when nothing is said, or when the text
// says both yes and no.
func proseHarm(text string) (yes, known bool) {
	if !containsAny(strings.ToLower(text), harmWords) {
		return false, false
	}
	sawYes, sawNo := false, false
	question := ""
	for rest := text; rest != ""; {
		i := strings.IndexAny(rest, ".!?\n")
		s, term := rest, byte(0)
		if i >= 0 {
			s, term, rest = rest[:i], rest[i], rest[i+1:]
		} else {
			rest = ""
		}
		asked := question
		question = ""
		if term == '?' {
			if harmQuestionWord(strings.TrimLeft(s, " \t>*-•")) {
				question = s // answered, perhaps, by the next sentence
			}
			continue // a question asks; it does not answer
		}
		if strings.TrimSpace(s) == "" && asked != "" {
			question = asked // the answer on the line after the question
			continue
		}
		if asked != "" {
			if says, ok := harmAnsweredAfterQuestion(asked, s); ok {
				sawYes, sawNo = sawYes || says == harmSaysYes, sawNo || says == harmSaysNo
				continue
			}
		}
		if len(s) < 8 {
			continue
		}
		switch harmSentence(s) {
		case harmSaysYes:
			sawYes = true
		case harmSaysNo:
			sawNo = true
		case harmSaysBoth:
			sawYes, sawNo = true, true
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
	harmSaysBoth // "police protection ended this morning": it was used, and is over — the screener reads it
)

// harmAskedAnswerRe: a question told in the writer's words and answered at once ("You will ask me if they are in
// danger tonight – no, …", "you asked whether she is safe tonight, yes"): group 1 the question, group 2 the answer.
var harmAskedAnswerRe = lazy(`(?i)\b(?:ask(?:s|ed|ing)?|wonder(?:s|ed|ing)?|want(?:s|ed)?\s+to\s+know)\s+(?:me\s+|us\s+|you\s+)?(?:if|whether)\s+([^–—?]{3,120}?)\s*(?:\?\s*|[–—]\s*|\s-\s*|,\s*)(yes|no)\b`)

// harmIndirectQRe: the words before a danger put it as a question ("she asked me if she is …").
var harmIndirectQRe = lazy(`(?i)\b(?:ask(?:s|ed|ing)?|wonder(?:s|ed|ing)?|want(?:s|ed)?\s+to\s+know)\s+(?:me\s+|us\s+|you\s+)?(?:if|whether)\b`)

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
		if end := pos + loc[1]; end >= 2 && strings.EqualFold(s[end-2:end], "no") && noIdeaRe.MatchString(s[end-2:]) {
			pos += loc[0] + 1 // "Immediate risk: No information" answers nothing
			continue
		}
		if !harmClauseBreakRe.MatchString(s[pos+loc[0]:pos+loc[1]]) && !adultsRisk(s[:pos+loc[0]], s[pos+loc[1]:]) {
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
	if harmProtectEndedRe.MatchString(s) {
		return harmSaysBoth
	}
	if says, ok := harmBareQuestion(s); ok {
		return says // "Is he in immediate danger - not while he's with us, no"
	}
	if m := harmAskedAnswerRe.FindStringSubmatchIndex(s); m != nil {
		// "You will ask me if they are in danger tonight – no, we are at my sister's": the question told, then
		// its answer; a question about safety is the other way round ("… whether she is safe tonight? No")
		q, yes := s[m[2]:m[3]], strings.EqualFold(s[m[4]:m[5]], "yes")
		switch qs := harmSentence(q); {
		case qs == harmSaysNo && strings.Contains(strings.ToLower(q), "safe"):
			yes = !yes // "whether she is safe tonight – no"
		case qs != harmSaysYes:
			return harmSilent
		}
		if yes {
			return harmSaysYes
		}
		return harmSaysNo
	}
	if (strings.Contains(l, "immediate") || strings.Contains(l, "imminent") || strings.Contains(l, "is for ") || strings.Contains(l, "are for ")) && harmOtherRiskRe.MatchString(s) {
		return harmSilent // "no immediate risk of eviction", "no immediate risk to staff", "the MASH line is for children in immediate danger"
	}
	if says, ok := harmSentence11(s); ok {
		return says // the eleventh round's shapes (answers11.go)
	}
	if harmHedged(s) {
		if says, ok := harmRiskIfHome(s); ok {
			return says // "he is at risk of immediate harm if he goes home"
		}
		if says, ok := harmReasonSplit(s); ok {
			return says // "… not at immediate risk at present, as he may not have contact with any child"
		}
		if says, ok := harmAfterIf(s); ok {
			return says // "… if he doesn't pay by tonight, and he's too scared to go home"
		}
		// a hedge after "but" does not take back what the first clause says: "there is no immediate risk to
		// the children, as their father has moved back in, but I would be grateful for an assessment"
		if i := strings.Index(l, " but "); i > 0 && containsAny(l[:i], harmWords) && !harmHedged(s[:i]) && !harmCaveatRe.MatchString(s[i:]) {
			return harmSentence(s[:i])
		}
		return harmSilent
	}
	if harmSaysNoHere(s) || harmRiskNotImmediateRe.MatchString(s) || harmNotUrgentRe.MatchString(s) {
		return harmSaysNo
	}
	if loc := harmUnsafeRe.FindStringIndex(s); loc != nil && !adultsRisk(s[:loc[0]], s[loc[1]:]) {
		return harmSaysYes // never "Mum is not safe with him"
	}
	if loc := harmUnsafe10Re.FindStringIndex(s); loc != nil && !adultsRisk(s[:loc[0]], s[loc[1]:]) {
		return harmSaysYes // "im not going home tonite its not safe"
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
			case i == 0 && adultsRisk(s[:loc[0]], s[loc[1]:]): // "the victim is in immediate danger"
			case harmIndirectQRe.MatchString(before): // "She asked me if she is in danger tonight" asks
			case i == 1 && harmCallBeforeRe.MatchString(s[loc[1]:]): // "we have called the police before"
			default:
				return harmSaysYes
			}
		}
	}
	if harmAwayNow(s) {
		return harmSaysNo
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
		if !firstPerson && !safeSubject(s[:loc[0]]) && !lastWordIs(s[:loc[0]], "they") {
			continue // "Mum is safe now", "she is safe tonight": perhaps the adult victim, not the child
		}
		if harmCaveatRe.MatchString(s[loc[1]:]) {
			continue // "the children are safe tonight but he knows where they are"
		}
		return harmSaysNo
	}
	return harmSilent
}

// adultsRisk: the risk a sentence speaks of is an adult's — the clause's subject is the victim or a parent
// ("Victim is not at immediate risk as the suspect is in custody", "Mum is in immediate danger"), or the risk is
// said to be to one ("no immediate risk to the victim") — and no child is named with them ("no immediate risk to
// mum or the children" is the children's too). The police's words about the adult victim are not the child's
// answer: nothing is read from them.
func adultsRisk(before, after string) bool {
	clause := strings.ToLower(clauseBefore(before))
	if containsAny(clause, childRiskWords) {
		return false
	}
	if adultRiskWordsRe.MatchString(clause) {
		return true
	}
	if m := riskToAdultRe.FindStringIndex(after); m != nil {
		rest := strings.ToLower(after[m[1]:])
		if i := strings.IndexAny(rest, ".;,"); i >= 0 {
			rest = rest[:i]
		}
		return !containsAny(rest, childRiskWords)
	}
	return false
}

// childRiskWords: a child named with the adult ("mum and the children").
var childRiskWords = []string{"child", "kid", "boy", "girl", "baby", "son", "daughter", "sibling", "young person", "pupil", "infant", "toddler", "twins", "unborn"}

var (
	// adultRiskWordsRe: the clause's subject is an adult: "Victim is", "Mum is", "the aggrieved remains", "Victim
	// (at immediate risk)".
	adultRiskWordsRe = lazy(`(?i)\b(?:victim|aggrieved|mum|mother|dad|father|partner|adult|adults|parents?)(?:['’]s)?\s*(?:(?:is|are|was|were|remains?|feels?|may\s+be|might\s+be|could\s+be|would\s+be|to\s+be|currently|now|not|isn['’]?t|aren['’]?t)\b[^,;]*)?$`)
	// riskToAdultRe: "… to the victim", "… to mum", "… for the mother" just after the risk.
	riskToAdultRe = lazy(`(?i)^\s*(?:to|for)\s+(?:the\s+|her\s+|his\s+)?(?:victim|aggrieved|mum|mother|dad|father|partner|adults?)\b`)
)

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
// negation in it does not count). The first sentence that says wins: the newest message of a reply speaks
// first. A question asks, it does not answer ("Have the family consented?").
func proseConsent(text string) domain.ConsentStatus {
	l := strings.ToLower(text)
	if !containsAny(l, consentKeys) {
		return domain.ConsentUnknown // a cheap check first: most emails hold none of these
	}
	parentWriter := parentWriterRe.MatchString(text)
	familyWriter := parentWriter || familyWriterRe.MatchString(text) || youngWriterRe.MatchString(text)
	sameLen := len(l) == len(text) // each sentence's lower case is then a slice of l (no copy a sentence)
	prev := ""
	for pos := 0; pos < len(text); {
		end := len(text)
		if i := strings.IndexAny(text[pos:], ".!?;\n"); i >= 0 {
			end = pos + i
		}
		s, start := text[pos:end], pos
		pos = end + 1
		before := prev
		if strings.TrimSpace(s) != "" {
			prev = s
		}
		if end < len(text) && text[end] == '?' {
			continue // a question asks; it does not answer
		}
		ls := ""
		if sameLen {
			ls = l[start:end]
		} else {
			ls = strings.ToLower(s)
		}
		if !containsAny(ls, consentKeys) {
			continue
		}
		if (youngLeave(text, ls) || strings.Contains(ls, "asked") && leaveInClause(consentWriteToYouRe, ls)) && !professionalAntecedent(ls, before) {
			return domain.ConsentGiven // "im ok with you sharing this", "Her English is not strong and she asked me to write to you"
		}
		if c := consentSentence(s, ls, parentWriter); c != domain.ConsentUnknown {
			if c == domain.ConsentGiven && professionalAntecedent(ls, before) {
				continue // "… our DSL, who is on a course today. She asked me to send it to you"
			}
			return c
		}
		if c := consent11(s, ls, parentWriter, familyWriter); c != domain.ConsentUnknown && !(c == domain.ConsentGiven && professionalAntecedent(ls, before)) {
			return c // the eleventh round's shapes (answers11.go)
		}
	}
	return domain.ConsentUnknown
}

// consentKeys: a sentence without one of these says nothing about consent.
var consentKeys = []string{"consent", "agree", "refus", "declin", "aware", "happy", "asked", "said no", "said yes",
	"informed", "told", "spoken", "discussed", "talked", "know", "permission", "object", "want", "willing", "content for",
	" ok", "okay", "fine", "supportive", "object", "signed", "against", "seek", "sought", "gained", "overrid", "said anything", "mentioned",
	"unable", "contactable", "could not", "couldn't", "couldnt", " able to", " mind", "begged", "pleaded", "urged",
	"ask her", "ask him", "ask them", "ask mum", "ask dad", "ask the", "chance to", "opportunity to", "time to ask",
	"contacted", "approached", "discuss", "can tell", "sharing", "said i c", "said we c", "said that i c", "said that we c", "requested", "asked for", "wants a referral", "want a referral", "fit state", "no state", "too drunk", "too intoxicated", "too unwell", "too distressed", "too upset", "too ill", "too high"}

// consentSentence reads one sentence (ls is s in lower case).
func consentSentence(s, ls string, parentWriter bool) domain.ConsentStatus {
	negated := strings.Contains(ls, "not") || strings.Contains(ls, "n't") || strings.Contains(ls, "n’t") || strings.Contains(ls, "nt ")
	if m := consentAskedRe.FindStringSubmatch(ls); m != nil {
		// "I asked whether I could share my concerns … and she said no"
		if m[1] == "no" {
			return domain.ConsentRefused
		}
		return domain.ConsentGiven
	}
	if c, shaped := consentToldAnswered(s); shaped {
		return c // "I told her I'd need to pass this on and she said ok"; "… I would contact the GP and she said yes" is not leave
	}
	if consentRequestRe.MatchString(ls) || consentInstructionRe.MatchString(ls) {
		return domain.ConsentUnknown // a request to say, not an answer: "please confirm whether the parents have given consent"
	}
	if m := consentForToRe.FindStringSubmatch(ls); m != nil && !agreedToThis(m[1]) && !containsAny(m[1], []string{"speak", "talk", "inform", "you to", "us to", "me to"}) {
		return domain.ConsentUnknown // "Dad gave consent for Leo to attend the club": leave for something else
	}
	if consentToTellingRe.MatchString(ls) {
		return domain.ConsentUnknown // "Leo does not consent to his parents being told": about telling someone, not the referral
	}
	if consentGuidanceRe.MatchString(ls) || consentCondRe.MatchString(ls) || consentHypotheticalRe.MatchString(ls) {
		return domain.ConsentUnknown // a form's or a disclaimer's rule, a condition, what someone would say if asked
	}
	if loc := consentSubjectRe.FindStringIndex(ls); loc != nil && consentNotParentRe.MatchString(ls[:loc[0]]) {
		return domain.ConsentUnknown // "Mum's partner agreed to the referral", "the suspect does not want social services"
	}
	c := consentSaid(s, ls, negated, parentWriter)
	if (c == domain.ConsentGiven || c == domain.ConsentRefused) && consentHedged(ls, c) {
		return domain.ConsentUnknown // "Mum may agree to the referral", "I think dad would refuse"
	}
	if c == domain.ConsentRefused && (givenUndenied(neutraliseRefusals(ls)) || strings.Contains(ls, "yes")) {
		return domain.ConsentUnknown // "Dad refused consent but mum agreed", "Consent: yes from mum, dad refused": both said
	}
	if c == domain.ConsentUnknown && consentUnreachableRe.MatchString(ls) &&
		containsAny(ls, []string{"consent", "referral", "refer", "sending this", "contacting you", "permission"}) {
		return domain.ConsentNotSought // "Parents could not be contacted to ask for consent"
	}
	if c == domain.ConsentUnknown && negated && consentNotSought10(ls) {
		return domain.ConsentNotSought // "I have not contacted Ellie's parents"
	}
	if c == domain.ConsentUnknown && consentNotFitRe.MatchString(ls) && consentNotSought10(ls) {
		return domain.ConsentNotSought // "mum was in no state to be asked about consent"
	}
	return c
}

// consentSaid reads what one sentence says of consent, its guidance, conditions and hedges aside.
func consentSaid(s, ls string, negated, parentWriter bool) domain.ConsentStatus {
	if consentNoObjectionRe.MatchString(ls) && containsAny(ls, []string{"refer", "shar", "mash", "social", "contact"}) {
		return domain.ConsentGiven // "Parents have no objection to the referral"
	}
	if strings.Contains(ls, "victim") && !containsAny(ls, []string{"mash", "child", "social care", "social services", "this referral", "the referral"}) {
		return domain.ConsentUnknown // "Victim consents to information being shared with partner agencies": about her
	}
	if consentAskedNotToRe.MatchString(ls) {
		return domain.ConsentRefused // "Mum begged me not to refer"
	}
	if consentDontMindRe.MatchString(ls) && (containsAny(ls, contactedWords) || strings.Contains(ls, "me referring") || strings.Contains(ls, "us referring")) &&
		containsAny(ls, []string{"mum", "dad", "mother", "father", "parent", "carer", "family", "she ", "he ", "they "}) && !otherAgreement(ls) {
		return domain.ConsentGiven // "Mum knows I'm referring and doesn't mind"
	}
	ns, nls := neutraliseRefusals(s), neutraliseRefusals(ls)
	if nls != ls {
		// a refusal of something else, denied, foreseen or past: read nothing but what else the sentence says of
		// asking — never consent from what is left ("Mum refused consent last time" is no leave)
		if c := consentRead(ns, nls, negated, parentWriter); c != domain.ConsentGiven {
			return c
		}
		return domain.ConsentUnknown
	}
	return consentRead(s, ls, negated, parentWriter)
}

// consentRead reads a sentence's consent once its refusals of other things are set aside.
func consentRead(s, ls string, negated, parentWriter bool) domain.ConsentStatus {
	if consentOtherRe.MatchString(ls) {
		return domain.ConsentUnknown // consent to something else: sex, photos, treatment
	}
	switch {
	case consentRefRe.MatchString(ls): // "consent not obtained - mum declined": refused, not unasked
		return domain.ConsentRefused
	case consentNotHappyRe.MatchString(ls): // "Mum was not happy for me to refer"
		return domain.ConsentRefused
	case consentObjectRe.MatchString(ls):
		return domain.ConsentRefused // "Mum objected to the referral"
	case consentNotAgreeRe.MatchString(ls) && containsAny(ls, []string{"consent", "refer", "shar", "social", "aware"}):
		return domain.ConsentRefused // "Mum informed - does NOT agree", "dad does not consent to the referral"
	case (negated || strings.Contains(ls, "unaware")) && consentNotRe.MatchString(ls):
		return domain.ConsentNotSought
	case consentNoChanceRe.MatchString(ls):
		return domain.ConsentNotSought // "I didn't get the chance to ask her about contacting you"
	case negated && consentNotAskedRe.MatchString(ls) && containsAny(ls, []string{"referral", "refer", "consent", "permission", "contacting you", "contact you"}):
		return domain.ConsentNotSought // "… before making this referral, so we have not asked them"
	case consentNoneRe.MatchString(ls) && consentDontWantRe.MatchString(ls):
		return domain.ConsentRefused // "mum does not want social care involved, so there is no consent"
	case consentNoneRe.MatchString(ls):
		return domain.ConsentNotSought
	case consentDontWantRe.MatchString(ls):
		return domain.ConsentRefused // "Mum does not want social services involved"
	case consentYesRe.MatchString(ls) && !negationRe.MatchString(ls) && !otherAgreement(ls):
		return domain.ConsentGiven
	case consentAgreedToMeRe.MatchString(ls) && !negationRe.MatchString(ls) && !otherAgreement(ls):
		return domain.ConsentGiven
	case consentWithRe.MatchString(ls) && !negationRe.MatchString(ls) && !otherAgreement(ls) &&
		containsAny(ls, []string{"refer", "shar", "contact", "mash", "social care", "social services", "children's services", "email", "writing to",
			"sending this", "passing this", "passing on", "letting you know", "telling you", "raising this", "raising these", "this information", "these concerns"}):
		return domain.ConsentGiven
	}
	if permissionGiven(s, ls, parentWriter) {
		return domain.ConsentGiven
	}
	if m := consentAgreesForRe.FindStringSubmatchIndex(ls); m != nil && !negated && ls[m[2]:m[3]] != "me" && ls[m[2]:m[3]] != "us" &&
		containsAny(ls[:m[0]], []string{"mum", "dad", "mother", "father", "parent", "carer", "family", "she ", "he ", "they "}) {
		return domain.ConsentGiven // "she agrees for you to contact her" (never the writer's "happy for you to contact me")
	}
	if (consentGiven9(ls) || consentGiven10(ls)) && !negationRe.MatchString(ls) && !otherAgreement(ls) {
		return domain.ConsentGiven // "Consent gained from mum", "Dad knows I'm emailing and is fine with it"
	}
	if !negated && discussedThenAgreedRe.MatchString(ls) && !otherAgreement(ls) {
		return domain.ConsentGiven // "I have discussed this referral with Ms Mills and she is in agreement"
	}
	if !negated && containsAny(ls, contactedWords) && (consentOkWithItRe.MatchString(ls) || consentSaidFineRe.MatchString(ls)) && !otherAgreement(ls) &&
		containsAny(ls, []string{"mum", "dad", "mother", "father", "parent", "carer", "family", "she ", "he ", "they "}) {
		return domain.ConsentGiven // "Mum knows I am making this referral and is OK with it"
	}
	return domain.ConsentUnknown
}

var (
	// consentGuidanceRe: a rule about consent rather than this family's answer — a form's guidance, a
	// disclaimer, MASH's auto-reply ("Please ensure that consent has been obtained", "we cannot accept referrals
	// without parental consent unless …", "consent should be sought unless …", "shared without consent only where …").
	consentGuidanceRe = lazy(`(?i)\b(?:please\s+(?:ensure|make\s+sure|remember)|you\s+(?:should|must|will\s+need\s+to)|should\s+(?:always\s+|still\s+|only\s+|normally\s+)?be\s+(?:sought|obtained|gained|asked|made|shared)|must\s+(?:always\s+|only\s+|normally\s+)?be\s+(?:sought|obtained|gained|given)|(?:cannot|can['’]?t|will\s+not|won['’]?t|do\s+not|don['’]?t|are\s+unable\s+to)\s+(?:accept|process)\b|only\s+(?:where|when|if)\b|in\s+(?:all|most|some|these|such)\s+cases)`)
	// consentCondRe: consent inside a condition ("If consent has not been obtained, please explain why", "Where
	// consent has been refused …", "whether she agrees").
	consentCondRe = lazy(`(?i)\b(?:if|where|unless|whether)\s+(?:[\w'’]+,?\s+){0,4}?(?:consent|agree|refus|declin|object|permission)`)
	// consentHypotheticalRe: what the family would say if asked ("Mum would not consent if asked").
	consentHypotheticalRe = lazy(`(?i)\b(?:would|will|might|may)\s+(?:probably\s+|likely\s+|definitely\s+|certainly\s+)?(?:not\s+|n['’]t\s+)?(?:refuse|decline|object|consent|agree)\w*\b[^.]*\bif\s+(?:asked|approached|told|we|i|they|she|he)\b`)
	// consentNoObjectionRe: "no objection", "had no objections" — leave given in other words.
	consentNoObjectionRe = lazy(`(?i)\b(?:no|not\s+any|without\s+any)\s+objections?\b`)
	// consentHedgeRe: a doubt before the family's word ("Mum may agree", "I think dad would refuse", "mum
	// probably agrees", "she seemed to agree"); consentWillRe: a leave still to come ("Hopefully mum will agree").
	consentHedgeRe = lazy(`(?i)\b(?:may|might|probably|possibly|perhaps|maybe|hopefully|likely|unlikely|seem(?:s|ed)?|appear(?:s|ed)?|unsure|not\s+sure|i\s+think|i\s+believe|i\s+expect|i\s+assume|i\s+imagine|i\s+suspect|i\s+hope|i\s+doubt|assume[ds]?|presum\w*)\b`)
	consentWillRe  = lazy(`(?i)\b(?:will|['’]ll|going\s+to|should|could)\b`)
	// consentWordRe: where a sentence's consent is said.
	consentWordRe = lazy(`(?i)consent|agree|happy|permission|object|refus|declin|\bok\s+with|fine\s+with|supportive|said\s+(?:yes|no)|against`)
)

// consentHedged: a doubt or a leave still to come stands before the sentence's (last) word of consent (given)
// or refusal.
func consentHedged(ls string, c domain.ConsentStatus) bool {
	locs := consentWordRe.FindAllStringIndex(ls, -1)
	if locs == nil {
		return false
	}
	before := ls[:locs[len(locs)-1][0]]
	return consentHedgeRe.MatchString(before) || c == domain.ConsentGiven && consentWillRe.MatchString(before)
}

var (
	// refusalWordRe: a word of refusal.
	refusalWordRe = lazy(`(?i)\b(?:refus|declin|withh[eo]ld|withdr[ae]w|object|disagree)\w*`)
	// refusalDeniedRe: the refusal denied just before it: "has not refused", "did not object", "never declined",
	// "no objection".
	refusalDeniedRe = lazy(`(?i)(?:\b(?:not|never|no)|n['’]t)\s+(?:(?:been|yet|ever|once|actually|really|any)\s+)?$`)
	// refusalNotNowBeforeRe: a refusal foreseen or past, not this referral's ("mum would refuse", "dad previously
	// refused consent for a referral in 2024"); refusalPastAfterRe: the same said after it ("refused last time").
	refusalNotNowBeforeRe = lazy(`(?i)\b(?:would|will|might|may|could|likely\s+to|expect\s+(?:her|him|them)\s+to|previously|before|once|already\s+previously)\s+(?:probably\s+|likely\s+|definitely\s+|certainly\s+|have\s+)?$`)
	refusalPastAfterRe    = lazy(`(?i)^\w*\s+(?:[\w'’]+\s+){0,6}?(?:last\s+(?:time|year|month|week)|previously|before\s*(?:$|[,.;)–-])|in\s+(?:the\s+past|(?:19|20)\d\d)|(?:years?|months?)\s+ago|at\s+(?:that|the)\s+time)`)
	// refusedMashRe: what was refused is this service's involvement ("refused children's services involvement").
	refusedMashRe = lazy(`(?i)^\s+(?:[\w'’]+\s+){0,2}?(?:children['’]?s\s+(?:services|social\s+care)|social\s+(?:care|services|work))`)
	// refusedOtherRe: what was refused is something else — to engage, a statement, support, treatment, entry.
	refusedOtherRe = lazy(`(?i)^\s+(?:to\s+(?:engage|work\s+with|speak|talk|answer|attend|co-?operate|comply|open\s+the\s+door|let\s+(?:officers|police|us|me|staff|the\s+\w+)\s+in|be\s+(?:seen|examined|interviewed|spoken\s+to|admitted)|give\s+(?:a\s+)?(?:statement|account)|provide\s+(?:a\s+)?(?:statement|account|details)|make\s+(?:a\s+)?statement|support\s+(?:a\s+)?(?:prosecution|charge)|take\s+(?:part|medication)|accept\s+(?:help|support|services|an?\s+offer))|(?:all\s+|any\s+|further\s+|the\s+|an?\s+|our\s+|her\s+|his\s+|their\s+)?(?:early\s+help|support|help|treatment|medical|examination|entry|access|offers?|statement|dash|photographs?|photos?|intervention|visits?|accommodation|refuge|medication|assessment|services|engagement)\b)`)
)

// neutraliseRefusals blanks each word of refusal in s that is denied ("has not refused", "did not object") or
// that refuses something other than this referral or a share ("refused to engage", "declined early help",
// "declined a referral to the IDVA", "declined an IDVA referral"): only a refusal of this referral is read as
// one. The text keeps its length.
func neutraliseRefusals(s string) string {
	locs := refusalWordRe.FindAllStringIndex(s, -1)
	if locs == nil {
		return s
	}
	var b []byte
	for _, loc := range locs {
		if refusalDeniedRe.MatchString(s[:loc[0]]) || refusalNotNowBeforeRe.MatchString(s[:loc[0]]) ||
			refusalPastAfterRe.MatchString(s[loc[1]:]) || refusedElsewhere(s[loc[1]:]) {
			if b == nil {
				b = []byte(s)
			}
			for i := loc[0]; i < loc[1]; i++ {
				b[i] = 'x'
			}
		}
	}
	if b == nil {
		return s
	}
	return string(b)
}

// refusedElsewhere: what follows a word of refusal, in its clause, is not this referral or a share.
func refusedElsewhere(after string) bool {
	la := strings.ToLower(after)
	if i := strings.IndexAny(la, ".;"); i >= 0 {
		la = la[:i]
	}
	if i := strings.Index(la, " but "); i >= 0 {
		la = la[:i]
	}
	if refusedMashRe.MatchString(la) {
		return false
	}
	if j := strings.Index(la, "referral"); j >= 0 {
		for _, w := range strings.Fields(la[:j]) {
			switch w = strings.Trim(w, ",:()'’\""); w {
			case "", "a", "an", "the", "this", "that", "our", "my", "any", "for", "to", "consent", "of", "further", "her", "his",
				"their", "formal", "me", "us", "making", "make", "being", "made", "him", "them", "it", "give", "giving", "and", "or", "agree":
				continue
			}
			if !mashWord(w) {
				return true // "declined an IDVA referral", "refused consent for a CAMHS referral"
			}
		}
		if m := consentOtherReferralRe.FindStringSubmatch(la[j:]); m != nil && !mashWord(m[1]) && !referralGoesOn(m[1]) {
			return true // "declined a referral to the IDVA service"
		}
		return false
	}
	return refusedOtherRe.MatchString(la)
}

// referralGoesOn: "the referral to be made", "to go ahead": the word after "referral to" is a verb, not a service.
func referralGoesOn(w string) bool {
	switch w {
	case "be", "go", "proceed", "happen", "progress", "continue", "take":
		return true
	}
	return false
}

// theyAgreeRe: the family agreeing, said in the present ("they agree", "mum consents").
var theyAgreeRe = lazy(`(?i)\b(?:they|she|he|mum|dad|mother|father|parents?|family|both)\s+(?:both\s+|all\s+|also\s+)?(?:agree|consent)\b`)

var (
	// consentDontMindRe: leave in other words — "Mum doesn't mind me referring", "knows I'm referring and doesn't mind".
	consentDontMindRe = lazy(`(?i)\b(?:does\s*not|doesn['’]?t|did\s*not|didn['’]?t|do\s*not|don['’]?t)\s+mind\b`)
	// consentAskedNotToRe: the family asking that the referral not be made ("Mum begged me not to refer", "asked me
	// not to contact you") — a refusal of it; "asked me not to tell her parents" is not about the referral.
	consentAskedNotToRe = lazy(`(?i)\b(?:mum|dad|mother|father|parents?|carers?|family|she|he|they)\s+(?:has\s+|have\s+|had\s+)?(?:asked|begged|told|pleaded\s+with|urged)\s+(?:me|us)\s+not\s+to\s+(?:refer|make\s+(?:a|the|this)\s+referral|contact\s+(?:you|the\s+mash|mash|social\s+(?:care|services)|children['’]?s\s+services)|report\s+(?:this|it)|tell\s+(?:you|social\s+(?:care|services|workers?)|children['’]?s\s+services))\b`)
)

// consentUnreachableRe: the family could not be reached to be asked.
var consentUnreachableRe = lazy(`(?i)\b(?:could\s*(?:not|n['’]t)|unable\s+to|were\s+unable\s+to|was\s+unable\s+to|have\s+been\s+unable\s+to|(?:not|ha(?:ve|s)n['’]?t)\s+been\s+able\s+to|couldnt|(?:was|were)\s*(?:not|n['’]?t)\s+able\s+to)\s+(?:be\s+)?(?:contact(?:ed)?|reach(?:ed)?|speak\s+(?:to|with)|get\s+hold\s+of|get\s+through\s+to)\b|\b(?:not|un)\s*contactable\b`)

// consentNoChanceRe: the referrer had no chance to ask ("I didn't get the chance to ask her about contacting you").
var consentNoChanceRe = lazy(`(?i)(?:\b(?:did|have|has|could|was|were)\s*(?:not|n['’]t)|\b(?:didnt|havent|hasnt|couldnt)|\bunable)\s+(?:(?:get|had|have|find)\s+(?:the\s+|a\s+)?(?:chance|time|opportunity)\s+to\s+|to\s+)?(?:ask|discuss|raise|mention|speak\s+(?:to|with)|talk\s+(?:to|with)|tell)\s+(?:\w+\s+){0,2}?(?:about\s+|of\s+)?(?:contacting\s+(?:you|the\s+mash|mash|social|children)|(?:the|this|a|my|our)\s+referral|referring|making\s+(?:a|the|this)\s+referral|consent)`)

// consentNotAskedRe: the family not asked, in a sentence about the referral ("so we have not asked them").
var consentNotAskedRe = lazy(`(?i)\b(?:have|has|did|['’]ve)\s*(?:not|n['’]t)\s+(?:yet\s+)?asked\s+(?:them|her|him|mum|dad|the\s+parents|parents|the\s+family|the\s+carers?|(?:her|his|their)\s+(?:parents|mum|dad|mother|father|family|carers?))(?:\s+yet)?\s*(?:$|,|[-–—(]|\b(?:due|as|because|yet|given|since|for\s+fear|until|before)\b)`)

// doItRe: "asked me to do it", the referral said as "it" in a sentence about contacting you.
var doItRe = lazy(`(?i)^\s*do\s+(?:it|this|so)\b`)

// contactedWords: a sentence about this referral or this contact ("Mum knows I am making this referral", "Dad
// knows I have contacted you").
var contactedWords = []string{"referral", "referring", "refer ", "contacted you", "contacting you", "contact you", "emailed you",
	"emailing you", "email you", "written to you", "writing to you", "contacted the mash", "contacting the mash", "contacted mash", "contacting mash"}

var (
	// consentAgreedToMeRe: "Mrs Hale agreed to me making this referral", "mum agreed to us contacting you", "dad
	// consented to me sharing this".
	consentAgreedToMeRe = lazy(`(?i)\b(?:agreed|agrees|consented|consents|agreeable)\s+to\s+(?:me|us|my|our|the\s+school|school|the\s+nursery)\s+(?:making\s+(?:a|the|this)\s+referral|referring|contacting\s+(?:you|the\s+mash|mash|social|children)|sharing|passing\s+(?:this|it)\s+on|emailing\s+you|writing\s+to\s+you|speaking\s+to\s+(?:you|social|children)|talking\s+to\s+(?:you|social|children)|telling\s+(?:you|social|children))`)
	// consentAskedRe: the referrer asked the family's leave and was answered: "I asked Lauren if I could let
	// someone know and she said yes", "I asked whether I could share my concerns with children's social care
	// and she said no".
	consentAskedRe = lazy(`(?i)\basked\b[^.]{0,60}\b(?:whether|if)\s+(?:i|we)\s+(?:could|can|may|might|should)\b[^.]{0,80}\b(?:she|he|they|mum|dad|mother|father|parents?|carers?)\s+(?:said|says)\s+(yes|no)\b`)
	// consentRequestRe: someone asked to say whether consent was given ("please confirm whether the parents have
	// given consent", "let us know if mum has agreed") — MASH's own request quoted under a reply asks, it does not answer.
	consentRequestRe = lazy(`(?i)\b(?:confirm|let\s+(?:us|me)\s+know|tell\s+(?:us|me)|state|indicate|advise(?:\s+(?:us|me))?|check)\s+(?:with\s+\w+\s+)?(?:whether|if)\b`)
	// consentInstructionRe: guidance or a legal basis, not an answer ("Please ensure consent is obtained before
	// referring", "Consent to share information is assumed under GDPR").
	consentInstructionRe = lazy(`(?i)^\W*(?:please\s+)?(?:ensure|remember|make\s+sure|always|you\s+must|you\s+should)\b|\bplease\s+(?:ensure|make\s+sure|remember)\b|\b(?:assumed|implied|deemed)\b[^.]{0,30}\b(?:under|by)\b|\bgdpr\b|\barticle\s+\d|\blegal\s+basis\b`)
	// consentForToRe: consent for someone to do something ("consent for Leo to attend the club"); group 1 is what.
	consentForToRe = lazy(`(?i)\b(?:consent|permission|agreement)\s+for\s+((?:\w+\s+){1,2}?to\s+(?:\S+\s*){1,3})`)
	// consentToTellingRe: a young person's consent about someone being told, which is not about the referral.
	consentToTellingRe = lazy(`(?i)\b(?:consent|agree)\w*\s+to\s+(?:his|her|their|the)\s+(?:\w+\s+)?(?:parents?|mum|mother|dad|father|family|carers?)\s+(?:being\s+)?(?:told|informed|contacted|knowing)\b`)
	// consentOtherRe: a sentence about consent to something other than the referral or sharing information.
	consentOtherRe = lazy(`(?i)\b(?:sex\w*|photos?|pictures?|images?|videos?|intercourse|treatment|immunis\w*|immuniz\w*|vaccin\w*|surgery|operation|examination|medication|procedure|anaesthe\w*|tattoo\w*|piercing|skeletal|survey|x-?rays?|scans?|mri|bloods?|swabs?|dna|(?:cp|child\s+protection|paediatric)\s+medical|examined|trips?|outings?|admission|transfusion|dental|extraction|search(?:ed)?|early\s+help\s+assessment|(?:safety|support|care|action)\s+plan)\b|\bage\s+of\s+consent\b`)
	// consentNotHappyRe: leave refused in other words: "Mum was not happy for me to refer", "dad isn't willing to be referred".
	consentNotHappyRe = lazy(`(?i)(?:\bnot|n['’]?t)\s+(?:\w+\s+)?(?:happy|willing|content|ok|okay)\s+(?:for\s+(?:me|us|you|the\s+school)\s+to\s+(?:refer|share|contact|make\s+(?:a|the|this)\s+referral|speak\s+to\s+(?:you|social|children)|pass)|with\s+(?:the|this|a|my|our)\s+referral|to\s+be\s+referred|(?:with\s+)?(?:me|us)\s+(?:referring|contacting\s+(?:you|social|children)|sharing))`)
	// consentObjectRe: "objected to the referral", "objects to us sharing".
	consentObjectRe = lazy(`(?i)\bobject(?:ed|s)?\s+to\s+(?:the\s+|this\s+|a\s+|my\s+|our\s+|me\s+|us\s+|any\s+)?(?:referral|referring|sharing|making|information\s+being\s+shared)`)
	// consentSaidFineRe: "… knows I am contacting you and said that's fine".
	consentSaidFineRe = lazy(`(?i)\bsaid\s+(?:that['’]?s|that\s+is|that\s+was|it['’]?s|it\s+is|it\s+was)\s+(?:fine|ok|okay|alright|all\s+right)\b`)
	// consentOkWithItRe: "is OK with it", "was fine with that" — the family's leave when the sentence is about the referral.
	consentOkWithItRe = lazy(`(?i)\b(?:is|was|are|were|['’]s|['’]re)\s+(?:ok|okay|fine|happy|content)\s+with\s+(?:it|this|that)\b|` +
		// "she knows I am contacting you and said that's fine", "both know we are referring to you and are happy for us to do so"
		`\bsaid\s+(?:that['’]?s|that\s+is|it['’]?s|it\s+is|this\s+is)\s+(?:fine|ok|okay|alright|all\s+right)\b|\b(?:is|was|are|were|['’]s|['’]re)\s+happy\s+for\s+(?:us|me|you|the\s+school)\s+to\s+(?:do\s+so|do\s+this|go\s+ahead|contact\s+you|share|make\s+(?:this|the|a)\s+referral)`)
	// consentAgreesForRe: "she agrees for you to contact her", "mum is happy for you to call her": leave for the MASH to act.
	consentAgreesForRe = lazy(`(?i)\b(?:agree[ds]?|consent(?:s|ed)?|happy)\s+for\s+(?:you|us|me|the\s+mash|social\s+(?:care|services|workers?))\s+to\s+(?:contact|call|ring|phone|speak\s+to|talk\s+to|share|visit)\s+(\w+)`)
	// consentNotAgreeRe: "does not agree", "did not consent", "won't consent".
	consentNotAgreeRe = lazy(`(?i)\b(?:does|do|did|would|will|could)\s*(?:not|n['’]?t)\s+(?:agree|consent|give\s+(?:her\s+|his\s+|their\s+)?consent)\b|\bwon['’]?t\s+(?:agree|consent|give\s+(?:her\s+|his\s+|their\s+)?consent)\b|\bsaid\s+no\s+to\s+(?:the|a|this|me|us|any)\s+(?:referral|referring|sharing|involvement|social)|\b(?:is|are|was|were)\s+against\s+(?:the|this|a|any)\s+referral`)
	// permissionOpenRe: the family's leave in other words: "Kerry was happy for me to refer", "She agreed I
	// could refer both boys", "Agnieszka asked me to contact you", "mum gave permission to share"; what must
	// follow is permissionVerbRe (a referral or a share), except after "… with the referral".
	permissionOpenRe = lazy(`(?i)\b(?:(?:is|was|are|were|am|['’]m|['’]s|['’]re|feels?|felt|seemed)\s+(?:very\s+|quite\s+|really\s+|more\s+than\s+|also\s+)?(?:happy|content|willing|ok|okay|fine)\s+(?:for\s+(?:me|us|you|the\s+school|school|the\s+nursery)\s+to|to\s+be\s+referred()|(?:with|for)\s+(?:the|this|a|my|our)\s+referral()|(?:with\s+)?(?:me|us)\s+(?:referring|contacting|sharing|making)())|asked\s+(?:me|us)\s+to|agreed\s+(?:that\s+)?(?:i|we)\s+(?:could|can|should|would|may|might)|(?:gave|given|give)\s+(?:me\s+|us\s+)?(?:her\s+|his\s+|their\s+|verbal\s+|written\s+)?permission(?:\s+(?:for\s+(?:me|us)\s+)?to)?|said\s+(?:it\s+was|that['’]?s|it['’]?s)\s+(?:ok|okay|fine|alright)\s+(?:for\s+(?:me|us)\s+)?to)`)
	permissionVerbRe = lazy(`(?i)^\s*(?:also\s+)?(?:(?:write|send|forward)\s+(?:this|it)\b|refer|make\s+(?:a|the|this)\s+referral|contact\s+(?:you|the\s+mash|mash|children['’]?s\s+(?:services|social\s+care)|social\s+(?:care|services|workers?))|share|pass\s+(?:this|it|on)|let\s+(?:you|someone|somebody|social\s+services|children['’]?s\s+services|the\s+mash)\s+know|email\s+(?:you|the\s+mash)|speak\s+to\s+(?:you|social|anyone|children)|talk\s+to\s+(?:you|social|anyone|children)|get\s+in\s+touch\s+with\s+(?:you|social|children)|tell\s+(?:you|social|children)|inform\s+(?:you|social|children))`)
	// permissionNotFamilyRe: the one who asked or allowed is a professional ("the police asked me to email
	// you", "my manager was happy for me to refer"): not consent.
	permissionNotFamilyRe = lazy(`(?i)\b(?:everyone|everybody|meeting|panel|conference|agencies|professionals|police|officers?|pc|dc|ds|di|dci|sgt|dr|prof|professor|rev|revd|cllr|social\s+workers?|manager|colleague|mash|gp|doctor|nurse|teacher|school|dsl|head|headteacher|101|111|duty|advis[eo]r|consultant|supervisor|probation|worker|practitioner|clinician|team|lead|line)\b`)
	// parentWriterRe: a parent or relative writes about their own children ("I am the dad of Jaiden", "my son").
	parentWriterRe = lazy(`(?i)\bi(?:\s+am|['’]m|m)\s+(?:the\s+|their\s+|his\s+|her\s+)?(?:mum|mom|dad|mother|father|step\s*(?:mum|dad|mother|father)|nan|nana|gran|grandma|grandmother|grandad|grandfather|aunt|auntie|uncle)\b|\bmy\s+(?:son|daughter|children|kids|grandson|granddaughter|grandchildren|niece|nephew|boys|girls)\b`)
)

// permissionGiven reads the family's leave said in other words (permissionOpenRe), when the one who gives it
// is the family: a family word, "she"/"he"/"they" or a name before it, or "I" when a parent writes; never a
// professional, never negated in its clause.
func permissionGiven(s, ls string, parentWriter bool) bool {
	if !containsAny(ls, []string{"happy", "content", "willing", " ok", "okay", "fine", "asked", "agreed", "permission"}) {
		return false
	}
	for _, m := range permissionOpenRe.FindAllStringSubmatchIndex(s, -1) {
		noVerb := m[2] >= 0 || m[4] >= 0 || m[6] >= 0
		if !noVerb && !permissionVerbRe.MatchString(s[m[1]:]) && !(doItRe.MatchString(s[m[1]:]) && containsAny(ls, contactedWords)) {
			continue // "Their mum knows I am writing to you – she asked me to do it" is leave; "asked me to do it" alone is not
		}
		if elsewhere := permissionElsewhereRe.FindStringSubmatch(s[m[1]:]); elsewhere != nil && !mashWord(elsewhere[1]) {
			continue // "happy for me to refer him to the food bank": another service's referral
		}
		before := s[:m[0]]
		if j := strings.LastIndexAny(before, ",;:–—"); j >= 0 {
			before = before[j+1:]
		}
		if harmNegBefore.MatchString(before) || permissionNotFamilyRe.MatchString(before) {
			continue
		}
		fs := strings.Fields(before)
		if len(fs) == 0 {
			continue
		}
		who := false
		for _, w := range fs {
			w = strings.Trim(w, "()\"'“”‘’,")
			lw := strings.ToLower(w)
			switch lw {
			case "mum", "mom", "dad", "mother", "father", "parent", "parents", "carer", "carers", "family", "she", "he", "they",
				"grandmother", "grandfather", "nan", "gran", "stepdad", "stepmum", "aunt", "uncle", "victim", "both":
				who = true
			case "i", "i'm", "i’m", "im":
				who = who || parentWriter
			default:
				if w != lw && isNameWord(w) && !nameStop[lw] && !adultTitled(w) {
					who = true // "Kerry was happy for me to refer", "Agnieszka asked me to contact you"
				}
			}
		}
		if who {
			return true
		}
	}
	return false
}

// tickedOption reads a tick-box answer: the option beside the ticked box, and ok false when there are no
// boxes or not exactly one is ticked. A box before its option ("☐ Yes ☒ No", "[ ] Yes [x] No") or after it
// ("Yes ☐ No ☒", "Yes [ ] No [X]"): which, the text's first box tells — a text that opens with a box puts
// boxes before their options. The words after the last option are kept: "☐ Yes ☒ No - refused by dad" is
// "No - refused by dad".
func tickedOption(v string) (string, bool) {
	if !strings.ContainsAny(v, "[☒☐☑✓✔■□") {
		return "", false
	}
	v = boxReplacer.Replace(v)
	if strings.Count(v, "☒") != 1 {
		return "", false
	}
	t := strings.TrimSpace(v)
	tick := strings.Index(t, "☒")
	if strings.HasPrefix(t, "☒") || strings.HasPrefix(t, "☐") {
		after := t[tick+len("☒"):]
		if i := strings.Index(after, "☐"); i >= 0 {
			after = after[:i]
		}
		return strings.TrimSpace(after), true
	}
	// boxes after their options: the option is the text between the box before the tick (or the start) and the tick
	before := t[:tick]
	if i := strings.LastIndex(before, "☐"); i >= 0 {
		before = before[i+len("☐"):]
	}
	opt := strings.Trim(strings.TrimSpace(before), "/|,")
	rest := t[tick+len("☒"):]
	if strings.Contains(rest, "☐") {
		rest = "" // another option follows: what comes after it is not this option's
	}
	return strings.TrimSpace(opt + " " + strings.TrimSpace(rest)), true
}

// harmShortRe: a question's answer given as an opinion rather than a Yes/No ("I don't think so", "I don't
// believe so", "not that I know of", "not to my knowledge", "I believe so"). Only the answer's first clause is
// read. Yes needs the writer's plain belief; a doubt ("possibly", "I think so but …" is read by its first
// clause) is no answer.
var (
	harmShortNoRe  = lazy(`(?i)^\W*(?:(?:(?:i|we)\s+)?(?:do\s+not|don['’]?t|dont|did\s+not|didn['’]?t)\s+(?:think|believe|feel|consider)\s+so|not\s+in\s+(?:my|our)\s+(?:view|opinion|judgement|assessment)|(?:i|we)\s+would\s+say\s+not|(?:highly\s+|very\s+)?unlikely|doubtful|(?:i|we)\s+doubt\s+(?:it|that)|(?:currently|at\s+present|presently|at\s+the\s+moment|right\s+now|for\s+now)\s*,?\s*no|(?:i|we)\s+(?:would\s+not|wouldn['’]?t)\s+(?:think|say)\s+so|not\s+(?:that\s+(?:i|we)(?:['’]m|\s+am|\s+are|['’]re)?\s+(?:know|aware)(?:\s+of)?|that\s+(?:i|we)\s+(?:can|could)\s+(?:see|tell)|to\s+(?:my|our)\s+knowledge|as\s+far\s+as\s+(?:i|we)\s+(?:know|am\s+aware|are\s+aware|can\s+(?:tell|see)|could\s+(?:tell|see))|believed\s+so|thought\s+so|(?:immediate(?:ly)?|imminent)(?:\s+(?:risk|danger))?)|nil(?:\s+known)?|none\s+(?:known|identified|apparent|evident|noted|seen))(?:\s+(?:at\s+present|at\s+the\s+moment|currently|now|at\s+this\s+time|today|tonight))?\s*$`)
	harmShortYesRe = lazy(`(?i)^\W*(?:(?:i|we)\s+(?:think|believe|consider|feel)\s+so|(?:i|we)\s+do|(?:she|he|they|it|the\s+child|the\s+children|the\s+young\s+person)\s+(?:is|are)|(?:definitely|certainly|absolutely)(?:\s+(?:yes|so))?|(?:honestly|sadly|unfortunately|regrettably|definitely|certainly|absolutely)\s+yes|very\s+much\s+so)\s*$`)
	// harmShortNoMoreRe: the same as plain sentences: "I do not", "She is not", "Definitely not", "Honestly no".
	harmShortNoMoreRe = lazy(`(?i)^\W*(?:(?:i|we)\s+(?:do\s*not|don['’]?t|dont)|(?:she|he|they|it|the\s+child|the\s+children|the\s+young\s+person)\s+(?:is|are)\s*(?:not|n['’]?t)|(?:isn['’]?t|aren['’]?t)|(?:definitely|certainly|absolutely)\s+not|(?:honestly|thankfully|fortunately)\s+no)\s*$`)
)

// harmShortAnswer reads an answer given as an opinion rather than a Yes/No: no for "I don't think so", "I
// don't believe so", "not that I know of", "not to my knowledge", "not immediate", "nil"; yes for "I believe
// so". Only the answer's first clause is read; a doubt ("possibly", "low") is no answer. known is false when
// the answer is none of them.
func harmShortAnswer(v string) (yes, known bool) {
	v = strings.TrimRight(strings.TrimSpace(v), ".!,")
	switch {
	case harmShortNoRe.MatchString(v) || harmShortNoMoreRe.MatchString(v):
		return false, true
	case harmShortYesRe.MatchString(v):
		return true, true
	}
	return false, false
}

// answerSentences reads a labelled answer whose first clause says nothing ("Discharged home with parents
// after observation; not felt to be at immediate risk") sentence by sentence, clauses split at ';' too; a
// text that says both stays unanswered.
func answerSentences(v string) (yes, known bool) {
	return proseHarm(strings.ReplaceAll(v, ";", "."))
}

var (
	// harmOkRe: the young person writing that they are all right for now ("im ok tonight", "I'm fine for now").
	harmOkRe = lazy(`(?i)\b(?:i['’]?m|i\s+am)\s+(?:ok|okay|fine|alright|all\s+right)\b[^.;,]{0,30}?\b(?:tonight|today|now|for\s+now|at\s+the\s+moment|for\s+tonight)\b`)
	// harmAwayRe: the child staying away from home with family or a friend ("tonight im at my nans", "the
	// children are now with maternal grandmother … overnight", "she is safe with her nan tonight"). Group 1 is
	// the grandparent word: only then may the one staying be "she" or "he" (a mother also stays with a friend or
	// a sister; a child's nan is the child's).
	harmAwayRe = lazy(`(?i)\b(?:i['’]?m|im|i\s+am|is|are|['’]s|['’]re)\s+(?:now\s+|currently\s+|both\s+|all\s+|safely\s+|safe\s+)?(?:staying\s+|sleeping\s+)?(?:at|with)\s+(?:my\s+|her\s+|his\s+|their\s+|a\s+|the\s+)?(?:maternal\s+|paternal\s+)?(?:(nan|nana|nanny|nans|gran|granny|grans|grandma|grandmother|grandparents?|grandad|grandfather)|aunt|auntie|aunty|uncle|friend|friends|mate|mates|cousin|cousins|foster\s+carers?)(?:['’]?s)?\b`)
	harmNowRe  = lazy(`(?i)\b(?:tonight|overnight|now|for\s+now|at\s+the\s+moment|currently|this\s+weekend|until)\b`)
	// harmCaveatRe: a "but" after a safe-for-now statement that brings the danger back ("but he knows where
	// she is", "but dad has threatened to go round").
	harmCaveatRe = lazy(`(?i)\bbut\b.*(?:\bthreat\w*|\b(?:scared|frightened|afraid|terrified)\b|\b(?:knows|(?:they|he|she)\s+know)\s+where\b|\b(?:will|could|might|may|going\s+to)\s+(?:come|find|turn|go\s+round|go\s+there)|\bcoming\s+(?:back|round|over)\b|\bturn(?:s|ed)?\s+up\b|\bfind(?:s)?\s+(?:her|him|them|me|us)\b)`)
)

// harmAwayNow: the sentence says the child (or the young person writing) is all right or away with family
// or a friend for now — no immediate harm — when no negation and no caveat takes it back.
func harmAwayNow(s string) bool {
	if loc := harmOkRe.FindStringIndex(s); loc != nil && !harmNegBefore.MatchString(clauseBefore(s[:loc[0]])) && !harmCaveatRe.MatchString(s[loc[1]:]) {
		return true
	}
	if !harmNowRe.MatchString(s) {
		return false
	}
	for _, m := range harmAwayRe.FindAllStringSubmatchIndex(s, -1) {
		before := clauseBefore(s[:m[0]])
		if harmNegBefore.MatchString(before) || harmCaveatRe.MatchString(s[m[1]:]) {
			continue
		}
		lm := strings.ToLower(s[m[0]:])
		firstPerson := strings.HasPrefix(lm, "i'm") || strings.HasPrefix(lm, "i’m") || strings.HasPrefix(lm, "im ") || strings.HasPrefix(lm, "i am")
		grand := m[2] >= 0
		if firstPerson || safeSubject(s[:m[0]]) || lastWordIs(s[:m[0]], "they") || grand && (lastWordIs(s[:m[0]], "she") || lastWordIs(s[:m[0]], "he")) {
			return true
		}
	}
	return false
}

// clauseBefore is the part of before in the clause of what follows it (after the last comma, colon or
// joining word).
func clauseBefore(before string) string {
	if j := strings.LastIndexAny(before, ",;:"); j >= 0 {
		before = before[j+1:]
	}
	if m := harmClauseBreakRe.FindAllStringIndex(before, -1); len(m) > 0 {
		before = before[m[len(m)-1][1]:]
	}
	return before
}

// lastWordIs: the last word of s is w (any case).
func lastWordIs(s, w string) bool {
	fs := strings.Fields(s)
	return len(fs) > 0 && strings.EqualFold(strings.Trim(fs[len(fs)-1], ",;:()"), w)
}

// harmAnswer reads the form's immediate-harm question answered in words rather than Yes/No: "Not at this
// time", "Not thought to be in immediate risk - the friend no longer visits". Only the answer's first clause
// is read (what follows a dash is the reason), as a sentence is (harmSentence).
func harmAnswer(v string) (yes, known bool) {
	whole := v
	if i := strings.IndexAny(v, ";(.–—"); i >= 0 {
		v = v[:i]
	}
	if i := strings.Index(v, " - "); i >= 0 {
		v = v[:i]
	}
	if harmNotNow.MatchString(v) {
		return false, true
	}
	if yes, known := harmShortAnswer(v); known {
		return yes, true
	}
	if i := strings.IndexByte(v, ','); i > 0 && !strings.HasPrefix(strings.ToLower(strings.TrimSpace(v[i+1:])), "but") {
		if yes, known := harmShortAnswer(v[:i]); known {
			return yes, true // "I don't think so, he is with mum until the 5th"
		}
	}
	switch harmSentence(v) {
	case harmSaysYes:
		return true, true
	case harmSaysNo:
		return false, true
	}
	return answerSentences(whole)
}

// consentStatus reads a consent answer. "No" alone is ambiguous (refused, or never asked): unknown, and
// screening asks (Hackney seed §7, Bexley seed §18-27). In order: a word of refusal ("Not obtained - victim
// declined" was refused, not unasked); a Yes; consent not sought or not needed; consent given by someone
// ("Noor (15) consents; parents not informed": given, though the parents were not told); the family not told
// (not sought); a refusal in softer words ("mum not happy", "does not want social care").
func consentStatus(v string) domain.ConsentStatus {
	if unfilled(v) {
		return domain.ConsentUnknown
	}
	l := strings.ToLower(quoteReplacer.Replace(v))
	if consentOtherRe.MatchString(l) && !containsAny(l, []string{"refer", "shar", "contact", "mash", "social"}) {
		return domain.ConsentUnknown // "Consent: Mum consented to the CP medical": consent to something else
	}
	if containsAny(l, []string{"not able to consent", "unable to consent", "unable to give consent", "lacks capacity", "lack of capacity",
		"no capacity", "unconscious", "not in a position to consent"}) {
		return domain.ConsentNotSought // "No - patient not able to consent": it could not be asked
	}
	if st := consentValueGiven9(l); st != domain.ConsentUnknown {
		return st // "Consent: verbal from mum 10/03"
	}
	st := consentAnswer(l)
	if (st == domain.ConsentGiven || st == domain.ConsentRefused) && consentAnswerHedgeRe.MatchString(l) {
		return domain.ConsentUnknown // "Mum probably agrees", "Yes (to be confirmed)", "Implied"
	}
	if st == domain.ConsentGiven && !yesRe.MatchString(l) && otherAgreement(l) {
		return domain.ConsentUnknown // "Mum agreed to the safety plan"
	}
	return st
}

// consentAnswerHedgeRe: a doubt in a form's consent answer.
var consentAnswerHedgeRe = lazy(`\b(?:probably|possibly|perhaps|maybe|hopefully|likely|unlikely|seems?|appears?|unsure|not\s+sure|i\s+think|i\s+believe|assumed?|presumed?|implied|implicit|tbc|to\s+be\s+confirmed)\b|\?`)

// consentAnswer reads a consent answer in lower case (consentStatus).
func consentAnswer(l string) domain.ConsentStatus {
	if consentNoObjectionRe.MatchString(l) && !strings.Contains(l, "not") && !strings.Contains(l, "n't") {
		return domain.ConsentGiven // "No objection", "Mum has no objections"
	}
	l = neutraliseRefusals(l) // "Not sought - mum has refused to engage before": not a refusal of this referral
	refused := containsAny(l, []string{"refus", "declin", "withh", "withdrawn", "not consent", "n't consent",
		"not agree", "n't agree", "disagree", "object", "said no", "says no"})
	if refused && (yesRe.MatchString(l) || personYesRe.MatchString(l) || givenUndenied(l)) {
		return domain.ConsentUnknown // "Yes from mum, dad refused", "Child (15) consents, mum refuses": one agrees, one refuses
	}
	switch {
	case refused:
		return domain.ConsentRefused
	case yesRe.MatchString(l): // "Yes - mother consented; father not informed"
		return domain.ConsentGiven
	case personYesRe.MatchString(l): // "Mum yes, dad not asked"
		if personNoRe.MatchString(l) {
			return domain.ConsentUnknown // "Mum yes, dad no"
		}
		return domain.ConsentGiven
	case containsAny(l, []string{"not sought", "not been sought", "not asked", "not been asked", "n't asked", "not yet asked",
		"yet to ask", "yet to be asked", "to be asked", "will ask", "going to ask", "not obtained", "not possible",
		"unable to contact", "could not contact", "couldn't contact", "could not be contacted", "not contactable",
		"uncontactable", "unable to reach", "could not reach", "couldn't reach", "unable to speak",
		"not able to consent", "unable to consent", "not able to give consent", "unable to give consent", "lacks capacity",
		"lack capacity", "no capacity", "unconscious",
		"not requested", "not required", "not needed", "not necessary", "not appropriate", "not safe to", "no need",
		"to be sought", "to be obtained", "to be requested", "will seek", "will be sought", "not yet sought"}):
		if givenUndenied(l) {
			return domain.ConsentGiven // "Mum agreed but dad not asked": one gave it
		}
		return domain.ConsentNotSought
	case strings.Contains(l, "not given"): // "Not given" alone: withheld ("Not given - not asked" is not sought, above)
		return domain.ConsentRefused
	case givenUndenied(l):
		return domain.ConsentGiven
	case personHappyRe.MatchString(l) && !strings.Contains(l, "not") && !strings.Contains(l, "n't"):
		return domain.ConsentGiven // "Mum happy", "Dad OK'd it", "Parents fine with it"
	case containsAny(l, []string{"not informed", "not been informed", "not told", "not been told", "not aware", "unaware",
		"n't been told", "n't been informed", "not yet spoken", "not spoken", "not discussed", "not made aware"}):
		return domain.ConsentNotSought
	case consentDontWantRe.MatchString(l) || containsAny(l, []string{"not happy", "n't happy", "unhappy"}):
		return domain.ConsentRefused
	case containsAny(l, []string{"overrid", "dispensed", "without consent", "without their consent", "without parental consent"}):
		return domain.ConsentNotSought
	case consentNAReasonRe.MatchString(l) || consentNoReasonRe.MatchString(l):
		return domain.ConsentNotSought // "N/A - police referral", "No - it would increase the risk": not asked, and why
	case !noRe.MatchString(l) && !strings.Contains(l, "not") && !strings.Contains(l, "n't") &&
		(containsAny(l, []string{"verbal consent", "written consent", "consent from", "signed", "aware and agree", "in agreement", "supportive"}) ||
			consentBareGivenRe.MatchString(l)):
		return domain.ConsentGiven // "Verbal consent from mum 23/11", "Mum signed below"
	}
	return domain.ConsentUnknown
}

var (
	// personYesRe: an answer naming who said yes ("Mum yes, dad not asked", "Mum - yes"); personNoRe: who said no.
	personYesRe   = lazy(`^\W*(?:mum|mother|dad|father|parents?|carers?|the\s+young\s+person|young\s+person|yp|child|the\s+child|nan|gran|grandmother|grandfather)\s*[-–:,]?\s*(?:yes|y)\b`)
	personNoRe    = lazy(`\b(?:mum|mother|dad|father|parents?|carers?)\s*[-–:,]?\s*(?:no|n)\b`)
	personHappyRe = lazy(`^\W*(?:mum|mother|dad|father|parents?|carers?|family|yp|young\s+person)\s+(?:is\s+|are\s+|was\s+|were\s+)?(?:happy|fine|ok|okay|ok['’]?d\s+it|agreeable|content)\b`)
)

// givenUndenied: a word that gives consent in a form's answer (consentGivenWordRe), not denied just before it
// ("Could not be obtained", "not given by mum" give nothing).
func givenUndenied(l string) bool {
	for _, loc := range consentGivenWordRe.FindAllStringIndex(l, -1) {
		before := l[:loc[0]]
		if len(before) > 14 {
			before = before[len(before)-14:]
		}
		if !strings.Contains(before, "not") && !strings.Contains(before, "n't") && !strings.Contains(before, "never") && !strings.Contains(before, "unable") {
			return true
		}
	}
	return false
}

// consentNAReasonRe: "N/A - police referral", "Not applicable – statutory agency share": not applicable, with
// its reason (a bare "N/A" says nothing).
var consentNAReasonRe = lazy(`^\W*(?:n/a|n\.a\.?|na|not\s+applicable)\s*[-–—:;,(]\s*(?:police|statutory|section|s\.?\s?47|s\.?\s?17|mappa|marac|risk|safeguarding|child\s+protection|information\s+shar)`)

// consentNoReasonRe: "No - police referral", "No – it would increase the risk to Amy": a No whose reason is why
// consent was not asked.
var consentNoReasonRe = lazy(`^\W*(?:no|n)\b\s*[-–—:;,(]\s*(?:(?:as|because|since)\s+)?(?:(?:[a-z'’]+\s+){1,2}(?:would|could|may|might)\s+(?:place|put|increase|escalate|alert|warn|tip)|(?:this\s+is\s+)?(?:a\s+)?(?:police|statutory)|section\s+47|s\.?\s?47|mappa|marac|child\s+protection|information\s+shar|(?:it|this|that|asking|informing|telling)\s+(?:would|could|may|might)\s+(?:place|put|increase|escalate|alert|warn|tip)|(?:would|could|may|might)\s+(?:place|put|increase|escalate|alert|warn|tip)|risk\s+(?:to|of)|due\s+to\s+(?:the\s+)?risk)`)

// consentBareGivenRe: a consent answer that names only how it was given ("Verbal", "Written", "Verbally 12/11").
var consentBareGivenRe = lazy(`^\W*(?:verbal(?:ly)?|written|in\s+writing)\b`)

// consentGivenWordRe: a word that gives consent in a form's answer; "given" is not "given the risk".
var consentGivenWordRe = lazy(`\b(?:consents|consented|agrees|agreed|obtained|happy\s+(?:for|with|to)|given(?:\s+(?:by|verbally|in\s+writing|on|to|for|at|\d)|\s*(?:$|[-–—,;.(])))`)

// followUp reads a form's follow-up row ("If no, why not? | Mum refused - says nothing is wrong") as the
// reason for the consent question's answer just above it, when that answer alone said nothing sure ("No"):
// the reason decides (refused, not sought, given). After any other question it is not read.
func (fm *form) followUp(v string) {
	if fm.last != fConsent && fm.last != fInformed && fm.last != fConsentSought && fm.last != fRefusedQ && fm.last != fWithoutQ {
		return
	}
	if fm.consent.Status != domain.ConsentUnknown {
		if fm.consent.Status != domain.ConsentGiven && fm.consent.Reason == "" {
			fm.consent.Reason = v // "Have you discussed this with the family? No" / "If not, why not? …"
		}
		return
	}
	if st := consentStatus(v); st != domain.ConsentUnknown {
		fm.consent.Status = st
		if st != domain.ConsentGiven {
			fm.consent.Reason = v
		}
	}
}

// newerConsent: the body's labelled consent answer sits in quoted or forwarded history and the newest message
// above it says consent in a sentence ("mum has now agreed to the referral" above a quoted "Consent: not
// sought"): the newer word wins, read by proseConsent over the whole body.
func newerConsent(p formPart, lines []string) bool {
	if p.source != "body" {
		return false
	}
	newest := historyStart(lines)
	return p.fm.consentLine >= newest && proseConsent(strings.Join(lines[:newest], "\n")) != domain.ConsentUnknown
}

// informed reads "Have parents been informed of this referral?": No (the family not told) is consent not
// sought, held until a consent question answers; a refusal in the answer ("Mum informed - does NOT agree") is
// a refusal; Yes says only that the family knows, not that it agreed — consent given only when the answer
// says so in words ("Yes - and happy for us to refer").
func (fm *form) informed(v string) {
	if fm.consent.Status != domain.ConsentUnknown {
		return
	}
	st := consentStatus(v)
	if yes, known := yesNo(v); known {
		switch {
		case st == domain.ConsentRefused:
		case yes && (consentGivenWordRe.MatchString(strings.ToLower(v)) || theyAgreeRe.MatchString(v)):
			st = domain.ConsentGiven // "Yes - and happy for us to refer", "Yes - and they agree"
		case yes:
			return
		default:
			st = domain.ConsentNotSought
		}
	}
	if st == domain.ConsentUnknown {
		return
	}
	fm.consent.Status, fm.consentWeak = st, st == domain.ConsentNotSought
	if st != domain.ConsentGiven {
		if i := strings.IndexAny(v, "-–:;,("); i > 0 {
			fm.consent.Reason = strings.Trim(strings.TrimSpace(v[i+1:]), ")")
		}
	}
}

// safeNow reads "Is the child safe tonight?" / "Is Amy safe to return home?": its Yes is no immediate harm,
// its No is immediate harm; anything else ("Not sure") is no answer.
func (fm *form) safeNow(v string) {
	if yes, known := yesNo(v); known && !fm.harmKnown {
		fm.immediate, fm.harmKnown = !yes, true
	}
}

// consentSought reads "Has consent been sought?": No is consent not sought (its reason after a dash); Yes says
// only that it was asked for — given or refused only when the answer says which ("Yes - given by mum").
func (fm *form) consentSought(v string) {
	if fm.consent.Status != domain.ConsentUnknown && !fm.consentWeak {
		return
	}
	st := consentStatus(v)
	if yes, known := yesNo(v); known && !yes && st != domain.ConsentRefused {
		st = domain.ConsentNotSought
	} else if known && yes && st == domain.ConsentGiven && !consentGivenWordRe.MatchString(strings.ToLower(v)) {
		return // "Yes": sought, not said whether given
	}
	if st == domain.ConsentUnknown {
		return
	}
	fm.consent.Status, fm.consentWeak = st, false
	if st != domain.ConsentGiven {
		if i := strings.IndexAny(v, "-–:;,("); i > 0 {
			fm.consent.Reason = strings.Trim(strings.TrimSpace(v[i+1:]), ")")
		}
	}
}

// turnedRound reads the consent question asked the other way round: "Has consent been refused? Yes" is refused,
// "Is the referral made without consent? Yes" / "Consent overridden? Yes" is not sought; their No says only that
// it was not refused (or not made without consent) — nothing sure. An answer in words is read as consent's own,
// except that it never gives consent from a bare Yes.
func (fm *form) turnedRound(f field, v string) {
	if fm.consent.Status != domain.ConsentUnknown && !fm.consentWeak {
		return
	}
	st := domain.ConsentUnknown
	if yes, known := yesNo(v); known {
		if !yes {
			return
		}
		st = domain.ConsentRefused
		if f == fWithoutQ {
			st = domain.ConsentNotSought
		}
	} else if st = consentStatus(v); st == domain.ConsentGiven {
		return // "Has consent been refused? Mum agreed in the end": read by the screener
	}
	if st == domain.ConsentUnknown {
		return
	}
	fm.consent.Status, fm.consentWeak = st, false
	if i := strings.IndexAny(v, "-–:;,("); i > 0 {
		fm.consent.Reason = strings.Trim(strings.TrimSpace(v[i+1:]), ")")
	}
}

// permissionElsewhereRe: where the referral the family allowed goes ("refer both boys to the YOS"); group 1
// is the service's first word.
var permissionElsewhereRe = lazy(`^\s*(?:also\s+)?(?:[Rr]efer|[Mm]ake\s+(?:a|the|this)\s+referral)\b(?:\s+(?:him|her|them|both|all|the|his|their|my|our|boys|girls|children|kids|child|family|siblings|two|three|four|[A-Z][\w'’-]*)){0,3}?\s+to\s+(?:the\s+)?([\w'’]+)`)

// mashWord: the first word of a name for this service ("you", "MASH", "children's services", "social care").
func mashWord(w string) bool {
	switch strings.ToLower(strings.Trim(w, "'’")) {
	case "you", "mash", "children", "childrens", "children's", "social", "us", "your", "csc", "cs", "csd", "local", "front", "safeguarding", "mash's", "this":
		return true
	}
	return false
}

// referralQualifier: the words that may stand just before "referral" when it is this one ("to this referral", "to a
// MASH referral", "to the safeguarding referral").
var referralQualifier = map[string]bool{"this": true, "the": true, "a": true, "an": true, "my": true, "our": true, "your": true,
	"mash": true, "care": true, "services": true, "safeguarding": true, "social": true, "to": true, "with": true, "of": true, "for": true,
	"s": true, "services'": true, "protection": true}

// agreedToThis: the words after "agreed to" say the agreement is to this referral or to sharing what it holds ("to
// the referral", "to me contacting you", "to this", "to information being shared", "to the transfer").
func agreedToThis(after string) bool {
	if containsAny(after, []string{"refer", "shar", "contact", "pass", "mash", "social", "services", "information", "details",
		"concerns", "email", "writ", "tell", "transfer", "being"}) {
		return true
	}
	for rest := after; rest != ""; {
		var w string
		w, rest = nextWord(rest)
		switch strings.Trim(w, ",.;:") {
		case "this", "it", "that", "me", "us", "you", "them":
			return true
		}
	}
	return false
}

// consentOtherReferralRe: the referral agreed to goes to another service ("Mum agreed to a referral to CAMHS",
// "to Early Help") — the family's agreement to it is not consent to this one. Group 1 is the service's word.
var consentOtherReferralRe = lazy(`(?i)^\W*referral\s+to\s+(?:the\s+)?([\w'’]+)`)

// otherAgreement: the sentence's agreement is a professional's ("The school agreed to a referral") or to a
// referral elsewhere ("Mum agreed to a referral to CAMHS"; "She has agreed to the referral and to a referral
// to the IDVA" is this one's: only the first referral after the agreement counts).
func otherAgreement(ls string) bool {
	i := strings.Index(ls, "agree")
	if i < 0 {
		i = strings.Index(ls, "consent")
	}
	if i < 0 {
		return false
	}
	if permissionNotFamilyRe.MatchString(ls[:i]) && !containsAny(ls[:i], []string{"mum", "dad", "mother", "father", "parent", "carer", "family"}) {
		return true
	}
	if agreedToRe.MatchString(ls[i:]) && !agreedToReferral(ls[i:]) {
		return true // "Mum agreed to a safety plan", "agreed that the children would stay at nan's"
	}
	j := strings.Index(ls[i:], "referral")
	if j < 0 {
		return false
	}
	if f := strings.Fields(ls[i : i+j]); len(f) > 0 && !referralQualifier[strings.Trim(f[len(f)-1], ",;:")] && len(f) >= 2 {
		return true // "consented to an Early Help referral", "agreed to a CAMHS referral": another service's referral
	}
	if m := consentOtherReferralRe.FindStringSubmatch(ls[i+j:]); m != nil && !mashWord(m[1]) {
		return true
	}
	return false
}

// harmYesButRe: a Yes taken back by a "but" saying the danger is gone or held ("Yes – but he is now in custody",
// "Y, but the children are now safe with their nan").
var harmYesButRe = lazy(`(?i)^\W*(?:yes|y)\b.*\bbut\b.*\b(?:custody|arrested|remanded|bailed|now\s+safe|(?:is|are)\s+(?:now\s+)?safe|ha(?:s|ve)\s+(?:now\s+)?left|moved\s+out|no\s+longer|removed|in\s+hospital|with\s+(?:her|his|their)\s+(?:nan|gran|grandparents?|grandmother|aunt|uncle))\b`)

// answerHedgedRe: a form's Yes or No taken back by a doubt just after it ("Yes?", "Yes - possibly, if dad comes
// back", "No (not sure)", "Y - TBC"): no answer.
var answerHedgedRe = lazy(`(?i)^\W*(?:yes|y|no|n)\b\s*(?:\?|[-–—,;:(/]*\s*(?:possibly|maybe|perhaps|not\s+sure|unsure|unclear|potentially|don['’]?t\s+know|dont\s+know|(?:i\s+)?(?:can['’]?t|cannot)\s+(?:say|tell|be\s+sure)|hard\s+to\s+(?:say|tell)|tbc|to\s+be\s+confirmed|probably)\b)`)

// agreedToReferral: one of what the agreement is to ("to X", "and to Y", up to the sentence's end) is this referral,
// a share or a contact with this service ("agreed to the s20 arrangement and to MASH being informed").
func agreedToReferral(after string) bool {
	if i := strings.IndexAny(after, ".;"); i >= 0 {
		after = after[:i]
	}
	for _, loc := range agreedObjectRe.FindAllStringIndex(after, -1) {
		if agreedReferralRe.MatchString(after[loc[1]:]) {
			return true
		}
	}
	return false
}

var (
	// agreedToRe: the agreement is to something ("agreed to X", "agreed that X"); agreedObjectRe finds each X.
	agreedToRe     = lazy(`^[a-z]*\s+(?:to|that)\s+`)
	agreedObjectRe = lazy(`\b(?:to|that)\s+`)
	// agreedReferralRe: X is this referral, a share or a contact with this service ("the referral", "me making this
	// referral", "information being shared", "us contacting you", "I could refer", "it").
	agreedReferralRe = lazy(`^(?:(?:the|this|a|my|our|any|her|his|their|both)\s+)?(?:referral|referrals|referring|refer|transfer|making|contact|contacting|shar|information|info|details|data|concerns|passing|pass|telling|tell|speaking|speak|talking|emailing|writing|letting|sending|me\b|us\b|it\b|this\b|that\b|mash|you\b|children['’]?s|social|being|(?:i|we)\s+(?:could|can|should|would|may|might)\s+(?:refer|share|contact|make|pass|let|email|speak|tell|send|write))`)
	// consentSubjectRe: where a sentence's agreeing or refusing begins (its subject is before it).
	consentSubjectRe = lazy(`(?i)consent|agree|happy|permission|object|refus|declin|supportive|against|\bwants?\b`)
	// consentNotParentRe: the one agreeing or refusing is a partner, a boyfriend or the person suspected — not a
	// parent giving or withholding consent.
	consentNotParentRe = lazy(`(?i)\b(?:partner|boyfriend|girlfriend|perpetrator|suspect|alleged\s+(?:abuser|perpetrator)|offender)\b`)
)

// optionHintRe: a question's printed options left at the start of its answer ("(Y/N) Y", "(yes/no): No").
var optionHintRe = lazy(`(?i)^\s*\(\s*(?:y\s*/\s*n|yes\s*/\s*no|yes\s+or\s+no)\s*\)\s*[|:\-–]?\s*`)

var (
	// boxReplacer writes every tick box as ☒ (ticked) or ☐ (empty).
	boxReplacer = strings.NewReplacer("[x]", "☒", "[X]", "☒", "[ ]", "☐", "[]", "☐", "☑️", "☒", "☑", "☒", "✓", "☒", "✔", "☒", "■", "☒", "□", "☐")
	// quoteReplacer: curly apostrophes straight, quotation marks gone ("doesn’t want “social services”").
	quoteReplacer = strings.NewReplacer("’", "'", "“", "", "”", "", "\"", "")
)

// harmIfRe finds an "if".
var harmIfRe = lazy(`(?i)\bif\b`)

// harmHedged: the sentence hedges (harmHedgeRe) or holds a conditional "if" — not an indirect question's
// ("she asked me if I could stay", "I checked if she was hurt"; "tell me if" still asks nothing answered).
func harmHedged(s string) bool {
	if harmHedgeRe.MatchString(s) {
		return true
	}
	for _, loc := range harmIfRe.FindAllStringIndex(s, -1) {
		fs := strings.Fields(strings.ToLower(s[:loc[0]]))
		asked := false
		for k := len(fs) - 1; k >= 0 && k >= len(fs)-2; k-- {
			switch strings.Trim(fs[k], ",;:") {
			case "asked", "ask", "asking", "asks", "wondered", "wonder", "wondering", "checked", "check", "checking":
				asked = true
			}
		}
		if !asked {
			return true
		}
	}
	return false
}
