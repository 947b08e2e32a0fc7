// Command escalate is the contact machine's escalate step. Wiring only: the handler is trays.Escalate in shared/trays.
package main

import (
	"context"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/safeguarding/mash/shared/lambdacfg"
	"github.com/safeguarding/mash/shared/lambdacfg/sesnotify"
	"github.com/safeguarding/mash/shared/trays"
)

func main() {
	b, err := lambdacfg.Load(context.Background())
	if err != nil {
		lambda.Start(lambdacfg.Failing(err))
		return
	}
	lambda.Start(trays.Escalate{Env: b.Env(sesnotify.New(b))}.Handle)
}
