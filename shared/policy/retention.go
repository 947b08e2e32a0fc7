package policy

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Retention says how long each kind of record is kept (issue #16). The seeds are silent on retention, so
// every value is expected to be assumed with its reason until the council's own retention schedule replaces
// it. The template's RawMailRetentionDays and LogRetentionDays parameters deploy the raw-mail and log values.
type Retention struct {
	// NoFurtherAction: a contact that led to no further action (advice, signposting, NFA).
	NoFurtherAction RetentionPeriod `json:"noFurtherAction" yaml:"noFurtherAction"`
	// Referrals: a contact that became a referral to children's social care (assessment, S47, LADO).
	Referrals RetentionPeriod `json:"referrals" yaml:"referrals"`
	// Audit: the audit trail of every contact (who did and read what, when).
	Audit RetentionPeriod `json:"audit" yaml:"audit"`
	// RawMail: the raw MIME of each referral email and its extracted attachments (the S3 bucket).
	RawMail RetentionPeriod `json:"rawMail" yaml:"rawMail"`
	// Logs: function, state machine and API logs (IDs only).
	Logs RetentionPeriod `json:"logs" yaml:"logs"`
	// TrayItems: completed work items (ids and times: who worked what, when), from their completion; an item
	// kept with its contact (its rating and decision waits, its partner checks' items) also until the period
	// has passed since the contact ended (shared/retention finds those through the ended contact).
	TrayItems RetentionPeriod `json:"trayItems" yaml:"trayItems"`
	// Quarantine: a quarantined message's record, trail and raw bytes (mail that never became a contact, or
	// was released and became one), from its receipt.
	Quarantine RetentionPeriod `json:"quarantine" yaml:"quarantine"`
	// Consultations: the consultation log (professionals' requests for advice) with its trail and messages.
	Consultations RetentionPeriod `json:"consultations" yaml:"consultations"`
}

// RetentionPeriod is how long, counted from what.
type RetentionPeriod struct {
	Years  int    `json:"years,omitempty" yaml:"years,omitempty"`
	Days   int    `json:"days,omitempty" yaml:"days,omitempty"`
	From   string `json:"from" yaml:"from"`
	Source `yaml:",inline"`
}

// RetentionFrom lists what a period may count from.
var RetentionFrom = []string{"closure", "receipt", "event", "birth"}

// End is when a record's retention ends: the period counted from `from` (the record's event or receipt, as
// the period says; a period counted from birth or closure counts from the event for records without them).
func (r RetentionPeriod) End(event, receipt time.Time) time.Time {
	from := event
	if r.From == "receipt" && !receipt.IsZero() {
		from = receipt
	}
	return from.UTC().AddDate(r.Years, 0, r.Days)
}

func (r RetentionPeriod) String() string {
	n, unit := r.Years, "years"
	if r.Days > 0 {
		n, unit = r.Days, "days"
	}
	return fmt.Sprintf("%d %s from %s", n, unit, r.From)
}

func (r Retention) periods() []struct {
	field string
	p     RetentionPeriod
} {
	return []struct {
		field string
		p     RetentionPeriod
	}{
		{"retention.noFurtherAction", r.NoFurtherAction}, {"retention.referrals", r.Referrals},
		{"retention.audit", r.Audit}, {"retention.rawMail", r.RawMail}, {"retention.logs", r.Logs},
		{"retention.trayItems", r.TrayItems}, {"retention.quarantine", r.Quarantine}, {"retention.consultations", r.Consultations},
	}
}

func (p *Policy) validateRetention(v validator) {
	for _, e := range p.Retention.periods() {
		switch {
		case (e.p.Years > 0) == (e.p.Days > 0):
			v.add(e.field, "give either years or days (a positive number), not both")
		case e.p.Years < 0 || e.p.Days < 0:
			v.add(e.field, "must be positive")
		}
		if !slices.Contains(RetentionFrom, e.p.From) {
			v.add(e.field+".from", "%q: one of %s", e.p.From, strings.Join(RetentionFrom, ", "))
		}
		v.source(e.field, e.p.Source)
	}
}
