package reports_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/internal/steptest"
	"github.com/safeguarding/mash/shared/reports"
	"github.com/safeguarding/mash/shared/store"
)

// A subject access request exports every contact about the child with its audit trail and attachments list
// as a zip, and audits each export; a request matching no child is a 404 and is audited too.
func TestSubjectAccess_EverythingHeldAboutTheChild_Audited(t *testing.T) {
	r := steptest.New(t, steptest.London(t, "2026-11-16 10:00"))
	ctx := context.Background()
	one := r.Contact("hackney", func(c *domain.Contact) {
		c.Reference = "HAC-2026-000001"
		c.Extraction = &domain.Extraction{Attachments: []domain.AttachmentRead{{File: "referral.pdf", Status: "read"}}}
	})
	two := r.Contact("hackney", func(c *domain.Contact) { c.Reference = "HAC-2026-000002" })
	other := r.Contact("hackney", func(c *domain.Contact) {
		c.Reference = "HAC-2026-000003"
		c.Child = domain.Child{GivenName: "Ada", FamilyName: "Brook", DateOfBirth: domain.Date{Y: 2012, M: 1, D: 2}}
	})
	data, n, err := reports.SubjectAccess(ctx, r.Store, "hackney", "Zebedee", "Canarybird", domain.Date{Y: 2017, M: 4, D: 2}, "dpo-1")
	if err != nil || n != 2 {
		t.Fatalf("%d contacts, %v", n, err)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for _, f := range zr.File {
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		files[f.Name] = string(b)
	}
	var names []string
	for k := range files {
		names = append(names, k)
	}
	slices.Sort(names)
	want := []string{"attachments.csv", "audit/HAC-2026-000001.json", "audit/HAC-2026-000002.json", "contacts/HAC-2026-000001.json", "contacts/HAC-2026-000002.json"}
	if !slices.Equal(names, want) {
		t.Errorf("files %v, want %v", names, want)
	}
	var c domain.Contact
	if err := json.Unmarshal([]byte(files["contacts/HAC-2026-000001.json"]), &c); err != nil || c.ID != one.ID || c.Child.FamilyName != "Canarybird" {
		t.Errorf("contact: %v %+v", err, c.Child)
	}
	if !strings.Contains(files["attachments.csv"], "referral.pdf,read") {
		t.Errorf("attachments.csv: %s", files["attachments.csv"])
	}
	if !strings.Contains(files["audit/HAC-2026-000002.json"], "contact.created") {
		t.Errorf("audit: %s", files["audit/HAC-2026-000002.json"])
	}
	for _, id := range []domain.ContactID{one.ID, two.ID} {
		if _, ok := r.HasAction(id, "sar.exported"); !ok {
			t.Errorf("%s: the export is not audited", id)
		}
	}
	if _, ok := r.HasAction(other.ID, "sar.exported"); ok {
		t.Error("another child's contact was exported")
	}
	// No such child: a 404, audited under a pseudonymous id.
	_, _, err = reports.SubjectAccess(ctx, r.Store, "hackney", "Nobody", "Here", domain.Date{Y: 2015, M: 5, D: 5}, "dpo-1")
	if domain.ErrorCode(err) != domain.CodeNotFound {
		t.Errorf("no match: %v", err)
	}
	key := domain.Child{GivenName: "Nobody", FamilyName: "Here", DateOfBirth: domain.Date{Y: 2015, M: 5, D: 5}}.IdentityKey()
	evs, err := r.Store.ListAudit(ctx, store.SARTrail("hackney"))
	if err != nil || len(evs) != 1 || evs[0].Action != "sar.no-match" || evs[0].Actor != "dpo-1" ||
		evs[0].Detail["subject"] != string(reports.NoMatchID("hackney", key)) {
		t.Errorf("no-match audit: %v %+v", err, evs)
	}
	for _, e := range evs {
		if b, _ := json.Marshal(e); strings.Contains(strings.ToLower(string(b)), "nobody") {
			t.Errorf("the no-match audit names the child: %s", b)
		}
	}
	// Bad input names the field.
	_, _, err = reports.SubjectAccess(ctx, r.Store, "hackney", "", "Here", domain.Date{}, "dpo-1")
	var de *domain.Error
	if !errorsAs(err, &de) || len(de.Fields) != 2 {
		t.Errorf("bad input: %v", err)
	}
}
