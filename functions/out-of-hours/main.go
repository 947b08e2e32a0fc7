// Command out-of-hours is the contact machine's out-of-hours step. Wiring only: the handler is ooh.Step in shared/ooh.
package main

import (
	"context"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/safeguarding/mash/shared/lambdacfg"
	"github.com/safeguarding/mash/shared/lambdacfg/sesnotify"
	"github.com/safeguarding/mash/shared/ooh"
)

func main() {
	b, err := lambdacfg.Load(context.Background())
	if err != nil {
		lambda.Start(lambdacfg.Failing(err))
		return
	}
	// Its first step sends each PPN's Operation Encompass notice: the DSL's carries an acknowledgement link.
	lambda.Start(ooh.Step{Env: b.Env(sesnotify.New(b))}.Handle)
}
