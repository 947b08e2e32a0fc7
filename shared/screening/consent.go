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
// §18), a child-protection concern (immediate harm), consent given, or a recorded manager override with a
// legal basis (Hackney §7, Bexley §22-27).
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
	return true
}
