package core

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/safeguarding/mash/shared/domain"
)

// Key shapes of the single table. Only ids, codes and times appear in keys, except the children identity
// key (normalised name + date of birth), which matching needs.
//
//	item                 pk                          sk              gsi1pk / gsi1sk                         gsi2pk / gsi2sk
//	contact              contact#<id>                contact         contacts#<auth>#<status> / <received>#<id>  ref#<auth>#<reference> / <id> (when numbered)
//	children index entry contact#<id>                child           child#<auth>#<identityKey> / <received>#<id> (written apart: contacts created before the children index moved to the contact, imported case records, a contact's case state)
//	(a contact is also in gsi3 by its child's identity: gsi3pk childKey(<auth>, <identityKey>), partition key only: childindex.go)
//	audit event          contact#<id>                audit#<eventId>
//	check request        contact#<id>                check#<checkId> (traydone#<auth> / <completed>#<itemId>: its tray item completed before the retention job found it through the contact)  tray#checks / <due>#<itemId> (its tray item, until completed); completion#pending / … (a completion kept on it, owed)
//	notification         contact#<id> | outbox#none  notif#<id>                                              outbox#pending / <created>#<id> (until sent)
//	(the messages one change queues: one item, notif#<first id less "<contact id>#">, a JSON array: core.notifsItem)
//	idempotency key      key#<kind>#<auth>#<sha256>  key             (ttl)
//	reference counter    seq#<auth>#<year>           seq
//	tray item            trayitem#<id>               trayitem        traydone#<auth> / <completed>#<id> (once completed)  tray#<tray> / <due>#<id> (until completed)
//	wait item            contact#<id>                wait#<tray>#<key> (traydone#… as a tray item, only if completed before the retention job found it through the contact)  tray#<tray> / <due>#<id> (until completed) (as a tray item: id <contact>#<tray>#w<key>, store.WaitItemID; waits.go)
//	single-use link      link#<sha256(token)>        link            (ttl)
//	restricted record    restricted#<contactId>      r#<id>
//	quarantine item      quarantine#<id>             quarantine      quarantines#<auth> / <received>#<id>    quarantine#<auth> / <received>#<id> (until released)
//	school               schools#<auth>              urn#<urn>
//	directory version    schools#<auth>              version
//	completion owed      contact#<id>                completion#<itemId>                                     completion#pending / <created>#<id> (until done)
//	consultation         consultation#<id>           consultation    consultations#<auth> / <received>#<id>  cref#<auth>#<reference> / <id>
//	consultation counter seq#<auth>#consultation#<year> seq
//	(a consultation's audit events and messages are under contact#<consultation id>, as a contact's are)
//
// A check request keeps its item on the checks tray (id <contact>#checks#<checkId>: checktray.go) and that
// item's index entries; checks requested before keep theirs as tray items of their own.
//
// Times in keys are UTC with fixed-width nanoseconds so that string order is time order.
const (
	skContact    = "contact"
	skChild      = "child"
	skKey        = "key"
	skSeq        = "seq"
	skTrayItem   = "trayitem"
	skLink       = "link"
	skQuarantine = "quarantine"
	skConsult    = "consultation"

	prefixAudit      = "audit#"
	prefixCheck      = "check#"
	prefixNotif      = "notif#"
	prefixRestricted = "r#"
	prefixSchool     = "urn#"
	prefixCompletion = "completion#"
	skDirVersion     = "version"

	outboxPending     = "outbox#pending"
	completionPending = "completion#pending"
)

// TimeLayout is RFC 3339 in UTC with fixed-width nanoseconds: lexical order is time order.
const TimeLayout = "2006-01-02T15:04:05.000000000Z"

// ts formats t for a sort key.
func ts(t time.Time) string { return t.UTC().Format(TimeLayout) }

func contactPK(id domain.ContactID) string { return "contact#" + string(id) }

func contactsGSI(a domain.AuthorityID, s domain.Status) string {
	return "contacts#" + string(a) + "#" + string(s)
}

// referenceGSI is the gsi2 partition of a numbered contact: people quote references, not ids.
func referenceGSI(a domain.AuthorityID, ref domain.Reference) string {
	return "ref#" + string(a) + "#" + string(ref)
}

func childGSI(a domain.AuthorityID, identityKey string) string {
	return "child#" + string(a) + "#" + identityKey
}

func notifPK(id domain.ContactID) string {
	if id == "" {
		return "outbox#none"
	}
	return contactPK(id)
}

func keyPK(hash string) string { return "key#" + hash }

func seqPK(a domain.AuthorityID, year int) string { return fmt.Sprintf("seq#%s#%04d", a, year) }

func trayItemPK(id string) string { return "trayitem#" + id }

func trayGSI(tray string) string { return "tray#" + tray }

func linkPK(token string) string {
	h := sha256.Sum256([]byte(token))
	return "link#" + hex.EncodeToString(h[:])
}

func restrictedPK(id domain.ContactID) string { return "restricted#" + string(id) }

func quarantinePK(id string) string { return "quarantine#" + id }

func quarantineGSI(a domain.AuthorityID) string { return "quarantine#" + string(a) }

// quarantinesGSI is the gsi1 partition of every quarantine item of an authority (the retention job's list).
func quarantinesGSI(a domain.AuthorityID) string { return "quarantines#" + string(a) }

// trayDoneGSI is the gsi1 partition of an authority's completed tray items (the retention job's list).
func trayDoneGSI(a domain.AuthorityID) string { return "traydone#" + string(a) }

// timeID is an id that sorts by time, then by the order this process gave it: compact UTC time with
// nanoseconds, the process's id sequence (fixed-width hex, idSeq), then random hex. Ids given at the same
// instant — the events of one change, successive changes within one clock tick (a fixed clock in tests, a
// coarse one anywhere) — sort in the order they were given, never by their random part; the random part
// keeps ids from two processes apart.
func timeID(t time.Time) string {
	return domain.NewID(t.UTC().Format("20060102T150405.000000000Z") + fmt.Sprintf(".%016x", idSeq.Add(1)))
}

// idSeq numbers the time ids this process gives, in order, across every Store it opens (a command or a test
// that opens the same data twice keeps one order).
var idSeq atomic.Uint64

// ttlOf is the epoch second at which an item expiring at t is gone (rounded up: never early).
func ttlOf(t time.Time) int64 {
	s := t.Unix()
	if t.Nanosecond() > 0 {
		s++
	}
	return s
}

func schoolsPK(a domain.AuthorityID) string { return "schools#" + string(a) }

func consultPK(id domain.ConsultationID) string { return "consultation#" + string(id) }

func consultsGSI(a domain.AuthorityID) string { return "consultations#" + string(a) }

func consultRefGSI(a domain.AuthorityID, ref domain.Reference) string {
	return "cref#" + string(a) + "#" + string(ref)
}

func consultSeqPK(a domain.AuthorityID, year int) string {
	return fmt.Sprintf("seq#%s#consultation#%04d", a, year)
}
