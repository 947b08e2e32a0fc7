package reports

import (
	"github.com/safeguarding/mash/shared/census"
	"github.com/safeguarding/mash/shared/domain"
)

// ContactView is a contact as GET /v1/contacts/{id} (and `mash contacts show`) shows it: the stored contact
// and censusMissing, the census codes still to be asked of the screener (issue #16).
type ContactView struct {
	*domain.Contact
	CensusMissing []string `json:"censusMissing,omitempty"`
}

// View is the contact's ContactView.
func View(c *domain.Contact) ContactView { return ContactView{c, census.Missing(c)} }
