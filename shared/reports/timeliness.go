// Package reports computes the MASH's performance and statutory returns from what the product already
// holds — the contacts' deadlines (stamped by shared/lifecycle from the policy's starts: data) and the audit
// trail — never from a second bookkeeping that could drift.
//
// Timeliness: for every deadline rule, how many deadlines falling in a period were met, missed or are still
// open, the median and 90th percentile of time-to-done, and the worst cases by reference. A deadline's
// clock start is the from.<rule> the lifecycle stamped on the audit event that started it; its end is the
// first audit event that does what the rule asks (Done).
package reports

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/safeguarding/mash/shared/clock"
	"github.com/safeguarding/mash/shared/directory"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/notify"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/store"
)

// Record is one contact with its audit trail, oldest event first.
type Record struct {
	Contact *domain.Contact
	Audit   []store.AuditEvent
}

// Load reads every contact of an authority (all statuses) with its audit trail.
func Load(ctx context.Context, st store.Store, a domain.AuthorityID) ([]Record, error) {
	return LoadProgress(ctx, st, a, nil)
}

// LoadProgress is Load telling read, when not nil, how many contacts' trails it has read of how many
// (mash report shows it on a terminal).
func LoadProgress(ctx context.Context, st store.Store, a domain.AuthorityID, read func(done, total int)) ([]Record, error) {
	var all []*domain.Contact
	for _, s := range domain.Statuses {
		cs, err := st.ListContacts(ctx, a, s)
		if err != nil {
			return nil, err
		}
		all = append(all, cs...)
	}
	recs := make([]Record, 0, len(all))
	for i, c := range all {
		evs, err := st.ListAudit(ctx, c.ID)
		if err != nil {
			return nil, err
		}
		recs = append(recs, Record{Contact: c, Audit: evs})
		if read != nil {
			read(i+1, len(all))
		}
	}
	sort.SliceStable(recs, func(i, j int) bool {
		a, b := recs[i].Contact, recs[j].Contact
		if !a.ReceivedAt.Equal(b.ReceivedAt) {
			return a.ReceivedAt.Before(b.ReceivedAt)
		}
		return a.ID < b.ID
	})
	return recs, nil
}

// What ends each rule's clock: the first audit event, at or after the clock's start, that does what the rule
// asks. Each entry says why. escalation.repeat is not a service timescale (it is the interval between
// reminders about an overdue item) and is not reported.
var (
	// match.forwarded: a screener's confirmed person match forwarded the contact (actions.Match) as an exact
	// match does at screening.
	screeningDone = []string{"rating.set", "screening.forwarded", "match.forwarded", "screening.returned-for-consent", "decision.recorded", "contact.closed"}
	oohDone       = []string{"screening.done", "screening.forwarded", "match.forwarded", "screening.returned-for-consent", "rating.set", "decision.recorded", "contact.closed"}
)

// DoneBy describes, per rule, which audit event ends its clock (docs and the CLI's --help print it).
var DoneBy = map[string]string{
	policy.RuleScreeningCSC:       "the manager's rating (rating.set), or screening forwarding / returning the contact",
	policy.RuleScreeningEarlyHelp: "the manager's rating (rating.set), or screening forwarding / returning the contact",
	policy.RuleInfoRequest:        "the manager's rating (rating.set), or screening forwarding / returning the contact",
	policy.RuleOOHReview:          "the morning review: screening done, forwarded or returned (screening.*)",
	policy.RuleChecksRed:          "the last requested partner check answered (check.answered), or the decision",
	policy.RuleChecksAmber:        "the last requested partner check answered (check.answered), or the decision",
	policy.RuleChecksGreen:        "the last requested partner check answered (check.answered), or the decision",
	policy.RuleChecksBlue:         "the last requested partner check answered (check.answered), or the decision",
	policy.RulePCOReview:          "the decision (decision.recorded)",
	policy.RuleStrategyRed:        "the strategy-discussion notice sent to CSC, Health and Police (notice.queued kind=strategy)",
	policy.RuleDecisionFeedback:   "the outcome sent to the referrer (notice.queued kind=feedback)",
	policy.RuleImmediateHarmForm:  "the written form arriving (written-form.received)",
	policy.RuleLADO:               "the LADO notice (notice.queued kind=lado)",
	policy.RuleEncompass:          "the child's school's DSL told (notice.queued kind=encompass told=school; a notice to the Encompass lead stops the clock only for a child with no school to tell — educated at home, or under school age with no school or setting named — an ambiguous, unknown or closed school, or one with no DSL address, waits for a worker to pick the school and the school to be told; an event from before the told key is read by whom it was shared with)",
}

// Rules returns the reportable rules of a policy, in RuleIDs order.
func Rules(p *policy.Policy) []string {
	var rs []string
	for _, id := range policy.RuleIDs {
		if _, ok := p.Deadlines[id]; ok && DoneBy[id] != "" {
			rs = append(rs, id)
		}
	}
	return rs
}

func notice(e store.AuditEvent, kind domain.NoticeKind) bool {
	return e.Action == "notice.queued" && e.Detail["kind"] == string(kind)
}

// schoolTold reports whether an event is an Operation Encompass notice that told whom the rule asks: the
// child's school's DSL (notify.ToldSchool), or the Encompass lead for a child with no school to tell —
// educated at home, or under school age with no school or setting named (directory.NoSchoolToTell): the
// lead is whom the notice is for then. A notice to the lead because the school is ambiguous, unknown, closed
// or has no DSL address is not done: the school has not been told (the clock stops when a worker picks the
// school and its DSL is told — the pick's own notice.queued).
//
// An event written before the told key existed is read by whom it was shared with, as the notice was
// addressed: an address at one of the policy's school domains told the school; the lead alone counts only for
// a child with no school to tell, as the contact records the child now. (Before, every such event counted as
// the school told, so a notice that only ever reached the lead read as met.)
func schoolTold(p *policy.Policy, c *domain.Contact, e store.AuditEvent) bool {
	if !notice(e, domain.NoticeEncompass) {
		return false
	}
	told, ok := e.Detail[notify.DetailTold]
	match := e.Detail[notify.DetailSchoolMatch]
	if !ok {
		told = notify.ToldLead
		if slices.ContainsFunc(e.SharedWith, p.SchoolEmailAllowed) {
			told = notify.ToldSchool
		}
		loc := time.UTC
		if cal, err := p.Calendar(); err == nil {
			loc = cal.Location()
		}
		if o, none := directory.NoSchoolToTell(c, loc); none {
			match = string(o)
		}
	}
	return told == notify.ToldSchool || match == string(directory.HomeEducated) || match == string(directory.UnderSchoolAge)
}

// doneAt returns when the rule's clock, started at from, was ended by the contact's audit (zero: not yet).
func doneAt(p *policy.Policy, c *domain.Contact, rule string, from time.Time, evs []store.AuditEvent) time.Time {
	requested, answered := map[string]bool{}, map[string]bool{}
	for _, e := range evs {
		if e.At.Before(from) {
			continue
		}
		var hit bool
		switch rule {
		case policy.RuleScreeningCSC, policy.RuleScreeningEarlyHelp, policy.RuleInfoRequest:
			hit = slices.Contains(screeningDone, e.Action)
		case policy.RuleOOHReview:
			hit = slices.Contains(oohDone, e.Action)
		case policy.RuleChecksRed, policy.RuleChecksAmber, policy.RuleChecksGreen, policy.RuleChecksBlue:
			switch e.Action {
			case "check.requested":
				requested[e.Detail["check"]] = true
			case "check.answered":
				answered[e.Detail["check"]] = true
				hit = len(requested) > 0
				for id := range requested {
					hit = hit && answered[id]
				}
			case "decision.recorded", "match.forwarded":
				hit = true
			}
		case policy.RulePCOReview:
			hit = e.Action == "decision.recorded" || e.Action == "match.forwarded"
		case policy.RuleStrategyRed:
			hit = notice(e, domain.NoticeStrategy)
		case policy.RuleDecisionFeedback:
			hit = notice(e, domain.NoticeFeedback)
		case policy.RuleImmediateHarmForm:
			hit = e.Action == "written-form.received"
		case policy.RuleLADO:
			hit = notice(e, domain.NoticeLADO)
		case policy.RuleEncompass:
			hit = schoolTold(p, c, e)
		}
		if hit {
			return e.At
		}
	}
	return time.Time{}
}

// Item is one deadline: a contact's rule, when its clock started, when it fell due and when it was done.
type Item struct {
	Rule      string           `json:"rule"`
	ContactID domain.ContactID `json:"contactId"`
	Reference domain.Reference `json:"reference"`
	From      time.Time        `json:"from"`
	Due       time.Time        `json:"due"`
	Done      *time.Time       `json:"done,omitempty"`
	State     string           `json:"state"` // met, missed, open
}

// States of an item.
const (
	Met    = "met"
	Missed = "missed"
	Open   = "open"
)

// Items lists every deadline the contacts carry, with its state at now. The due instant is the contact's
// own (c.Deadlines); the clock's start is the from.<rule> of the audit event that stamped that due
// (falling back to that event's time for events written before from.<rule> existed, then to receipt).
func Items(p *policy.Policy, recs []Record, now time.Time) []Item {
	var items []Item
	for _, r := range recs {
		c := r.Contact
		rules := make([]string, 0, len(c.Deadlines))
		for rule := range c.Deadlines {
			if DoneBy[rule] != "" {
				rules = append(rules, rule)
			}
		}
		sort.Strings(rules)
		for _, rule := range rules {
			due := c.Deadlines[rule].UTC()
			from := c.ReceivedAt
			stamp := due.Format(time.RFC3339)
			for _, e := range r.Audit {
				if e.Detail["due."+rule] != stamp {
					continue
				}
				from = e.At
				if f, err := time.Parse(time.RFC3339, e.Detail["from."+rule]); err == nil {
					from = f
				}
				break
			}
			it := Item{Rule: rule, ContactID: c.ID, Reference: c.Reference, From: from.UTC(), Due: due}
			done := doneAt(p, c, rule, from, r.Audit)
			switch {
			case !done.IsZero():
				d := done.UTC()
				it.Done = &d
				it.State = Met
				if d.After(due) {
					it.State = Missed
				}
			case now.After(due):
				it.State = Missed
			default:
				it.State = Open
			}
			items = append(items, it)
		}
	}
	return items
}

// MaxRange is the longest period a report covers.
const MaxRange = 2 * 366 * 24 * time.Hour

// Query is a report's period [From, To), optionally one rule, and the bucket of its series (day or week).
type Query struct {
	From, To time.Time
	Rule     string
	By       string
}

// Buckets a series may use.
var Buckets = []string{"day", "week"}

// ParseQuery reads from, to (RFC 3339 instants, or YYYY-MM-DD dates: the authority's local days, midnight
// to midnight in its time zone (GMT or BST for England), a to date counting whole; defaults: the 30 days to
// today inclusive), rule and by. Each bad parameter is named, with the allowed values.
func ParseQuery(p *policy.Policy, from, to, rule, by string, now time.Time) (Query, error) {
	var probs domain.Problems
	loc, err := clock.LoadLocation(p.Timezone)
	if err != nil {
		return Query{}, err
	}
	q := Query{Rule: rule, By: by}
	y, m, d := now.In(loc).Date()
	q.To = time.Date(y, m, d+1, 0, 0, 0, 0, loc).UTC() // to today, inclusive
	parse := func(name, v string) (time.Time, bool) {
		if t, err := time.Parse(time.RFC3339, v); err == nil {
			return t.UTC(), true
		}
		if t, err := time.ParseInLocation(time.DateOnly, v, loc); err == nil {
			if name == "to" { // a date to is inclusive: to the end of that day
				t = t.AddDate(0, 0, 1)
			}
			return t.UTC(), true
		}
		probs.Add(name, "%q is not a date: give YYYY-MM-DD or an RFC 3339 instant", v)
		return time.Time{}, false
	}
	if to != "" {
		if t, ok := parse("to", to); ok {
			q.To = t
		}
	}
	q.From = q.To.In(loc).AddDate(0, 0, -30).UTC()
	if from != "" {
		if t, ok := parse("from", from); ok {
			q.From = t
		}
	}
	if len(probs) == 0 {
		if !q.From.Before(q.To) {
			probs.Add("from", "%s is after to %s", q.From.Format(time.RFC3339), q.To.Format(time.RFC3339))
		} else if q.To.Sub(q.From) > MaxRange {
			probs.Add("to", "the period is over 2 years: give a from and to at most 2 years apart")
		}
	}
	if rule != "" && !slices.Contains(Rules(p), rule) {
		probs.Add("rule", "%q is not a reported rule of %s: one of %s", rule, p.Authority, strings.Join(Rules(p), ", "))
	}
	if by != "" && !slices.Contains(Buckets, by) {
		probs.Add("by", "%q: one of %s", by, strings.Join(Buckets, ", "))
	}
	return q, probs.Err()
}

// Case is a worst case: a deadline done latest after (or still open furthest past) its due instant.
type Case struct {
	Reference domain.Reference `json:"reference"`
	Due       time.Time        `json:"due"`
	Done      *time.Time       `json:"done,omitempty"`
	Late      string           `json:"late"` // how long past due (now, when not done)
}

// Row is one rule's figures over the period. Median and P90 are of time-to-done (clock start to done) over
// the deadlines done; durations are Go durations rounded to the minute, with the same in minutes.
type Row struct {
	Rule       string  `json:"rule"`
	Met        int     `json:"met"`
	Missed     int     `json:"missed"`
	Open       int     `json:"open"`
	Median     string  `json:"median"`
	P90        string  `json:"p90"`
	MedianMins float64 `json:"medianMinutes"`
	P90Mins    float64 `json:"p90Minutes"`
	Worst      []Case  `json:"worst"`
}

// Point is one rule's counts in one day or week of the clocks' start (by the authority's time zone; weeks
// start on Monday).
type Point struct {
	Period string `json:"period"`
	Rule   string `json:"rule"`
	Met    int    `json:"met"`
	Missed int    `json:"missed"`
	Open   int    `json:"open"`
}

// Report is the timeliness report of one authority.
type Report struct {
	Authority domain.AuthorityID `json:"authority"`
	From      time.Time          `json:"from"`
	To        time.Time          `json:"to"`
	Rows      []Row              `json:"rows"`
	Series    []Point            `json:"series,omitempty"`
	// SupportingFamilies counts the programme's outcomes recorded at early help decisions in the period, where
	// the policy has the programme (Portsmouth §5.3).
	SupportingFamilies *FamiliesCount `json:"supportingFamilies,omitempty"`
}

// WorstCases is how many worst cases a row lists.
const WorstCases = 3

// Timeliness builds the report: every deadline whose clock started in [q.From, q.To) — so a period ending
// now shows the deadlines still running as open — one row per reported rule of the policy (every rule, even
// with no deadline in the period, so a silent rule shows as zeros).
func Timeliness(p *policy.Policy, recs []Record, q Query, now time.Time) Report {
	rep := Report{Authority: p.Authority, From: q.From, To: q.To, Rows: []Row{}, SupportingFamilies: SupportingFamilies(p, recs, q.From, q.To)}
	loc, err := time.LoadLocation(p.Timezone)
	if err != nil {
		loc = time.UTC
	}
	byRule := map[string][]Item{}
	for _, it := range Items(p, recs, now) {
		if it.From.Before(q.From) || !it.From.Before(q.To) {
			continue
		}
		byRule[it.Rule] = append(byRule[it.Rule], it)
	}
	for _, rule := range Rules(p) {
		if q.Rule != "" && rule != q.Rule {
			continue
		}
		row := Row{Rule: rule, Worst: []Case{}}
		var took []time.Duration
		var late []Item
		points := map[string]*Point{}
		for _, it := range byRule[rule] {
			switch it.State {
			case Met:
				row.Met++
			case Missed:
				row.Missed++
				late = append(late, it)
			case Open:
				row.Open++
			}
			if it.Done != nil {
				took = append(took, it.Done.Sub(it.From))
			}
			if q.By != "" {
				key := bucket(it.From.In(loc), q.By)
				pt := points[key]
				if pt == nil {
					pt = &Point{Period: key, Rule: rule}
					points[key] = pt
				}
				switch it.State {
				case Met:
					pt.Met++
				case Missed:
					pt.Missed++
				case Open:
					pt.Open++
				}
			}
		}
		med, p90 := Percentile(took, 50), Percentile(took, 90)
		row.Median, row.P90 = dur(med), dur(p90)
		row.MedianMins, row.P90Mins = med.Round(time.Minute).Minutes(), p90.Round(time.Minute).Minutes()
		lateness := func(it Item) time.Duration {
			if it.Done != nil {
				return it.Done.Sub(it.Due)
			}
			return now.Sub(it.Due)
		}
		sort.SliceStable(late, func(i, j int) bool { return lateness(late[i]) > lateness(late[j]) })
		for i, it := range late {
			if i == WorstCases {
				break
			}
			row.Worst = append(row.Worst, Case{Reference: it.Reference, Due: it.Due, Done: it.Done, Late: dur(lateness(it))})
		}
		rep.Rows = append(rep.Rows, row)
		keys := make([]string, 0, len(points))
		for k := range points {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			rep.Series = append(rep.Series, *points[k])
		}
	}
	return rep
}

func bucket(t time.Time, by string) string {
	if by == "week" {
		wd := (int(t.Weekday()) + 6) % 7 // Monday 0
		t = t.AddDate(0, 0, -wd)
	}
	return t.Format(time.DateOnly)
}

// Percentile is the nearest-rank percentile of ds (zero for none).
func Percentile(ds []time.Duration, pct float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	rank := int(math.Ceil(pct / 100 * float64(len(s))))
	if rank < 1 {
		rank = 1
	}
	return s[rank-1]
}

func dur(d time.Duration) string {
	d = d.Round(time.Minute)
	if d == 0 {
		return "0m"
	}
	s := d.String()
	s = strings.TrimSuffix(s, "0s")
	return s
}

// CSV writes the rows as CSV (rule, met, missed, open, median, p90, worst references).
func (r Report) CSV() string {
	var b strings.Builder
	b.WriteString("rule,met,missed,open,median_minutes,p90_minutes,worst\n")
	for _, row := range r.Rows {
		refs := make([]string, len(row.Worst))
		for i, c := range row.Worst {
			refs[i] = string(c.Reference)
		}
		fmt.Fprintf(&b, "%s,%d,%d,%d,%g,%g,%s\n", row.Rule, row.Met, row.Missed, row.Open, row.MedianMins, row.P90Mins, strings.Join(refs, " "))
	}
	return b.String()
}
