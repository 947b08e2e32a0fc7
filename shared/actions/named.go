package actions

import (
	"context"
	"slices"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/lifecycle"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/workflow"
)

// NameHarm is the harm to the child as described.
type NameHarm struct {
	Harm string `json:"harm"`
	By   string `json:"by"`
}

// NameHarm records the harm to the child (lifecycle.NameHarm, audited harm.named): a contact that gave only a
// label (FII) as its reason loses its harmNotNamed flag and its prompt (Portsmouth §2.6).
func (s Service) NameHarm(ctx context.Context, id domain.ContactID, h NameHarm) (*domain.Contact, error) {
	_, p, err := s.Load(ctx, workflow.StepInput{ContactID: id})
	if err != nil {
		return nil, err
	}
	return s.Apply(ctx, p, id, func(c *domain.Contact) (lifecycle.Result, error) {
		return lifecycle.NameHarm(c, h.Harm, h.By)
	})
}

// supportingFamilies checks the Supporting Families outcomes given with a decision (Portsmouth §5.3): at a
// decision the policy names, the list is required (empty: none apply) and each must be one of the 10
// headline outcomes; elsewhere none may be given. It returns the record to keep (nil: none).
func supportingFamilies(probs *domain.Problems, p *policy.Policy, code domain.OutcomeCode, given []domain.SupportingFamiliesOutcome) *domain.SupportingFamiliesRecord {
	if !p.SupportingFamiliesAt(code) {
		if len(given) > 0 && code != "" {
			probs.Add("supportingFamilies", "is recorded only at an early help decision (%s)", supportingFamiliesDecisions(p))
		}
		return nil
	}
	if given == nil {
		probs.Add("supportingFamilies", "is required at this early help decision: which of the 10 headline outcomes apply (an empty list: none), of %s",
			domain.Join(domain.SupportingFamiliesOutcomes))
		return nil
	}
	var outs []domain.SupportingFamiliesOutcome
	for i, o := range given {
		if !o.Valid() {
			probs.Add("supportingFamilies["+itoa(i)+"]", "%q is not one of the 10 headline outcomes: %s", o, domain.Join(domain.SupportingFamiliesOutcomes))
			continue
		}
		if !slices.Contains(outs, o) {
			outs = append(outs, o)
		}
	}
	if outs == nil {
		outs = []domain.SupportingFamiliesOutcome{}
	}
	return &domain.SupportingFamiliesRecord{Outcomes: outs, Eligible: len(outs) >= p.SupportingFamilies.Eligible}
}

func supportingFamiliesDecisions(p *policy.Policy) string {
	if p.SupportingFamilies == nil {
		return "none for this authority"
	}
	return domain.Join(p.SupportingFamilies.Decisions)
}
