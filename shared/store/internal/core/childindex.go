package core

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"sort"
	"strings"
	"time"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/store"
)

// The children index is kept on the contact item (docs/cost.md "The children index kept on the contact"): a
// contact about a child is in a third index, gsi3, by its child's identity (childKey: the authority and the
// child's identity key, hashed, so that the key is short and names nobody), instead of an entry of its own
// written beside it (contact#<id> / child, in gsi1 by child#<auth>#<identityKey>). The index moves with the
// contact's writes: a child's identity corrected moves it, at no extra write. Entries written apart are still
// written and read: contacts created before (their entries stay, and follow their contacts' identity), imported
// case records (PutChildRecord) and the case state recorded for a contact (RecordChildCase). FindChildren reads
// both, an entry apart winning over its contact's own (it may carry a case state).

// childKey is gsi3's partition key for a child's identity in an authority: 18 characters whatever the name.
func childKey(a domain.AuthorityID, identityKey string) string {
	h := sha256.Sum256([]byte(string(a) + "\x00" + identityKey))
	return "c#" + base64.RawURLEncoding.EncodeToString(h[:12])
}

// contactKey reports whether identityKey can be a contact's child's identity (domain.Child.IdentityKey: the
// folded name, "#", the date of birth as YYYY-MM-DD): the other keys of the children index (a case record's
// blocks, shared/cases: "sounds#<family>#<given>", "nhs#<number>") name no contact, and gsi3 is not read for them.
func contactKey(identityKey string) bool {
	name, dob, ok := strings.Cut(identityKey, "#")
	if !ok || name == "" || len(dob) != len("2006-01-02") {
		return false
	}
	_, err := time.Parse("2006-01-02", dob)
	return err == nil
}

// FindChildren implements store.Children.
func (s *Store) FindChildren(ctx context.Context, authority domain.AuthorityID, identityKey string) ([]store.ChildRecord, error) {
	if identityKey == "" {
		return nil, nil
	}
	apart, err := indexDocs[store.ChildRecord](ctx, s, GSI1, childGSI(authority, identityKey), "", 0)
	if err != nil {
		return nil, err
	}
	var items []Item
	if contactKey(identityKey) {
		if items, err = s.b.QueryIndex(ctx, GSI3, childKey(authority, identityKey), "", 0); err != nil {
			return nil, internal("query index", err)
		}
	}
	have := map[domain.ContactID]bool{}
	for _, r := range apart {
		have[r.ContactID] = true
	}
	out := apart
	for i := range items {
		if !s.live(&items[i]) || items[i].SK != skContact {
			continue
		}
		c, err := decode[domain.Contact](&items[i])
		if err != nil {
			return nil, err
		}
		if have[c.ID] || c.Authority != authority || c.Child.IdentityKey() != identityKey {
			continue // its entry apart is read instead; or another identity under the same hash
		}
		have[c.ID] = true
		out = append(out, store.ChildRecord{ContactID: c.ID, Authority: c.Authority, IdentityKey: identityKey, ReceivedAt: c.ReceivedAt})
	}
	// sort.SliceStable, not slices.SortStableFunc: the generic sort is compiled again for this type (≈ 5 KB
	// in every function that links the store, issue #19's size budget); the reflective one is linked already.
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if c := a.ReceivedAt.Compare(b.ReceivedAt); c != 0 {
			return c < 0
		}
		return a.ContactID < b.ContactID
	})
	return out, nil
}

// RecordChildCase implements store.Children: the contact's entry apart gets the case state; a contact with
// none (created since the children index moved to the contact) gets one, written apart.
func (s *Store) RecordChildCase(ctx context.Context, id domain.ContactID, state store.CaseState) (store.ChildRecord, error) {
	var r store.ChildRecord
	err := s.update(ctx, contactPK(id), skChild, "children index entry", func(it *Item) error {
		var err error
		if r, err = decode[store.ChildRecord](it); err != nil {
			return err
		}
		r.CaseState = state
		*it = childItem(r, it.Version)
		return nil
	})
	if domain.ErrorCode(err) != domain.CodeNotFound {
		return r, err
	}
	c, _, err := s.getContact(ctx, id)
	if err != nil {
		return r, err
	}
	ik := c.Child.IdentityKey()
	if ik == "" {
		return r, notFound("children index entry")
	}
	r = store.ChildRecord{ContactID: c.ID, Authority: c.Authority, IdentityKey: ik, ReceivedAt: c.ReceivedAt, CaseState: state}
	if err := s.b.Write(ctx, []Put{{Item: childItem(r, 1), Cond: CondNotExists}}); err != nil {
		if _, ok := condIndex(err); ok {
			return r, conflict("children index entry of %s changed concurrently", id)
		}
		return r, internal("put child", err)
	}
	return r, nil
}
