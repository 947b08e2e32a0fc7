package cases

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/store"
)

// Person matching: the case records are searched for the contact's child by blocks (the same date of birth;
// names that sound alike; the same NHS number), and each record found is scored over name, date of birth,
// address and NHS number. Only an exact match on a strong identifier acts without a person: the NHS number,
// or name and date of birth exactly (the children index's identity key, screening's Classify). Anything
// fuzzier ("Jayden Smyth" for Jaden Smith) is offered to the screener as a scored candidate.

// MinScore is the least score a record needs to be offered as a candidate.
const MinScore = 0.5

// MaxCandidates is how many candidates a contact is offered at most (best first).
const MaxCandidates = 5

// Query is what the contact says about the child.
type Query struct {
	GivenName, FamilyName string
	DateOfBirth           domain.Date
	Address               string
	NHSNumber             string
}

// QueryOf reads the contact's child.
func QueryOf(c domain.Child) Query {
	return Query{GivenName: c.GivenName, FamilyName: c.FamilyName, DateOfBirth: c.DateOfBirth, Address: c.Address,
		NHSNumber: strings.ReplaceAll(c.NHSNumber, " ", "")}
}

// Score is how well a case record's person fits the query (0..1), the fields that matched and how, and
// whether an exact strong identifier matched (NHS number, or name and date of birth exactly).
func Score(q Query, p store.CasePerson) (float64, []string, bool) {
	if q.NHSNumber != "" && q.NHSNumber == p.NHSNumber {
		return 1, []string{"nhsNumber"}, true
	}
	var (
		s       float64
		matched []string
	)
	switch {
	case q.DateOfBirth.IsZero() || p.DateOfBirth.IsZero():
	case q.DateOfBirth == p.DateOfBirth:
		s += 0.35
		matched = append(matched, "dateOfBirth")
	case nearDate(q.DateOfBirth, p.DateOfBirth):
		s += 0.15
		matched = append(matched, "dateOfBirth (one slip)")
	}
	fs, fm := nameScore(q.FamilyName, p.FamilyName, 0.25, 0.2, 0.12)
	gs, gm := nameScore(q.GivenName, p.GivenName, 0.2, 0.15, 0.1)
	s += fs + gs
	if fs > 0 {
		matched = append(matched, "familyName"+fm)
	}
	if gs > 0 {
		matched = append(matched, "givenName"+gm)
	}
	if a, b := domain.NormaliseName(q.Address), domain.NormaliseName(p.Address); a != "" && a == b {
		s += 0.1
		matched = append(matched, "address")
	} else if pa, pb := postcode(q.Address), postcode(p.Address); pa != "" && pa == pb {
		s += 0.08
		matched = append(matched, "address (postcode)")
	}
	// Name and date of birth exactly: the children index's identity key.
	exact := !q.DateOfBirth.IsZero() && q.DateOfBirth == p.DateOfBirth && fm == "" && gm == "" && fs > 0 && gs > 0
	return min(s, 1), matched, exact
}

func nameScore(a, b string, exact, sounds, near float64) (float64, string) {
	na, nb := domain.NormaliseName(a), domain.NormaliseName(b)
	switch {
	case na == "" || nb == "":
		return 0, ""
	case na == nb:
		return exact, ""
	case Phonetic(a) == Phonetic(b):
		return sounds, " (sounds alike)"
	case Distance(na, nb) <= 2:
		return near, " (spelt nearly alike)"
	}
	return -0.05, ""
}

// nearDate: one digit wrong, or day and month swapped.
func nearDate(a, b domain.Date) bool {
	if a.D == b.M && a.M == b.D && a.Y == b.Y {
		return true
	}
	return Distance(a.String(), b.String()) == 1
}

func postcode(s string) string {
	f := strings.Fields(strings.ToUpper(s))
	if len(f) < 2 {
		return ""
	}
	in, out := f[len(f)-1], strings.Trim(f[len(f)-2], ",")
	if len(in) == 3 && unicode.IsDigit(rune(in[0])) && len(out) >= 2 && len(out) <= 4 {
		return out + in
	}
	return ""
}

// Candidate is one case record offered for a contact's child.
type Candidate = domain.MatchCandidate

// Blocks are the children-index keys a case record is also filed under, and a contact's child looked up by.
func Blocks(q Query) []string {
	var keys []string
	if !q.DateOfBirth.IsZero() {
		keys = append(keys, "dob#"+q.DateOfBirth.String())
	}
	if f, g := Phonetic(q.FamilyName), Phonetic(q.GivenName); f != "" && g != "" {
		keys = append(keys, "sounds#"+f+"#"+g)
	}
	if q.NHSNumber != "" {
		keys = append(keys, "nhs#"+q.NHSNumber)
	}
	return keys
}

// Rank scores records against q: candidates at or over MinScore, best first (at most MaxCandidates), and the
// record an exact strong identifier matched, if any.
func Rank(q Query, records []store.ChildRecord) ([]Candidate, *store.ChildRecord) {
	var (
		out    []Candidate
		strong *store.ChildRecord
		seen   = map[string]bool{}
	)
	for i := range records {
		r := &records[i]
		if r.Person == nil {
			continue
		}
		id := r.CaseID
		if id == "" {
			id = r.IdentityKey
			if !strings.HasPrefix(id, "dob#") && !strings.HasPrefix(id, "sounds#") && !strings.HasPrefix(id, "nhs#") {
				id = string(r.ContactID)
			} else {
				id = string(EntryID(r.Authority, r.Person.FamilyName+"\x00"+r.Person.GivenName+"\x00"+r.Person.DateOfBirth.String()+"\x00"+r.ClosedUnit+r.AllocatedWorker))
			}
		}
		if seen[id] {
			continue
		}
		seen[id] = true
		s, matched, exact := Score(q, *r.Person)
		if exact && strong == nil {
			strong = r
		}
		if s >= MinScore {
			status := "closed"
			if r.OpenCase {
				status = "open"
			}
			out = append(out, Candidate{ID: id, Entry: string(r.ContactID), Score: float64(int(s*100+0.5)) / 100, Matched: matched,
				CaseStatus: status, Strong: exact})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Score > out[j].Score })
	if len(out) > MaxCandidates {
		out = out[:MaxCandidates]
	}
	return out, strong
}

// Finder is what searching the case records needs of the store.
type Finder interface {
	FindChildren(ctx context.Context, authority domain.AuthorityID, identityKey string) ([]store.ChildRecord, error)
}

// Candidates searches the authority's case records for the child by its blocks and ranks what it finds.
func Candidates(ctx context.Context, s Finder, a domain.AuthorityID, child domain.Child) ([]Candidate, *store.ChildRecord, error) {
	q := QueryOf(child)
	var all []store.ChildRecord
	for _, k := range Blocks(q) {
		rs, err := s.FindChildren(ctx, a, k)
		if err != nil {
			return nil, nil, err
		}
		all = append(all, rs...)
	}
	c, strong := Rank(q, all)
	return c, strong, nil
}

// Index is the case records in memory, by block: what the benchmark measures (and what a caller holding
// the records itself may use).
type Index struct {
	blocks map[string][]int32
	recs   []store.ChildRecord
}

// NewIndex files records by their blocks.
func NewIndex(recs []store.ChildRecord) *Index {
	ix := &Index{blocks: make(map[string][]int32, len(recs)*2), recs: recs}
	for i, r := range recs {
		if r.Person == nil {
			continue
		}
		for _, k := range Blocks(personQuery(*r.Person)) {
			ix.blocks[k] = append(ix.blocks[k], int32(i))
		}
	}
	return ix
}

// Match ranks the records that share a block with q.
func (ix *Index) Match(q Query) ([]Candidate, *store.ChildRecord) {
	var found []store.ChildRecord
	for _, k := range Blocks(q) {
		for _, i := range ix.blocks[k] {
			found = append(found, ix.recs[i])
		}
	}
	return Rank(q, found)
}

func personQuery(p store.CasePerson) Query {
	return Query{GivenName: p.GivenName, FamilyName: p.FamilyName, DateOfBirth: p.DateOfBirth, Address: p.Address, NHSNumber: p.NHSNumber}
}

// Distance is the optimal-string-alignment edit distance (insertions, deletions, substitutions and
// transpositions of neighbours) between a and b, by rune.
func Distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

// Decisions are the screener's answers to a candidate.
var Decisions = []string{"confirm", "reject"}

// Decide records the screener's decision on one of the contact's candidates (confirm: this is the child;
// reject: it is not) and returns its audit event. An unknown candidate is not_found; a bad decision invalid.
func Decide(c *domain.Contact, candidate, decision, by string, at time.Time) (store.AuditEvent, error) {
	if !slices.Contains(Decisions, decision) {
		return store.AuditEvent{}, &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: "decision",
			Message: fmt.Sprintf("%q is not allowed (allowed: %s)", decision, strings.Join(Decisions, ", "))}}}
	}
	i := slices.IndexFunc(c.MatchCandidates, func(m domain.MatchCandidate) bool { return m.ID == candidate })
	if i < 0 {
		return store.AuditEvent{}, &domain.Error{Code: domain.CodeNotFound, Message: "no candidate " + strconv.Quote(candidate) + " on this contact",
			Fields: []domain.FieldError{{Field: "candidate", Message: "is not one of the contact's match candidates"}}}
	}
	m := &c.MatchCandidates[i]
	m.Decision, m.DecidedBy, m.DecidedAt = decision+"ed", by, at
	if decision == "reject" {
		m.Decision = "rejected"
	}
	return store.AuditEvent{Actor: by, At: at, Action: "match." + m.Decision, Reason: "person matching: the screener's decision",
		Detail: map[string]string{"candidate": m.ID, "score": strconv.FormatFloat(m.Score, 'f', 2, 64), "caseStatus": m.CaseStatus}}, nil
}
