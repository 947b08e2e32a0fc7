package intake_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/intake"
	"github.com/safeguarding/mash/shared/store"
)

// SES (and Lambda's async retries) may deliver one message many times, even at once. 50 simultaneous
// deliveries of the same bytes with the same SES id make exactly one contact, numbered HAC-2026-000001 on a
// fresh store (no number taken and thrown away), acknowledged once; every call succeeds and names it.
func TestIngestEmail_50ConcurrentRedeliveries_OneContactNoGap(t *testing.T) {
	r := newRig(t, london(t, "2026-11-16 10:45"))
	ctx := context.Background()
	const n = 50
	file := "school-dsl-referral.eml"
	data := readSample(t, file)
	id := sesID(t, file)

	type out struct {
		res []intake.Result
		err error
	}
	outs := make([]out, n)
	var start, done sync.WaitGroup
	start.Add(1)
	for i := range n {
		done.Add(1)
		go func() {
			defer done.Done()
			start.Wait()
			// Each delivery has its own copy of the bytes, as each Lambda invocation would.
			res, err := r.suite.Intake.IngestEmail(ctx, hackney, intake.RawMail{Data: append([]byte(nil), data...),
				Key: "raw/" + id, SESMessageID: id})
			outs[i] = out{res, err}
		}()
	}
	start.Done()
	done.Wait()

	var created int
	var contact domain.ContactID
	for i, o := range outs {
		if o.err != nil {
			t.Errorf("delivery %d: %v", i, o.err)
			continue
		}
		if len(o.res) != 1 {
			t.Errorf("delivery %d: %d results", i, len(o.res))
			continue
		}
		res := o.res[0]
		switch res.Status {
		case intake.StatusCreated:
			created++
		case intake.StatusDuplicate:
		default:
			t.Errorf("delivery %d: status %s", i, res.Status)
		}
		if contact == "" {
			contact = res.ContactID
		}
		if res.ContactID != contact {
			t.Errorf("delivery %d: contact %s, others %s", i, res.ContactID, contact)
		}
		if res.Reference != "HAC-2026-000001" {
			t.Errorf("delivery %d: reference %q, want HAC-2026-000001", i, res.Reference)
		}
	}
	if created != 1 {
		t.Errorf("%d deliveries created a contact, want exactly 1", created)
	}
	if t.Failed() {
		t.FailNow()
	}
	all := r.allContacts(hackney)
	if len(all) != 1 || all[0].ID != contact {
		t.Fatalf("%d contacts in the store, want the one %s", len(all), contact)
	}
	for _, k := range []store.IdempotencyKey{
		{Kind: store.KeySES, Authority: hackney, Value: id},
		{Kind: store.KeyMessageID, Authority: hackney, Value: "msgid:20261116104213.4F2A1C@oakfield-primary.portsmouth.sch.uk"}, // the Message-ID marker
	} {
		got, ok, err := r.suite.Store.LookupKey(ctx, k)
		if err != nil || !ok || got != contact {
			t.Errorf("key %s → %s %v %v, want %s", k.Kind, got, ok, err, contact)
		}
	}
	if ref := r.contact(contact).Reference; ref != "HAC-2026-000001" {
		t.Errorf("reference %q, want HAC-2026-000001", ref)
	}
	// The next contact takes the next number: nothing was taken and thrown away.
	res := r.ingest(hackney, "housing-html-only.eml")
	if len(res) != 1 || res[0].Reference != "HAC-2026-000002" {
		t.Errorf("next contact: %+v, want HAC-2026-000002", res)
	}
	r.assertOneAck(contact)
	if strings.Contains(r.logs.String(), "reference not used") {
		t.Errorf("a reference number was voided")
	}
}

// 20 simultaneous deliveries of the virus-flagged message are one quarantine item holding its bytes.
func TestIngestEmail_ConcurrentQuarantineRedeliveries_OneItem(t *testing.T) {
	r := newRig(t, london(t, "2026-11-16 10:45"))
	ctx := context.Background()
	file := "virus-flagged.eml"
	data := readSample(t, file)
	id := sesID(t, file)
	ids := make([]string, 20)
	var wg sync.WaitGroup
	for i := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := r.suite.Intake.IngestEmail(ctx, hackney, intake.RawMail{Data: append([]byte(nil), data...), Key: "raw/" + id, SESMessageID: id})
			if err != nil || len(res) != 1 || res[0].Status != intake.StatusQuarantined || res[0].Reason != "virus" {
				t.Errorf("delivery %d: %+v %v", i, res, err)
				return
			}
			ids[i] = res[0].QuarantineID
		}()
	}
	wg.Wait()
	items, err := r.suite.Store.ListQuarantine(ctx, hackney)
	if err != nil || len(items) != 1 {
		t.Fatalf("%d quarantine items, want 1 (%v)", len(items), err)
	}
	for i, q := range ids {
		if q != items[0].ID {
			t.Errorf("delivery %d reported item %q, the item is %q", i, q, items[0].ID)
		}
	}
	rr := *r
	rr.t = t
	assertQuarantinedBytes(t, &rr, intake.Result{Status: intake.StatusQuarantined, Reason: "virus", QuarantineID: items[0].ID, Authority: hackney}, file)
}
