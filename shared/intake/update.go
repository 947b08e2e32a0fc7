package intake

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/store"
)

// Update is new content about a contact already received — a re-sent email, a PPN sent again under the same
// police reference with something new — to add to it rather than drop (issue #13).
type Update struct {
	// Tag identifies the update (a hash of its content): the marker in the concerns and the audit events'
	// "update", so that a second run adds nothing twice. Only its first 12 characters are used.
	Tag string
	// Text is added to the concerns, after a line giving the time it arrived and Source.
	Text, Source string
	// ImmediateHarm and the disclosure flags (domestic abuse, allegation against a professional, Prevent) of
	// the new content: one the contact did not have raises the risk.
	ImmediateHarm bool
	Flags         domain.Flags
	Actor, Reason string
	// From names who sent it in the risk-raised message (the referrer, the police).
	From   string
	Detail map[string]string
	// Kept records attachments that came with the update (attachments.kept), or nil.
	Kept *store.AuditEvent
	// Restricted are restricted police records that came with the update, written to the contact's restricted
	// records (never its concerns).
	Restricted []store.RestrictedRecord
}

// AddUpdate adds an update to a contact: its text with the time it arrived and its source, its attachments and
// restricted records, and any rise in risk (immediate harm now, a new disclosure flag), which re-routes the
// contact — the EDT told now when the MASH is closed, the MASH manager when it is open.
func (s Service) AddUpdate(ctx context.Context, first *domain.Contact, u Update) error {
	p, err := s.Policies(first.Authority)
	if err != nil {
		return err
	}
	now := s.Now()
	tag := u.Tag
	if len(tag) > 12 {
		tag = tag[:12]
	}
	marker := "[update " + tag + "]"
	if u.Kept != nil {
		// Recorded on the first contact before the update, under an id of the update: a second run is a
		// conflict, so a failure after this point loses nothing and repeats nothing.
		ev := *u.Kept
		ev.ContactID, ev.ID = first.ID, "u_"+tag+"_attachments"
		if _, err := s.Store.AppendAudit(ctx, ev); err != nil && domain.ErrorCode(err) != domain.CodeConflict {
			return err
		}
	}
	for i, r := range u.Restricted {
		r.ID = fmt.Sprintf("u_%s_%02d", tag, i)
		if _, err := s.Store.PutRestricted(ctx, first.ID, r); err != nil && domain.ErrorCode(err) != domain.CodeConflict {
			return err
		}
	}
	var raised []string
	c, err := s.Update(ctx, first.ID, func(c *domain.Contact) (store.AuditEvent, error) {
		raised = nil
		if strings.Contains(c.Concerns, marker) {
			return store.AuditEvent{}, errAlreadyAdded
		}
		when := now.In(londonOr(p.Timezone)).Format("Mon 2 Jan 2006 15:04")
		text := strings.TrimSpace(u.Text)
		c.Concerns = strings.TrimRight(c.Concerns, "\n") + "\n\n--- Update " + marker + " received " + when +
			" " + u.Source + " ---\n" + text
		if u.ImmediateHarm && !c.ImmediateHarm {
			c.ImmediateHarm = true
			raised = append(raised, "immediate-harm")
		}
		for _, f := range []struct {
			name     string
			now, was *bool
		}{
			{"domestic-abuse", &u.Flags.DomesticAbuse, &c.Flags.DomesticAbuse},
			{"allegation-against-professional", &u.Flags.AllegationAgainstProfessional, &c.Flags.AllegationAgainstProfessional},
			{"radicalisation", &u.Flags.Radicalisation, &c.Flags.Radicalisation},
		} {
			if *f.now && !*f.was {
				*f.was = true
				raised = append(raised, f.name)
			}
		}
		detail := map[string]string{"update": tag}
		for k, v := range u.Detail {
			detail[k] = v
		}
		if len(raised) > 0 {
			detail["riskRaised"] = strings.Join(raised, ",")
		}
		return store.AuditEvent{Actor: u.Actor, Action: "contact.resent", Reason: u.Reason, Detail: detail}, nil
	})
	if errors.Is(err, errAlreadyAdded) {
		// Added by an earlier run: finish its re-routing if that run stopped before it.
		return s.rerouteOnce(ctx, p, first.ID, tag, u.Actor, u.From)
	}
	if err != nil {
		return err
	}
	if len(raised) == 0 {
		return nil
	}
	return s.reroute(ctx, p, c, raised, resent(tag), u.Actor, u.From)
}

// rerouteOnce re-routes for an update already added when its audit trail shows a rise in risk and no
// re-routing yet.
func (s Service) rerouteOnce(ctx context.Context, p *policy.Policy, id domain.ContactID, tag, actor, from string) error {
	evs, err := s.Store.ListAudit(ctx, id)
	if err != nil {
		return err
	}
	var raised string
	why := resent(tag)
	for _, ev := range evs {
		switch {
		case ev.Detail["update"] != tag:
		case ev.Action == "contact.rerouted":
			return nil
		case ev.Action == "contact.resent":
			raised = ev.Detail["riskRaised"]
		case ev.Action == actionHarmAnswered:
			raised, why = ev.Detail["riskRaised"], answered
		}
	}
	if raised == "" {
		return nil
	}
	c, err := s.Store.GetContact(ctx, id)
	if err != nil {
		return err
	}
	return s.reroute(ctx, p, c, strings.Split(raised, ","), why, actor, from)
}

var errAlreadyAdded = errors.New("update already added")

// rerouteWhy is what raised the risk: the update's tag (the audit events' "update"), the risk-raised
// message's check id (its wording and message id) and the re-routing's audit reason.
type rerouteWhy struct{ tag, check, reason string }

// resent: a re-sent message's update raised the risk.
func resent(tag string) rerouteWhy {
	return rerouteWhy{tag, "resend-" + tag, "a re-sent message raised the risk"}
}

// answered: a worker recorded "yes" to an immediate-harm question nobody had answered (AnswerImmediateHarm).
var answered = rerouteWhy{"immediate-harm-answered", "answer-immediate-harm", "immediate harm, not known at intake, is answered yes"}

// reroute tells who must act now on a contact whose risk a re-send (or a later answer to the immediate-harm
// question) raised: out of hours with immediate harm, the EDT at once (as the out-of-hours step does for a
// contact that arrives so); otherwise the MASH manager.
func (s Service) reroute(ctx context.Context, p *policy.Policy, c *domain.Contact, raised []string, why rerouteWhy, actor, from string) error {
	tag := why.tag
	cal, err := p.Calendar()
	if err != nil {
		return err
	}
	kind, extra := KindRiskRaised, map[string]string{"agency": from, "check": why.check}
	if c.ImmediateHarm && !cal.IsOpen(s.Now()) {
		kind, extra = KindEDTNow, nil
	}
	if err := s.Notifier.Notify(ctx, kind, p, c, extra); err != nil {
		return err
	}
	_, err = s.Store.AppendAudit(ctx, store.AuditEvent{ContactID: c.ID, Actor: actor, Action: "contact.rerouted",
		Reason: why.reason, Detail: map[string]string{"told": string(kind), "riskRaised": strings.Join(raised, ","), "update": tag}})
	return err
}

// Notification kinds a re-send that raises the risk sends (shared/notify composes them).
const (
	KindEDTNow     = domain.NoticeEDTNow
	KindRiskRaised = domain.NoticeRiskRaised
)
