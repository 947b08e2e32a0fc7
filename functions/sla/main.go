// Command sla is the scheduled SLA sweep: overdue out-of-hours and written-form items escalate, pending
// notifications are sent, the outbox of completions is drained (people's actions the workflow was not told of
// yet are sent again), record and workflow are reconciled (a wait whose action is on record is told it; a
// contact waiting on a person with no open wait for STUCK_AFTER, default 30m, is started again), the OOH queue's unclaimed count and the day's figures (shared/reports.Figures) are
// published as EMF metrics. Wiring only: the sweep is trays.Sweep in shared/trays.
package main

import (
	"context"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/safeguarding/mash/shared/adapters/emf"
	"github.com/safeguarding/mash/shared/adapters/sfnx"
	"github.com/safeguarding/mash/shared/clock"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/lambdacfg"
	"github.com/safeguarding/mash/shared/lambdacfg/sesnotify"
	"github.com/safeguarding/mash/shared/reports"
	"github.com/safeguarding/mash/shared/trays"
)

func main() {
	b, err := lambdacfg.Load(context.Background(), "STATE_MACHINE_ARN")
	if err != nil {
		lambda.Start(lambdacfg.Failing(err))
		return
	}
	n := sesnotify.New(b)
	tasks := sfnx.Client{AWS: b.AWSFor("SFN"), StateMachineARN: b.Config.StateMachineARN}
	stuckAfter, err := time.ParseDuration(os.Getenv("STUCK_AFTER"))
	if err != nil {
		stuckAfter = trays.DefaultStuckAfter
	}
	sweep := trays.Sweep{Env: b.Env(n), Metrics: &emf.Metrics{W: os.Stdout, Now: clock.System},
		Authorities: []domain.AuthorityID{b.Policy.Authority}, Outbox: n.Dispatcher, Tasks: tasks, Restarter: tasks, StuckAfter: stuckAfter}
	metrics := &emf.Metrics{W: os.Stdout, Now: clock.System}
	lambda.Start(func(ctx context.Context) (trays.SweepResult, error) {
		res, err := sweep.Run(ctx)
		if err != nil {
			return res, err
		}
		// The day's figures (contacts by channel, deadlines met and missed by rule, overdue by tray, decisions
		// by outcome, escalations) for the dashboard and the missed-deadline alarms: shared/reports.
		recs, err := reports.Load(ctx, b.Store, b.Policy.Authority)
		if err != nil {
			return res, err
		}
		return res, reports.Publish(ctx, metrics, b.Policy.Authority, reports.Figures(b.Policy, recs, clock.System(), reports.Window))
	})
}
