package inbox_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/flow"
	"github.com/safeguarding/mash/shared/intake"
	"github.com/safeguarding/mash/shared/intake/inbox"
	"github.com/safeguarding/mash/shared/internal/testkit"
	"github.com/safeguarding/mash/shared/local"
	"github.com/safeguarding/mash/shared/store/dynamo"
	"github.com/safeguarding/mash/shared/store/dynamo/wire"
	"github.com/safeguarding/mash/shared/testenv"
)

// endpoint is DynamoDB Local, started once for the package's test binary.
var endpoint string

func TestMain(m *testing.M) { testenv.DynamoDBLocalMain(m, &endpoint, nil) }

var tableSeq atomic.Int64

// awsIntake is email intake as the intake-email function builds it — inbox.Service without the local maildrop's
// keyed lock (inbox.New), on the functions' DynamoDB adapter (wire) against DynamoDB Local — inside the local
// suite, whose store it shares.
func awsIntake(t *testing.T) (inbox.Service, *local.Suite) {
	t.Helper()
	ctx := context.Background()
	client, err := dynamo.NewClient(ctx, endpoint, nil)
	if err != nil {
		t.Fatal(err)
	}
	table := fmt.Sprintf("mash-inbox-%d", tableSeq.Add(1))
	if err := dynamo.CreateTable(ctx, client, table); err != nil {
		t.Fatal(err)
	}
	clk := flow.NewFakeClock(testkit.London(t, "2026-11-17 11:00"))
	st := wire.New(aws.Config{Region: dynamo.Region, BaseEndpoint: aws.String(endpoint), HTTPClient: &http.Client{},
		Credentials: credentials.NewStaticCredentialsProvider("local", "local", "")}, table, clk.Now)
	dir := t.TempDir()
	suite, err := local.New(ctx, local.Options{Dir: dir, OutboxDir: filepath.Join(dir, "outbox"), Store: st, Clock: clk,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), ConsoleURL: "http://localhost:8080"})
	if err != nil {
		t.Fatal(err)
	}
	in := suite.Intake.Service
	in.Unit = nil // no SQLite unit of work on AWS
	return inbox.Service{Service: in}, suite
}

func sample(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("../../../events/email", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A referral and its re-send with other content (an update) delivered to two intake-email invocations in the
// same instant, on AWS (no lock between them: the store's conditional writes decide): neither is lost — one
// contact about the child, the other message linked to it with its update added as an addendum — as the local
// maildrop's keyed lock makes it there (TestResend_ArrivingWithTheFirst_IsLinkedNotASecondContact). A message
// that meets a conflict (the other's write still under way) is retried, as the function's invocation is.
func TestResend_RacingOnDynamoDB_OneContactAndTheOtherLinked(t *testing.T) {
	names := []string{"school-dsl-referral.eml", "school-dsl-referral-resend.eml"}
	const hackney = domain.AuthorityID("hackney")
	for round := range 5 {
		svc, suite := awsIntake(t)
		ctx := context.Background()
		results := make([][]intake.Result, len(names))
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i, name := range names {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				raw := intake.RawMail{Data: sample(t, name), Key: "raw/" + name, SESMessageID: fmt.Sprintf("ses-%d-%d", round, i)}
				var err error
				for try := 0; try < 3; try++ { // the function's invocation is retried on an error
					if results[i], err = svc.IngestEmail(ctx, hackney, raw); err == nil {
						return
					}
				}
				t.Errorf("round %d: %s: %v", round, name, err)
			}()
		}
		close(start)
		wg.Wait()
		if t.Failed() {
			t.FailNow()
		}
		var created, linked []domain.ContactID
		for _, rs := range results {
			for _, r := range rs {
				switch r.Status {
				case intake.StatusCreated:
					created = append(created, r.ContactID)
				case intake.StatusLinked:
					linked = append(linked, r.ContactID)
				}
			}
		}
		if len(created) != 1 || len(linked) != 1 || created[0] != linked[0] {
			t.Fatalf("round %d: created %v, linked %v; want one contact, the other message linked to it", round, created, linked)
		}
		c, err := suite.Store.GetContact(ctx, created[0])
		if err != nil {
			t.Fatal(err)
		}
		// Both messages' content is on the one contact: the first's as its concerns, the other's as an update.
		if n := strings.Count(c.Concerns, "--- Update "); n != 1 || !strings.Contains(c.Concerns, "(a re-sent message) ---") {
			t.Fatalf("round %d: %d updates on the contact, want the other message's one:\n%s", round, n, c.Concerns)
		}
		list, err := suite.Store.FindChildren(ctx, hackney, c.Child.IdentityKey())
		if err != nil || len(list) != 1 {
			t.Fatalf("round %d: %d contacts about the child (%v), want 1", round, len(list), err)
		}
	}
}
