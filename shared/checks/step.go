// Package checks sends MASH partner-check requests to agencies and records their answers. Each request is
// answered within the rating's deadline (Hackney seed §5: Red 4 hours, Amber 24, Green 72; Bexley §13:
// high-risk 4 hours, others 1 working day; Northamptonshire §7). Some agencies are mandatory per authority
// (Bexley §15: always Health, Education and Police) — policy data. An agency can flag that risk is higher
// than rated (Hackney §5), which goes to the manager at once.
package checks

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"time"

	"github.com/safeguarding/mash/shared/directory"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/lifecycle"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/workflow"
)

// Tray is the partner-checks tray.
const Tray = string(domain.TrayChecks)

// KindCheckRequest is the notification to an agency.
const KindCheckRequest = domain.NoticeCheckRequest

// Step is the Map iteration's task (lambda:invoke.waitForTaskToken): it records the request with the task
// token and the deadline, puts it on the checks tray, and asks the agency. The agency's answer (console/API)
// completes the token.
type Step struct {
	workflow.Env
	// ConsoleURL, when set, makes each request's email carry a single-use answer link
	// (<ConsoleURL>/answer/<token>, valid until the check is due plus LinkGrace) instead of the console link:
	// the agency answers without a console account (shared/console's answer page).
	ConsoleURL string
}

// PurposeAnswer is the purpose of an answer link (store.Link); the console's answer page accepts no other.
const PurposeAnswer = "check-answer"

// LinkGrace is how long after the check's deadline its answer link still works (a late answer is better
// than none; the escalation has gone by then).
const LinkGrace = 7 * 24 * time.Hour

// Handle requests one agency's check. A retry with the same token writes nothing new and asks once.
func (s Step) Handle(ctx context.Context, in workflow.StepInput) (struct{}, error) {
	var p domain.Problems
	if !in.Agency.Valid() {
		p.Add("agency", "is not a known agency")
	}
	if in.TaskToken == "" {
		p.Add("taskToken", "is required")
	}
	if err := p.Err(); err != nil {
		return struct{}{}, err
	}
	due, err := workflow.ParseDue(in.DueAt)
	if err != nil {
		return struct{}{}, err
	}
	c, pol, err := s.Load(ctx, in)
	if err != nil {
		return struct{}{}, err
	}
	id := CheckID(in.Agency, in.TaskToken)
	req := store.CheckRequest{ID: id, ContactID: c.ID, Authority: c.Authority, Agency: in.Agency,
		Mandatory: pol.Mandatory(in.Agency), RequestedAt: s.Now(), DueAt: due.UTC(), TaskToken: in.TaskToken}
	desk := directory.CheckRecipient(pol, in.Agency)
	note := ""
	if !desk.OnRecord {
		note = directory.NoDeskNote
	}
	extra := desk.Extra()
	if base := strings.TrimRight(s.ConsoleURL, "/"); base != "" {
		// A retry mints another token; the request written first (and its message, whose id is the check's)
		// keeps the first token's link, so only that one is ever sent and the others expire unused.
		tok := make([]byte, 24)
		if _, err := rand.Read(tok); err != nil {
			return struct{}{}, err
		}
		t := base64.RawURLEncoding.EncodeToString(tok)
		req.AnswerLinkExpiresAt = due.Add(LinkGrace).UTC()
		if err := s.Store.PutLink(ctx, store.Link{Token: t, Purpose: PurposeAnswer, ContactID: c.ID, Subject: id,
			ExpiresAt: req.AnswerLinkExpiresAt}); err != nil {
			return struct{}{}, workflow.Classify(err, c.ID)
		}
		req.AnswerLink = base + "/answer/" + t
		extra[domain.ExtraLink] = req.AnswerLink
	}
	// The request's record (with the link every chase repeats), its tray item, the transition and the
	// agency's message are one atomic write.
	if _, err := s.ApplyLoaded(ctx, pol, c, func(c *domain.Contact) (lifecycle.Result, error) {
		r, err := lifecycle.RequestCheck(c, in.Agency, id, due, extra, workflow.FnPartnerChecks)
		if err != nil {
			return r, err
		}
		r.Checks = append(r.Checks, store.CheckWrite{Request: &req})
		r.TrayItems = append(r.TrayItems, store.TrayItem{ID: string(c.ID) + "#" + Tray + "#" + id, Tray: Tray,
			Authority: c.Authority, ContactID: c.ID, DueAt: due.UTC(), Rule: "checks." + ratingOf(c), TaskToken: in.TaskToken, Note: note})
		return r, nil
	}); err != nil {
		return struct{}{}, err
	}
	return struct{}{}, nil
}

// CheckID is deterministic per agency and token.
func CheckID(a domain.Agency, token string) string {
	h := sha256.Sum256([]byte(token))
	return string(a) + "-" + hex.EncodeToString(h[:6])
}

func ratingOf(c *domain.Contact) string {
	if c.Rating == nil {
		return ""
	}
	return string(c.Rating.Value)
}
