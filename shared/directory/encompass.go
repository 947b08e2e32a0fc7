package directory

import (
	"context"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/safeguarding/mash/shared/clock"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/notify"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/store"
)

// TrayEncompassUnmatched holds PPNs whose school could not be named with confidence, due by the Encompass
// deadline, until a worker picks the school.
const TrayEncompassUnmatched = string(domain.TrayEncompassUnmatched)

// NoDSL is the outcome of a school matched whose directory entry has no DSL address.
const NoDSL Outcome = "no-dsl"

// Service keeps one match index per authority, rebuilt when the directory's version changes.
type Service struct {
	Store store.Directories

	mu    sync.Mutex
	cache map[domain.AuthorityID]cachedIndex
}

type cachedIndex struct {
	version int64
	ix      *Index
}

// Index returns the authority's current match index (one version read; a full read only after a change).
func (s *Service) Index(ctx context.Context, a domain.AuthorityID) (*Index, error) {
	v, err := s.Store.DirectoryVersion(ctx, a)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	c, ok := s.cache[a]
	s.mu.Unlock()
	if ok && c.version == v {
		return c.ix, nil
	}
	schools, err := s.Store.ListSchools(ctx, a)
	if err != nil {
		return nil, err
	}
	ix := NewIndex(schools)
	s.mu.Lock()
	if s.cache == nil {
		s.cache = map[domain.AuthorityID]cachedIndex{}
	}
	s.cache[a] = cachedIndex{version: v, ix: ix}
	s.mu.Unlock()
	return ix, nil
}

// Recipient is who an Encompass notice goes to for one contact.
type Recipient struct {
	Match
}

// NeedsPick reports whether a worker must pick the school (the encompass-unmatched tray): the school is
// ambiguous, not found or has no DSL address, or the school on record is closed (the child has moved on: a
// worker finds the school the child attends now). A child with no school to tell (home-educated, under
// school age) needs none.
func (r Recipient) NeedsPick() bool {
	return r.Outcome == Ambiguous || r.Outcome == NotFound || r.Outcome == NoDSL || r.Outcome == Closed
}

// SchoolAgeFrom is the youngest age, in whole years, at which a child in England can be at school: a
// reception place from the September following the fourth birthday (School Admissions Code 2021). It is
// national, the same for every authority.
const SchoolAgeFrom = 4

// noSetting is a PPN's school field that names no school or setting ("", "none", "N/A", "no setting",
// "not at school", "pre-school age" …).
var noSetting = regexp.MustCompile(`(?i)^[\s.\-–—]*(?:none|nil|n/?a|no(?:t)? (?:known )?(?:school|setting|nursery)(?: or setting)?|no school or (?:nursery|setting)|not (?:at|in|of) school(?: age)?|not school age|not in education|(?:under|below|pre-?)[ -]?school[ -]age)?[\s.]*$`)

// NoSchoolToTell reports whether an Operation Encompass PPN's child has no school for the notice to tell,
// and why: recorded as educated at home (HomeEducated), or under school age with no school or setting named,
// or unborn (UnderSchoolAge). The notice then goes to the authority's Encompass lead, who is whom it is for;
// no worker is asked to pick a school, and the Encompass clock is met by the lead's notice (shared/reports).
// A child whose age is not known, or old enough to be at school, with no school named is NotFound: a worker
// finds the school.
func NoSchoolToTell(c *domain.Contact, loc *time.Location) (Outcome, bool) {
	if c.Child.SchoolURN != "" {
		return "", false
	}
	if homeEducated.MatchString(c.Child.School) {
		return HomeEducated, true
	}
	if !noSetting.MatchString(c.Child.School) {
		return "", false
	}
	if c.Child.Unborn {
		return UnderSchoolAge, true
	}
	if c.Child.DateOfBirth.IsZero() {
		return "", false // an age given without a date of birth is not precise enough to say "no school"
	}
	if age, ok := policy.AgeAt(c.Child, c.ReceivedAt, loc); ok && age < SchoolAgeFrom {
		return UnderSchoolAge, true
	}
	return "", false
}

// Extra is the notice's extra keys: the DSL and deputy when matched; otherwise why it goes to the lead,
// the school on record and the candidates.
func (r Recipient) Extra() map[string]string {
	x := map[string]string{notify.ExtraSchoolMatch: string(r.Outcome)}
	if s := r.School; s != nil {
		x[notify.ExtraSchoolName], x[notify.ExtraSchoolURN] = s.Name, s.URN
		if r.Outcome == Matched {
			x[notify.ExtraSchoolEmail], x[notify.ExtraSchoolCc] = s.DSLEmail, s.DeputyDSLEmail
		}
	}
	var lines []string
	for _, c := range r.Candidates {
		line := c.Name + ", URN " + c.URN
		if c.Postcode != "" {
			line += ", " + c.Postcode
		}
		if !c.Open {
			line += " (closed)"
		}
		lines = append(lines, line)
	}
	if len(lines) > 0 {
		x[notify.ExtraCandidates] = strings.Join(lines, "\n")
	}
	return x
}

// EncompassRecipient decides who hears of a PPN: the school the worker picked (Child.SchoolURN), else none
// when the child has no school to tell (NoSchoolToTell), else the school the free text names (Child.School,
// with the child's postcode as a hint). A matched school without a DSL address is NoDSL.
func (s *Service) EncompassRecipient(ctx context.Context, p *policy.Policy, c *domain.Contact) (Recipient, error) {
	ix, err := s.Index(ctx, c.Authority)
	if err != nil {
		return Recipient{}, err
	}
	cal, err := p.Calendar()
	if err != nil {
		return Recipient{}, err
	}
	var m Match
	if o, ok := NoSchoolToTell(c, cal.Location()); ok {
		return Recipient{Match{Outcome: o}}, nil
	}
	if sc, ok := ix.School(c.Child.SchoolURN); ok && c.Child.SchoolURN != "" {
		m = ix.found(ix.byURN[sc.URN])
	} else {
		m = ix.Match(c.Child.School, PostcodeIn(c.Child.Address))
	}
	if m.Outcome == Matched && strings.TrimSpace(m.School.DSLEmail) == "" {
		m.Outcome = NoDSL
	}
	return Recipient{m}, nil
}

// Outbox is the notifier the directory wraps (notify.Notifier; workflow.OutboxNotifier).
type Outbox interface {
	Notify(ctx context.Context, kind domain.NoticeKind, p *policy.Policy, c *domain.Contact, extra map[string]string) error
	Compose(kind domain.NoticeKind, p *policy.Policy, c *domain.Contact, extra map[string]string) (store.Notification, error)
	Flush(ctx context.Context, contact domain.ContactID) error
}

// Notifier addresses Encompass notices from the directory, then hands every message to Next. A notice that
// reaches the Encompass lead because no school could be named also puts the contact on the
// encompass-unmatched tray, due by the Encompass deadline. A caller that already names the school
// (notify.ExtraSchoolEmail) is left alone.
type Notifier struct {
	Next      Outbox
	Directory *Service
	Trays     store.Trays
	Now       clock.Now
}

// Compose implements workflow.OutboxNotifier (unchanged: messages composed for intake's own write).
func (n Notifier) Compose(kind domain.NoticeKind, p *policy.Policy, c *domain.Contact, extra map[string]string) (store.Notification, error) {
	return n.Next.Compose(kind, p, c, extra)
}

// Flush implements workflow.OutboxNotifier.
func (n Notifier) Flush(ctx context.Context, contact domain.ContactID) error {
	return n.Next.Flush(ctx, contact)
}

// Notify implements workflow.Notifier: the notice addressed (Address), then handed to Next, and the tray item
// it needs put.
func (n Notifier) Notify(ctx context.Context, kind domain.NoticeKind, p *policy.Policy, c *domain.Contact, extra map[string]string) error {
	x, items, err := n.Address(ctx, kind, p, c, extra)
	if err != nil {
		return err
	}
	next := n.Next
	if ao, ok := next.(AckOutbox); ok {
		next = ao.Outbox // Address has planned the acknowledgement: one link, not two
	}
	if err := next.Notify(ctx, kind, p, c, x); err != nil {
		return err
	}
	for _, it := range items {
		if n.Trays == nil {
			break
		}
		if _, err := n.Trays.PutTrayItem(ctx, it); err != nil && domain.ErrorCode(err) != domain.CodeConflict {
			return err
		}
	}
	return nil
}

// Address implements workflow.Addresser: an Encompass notice is addressed from the directory (the DSL and
// deputy of the school matched); one that reaches the Encompass lead because no school could be named also
// puts the contact on the encompass-unmatched tray, due by the Encompass deadline. Intake composes it into the
// contact's own write. A caller that names the address, a PPN whose school field is an address the officer
// typed, and every other kind are left as they are (notify sends only to an allowed school domain, else to the
// Encompass lead saying why).
//
// Where Next makes acknowledgements (AckOutbox), a notice to a school's DSL also gets its single-use
// acknowledgement link and its encompass-ack tray item here, so that intake's own write carries them as the
// first step's send did.
func (n Notifier) Address(ctx context.Context, kind domain.NoticeKind, p *policy.Policy, c *domain.Contact, extra map[string]string) (map[string]string, []store.TrayItem, error) {
	x, items, err := n.address(ctx, kind, p, c, extra)
	if err != nil || kind != notify.KindEncompass {
		return x, items, err
	}
	ao, ok := n.Next.(AckOutbox)
	if !ok {
		return x, items, nil
	}
	link, item, err := ao.Acks.PlanAck(ctx, p, c, x)
	if err != nil {
		return nil, nil, err
	}
	if link != "" {
		y := make(map[string]string, len(x)+1)
		for k, v := range x {
			y[k] = v
		}
		y[domain.ExtraLink] = link
		x = y
	}
	if item != nil {
		items = append(items, *item)
	}
	return x, items, nil
}

func (n Notifier) address(ctx context.Context, kind domain.NoticeKind, p *policy.Policy, c *domain.Contact, extra map[string]string) (map[string]string, []store.TrayItem, error) {
	if kind != notify.KindEncompass || extra[notify.ExtraSchoolEmail] != "" || n.Directory == nil ||
		(strings.Contains(c.Child.School, "@") && c.Child.SchoolURN == "") {
		return extra, nil, nil
	}
	r, err := n.Directory.EncompassRecipient(ctx, p, c)
	if err != nil {
		return nil, nil, err
	}
	x := r.Extra()
	for k, v := range extra {
		x[k] = v
	}
	if !r.NeedsPick() {
		return x, nil, nil
	}
	due, err := EncompassDue(p, c, n.Now)
	if err != nil {
		return nil, nil, err
	}
	var items []store.TrayItem
	items = append(items, store.TrayItem{ID: UnmatchedItemID(c.ID), Tray: TrayEncompassUnmatched, Authority: c.Authority, ContactID: c.ID,
		DueAt: due, Rule: policy.RuleEncompass})
	return x, items, nil
}

// UnmatchedItemID is the contact's item on the encompass-unmatched tray.
func UnmatchedItemID(id domain.ContactID) string { return string(id) + "#" + TrayEncompassUnmatched }

// EncompassDue is the contact's Encompass deadline: the one stamped on it, else the policy's rule from when
// it was received (before the start of the next school day).
func EncompassDue(p *policy.Policy, c *domain.Contact, now clock.Now) (time.Time, error) {
	if d, ok := c.Deadlines[policy.RuleEncompass]; ok && !d.IsZero() {
		return d.UTC(), nil
	}
	cal, err := p.Calendar()
	if err != nil {
		return time.Time{}, err
	}
	rule, _ := p.Deadline(policy.RuleEncompass)
	start := c.ReceivedAt
	if start.IsZero() && now != nil {
		start = now()
	}
	d, err := cal.Due(rule, start)
	if err != nil {
		return time.Time{}, err
	}
	return d.UTC(), nil
}
