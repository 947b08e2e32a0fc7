package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/safeguarding/mash/shared/clock"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/local"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/reports"
)

const timelinessAbout = `For every deadline rule of the authority: how many deadlines whose clock started in the period were met,
missed (done late, or not done and past due) or are still open; the median and 90th percentile of time-to-done;
the worst cases by reference. Counted from the contacts' deadlines and the audit trail (shared/reports), the
same figures as GET /v1/reports/timeliness. A from after to, a period over 2 years or an unknown rule is refused,
naming the flag.

encompass (Operation Encompass, Portsmouth §4.9: the school told before the start of the next school day) is met
only when the child's school's DSL was told in time. A notice that reached only the Encompass lead (the school
ambiguous, unknown, closed or with no DSL address) is open, then missed, until a worker picks the school and its
DSL is told; for a child with no school to tell (recorded as home-educated, or under school age with no school or
setting written) the lead's notice is the one due, and counts.`

// reportTimeliness prints the timeliness report: a table by default, CSV with --csv, JSON with --json.
func (a *app) reportTimeliness(fs *flag.FlagSet) runFunc {
	pf := addPeriodFlags(fs)
	rule := fs.String("rule", "", "one rule only")
	by := fs.String("by", "", "add a series per day or week (JSON only)")
	csv := fs.Bool("csv", false, "CSV instead of a table")
	asJSON := fs.Bool("json", false, "the report as GET /v1/reports/timeliness returns it")
	return func(ctx context.Context, args []string) error {
		p, s, closeStore, err := a.policyState(ctx, args, *pf.authority, pf.lf)
		if err != nil {
			return err
		}
		defer closeStore()
		q, recs, now, err := a.reportRecords(ctx, s, pf, p, *rule, *by)
		if err != nil {
			return err
		}
		rep := reports.Timeliness(p, recs, q, now)
		switch {
		case *asJSON:
			return a.printJSON(rep)
		case *csv:
			_, err := fmt.Fprint(a.stdout, rep.CSV())
			return err
		}
		loc, err := clock.LoadLocation(p.Timezone)
		if err != nil {
			return err
		}
		local := func(t time.Time) string { return t.In(loc).Format("Mon 2 Jan 2006 15:04 MST") }
		fmt.Fprintf(a.stdout, "%s timeliness, deadlines started from %s to before %s (now %s)\n\n", p.Name,
			local(rep.From), local(rep.To), local(now))
		tw := tabwriter.NewWriter(a.stdout, 2, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "RULE\tMET\tMISSED\tOPEN\tMEDIAN\tP90\tWORST")
		for _, r := range rep.Rows {
			worst := make([]string, len(r.Worst))
			for i, c := range r.Worst {
				worst[i] = fmt.Sprintf("%s (%s late)", c.Reference, c.Late)
			}
			fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%s\t%s\t%s\n", r.Rule, r.Met, r.Missed, r.Open, r.Median, r.P90, strings.Join(worst, ", "))
		}
		return tw.Flush()
	}
}

// periodFlags are a report's --authority, --state, --from and --to.
type periodFlags struct {
	authority, from, to *string
	lf                  localFlags
}

func addPeriodFlags(fs *flag.FlagSet) periodFlags {
	return periodFlags{
		authority: authorityFlag(fs),
		lf:        addStateFlag(fs),
		from:      fs.String("from", "", "start of the period: a date YYYY-MM-DD (the authority's local day, GMT or BST) or an RFC 3339 instant (default: 30 days before --to)"),
		to:        fs.String("to", "", "end of the period: a date (included) or an RFC 3339 instant (default: today)"),
	}
}

// reportRecords reads the authority's contacts for a report over the period of --from and --to (and --rule and
// --by where the report has them), on the state folder's clock, and gives the period and now; a bad flag is
// refused naming it (flagError).
func (a *app) reportRecords(ctx context.Context, s *local.Suite, pf periodFlags, p *policy.Policy, rule, by string) (reports.Query, []reports.Record, time.Time, error) {
	clk, _, err := a.stateClock(*pf.lf.resolve().state, nil)
	if err != nil {
		return reports.Query{}, nil, time.Time{}, err
	}
	now := clk.Now()
	q, err := reports.ParseQuery(p, *pf.from, *pf.to, rule, by, now)
	if err != nil {
		return reports.Query{}, nil, time.Time{}, flagError(err)
	}
	bar := newProgress(a.stderr, "mash report", "contacts read", 2)
	recs, err := reports.LoadProgress(ctx, s.Store, p.Authority, bar.set)
	bar.finish()
	return q, recs, now, err
}

// flagError turns a report's parameter errors into usage errors naming the flags (--from, --to, --rule).
func flagError(err error) error {
	var de *domain.Error
	if !errors.As(err, &de) || len(de.Fields) == 0 {
		return err
	}
	msgs := make([]string, len(de.Fields))
	for i, f := range de.Fields {
		msgs[i] = "--" + f.Field + ": " + f.Message
	}
	return badInput("%s", strings.Join(msgs, "; "))
}

const annexAAbout = `Ofsted's Annex A List 1 (contacts) as CSV, the same file as GET /v1/reports/annex-a: one row per child contact
received in the period — child unique id, gender, ethnicity, date of birth, age at contact, date of contact,
contact source — in DfE children in need census codes (source of referral 1A–10; derived from the channel
and the referrer where certain, else "codes missing" until the screener records it — never 10 Unknown).
With --list 2, List 2 (early help), the same file as GET /v1/reports/annex-a?list=2: one row per early help
decision made in the period (the outcomes the policy marks earlyHelp) — child unique id, gender, ethnicity,
date of birth, age at the start, assessment start date (the date of the front door's decision), assessment
completion date (always empty: the early help service holds it), organisation completing assessment (from
the policy). Every contact listed is audited as read.
A census code neither recorded nor derived reads "codes missing" in List 1 (a contact forwarded at once to an
open case's worker, or returned for consent, leaves without the decision's census gate): the command then names
those contacts on stderr. With --missing it writes them instead, as the same CSV as
GET /v1/reports/annex-a?missing=true — reference, status, date of contact, the codes missing — for a manager
to complete (POST /v1/contacts/{id}/census, or the console contact page's census form) before filing.`

// reportAnnexA writes Annex A List 1 or List 2 as CSV.
func (a *app) reportAnnexA(fs *flag.FlagSet) runFunc {
	pf := addPeriodFlags(fs)
	listFlag := fs.String("list", "1", "which list: 1 (contacts) or 2 (early help)")
	missing := fs.Bool("missing", false, "write List 1's contacts whose census codes are missing instead of the file")
	return func(ctx context.Context, args []string) error {
		if err := noArgs(args); err != nil {
			return err
		}
		list, err := reports.ParseAnnexAList("list", *listFlag)
		if err != nil {
			return flagError(err)
		}
		if _, err := reports.ParseAnnexAMissing("missing", strconv.FormatBool(*missing), list); err != nil {
			return flagError(err)
		}
		p, s, closeStore, err := a.policyState(ctx, nil, *pf.authority, pf.lf) // the arguments were refused above
		if err != nil {
			return err
		}
		defer closeStore()
		q, recs, _, err := a.reportRecords(ctx, s, pf, p, "", "")
		if err != nil {
			return err
		}
		loc, err := time.LoadLocation(p.Timezone)
		if err != nil {
			return err
		}
		out, ids, gaps, err := reports.AnnexAFile(p, recs, list, q.From, q.To, loc)
		if err != nil {
			return err
		}
		if *missing {
			if out, err = reports.AnnexAGapsCSV(gaps); err != nil {
				return err
			}
		} else if err := auditCLIRead(ctx, s.Store, ids, "cli report "+reports.AnnexAReadWhat(list)); err != nil {
			return err
		}
		if _, err = fmt.Fprint(a.stdout, out); err != nil || *missing || len(gaps) == 0 {
			return err
		}
		refs := make([]string, len(gaps))
		for i, g := range gaps {
			refs[i] = fmt.Sprintf("%s (%s: %s)", g.Reference, g.Status, strings.Join(g.Missing, ", "))
		}
		fmt.Fprintf(a.stderr, "mash report annex-a: %d contacts have census codes missing (their cells read %q); record them before filing: %s\n",
			len(gaps), reports.CodesMissing, strings.Join(refs, "; "))
		return nil
	}
}

const sarAbout = `Everything held about a child — each contact, its audit trail and the list of its attachments — as a zip, the
same as GET /v1/sar. The child is found by name and date of birth. Each contact exported is audited
(sar.exported, naming you); no matching child is an error, audited too (sar.no-match on the authority's SAR
trail, under a pseudonymous subject id).`

// sar writes a subject access export.
func (a *app) sar(fs *flag.FlagSet) runFunc {
	authority := authorityFlag(fs)
	lf := addStateFlag(fs)
	child := fs.String("child", "", `the child's given and family name, "Given Family" (required)`)
	dob := fs.String("dob", "", "the child's date of birth, YYYY-MM-DD (required)")
	out := fs.String("out", "", "the zip file to write (required)")
	return func(ctx context.Context, args []string) error {
		p, err := a.policyArgs(args, *authority)
		if err != nil {
			return err
		}
		if *out == "" {
			return badInput("--out is required: the zip file to write")
		}
		d, err := domain.ParseDate(*dob)
		if err != nil {
			return badInput("--dob: %q is not a date: YYYY-MM-DD", *dob)
		}
		s, closeStore, err := a.openState(ctx, lf)
		if err != nil {
			return err
		}
		defer closeStore()
		given, family, _ := strings.Cut(strings.TrimSpace(*child), " ")
		data, n, err := reports.SubjectAccess(ctx, s.Store, p.Authority, given, strings.TrimSpace(family), d, osUser())
		if err != nil {
			return flagError(err)
		}
		if err := os.WriteFile(*out, data, 0o600); err != nil {
			return err
		}
		_, err = fmt.Fprintf(a.stdout, "%s: %d contact(s), %d bytes\n", *out, n, len(data))
		return err
	}
}
