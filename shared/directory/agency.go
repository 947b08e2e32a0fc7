package directory

import (
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/notify"
	"github.com/safeguarding/mash/shared/policy"
)

// AgencyDesk is where a partner agency's check request goes.
type AgencyDesk struct {
	Agency domain.Agency
	Name   string
	Email  string
	Phone  string
	// OnRecord is false when the policy has no mailbox for the agency: the request goes to the MASH inbox
	// for its partner desk to forward, and the checks tray shows why.
	OnRecord bool
}

// CheckRecipient returns the agency's MASH desk from the policy (contacts.agencyDesks), or, when it has no
// mailbox there, the MASH inbox with OnRecord false.
func CheckRecipient(p *policy.Policy, a domain.Agency) AgencyDesk {
	if d, ok := p.Contacts.AgencyDesks[a]; ok && d.Email != "" {
		return AgencyDesk{Agency: a, Name: d.Name, Email: d.Email, Phone: d.Phone, OnRecord: true}
	}
	return AgencyDesk{Agency: a, Name: p.Contacts.MASHInbox.Name, Email: p.Contacts.MASHInbox.Email}
}

// NoDeskNote is what the checks tray item says of a request that went to the MASH inbox.
const NoDeskNote = "no MASH desk mailbox on record for this agency: the request went to the MASH inbox to forward"

// Extra is the check request's addressing keys for notify (the desk's mailbox and phone when on record).
func (d AgencyDesk) Extra() map[string]string {
	if !d.OnRecord {
		return map[string]string{}
	}
	x := map[string]string{notify.ExtraAgencyEmail: d.Email, notify.ExtraAgencyDesk: d.Name}
	if d.Phone != "" {
		x[notify.ExtraAgencyPhone] = d.Phone
	}
	return x
}
