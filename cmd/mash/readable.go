package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/safeguarding/mash/shared/clock"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/meeting"
	"github.com/safeguarding/mash/shared/ooh"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/store"
)

// The daily meeting's agenda and the next-morning list as people read them (the default of `mash meeting`
// and `mash ooh morning`; --json prints what scripts read). Both name the children: the contacts shown are
// audited as read before anything is printed, and nothing of them goes to stderr.

// localTime formats instants in the authority's zone, saying GMT or BST.
func localTime(p *policy.Policy) (func(time.Time) string, error) {
	loc, err := clock.LoadLocation(p.Timezone)
	if err != nil {
		return nil, err
	}
	return func(t time.Time) string { return t.In(loc).Format("Mon 2 Jan 2006 15:04 MST") }, nil
}

// nameOf is the child's name as recorded, or that it is not yet known.
func nameOf(given, family string) string {
	if n := strings.Join(strings.Fields(given+" "+family), " "); n != "" {
		return n
	}
	return "(name not yet known)"
}

// printAgenda writes the meeting's agenda as a table: reference, child, rating, status, due, why.
func printAgenda(ctx context.Context, out io.Writer, st store.Contacts, p *policy.Policy, ag meeting.Agenda, now time.Time) error {
	local, err := localTime(p)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s: daily MASH meeting, %s\n", p.Name, local(ag.At))
	if len(ag.Items) == 0 {
		_, err := fmt.Fprintln(out, "No contact is due for discussion.")
		return err
	}
	n := "contacts"
	if len(ag.Items) == 1 {
		n = "contact"
	}
	fmt.Fprintf(out, "%d %s to discuss, earliest deadline first (now %s)\n\n", len(ag.Items), n, local(now))
	tw := tabwriter.NewWriter(out, 2, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "REFERENCE\tCHILD\tRATING\tSTATUS\tDUE\tWHY")
	for _, it := range ag.Items {
		c, err := st.GetContact(ctx, it.ContactID)
		if err != nil {
			return err
		}
		due := "no deadline"
		if !it.DueAt.IsZero() {
			due = local(it.DueAt)
			if !it.DueAt.After(now) {
				due += " OVERDUE"
			}
		}
		rating := string(it.Rating)
		if rating == "" {
			rating = "not rated"
		}
		why := make([]string, len(it.Why))
		for i, w := range it.Why {
			why[i] = w.Words(p, local)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", it.Reference, nameOf(c.Child.GivenName, c.Child.FamilyName), rating,
			strings.ReplaceAll(string(it.Status), "-", " "), due, strings.Join(why, "; "))
	}
	return tw.Flush()
}

// printMorning writes the next-morning list, one block per contact: reference, child, how it came in,
// when it arrived, when it must be reviewed by, what the EDT did overnight, who took it.
func printMorning(out io.Writer, p *policy.Policy, items []ooh.MorningItem, now time.Time) error {
	local, err := localTime(p)
	if err != nil {
		return err
	}
	if len(items) == 0 {
		_, err := fmt.Fprintf(out, "%s: next-morning list (now %s)\nNothing that arrived out of hours is waiting for review.\n", p.Name, local(now))
		return err
	}
	n := "contacts"
	if len(items) == 1 {
		n = "contact"
	}
	fmt.Fprintf(out, "%s: next-morning list, %d %s that arrived out of hours, Red and immediate harm first (now %s)\n",
		p.Name, len(items), n, local(now))
	for _, it := range items {
		how := "queued for the MASH's review"
		if it.Route == domain.RouteEDTNow {
			how = "immediate harm: the EDT acted at once"
		}
		if it.Rating != "" {
			how = "rated " + string(it.Rating) + ", " + how
		}
		fmt.Fprintf(out, "\n%s  %s  (%s)\n", it.Reference, nameOf(it.ChildName, ""), how)
		tw := tabwriter.NewWriter(out, 2, 0, 2, ' ', 0)
		fmt.Fprintf(tw, "  received\t%s\n", local(it.ReceivedAt))
		review := local(it.ReviewBy)
		if it.Overdue {
			review += " OVERDUE"
		}
		fmt.Fprintf(tw, "  review by\t%s\n", review)
		if len(it.EDTActions) == 0 {
			fmt.Fprintf(tw, "  overnight\tnothing recorded by the EDT\n")
		}
		for i, a := range it.EDTActions {
			label := ""
			if i == 0 {
				label = "overnight"
			}
			fmt.Fprintf(tw, "  %s\t%s\n", label, strings.Join(strings.Fields(a), " "))
		}
		if it.NeedsCompletion {
			// the child's details are still to be completed: a screener's first job at opening
			need := "the child's details are to be completed"
			if len(it.Missing) > 0 {
				ws := make([]string, len(it.Missing))
				for i, m := range it.Missing {
					ws[i] = domain.MissingWords(m)
				}
				need += " (not known: " + strings.Join(ws, "; ") + ")"
			}
			fmt.Fprintf(tw, "  details\t%s\n", need)
		}
		claimed := it.ClaimedBy
		if claimed == "" {
			claimed = "nobody yet"
		}
		fmt.Fprintf(tw, "  taken by\t%s\n", claimed)
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	return nil
}
