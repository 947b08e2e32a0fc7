package main

import (
	"context"
	"flag"
	"fmt"
	"time"
)

const retentionAbout = `Deletes what the authority's retention periods (its policy's retention:) say has expired: a contact that led
to no further action some years after it closed, a referral at the child's 25th birthday — with its audit trail,
checks, messages, restricted records, raw email and attachments — and writes a tombstone on the retention trail
(reference, kind, rule, when; never the content). A contact still open is never deleted. The same job expires
records that are not contacts: completed tray items (retention.trayItems), quarantined mail with its trail and
raw bytes (retention.quarantine), consultations (retention.consultations) and events of the authority's own
trails — school directory, case imports, retention (retention.audit). --dry-run lists what a run would delete
and changes nothing. mash run does the same once a day; on AWS the retention function does, the only holder of
delete rights. Prints one JSON line per contact or record (batch) deleted, then a summary line.`

// retentionRun is `mash retention run --authority A [--dry-run]`.
func (a *app) retentionRun(fs *flag.FlagSet) runFunc {
	authority := authorityFlag(fs)
	lf := addStateFlag(fs)
	dry := fs.Bool("dry-run", false, "list what would be deleted; delete nothing")
	return func(ctx context.Context, args []string) error {
		p, s, closeStore, err := a.policyState(ctx, args, *authority, lf)
		if err != nil {
			return err
		}
		defer closeStore()
		rep, runErr := s.Retention(p.Authority).Run(ctx, *dry)
		for _, d := range rep.Deleted {
			if err := a.printJSON(d); err != nil {
				return err
			}
		}
		for _, x := range rep.Records {
			if err := a.printJSON(x); err != nil {
				return err
			}
		}
		verb := "deleted"
		if rep.DryRun {
			verb = "would delete"
		}
		fmt.Fprintf(a.stderr, "mash retention: %s at %s: %d ended contact(s) checked, %s %d, kept %d; %s %d other record(s) or batch(es)\n", p.Authority,
			rep.At.Format(time.RFC3339), rep.Checked, verb, len(rep.Deleted), rep.Kept, verb, len(rep.Records))
		return runErr
	}
}
