// Command notifications is the contact machine's notifications step. Wiring only: the handler is outcomes.Step in shared/outcomes.
package main

import (
	"context"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/safeguarding/mash/shared/lambdacfg"
	"github.com/safeguarding/mash/shared/lambdacfg/sesnotify"
	"github.com/safeguarding/mash/shared/outcomes"
)

func main() {
	b, err := lambdacfg.Load(context.Background())
	if err != nil {
		lambda.Start(lambdacfg.Failing(err))
		return
	}
	lambda.Start(outcomes.Step{Env: b.Env(sesnotify.New(b))}.Handle)
}
