package actions

import (
	"context"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/lifecycle"
	"github.com/safeguarding/mash/shared/workflow"
)

// Census is the census codes a screener chose for a contact (issue #16: those intake could not derive
// with certainty): DfE children in need codes (shared/census lists them). An empty field leaves the one
// recorded (or derived); at least one is given.
type Census struct {
	Source    string `json:"source"`
	Gender    string `json:"gender"`
	Ethnicity string `json:"ethnicity"`
	By        string `json:"by"`
}

// Census records the codes (lifecycle.RecordCensus), audited census.set, in any status. It is what the
// API's POST /v1/contacts/{id}/census, the console's census form and `mash demo` call; a decision refused
// for missing codes (lifecycle.Decide, a 409 naming them) goes ahead once they are recorded here.
func (s Service) Census(ctx context.Context, id domain.ContactID, cc Census) (*domain.Contact, error) {
	_, p, err := s.Load(ctx, workflow.StepInput{ContactID: id})
	if err != nil {
		return nil, err
	}
	now := s.Now()
	return s.Apply(ctx, p, id, func(c *domain.Contact) (lifecycle.Result, error) {
		return lifecycle.RecordCensus(c, now, cc.Source, cc.Gender, cc.Ethnicity, cc.By)
	})
}
