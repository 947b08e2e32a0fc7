package actions

import (
	"context"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/lifecycle"
	"github.com/safeguarding/mash/shared/screening"
)

// Respond records the answer to a request for information (Hackney §4(5–6)): the contact is decided with
// the outcome information-response (audited), and its item leaves the information-request tray.
func (s Service) Respond(ctx context.Context, id domain.ContactID, summary, by string) (*domain.Contact, error) {
	c, err := s.Store.GetContact(ctx, id)
	if err != nil {
		return nil, err
	}
	p, err := s.Policies(c.Authority)
	if err != nil {
		return nil, err
	}
	c, err = s.Apply(ctx, p, id, func(c *domain.Contact) (lifecycle.Result, error) {
		return lifecycle.Respond(p, c, s.Now(), summary, by)
	})
	if err != nil {
		return nil, err
	}
	if _, err := s.Store.CompleteTrayItem(ctx, screening.InfoItemID(id), by); err != nil && domain.ErrorCode(err) != domain.CodeNotFound {
		return c, err
	}
	return c, nil
}
