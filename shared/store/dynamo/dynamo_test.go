package dynamo_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
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

// newTable creates a fresh table from TableDefinition and returns a client counting into cnt.
func newTable(t testing.TB, cnt http.RoundTripper) (*dynamodb.Client, string) {
	t.Helper()
	client, err := dynamo.NewClient(context.Background(), endpoint, &http.Client{Transport: cnt})
	if err != nil {
		t.Fatal(err)
	}
	name := fmt.Sprintf("mash-test-%d", tableSeq.Add(1))
	if err := dynamo.CreateTable(context.Background(), client, name); err != nil {
		t.Fatal(err)
	}
	return client, name
}

func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		client, table := newTable(t, allOps)
		return dynamo.New(client, table, storetest.Now(t))
	})
}

// docs/architecture.md: contact creation is ONE TransactWriteItems (contact, with its children-index key, + audit event +
// acknowledgement + reference), after one conditional PutItem per delivery key, which claims it (docs/cost.md:
// 1 WRU each instead of 2 in the transaction); counted at the HTTP layer, so SDK retries would show too.
func TestCreateContactIsOneWriteRequest(t *testing.T) {
	cnt := testkit.NewOps(allOps)
	client, table := newTable(t, cnt)
	s := dynamo.New(client, table, storetest.NewClock(storetest.T0).Now)
	ctx := context.Background()
	cnt.Reset()
	c := storetest.NewContact("hackney", "Lu", "Count", domain.Date{Y: 2019, M: 1, D: 1}, storetest.T0)
	key := store.IdempotencyKey{Kind: store.KeySES, Value: "ses-count-1"}
	if err := s.CreateContact(ctx, c, key, store.AuditEvent{Actor: "intake-email", Action: "contact.created"}); err != nil {
		t.Fatal(err)
	}
	if ops := cnt.Reset(); len(ops) != 2 || ops["TransactWriteItems"] != 1 || ops["PutItem"] != 1 {
		t.Fatalf("contact creation sent %v, want one PutItem (the key) and one TransactWriteItems", ops)
	}
	// Household of three children: still one request.
	var cs []store.NewContact
	for i := range 3 {
		cc := storetest.NewContact("hackney", fmt.Sprintf("Kid%d", i), "Count", domain.Date{Y: 2015 + i, M: 1, D: 1}, storetest.T0)
		cs = append(cs, store.NewContact{Contact: cc, Keys: []store.IdempotencyKey{{Kind: store.KeyAPI, Value: fmt.Sprintf("hh-%d", i)}},
			Event: store.AuditEvent{Actor: "intake-api", Action: "contact.created"}})
	}
	if err := s.CreateHousehold(ctx, cs); err != nil {
		t.Fatal(err)
	}
	if ops := cnt.Reset(); len(ops) != 2 || ops["TransactWriteItems"] != 1 || ops["PutItem"] != 3 {
		t.Fatalf("household creation sent %v, want three PutItems (its keys) and one TransactWriteItems", ops)
	}
	// As intake writes it — numbered, the acknowledgement queued — a household is one read of the sequence
	// and one write.
	for i := range cs {
		cc := storetest.NewContact("hackney", fmt.Sprintf("Kid%d", i), "Numbered", domain.Date{Y: 2015 + i, M: 1, D: 1}, storetest.T0)
		cs[i] = store.NewContact{Contact: cc, Event: store.AuditEvent{Actor: "intake-email", Action: "contact.created"},
			Number: &store.Numbering{Prefix: "HAC", Year: 2027},
			Outbox: func(c *domain.Contact) ([]store.Notification, error) {
				return []store.Notification{{Kind: "acknowledgement", Authority: c.Authority, To: []string{"dsl@school.example"},
					Subject: "Contact received: " + string(c.Reference)}}, nil
			}}
	}
	cs[0].Keys = []store.IdempotencyKey{{Kind: store.KeySES, Value: "ses-count-2"}}
	if err := s.CreateHousehold(ctx, cs); err != nil {
		t.Fatal(err)
	}
	if ops := cnt.Reset(); len(ops) != 3 || ops["GetItem"] != 1 || ops["PutItem"] != 1 || ops["TransactWriteItems"] != 1 {
		t.Fatalf("numbered household creation sent %v, want one GetItem, one PutItem (its key) and one TransactWriteItems", ops)
	}
	// Bad input is refused before any request.
	bad := storetest.NewContact("hackney", "Lu", "Count", domain.Date{Y: 2019, M: 1, D: 1}, storetest.T0)
	bad.Authority = ""
	err := s.CreateContact(ctx, bad, key, store.AuditEvent{Actor: "intake-email", Action: "contact.created"})
	var de *domain.Error
	if !errors.As(err, &de) || de.Code != domain.CodeInvalid || de.Fields[0].Field != "authority" {
		t.Fatalf("got %v, want invalid naming authority", err)
	}
	if ops := cnt.Reset(); len(ops) != 0 {
		t.Fatalf("an invalid contact sent %v", ops)
	}
}

// A transaction DynamoDB cancels (pre-existing idempotency key; pre-existing audit event id) leaves nothing
// behind.
func TestCancelledTransactionWritesNothing(t *testing.T) {
	client, table := newTable(t, allOps)
	s := dynamo.New(client, table, storetest.NewClock(storetest.T0).Now)
	ctx := context.Background()
	first := storetest.NewContact("bexley", "Mo", "First", domain.Date{Y: 2018, M: 1, D: 1}, storetest.T0)
	key := store.IdempotencyKey{Kind: store.KeyMessageID, Value: "<cancel@mail.example>"}
	if err := s.CreateContact(ctx, first, key, store.AuditEvent{Actor: "t", Action: "contact.created"}); err != nil {
		t.Fatal(err)
	}
	ev, err := s.AppendAudit(ctx, store.AuditEvent{ContactID: "c_00000000000000000000", ID: "fixed", Actor: "t", Action: "x"})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		key  store.IdempotencyKey
		ev   store.AuditEvent
		code domain.Code
	}{
		{"pre-existing idempotency key", key, store.AuditEvent{Actor: "t", Action: "contact.created"}, domain.CodeDuplicate},
		{"pre-existing audit event", store.IdempotencyKey{Kind: store.KeyAPI, Value: "fresh"}, ev, domain.CodeConflict},
	}
	for _, tc := range cases {
		c := storetest.NewContact("bexley", "Mo", "Second", domain.Date{Y: 2018, M: 1, D: 1}, storetest.T0)
		if tc.code == domain.CodeConflict {
			c.ID = "c_00000000000000000000"
		}
		err := s.CreateContact(ctx, c, tc.key, tc.ev)
		if domain.ErrorCode(err) != tc.code {
			t.Fatalf("%s: got %v, want %s", tc.name, err, tc.code)
		}
		if _, err := s.GetContact(ctx, c.ID); domain.ErrorCode(err) != domain.CodeNotFound {
			t.Fatalf("%s: contact half-written (%v)", tc.name, err)
		}
		if kids, _ := s.FindChildren(ctx, "bexley", c.Child.IdentityKey()); len(kids) != 0 {
			t.Fatalf("%s: children entry half-written", tc.name)
		}
		if tc.code == domain.CodeConflict {
			if _, ok, _ := s.LookupKey(ctx, tc.key); ok {
				t.Fatalf("%s: key half-written", tc.name)
			}
			if evs, _ := s.ListAudit(ctx, c.ID); len(evs) != 1 || evs[0].Action != "x" {
				t.Fatalf("%s: audit changed: %+v", tc.name, evs)
			}
		} else if evs, _ := s.ListAudit(ctx, c.ID); len(evs) != 0 {
			t.Fatalf("%s: audit half-written", tc.name)
		}
	}
}

// The table DynamoDB Local creates from TableDefinition has exactly the keys and indexes the store uses.
func TestTableDefinition(t *testing.T) {
	client, table := newTable(t, allOps)
	out, err := client.DescribeTable(context.Background(), &dynamodb.DescribeTableInput{TableName: aws.String(table)})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, k := range out.Table.KeySchema {
		got = append(got, aws.ToString(k.AttributeName)+":"+string(k.KeyType))
	}
	for _, g := range out.Table.GlobalSecondaryIndexes {
		for _, k := range g.KeySchema {
			got = append(got, aws.ToString(g.IndexName)+"/"+aws.ToString(k.AttributeName)+":"+string(k.KeyType))
		}
		got = append(got, aws.ToString(g.IndexName)+"/projection:"+string(g.Projection.ProjectionType))
	}
	sort.Strings(got)
	want := []string{"gsi1/gsi1pk:HASH", "gsi1/gsi1sk:RANGE", "gsi1/projection:KEYS_ONLY", "gsi2/gsi2pk:HASH",
		"gsi2/gsi2sk:RANGE", "gsi2/projection:KEYS_ONLY", "gsi3/gsi3pk:HASH", "gsi3/projection:KEYS_ONLY", "pk:HASH", "sk:RANGE"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("table\n got %v\nwant %v", got, want)
	}
	ttl, err := client.DescribeTimeToLive(context.Background(), &dynamodb.DescribeTimeToLiveInput{TableName: aws.String(table)})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(ttl.TimeToLiveDescription.AttributeName) != dynamo.TTLAttribute {
		t.Fatalf("TTL attribute %v", ttl.TimeToLiveDescription)
	}
	if def := dynamo.TableDefinition("x"); def.BillingMode != "PAY_PER_REQUEST" {
		t.Fatalf("billing mode %s", def.BillingMode)
	}
}

// BenchmarkCreateContact measures contact creation against DynamoDB Local (one TransactWriteItems each).
// Reports contacts/s.
func BenchmarkCreateContact(b *testing.B) {
	client, table := newTable(b, testkit.NewOps(nil))
	storetest.BenchCreateContact(b, dynamo.New(client, table, storetest.NewClock(storetest.T0).Now), 4)
}

// Two stores on one table are two Lambda instances: numbered creates from both meet at the sequence's
// version check (ConditionalCheckFailed in the transaction) and still number without gaps.
func TestNumberingAcrossProcesses(t *testing.T) {
	client, table := newTable(t, allOps)
	now := storetest.NewClock(storetest.T0).Now
	storetest.NumberingGapFree(t, dynamo.New(client, table, now), dynamo.New(client, table, now), 30)
}

// The indexes project keys only: a list reads each entry's item from the table, several at once. A list
// longer than the reads in flight comes back whole, in the index's order, with nothing repeated.
func TestIndexListReadsEveryItemInOrder(t *testing.T) {
	cnt := testkit.NewOps(allOps)
	client, table := newTable(t, cnt)
	clk := storetest.NewClock(storetest.T0)
	s := dynamo.New(client, table, clk.Now)
	ctx := context.Background()
	const n = 53 // more than three rounds of the reads in flight
	var want []domain.ContactID
	for i := range n {
		clk.Advance(time.Minute)
		c := storetest.NewContact("hackney", fmt.Sprintf("Kid%02d", i), "Listed", domain.Date{Y: 2015, M: 1, D: 1 + i%28}, clk.Now())
		key := store.IdempotencyKey{Kind: store.KeyAPI, Value: fmt.Sprintf("list-%d", i)}
		if err := s.CreateContact(ctx, c, key, store.AuditEvent{Actor: "intake-api", Action: "contact.created"}); err != nil {
			t.Fatal(err)
		}
		want = append(want, c.ID)
	}
	cnt.Reset()
	got, err := s.ListContacts(ctx, "hackney", domain.StatusReceived)
	if err != nil {
		t.Fatal(err)
	}
	if ops := cnt.Reset(); ops["GetItem"] != n {
		t.Errorf("listing %d contacts sent %v, want one GetItem per entry", n, ops)
	}
	var ids []domain.ContactID
	for _, c := range got {
		ids = append(ids, c.ID)
	}
	if !slices.Equal(ids, want) {
		t.Fatalf("listed %d contacts %v, want %d in the order received %v", len(ids), ids, len(want), want)
	}
}

// docs/cost.md "Compressed documents": a contact's document is stored compressed (attribute z, binary) at
// under half its JSON size, is read back as written, and an item written before compression (attribute doc, a
// string) still reads.
func TestDocumentsStoredCompressed_OldItemsStillRead(t *testing.T) {
	client, table := newTable(t, allOps)
	s := dynamo.New(client, table, storetest.NewClock(storetest.T0).Now)
	ctx := context.Background()
	c := storetest.NewContact("hackney", "Lu", "Compressed", domain.Date{Y: 2019, M: 1, D: 1}, storetest.T0)
	c.Concerns = strings.Repeat("The child said she was pushed into the door at home; school saw the bruise. ", 8)
	if err := s.CreateContact(ctx, c, store.IdempotencyKey{}, store.AuditEvent{Actor: "test", Action: "contact.created"}); err != nil {
		t.Fatal(err)
	}
	raw, err := client.GetItem(ctx, &dynamodb.GetItemInput{TableName: &table, ConsistentRead: aws.Bool(true),
		Key: map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: "contact#" + string(c.ID)}, "sk": &types.AttributeValueMemberS{Value: "contact"}}})
	if err != nil {
		t.Fatal(err)
	}
	z, ok := raw.Item[dynamo.AttrZ].(*types.AttributeValueMemberB)
	if !ok || raw.Item[dynamo.AttrDoc] != nil {
		t.Fatalf("contact item has attributes %v, want the document in %q only", slices.Sorted(maps.Keys(raw.Item)), dynamo.AttrZ)
	}
	got, err := s.GetContact(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	doc, _ := json.Marshal(got)
	if len(z.Value)*2 > len(doc) {
		t.Errorf("compressed document %d bytes for %d of JSON, want under half", len(z.Value), len(doc))
	}
	if got.Concerns != c.Concerns || got.Child != c.Child || got.Version != 1 {
		t.Errorf("read back %+v, want the contact as written", got)
	}

	// An item as the adapter wrote it before compression: the document as a string attribute.
	old := `{"id":"old-1","tray":"rating","authority":"hackney","contactId":"c_1","dueAt":"2027-03-11T10:00:00Z","createdAt":"2027-03-10T10:00:00Z"}`
	if _, err := client.PutItem(ctx, &dynamodb.PutItemInput{TableName: &table, Item: map[string]types.AttributeValue{
		"pk": &types.AttributeValueMemberS{Value: "trayitem#old-1"}, "sk": &types.AttributeValueMemberS{Value: "trayitem"},
		"version": &types.AttributeValueMemberN{Value: "1"}, dynamo.AttrDoc: &types.AttributeValueMemberS{Value: old}}}); err != nil {
		t.Fatal(err)
	}
	it, err := s.GetTrayItem(ctx, "old-1")
	if err != nil {
		t.Fatal(err)
	}
	if it.ContactID != "c_1" || it.Tray != "rating" {
		t.Errorf("old item read as %+v", it)
	}

	// A document of an unknown compression format is an error, never a silently empty record.
	if _, err := client.PutItem(ctx, &dynamodb.PutItemInput{TableName: &table, Item: map[string]types.AttributeValue{
		"pk": &types.AttributeValueMemberS{Value: "trayitem#bad-1"}, "sk": &types.AttributeValueMemberS{Value: "trayitem"},
		"version": &types.AttributeValueMemberN{Value: "1"}, dynamo.AttrZ: &types.AttributeValueMemberB{Value: []byte{9, 1, 2}}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetTrayItem(ctx, "bad-1"); domain.ErrorCode(err) != domain.CodeInternal {
		t.Errorf("unknown format read with error %v", err)
	}
}

// docs/cost.md "Delivery keys claimed before the contact's write": the SDK adapter claims them apart, and
// exactly once still holds (storetest.KeyClaims).
func TestKeyClaims_ExactlyOnceWithKeysClaimedBeforeTheWrite(t *testing.T) {
	faults := testkit.NewFaults(allOps)
	client, table := newTable(t, faults)
	// The SDK's standard retryer, backing off milliseconds instead of seconds between the injected 500s.
	client = dynamodb.New(client.Options(), func(o *dynamodb.Options) {
		o.Retryer = retry.AddWithMaxBackoffDelay(retry.NewStandard(), 20*time.Millisecond)
	})
	clk := storetest.NewClock(storetest.T0)
	storetest.KeyClaims(t, dynamo.New(client, table, clk.Now), clk, faults)
}

// A contact written before the children index moved to the contact (docs/cost.md "The children index kept on
// the contact"): its item has no gsi3pk and its entry is an item of its own in gsi1. It is read beside the
// contacts indexed the new way, once, oldest first; rewritten, it is still one record.
func TestChildrenIndex_OldEntriesReadBesideTheNew(t *testing.T) {
	client, table := newTable(t, allOps)
	s := dynamo.New(client, table, storetest.NewClock(storetest.T0).Now)
	ctx := context.Background()
	old := storetest.NewContact("hackney", "Nell", "Gwyn", domain.Date{Y: 2018, M: 3, D: 4}, storetest.T0.AddDate(0, -2, 0))
	if err := s.CreateContact(ctx, old, store.IdempotencyKey{}, store.AuditEvent{Actor: "intake-api", Action: "contact.created"}); err != nil {
		t.Fatal(err)
	}
	key := old.Child.IdentityKey()
	// As an earlier version wrote it: the contact without its gsi3pk, the entry apart.
	if _, err := client.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String(table),
		Key: map[string]types.AttributeValue{dynamo.AttrPK: &types.AttributeValueMemberS{Value: "contact#" + string(old.ID)},
			dynamo.AttrSK: &types.AttributeValueMemberS{Value: "contact"}},
		UpdateExpression: aws.String("REMOVE " + dynamo.AttrGSI3PK)}); err != nil {
		t.Fatal(err)
	}
	if err := s.PutChildRecord(ctx, store.ChildRecord{ContactID: old.ID, Authority: "hackney", IdentityKey: key, ReceivedAt: old.ReceivedAt}); err != nil {
		t.Fatal(err)
	}
	fresh := storetest.NewContact("hackney", "Nell", "Gwyn", domain.Date{Y: 2018, M: 3, D: 4}, storetest.T0)
	if err := s.CreateContact(ctx, fresh, store.IdempotencyKey{}, store.AuditEvent{Actor: "intake-api", Action: "contact.created"}); err != nil {
		t.Fatal(err)
	}
	kids, err := s.FindChildren(ctx, "hackney", key)
	if err != nil || len(kids) != 2 || kids[0].ContactID != old.ID || kids[1].ContactID != fresh.ID {
		t.Fatalf("old and new: %+v %v, want the old contact (its entry apart) then the new (its own key)", kids, err)
	}
	if _, err := s.UpdateContact(ctx, old.ID, func(c *domain.Contact) (store.AuditEvent, error) {
		c.Concerns += " (updated)"
		return store.AuditEvent{Actor: "screener", Action: "contact.updated"}, nil
	}); err != nil {
		t.Fatal(err)
	}
	if kids, err = s.FindChildren(ctx, "hackney", key); err != nil || len(kids) != 2 {
		t.Fatalf("after the old contact's rewrite: %+v %v", kids, err)
	}
}
