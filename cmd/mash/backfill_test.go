package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"gopkg.in/yaml.v3"

	"github.com/safeguarding/mash/shared/adapters/folder"
	"github.com/safeguarding/mash/shared/clock"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/retention"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/store/dynamo"
	"github.com/safeguarding/mash/shared/store/embedded"
	"github.com/safeguarding/mash/shared/testenv"
)

// oldRecords writes what a store held before the retention indexes existed: a completed tray item and a
// released quarantine item of Hackney, received and completed at `at`, written through the store and then
// stripped of their gsi1 entry by strip (as a write of that time left them), plus an open tray item (never
// indexed until completed) and a completed one written since (already indexed).
func oldRecords(t *testing.T, st store.Store, at time.Time, strip func(pk, sk string)) {
	t.Helper()
	ctx := context.Background()
	for i := range 2 {
		it, err := st.PutTrayItem(ctx, store.TrayItem{Tray: "rating", Authority: "hackney", DueAt: at.Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.CompleteTrayItem(ctx, it.ID, "mgr"); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			strip("trayitem#"+it.ID, "trayitem")
		}
	}
	if _, err := st.PutTrayItem(ctx, store.TrayItem{Tray: "rating", Authority: "hackney", DueAt: at.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	q, err := st.Quarantine(ctx, store.QuarantineItem{Authority: "hackney", Reason: "spam", RawKey: "quarantine/hackney/old.eml", Size: 10, ReceivedAt: at})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.ReleaseQuarantine(ctx, q.ID, "mgr"); err != nil {
		t.Fatal(err)
	}
	strip("quarantine#"+q.ID, "quarantine")
}

// found is what the retention job can see of an authority's tray and quarantine items.
func found(t *testing.T, st store.Retention, before time.Time) (trays, quars int) {
	t.Helper()
	ts, err := st.DoneTrayItems(context.Background(), "hackney", before)
	if err != nil {
		t.Fatal(err)
	}
	qs, err := st.AllQuarantine(context.Background(), "hackney")
	if err != nil {
		t.Fatal(err)
	}
	return len(ts), len(qs)
}

func backfillReport(t *testing.T, out string) store.BackfillReport {
	t.Helper()
	var r store.BackfillReport
	if err := json.Unmarshal([]byte(strings.TrimSpace(out)), &r); err != nil {
		t.Fatalf("backfill printed %q: %v", out, err)
	}
	return r
}

// Issue #16's retention: tray items completed and mail quarantined before the retention indexes existed are
// not found by the job. `mash retention backfill` gives each its index entry — a dry run counts and writes
// nothing, a run backfills, a second run changes nothing — and the job then finds and deletes them the day
// their period ends (Hackney: tray items 2 years from completion, quarantined mail 2555 days from receipt).
// On a state folder (SQLite).
func TestRetentionBackfill_CLI_StateFolder(t *testing.T) {
	state := t.TempDir()
	at := time.Date(2027, 3, 10, 10, 0, 0, 0, time.UTC)
	db := filepath.Join(state, "store.db")
	st, err := embedded.Open(db, clock.Fixed(at))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	oldRecords(t, st, at, func(pk, sk string) {
		if _, err := raw.Exec(`UPDATE items SET gsi1pk = NULL, gsi1sk = NULL WHERE pk = ? AND sk = ?`, pk, sk); err != nil {
			t.Fatal(err)
		}
	})
	if tr, q := found(t, st, at.AddDate(3, 0, 0)); tr != 1 || q != 0 {
		t.Fatalf("before the backfill the job sees %d tray item(s), %d quarantine item(s); want the new one only", tr, q)
	}
	st.Close()

	later := at.AddDate(2, 0, 1)
	if out, errs, code := runAt(t, later, "retention", "run", "--authority", "hackney", "--state", state); code != 0 || strings.Count(out, `"kind":"tray-items"`) != 1 || !strings.Contains(out, `"items":1`) {
		t.Fatalf("retention before the backfill: exit %d\n%s\n%s\nwant the one indexed tray item deleted, the old one not found", code, out, errs)
	}
	out, errs, code := runAt(t, later, "retention", "backfill", "--state", state, "--dry-run")
	if r := backfillReport(t, out); code != 0 || !r.DryRun || r.TrayItems != 1 || r.Quarantine != 1 || r.NotIndexed != 1 || r.Scanned != 3 {
		t.Fatalf("dry run: exit %d %+v %s", code, r, errs)
	}
	out, errs, code = runAt(t, later, "retention", "backfill", "--state", state)
	if r := backfillReport(t, out); code != 0 || r.DryRun || r.TrayItems != 1 || r.Quarantine != 1 || r.AlreadyIndexed != 0 || r.NotIndexed != 1 {
		t.Fatalf("backfill: exit %d %+v %s", code, r, errs)
	}
	out, _, code = runAt(t, later, "retention", "backfill", "--state", state)
	if r := backfillReport(t, out); code != 0 || r.TrayItems != 0 || r.Quarantine != 0 || r.AlreadyIndexed != 2 {
		t.Fatalf("a second backfill changed something: exit %d %+v", code, r)
	}
	if out, errs, code := runAt(t, later, "retention", "run", "--authority", "hackney", "--state", state); code != 0 || !strings.Contains(out, `"kind":"tray-items"`) || strings.Contains(out, `"kind":"quarantine"`) {
		t.Fatalf("retention after the backfill: exit %d\n%s\n%s\nwant the old tray item deleted, the message kept", code, out, errs)
	}
	if out, errs, code := runAt(t, at.AddDate(0, 0, 2555), "retention", "run", "--authority", "hackney", "--state", state); code != 0 || !strings.Contains(out, `"kind":"quarantine"`) {
		t.Fatalf("retention 2555 days on: exit %d\n%s\n%s\nwant the old message deleted", code, out, errs)
	}
}

// The same on DynamoDB Local through `mash retention backfill --table` with credentials from the environment
// (what council IT runs against the stack's table); the retention job on the same table then finds and deletes
// the old records.
func TestRetentionBackfill_CLI_DynamoDBLocal(t *testing.T) {
	p, err := testenv.StartDynamoDBLocal()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Stop)
	ctx := context.Background()
	client, err := dynamo.NewClient(ctx, p.Endpoint, nil)
	if err != nil {
		t.Fatal(err)
	}
	const table = "mash-hackney-backfill"
	if err := dynamo.CreateTable(ctx, client, table); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2027, 3, 10, 10, 0, 0, 0, time.UTC)
	st := dynamo.New(client, table, clock.Fixed(at))
	oldRecords(t, st, at, func(pk, sk string) {
		if _, err := client.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String(table),
			Key:              map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: pk}, "sk": &types.AttributeValueMemberS{Value: sk}},
			UpdateExpression: aws.String("REMOVE gsi1pk, gsi1sk")}); err != nil {
			t.Fatal(err)
		}
	})
	if tr, q := found(t, st, at.AddDate(3, 0, 0)); tr != 1 || q != 0 {
		t.Fatalf("before the backfill the job sees %d tray item(s), %d quarantine item(s); want the new one only", tr, q)
	}
	t.Setenv("AWS_REGION", dynamo.Region)
	t.Setenv("AWS_ACCESS_KEY_ID", "local")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "local")
	sent := recordDynamoDB(t, p.Endpoint) // what the command sends, checked against its operator role below
	out, errs, code := runAt(t, at, "retention", "backfill", "--table", table, "--dry-run")
	if r := backfillReport(t, out); code != 0 || r.TrayItems != 1 || r.Quarantine != 1 {
		t.Fatalf("dry run: exit %d %+v %s", code, r, errs)
	}
	if tr, q := found(t, st, at.AddDate(3, 0, 0)); tr != 1 || q != 0 {
		t.Fatalf("a dry run wrote: the job sees %d tray item(s), %d quarantine item(s)", tr, q)
	}
	for i, want := range []store.BackfillReport{{TrayItems: 1, Quarantine: 1, AlreadyIndexed: 1, NotIndexed: 1, Scanned: 4},
		{AlreadyIndexed: 3, NotIndexed: 1, Scanned: 4}} {
		out, errs, code := runAt(t, at, "retention", "backfill", "--table", table)
		if r := backfillReport(t, out); code != 0 || r != want {
			t.Fatalf("backfill %d: exit %d %+v, want %+v %s", i+1, code, r, want, errs)
		}
	}
	if tr, q := found(t, st, at.AddDate(3, 0, 0)); tr != 2 || q != 1 {
		t.Fatalf("after the backfill the job sees %d tray item(s), %d quarantine item(s); want 2 and 1", tr, q)
	}
	// Every request the command sent is one its operator role allows (infra/permissions.yaml "operators",
	// which infra/permissions_test.go holds template.yaml's RetentionBackfillOperatorRole to): a Scan, or a
	// PutItem of a tray or quarantine item. Nothing else.
	role := backfillOperatorRole(t)
	var scans, puts int
	for _, r := range *sent {
		switch {
		case r.op == "Scan" && role.Scan:
			scans++
		case r.op == "PutItem" && slices.ContainsFunc(role.WriteOnlyKeys, func(k string) bool { return strings.HasPrefix(r.pk, k) }):
			puts++
		default:
			t.Errorf("the backfill sent %s (key %q), which its operator role does not allow: %+v", r.op, r.pk, role)
		}
	}
	if scans == 0 || puts != 2 {
		t.Errorf("the backfill sent %d scans and %d puts, want scans and the 2 puts of its one real run", scans, puts)
	}
	hackney, err := policy.Load("hackney")
	if err != nil {
		t.Fatal(err)
	}
	job := retention.Job{Store: st, Policy: hackney, Blobs: folder.Blobs{Dir: t.TempDir()}, Now: clock.Fixed(at.AddDate(0, 0, 2555))}
	rep, err := job.Run(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, x := range rep.Records {
		got = append(got, fmt.Sprintf("%s:%d", x.Kind, x.Items))
	}
	if strings.Join(got, " ") != "tray-items:2 quarantine:2" {
		t.Errorf("the job deleted %v, want both tray items in one batch and the message with its trail", got)
	}
}

// dynamoRequest is one request a command sent to DynamoDB: its operation and, for a write, the item's key.
type dynamoRequest struct{ op, pk string }

// recordDynamoDB points AWS_ENDPOINT_URL_DYNAMODB at a proxy to endpoint that records every request.
func recordDynamoDB(t *testing.T, endpoint string) *[]dynamoRequest {
	t.Helper()
	target, err := url.Parse(endpoint)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var sent []dynamoRequest
	proxy := httputil.NewSingleHostReverseProxy(target)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			t.Error(err)
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		var in struct {
			Item struct {
				PK struct{ S string } `json:"pk"`
			}
		}
		_ = json.Unmarshal(body, &in) // a request without an item has no key
		mu.Lock()
		sent = append(sent, dynamoRequest{op: dynamo.OperationName(r), pk: in.Item.PK.S})
		mu.Unlock()
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	t.Setenv("AWS_ENDPOINT_URL_DYNAMODB", srv.URL)
	return &sent
}

// backfillOperatorRole is the backfill's operator role as infra/permissions.yaml says it.
func backfillOperatorRole(t *testing.T) struct {
	Scan          bool     `yaml:"scan"`
	WriteOnlyKeys []string `yaml:"writeOnlyKeys"`
} {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testenv.Root(t), "infra", "permissions.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var perms struct {
		Operators map[string]struct {
			Scan          bool     `yaml:"scan"`
			WriteOnlyKeys []string `yaml:"writeOnlyKeys"`
		} `yaml:"operators"`
	}
	if err := yaml.Unmarshal(b, &perms); err != nil {
		t.Fatal(err)
	}
	role, ok := perms.Operators["RetentionBackfillOperatorRole"]
	if !ok {
		t.Fatal("infra/permissions.yaml has no operator role RetentionBackfillOperatorRole")
	}
	return role
}
