package email

import "testing"

// Portsmouth §7.5 (a child at risk of immediate harm is phoned through), the eleventh round's rules: a reason that
// opens the sentence ("Given what happened last week, …") does not hedge the answer after its comma; a young person
// who cannot go back home tonight, or a child who cannot go home under a threat, is at risk; a stay away that ends
// tonight is not safety; a professional with "no information to suggest" a risk says no. Rows of our own invention,
// those that must be read and those that must not.
func TestPortsmouth_ImmediateHarm_ReasonFirstCannotGoBackNothingToSuggest(t *testing.T) {
	const yes, no, unsaid = "yes", "no", ""
	cases := []struct{ name, body, want string }{
		// A reason before the comma.
		{"given last week's threat, now at immediate risk", "Given the threats he made last week, we now think Mia is at immediate risk.\n", yes},
		{"in light of what she said yesterday, not in danger", "In light of what her aunt told us in the past, we do not think she is in immediate danger.\n", no},
		{"a reason, then a hedge of its own", "Given what happened last week, she may be at immediate risk, I am not sure.\n", unsaid},
		{"no reason: a past risk stays hedged", "She was at immediate risk last week.\n", unsaid},
		// Cannot go back.
		{"i cant go back there tonight, scared", "i cant go back there tonight hes drunk and im scared\n", yes},
		{"we can't go home tonight: the boiler", "We can't go home tonight, the boiler has broken.\n", unsaid},
		{"we can't go home now", "We can't go home now, he has locked us out and is drunk.\n", yes},
		{"i can't go back to the club: no time, no threat", "I can't go back to that club after what the coach said.\n", unsaid},
		{"she can't go home, he threatened to stab her", "She can't go home tonight, her brother threatened to stab her.\n", yes},
		{"he can't go home: the flat flooded", "He can't go home tonight because the flat has flooded.\n", unsaid},
		{"mum can't go home: an adult", "Mum can't go back home, he said he would kill her.\n", unsaid},
		// A stay that ends tonight.
		{"at a friend's now, but only tonight", "Im at my friends now but her dad says I can only stay tonight.\n", unsaid},
		// Nothing to suggest.
		{"no information to suggest immediate risk", "I have no information to suggest that either child is at immediate risk, but I am worried about her weight.\n", no},
		{"nothing to indicate they are in danger", "There is nothing to indicate that the children are in danger.\n", no},
		{"nothing to suggest mum is at risk: an adult", "There is nothing to suggest mum is at immediate risk.\n", unsaid},
		{"nothing to suggest, but he knows where they are", "Nothing to suggest the boys are at immediate risk, but he knows where they live and has threatened them.\n", unsaid},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			checkImmediateHarm(t, parseAnswers(t, c.body), c.want)
		})
	}
}

// Portsmouth §7.5 and §7.1: a reply that types its answers under the MASH's quoted numbered questions, marked
// (">>", "HV:", "A:") or opening with Yes or No, answers those questions; an unmarked line that is not an answer,
// or the next question, answers nothing.
func TestPortsmouth_AnswersTypedUnderQuotedNumberedQuestions(t *testing.T) {
	const quoted = "Answers below.\n\n-----Original Message-----\nFrom: MASH <mash@council.example.gov.uk>\nSent: 24 November 2026 09:00\nSubject: More information\n\n"
	cases := []struct{ name, body, harm, consent string }{
		{"marked >> under each question", quoted + "3. Is the child at risk of immediate harm?\n>> No - dad has moved out and mum changed the locks.\n\n4. Has mum consented to the referral?\n>> Yes, she agrees.\n", "no", "given"},
		{"marked with the writer's role", quoted + "3. In your view, is either child at risk of immediate harm?\nHV: No, both are with their grandmother this week.\n", "no", "unknown"},
		{"an answer opening with Yes", quoted + "2. Do you think the child is at immediate risk?\nYes - he is back at the house tonight.\n", "yes", "unknown"},
		{"Q and A numbered", quoted + "Q3: Is the child at risk of immediate harm?\nA3: No, he is staying with his aunt.\n\nQ4: Have the parents agreed to this referral?\nA4: Yes, both of them.\n", "no", "given"},
		{"the options left as printed", quoted + "2. Is the child at risk of immediate harm?\nYes / No\n", "", "unknown"},
		{"the next question: no answer", quoted + "2. Is the child at risk of immediate harm?\n3. Has consent been given?\n", "", "unknown"},
		{"a line of the request after the question", quoted + "4. Is the child at risk of immediate harm?\nPlease phone us if so.\n", "", "unknown"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := parseAnswers(t, c.body)
			checkImmediateHarm(t, m, c.harm)
			if got := string(m.Consent.Status); got != c.consent {
				t.Errorf("consent %q, want %q", got, c.consent)
			}
		})
	}
}

// Portsmouth §7.1 (consent to the referral, or why it was not sought), the eleventh round's rules: told of the
// referral and agreed to it; "knows I am writing and said ok"; the family member writing consents in the first
// person; consent to seek information obtained; leave in a first clause not taken back by a negation about something
// else; the family not told, said as "haven't said anything to mum about contacting you" or as a fragment ("Not
// discussed with Ms Barker"). Rows of our own invention, those that must be read and those that must not.
func TestPortsmouth_Consent_ToldAndAgreedFirstPersonFirstClause(t *testing.T) {
	cases := []struct{ name, body, want string }{
		// Told of the referral, then agreed.
		{"both told we are referring and both agreed", "Both carers were told this morning that we are making a referral to the MASH and both agreed to it.\n", "given"},
		{"mum informed we'd contact you, she agreed", "Mum was informed that we would be contacting you, and she agreed.\n", "given"},
		{"told of a referral to CAMHS, agreed", "Dad was told we are making a referral to CAMHS and he agreed to it.\n", "unknown"},
		{"told we'd contact his GP, agreed", "Dad was informed we would be contacting his GP and he agreed.\n", "unknown"},
		{"told of the referral, agreed to a plan", "Mum was told about the referral and she agreed to a safety plan with the school.\n", "unknown"},
		// Knows and said ok.
		{"my brother knows I am writing and he said ok", "My brother knows I am writing to you and he said ok.\n", "given"},
		{"knows I'm emailing, she says its fine, scared of police", "Her mum knows im emailing you and she says its fine, but she is scared and does not want police round.\n", "given"},
		{"knows I'm writing and said ok, then withdrew", "Mum knows I am writing to you and she said ok, but then she withdrew it this morning.\n", "unknown"},
		{"knows I'm writing to the school and said ok", "Mum knows I am writing to the school and she said ok.\n", "unknown"},
		{"the head knows I'm writing and said ok: a professional", "The head knows I am writing to you and she said ok.\n", "unknown"},
		// The family member writing consents in the first person.
		{"a father with PR consents", "I have parental responsibility for both of them. Yes I consent to you contacting their school and GP.\n", "given"},
		{"a mother consents to checks", "I am their mother. I consent to you doing any checks you need.\n", "given"},
		{"a professional writes 'I consent'", "I consent to you contacting me on this number.\n", "unknown"},
		{"a mother consents to something else", "I am their mother. I consent to the school nurse seeing them.\n", "unknown"},
		// Consent to seek information obtained.
		{"consent to seek information was obtained from dad", "Consent to seek information from other agencies was obtained from dad today.\n", "given"},
		{"consent for the nurse to see him was given: something else", "Consent for the nurse to see him was given.\n", "unknown"},
		{"consent to share not obtained: never given", "Consent to share information was not obtained.\n", "unknown"},
		// The first clause holds the leave.
		{"agreed, and asked that dad is not told", "Mrs Kaya agreed to the referral through an interpreter, and asked that her husband is not told.\n", "given"},
		{"gave consent and understands", "Ellie has given her consent to this referral and understands that her school will be told.\n", "given"},
		{"agreed, but not to sharing with dad: a condition kept", "Mum agreed to the referral but not to anything being shared with dad.\n", "unknown"},
		{"agreed, then withdrew: not given", "Mum agreed to the referral, but she withdrew her consent an hour later.\n", "unknown"},
		// Not told.
		{"haven't said anything to mum about contacting you", "We haven't said anything to mum about contacting you yet because our manager said to wait.\n", "not-sought"},
		{"havent told dad ive contacted you", "i havent told dad ive contacted you, he would go mad\n", "not-sought"},
		{"not said anything to mum about the trip", "We haven't said anything to mum about the trip yet.\n", "unknown"},
		{"a fragment: not discussed with Mr Okafor", "Not discussed with Mr Okafor - he has not answered his phone since Friday.\n", "not-sought"},
		{"a fragment: not told dad about the bruise", "Not told dad about the bruise yet.\n", "unknown"},
		{"a fragment: not told dad about the referral", "Not told dad about the referral - he is the concern.\n", "not-sought"},
		{"haven't told mum I've contacted her GP", "i havent told mum ive contacted her GP\n", "unknown"},
		{"a fragment: not discussed with the school", "Not discussed with the school yet.\n", "unknown"},
		// Leave and its absence said in a few more ways.
		{"I have mum's permission to share this with you", "I have Mum's permission to share this with you.\n", "given"},
		{"I have the head's permission: a professional", "I have the head's permission to share this with you.\n", "unknown"},
		{"mum said I could contact you", "Mum said I could contact you.\n", "given"},
		{"she said I could tell whoever I needed to", "I spoke to her mum after school. She said I could tell whoever I needed to.\n", "given"},
		{"mum said I could contact her GP", "Mum said I could contact her GP.\n", "unknown"},
		{"mum said I could take her home", "Mum said I could take her home.\n", "unknown"},
		{"mum requested the referral", "Mum requested the referral.\n", "given"},
		{"mum requested a referral to CAMHS", "Mum requested a referral to CAMHS.\n", "unknown"},
		{"understands we are referring and is supportive", "Dad understands we are making this referral and is supportive.\n", "given"},
		{"our head understands and is supportive: a professional", "Our head understands we are making this referral and is supportive.\n", "unknown"},
		{"not been asked for consent as it may increase the risk", "Parents have not been asked for consent as this may increase the risk.\n", "not-sought"},
		{"did not ask mum as she was distressed", "I did not ask mum as she was very distressed.\n", "not-sought"},
		{"did not ask mum about her weekend", "I did not ask mum about her weekend.\n", "unknown"},
		{"dad not happy about the referral", "Dad is not happy about the referral.\n", "refused"},
		{"mum unhappy that I was referring", "Mum was unhappy that I was referring her.\n", "refused"},
		{"mum unhappy that I was late", "Mum was unhappy that I was late.\n", "unknown"},
		{"asked that social care are not contacted", "Mum has asked that social care are not contacted.\n", "refused"},
		{"asked us not to tell her dad: not the referral", "She asked us not to tell her dad.\n", "unknown"},
		{"no more involvement from social services", "Mum said she doesn't want any more involvement from social services.\n", "refused"},
		{"a note's fragment: verbal consent from dad", "Verbal consent from dad.\n", "given"},
		{"a note's fragment: verbal consent from the GP", "Verbal consent from the GP.\n", "unknown"},
		{"dad not happy about the school's decision", "Dad is not happy about the school's decision.\n", "unknown"},
		// The form's words: consent for referral without its article.
		{"form: verbal consent for referral", "Consent: Dad gave verbal consent for referral\n", "given"},
		{"form: consent for referral to CAMHS", "Consent: Dad gave verbal consent for referral to CAMHS\n", "unknown"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := string(parseAnswers(t, c.body).Consent.Status); got != c.want {
				t.Errorf("consent %q, want %q", got, c.want)
			}
		})
	}
}

// An attached PDF form whose long question ran into its answer (no gap left between the cells) is split where the
// question ends; a name with a capital inside it, or a short label, is left alone.
func TestPDFForm_LongQuestionRunIntoItsAnswer(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"harm question run into its answer", "Is there any immediate risk to the childNo - she is with her father", "Is there any immediate risk to the child\tNo - she is with her father"},
		{"consent question ending in ?", "Have the parents consented to this referral?Yes, both by phone", "Have the parents consented to this referral?\tYes, both by phone"},
		{"a name with a capital inside", "Child's name is Ronan McDonald and he is 9", "Child's name is Ronan McDonald and he is 9"},
		{"a tab already there", "Immediate risk of harm\tNo", "Immediate risk of harm\tNo"},
		{"another question", "Reason for the referralNeglect of his diabetes", "Reason for the referralNeglect of his diabetes"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := splitRunLabels(c.in); got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}

// An attached document's paragraph wrapped by its layout is read as one sentence; a line that ends a sentence, or a
// next line that opens with a capital (a new row), stays apart.
func TestAttachment_WrappedParagraphReadAsOneSentence(t *testing.T) {
	in := "Discussed with dad today. He agrees to the\nreferral and would like support.\nSchool\tHarbour Primary"
	want := "Discussed with dad today. He agrees to the referral and would like support.\nSchool\tHarbour Primary"
	if got := unwrapLines(in); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := proseConsent(unwrapLines(in)); got != "given" {
		t.Errorf("consent %q, want given", got)
	}
}
