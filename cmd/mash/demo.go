package main

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/safeguarding/mash/shared/ooh"
	"github.com/safeguarding/mash/shared/policy"
)

// demo is what `make run` starts: for every authority, where a contact arriving now would go and when each
// of its deadlines would fall.
func (a *app) demo(ctx context.Context, args []string) error {
	ps, err := policy.All()
	if err != nil {
		return err
	}
	now := a.now()
	for _, p := range ps {
		cal, err := p.Calendar()
		if err != nil {
			return err
		}
		loc := cal.Location()
		d, err := ooh.Decide(p, now, false, "")
		if err != nil {
			return err
		}
		fmt.Fprintf(a.stdout, "%s (%s) at %s: open=%v route=%s next opening %s\n", p.Name, p.Authority,
			now.In(loc).Format("Mon 2 Jan 2006 15:04"), d.Open, d.Route, d.NextOpening.Format("Mon 2 Jan 15:04"))
		ids := ruleIDsOf(p)
		sort.Strings(ids)
		for _, id := range ids {
			due, err := cal.Due(p.Deadlines[id].Rule, now)
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "    %-22s %-26s due %s\n", id, p.Deadlines[id].Rule.String(), due.In(loc).Format(time.RFC1123))
		}
	}
	return nil
}
