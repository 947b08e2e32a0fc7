package directory

import (
	"context"
	"fmt"
	"maps"
	"strings"

	"github.com/safeguarding/mash/shared/clock"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/notify"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/store"
)

// Desk is what people do with the directory: import schools, and pick the school of a PPN the matcher
// could not name.
type Desk struct {
	Store     store.Store
	Policies  func(domain.AuthorityID) (*policy.Policy, error)
	Directory *Service
	// Notifier sends the Encompass notice once a school is picked (the directory Notifier).
	Notifier interface {
		Notify(ctx context.Context, kind domain.NoticeKind, p *policy.Policy, c *domain.Contact, extra map[string]string) error
	}
	Now clock.Now
}

// Import checks rows against the authority's policy and writes the good ones, audited as done by `by`. The
// result names every refused row and field. An import where every row is refused writes nothing and is an
// invalid error naming each (row N.field).
func (d Desk) Import(ctx context.Context, a domain.AuthorityID, by string, rows []Row, lines []int) (Result, error) {
	if by == "" {
		return Result{}, &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: "by", Message: "is required: imports are audited with the editor"}}}
	}
	p, err := d.Policies(a)
	if err != nil {
		return Result{}, err
	}
	res := Check(p, rows, lines)
	if res.Loaded == 0 {
		var pr domain.Problems
		for _, e := range res.Rejected {
			pr.Add(fmt.Sprintf("row %d.%s", e.Row, e.Field), "%s", e.Message)
		}
		if len(rows) == 0 {
			pr.Add("rows", "the file has no schools")
		}
		err := pr.Err().(*domain.Error)
		err.Message = "no school loaded"
		return res, err
	}
	ev := store.AuditEvent{Actor: by, Action: "schools.imported", Detail: map[string]string{"rows": fmt.Sprint(len(rows)),
		"loaded": fmt.Sprint(res.Loaded), "rejectedRows": fmt.Sprint(res.RejectedRows())}}
	if err := d.Store.PutSchools(ctx, a, res.Schools, ev); err != nil {
		return res, err
	}
	return res, nil
}

// PickSchool records the school a worker picked for a PPN (by URN), audited with the worker, sends the
// Encompass notice to its DSL at once and takes the contact off the encompass-unmatched tray. A URN not in
// the directory is invalid; a contact that is not an Operation Encompass PPN is invalid.
func (d Desk) PickSchool(ctx context.Context, id domain.ContactID, urn, by string) (*domain.Contact, store.School, error) {
	urn = strings.TrimSpace(urn)
	if urn == "" {
		return nil, store.School{}, &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: "urn", Message: "is required"}}}
	}
	c, err := d.Store.GetContact(ctx, id)
	if err != nil {
		return nil, store.School{}, err
	}
	p, err := d.Policies(c.Authority)
	if err != nil {
		return nil, store.School{}, err
	}
	if !c.Flags.PPN || !(p.Encompass.AllPPNs || c.Flags.DomesticAbuse) {
		return nil, store.School{}, &domain.Error{Code: domain.CodeInvalid, Message: "not an Operation Encompass notification",
			Fields: []domain.FieldError{{Field: "contact", Message: "is not a PPN that Operation Encompass shares with a school under this authority's policy"}}}
	}
	school, err := d.Store.GetSchool(ctx, c.Authority, urn)
	if domain.ErrorCode(err) == domain.CodeNotFound {
		return nil, store.School{}, &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: "urn", Message: "is not a school in this authority's directory"}}}
	}
	if err != nil {
		return nil, store.School{}, err
	}
	c, err = d.Store.UpdateContact(ctx, id, func(c *domain.Contact) (store.AuditEvent, error) {
		c.Child.SchoolURN = urn
		return store.AuditEvent{Actor: by, Action: "encompass.school-picked", Detail: map[string]string{"urn": urn}}, nil
	})
	if err != nil {
		return nil, store.School{}, err
	}
	if err := d.Notifier.Notify(ctx, notify.KindEncompass, p, c, nil); err != nil {
		return c, school, err
	}
	// The notice is sent: audited as the intake's was, saying whether the school was told (shared/reports
	// stops the Encompass clock only then).
	if err := d.auditPicked(ctx, p, c, school, by); err != nil {
		return c, school, err
	}
	if _, err := d.Store.CompleteTrayItem(ctx, UnmatchedItemID(c.ID), by); err != nil {
		if code := domain.ErrorCode(err); code != domain.CodeNotFound && code != domain.CodeConflict {
			return c, school, err
		}
	}
	return c, school, nil
}

// auditPicked writes the notice.queued event of the Encompass notice a pick sent: who was told (the school's
// DSL and deputy, or the Encompass lead when the school picked has no DSL address) and the match outcome.
func (d Desk) auditPicked(ctx context.Context, p *policy.Policy, c *domain.Contact, school store.School, by string) error {
	var x map[string]string
	if d.Directory != nil {
		r, err := d.Directory.EncompassRecipient(ctx, p, c)
		if err != nil {
			return err
		}
		x = r.Extra()
	} else {
		m := Match{Outcome: Matched, School: &school}
		if strings.TrimSpace(school.DSLEmail) == "" {
			m.Outcome = NoDSL
		}
		x = Recipient{m}.Extra()
	}
	detail := map[string]string{"kind": string(notify.KindEncompass), "transition": "encompass.school-picked"}
	maps.Copy(detail, notify.QueuedDetail(notify.KindEncompass, p, c, x))
	to := []string{p.Contacts.EncompassLead.Email}
	if detail[notify.DetailTold] == notify.ToldSchool {
		to = []string{x[notify.ExtraSchoolEmail]}
		if cc := x[notify.ExtraSchoolCc]; cc != "" {
			to = append(to, cc)
		}
	}
	ev := store.AuditEvent{ContactID: c.ID, Actor: by, Action: store.ActionNoticeQueued, SharedWith: to, Detail: detail,
		Reason: "Operation Encompass: the school a worker picked is told of the police incident"}
	if d.Now != nil {
		ev.At = d.Now().UTC()
	}
	_, err := d.Store.AppendAudit(ctx, ev)
	return err
}
