// Command intake-email turns raw mail that SES wrote to S3 into contacts (or quarantine). Wiring only: the
// handler is inbox.Service.MailEvent in shared/intake/inbox.
package main

import (
	"context"
	"encoding/json"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/safeguarding/mash/shared/adapters/emf"
	"github.com/safeguarding/mash/shared/adapters/s3blobs"
	"github.com/safeguarding/mash/shared/adapters/sfnx"
	"github.com/safeguarding/mash/shared/clock"
	"github.com/safeguarding/mash/shared/intake"
	"github.com/safeguarding/mash/shared/intake/inbox"
	"github.com/safeguarding/mash/shared/lambdacfg"
	"github.com/safeguarding/mash/shared/lambdacfg/sesnotify"
)

func main() {
	b, err := lambdacfg.Load(context.Background(), "STATE_MACHINE_ARN", "RAW_BUCKET")
	if err != nil {
		lambda.Start(lambdacfg.Failing(err))
		return
	}
	svc := inbox.Service{Service: intake.Service{Env: b.EnvWithoutEncompass(sesnotify.New(b)),
		Blobs:   s3blobs.Blobs{AWS: b.AWSFor("S3"), Bucket: b.Config.RawBucket, KMSKeyID: b.Config.KMSKeyID},
		Starter: sfnx.Client{AWS: b.AWSFor("SFN"), StateMachineARN: b.Config.StateMachineARN},
		Metrics: &emf.Metrics{W: os.Stdout, Now: clock.System}}}
	lambda.Start(func(ctx context.Context, ev json.RawMessage) error {
		_, err := svc.MailEvent(ctx, b.Policy.Authority, b.Config.RawBucket, ev)
		return err
	})
}
