package email

import "testing"

// Portsmouth §7.5 (a child at risk of immediate harm is phoned through), the ninth round's rules: a question its
// writer left without a question mark asks — and is answered only by what follows it after a dash or a colon; a
// conditional "if" in the middle of a sentence hedges its own clause, not a clause with its own subject after it.
// Rows of our own invention, those that must be read and those that must not.
func TestPortsmouth_ImmediateHarm_QuestionsWithoutMarksAndConditions(t *testing.T) {
	const yes, no, unsaid = "yes", "no", ""
	cases := []struct{ name, body, want string }{
		// A question without its mark, answered after a dash.
		{"not while he's with us, no", "Is he in immediate danger - not while he's with us, no. But he can't stay here forever.\n", no},
		{"are the children at risk: no", "Are the children at immediate risk: no, dad is in custody.\n", no},
		{"is she in danger – yes", "Is she in danger tonight – yes, he has said he will come round.\n", yes},
		{"are the children safe tonight - no", "Are the children safe tonight - no.\n", yes},
		{"is Amy safe tonight – yes", "Is Amy safe tonight – yes, nan is staying.\n", no},
		{"is she safe tonight: she may be mum", "Is she safe tonight - no.\n", unsaid},
		{"asked, not answered", "Is he in immediate danger\nI am not sure how to answer that.\n", unsaid},
		{"answered with a doubt", "Is he in immediate danger - hard to say, he keeps going back.\n", unsaid},
		{"the victim asked about", "Is the victim at immediate risk - yes.\n", unsaid},
		{"a police note without its subject is no question", "Was taken into police protection at 02:10 by PC 1234.\n", yes},
		// The emergency call made, and the writer not worried for today, in other words.
		{"made a 999 call", "I have made a 999 call and I am staying with her.\n", yes},
		{"made a 999 call before", "We have made a 999 call before, last year.\n", unsaid},
		{"not worried about her immediate safety", "I'm not worried about her immediate safety, but she needs support.\n", no},
		{"worried about her immediate safety", "I am worried about her immediate safety.\n", yes},
		// A condition mid-sentence hedges its own clause only.
		{"a threat with a condition, then too scared to go home", "The older boys said he'll be hurt if he doesn't pay by tonight, and he's too scared to go home because they know where he lives.\n", yes},
		{"a condition with no clause after it", "He will be in danger if he goes home tonight.\n", unsaid},
		{"a condition opening the sentence", "If dad comes back tonight, and she is at home, she would be in danger.\n", unsaid},
		{"the clause after the condition is hedged too", "She may be hurt if he finds her, and she might be in danger later this week.\n", unsaid},
		{"the clause after the condition says no", "Dad shouts if he has been drinking, but she is not at immediate risk as he has moved out.\n", no},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			checkImmediateHarm(t, parseAnswers(t, c.body), c.want)
		})
	}
}

// Portsmouth §7.1 (consent to the referral), the ninth round's rules: the referral put to the family, who agreed in
// the same sentence; the family not reached, said with "haven't been able to". Rows that must be read and rows
// that must not.
func TestPortsmouth_Consent_PutToTheFamilyOrNotReached(t *testing.T) {
	cases := []struct{ name, body, want string }{
		{"discussed the referral, she is in agreement", "I have discussed this referral with Ms Mills and she is in agreement.\n", "given"},
		{"explained the referral to both parents, they agreed", "I explained the referral to both parents and they agreed.\n", "given"},
		{"went through my concerns with dad, he is happy for us to share", "I went through my concerns with dad and he is happy for us to share them.\n", "given"},
		{"discussed, and she is not in agreement: not read as given", "I have discussed this referral with Ms Mills and she is not in agreement.\n", "unknown"},
		{"discussed with a colleague who agreed", "I discussed the referral with my manager and she agreed it should go to MASH.\n", "unknown"},
		{"discussed the safety plan, not the referral", "I discussed the safety plan with mum and she agreed to it.\n", "unknown"},
		{"agreed to a support plan", "Mum agreed to a support plan with the school.\n", "unknown"},
		{"haven't been able to speak to her about the referral", "I called twice, no answer, so I haven't been able to speak to her about this referral.\n", "not-sought"},
		{"wasn't able to reach mum before sending this referral", "I wasn't able to reach mum before sending this referral.\n", "not-sought"},
		// Leave given in plain words, the family giving it.
		{"happy for the referral to be made", "Parents are aware and happy for the referral to be made.\n", "given"},
		{"knows I'm emailing and is fine with it", "Dad knows I'm emailing and is fine with it.\n", "given"},
		{"consent gained from mum", "Consent gained from mum at 10:15.\n", "given"},
		{"said yes when I asked if I could refer", "Mum said yes when I asked if I could refer.\n", "given"},
		{"told mum I'd be making a referral and she said OK", "I told mum I'd be making a referral and she said OK.\n", "given"},
		{"a form's consent answer saying how it was given", "Consent: verbal from mum 10/03\n", "given"},
		{"a form's consent answer: written, by dad", "Consent: Written - signed by dad\n", "given"},
		{"the school happy for the referral to be made", "The head is happy for the referral to be made.\n", "unknown"},
		{"not happy for the referral to be made: not read as given", "Mum knows but is not happy for the referral to be made.\n", "unknown"},
		{"told mum, she said it was not ok", "I told mum I'd be making a referral and she said it was not ok.\n", "unknown"},
		{"a form's consent answer: verbal, not obtained", "Consent: verbal consent not obtained\n", "not-sought"},
		{"haven't been able to speak to her about school", "I haven't been able to speak to her about his attendance.\n", "unknown"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := string(parseAnswers(t, c.body).Consent.Status); got != c.want {
				t.Errorf("consent %q, want %q", got, c.want)
			}
		})
	}
}
