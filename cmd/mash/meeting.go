package main

import (
	"context"
	"flag"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/meeting"
	"github.com/safeguarding/mash/shared/policy"
)

const meetingAbout = `The daily MASH meeting's agenda for a date, as GET /v1/meeting returns it: the meeting's time from
the policy (Hackney §6 every weekday morning, Bexley §7 Tuesday to Friday at 11:00) and the contacts due
for discussion — Red or Amber awaiting a decision, partner checks overdue at the meeting's start,
returned for consent, open escalations — earliest deadline first. A date with no meeting exits 1 naming
the meeting days. Every contact listed is audited as read.`

// meetingAgenda is `mash meeting --authority A [--date YYYY-MM-DD]`.
func (a *app) meetingAgenda(flags *flag.FlagSet) runFunc {
	authority := authorityFlag(flags)
	date := flags.String("date", "", "the meeting's date, YYYY-MM-DD (default: today, Europe/London)")
	lf := addStateFlag(flags)
	return func(ctx context.Context, args []string) error {
		if len(args) > 0 {
			return badInput("takes no arguments (got %q)", args[0])
		}
		auth, err := a.authority(*authority)
		if err != nil {
			return err
		}
		p, err := policy.Load(string(auth))
		if err != nil {
			return err
		}
		if err := stateExists(*lf.state); err != nil {
			return err
		}
		s, closeStore, err := a.openSuite(ctx, lf, nil, nil)
		if err != nil {
			return err
		}
		defer closeStore()
		d := *date
		if d == "" {
			cal, err := p.Calendar()
			if err != nil {
				return err
			}
			d = s.Now().In(cal.Location()).Format("2006-01-02")
		}
		ag, err := meeting.For(ctx, s.Store, p, d)
		if err != nil {
			return err
		}
		ids := make([]domain.ContactID, len(ag.Items))
		for i, it := range ag.Items {
			ids[i] = it.ContactID
		}
		if err := auditCLIRead(ctx, s.Store, ids, "cli meeting agenda "+ag.Date); err != nil {
			return err
		}
		return a.printJSON(ag)
	}
}
