package screening

import (
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/policy"
)

// ConsentGate decides whether a contact must go back to the referrer to seek consent before the MASH acts.
//
// Northamptonshire seed §6b: "In the event that a referral is submitted without parental consent, and it is
// not immediate child protection, it will not be accepted by the team. The MASH partner/member will make
// contact with the referrer and ask that they seek consent at the earliest opportunity." Which authorities do
// this is policy (consent.rejectWithoutConsentUnlessCP), never a name in code.
//
// Not returned: a contact from a member of the public where the policy says they need no consent (Bexley
// §18), a child-protection concern (immediate harm, section 47), an allegation against a professional (LADO)
// or a radicalisation concern (Prevent), consent given, or a recorded manager override with a legal basis
// (Hackney §7, Bexley §22-27).
func ConsentGate(p *policy.Policy, c *domain.Contact) (returnForConsent bool) {
	if !p.Consent.RejectWithoutConsentUnlessCP {
		return false
	}
	if c.ImmediateHarm || c.Consent.Status == domain.ConsentGiven || c.Consent.Override != nil {
		return false
	}
	if !c.Referrer.Professional && p.Consent.PublicNeedNotConsent {
		return false
	}
	if c.Channel == domain.ChannelPPN {
		// Police notifications are not referrals a professional sought consent for; they are screened.
		return false
	}
	if c.S47 || c.Flags.AllegationAgainstProfessional || c.Flags.Radicalisation {
		// Not a request for family support the family must agree to: a section 47 concern is child protection
		// (§5: no consent is needed to share it), an allegation against a person who works with children goes
		// to the LADO and a radicalisation concern to the Prevent / Channel pathway, neither of which waits for
		// the parents' consent (Working Together 2023; Prevent duty guidance). They were returned to the school
		// or college "to seek consent" — a Prevent lead told to ask the parents against Prevent's own advice.
		return false
	}
	return true
}
