package actions

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/lifecycle"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/workflow"
)

// Duplicates: two contacts about the same child or family. Linking records the relation on both (each
// lists the other in linkedTo), audited on each. Merging keeps the primary and closes the duplicate: the
// duplicate's content (concerns, referrer, parents and household not already on the primary, attachments)
// becomes an addendum of the primary, and the duplicate is closed with the reason "merged", linked to it.
// Nothing is deleted: the duplicate stays stored, readable, with its own trail.
//
// The two contacts are written one after the other (the store's writes are per contact). Each step checks
// what is already done, so a merge or link that failed half-way is finished by doing it again.

// addendumMarker starts the primary's addendum for a duplicate (also how a repeated merge is recognised).
func addendumMarker(d *domain.Contact) string {
	return "--- Addendum: merged from " + string(d.Reference) + " ---"
}

// Link records that two contacts are related, on both, audited on each as contact.linked.
func (s Service) Link(ctx context.Context, id, other domain.ContactID, by string) (*domain.Contact, error) {
	if id == other {
		return nil, &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: "contact", Message: "is this contact itself"}}}
	}
	a, err := s.Store.GetContact(ctx, id)
	if err != nil {
		return nil, err
	}
	b, err := s.Store.GetContact(ctx, other)
	if err != nil {
		return nil, err
	}
	if a.Authority != b.Authority {
		return nil, &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: "contact", Message: "is not a contact of this authority"}}}
	}
	if _, err := s.linkOne(ctx, b, a, by); err != nil {
		return nil, err
	}
	return s.linkOne(ctx, a, b, by)
}

func (s Service) linkOne(ctx context.Context, c, to *domain.Contact, by string) (*domain.Contact, error) {
	if slices.Contains(c.LinkedTo, to.ID) {
		return c, nil
	}
	return s.Store.UpdateContact(ctx, c.ID, func(c *domain.Contact) (store.AuditEvent, error) {
		if !slices.Contains(c.LinkedTo, to.ID) {
			c.LinkedTo = append(c.LinkedTo, to.ID)
		}
		return store.AuditEvent{Actor: by, Action: "contact.linked",
			Detail: map[string]string{"with": string(to.ID), "withReference": string(to.Reference)}}, nil
	})
}

// Merge merges the duplicate into the primary (see the package notes above): the primary gets the
// addendum, the attachments and the links, audited contact.merged-in; the duplicate is closed "merged"
// (lifecycle.Merge), and its rating or decision wait ends (the machine's Merged state).
func (s Service) Merge(ctx context.Context, primary, duplicate domain.ContactID, by string) (*domain.Contact, error) {
	if primary == duplicate {
		return nil, &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: "duplicate", Message: "is this contact itself"}}}
	}
	p, pol, err := s.Load(ctx, workflow.StepInput{ContactID: primary})
	if err != nil {
		return nil, err
	}
	d, err := s.Store.GetContact(ctx, duplicate)
	if err != nil {
		return nil, err
	}
	if d.Authority != p.Authority {
		return nil, &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: "duplicate", Message: "is not a contact of this authority"}}}
	}
	if p.Status == domain.StatusClosed {
		return nil, domain.Errorf(domain.CodeConflict, "contact %s is closed: merge into an open contact", p.Reference)
	}
	done := strings.Contains(p.Concerns, addendumMarker(d))
	if !done {
		// Refuse before writing anything when the duplicate cannot be closed now.
		if err := lifecycle.Allowed(lifecycle.Merged, d); err != nil {
			return nil, err
		}
	} else if d.Status == domain.StatusClosed {
		return nil, domain.Errorf(domain.CodeConflict, "%s is already merged into %s", d.Reference, p.Reference)
	}
	evs, err := s.Store.ListAudit(ctx, d.ID)
	if err != nil {
		return nil, err
	}
	if !done {
		if _, err := s.Store.ChangeContact(ctx, p.ID, func(c *domain.Contact) (store.Change, error) {
			if strings.Contains(c.Concerns, addendumMarker(d)) {
				return store.Change{}, domain.Errorf(domain.CodeConflict, "%s is already merged into %s", d.Reference, c.Reference)
			}
			c.Concerns = strings.TrimRight(c.Concerns, "\n") + "\n\n" + addendum(d)
			names := map[string]bool{}
			for _, x := range c.Parents {
				names[strings.ToLower(x.Name)] = true
			}
			for _, x := range c.Household {
				names[strings.ToLower(x.Name)] = true
			}
			for _, x := range d.Parents {
				if !names[strings.ToLower(x.Name)] {
					c.Parents = append(c.Parents, x)
				}
			}
			for _, x := range d.Household {
				if !names[strings.ToLower(x.Name)] {
					c.Household = append(c.Household, x)
				}
			}
			if !slices.Contains(c.LinkedTo, d.ID) {
				c.LinkedTo = append(c.LinkedTo, d.ID)
			}
			ch := store.Change{Events: []store.AuditEvent{{Actor: by, Action: "contact.merged-in",
				Reason: "a duplicate's content is kept as an addendum", Detail: map[string]string{"duplicate": string(d.ID),
					"duplicateReference": string(d.Reference)}}}}
			// The duplicate's attachments are the primary's too (the same stored files).
			for _, e := range evs {
				if e.Action == "attachments.kept" {
					ch.Events = append(ch.Events, store.AuditEvent{Actor: by, Action: "attachments.kept",
						Reason: "merged from " + string(d.Reference), Detail: e.Detail})
				}
			}
			return ch, nil
		}); err != nil {
			return nil, err
		}
	}
	// Close the duplicate and end its wait (a rating or decision tray item holds its token): the completion is
	// owed in the closing's own write (the outbox of completions, issue #13) and sent at once.
	// Its escalated-decision, S47 and raised-risk items end with it, closed in the same write.
	reqs, err := s.Store.ListChecks(ctx, d.ID)
	if err != nil {
		return nil, err
	}
	var owed []store.Completion
	if _, owed, err = s.ApplyOwing(ctx, pol, d.ID, func(c *domain.Contact) (lifecycle.Result, []store.Completion, error) {
		closes := managerCloses(c, reqs, by)
		res, err := lifecycle.Merge(c, by, p)
		if err != nil {
			return res, nil, err
		}
		res.Closes = append(closes, unanswerable(c.ID, reqs, by)...) // its checks' open items too
		var cps []store.Completion
		for _, t := range []domain.Tray{domain.TrayRating, domain.TrayDecision} {
			it, err := workflow.OpenWait(ctx, s.Store, c, string(t))
			if err != nil || it == nil || !it.CompletedAt.IsZero() {
				continue
			}
			itemID := it.ID
			out, _ := json.Marshal(workflow.RatingResult{Merged: true})
			if t == domain.TrayDecision {
				out, _ = json.Marshal(workflow.DecisionResult{Merged: true})
			}
			cps = append(cps, completion(c.ID, itemID, string(t), it.TaskToken, by, out).of(it.Contract))
		}
		return res, owing(cps...), nil
	}); err != nil {
		return nil, err
	}
	s.send(ctx, owed)
	return s.Store.GetContact(ctx, p.ID)
}

// addendum is the duplicate's content as the primary keeps it: when and how it came, from whom, the child as
// given, immediate harm and consent, then its concerns.
func addendum(d *domain.Contact) string {
	r, ch := d.Referrer, d.Child
	dob := ""
	if !ch.DateOfBirth.IsZero() {
		dob = "born " + ch.DateOfBirth.String()
	}
	return addendumMarker(d) + "\nReceived " + d.ReceivedAt.UTC().Format(time.RFC3339) + " by " + string(d.Channel) +
		". Referrer: " + joinSet(r.Name, r.Organisation, r.Role, r.Email, r.Phone) +
		". Child as given: " + joinSet(ch.GivenName+" "+ch.FamilyName, dob, ch.Address) +
		". Immediate harm: " + strconv.FormatBool(d.ImmediateHarm) +
		". Consent: " + joinSet(string(d.Consent.Status), d.Consent.Reason) + ".\n" + strings.TrimSpace(d.Concerns)
}

// joinSet joins the non-empty values with commas.
func joinSet(vs ...string) string {
	out := vs[:0]
	for _, v := range vs {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return strings.Join(out, ", ")
}
