package reports

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"strings"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/store"
)

// SubjectAccess is a subject access request for a child: everything held about them — each contact, its
// audit trail and the list of its attachments — as a zip. Each contact exported gets a "sar.exported"
// audit event naming who asked; a request that matches no child is a 404, audited on the authority's
// store.SARTrail under a pseudonymous subject id (NoMatchID: a hash of the child's identity key, no name or
// date of birth in the audit).
func SubjectAccess(ctx context.Context, st store.Store, a domain.AuthorityID, given, family string, dob domain.Date, by string) ([]byte, int, error) {
	var probs domain.Problems
	if strings.TrimSpace(given) == "" || strings.TrimSpace(family) == "" {
		probs.Add("child", "give the child's given and family name (\"Given Family\")")
	}
	if dob.IsZero() {
		probs.Add("dob", "give the child's date of birth, YYYY-MM-DD")
	}
	if err := probs.Err(); err != nil {
		return nil, 0, err
	}
	key := domain.Child{GivenName: given, FamilyName: family, DateOfBirth: dob}.IdentityKey()
	recs, err := st.FindChildren(ctx, a, key)
	if err != nil {
		return nil, 0, err
	}
	if len(recs) == 0 {
		if _, err := st.AppendAudit(ctx, store.AuditEvent{ContactID: store.SARTrail(a), Actor: by,
			Action: "sar.no-match", Reason: "subject access request matched no child",
			Detail: map[string]string{"subject": string(NoMatchID(a, key))}}); err != nil {
			return nil, 0, err
		}
		return nil, 0, domain.Errorf(domain.CodeNotFound, "no child of that name and date of birth")
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	var att bytes.Buffer
	aw := csv.NewWriter(&att)
	_ = aw.Write([]string{"contact", "reference", "file", "status", "reason"})
	seen := map[domain.ContactID]bool{}
	n := 0
	for _, cr := range recs {
		if seen[cr.ContactID] {
			continue
		}
		seen[cr.ContactID] = true
		c, err := st.GetContact(ctx, cr.ContactID)
		if err != nil {
			return nil, 0, err
		}
		if _, err := st.AppendAudit(ctx, store.AuditEvent{ContactID: c.ID, Actor: by, Action: "sar.exported",
			Reason: "subject access request"}); err != nil {
			return nil, 0, err
		}
		evs, err := st.ListAudit(ctx, c.ID)
		if err != nil {
			return nil, 0, err
		}
		name := string(c.Reference)
		if name == "" {
			name = string(c.ID)
		}
		for file, v := range map[string]any{"contacts/" + name + ".json": c, "audit/" + name + ".json": evs} {
			f, err := zw.Create(file)
			if err != nil {
				return nil, 0, err
			}
			enc := json.NewEncoder(f)
			enc.SetIndent("", "  ")
			if err := enc.Encode(v); err != nil {
				return nil, 0, err
			}
		}
		if c.Extraction != nil {
			for _, ar := range c.Extraction.Attachments {
				_ = aw.Write([]string{string(c.ID), string(c.Reference), ar.File, ar.Status, ar.Reason})
			}
		}
		n++
	}
	aw.Flush()
	f, err := zw.Create("attachments.csv")
	if err != nil {
		return nil, 0, err
	}
	if _, err := f.Write(att.Bytes()); err != nil {
		return nil, 0, err
	}
	if err := zw.Close(); err != nil {
		return nil, 0, err
	}
	return buf.Bytes(), n, nil
}

// NoMatchID is the pseudonymous id a subject access request that matched no child is audited under: a hash
// of the authority and the child's identity key.
func NoMatchID(a domain.AuthorityID, identityKey string) domain.ContactID {
	sum := sha256.Sum256([]byte(string(a) + "#" + identityKey))
	return domain.ContactID("sar_" + hex.EncodeToString(sum[:10]))
}
