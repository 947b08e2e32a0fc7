package main

import (
	"context"
	"flag"

	"github.com/safeguarding/mash/shared/consultations"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/meeting"
	"github.com/safeguarding/mash/shared/store"
)

const meetingAbout = `The daily MASH meeting's agenda for a date, as GET /v1/meeting returns it: the meeting's time from
the policy (Hackney §6 every weekday morning, Bexley §7 Tuesday to Friday at 11:00) and the contacts due
for discussion — Red or Amber waiting on their partner checks (how many answered of how many, the next
due) or awaiting a decision, partner checks overdue at the meeting's start, returned for consent, open
escalations — earliest deadline first. A date with no meeting exits 1 saying why in words and naming the
meeting days. Every contact listed is audited as read.

It prints a table the meeting reads — reference, child's name, rating, status, when it is due (OVERDUE when
past) and why it is on the agenda, in words; --json prints the agenda as GET /v1/meeting returns it (ids,
no names), for scripts.`

// meetingAgenda is `mash meeting --authority A [--date YYYY-MM-DD]`.
func (a *app) meetingAgenda(flags *flag.FlagSet) runFunc {
	authority := authorityFlag(flags)
	date := flags.String("date", "", "the meeting's date, YYYY-MM-DD (default: today, Europe/London)")
	asJSON := flags.Bool("json", false, "the agenda as GET /v1/meeting returns it, one JSON object")
	lf := addStateFlag(flags)
	return func(ctx context.Context, args []string) error {
		p, s, closeStore, err := a.policyState(ctx, args, *authority, lf)
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
		if *asJSON {
			return a.printJSON(ag)
		}
		return printAgenda(ctx, a.stdout, s.Store, p, ag, s.Now())
	}
}

const consultationsAbout = `The consultation log, newest first, one JSON line per consultation as GET /v1/consultations lists
them: its reference, the consultee, what was discussed and advised, its deadlines (Bexley §5–6: the
written summary within 48 hours) and its summary, and the contact it became, if any. Consultations are
never contacts: they are not on the rating tray. Every consultation listed is audited as read.`

// consultationsList is `mash consultations list --authority A`.
func (a *app) consultationsList(flags *flag.FlagSet) runFunc {
	authority := authorityFlag(flags)
	lf := addStateFlag(flags)
	return func(ctx context.Context, args []string) error {
		p, s, closeStore, err := a.policyState(ctx, args, *authority, lf)
		if err != nil {
			return err
		}
		defer closeStore()
		ks, err := consultations.Service{Env: s.Env}.List(ctx, p.Authority)
		if err != nil {
			return err
		}
		who := osUser()
		evs := make([]store.AuditEvent, len(ks))
		for i, k := range ks {
			evs[i] = store.AuditEvent{ContactID: k.ID.AuditID(), Actor: who, Action: "consultation.read", Detail: map[string]string{"what": "cli consultations list"}}
		}
		if len(evs) > 0 {
			if err := s.Store.AppendAudits(ctx, evs); err != nil {
				return err
			}
		}
		for _, k := range ks {
			if err := a.printJSON(k); err != nil {
				return err
			}
		}
		return nil
	}
}
