// Command partner-checks is the contact machine's partner-checks step. Wiring only: the handler is checks.Step in shared/checks.
package main

import (
	"context"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/safeguarding/mash/shared/adapters/sfnx"
	"github.com/safeguarding/mash/shared/checks"
	"github.com/safeguarding/mash/shared/lambdacfg"
	"github.com/safeguarding/mash/shared/lambdacfg/sesnotify"
)

func main() {
	b, err := lambdacfg.Load(context.Background())
	if err != nil {
		lambda.Start(lambdacfg.Failing(err))
		return
	}
	lambda.Start(checks.Step{Env: b.Env(sesnotify.New(b)), ConsoleURL: b.Config.ConsoleURL,
		Tasks: sfnx.Client{AWS: b.AWSFor("SFN")}}.Handle)
}
