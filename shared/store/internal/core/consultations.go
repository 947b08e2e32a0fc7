package core

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/store"
)

// ---- consultations ----

func consultItem(k *domain.Consultation) Item {
	it := Item{PK: consultPK(k.ID), SK: skConsult, Version: k.Version, Doc: marshal(k),
		GSI1PK: consultsGSI(k.Authority), GSI1SK: ts(k.ReceivedAt) + "#" + string(k.ID)}
	if k.Reference != "" {
		it.GSI2PK, it.GSI2SK = consultRefGSI(k.Authority, k.Reference), string(k.ID)
	}
	return it
}

// CreateConsultation implements store.Consultations. The consultation sequence is read and written back
// under a version check in the same write; a lost race reads it again (a few times) rather than skip a number.
func (s *Store) CreateConsultation(ctx context.Context, k *domain.Consultation, number store.Numbering, ev store.AuditEvent, items []store.TrayItem) error {
	if k == nil {
		return invalid("consultation", "is required")
	}
	if k.Reference != "" {
		return invalid("reference", "must be empty: the store numbers the consultation")
	}
	if k.Authority == "" {
		return invalid("authority", "is required")
	}
	if _, err := domain.FormatConsultationReference(number.Prefix, number.Year, 1); err != nil {
		return err
	}
	if len(items) > 10 {
		return invalid("trayItems", "at most 10")
	}
	if k.Deadlines == nil {
		k.Deadlines = map[string]time.Time{}
	}
	pk := consultSeqPK(k.Authority, number.Year)
	s.consultMu.Lock()
	defer s.consultMu.Unlock()
	for range 20 {
		seq, err := s.b.Get(ctx, pk, skSeq)
		if err != nil {
			return internal("read consultation sequence", err)
		}
		var have int64
		if seq != nil {
			have = seq.Version
		}
		ref, err := domain.FormatConsultationReference(number.Prefix, number.Year, int(have+1))
		if err != nil {
			return err
		}
		w := *k
		w.Reference, w.Version, w.UpdatedAt = ref, 1, s.nowUTC()
		if err := w.Validate(); err != nil {
			return err
		}
		e := ev
		e.ContactID = w.ID.AuditID()
		detail := make(map[string]string, len(e.Detail)+1)
		for key, v := range e.Detail {
			detail[key] = v
		}
		detail["reference"] = string(ref)
		e.Detail = detail
		ap, _, err := s.auditPut(e, w.ID.AuditID())
		if err != nil {
			return err
		}
		seqItem := Item{PK: pk, SK: skSeq, Version: have + 1, Doc: []byte("{}")}
		seqPut := Put{Item: seqItem, Cond: CondNotExists}
		if have > 0 {
			seqPut = Put{Item: seqItem, Cond: CondVersion, Version: have}
		}
		puts := []Put{seqPut, {Item: consultItem(&w), Cond: CondNotExists}, ap}
		for _, t := range items {
			if t.ID == "" || t.Tray == "" || t.DueAt.IsZero() {
				return invalid("trayItems", "a tray item of a consultation needs its id, tray and dueAt")
			}
			if t.Authority == "" {
				t.Authority = w.Authority
			}
			if t.CreatedAt.IsZero() {
				t.CreatedAt = s.nowUTC()
			}
			if t.Note == "" {
				t.Note = "consultation " + string(ref)
			}
			puts = append(puts, Put{Item: trayItem(t, 1), Cond: CondNotExists})
		}
		err = s.b.Write(ctx, puts)
		if err == nil {
			*k = w
			return nil
		}
		i, ok := condIndex(err)
		switch {
		case !ok:
			return internal("create consultation", err)
		case i == 0:
			continue // another writer took the number: read the sequence again
		case i == 1:
			return conflict("consultation %s already exists", k.ID)
		default:
			return conflict("consultation %s: its audit event or tray item already exists", k.ID)
		}
	}
	return conflict("the consultation sequence of %s is busy: try again", k.Authority)
}

// GetConsultation implements store.Consultations.
func (s *Store) GetConsultation(ctx context.Context, id domain.ConsultationID) (*domain.Consultation, error) {
	it, err := s.b.Get(ctx, consultPK(id), skConsult)
	if err != nil {
		return nil, internal("get consultation", err)
	}
	if it == nil {
		return nil, notFound("consultation")
	}
	k, err := decode[domain.Consultation](it)
	if err != nil {
		return nil, err
	}
	k.Version = it.Version
	return &k, nil
}

// ConsultationByReference implements store.Consultations.
func (s *Store) ConsultationByReference(ctx context.Context, authority domain.AuthorityID, ref domain.Reference) (*domain.Consultation, error) {
	items, err := s.b.QueryIndex(ctx, GSI2, consultRefGSI(authority, ref), "", 2)
	if err != nil {
		return nil, internal("consultation by reference", err)
	}
	if len(items) == 0 {
		return nil, notFound("consultation")
	}
	if len(items) > 1 {
		return nil, internal("consultation by reference", fmt.Errorf("reference %s names %d consultations", ref, len(items)))
	}
	k, err := decode[domain.Consultation](&items[0])
	if err != nil {
		return nil, err
	}
	k.Version = items[0].Version
	return &k, nil
}

// ListConsultations implements store.Consultations.
func (s *Store) ListConsultations(ctx context.Context, authority domain.AuthorityID) ([]*domain.Consultation, error) {
	items, err := s.b.QueryIndex(ctx, GSI1, consultsGSI(authority), "", 0)
	if err != nil {
		return nil, internal("list consultations", err)
	}
	out := make([]*domain.Consultation, 0, len(items))
	for i := range items {
		k, err := decode[domain.Consultation](&items[i])
		if err != nil {
			return nil, err
		}
		k.Version = items[i].Version
		out = append(out, &k)
	}
	return out, nil
}

// ChangeConsultation implements store.Consultations.
func (s *Store) ChangeConsultation(ctx context.Context, id domain.ConsultationID, fn func(*domain.Consultation) (store.Change, error)) (*domain.Consultation, error) {
	k, err := s.GetConsultation(ctx, id)
	if err != nil {
		return nil, err
	}
	before := *k
	ch, err := fn(k)
	if err != nil {
		return nil, err
	}
	if len(ch.Events) == 0 {
		return nil, invalid("events", "a change of a consultation needs its audit event")
	}
	if len(ch.Completions) > 0 {
		return nil, invalid("completions", "a consultation has no workflow to complete")
	}
	if k.ID != before.ID || k.Authority != before.Authority || k.Reference != before.Reference {
		return nil, invalid("id", "a consultation's id, authority and reference cannot change")
	}
	if err := k.Validate(); err != nil {
		return nil, err
	}
	k.Version, k.UpdatedAt = before.Version+1, s.nowUTC()
	puts := []Put{{Item: consultItem(k), Cond: CondVersion, Version: before.Version}}
	aid := id.AuditID()
	ap, err := s.auditsPut(ch.Events, aid) // one item for the change's events, as a contact's change
	if err != nil {
		return nil, err
	}
	puts = append(puts, ap)
	for _, n := range ch.Outbox {
		if n.ContactID == "" {
			n.ContactID = aid
		}
		if n.ContactID != aid {
			return nil, invalid("outbox.contactId", "must be the changed consultation")
		}
		n, err := s.notification(n)
		if err != nil {
			return nil, err
		}
		puts = append(puts, Put{Item: s.notifItem(n, 1), Cond: CondNotExists})
	}
	for _, t := range ch.TrayItems {
		if t.ID == "" || t.Tray == "" || t.DueAt.IsZero() {
			return nil, invalid("trayItems", "a tray item of a change needs its id, tray and dueAt")
		}
		if t.Authority == "" {
			t.Authority = k.Authority
		}
		if t.CreatedAt.IsZero() {
			t.CreatedAt = s.nowUTC()
		}
		puts = append(puts, Put{Item: trayItem(t, 1), Cond: CondNotExists})
	}
	// The consultation's own tray items the change ends (store.Change.Closes: the summary's item), closed in
	// this write under their versions as read; one absent or closed already is left as it is.
	mine := func(t store.TrayItem) bool { return t.ContactID == "" && strings.HasPrefix(t.ID, string(id)+"#") }
	closes := map[int]store.ItemClose{} // index in puts → the close it is
	closing := map[string]bool{}
	for _, x := range ch.Closes {
		if x.ID == "" || x.By == "" {
			return nil, invalid("closes", "a close names the tray item and who closed it")
		}
		if closing[x.ID] {
			continue
		}
		closing[x.ID] = true
		p, open, err := s.closeItemPut(ctx, x, mine)
		if err != nil {
			return nil, err
		}
		if open {
			closes[len(puts)] = x
			puts = append(puts, p)
		}
	}
	if len(puts) > MaxWriteItems {
		return nil, invalid("outbox", fmt.Sprintf("the change needs %d items, more than %d", len(puts), MaxWriteItems))
	}
	reread := map[string]bool{}
	for {
		err := s.b.Write(ctx, puts)
		if err == nil {
			return k, nil
		}
		i, ok := condIndex(err)
		x, isClose := closes[i]
		switch {
		case !ok:
			return nil, internal("update consultation", err)
		case i == 0:
			return nil, conflict("consultation %s changed concurrently", id)
		case isClose && !reread[x.ID]:
			// The item changed since it was read (claimed, or closed by someone else): read it once more and
			// close it as it now is, or leave it when it is closed or gone. Changed again: a conflict.
			reread[x.ID] = true
			p, open, err := s.closeItemPut(ctx, x, mine)
			if err != nil {
				return nil, err
			}
			if open {
				puts[i] = p
				continue
			}
			puts = slices.Delete(puts, i, i+1)
			delete(closes, i)
			moved := map[int]store.ItemClose{}
			for j, c := range closes {
				if j > i {
					j--
				}
				moved[j] = c
			}
			closes = moved
		case isClose:
			return nil, conflict("tray item %s changed concurrently", x.ID)
		default:
			return nil, conflict("consultation %s: an audit event, message or tray item of the change already exists", id)
		}
	}
}
