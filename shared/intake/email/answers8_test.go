package email

import (
	"strings"
	"testing"
	"time"
)

// The eighth round's guards for the two questions every form asks (Portsmouth §7.5 immediate harm, §2.3–2.4 and
// §7.1 consent). Held-out rounds went wrong on phrasings no tuning email had: an adult victim's answer, a rule
// quoted from a form or an auto-reply, "not sought" beside a refusal of something else, a doubt, a negated
// refusal, the question turned round, options left as printed. Each kind is written here in phrasings of our own,
// with rows that must still be read: when the evidence is weak nothing is read (a wrong value is worse than none).

// parseAnswers parses body as a referral about one named child, received on 24 November 2026.
func parseAnswers(t *testing.T, body string) *Message {
	t.Helper()
	raw := "From: Referrer <referrer@example.org>\r\nTo: mash@council.example.gov.uk\r\nSubject: Referral\r\n" +
		"Date: Tue, 24 Nov 2026 12:00:00 +0000\r\nMessage-ID: <answers-test@example.org>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
		"Child's name: Amy Lee\r\n\r\n" + strings.ReplaceAll(body, "\n", "\r\n")
	m, err := Parse([]byte(raw), Options{Received: time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestPortsmouth_ImmediateHarm_WeakEvidenceReadsNothing(t *testing.T) {
	const yes, no, unsaid = "yes", "no", ""
	cases := []struct{ name, body, want string }{
		// An adult's risk (the police's words about the victim, a form's question about mum) is not the child's.
		{"victim not at immediate risk", "Victim is not at immediate risk as the suspect is in custody.\n", unsaid},
		{"the victim in immediate danger", "The victim is in immediate danger.\n", unsaid},
		{"is mum at immediate risk? yes", "Is mum at immediate risk? Yes\n", unsaid},
		{"is the victim at immediate risk? no", "Is the victim at immediate risk? No\n", unsaid},
		{"victim at immediate risk: yes", "Victim at immediate risk: Yes\n", unsaid},
		{"no immediate risk to mum", "There is no immediate risk to mum.\n", unsaid},
		{"still read: victim or child", "Is the victim or child at immediate risk? Yes\n", yes},
		{"still read: mum and the children", "There is no immediate risk to mum or the children.\n", no},
		{"still read: mum said the child is not at risk", "Mum said she is not at immediate risk.\n", no},
		{"still read: an injured party who is the child", "No immediate risk to IP - he is at home with mum.\n", no},
		// A Yes or No taken back by a doubt.
		{"yes, possibly", "Immediate risk: Yes - possibly, if dad comes back\n", unsaid},
		{"yes?", "Immediate risk: Yes?\n", unsaid},
		{"no (not sure)", "Immediate risk: No (not sure)\n", unsaid},
		{"no, can't say", "Is the child at immediate risk? No - can't be sure\n", unsaid},
		{"still read: yes, I believe so", "Is the child at immediate risk? Yes, I believe so\n", yes},
		{"still read: no and a reason", "Immediate risk: No - dad has moved to Leeds\n", no},
		// Options left as printed, with the form's instruction.
		{"yes/no delete as appropriate", "Immediate risk: YES/NO (delete as appropriate)\n", unsaid},
		{"yes or no", "Is the child at immediate risk of harm? Yes or No\n", unsaid},
		{"yes / no / unknown", "Immediate risk of harm? Yes / No / Unknown\n", unsaid},
		{"boxes: unknown ticked", "Immediate risk: ☐ Yes ☐ No ☒ Unknown\n", unsaid},
		{"still read: boxes, no ticked", "Immediate risk: ☐ Yes ☒ No ☐ Unknown\n", no},
		// Negations not spelt "not": "nothing to suggest", "unlikely", "I doubt".
		{"nothing to suggest", "There is nothing to suggest she is at immediate risk.\n", no},
		{"nothing suggests", "Nothing suggests that Amy is in immediate danger.\n", no},
		{"unlikely that", "It is unlikely that she is at immediate risk.\n", no},
		{"I doubt", "I doubt she is in immediate danger.\n", no},
		{"answered unlikely", "Is the child at immediate risk? Unlikely\n", no},
		{"answered not in my view", "Is the child at immediate risk? Not in my view\n", no},
		{"answered I would say not", "Is the child at immediate risk? I would say not\n", no},
		{"answered don't think so", "Is the child at immediate risk? Dont think so\n", no},
		{"still unsaid: hard to say", "Hard to say whether she is at immediate risk.\n", unsaid},
		{"still unsaid: maybe", "Is the child at immediate risk? Maybe\n", unsaid},
		{"still unsaid: I fear so", "Is the child at immediate risk? I fear so\n", unsaid},
		// Other questions than immediate harm.
		{"at risk of harm, not immediate", "Is the child at risk of harm? Yes\n", unsaid},
		{"significant harm, not immediate", "Is there a risk of significant harm? Yes\n", unsaid},
		{"mum told to call 999 if", "Mum was advised to call 999 if he returns.\n", unsaid},
		// The question's label alone on its line, the answer on the next (HTML label and value paragraphs).
		{"label line, then no", "Immediate risk\nNo\n", no},
		{"label line, then yes with its reason", "Risk of immediate harm\n\nYes - he is outside the school\n", yes},
		{"label line, then prose starting with no", "Immediate risk\nNo one was at home when I called.\n", unsaid},
		{"a heading over the next question", "4. Risk and consent\nIs the child at risk of immediate harm? ☐ Yes ☒ No\n", no},
		// Round 7's last misses, by rules of their own: "any immediate concerns?" asked as the question; a risk
		// "assessed as no"; an opinion with a time after it.
		{"any immediate concerns? none", "Any immediate concerns for Amy or the baby? None at the time of my visit.\n", no},
		{"immediate concerns: yes", "Are there immediate safety concerns? Yes - he has threatened her\n", yes},
		{"immediate concerns listed is no answer", "Immediate concerns: poor hygiene, missed appointments\n", unsaid},
		{"risk assessed as no", "Risk of immediate harm tonight assessed as no - suspect circulated.\n", no},
		{"risk assessed as yes", "Immediate risk assessed as yes by the attending officers.\n", yes},
		{"risk assessed as medium is no answer", "Immediate risk assessed as medium.\n", unsaid},
		{"not that we are aware of at present", "Immediate risk of harm to the children: not that we are aware of at present; he has not moved in.\n", no},
		// The question asked as concerns for the child's immediate safety, or as an emergency.
		{"concerns about immediate safety? yes", "Do you have any concerns about the child's immediate safety? Yes\n", yes},
		{"concerns about immediate safety? no", "Do you have any concerns about the child's immediate safety? No\n", no},
		{"is this an emergency? no", "Is this an emergency? No\n", no},
		{"an emergency contact number is not the question", "Emergency contact: 07700 900123\n", unsaid},
		// A reply's plain answer above quoted history that asks exactly one question.
		{"reply: yes she is, to is the child safe tonight", "Hi Sam,\n\nYes she is.\n\nOn Mon, 23 Nov 2026 at 10:00, MASH <mash@council.example.gov.uk> wrote:\n> Is the child safe tonight?\n", no},
		{"reply: no, to is the child at immediate risk", "No.\n\nOn Mon, 23 Nov 2026 at 10:00, MASH <mash@council.example.gov.uk> wrote:\n> Is the child at immediate risk?\n", no},
		{"reply: yes with its reason", "Yes - he is back at the house.\n\nOn Mon, 23 Nov 2026 at 10:00, MASH <mash@council.example.gov.uk> wrote:\n> Is Amy at immediate risk of harm?\n", yes},
		{"reply: no, sorry is not an answer", "No, sorry, I don't know yet.\n\nOn Mon, 23 Nov 2026 at 10:00, MASH <mash@council.example.gov.uk> wrote:\n> Is the child at immediate risk?\n", unsaid},
		{"reply: two questions quoted, which one is not sure", "Yes.\n\nOn Mon, 23 Nov 2026 at 10:00, MASH <mash@council.example.gov.uk> wrote:\n> Is the child at immediate risk?\n> Has consent been obtained?\n", unsaid},
		{"reply: another question quoted", "No.\n\nOn Mon, 23 Nov 2026 at 10:00, MASH <mash@council.example.gov.uk> wrote:\n> Are other agencies involved?\n", unsaid},
		// A No that answers nothing; a Yes whose "but" says the danger is gone.
		{"answered no idea", "Is the child at risk of immediate harm? No idea\n", unsaid},
		{"answered no information", "Immediate risk: No information\n", unsaid},
		{"yes, but now in custody", "Is the child at risk of immediate harm? Yes – but he is now in custody\n", unsaid},
		{"still read: yes, but he knows where she is", "Is the child at risk of immediate harm? Yes - she is at school but he knows where she is\n", yes},
		{"answered currently no", "Is the child at risk of immediate harm? Currently no\n", no},
		{"answered at present, no", "Immediate risk: At present, no\n", no},
		// Not safe at home or with him; a call to 999 or the police made today.
		{"not safe at home", "The children are not safe at home.\n", yes},
		{"not safe with him", "I don't think she is safe with her dad.\n", yes},
		{"mum not safe with him is hers", "Mum is not safe with him.\n", unsaid},
		{"called the police this morning", "I phoned 999 this morning as he was at the door.\n", yes},
		{"rang the police an hour ago", "We rang the police an hour ago.\n", yes},
		{"called the police in March", "I called the police in March about the noise.\n", unsaid},
		// Tuning round t8's misses (read on its branch), by rules of their own.
		{"dont think there in danger this minute", "i dont think there in danger this minute but its not right\n", no},
		{"isnt in danger right now", "she isnt in danger right now but she is scared\n", no},
		{"both in danger", "I think they are both in danger while that man is in the house.\n", yes},
		{"all in danger, if", "They would all be in danger if he came back.\n", unsaid},
		// Tuning round t9's misses, mended by rules about how people write (rows of our own).
		{"answered not that I can see", "Is the child at immediate risk of harm?\nNot that I can see - she went home with her aunt.\n", no},
		{"answered not as far as I can tell", "Immediate risk: Not as far as I can tell\n", no},
		{"is it safe for him to go home? No", "Is it safe for him to go home tonight? No - they know where he lives.\n", yes},
		{"is it safe for her to return home? Yes", "Is it safe for her to return home? Yes\n", no},
		{"safe for pt to remain at address: N", "SAFE FOR PT TO REMAIN AT ADDRESS: N - POLICE REQUESTED\n", yes},
		{"safe tonight? NO!!!", "SAFE TONIGHT? NO!!! HE IS AT THE HOUSE\n", yes},
		{"a numbered safe tonight: Y", "4. Safe tonight: Y - with maternal aunt\n", no},
		{"am i safe to go home? no", "am i safe to go home? no he said he will kill me\n", yes},
		{"safe for staff to visit is not the question", "Is it safe for staff to visit the home? No - dog\n", unsaid},
		{"safe for mum to go home is not the question", "Is it safe for mum to go home? No\n", unsaid},
		{"a question told and answered: no", "You will ask me if they are in danger tonight - no, we are staying at my sister's.\n", no},
		{"a question told and answered: yes", "You asked whether she is at immediate risk, yes, he is back at the flat.\n", yes},
		{"a safety question told and answered: no", "You asked if they are safe tonight, no, he has keys.\n", yes},
		{"a question told, not answered", "She asked me if she is in danger tonight.\n", unsaid},
		{"a reply's numbered answer to a quoted question", "In answer to your questions:\n\n1) Yes, she is safe to go home - dad has left.\n2) Mum knows.\n\nFrom: MASH <mash@council.example.gov.uk>\nSent: 19 January 2027 09:02\nSubject: Enquiry\n\n1) Is Amy safe to go home tonight?\n2) Is mum aware of the referral?\n", no},
		{"a reply's numbered line answering another question", "1) No, not that I know of.\n\nFrom: MASH <mash@council.example.gov.uk>\nSent: 19 January 2027 09:02\nSubject: Enquiry\n\n1) Are other professionals involved?\n", unsaid},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := parseAnswers(t, c.body)
			checkImmediateHarm(t, m, c.want)
		})
	}
}

func TestPortsmouth_Consent_WeakEvidenceReadsNothing(t *testing.T) {
	cases := []struct{ name, body, want string }{
		// A refusal of something else — another service's referral, support, engaging, a statement — is not a
		// refusal of this referral; an adult victim's consent to the police sharing is read as consent (the corpus's
		// annotators read it so only when it is to this referral; t9's writer reads a victim's consent to sharing or to an
		// IDVA as hers, not the children's).
		{"victim declined a referral to the IDVA", "Victim declined a referral to the IDVA service.\n", "unknown"},
		{"refused to engage, declined DA services", "Victim refused to engage with officers and declined a referral to DA services.\n", "unknown"},
		{"declined a referral to Early Help", "Mum declined a referral to Early Help.\n", "unknown"},
		{"declined support and a referral elsewhere", "Victim declined all support and a referral to Early Help.\n", "unknown"},
		{"form: declined an IDVA referral", "Consent: Victim declined IDVA referral\n", "unknown"},
		{"consented to a MARAC referral", "Victim consented to a MARAC referral.\n", "unknown"},
		{"the victim's consent to sharing is hers", "Victim consents to information being shared with partner agencies.\n", "unknown"},
		{"the victim's refusal of sharing is hers", "Victim does not consent to information sharing.\n", "unknown"},
		{"a form: the victim's consent line", "Victim consents to information being shared with partner agencies: YES\nConsent for children's referral: Not sought - police safeguarding referral\n", "not-sought"},
		{"a form: the victim's consent line alone", "Victim consent to IDVA referral: YES\n", "unknown"},
		{"still read: the victim consented to the referral to MASH", "Victim consented to referral to MASH and to DA services.\n", "given"},
		{"still read: declined to give consent", "Consent to share: Victim declined to give consent\n", "refused"},
		{"still read: refused consent for children's services", "Mum refused consent for children's services to be involved.\n", "refused"},
		{"still read: refused consent for the referral to be made", "Dad refused consent for the referral to be made.\n", "refused"},
		// A rule quoted from a form, a disclaimer or MASH's auto-reply; a condition.
		{"please ensure consent has been obtained", "Please ensure that consent has been obtained from the parent/carer before submitting this form.\n", "unknown"},
		{"if consent has not been obtained", "If consent has not been obtained, please explain why.\n", "unknown"},
		{"we cannot accept referrals without consent unless", "> Please note that we cannot accept referrals without parental consent unless there is a risk of significant harm.\n", "unknown"},
		{"shared without consent only where", "Information is shared without consent only where a child is at risk of significant harm.\n", "unknown"},
		{"where consent has been refused, you should", "Where consent has been refused, you should still make a referral if you are worried.\n", "unknown"},
		{"a question left unanswered", "Has the parent/carer consented to this referral?\n", "unknown"},
		{"the label's guidance and no answer", "Consent (please state whether given, refused or not sought, and why):\n\nAmy told me on Monday that dad hit her.\n", "unknown"},
		{"would not consent if asked", "Mum would not consent if asked, so I have not asked her.\n", "unknown"},
		{"still read: anyone you need to", "I am her mum. I'm happy for you to talk to anyone you need to.\n", "given"},
		{"still read: when asked, refused", "When I asked, mum refused consent.\n", "refused"},
		// Not sought, beside a refusal of something else or a "not given".
		{"not sought, refused to engage before", "Consent: Not sought – mum has previously refused to engage with services\n", "not-sought"},
		{"not given, not asked", "Consent: Not given - not asked as out of hours\n", "not-sought"},
		{"not sought, refused to let the nurse in", "Consent: Not sought - mum refused to let the nurse in\n", "not-sought"},
		{"haven't asked yet", "Consent: No – I haven't asked yet\n", "not-sought"},
		{"will ask", "Consent: Will ask mum at pick-up\n", "not-sought"},
		{"still read: not given alone", "Consent: Not given\n", "refused"},
		{"still read: not obtained, declined", "Consent: Not obtained - victim declined.\n", "refused"},
		// A doubt or a leave still to come.
		{"form: probably agrees", "Consent: Mum probably agrees\n", "unknown"},
		{"form: assumed", "Consent: Assumed\n", "unknown"},
		{"form: implied", "Consent: Implied – mum brought her in\n", "unknown"},
		{"form: yes I think so", "Consent: Yes I think so\n", "unknown"},
		{"form: yes?", "Consent: Yes?\n", "unknown"},
		{"form: yes, to be confirmed", "Consent: Yes (to be confirmed)\n", "unknown"},
		{"seemed to agree", "Mum seemed to agree with the referral.\n", "unknown"},
		{"unsure whether mum agrees", "I'm unsure whether mum agrees to the referral.\n", "unknown"},
		{"may agree", "Mum may agree to the referral once she has calmed down.\n", "unknown"},
		{"hopefully will agree", "Hopefully mum will agree to the referral.\n", "unknown"},
		{"might consent", "Mum might consent if we speak to her first.\n", "unknown"},
		{"likely to agree", "Mum is likely to agree to the referral.\n", "unknown"},
		{"I think dad would refuse", "I think dad would refuse consent.\n", "unknown"},
		{"still read: would not give consent", "Dad would not give consent.\n", "refused"},
		{"still read: agreed, and may be at work", "Mum has agreed to the referral and may be at work when you call.\n", "given"},
		// A refusal denied is not a refusal; "no objection" is leave.
		{"has not refused", "Mum has not refused consent.\n", "unknown"},
		{"did not object", "Dad did not object to the referral.\n", "unknown"},
		{"not withdrawn", "Consent has not been withdrawn.\n", "unknown"},
		{"form: not refused", "Consent: Not refused\n", "unknown"},
		{"form: did not refuse", "Consent: mum did not refuse\n", "unknown"},
		{"form: does not disagree", "Consent: Mum does not disagree\n", "unknown"},
		{"never refused before", "Mum has never refused consent before.\n", "unknown"},
		{"form: no objection", "Consent: No objection\n", "given"},
		{"no objection to the referral", "Parents have no objection to the referral.\n", "given"},
		{"no objection to something else", "Mum has no objection to the school nurse seeing him.\n", "unknown"},
		// The question turned round: its Yes is the refusal (or not sought), its No says nothing.
		{"consent refused? yes", "Has consent been refused? Yes\n", "refused"},
		{"consent refused? no", "Has consent been refused? No\n", "unknown"},
		{"family refused consent? yes", "Has the family refused consent? Yes\n", "refused"},
		{"consent withheld? yes", "Has consent been withheld? Yes\n", "refused"},
		{"consent refused (Y/N): Y", "Consent refused (Y/N): Y\n", "refused"},
		{"parents decline consent? yes", "Did the parents decline consent? Yes\n", "refused"},
		{"made without consent? yes", "Is the referral being made without consent? Yes\n", "not-sought"},
		{"consent overridden? yes", "Consent overridden? Yes\n", "not-sought"},
		{"without the parents' consent? no", "Are you making this referral without the parents' consent? No\n", "unknown"},
		{"turned round, answered in words", "Has consent been refused? Not asked - risk to Amy\n", "not-sought"},
		{"still read: the options printed in the label", "Consent given/refused/not sought: Given\n", "given"},
		{"still read: the options printed, refused", "Consent (given / refused / not sought): Refused\n", "refused"},
		// Options and boxes.
		{"boxes: refused ticked", "Consent: ☐ Given ☒ Refused ☐ Not sought\n", "refused"},
		{"boxes after options: refused ticked", "Consent: Given ☐ Refused ☒ Not sought ☐\n", "refused"},
		{"boxes: not sought ticked", "Consent: ☐ Yes ☐ No ☒ Not sought\n", "not-sought"},
		{"yes/no delete as appropriate", "Consent given: Yes/No (delete as appropriate)\n", "unknown"},
		{"yes or no", "Consent given? Yes or No\n", "unknown"},
		// One agrees and one refuses: both said, nothing read; one named yes beside another not asked is consent.
		{"form: yes from mum, dad refused", "Consent: Yes from mum, dad refused\n", "unknown"},
		{"form: mum refused, dad agreed", "Consent: Mum refused, dad agreed\n", "unknown"},
		{"form: the child consents, mum refuses", "Consent: Child (15) consents, mum refuses\n", "unknown"},
		{"prose: dad refused but mum agreed", "Dad refused consent for the referral but mum agreed.\n", "unknown"},
		{"form: mum yes, dad not asked", "Does the parent/carer consent? Mum yes, dad not asked\n", "given"},
		{"form: mum yes, dad no", "Consent: Mum yes, dad no\n", "unknown"},
		{"still read: not obtained, mum declined", "Consent not obtained: mum declined.\n", "refused"},
		{"still read: not happy for me to refer", "Mum was not happy for me to refer but I have a duty to.\n", "refused"},
		// A word of leave denied gives nothing; leave said briefly is consent.
		{"form: could not be obtained", "Consent: Could not be obtained\n", "unknown"},
		{"form: mum happy", "Consent: Mum happy\n", "given"},
		{"form: dad OK'd it", "Consent: Dad OK'd it\n", "given"},
		{"form: mum not happy is a refusal", "Consent: Mum not happy\n", "refused"},
		// The family could not be reached to be asked: not sought.
		{"form: unable to contact mum", "Consent: Unable to contact mum\n", "not-sought"},
		{"form: not possible, out of hours", "Consent: Not possible – out of hours\n", "not-sought"},
		{"parents could not be contacted to ask", "Parents could not be contacted to ask for consent.\n", "not-sought"},
		{"unable to speak to mum before sending this", "We were unable to speak to mum before sending this.\n", "not-sought"},
		{"unreachable, about something else", "We were unable to speak to mum about the missed appointments.\n", "unknown"},
		{"form: no, as it would alert dad", "Consent: No, as it would alert dad\n", "not-sought"},
		// The question's label alone on its line, the answer on the next (HTML label and value paragraphs).
		{"label line, then yes", "Consent\nYes\n", "given"},
		{"label line, then no with its reason", "Parental consent\n\nNo – police referral\n", "not-sought"},
		{"a heading over the next question is no answer", "4. Risk and consent\nAre parents aware of this referral? ☒ Yes ☐ No\n", "unknown"},
		{"reply: yes, to does mum consent", "Yes.\n\nOn Mon, 23 Nov 2026 at 10:00, MASH <mash@council.example.gov.uk> wrote:\n> Does mum consent to the referral?\n", "given"},
		{"reply: no, to has consent been sought", "No - dad is the risk.\n\nOn Mon, 23 Nov 2026 at 10:00, MASH <mash@council.example.gov.uk> wrote:\n> Has consent been sought?\n", "not-sought"},
		// Leave and refusal in other words.
		{"knows I'm referring and doesn't mind", "Mum knows I'm referring and doesn't mind.\n", "given"},
		{"doesn't mind me referring", "Mum doesn't mind me referring.\n", "given"},
		{"doesn't mind, about nothing said", "Mum doesn't mind.\n", "unknown"},
		{"doesn't mind something else", "Dad doesn't mind her going to the youth club.\n", "unknown"},
		{"begged me not to refer", "Mum begged me not to refer.\n", "refused"},
		{"asked me not to contact you", "Dad asked me not to contact you.\n", "refused"},
		{"asked me not to tell her parents is not about the referral", "She begged me not to tell her parents.\n", "unknown"},
		{"asked me not to tell anyone", "Dad asked me not to tell anyone.\n", "unknown"},
		{"informed: yes, and they agree", "Is the family aware of this referral? Yes - and they agree\n", "given"},
		{"form: N, dad would put her at risk", "Consent (Y/N): N – dad would put her at risk\n", "not-sought"},
		// A refusal foreseen or in the past is not this referral's: not sought when the answer says so.
		{"not sought, mum would refuse", "Consent: Not sought (mum would refuse)\n", "not-sought"},
		{"not sought, refused a referral in 2024", "Consent: Not sought - dad previously refused consent for a referral in 2024\n", "not-sought"},
		{"refused in 2024, not asked this time", "Consent: Refused in 2024, not asked this time\n", "not-sought"},
		{"previously refused", "Consent: Previously refused\n", "unknown"},
		{"refused last time", "Mum refused consent last time.\n", "unknown"},
		{"still read: refused, with a date today", "Consent: Refused by mum on the phone this morning\n", "refused"},
		// Agreement to something else than the referral: a plan, an arrangement, a placement.
		{"agreed to the plan", "Mum agreed to the plan.\n", "unknown"},
		{"agreed to a safety plan", "Mum agreed to a safety plan.\n", "unknown"},
		{"agreed to keep dad away", "Mum agreed to keep dad away.\n", "unknown"},
		{"agreed that the children would stay at nan's", "Mum agreed that the children would stay at nan's.\n", "unknown"},
		{"form: agreed to the safety plan", "Consent: Mum agreed to the safety plan\n", "unknown"},
		{"still read: agreed to the arrangement and to MASH being informed", "Consent: mother agreed to the s20 arrangement and to MASH being informed.\n", "given"},
		{"still read: agreed to the children staying and to a MASH referral", "Mum agreed to the children staying with Kelly and to a MASH referral.\n", "given"},
		{"still read: agreed that I could refer", "Mum agreed that I could refer both boys.\n", "given"},
		{"still read: aware of and agree to the transfer", "Parents are aware of and agree to the transfer.\n", "given"},
		{"form: mum agreed but dad not asked", "Consent: Mum agreed but dad not asked\n", "given"},
		// Agreement or refusal by someone who is not the family's to give: a meeting, a partner, the suspect.
		{"everyone at the meeting agreed", "Everyone at the meeting was in agreement with the referral.\n", "unknown"},
		{"mum's partner agreed", "Mum's partner agreed to the referral.\n", "unknown"},
		{"mum's partner refused", "Mum's partner refused consent.\n", "unknown"},
		{"the suspect does not want social services", "The perpetrator does not want social services involved.\n", "unknown"},
		{"still read: mum agreed, her partner refused", "Mum agreed to the referral.\n", "given"},
		// The young person's own word, in its own clause.
		{"the young person consents after a semicolon", "Amy (15) has asked that her mum is not told; she consents to the referral.\n", "given"},
		{"consented to me speaking to you", "Amy consented to me speaking to you.\n", "given"},
		{"refused to let me refer", "Amy refused to let me refer.\n", "refused"},
		// Tuning round t8's misses (read on its branch), by rules of their own.
		{"knows I am contacting you and said that's fine", "I spoke to mum at pick up. She knows I am contacting you and said that’s fine, she wants help.\n", "given"},
		{"said that's fine about something else", "Mum said that's fine when I asked about the trip.\n", "unknown"},
		{"form: not able to consent", "Consent obtained? No - patient not able to consent\n", "not-sought"},
		{"form: mum unconscious", "Consent: Mum unconscious in resus\n", "not-sought"},
		{"no chance to ask about contacting you", "She left before I could stop her. I didn't get the chance to ask her about contacting you.\n", "not-sought"},
		{"no chance to ask about something else", "I didn't get the chance to ask her about the rent.\n", "unknown"},
		{"asked me to write this", "Luísa asked me to write this and she agrees for you to contact her.\n", "given"},
		{"the police asked me to write this", "The police asked me to write this.\n", "unknown"},
		// Tuning round t9's misses, mended by rules about how people write (rows of our own).
		{"not asked them, about the referral", "We were advised not to speak to the parents before making this referral, so we have not asked them.\n", "not-sought"},
		{"not asked her, about the referral", "I haven't asked her mum yet because of the risk - this referral is to get advice.\n", "not-sought"},
		{"not asked them, about something else", "We have not asked them about the bruise.\n", "unknown"},
		{"she asked me to do it, writing to you", "Mum knows I am writing to you - she asked me to do it because she is too scared to ring.\n", "given"},
		{"she asked me to do it, something else", "She asked me to do it because she was busy.\n", "unknown"},
		{"the police asked me to do it", "I am contacting you because the police asked me to do it.\n", "unknown"},
		{"a reply's numbered answer to a quoted consent question", "Answers below:\n\n2) Yes, mum knows and is happy for me to refer.\n\nFrom: MASH <mash@council.example.gov.uk>\nSent: 19 January 2027 09:02\nSubject: Enquiry\n\n1) Is Amy safe tonight?\n2) Does mum consent to the referral?\n", "given"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := parseAnswers(t, c.body)
			if got := string(m.Consent.Status); got != c.want {
				t.Errorf("consent %q, want %q", got, c.want)
			}
			if c.want == "unknown" && !contains(m.Extractions[0].Missing, "consent") {
				t.Errorf("an unknown consent must be listed as missing: %v", m.Extractions[0].Missing)
			}
		})
	}
}
