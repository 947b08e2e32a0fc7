package directory

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"strings"
	"time"

	"github.com/safeguarding/mash/shared/clock"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/store"
)

// Operation Encompass acknowledgements. A notice that goes to a school's DSL carries a single-use link
// (<console URL>/encompass/<token>; the email itself has no personal data) and puts the contact on the
// encompass-ack tray, due by the contact's Encompass deadline (the school-day rule the lifecycle starts at
// intake). The DSL opens the link without an account, reads what the school needs to know and acknowledges
// receipt (Acknowledge: audited, the item leaves the tray). An item still open at the deadline is escalated
// by the SLA sweep to the authority's Encompass lead (shared/trays, shared/notify). A notice that goes to the
// Encompass lead itself (home-educated, unknown school, a refused address) has no link: the lead works in the
// console.

// TrayEncompassAck is the tray of Encompass notices awaiting the DSL's acknowledgement.
const TrayEncompassAck = string(domain.TrayEncompassAck)

// PurposeAck is the purpose of an acknowledgement link (store.Link); the console's acknowledgement page
// accepts no other.
const PurposeAck = "encompass-ack"

// AckGrace is how long after the Encompass deadline the link still works: a late acknowledgement is still
// recorded (the lead has been told by then).
const AckGrace = 7 * 24 * time.Hour

// AckItemID is the contact's encompass-ack item for a school's notice (one per school the notice went to).
func AckItemID(id domain.ContactID, urn string) string {
	s := string(id) + "#" + TrayEncompassAck
	if urn != "" {
		s += "#" + urn
	}
	return s
}

// AckOutbox is the outbox the directory Notifier hands its messages to, with acknowledgements: an Encompass
// notice that goes to a school's DSL gets a single-use link (minted before the message is composed) and an
// encompass-ack tray item (put once it is queued); every other message passes through. It wraps the
// Notifier's Next only in the functions that send Encompass notices (lambdacfg.WithEncompassAcks), so that the
// others (intake-email) link none of it (the bootstrap size budget).
type AckOutbox struct {
	Outbox
	Acks AckLinks
}

// Notify implements Outbox.
func (o AckOutbox) Notify(ctx context.Context, kind domain.NoticeKind, p *policy.Policy, c *domain.Contact, x map[string]string) error {
	if kind != domain.NoticeEncompass {
		return o.Outbox.Notify(ctx, kind, p, c, x)
	}
	return o.Acks.NotifyAcked(ctx, o.Outbox, kind, p, c, x)
}

// AckLinks makes acknowledgements: single-use links in Links, items on Trays, links under ConsoleURL.
type AckLinks struct {
	Links      store.Links
	Trays      store.Trays
	ConsoleURL string
	Now        clock.Now
}

// NotifyAcked sends a notice, with its acknowledgement when it goes to a school's DSL.
func (a AckLinks) NotifyAcked(ctx context.Context, next Outbox, kind domain.NoticeKind, p *policy.Policy, c *domain.Contact, x map[string]string) error {
	link, item, err := a.PlanAck(ctx, p, c, x)
	if err != nil {
		return err
	}
	if link != "" {
		y := make(map[string]string, len(x)+1)
		for k, v := range x {
			y[k] = v
		}
		y[domain.ExtraLink] = link
		x = y
	}
	if err := next.Notify(ctx, kind, p, c, x); err != nil || item == nil {
		return err
	}
	if _, err := a.Trays.PutTrayItem(ctx, *item); err != nil && domain.ErrorCode(err) != domain.CodeConflict {
		return err
	}
	return nil
}

// PlanAck mints the acknowledgement link of a notice that goes to a school address the policy allows. A
// retry mints another token; the message is the same notification (its id is deterministic), so only the
// first token's link is ever sent and the others expire unused.
func (a AckLinks) PlanAck(ctx context.Context, p *policy.Policy, c *domain.Contact, x map[string]string) (string, *store.TrayItem, error) {
	base := strings.TrimRight(a.ConsoleURL, "/")
	if a.Links == nil || base == "" || a.Trays == nil {
		return "", nil, nil
	}
	school := strings.TrimSpace(x[domain.ExtraSchoolEmail])
	if school == "" && strings.Contains(c.Child.School, "@") {
		school = strings.TrimSpace(c.Child.School)
	}
	if school == "" || !p.SchoolEmailAllowed(school) {
		return "", nil, nil // the Encompass lead is told instead, and works in the console
	}
	due, err := EncompassDue(p, c, a.Now)
	if err != nil {
		return "", nil, err
	}
	item := store.TrayItem{ID: AckItemID(c.ID, x[domain.ExtraSchoolURN]), Tray: TrayEncompassAck, Authority: c.Authority,
		ContactID: c.ID, DueAt: due, Rule: policy.RuleEncompass, Note: schoolNote(x)}
	if prev, err := a.Trays.GetTrayItem(ctx, item.ID); err == nil && !prev.CompletedAt.IsZero() {
		return "", nil, nil // already acknowledged: a retried step asks nothing again
	}
	tok := make([]byte, 24)
	if _, err := rand.Read(tok); err != nil {
		return "", nil, err
	}
	t := base64.RawURLEncoding.EncodeToString(tok)
	if err := a.Links.PutLink(ctx, store.Link{Token: t, Purpose: PurposeAck, ContactID: c.ID, Subject: item.ID,
		ExpiresAt: due.Add(AckGrace)}); err != nil {
		return "", nil, err
	}
	return base + "/encompass/" + t, &item, nil
}

func schoolNote(x map[string]string) string {
	name := x[domain.ExtraSchoolName]
	if name == "" {
		return ""
	}
	if urn := x[domain.ExtraSchoolURN]; urn != "" {
		name += " (URN " + urn + ")"
	}
	return name
}

// Acknowledgement is what the DSL gives when acknowledging a notice.
type Acknowledgement struct {
	Name string // who acknowledges, as they write it
	Role string // optional: e.g. "DSL", "deputy DSL"
	// Read: the DSL confirms they have read what the school needs to know.
	Read bool
}

// Validate names each missing field.
func (a Acknowledgement) Validate() error {
	var p domain.Problems
	if strings.TrimSpace(a.Name) == "" {
		p.Add("name", "is required: your name, as the school's designated safeguarding lead or deputy")
	}
	if !a.Read {
		p.Add("read", "confirm that you have read what the school needs to know")
	}
	return p.Err()
}

// AckStore is what Acknowledge writes through.
type AckStore interface {
	store.Audit
	store.Trays
}

// Acknowledge records the DSL's acknowledgement of the notice whose encompass-ack item is itemID: the audit
// event encompass.acknowledged (who, in their own words, and the school) and then the item completed, so
// the Encompass lead is not told. The audit is written first: a failure between the two leaves the item
// open, which errs on the side of telling the lead. An item already completed is fine (acknowledged once).
func Acknowledge(ctx context.Context, st AckStore, contact domain.ContactID, itemID string, a Acknowledgement) error {
	if err := a.Validate(); err != nil {
		return err
	}
	it, err := st.GetTrayItem(ctx, itemID)
	if err != nil {
		return err
	}
	if it.ContactID != contact || it.Tray != TrayEncompassAck {
		return domain.Errorf(domain.CodeNotFound, "no such Encompass notice")
	}
	who := "DSL " + strings.TrimSpace(a.Name)
	if r := strings.TrimSpace(a.Role); r != "" {
		who += " (" + r + ")"
	}
	who += " via the acknowledgement link"
	detail := map[string]string{"item": itemID}
	if it.Note != "" {
		detail["school"] = it.Note
	}
	if _, err := st.AppendAudit(ctx, store.AuditEvent{ContactID: contact, Actor: who, Action: "encompass.acknowledged",
		Reason: "the school's designated safeguarding lead acknowledged the Operation Encompass notice", Detail: detail}); err != nil {
		return err
	}
	if _, err := st.CompleteTrayItem(ctx, itemID, who); err != nil && domain.ErrorCode(err) != domain.CodeConflict {
		return err
	}
	return nil
}
