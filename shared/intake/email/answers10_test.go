package email

import "testing"

// Portsmouth §7.5 (a child at risk of immediate harm is phoned through), the tenth round's rules: the risk said in
// the present on the condition of going home ("she is at immediate risk if she goes home") is a yes, a foreseen one
// ("will be in danger if …") is not; a child who will not go home because it is not safe is at risk; a hedge in the
// reason given after an answer does not take the answer back; the form's question copied into the email is answered
// by the next sentence. Rows of our own invention, those that must be read and those that must not.
func TestPortsmouth_ImmediateHarm_SaidAroundConditionsReasonsAndCopiedQuestions(t *testing.T) {
	const yes, no, unsaid = "yes", "no", ""
	cases := []struct{ name, body, want string }{
		// The present risk on going home.
		{"at immediate risk if she goes home tonight", "She is at immediate risk if she goes home tonight.\n", yes},
		{"in danger if they return home", "We think the boys are in danger if they return home.\n", yes},
		{"will be in danger if he goes home: foreseen", "He will be in danger if he goes home tonight.\n", unsaid},
		{"at risk if she goes home, with a doubt", "She is at risk if she goes home, but I am not sure.\n", unsaid},
		{"mum at risk if she goes home: an adult", "Mum is at immediate risk if she goes home.\n", unsaid},
		// Not going home because it is not safe.
		{"not going back home, it's not safe", "i'm not going back home tonight, it's not safe\n", yes},
		{"don't feel safe going back there", "I don't feel safe going back there tonight.\n", yes},
		{"not safe for her to go back home", "It's not safe for her to go back home.\n", yes},
		{"not going home for a shift", "Dad is not going home tonight because of his shift.\n", unsaid},
		// A hedge in the reason after the answer.
		{"no, as he may not see any child", "I do not believe the children are at immediate risk at present, as he has a condition not to see any child without approval.\n", no},
		{"yes, because of a threat with a condition", "Both children are in immediate danger because he said he would come back if they spoke to anyone.\n", yes},
		{"as long as is a condition", "She is not at immediate risk as long as he stays away, whether he does I cannot say.\n", unsaid},
		// The form's question copied in, answered in the next sentence.
		{"copied question, answered no", "Is any child at immediate risk? I don't believe so, but I would like them seen this week.\n", no},
		{"copied question, answered on the next line", "Are the children in immediate danger?\nI don't think so.\n", no},
		{"copied question, answered yes", "Is Leo at immediate risk? I believe so.\n", yes},
		{"copied question, yes taken back", "Is the child at risk of immediate harm? Yes – but he is now in custody\n", unsaid},
		{"copied question about mum", "Is mum at immediate risk? No.\n", unsaid},
		{"copied question, no answer", "Is the child at immediate risk? Please phone us if so.\n", unsaid},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			checkImmediateHarm(t, parseAnswers(t, c.body), c.want)
		})
	}
}

// Portsmouth §7.1 (consent to the referral, or why it was not sought), the tenth round's rules: the family's answer
// when told the referral will be made ("I told her I'd have to pass this on and she said that's fine", "… and she
// said no"); leave said as "aware of this referral and agreed to it", "knows I'm writing, she asked me to", "asked me
// to write to you"; the family not contacted, asked or told, said plainly, or in no state to be asked; a pronoun
// whose one is a professional named just before ("our DSL … She asked me to send this") gives no leave; a refusal
// "at that time" is past. Rows of our own invention, those that must be read and those that must not.
func TestPortsmouth_Consent_ToldThenAnsweredOrNotReached(t *testing.T) {
	cases := []struct{ name, body, want string }{
		// Told, then answered.
		{"told her I'd pass this on, she said that's fine", "I told her I would have to pass this on and she said that's fine.\n", "given"},
		{"explained to dad I'd contact social services, he said yes", "I explained to dad (his English is limited) that I would contact social services, and he said yes.\n", "given"},
		{"told Marta I was going to contact children's services, she said no", "I told Marta yesterday I was going to contact children's services and she said no.\n", "refused"},
		{"told mum I'd contact the GP: another service", "I told mum I would contact the GP and she said yes.\n", "unknown"},
		{"told her I'd share it with the school", "I told her I would share this with the school and she said ok.\n", "unknown"},
		{"told her I'd pass it on to social care", "I told her I would pass this on to social care and she said ok.\n", "given"},
		{"told my manager: a professional", "I told my manager I would refer and she said ok.\n", "unknown"},
		{"she said ok but not yet", "I told her I'd pass this on and she said ok but not yet.\n", "unknown"},
		// Leave said in other words.
		{"aware of this referral and agreed to it", "Mr Ortiz is aware of this referral and agreed to it.\n", "given"},
		{"knows I'm writing, he asked me to", "Dad knows I'm writing to you, he asked me to.\n", "given"},
		{"knows I'm writing, asked me to wait", "Dad knows I'm writing to you, he asked me to wait until Monday.\n", "unknown"},
		{"mum asked me to write to you", "Mum asked me to write to you about this.\n", "given"},
		{"the police asked me to write to you", "The police asked me to write to you.\n", "unknown"},
		// A young person's own leave, and leave to write asked in a clause of its own.
		{"a young person ok with sharing", "my name is Kai Dunn and im 15. im ok with you sharing this with whoever needs to know\n", "given"},
		{"a young person: you can tell social services", "i'm 14 years old and i dont know who else to ask. you can tell social services, i want help\n", "given"},
		{"a professional happy for you to share", "I'm happy for you to share this with the school.\n", "unknown"},
		{"a young person not ok with telling mum", "my name is Kai Dunn and im 15. im not ok with you telling my mum\n", "unknown"},
		{"her English is not strong and she asked me to write", "Mrs Okoro's English is not strong and she asked me to write to you.\n", "given"},
		{"a social worker asked me to write", "Our social worker is off sick and she asked me to write to you.\n", "unknown"},
		// Not reached.
		{"not contacted a child's parents", "I have not contacted Jayden's parents.\n", "not-sought"},
		{"not said anything to the family and don't know if we should", "We have not said anything to the family and we don't know if we should.\n", "not-sought"},
		{"haven't asked his dad about any of this", "I haven't asked his dad about any of this yet as he is in prison.\n", "not-sought"},
		{"not contacted the parents' solicitor", "I have not contacted the parents' solicitor.\n", "unknown"},
		{"not contacted mum about a trip", "I have not contacted mum about the school trip.\n", "unknown"},
		{"too drunk to discuss the referral", "Dad was too drunk to discuss the referral.\n", "not-sought"},
		{"in no fit state to be asked for consent", "Mum was in no fit state to be asked for consent.\n", "not-sought"},
		{"too upset to talk about what happened", "Mum was too upset to talk about what happened.\n", "unknown"},
		// "She" after a professional named by role.
		{"our DSL, she asked me to send this", "I am writing for our DSL, Ms Hart, who is off site today. She asked me to send this to you.\n", "unknown"},
		{"still read: mum, she asked me to contact you", "I spoke to mum after school today. She asked me to contact you.\n", "given"},
		{"still read: she consents after her own sentence", "She has not told the police. She consents to this referral.\n", "given"},
		// A refusal at that time is past.
		{"declined a referral at that time", "She disclosed abuse to the GP in 2025 and declined referral at that time.\n", "unknown"},
		{"still read: declined the referral today", "She declined the referral today.\n", "refused"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := string(parseAnswers(t, c.body).Consent.Status); got != c.want {
				t.Errorf("consent %q, want %q", got, c.want)
			}
		})
	}
}
