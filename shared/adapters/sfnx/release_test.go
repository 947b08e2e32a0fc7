package sfnx_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/safeguarding/mash/shared/adapters/s3blobs"
	"github.com/safeguarding/mash/shared/adapters/sfnx"
	"github.com/safeguarding/mash/shared/clock"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/intake"
	"github.com/safeguarding/mash/shared/intake/inbox"
	"github.com/safeguarding/mash/shared/notify"
	notifyfolder "github.com/safeguarding/mash/shared/notify/folder"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/store/dynamo"
	"github.com/safeguarding/mash/shared/testenv"
	"github.com/safeguarding/mash/shared/workflow"
)

// Issue #19 "Move quarantine release to intake-email": the AWS release path end to end, on DynamoDB Local and
// moto's S3 and Step Functions through the real SDKs. intake-email quarantines a spam-flagged message; the
// API's intake (as functions/intake-api wires it: no mail parser) records the release and writes the message
// under raw/released/; intake-email's handler, on that object's S3 notification, makes the contact in
// DynamoDB and starts its one execution.
func TestRelease_APIThenIntakeEmail_ContactInDynamoDB(t *testing.T) {
	ctx := context.Background()
	ddb, err := testenv.StartDynamoDBLocal()
	if err != nil {
		t.Fatal(err)
	}
	defer ddb.Stop()
	client, err := dynamo.NewClient(ctx, ddb.Endpoint, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := dynamo.CreateTable(ctx, client, "mash-hackney"); err != nil {
		t.Fatal(err)
	}
	now := clock.Fixed(time.Date(2027, 3, 10, 10, 0, 0, 0, time.UTC))
	st := dynamo.New(client, "mash-hackney", now)

	bucket := unique("mash-hackney-raw-mail")
	s3api := s3.New(s3.Options{Region: region, BaseEndpoint: aws.String(moto.Endpoint), UsePathStyle: true, Credentials: cfg().Credentials})
	if _, err := s3api.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket),
		CreateBucketConfiguration: &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraint(region)}}); err != nil {
		t.Fatal(err)
	}
	blobs := s3blobs.Blobs{AWS: cfg(), Bucket: bucket}
	api := newSFN()
	machine := createMachine(t, api, "mash-contact-release", contactDefinition(t))

	policies := func(a domain.AuthorityID) (*policy.Policy, error) { return policy.Load(string(a)) }
	log := slog.New(slog.NewJSONHandler(io.Discard, nil))
	outbox := t.TempDir()
	env := workflow.Env{Store: st, Policies: policies, Now: now, Log: log, Notifier: notify.Notifier{
		Composer:   notify.Composer{ConsoleURL: "https://mash.example", Now: now},
		Dispatcher: &notify.Dispatcher{Store: st, Sender: notifyfolder.Sender{Dir: outbox}, Now: now, Log: log, Policies: policies}}}
	starter := sfnx.Client{AWS: cfg(), StateMachineARN: machine}
	// intake-email (functions/intake-email) and the API (functions/intake-api), each as its main wires it.
	mail := inbox.Service{Service: intake.Service{Env: env, Blobs: blobs, Starter: starter}}
	apiIntake := intake.Service{Env: env, Blobs: blobs, Starter: starter}
	apiIntake.Redeliver = intake.RedeliverViaTrigger{Blobs: apiIntake.Blobs}

	raw, err := os.ReadFile("../../../events/email/spam-flagged.eml")
	if err != nil {
		t.Fatal(err)
	}
	if err := blobs.Put(ctx, "raw/ses-spam", raw, "message/rfc822"); err != nil {
		t.Fatal(err)
	}
	got, err := mail.MailEvent(ctx, "hackney", bucket, objectCreated(t, bucket, "raw/ses-spam"))
	if err != nil || len(got) != 1 || got[0].Status != intake.StatusQuarantined {
		t.Fatalf("delivery: %+v %v", got, err)
	}
	qid := got[0].QuarantineID

	rel, err := apiIntake.ReleaseQuarantine(ctx, qid, "manager-1")
	if err != nil || len(rel) != 0 {
		t.Fatalf("release through the API's intake: %+v %v, want no results (handed to intake-email)", rel, err)
	}
	q, err := st.GetQuarantine(ctx, qid)
	if err != nil || q.ReleasedBy != "manager-1" || q.ReleasedAt.IsZero() {
		t.Fatalf("quarantine item in DynamoDB after release: %+v %v", q, err)
	}
	if n := len(executions(t, api, machine)); n != 0 {
		t.Fatalf("%d executions before intake-email ran", n)
	}
	// What S3 would tell intake-email: the object the release wrote.
	list, err := s3api.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String(intake.ReleasedPrefix)})
	if err != nil || len(list.Contents) != 1 {
		t.Fatalf("objects under %s: %+v %v", intake.ReleasedPrefix, list, err)
	}
	key := aws.ToString(list.Contents[0].Key)
	out, err := mail.MailEvent(ctx, "hackney", bucket, objectCreated(t, bucket, key))
	if err != nil || len(out) != 1 || out[0].Status != intake.StatusCreated {
		t.Fatalf("intake-email on %s: %+v %v", key, out, err)
	}
	c, err := st.GetContact(ctx, out[0].ContactID)
	if err != nil {
		t.Fatal(err)
	}
	if c.Channel != domain.ChannelEmail || c.Referrer.Email != "claims@winner-notice.example" || !strings.HasPrefix(string(c.Reference), "HAC-") {
		t.Errorf("released contact: %s %q %q", c.Channel, c.Referrer.Email, c.Reference)
	}
	// S3 may notify twice: the same contact, one execution named after it.
	again, err := mail.MailEvent(ctx, "hackney", bucket, objectCreated(t, bucket, key))
	if err != nil || len(again) != 1 || again[0].ContactID != c.ID || again[0].Status != intake.StatusDuplicate {
		t.Fatalf("repeated notification: %+v %v", again, err)
	}
	if ex := names(executions(t, api, machine)); len(ex) != 1 || ex[0] != string(c.ID) {
		t.Errorf("executions %v, want one named %s", ex, c.ID)
	}
	if left, err := st.ListQuarantine(ctx, "hackney"); err != nil || len(left) != 0 {
		t.Errorf("still in quarantine: %+v %v", left, err)
	}
}

// objectCreated is the S3 ObjectCreated notification of key (events/s3 shape).
func objectCreated(t *testing.T, bucket, key string) json.RawMessage {
	t.Helper()
	b, err := json.Marshal(map[string]any{"Records": []any{map[string]any{
		"eventSource": "aws:s3", "eventName": "ObjectCreated:Put", "awsRegion": region,
		"s3": map[string]any{"bucket": map[string]any{"name": bucket}, "object": map[string]any{"key": key}}}}})
	if err != nil {
		t.Fatal(err)
	}
	return b
}
