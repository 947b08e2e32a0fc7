package wire

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/internal/testkit"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/store/dynamo"
	"github.com/safeguarding/mash/shared/store/storetest"
)

// endpoint is DynamoDB Local, started once for the package's test binary.
var endpoint string

// allOps counts every operation any test sent, to prove no Scan is ever made.
var allOps = testkit.NewOps(nil)

func TestMain(m *testing.M) { testkit.NoScanMain(m, &endpoint, allOps) }

// counter counts DynamoDB operations by name (testkit.Ops).
type counter = testkit.Ops

var tableSeq atomic.Int64

// newTable creates a fresh table from dynamo.TableDefinition (with the SDK, as the tests and tools do) and
// returns its name and a wire configuration for it whose requests are counted into cnt.
func newTable(t testing.TB, cnt *counter) (aws.Config, string) {
	t.Helper()
	client, err := dynamo.NewClient(context.Background(), endpoint, nil)
	if err != nil {
		t.Fatal(err)
	}
	name := fmt.Sprintf("mash-wire-%d", tableSeq.Add(1))
	if err := dynamo.CreateTable(context.Background(), client, name); err != nil {
		t.Fatal(err)
	}
	if cnt == nil {
		cnt = allOps
	}
	return aws.Config{Region: dynamo.Region, BaseEndpoint: aws.String(endpoint), HTTPClient: &http.Client{Transport: cnt},
		Credentials: credentials.NewStaticCredentialsProvider("local", "local", "")}, name
}

// The Lambda functions' adapter passes the store contract on DynamoDB Local, as the SDK's does.
func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		cfg, table := newTable(t, nil)
		return New(cfg, table, storetest.Now(t))
	})
}

func TestNumberingGapFree(t *testing.T) {
	cfg, table := newTable(t, nil)
	now := storetest.NewClock(storetest.T0).Now
	storetest.NumberingGapFree(t, New(cfg, table, now), New(cfg, table, now), 30)
}

// The names the wire adapter sends are the table's (dynamo.TableDefinition, which template.yaml matches).
func TestNamesAreTheTables(t *testing.T) {
	for _, c := range [][2]string{{attrPK, dynamo.AttrPK}, {attrSK, dynamo.AttrSK}, {attrGSI1PK, dynamo.AttrGSI1PK},
		{attrGSI1SK, dynamo.AttrGSI1SK}, {attrGSI2PK, dynamo.AttrGSI2PK}, {attrGSI2SK, dynamo.AttrGSI2SK},
		{attrTTL, dynamo.TTLAttribute}, {attrVersion, dynamo.AttrVersion}, {attrDoc, dynamo.AttrDoc}, {attrZ, dynamo.AttrZ},
		{indexGSI1, dynamo.IndexGSI1}, {indexGSI2, dynamo.IndexGSI2}} {
		if c[0] != c[1] {
			t.Errorf("wire sends %q where the table has %q", c[0], c[1])
		}
	}
}

// Each adapter reads what the other wrote (same attributes, same encoding): a contact with its children
// entry, idempotency key and audit event, found by key, by the authority's status index and by reference.
func TestReadsWhatTheSDKAdapterWrote(t *testing.T) {
	cfg, table := newTable(t, nil)
	client, err := dynamo.NewClient(context.Background(), endpoint, nil)
	if err != nil {
		t.Fatal(err)
	}
	now := storetest.NewClock(storetest.T0).Now
	sdk, wire := dynamo.New(client, table, now), New(cfg, table, now)
	ctx := context.Background()
	for i, pair := range [][2]store.Store{{sdk, wire}, {wire, sdk}} {
		w, r := pair[0], pair[1]
		c := storetest.NewContact("hackney", fmt.Sprintf("Ada%d", i), "Interop", domain.Date{Y: 2016, M: 3, D: 31}, storetest.T0)
		key := store.IdempotencyKey{Kind: store.KeySES, Value: fmt.Sprintf("interop-%d", i)}
		if err := w.CreateContact(ctx, c, key, store.AuditEvent{Actor: "intake-email", Action: "contact.created"}); err != nil {
			t.Fatal(err)
		}
		raw, err := client.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(table), Key: map[string]types.AttributeValue{
			dynamo.AttrPK: &types.AttributeValueMemberS{Value: "contact#" + string(c.ID)}, dynamo.AttrSK: &types.AttributeValueMemberS{Value: "contact"}}})
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := raw.Item[dynamo.AttrZ].(*types.AttributeValueMemberB); !ok || raw.Item[dynamo.AttrDoc] != nil {
			t.Errorf("pair %d: the contact item is not stored compressed (attributes %v)", i, slices.Sorted(maps.Keys(raw.Item)))
		}
		got, err := r.GetContact(ctx, c.ID)
		if err != nil {
			t.Fatalf("pair %d: %v", i, err)
		}
		if got.Child.GivenName != c.Child.GivenName || got.Version != c.Version || got.Reference != c.Reference {
			t.Errorf("pair %d: read %+v, wrote %+v", i, got.Child, c.Child)
		}
		byStatus, err := r.ListContacts(ctx, "hackney", c.Status)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, x := range byStatus {
			found = found || x.ID == c.ID
		}
		if !found {
			t.Errorf("pair %d: the status index does not list %s", i, c.ID)
		}
		if err := r.CreateContact(ctx, storetest.NewContact("hackney", "Dup", "Interop", domain.Date{Y: 2016, M: 3, D: 31}, storetest.T0),
			key, store.AuditEvent{Actor: "intake-email", Action: "contact.created"}); err == nil {
			t.Errorf("pair %d: the other adapter's idempotency key did not make a second create a duplicate", i)
		}
	}
}

// Contact creation is ONE TransactWriteItems (contact + children entry + audit event), after one conditional
// PutItem per delivery key that claims it (docs/cost.md), counted at the HTTP layer.
func TestCreateContactIsOneWriteRequest(t *testing.T) {
	cnt := testkit.NewOps(allOps)
	cfg, table := newTable(t, cnt)
	s := New(cfg, table, storetest.NewClock(storetest.T0).Now)
	ctx := context.Background()
	c := storetest.NewContact("hackney", "Lu", "Count", domain.Date{Y: 2019, M: 1, D: 1}, storetest.T0)
	cnt.Reset()
	if err := s.CreateContact(ctx, c, store.IdempotencyKey{Kind: store.KeySES, Value: "ses-count-1"},
		store.AuditEvent{Actor: "intake-email", Action: "contact.created"}); err != nil {
		t.Fatal(err)
	}
	if ops := cnt.Reset(); len(ops) != 2 || ops["TransactWriteItems"] != 1 || ops["PutItem"] != 1 {
		t.Fatalf("contact creation sent %v, want one PutItem (the key) and one TransactWriteItems", ops)
	}
}

// A DynamoDB error that is not a condition comes back with its code, and names the operation.
func TestErrorNamesTheOperation(t *testing.T) {
	cfg, _ := newTable(t, nil)
	s := New(cfg, "no-such-table", storetest.NewClock(storetest.T0).Now)
	_, err := s.GetContact(context.Background(), "c_missing")
	if err == nil || code(err) != "ResourceNotFoundException" {
		t.Fatalf("reading a missing table: %v (code %q), want ResourceNotFoundException", err, code(err))
	}
}

// An item with an attribute the adapter does not know (or of a type it does not read) is an error, never
// read with the attribute dropped.
func TestUnknownAttributeIsAnError(t *testing.T) {
	doc := `{"a":1}`
	if _, err := fromWire(avMap{attrPK: s("c#1"), attrSK: s("contact"), attrDoc: s(doc)}); err != nil {
		t.Fatalf("a known item: %v", err)
	}
	for _, m := range []avMap{
		{attrPK: s("c#1"), attrSK: s("contact"), attrZ: {}},
		{attrPK: s("c#1"), attrSK: s("contact"), "extra": s("x")},
	} {
		if _, err := fromWire(m); err == nil {
			t.Errorf("%v read without an error", m)
		}
	}
}

// The functions' adapter claims delivery keys apart too, with the same guarantees (storetest.KeyClaims).
func TestKeyClaims_ExactlyOnceWithKeysClaimedBeforeTheWrite(t *testing.T) {
	cfg, table := newTable(t, nil)
	faults := testkit.NewFaults(allOps)
	cfg.HTTPClient = &http.Client{Transport: faults}
	clk := storetest.NewClock(storetest.T0)
	storetest.KeyClaims(t, New(cfg, table, clk.Now), clk, faults)
}
