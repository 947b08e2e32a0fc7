package reports

import (
	"context"
	"sort"
	"time"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/lifecycle"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/store"
)

// Figure is one metric value: Name with the Authority dimension and, when Dim is set, Dim=Value.
type Figure struct {
	Name  string  `json:"name"`
	Dim   string  `json:"dim,omitempty"`
	Of    string  `json:"of,omitempty"`
	Value float64 `json:"value"`
}

// Metric names (namespace MASH, dimension Authority; template.yaml's dashboard and alarms read them).
const (
	MetricContactsReceived = "ContactsReceived" // by Channel, received in the window
	MetricDeadlinesMet     = "DeadlinesMet"     // by Rule, fell due in the window and done by then
	MetricDeadlinesMissed  = "DeadlinesMissed"  // by Rule, fell due in the window and not done by then
	MetricOverdueItems     = "OverdueItems"     // by Tray, now: waiting past the tray's deadline
	MetricDecisions        = "Decisions"        // by Outcome, recorded in the window
	MetricEscalations      = "Escalations"      // overdue escalations (tray items, checks) and decisions escalated, in the window
)

// Window is the trailing period the figures count over: the alarms on missed statutory deadlines stay
// raised for a day after a miss, and the dashboard shows the day's picture on every 5-minute run.
const Window = 24 * time.Hour

// Figures computes the metrics of one authority at now over the trailing window, from the same contacts
// and audit as the reports. Every rule, channel and tray is present (zero when none), so a dashboard line
// and an alarm always have data.
func Figures(p *policy.Policy, recs []Record, now time.Time, window time.Duration) []Figure {
	since := now.Add(-window)
	in := func(t time.Time) bool { return t.After(since) && !t.After(now) }
	var out []Figure
	received := map[string]float64{}
	for _, ch := range domain.Channels {
		received[string(ch)] = 0
	}
	met, missed := map[string]float64{}, map[string]float64{}
	for _, r := range Rules(p) {
		met[r], missed[r] = 0, 0
	}
	overdue := map[string]float64{string(domain.TrayRating): 0, string(domain.TrayDecision): 0}
	decisions := map[string]float64{}
	var escalations float64
	for _, r := range recs {
		c := r.Contact
		if in(c.ReceivedAt) {
			received[string(c.Channel)]++
		}
		switch c.Status {
		case domain.StatusAwaitingRating:
			if due := lifecycle.RatingDue(c); !due.IsZero() && now.After(due) {
				overdue[string(domain.TrayRating)]++
			}
		case domain.StatusChecks, domain.StatusAwaitingDecision:
			if c.Rating != nil {
				if due, ok := c.Deadlines[policy.ChecksRule(c.Rating.Value)]; ok && now.After(due) {
					overdue[string(domain.TrayDecision)]++
				}
			}
		}
		for _, e := range r.Audit {
			if !in(e.At) {
				continue
			}
			switch e.Action {
			case "decision.recorded":
				decisions[e.Detail["outcome"]]++
			case "escalated", "check.overdue", "decision.escalated":
				escalations++
			}
		}
	}
	for _, it := range Items(p, recs, now) {
		if !in(it.Due) {
			continue
		}
		if it.Done != nil && !it.Done.After(it.Due) {
			met[it.Rule]++
		} else {
			missed[it.Rule]++
		}
	}
	add := func(name, dim string, m map[string]float64) {
		ks := make([]string, 0, len(m))
		for k := range m {
			ks = append(ks, k)
		}
		sort.Strings(ks)
		for _, k := range ks {
			out = append(out, Figure{Name: name, Dim: dim, Of: k, Value: m[k]})
		}
	}
	add(MetricContactsReceived, "Channel", received)
	add(MetricDeadlinesMet, "Rule", met)
	add(MetricDeadlinesMissed, "Rule", missed)
	add(MetricOverdueItems, "Tray", overdue)
	add(MetricDecisions, "Outcome", decisions)
	out = append(out, Figure{Name: MetricEscalations, Value: escalations})
	return out
}

// Putter publishes one metric value (shared/adapters/emf.Metrics).
type Putter interface {
	PutBy(ctx context.Context, name string, authority domain.AuthorityID, dim, val string, value float64) error
}

// Publish writes every figure.
func Publish(ctx context.Context, m Putter, a domain.AuthorityID, fs []Figure) error {
	for _, f := range fs {
		if err := m.PutBy(ctx, f.Name, a, f.Dim, f.Of, f.Value); err != nil {
			return err
		}
	}
	return nil
}

// Local-only metric names: on AWS intake and the outbox publish these the moment they happen
// (EmailQuarantined, NotificationUndeliverable, alarmed in template.yaml); the sla function does not publish
// them again. LocalFigures counts them for the console's /reports.
const (
	MetricQuarantined   = "EmailQuarantined"          // quarantined in the window and not yet released
	MetricUndeliverable = "NotificationUndeliverable" // messages the outbox gave up on in the window
)

// LocalFigures is every figure of the dashboard for the console (`/reports`): Figures, and the quarantined
// and undeliverable counts that production publishes as they happen, over the same window.
func LocalFigures(p *policy.Policy, recs []Record, held []store.QuarantineItem, now time.Time, window time.Duration) []Figure {
	since := now.Add(-window)
	in := func(t time.Time) bool { return t.After(since) && !t.After(now) }
	out := Figures(p, recs, now, window)
	var quarantined, undeliverable float64
	for _, q := range held {
		if in(q.ReceivedAt) {
			quarantined++
		}
	}
	for _, r := range recs {
		for _, e := range r.Audit {
			if e.Action == "notification.undeliverable" && in(e.At) {
				undeliverable++
			}
		}
	}
	return append(out, Figure{Name: MetricQuarantined, Value: quarantined}, Figure{Name: MetricUndeliverable, Value: undeliverable})
}
