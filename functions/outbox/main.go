// Command outbox works from the table's stream (template.yaml OutboxFunction: the table's stream, filtered to
// new messages and completions, with retries, bisection and an alarmed on-failure queue): it sends every message
// a write queued and tells the workflow every completion a person's action owes it, once the write has
// committed. Wiring only: notify.StreamSender and workflow.StreamCompleter, run by tablestream.Handler.
package main

import (
	"context"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/safeguarding/mash/shared/adapters/sfnx"
	"github.com/safeguarding/mash/shared/clock"
	"github.com/safeguarding/mash/shared/lambdacfg"
	"github.com/safeguarding/mash/shared/lambdacfg/sesnotify"
	"github.com/safeguarding/mash/shared/notify"
	"github.com/safeguarding/mash/shared/store/dynamo/wire"
	"github.com/safeguarding/mash/shared/tablestream"
	"github.com/safeguarding/mash/shared/workflow"
)

func main() {
	b, err := lambdacfg.Load(context.Background())
	if err != nil {
		lambda.Start(lambdacfg.Failing(err))
		return
	}
	tasks := sfnx.Client{AWS: b.AWSFor("SFN")}
	completer := workflow.Completer{Store: b.Store, Tasks: tasks, Log: b.Log, Now: clock.System, Unmarked: b.Config.UnmarkedContract}
	lambda.Start(tablestream.Handler{Log: b.Log, Consumers: []tablestream.Consumer{
		notify.StreamSender{Dispatcher: sesnotify.New(b).Dispatcher, Decode: wire.StreamNotifications},
		workflow.StreamCompleter{Completer: completer, Decode: wire.StreamCompletion},
	}}.Handle)
}
