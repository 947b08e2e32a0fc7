// Command outbox sends the outbox from the table's stream: every message a write queued, once the write has
// committed (template.yaml OutboxFunction: the table's stream, filtered to new messages, with retries, bisection
// and an alarmed on-failure queue). Wiring only: the sender is notify.StreamSender in shared/notify.
package main

import (
	"context"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/safeguarding/mash/shared/lambdacfg"
	"github.com/safeguarding/mash/shared/lambdacfg/sesnotify"
	"github.com/safeguarding/mash/shared/notify"
	"github.com/safeguarding/mash/shared/store/dynamo/wire"
)

func main() {
	b, err := lambdacfg.Load(context.Background())
	if err != nil {
		lambda.Start(lambdacfg.Failing(err))
		return
	}
	lambda.Start(notify.StreamSender{Dispatcher: sesnotify.New(b).Dispatcher, Decode: wire.StreamNotification}.Handle)
}
