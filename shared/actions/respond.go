package actions

import (
	"context"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/lifecycle"
	"github.com/safeguarding/mash/shared/screening"
	"github.com/safeguarding/mash/shared/store"
)

// Respond records the answer to a request for information (Hackney §4(5–6)): the contact is decided with
// the outcome information-response (audited), and its item leaves the information-request tray in the same
// write (store.Change.Closes), so that no answered request is left on the tray.
func (s Service) Respond(ctx context.Context, id domain.ContactID, summary, by string) (*domain.Contact, error) {
	c, err := s.Store.GetContact(ctx, id)
	if err != nil {
		return nil, err
	}
	p, err := s.Policies(c.Authority)
	if err != nil {
		return nil, err
	}
	return s.Apply(ctx, p, id, func(c *domain.Contact) (lifecycle.Result, error) {
		r, err := lifecycle.Respond(p, c, s.Now(), summary, by)
		r.Closes = append(r.Closes, store.ItemClose{ID: screening.InfoItemID(id), By: by})
		return r, err
	})
}
