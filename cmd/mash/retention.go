package main

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/safeguarding/mash/shared/lambdacfg"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/store/dynamo"
	"github.com/safeguarding/mash/shared/store/embedded"
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

const backfillAbout = `A one-off, for stores written before the retention job's indexes existed: the job finds completed tray items
and quarantined mail through index entries that only writes made since then carry, so a tray item completed or
a message quarantined before is never found and never deleted. The backfill reads every tray and quarantine
item once, page by page, and gives each the index entry it lacks (its content, version and other attributes
unchanged; a write that changed it meanwhile wins), so the next retention run finds it. Idempotent: run it
again and it changes nothing ("alreadyIndexed" counts what is done). --dry-run counts and writes nothing.
Without --table it backfills the state folder (stop mash run on it first); with --table NAME the authority's
DynamoDB table (the stack's output TableName), with the caller's credentials from the environment —
AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN (e.g. from
'aws configure export-credentials --format env'); the caller needs dynamodb:Scan and dynamodb:PutItem on the
table — the stack's RetentionBackfillOperatorRole (output RetentionBackfillOperatorRoleArn, assumed with MFA)
allows that and nothing more; AWS_ENDPOINT_URL_DYNAMODB points it at DynamoDB Local. Shows a running count on stderr when stderr is a
terminal, then prints the totals as one JSON line; no ids or content.`

// retentionBackfill is `mash retention backfill [--state DIR | --table NAME] [--dry-run]`.
func (a *app) retentionBackfill(fs *flag.FlagSet) runFunc {
	lf := addStateFlag(fs)
	table := fs.String("table", "", "backfill this DynamoDB table instead of the state folder (credentials from the environment)")
	dry := fs.Bool("dry-run", false, "count what would be backfilled; write nothing")
	return func(ctx context.Context, args []string) error {
		if len(args) > 0 {
			return badInput("takes no arguments (got %q)", args[0])
		}
		var bf store.IndexBackfill
		if *table != "" {
			cfg, err := lambdacfg.AWSFromEnv()
			if err != nil {
				return badInput("--table needs AWS credentials in the environment: %v", err)
			}
			ep := lambdacfg.Endpoint("DYNAMODB")
			client := dynamodb.NewFromConfig(cfg, func(o *dynamodb.Options) {
				if ep != nil {
					o.BaseEndpoint = ep
					o.DisableValidateResponseChecksum = true // DynamoDB Local's CRC32 headers do not always match
				}
			})
			bf = dynamo.New(client, *table, a.now)
		} else {
			if err := stateExists(*lf.state); err != nil {
				return err
			}
			st, err := embedded.Open(filepath.Join(*lf.state, "store.db"), a.now)
			if err != nil {
				return err
			}
			defer st.Close()
			bf = st
		}
		var page func(store.BackfillReport)
		tty := isTerminal(a.stderr)
		if tty { // a count rewritten in place on a terminal; nothing extra in a pipe
			page = func(r store.BackfillReport) {
				fmt.Fprintf(a.stderr, "\r\x1b[Kmash retention backfill: %d read, %d tray item(s) and %d quarantine item(s) backfilled", r.Scanned, r.TrayItems, r.Quarantine)
			}
		}
		rep, err := bf.BackfillRetentionIndexes(ctx, *dry, page)
		if tty {
			fmt.Fprintln(a.stderr)
		}
		if perr := a.printJSON(rep); perr != nil {
			return perr
		}
		return err
	}
}
