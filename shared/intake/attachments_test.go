package intake_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/intake"
)

// flakyBlobs fails the first n puts, as S3 does now and then.
type flakyBlobs struct {
	intake.Blobs
	n atomic.Int32
}

func (f *flakyBlobs) Put(ctx context.Context, key string, data []byte, contentType string) error {
	if f.n.Add(-1) >= 0 {
		return errors.New("s3: 503 slow down")
	}
	return f.Blobs.Put(ctx, key, data, contentType)
}

// Issue #6 "Nothing lost": an attachment that cannot be kept fails the delivery before anything is written,
// and the redelivery writes the contact with its attachment. (Keeping attachments after the write lost them:
// the redelivery found a duplicate and kept nothing.)
func TestAttachmentFailure_RedeliveryKeepsTheAttachment(t *testing.T) {
	r := newRig(t, london(t, "2026-11-16 10:45"))
	svc := r.suite.Intake
	flaky := &flakyBlobs{Blobs: svc.Blobs}
	flaky.n.Store(1)
	svc.Blobs = flaky
	const file = "gp-letter-pdf.eml"
	id := sesID(t, file)
	raw := intake.RawMail{Data: readSample(t, file), Key: "raw/" + id, SESMessageID: id}
	ctx := context.Background()

	if _, err := svc.IngestEmail(ctx, hackney, raw); err == nil {
		t.Fatal("the delivery succeeded although its attachment could not be kept")
	}
	cs, err := r.suite.Store.ListContacts(ctx, hackney, domain.StatusReceived)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 0 {
		t.Fatalf("a failed delivery wrote %d contacts", len(cs))
	}

	res, err := svc.IngestEmail(ctx, hackney, raw) // Lambda's retry: the same object
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 || res[0].Status != intake.StatusCreated {
		t.Fatalf("redelivery: %+v, want one created contact", res)
	}
	assertAttachments(t, r, res[0].ContactID, []string{"safeguarding-letter.pdf"})
	if res[0].Reference != "HAC-2026-000001" {
		t.Errorf("reference %s: the failed delivery took a number", res[0].Reference)
	}
}
