// Command retention is the daily retention job: it deletes what the policy's retention periods say has
// expired (contacts with their items, raw mail and attachments) and writes a content-free tombstone for
// each. It is the only function whose role may delete (dynamodb:DeleteItem, s3:DeleteObject). Wiring only:
// the job is retention.Job in shared/retention.
package main

import (
	"context"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/safeguarding/mash/shared/adapters/s3blobs"
	"github.com/safeguarding/mash/shared/clock"
	"github.com/safeguarding/mash/shared/lambdacfg"
	"github.com/safeguarding/mash/shared/retention"
)

func main() {
	b, err := lambdacfg.Load(context.Background(), "RAW_BUCKET")
	if err != nil {
		lambda.Start(lambdacfg.Failing(err))
		return
	}
	job := retention.Job{Store: b.Store, Policy: b.Policy, Now: clock.System,
		Blobs: s3blobs.Blobs{AWS: b.AWSFor("S3"), Bucket: b.Config.RawBucket}}
	lambda.Start(func(ctx context.Context) (retention.Report, error) {
		rep, err := job.Run(ctx, false)
		// Ids, codes and counts only: the report carries no personal data.
		b.Log.InfoContext(ctx, "retention run", "authority", rep.Authority, "checked", rep.Checked, "deleted", len(rep.Deleted), "kept", rep.Kept, "records", len(rep.Records))
		return rep, err
	})
}
