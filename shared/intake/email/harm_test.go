package email

import (
	"strings"
	"testing"
	"time"
)

// Portsmouth §7.5: a professional who deems the child at risk of immediate harm phones the concerns through,
// and the form follows. The email's answer to "is the child at risk of immediate harm?" decides whether the
// contact waits in the ordinary queue, so it is read however the referrer wrote it — and left empty when the
// referrer did not say, hedged, or said both (a wrong "no" is worse than none).
func TestPortsmouth_ImmediateHarm_ReadAsReferrersWriteIt(t *testing.T) {
	const yes, no, unsaid = "yes", "no", ""
	cases := []struct {
		name, body, want string
	}{
		// Labelled answers: same line, next line, next paragraph, dashes, Y/N, capitals, numbered questions.
		{"same line", "Child's name: Amy Lee\nIs the child at immediate risk of harm? Yes - police on the way\n", yes},
		{"answer on the next line", "Child's name: Amy Lee\n\nIs the child at immediate risk of significant harm?\nNo – she is with her grandmother\n", no},
		{"answer after a dash", "Name: Amy Lee\nIs Amy at immediate risk? - No, she is staying with her aunt\n", no},
		{"Y/N", "Name: Amy Lee\nImmediate risk (Y/N): Y\n", yes},
		{"N in a tab layout", "Name:\tAmy Lee\nImmediate risk:\tN\n", no},
		{"numbered question", "1. Name and date of birth\nAmy Lee 01/02/2015\n\n2. Is Amy at risk of immediate harm?\nYES - SHE IS AT HOME WITH HIM NOW\n", yes},
		{"harm today", "Name: Amy Lee\nIs the child at risk of significant harm today? Yes\n", yes},
		{"unknown", "Name: Amy Lee\nChild at risk of immediate harm? Unknown\n", unsaid},
		{"N/K", "Name: Amy Lee\nImmediate risk (Y/N): N/K\n", unsaid},
		{"N/A", "Name: Amy Lee\nImmediate risk: N/A\n", unsaid},
		{"question left with its guidance", "Name: Amy Lee\nIs the child at immediate risk of harm? (If yes, do not email: phone the MASH on 023 9268 8793)\n", unsaid},
		{"options left as printed", "Name: Amy Lee\nImmediate risk? Yes/No\n", unsaid},
		// The fourth round: the question asked as urgent protection; the answer in words, its reason after a dash.
		{"urgent protection question", "Name: Amy Lee\nDoes Amy need urgent protection? No\n", no},
		{"urgent protective action", "Name: Amy Lee\nIs urgent protective action needed? Yes - mum's partner is back\n", yes},
		{"answered not at this time", "Name: Amy Lee\nImmediate risk: Not at this time - review after the weekend\n", no},
		{"answered in a sentence", "Name: Amy Lee\nRisk of immediate harm: Not believed to be at immediate risk - dad no longer lives there\n", no},
		{"immediate safeguarding concerns question", "Name: Amy Lee\nAre there any immediate safeguarding concerns? No\n", no},
		{"answered not known", "Name: Amy Lee\nImmediate risk: not known - we will keep him until 6pm\n", unsaid},

		// Said in sentences.
		// A negation reaches "immediate risk" only inside its own clause (a wrong no leaves a child in the
		// ordinary queue).
		{"another clause's not", "Amy Lee has not eaten since Friday and is at immediate risk from her stepfather.\n", yes},
		{"another clause's never", "Her mum has never worked with services, so Amy is in immediate danger tonight.\n", yes},
		{"no after a comma", "No, Amy is not at immediate risk: her father has left the area.\n", no},
		{"a shared verb: its not still reaches, never a yes", "I do not think Amy is hurt and in immediate danger.\n", unsaid},
		{"in danger now", "Amy rang me crying: her father has locked her in. I believe she is in danger now, tonight.\n", yes},
		{"a conditional danger is no answer", "If he comes back tonight the children could be in danger.\n", unsaid},
		{"not in danger is not a yes", "The police attended and Amy is not in danger.\n", unsaid},
		{"a newer danger above a quoted no", "Amy is in danger tonight, please send someone.\n\nOn Mon, 23 Nov 2026 at 10:00, Social Worker wrote:\n> We have no information that she is at immediate risk.\n", yes},
		{"second clause's no", "There are no concerns about school attendance and no immediate risk at home.\n", no},
		{"immediate danger", "Amy Lee (7) is shut out on the balcony again. I think she is in immediate danger.\n", yes},
		{"may be at immediate risk", "We consider that the child may be at immediate risk.\n", yes},
		{"significant harm tonight", "I believe Amy is at risk of significant harm tonight.\n", yes},
		{"not safe to go home", "Amy told me what happened. I do not think she is safe to go home.\n", yes},
		{"frightened to go home", "Amy says she is frightened to go home tonight.\n", yes},
		{"young person not safe here", "im at the station and im not safe here\n", yes},
		{"phoned the MASH", "I have phoned the MASH and spoke to the duty social worker at 10:40.\n", yes},
		{"called 999", "Her ex-partner is outside. We have called 999.\n", yes},
		{"police protection", "Both children were taken into police protection at 02:10.\n", yes},
		{"emergency protection order", "The local authority obtained an emergency protection order this afternoon.\n", yes},
		{"not at immediate risk", "Amy is not at immediate risk while he is in custody.\n", no},
		{"don't think in immediate danger", "I don't think he is in immediate danger but I am worried.\n", no},
		{"no immediate risk to the children", "In my opinion there is no immediate risk to the children.\n", no},
		{"none known", "Immediate risk - none known.\n", no},

		// Not the referrer's answer: someone else's call, a question, a hedge, a condition, a consultation.
		{"someone else called 999", "Police were called at 01:15. Kayla called 999 from upstairs.\n", unsaid},
		{"a question asked", "Could you tell me whether she is at immediate risk? I am not sure.\n", unsaid},
		{"unsure", "I am not sure whether Amy is at immediate risk.\n", unsaid},
		{"cannot rule out", "I can't rule out that she is in immediate danger.\n", unsaid},
		{"conditional", "If he comes back she would be in immediate danger.\n", unsaid},
		{"consultation call", "I phoned the MASH consultation line and was advised to send this referral.\n", unsaid},
		{"nothing said", "Amy has had three injuries this half term. Mum says it was the radiator.\n", unsaid},
		{"said both", "There is no immediate risk at school. She is frightened to go home tonight.\n", unsaid},
		{"future call", "I will phone the police if he turns up again.\n", unsaid},
		{"a signature's instruction", "Amy has bruises again.\n\nKind regards\nSam\nIn an emergency, where a child is in immediate danger, please call 999.\n", unsaid},
		{"a disclaimer", "Amy has bruises again.\n\nThis mailbox is not monitored at weekends. Any child at immediate risk should be reported to the police.\n", unsaid},
		{"someone else phoned the MASH", "Mum phoned the MASH last week to ask for help with Amy.\n", unsaid},
		{"a call long ago", "I called the police about him in March.\n", unsaid},
		{"a call before", "We have called the police before about the shouting.\n", unsaid},
		{"a call with a time", "I have phoned the MASH and will keep her here until someone calls me back before 4pm.\n", yes},
		{"danger passed", "The immediate danger has passed as he was arrested.\n", unsaid},
		{"danger in the past", "Last night she was in immediate danger.\n", unsaid},
		{"the past, and now", "She was in immediate danger last night and I think she is in immediate danger now.\n", yes},
		{"a police protection notice", "This is a Public Protection Notice for your information.\n", unsaid},
		{"no immediate safety concerns", "Amy was seen at the clinic today. No immediate safety concerns at the time of the visit.\n", no},
		{"immediate safeguarding concerns raised", "The ward raised immediate safeguarding concerns about the bruising.\n", unsaid},
		{"no concerns about her immediate safety", "There are no concerns about her immediate safety while she is in hospital.\n", no},
		{"a hedge after but", "There is no immediate risk to Amy as her gran is staying, but I would be grateful for a call back.\n", no},
		{"a hedge before but", "I'm not sure but I think she is in immediate danger.\n", unsaid},
		{"seen safe and well", "Officers left at 03:10; both children were seen safe and well.\n", no},
		{"safe and well checks to come", "The next step is safe and well checks by the PCSO.\n", unsaid},
		{"safe tonight", "Amy is safe at home with her gran tonight.\n", no},
		{"the young person safe tonight", "im safe tonight cos im at my nans\n", no},
		{"she may be the mother", "She's safe tonight as she is staying at her sister's.\n", unsaid},
		{"mum safe, not the children", "Mum is safe now but the children are still with him.\n", unsaid},
		{"nowhere is safe", "Nowhere is safe for her now.\n", unsaid},
		{"not read as safe", "I don't think she's safe tonight.\n", unsaid},

		// The newest message speaks for now; quoted history only when the newest says nothing.
		{"update above a quoted no", "URGENT: he has found the refuge. They are in immediate danger.\n\n-----Original Message-----\nFrom: Marcia Lewis\nSent: 20 November 2026 10:31\nSubject: Referral\n\nNo immediate risk identified at present.\n", yes},
		{"quoted answer when the reply says nothing", "Answers below.\n\n-----Original Message-----\nFrom: MASH <mash@council.example.gov.uk>\nSent: 24 November 2026 09:40\nSubject: More information\n\nIs Amy at risk of immediate harm?\nNO - SHE IS IN HOSPITAL\n", no},
		{"Gmail quote", "Thanks, see below.\n\nOn Thu, 26 Nov 2026 at 10:02, Sam <sam@example.org> wrote:\n> Amy is not at immediate risk.\n", no},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			raw := "From: Referrer <referrer@example.org>\r\nTo: mash@council.example.gov.uk\r\nSubject: Referral\r\n" +
				"Date: Tue, 24 Nov 2026 12:00:00 +0000\r\nMessage-ID: <harm-test@example.org>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
				strings.ReplaceAll(c.body, "\n", "\r\n")
			m, err := Parse([]byte(raw), Options{Received: time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)})
			if err != nil {
				t.Fatal(err)
			}
			got := unsaid
			if hasField(m.Extractions[0].Fields, "immediateHarm") {
				got = map[bool]string{true: yes, false: no}[m.ImmediateHarm]
			}
			if got != c.want {
				t.Errorf("immediate harm %q, want %q", got, c.want)
			}
			if got == unsaid && !contains(m.Extractions[0].Missing, "immediateHarm") {
				t.Errorf("an unanswered immediate harm must be listed as missing: %v", m.Extractions[0].Missing)
			}
		})
	}
}

// Portsmouth §2 (consent at the point of contact, §2.3–2.4: information may be shared without consent where a
// child may be at risk of significant harm) and §7.1 (the MASH considers whether consent has been gained):
// consent said in a sentence is read only in its plain forms, and left unknown otherwise. The fourth round's
// rules: the family not yet told of the referral is consent not sought; "no consent" where the family does not
// want social care is a refusal.
func TestPortsmouth_Consent_ReadAsReferrersWriteIt(t *testing.T) {
	cases := []struct{ name, body, want string }{
		{"not yet spoken to the family", "We have not yet spoken to the family about this referral.\n", "not-sought"},
		{"dad not told", "Dad has not been told about the referral as it may increase the risk to Amy.\n", "not-sought"},
		{"not discussed with mum", "I haven't discussed the referral with mum because of her partner.\n", "not-sought"},
		{"without consent", "Information shared without consent under our duty to safeguard.\n", "not-sought"},
		{"no consent because mum does not want it", "Mum does not want children's services involved, so there is no consent.\n", "refused"},
		{"refused", "Mum refused consent for the referral.\n", "refused"},
		{"discussed and agreed", "I have discussed the referral with mum and she agreed to it.\n", "given"},
		{"not spoken about something else", "We have not spoken to dad about his drinking yet.\n", "unknown"},
		{"not spoken about contacting you", "We haven't spoken to the parents about contacting you yet.\n", "not-sought"},
		{"not told mum I am referring", "I have not told her mother that I am referring.\n", "not-sought"},
		{"not asked for consent", "We did not ask dad for consent because of the risk to Amy.\n", "not-sought"},
		{"aware of the referral and agrees", "Ms Lowe is aware of the referral and agrees.\n", "given"},
		{"aware of the referral and happy", "Dad is aware of this referral and is happy for us to share information.\n", "given"},
		{"parents not informed", "Parents have not been informed due to the risk of flight.\n", "not-sought"},
		{"mum not told of a diagnosis", "Mum has not been told about the test results yet.\n", "unknown"},
		{"a question is not an answer", "Have the family consented? No - they have not been asked due to the risk\n", "not-sought"},
		{"verbal consent from", "Consent: Verbal consent from dad on 20/11\n", "given"},
		{"no verbal consent", "Consent: No verbal consent\n", "unknown"},
		{"consent not required", "Parental consent: Not required - section 47 enquiry\n", "not-sought"},
		{"does not know about the referral", "Her father does not know about this referral.\n", "not-sought"},
		{"form: declined beats not obtained", "Consent: Not obtained - father declined to give it\n", "refused"},
		{"form: does not agree", "Parental consent: Dad told - does NOT agree with the referral\n", "refused"},
		{"form: no, not informed", "Consent from parents: No - father not informed because of the risk\n", "not-sought"},
		{"form: yes, one parent not told", "Consent: Yes - mum agreed; dad not told (no contact order)\n", "given"},
		{"prose: declined beats not obtained", "Consent not obtained: mum declined.\n", "refused"},
		{"you have my consent", "You have my consent to share this with her GP.\n", "given"},
		{"parents know and agree", "Both parents know about and agree to the referral.\n", "given"},
		{"parents do not agree with something else", "Her parents do not agree with the school about her behaviour.\n", "unknown"},
		{"nothing said", "Amy was hungry again this morning.\n", "unknown"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			raw := "From: Referrer <referrer@example.org>\r\nTo: mash@council.example.gov.uk\r\nSubject: Referral\r\n" +
				"Date: Tue, 24 Nov 2026 12:00:00 +0000\r\nMessage-ID: <consent-test@example.org>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
				"Child's name: Amy Lee\r\n\r\n" + strings.ReplaceAll(c.body, "\n", "\r\n")
			m, err := Parse([]byte(raw), Options{Received: time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)})
			if err != nil {
				t.Fatal(err)
			}
			if got := string(m.Consent.Status); got != c.want {
				t.Errorf("consent %q, want %q", got, c.want)
			}
			if c.want == "unknown" && !contains(m.Extractions[0].Missing, "consent") {
				t.Errorf("an unknown consent must be listed as missing: %v", m.Extractions[0].Missing)
			}
		})
	}
}
