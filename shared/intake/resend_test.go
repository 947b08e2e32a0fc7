package intake_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/intake"
	"github.com/safeguarding/mash/shared/store"
)

// update turns the school's referral into a re-send: a new SES id and Message-ID, an "UPDATE" line at the top,
// the immediate-risk answer changed to Yes, and body-map.pdf attached.
func update(t *testing.T, sesID, msgID string) []byte {
	t.Helper()
	s := string(readSample(t, "school-dsl-referral.eml"))
	s = strings.Replace(s, "e1863ef37720f6d55e0240462241f5ec13fcd53b", sesID, 1)
	s = strings.Replace(s, "<20261116104213.4F2A1C@oakfield-primary.portsmouth.sch.uk>", "<"+msgID+">", 1)
	s = strings.Replace(s, "Subject: IACF", "Subject: UPDATE: IACF", 1)
	s = strings.Replace(s, "Is the child at immediate risk of harm? No", "Is the child at immediate risk of harm? Yes", 1)
	head, body, _ := strings.Cut(s, "\r\n\r\n")
	if body == "" {
		head, body, _ = strings.Cut(s, "\n\n")
	}
	head = strings.Replace(head, `Content-Type: text/plain; charset="utf-8"`, `Content-Type: multipart/mixed; boundary="upd"`, 1)
	head = strings.Replace(head, "Content-Transfer-Encoding: 7bit", "", 1)
	return []byte(head + "\r\n\r\n--upd\r\nContent-Type: text/plain; charset=\"utf-8\"\r\n\r\n" +
		"UPDATE: Maisie disclosed to her teacher this afternoon that she was hit again last night.\r\n\r\n" + body +
		"\r\n--upd\r\nContent-Type: application/pdf; name=\"body-map.pdf\"\r\nContent-Disposition: attachment; filename=\"body-map.pdf\"\r\n" +
		"Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQKJeLjz9MKMSAwIG9iago8PD4+CmVuZG9iagp0cmFpbGVyCjw8Pj4KJSVFT0YK\r\n--upd--\r\n")
}

// Issue #13 "A re-sent referral's new content is discarded": a re-send saying "UPDATE: disclosed …
// immediate risk: Yes" with body-map.pdf arrives out of hours. Its text is on the first contact as an update
// with its time and source, its attachment is kept and recorded on the first contact, the contact is immediate
// harm now, and the EDT is told at once instead of the contact waiting in the queue until Monday.
func TestResend_UpdateIsMergedAndRaisedRiskReroutes_OutOfHours(t *testing.T) {
	r := newRig(t, london(t, "2026-11-21 10:00")) // Saturday: the MASH is closed
	ctx := context.Background()
	first := r.ingest(hackney, "school-dsl-referral.eml")
	if len(first) != 1 || first[0].Status != intake.StatusCreated {
		t.Fatalf("first: %+v", first)
	}
	id := first[0].ContactID
	if c := r.contact(id); c.ImmediateHarm || c.Status != domain.StatusQueuedOOH {
		t.Fatalf("first contact: immediate harm %v status %s, want queued out of hours", c.ImmediateHarm, c.Status)
	}
	r.clock.Advance(3 * time.Hour)
	raw := update(t, "0000000000000000update01", "update-1@oakfield-primary.portsmouth.sch.uk")
	res, err := r.suite.Intake.IngestEmail(ctx, hackney, intake.RawMail{Data: raw, Key: "raw/update01", SESMessageID: "0000000000000000update01"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 || res[0].Status != intake.StatusLinked || res[0].ContactID != id {
		t.Fatalf("re-send: %+v, want linked to %s", res, id)
	}
	c := r.contact(id)
	if !strings.Contains(c.Concerns, "Maisie disclosed to her teacher this afternoon") || !strings.Contains(c.Concerns, "Sat 21 Nov 2026 13:00") ||
		!strings.Contains(c.Concerns, "re-sent message") {
		t.Errorf("the update's text, time and source are not on the first contact:\n%s", c.Concerns)
	}
	if !strings.HasPrefix(c.Concerns, "On Friday 13 November") && !strings.Contains(c.Concerns, "On Friday 13 November") {
		t.Error("the first referral's concerns were replaced")
	}
	if !c.ImmediateHarm {
		t.Error("the contact is not immediate harm after the update said Yes")
	}
	assertAttachments(t, r, id, []string{"body-map.pdf"})
	edt := 0
	for _, m := range r.outboxMessages() {
		if strings.Contains(header(m, "Subject"), "EDT to act now") {
			edt++
		}
	}
	if edt != 1 {
		t.Errorf("%d EDT-now messages, want 1 (the EDT told now, out of hours)", edt)
	}
	evs, err := r.suite.Store.ListAudit(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(evs, func(ev store.AuditEvent) bool {
		return ev.Action == "contact.rerouted" && ev.Detail["told"] == "edt-now"
	}) {
		t.Errorf("no contact.rerouted event: %+v", evs)
	}
	// Its redelivery (same SES id) is a duplicate and adds nothing twice.
	again, err := r.suite.Intake.IngestEmail(ctx, hackney, intake.RawMail{Data: raw, Key: "raw/update01", SESMessageID: "0000000000000000update01"})
	if err != nil || len(again) != 1 || again[0].Status != intake.StatusDuplicate {
		t.Errorf("redelivery of the update: %+v %v, want duplicate", again, err)
	}
	if n := strings.Count(r.contact(id).Concerns, "--- Update"); n != 1 {
		t.Errorf("%d updates on the contact after a redelivery, want 1", n)
	}
	if n := len(r.allContacts(hackney)); n != 1 {
		t.Errorf("%d contacts, want 1", n)
	}
}

// In hours the MASH manager is told (risk raised) instead of the EDT.
func TestResend_RaisedRiskInHoursTellsTheManager(t *testing.T) {
	r := newRig(t, london(t, "2026-11-16 10:45"))
	first := r.ingest(hackney, "school-dsl-referral.eml")
	r.clock.Advance(time.Hour)
	raw := update(t, "0000000000000000update02", "update-2@oakfield-primary.portsmouth.sch.uk")
	res, err := r.suite.Intake.IngestEmail(context.Background(), hackney, intake.RawMail{Data: raw, SESMessageID: "0000000000000000update02"})
	if err != nil || len(res) != 1 || res[0].Status != intake.StatusLinked {
		t.Fatalf("re-send: %+v %v", res, err)
	}
	var risk, edt int
	for _, m := range r.outboxMessages() {
		switch subj := header(m, "Subject"); {
		case strings.Contains(subj, "risk raised"):
			risk++
		case strings.Contains(subj, "EDT to act now"):
			edt++
		}
	}
	if risk != 1 || edt != 0 {
		t.Errorf("risk-raised %d, EDT-now %d; want the manager told once and the EDT not", risk, edt)
	}
	if !r.contact(first[0].ContactID).ImmediateHarm {
		t.Error("not immediate harm after the update")
	}
}

// "A re-send is only a duplicate when its content is the same": the same message under a new Message-ID and
// SES id is a duplicate, not an update.
func TestResend_SameContentIsADuplicate(t *testing.T) {
	r := newRig(t, london(t, "2026-11-16 10:45"))
	first := r.ingest(hackney, "school-dsl-referral.eml")
	s := strings.Replace(string(readSample(t, "school-dsl-referral.eml")), "20261116104213.4F2A1C", "another-id", 1)
	s = strings.Replace(s, "e1863ef37720f6d55e0240462241f5ec13fcd53b", "0000000000000000samecont", 1)
	res, err := r.suite.Intake.IngestEmail(context.Background(), hackney, intake.RawMail{Data: []byte(s), SESMessageID: "0000000000000000samecont"})
	if err != nil || len(res) != 1 || res[0].Status != intake.StatusDuplicate || res[0].ContactID != first[0].ContactID {
		t.Fatalf("same content again: %+v %v, want a duplicate of %s", res, err, first[0].ContactID)
	}
	if strings.Contains(r.contact(first[0].ContactID).Concerns, "--- Update") {
		t.Error("identical content was added as an update")
	}
}

// Issue #13 "A different email reusing an earlier Message-ID is reported duplicate, and its child is
// nowhere": another child under the same Message-ID is a new contact, linked to the first and noted.
func TestMessageID_ReusedWithOtherContentIsANewLinkedContact(t *testing.T) {
	r := newRig(t, london(t, "2026-11-16 10:45"))
	ctx := context.Background()
	first := r.ingest(hackney, "school-dsl-referral.eml")
	s := string(readSample(t, "school-dsl-referral.eml"))
	s = strings.Replace(s, "e1863ef37720f6d55e0240462241f5ec13fcd53b", "0000000000000000reusedid", 1)
	s = strings.Replace(s, "Child's name: Maisie Thornton", "Child's name: Oliver Grant", 1)
	s = strings.Replace(s, "Date of birth: 14/02/2019", "Date of birth: 03/09/2017", 1)
	res, err := r.suite.Intake.IngestEmail(ctx, hackney, intake.RawMail{Data: []byte(s), SESMessageID: "0000000000000000reusedid"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 || res[0].Status != intake.StatusCreated || res[0].ContactID == first[0].ContactID {
		t.Fatalf("reused Message-ID with another child: %+v, want a new contact", res)
	}
	c := r.contact(res[0].ContactID)
	if c.Child.GivenName != "Oliver" || !slices.Contains(c.LinkedTo, first[0].ContactID) {
		t.Errorf("new contact: child %q linked %v, want Oliver linked to %s", c.Child.GivenName, c.LinkedTo, first[0].ContactID)
	}
	if c.Reference != "HAC-2026-000002" {
		t.Errorf("reference %s, want HAC-2026-000002 (no gap)", c.Reference)
	}
	evs, err := r.suite.Store.ListAudit(ctx, c.ID)
	if err != nil || !slices.ContainsFunc(evs, func(ev store.AuditEvent) bool {
		return ev.Action == "contact.message-id-reused" && ev.Detail["firstContact"] == string(first[0].ContactID)
	}) {
		t.Errorf("the reuse is not noted: %+v %v", evs, err)
	}
	// Its own redelivery is a duplicate of it.
	again, err := r.suite.Intake.IngestEmail(ctx, hackney, intake.RawMail{Data: []byte(s), SESMessageID: "0000000000000000reusedid"})
	if err != nil || len(again) != 1 || again[0].Status != intake.StatusDuplicate || again[0].ContactID != c.ID {
		t.Errorf("redelivery: %+v %v", again, err)
	}
}

// A re-send that arrives together with the referral it re-sends (the local maildrop ingests many files at
// once; `mash demo` drops its samples, a re-send among them, in one go) is still linked to the first, never a
// second contact about the same child from the same sender: messages from one sender about the same children
// go through intake one at a time. Each round starts the two ingests at the same instant.
func TestResend_ArrivingWithTheFirst_IsLinkedNotASecondContact(t *testing.T) {
	for round := range 8 {
		r := newRig(t, london(t, "2026-11-17 11:00"))
		names := []string{"school-dsl-referral.eml", "school-dsl-referral-resend.eml"}
		results := make([][]intake.Result, len(names))
		errs := make([]error, len(names))
		start := make(chan struct{})
		done := make(chan int)
		for i, name := range names {
			go func() {
				<-start
				id := sesID(t, name)
				results[i], errs[i] = r.suite.Intake.IngestEmail(context.Background(), hackney,
					intake.RawMail{Data: readSample(t, name), Key: "raw/" + id, SESMessageID: id})
				done <- i
			}()
		}
		close(start)
		<-done
		<-done
		var created, linked []domain.ContactID
		for i := range names {
			if errs[i] != nil {
				t.Fatalf("round %d: %s: %v", round, names[i], errs[i])
			}
			for _, res := range results[i] {
				switch res.Status {
				case intake.StatusCreated:
					created = append(created, res.ContactID)
				case intake.StatusLinked:
					linked = append(linked, res.ContactID)
				}
			}
		}
		if len(created) != 1 || len(linked) != 1 || created[0] != linked[0] {
			t.Fatalf("round %d: created %v, linked %v; want one contact, the other message linked to it", round, created, linked)
		}
	}
}
