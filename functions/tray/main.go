// Command tray parks a Step Functions task token on a tray item (the rating and decision waits), and is the
// replan step, which answers its own token with where the machine goes next. Wiring only: the handler is
// trays.Park in shared/trays. It sends no email, so it has no SES client.
package main

import (
	"context"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/safeguarding/mash/shared/adapters/sfnx"
	"github.com/safeguarding/mash/shared/lambdacfg"
	"github.com/safeguarding/mash/shared/trays"
)

func main() {
	b, err := lambdacfg.Load(context.Background())
	if err != nil {
		lambda.Start(lambdacfg.Failing(err))
		return
	}
	lambda.Start(trays.Park{Env: b.Env(nil), Tasks: sfnx.Client{AWS: b.AWSFor("SFN")}}.Handle)
}
