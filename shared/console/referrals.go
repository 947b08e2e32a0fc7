package console

import (
	"net/http"
	"sort"

	"github.com/safeguarding/mash/shared/api"
	"github.com/safeguarding/mash/shared/domain"
)

// "My referrals": a professional signed in when sending the online form (contact.SubmittedBy) follows the
// status of those referrals, and nothing else. It reads the authority's contacts by status (the index search
// reads too, never a table scan) and keeps only the signed-in account's; every row shown is an audited read.

// ReferrerRoles are the professionals who may follow their own referrals.
var ReferrerRoles = []string{api.RoleReferrer, api.RolePolice, api.RolePartner}

type referralRow struct {
	Reference domain.Reference
	Name      string
	Received  string
	Status    string
	Outcome   string
}

// statusWords says where a referral is, in the referrer's words.
var statusWords = map[domain.Status]string{
	domain.StatusReceived:           "received",
	domain.StatusQueuedOOH:          "received out of hours: the MASH looks at it when it opens",
	domain.StatusScreening:          "being screened",
	domain.StatusAwaitingRating:     "with a MASH manager",
	domain.StatusChecks:             "the MASH is gathering information from partner agencies",
	domain.StatusAwaitingDecision:   "waiting for a MASH manager's decision",
	domain.StatusInformationRequest: "the MASH has asked for more information",
	domain.StatusDecided:            "decided",
	domain.StatusForwarded:          "passed to the child's allocated worker",
	domain.StatusReturnedForConsent: "returned: consent is needed",
	domain.StatusClosed:             "closed",
}

func (s *Server) referralsPage(w http.ResponseWriter, r *http.Request) error {
	me := who(r)
	var mine []*domain.Contact
	for _, st := range domain.Statuses {
		cs, err := s.Store.ListContacts(r.Context(), s.Authority, st)
		if err != nil {
			return err
		}
		for _, c := range cs {
			if me != "" && c.SubmittedBy == me {
				mine = append(mine, c)
			}
		}
	}
	sort.SliceStable(mine, func(i, j int) bool { return mine[i].ReceivedAt.After(mine[j].ReceivedAt) })
	var rows []referralRow
	var ids []domain.ContactID
	for _, c := range mine {
		row := referralRow{Reference: c.Reference, Name: childName(c.Child), Received: s.when(c.ReceivedAt), Status: statusWords[c.Status]}
		if row.Status == "" {
			row.Status = string(c.Status)
		}
		if o := c.Outcome; o != nil {
			if o.FeedbackWithheldReason == "" {
				row.Outcome = o.AuthorityTerm
			} else {
				row.Outcome = "the MASH will contact you"
			}
		}
		rows = append(rows, row)
		ids = append(ids, c.ID)
	}
	if err := api.AuditReads(r.Context(), s.Store, me, ids, "console my referrals"); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "referrals", view{Title: "My referrals", Data: rows})
}
