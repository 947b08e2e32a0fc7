// Package wire is the DynamoDB store adapter the Lambda functions use: the same backend as shared/store/dynamo
// (GetItem, Query on the table and on gsi1/gsi2 with keys-only entries read item by item, conditional PutItem,
// ONE TransactWriteItems per atomic write, UpdateItem ADD for counters, no Scan), sent as DynamoDB's JSON
// protocol over shared/adapters/awsrest (SigV4 with the SDK's signer) instead of the SDK's generated client.
//
// It exists for size (issue #19): importing service/dynamodb links its types, its serialisation schemas (whose
// package initialisation alone is ≈ 170 KB of code, run at every cold start), the smithy middleware stack,
// endpoint rules and the retryer — ≈ 1 MB of every function. The five operations the store sends are a few
// lines of JSON each. shared/store/dynamo (the SDK client) stays for tests and tools: table creation, the
// cost meter's consumed-capacity middleware; both adapters pass the same storetest contract on DynamoDB Local
// and read each other's items (the same attributes: pk, sk, gsi1pk, gsi1sk, gsi2pk, gsi2sk, ttl, version, and
// the document as doc or, compressed, z: shared/store/internal/zdoc).
package wire

import (
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/safeguarding/mash/shared/adapters/awsrest"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/store/internal/core"
	"github.com/safeguarding/mash/shared/store/internal/zdoc"
)

// The table's attribute and index names (shared/store/dynamo TableDefinition; a test checks they agree).
const (
	attrPK      = "pk"
	attrSK      = "sk"
	attrGSI1PK  = "gsi1pk"
	attrGSI1SK  = "gsi1sk"
	attrGSI2PK  = "gsi2pk"
	attrGSI2SK  = "gsi2sk"
	attrGSI3PK  = "gsi3pk"
	attrTTL     = "ttl"
	attrVersion = "version"
	attrDoc     = "doc"
	attrZ       = zdoc.Attr // the document compressed
	indexGSI1   = "gsi1"
	indexGSI2   = "gsi2"
	indexGSI3   = "gsi3"
)

// Store is the DynamoDB adapter over the JSON protocol; it implements store.Store.
type Store struct {
	*core.Store
}

// New returns a Store on an existing table, reached with cfg's credentials and region (cfg.BaseEndpoint, when
// set, is the DynamoDB endpoint: DynamoDB Local, tests). now is the clock used for timestamps and TTL on read.
func New(cfg aws.Config, table string, now func() time.Time) *Store {
	return &Store{Store: core.New(&backend{c: awsrest.Client{Config: cfg, Service: "dynamodb"}, table: table}, now)}
}

type backend struct {
	c     awsrest.Client
	table string
}

// PricedPerItem: DynamoDB bills per item and KB, a transaction's write at twice a plain one (core.PricedPerItem:
// a contact's delivery keys are claimed before its transaction, docs/cost.md).
func (*backend) PricedPerItem() {}

// av is one DynamoDB attribute value of the kinds the table holds: a string, a number, or binary (a
// compressed document; encoding/json writes and reads it as base64, as DynamoDB's JSON has it).
type av struct {
	S *string `json:"S,omitempty"`
	N *string `json:"N,omitempty"`
	B []byte  `json:"B,omitempty"`
}

type avMap map[string]av

func s(v string) av { return av{S: &v} }
func n(v int64) av  { x := strconv.FormatInt(v, 10); return av{N: &x} }

// toWire is the item's attributes, as attributevalue.MarshalMap writes shared/store/dynamo's item: empty
// strings and a zero ttl left out, the version always, the document compressed (attrZ) when that is worth it
// (zdoc), else as a string.
func toWire(it core.Item) (avMap, error) {
	m := avMap{attrPK: s(it.PK), attrSK: s(it.SK), attrVersion: n(it.Version)}
	z, err := zdoc.Compress(it.Doc)
	if err != nil {
		return nil, err
	}
	doc := string(it.Doc)
	if z != nil {
		m[attrZ] = av{B: z}
		doc = ""
	}
	for k, v := range map[string]string{attrGSI1PK: it.GSI1PK, attrGSI1SK: it.GSI1SK, attrGSI2PK: it.GSI2PK,
		attrGSI2SK: it.GSI2SK, attrGSI3PK: it.GSI3PK, attrDoc: doc} {
		if v != "" {
			m[k] = s(v)
		}
	}
	if it.TTL != 0 {
		m[attrTTL] = n(it.TTL)
	}
	return m, nil
}

// known are the attributes an item may have; fromWire refuses any other rather than drop it unread (an
// attribute one adapter writes and the other does not know would otherwise lose content silently).
var known = map[string]bool{attrPK: true, attrSK: true, attrGSI1PK: true, attrGSI1SK: true, attrGSI2PK: true,
	attrGSI2SK: true, attrGSI3PK: true, attrTTL: true, attrVersion: true, attrDoc: true, attrZ: true}

// fromWire reads an item; a missing attribute is its zero value.
func fromWire(m avMap) (core.Item, error) {
	for k, v := range m {
		if !known[k] || (v.S == nil && v.N == nil && v.B == nil) {
			return core.Item{}, fmt.Errorf("dynamo: item attribute %q is not one this adapter reads (shared/store/dynamo/wire)", k)
		}
	}
	str := func(k string) string {
		if v, ok := m[k]; ok && v.S != nil {
			return *v.S
		}
		return ""
	}
	num := func(k string) (int64, error) {
		v, ok := m[k]
		if !ok || v.N == nil {
			return 0, nil
		}
		x, err := strconv.ParseInt(*v.N, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("dynamo: attribute %s: %w", k, err)
		}
		return x, nil
	}
	it := core.Item{PK: str(attrPK), SK: str(attrSK), GSI1PK: str(attrGSI1PK), GSI1SK: str(attrGSI1SK),
		GSI2PK: str(attrGSI2PK), GSI2SK: str(attrGSI2SK), GSI3PK: str(attrGSI3PK)}
	if d := str(attrDoc); d != "" {
		it.Doc = []byte(d)
	}
	var err error
	if z, ok := m[attrZ]; ok && len(z.B) > 0 {
		if it.Doc, err = zdoc.Decompress(z.B); err != nil {
			return core.Item{}, err
		}
	}
	if it.TTL, err = num(attrTTL); err != nil {
		return core.Item{}, err
	}
	if it.Version, err = num(attrVersion); err != nil {
		return core.Item{}, err
	}
	return it, nil
}

func key(pk, sk string) avMap { return avMap{attrPK: s(pk), attrSK: s(sk)} }

// call sends one operation with in as its JSON body and decodes the answer into out (when not nil). A
// DynamoDB error is an *awsrest.Error with the body's code ("ConditionalCheckFailedException"); body is
// returned with it (a cancelled transaction's reasons are there).
func (b *backend) call(ctx context.Context, op string, in, out any) ([]byte, error) {
	body, err := json.Marshal(in)
	if err != nil {
		return nil, err
	}
	url, _ := b.c.Endpoint("https://dynamodb." + b.c.Config.Region + ".amazonaws.com")
	h := http.Header{}
	h.Set("Content-Type", "application/x-amz-json-1.0")
	h.Set("X-Amz-Target", "DynamoDB_20120810."+op)
	_, resp, err := b.c.Do(ctx, http.MethodPost, url+"/", body, h)
	if err != nil {
		return resp, fmt.Errorf("dynamodb %s: %w", op, err)
	}
	if out != nil {
		if err := json.Unmarshal(resp, out); err != nil {
			return resp, fmt.Errorf("dynamodb %s: %w", op, err)
		}
	}
	return resp, nil
}

// code is a DynamoDB error's code, "" for any other error.
func code(err error) string {
	var e *awsrest.Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

func (b *backend) Get(ctx context.Context, pk, sk string) (*core.Item, error) {
	return b.get(ctx, pk, sk, true)
}

// get reads one item; consistent is false only for the items behind an index query (which is itself
// eventually consistent): half the read units.
func (b *backend) get(ctx context.Context, pk, sk string, consistent bool) (*core.Item, error) {
	var out struct{ Item avMap }
	if _, err := b.call(ctx, "GetItem", struct {
		TableName      string
		Key            avMap
		ConsistentRead bool
	}{b.table, key(pk, sk), consistent}, &out); err != nil {
		return nil, err
	}
	if out.Item == nil {
		return nil, nil
	}
	it, err := fromWire(out.Item)
	return &it, err
}

// queryInput is a Query's request.
type queryInput struct {
	TableName                 string
	IndexName                 string `json:",omitempty"`
	ConsistentRead            bool   `json:",omitempty"`
	KeyConditionExpression    string
	ExpressionAttributeNames  map[string]string
	ExpressionAttributeValues avMap
	Limit                     int   `json:",omitempty"`
	ExclusiveStartKey         avMap `json:",omitempty"`
}

func (b *backend) Query(ctx context.Context, pk, skPrefix string) ([]core.Item, error) {
	in := &queryInput{TableName: b.table, ConsistentRead: true, KeyConditionExpression: "#pk = :pk",
		ExpressionAttributeNames: map[string]string{"#pk": attrPK}, ExpressionAttributeValues: avMap{":pk": s(pk)}}
	if skPrefix != "" {
		in.KeyConditionExpression += " AND begins_with(#sk, :sk)"
		in.ExpressionAttributeNames["#sk"] = attrSK
		in.ExpressionAttributeValues[":sk"] = s(skPrefix)
	}
	return b.query(ctx, in, 0)
}

func (b *backend) QueryIndex(ctx context.Context, idx core.Index, pk, skBelow string, limit int) ([]core.Item, error) {
	var pkAttr, skAttr, name string
	switch idx {
	case core.GSI1:
		pkAttr, skAttr, name = attrGSI1PK, attrGSI1SK, indexGSI1
	case core.GSI2:
		pkAttr, skAttr, name = attrGSI2PK, attrGSI2SK, indexGSI2
	case core.GSI3:
		pkAttr, name, skBelow, limit = attrGSI3PK, indexGSI3, "", 0 // partition key only
	default:
		return nil, fmt.Errorf("dynamo: unknown index %q", idx)
	}
	in := &queryInput{TableName: b.table, IndexName: name, KeyConditionExpression: "#pk = :pk",
		ExpressionAttributeNames: map[string]string{"#pk": pkAttr}, ExpressionAttributeValues: avMap{":pk": s(pk)}}
	if skBelow != "" {
		in.KeyConditionExpression += " AND #sk < :sk"
		in.ExpressionAttributeNames["#sk"] = skAttr
		in.ExpressionAttributeValues[":sk"] = s(skBelow)
	}
	keys, err := b.query(ctx, in, limit)
	if err != nil {
		return nil, err
	}
	// The indexes project keys only (TableDefinition): each entry's item is read from the table.
	return core.ReadIndexed(ctx, keys, idx, pk, skBelow, func(ctx context.Context, pk, sk string) (*core.Item, error) {
		return b.get(ctx, pk, sk, false)
	})
}

// query pages through a Query until the end or limit items (limit <= 0: all).
func (b *backend) query(ctx context.Context, in *queryInput, limit int) ([]core.Item, error) {
	var out []core.Item
	for {
		if limit > 0 {
			in.Limit = limit - len(out)
		}
		var page struct {
			Items            []avMap
			LastEvaluatedKey avMap
		}
		if _, err := b.call(ctx, "Query", in, &page); err != nil {
			return nil, err
		}
		for _, m := range page.Items {
			it, err := fromWire(m)
			if err != nil {
				return nil, err
			}
			out = append(out, it)
		}
		if len(page.LastEvaluatedKey) == 0 || (limit > 0 && len(out) >= limit) {
			return out, nil
		}
		in.ExclusiveStartKey = page.LastEvaluatedKey
	}
}

// put is a PutItem's request, and a transaction's Put.
type put struct {
	TableName                 string
	Item                      avMap
	ConditionExpression       string            `json:",omitempty"`
	ExpressionAttributeNames  map[string]string `json:",omitempty"`
	ExpressionAttributeValues avMap             `json:",omitempty"`
}

// toPut is p as a put with its condition.
func (b *backend) toPut(p core.Put) (*put, error) {
	item, err := toWire(p.Item)
	if err != nil {
		return nil, err
	}
	out := &put{TableName: b.table, Item: item}
	switch p.Cond {
	case core.CondNone:
	case core.CondNotExists:
		out.ConditionExpression = "attribute_not_exists(#pk)"
		out.ExpressionAttributeNames = map[string]string{"#pk": attrPK}
	case core.CondNotExistsOrExpired:
		out.ConditionExpression = "attribute_not_exists(#pk) OR #ttl <= :now"
		out.ExpressionAttributeNames = map[string]string{"#pk": attrPK, "#ttl": attrTTL}
		out.ExpressionAttributeValues = avMap{":now": n(p.Now)}
	case core.CondVersion:
		out.ConditionExpression = "#v = :v"
		out.ExpressionAttributeNames = map[string]string{"#v": attrVersion}
		out.ExpressionAttributeValues = avMap{":v": n(p.Version)}
	default:
		return nil, fmt.Errorf("dynamo: unknown condition %d", p.Cond)
	}
	return out, nil
}

func (b *backend) Write(ctx context.Context, puts []core.Put) error {
	if len(puts) == 0 {
		return nil
	}
	if len(puts) == 1 {
		return b.putOne(ctx, puts[0])
	}
	return b.transact(ctx, puts)
}

// Delete is Write with deletes (core.CondDelete), always one transaction: the retention job's alone.
func (b *backend) Delete(ctx context.Context, puts []core.Put) error { return b.transact(ctx, puts) }

type transactItem struct {
	Put    *put `json:",omitempty"`
	Delete *struct {
		TableName string
		Key       avMap
	} `json:",omitempty"`
}

// transact writes puts (and deletes) in one TransactWriteItems. Its ClientRequestToken is the same on every
// attempt of this write, so a retry of a transaction DynamoDB had applied applies nothing twice (as the SDK
// sets it).
func (b *backend) transact(ctx context.Context, puts []core.Put) error {
	in := struct {
		TransactItems      []transactItem
		ClientRequestToken string
	}{ClientRequestToken: requestToken()}
	for _, p := range puts {
		if p.Cond == core.CondDelete {
			in.TransactItems = append(in.TransactItems, transactItem{Delete: &struct {
				TableName string
				Key       avMap
			}{b.table, key(p.Item.PK, p.Item.SK)}})
			continue
		}
		tp, err := b.toPut(p)
		if err != nil {
			return err
		}
		in.TransactItems = append(in.TransactItems, transactItem{Put: tp})
	}
	return core.RetryConflicts(ctx, func() (bool, error) {
		resp, err := b.call(ctx, "TransactWriteItems", in, nil)
		if code(err) != "TransactionCanceledException" {
			return false, err
		}
		var tc struct{ CancellationReasons []struct{ Code string } }
		_ = json.Unmarshal(resp, &tc)
		codes := make([]string, len(tc.CancellationReasons))
		for i, r := range tc.CancellationReasons {
			codes[i] = r.Code
		}
		cond, conflicted := core.Cancelled(codes)
		if cond != nil {
			return false, cond
		}
		return conflicted, err
	})
}

// Refused implements core.Refusals: DynamoDB answered the write with a 4xx (a validation error, a transaction
// cancelled for any reason, throttling once the retries are spent), so nothing of it was applied; a 5xx, a
// timeout or no answer is an unknown outcome, and so is TransactionInProgressException (an earlier attempt of
// the same transaction is still being applied).
func (*backend) Refused(err error) bool {
	var e *awsrest.Error
	return errors.As(err, &e) && e.Status >= 400 && e.Status < 500 && e.Code != core.TransactionInProgress
}

// requestToken is a random idempotency token for one transaction.
func requestToken() string {
	var b [16]byte
	_, _ = crand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func (b *backend) putOne(ctx context.Context, p core.Put) error {
	in, err := b.toPut(p)
	if err != nil {
		return err
	}
	return core.RetryConflicts(ctx, func() (bool, error) {
		_, err := b.call(ctx, "PutItem", in, nil)
		switch code(err) {
		case "ConditionalCheckFailedException":
			return false, &core.CondFailedError{Index: 0}
		case "TransactionConflictException":
			return true, err
		}
		return false, err
	})
}

func (b *backend) Increment(ctx context.Context, pk, sk string) (int64, error) {
	var out struct{ Attributes avMap }
	if _, err := b.call(ctx, "UpdateItem", struct {
		TableName                 string
		Key                       avMap
		UpdateExpression          string
		ExpressionAttributeNames  map[string]string
		ExpressionAttributeValues avMap
		ReturnValues              string
	}{b.table, key(pk, sk), "ADD #v :one", map[string]string{"#v": attrVersion}, avMap{":one": n(1)}, "UPDATED_NEW"}, &out); err != nil {
		return 0, err
	}
	v, ok := out.Attributes[attrVersion]
	if !ok || v.N == nil {
		return 0, fmt.Errorf("dynamodb UpdateItem: no %s in the answer", attrVersion)
	}
	return strconv.ParseInt(*v.N, 10, 64)
}

func (b *backend) Close() error { return nil }

// StreamNotifications reads the messages of a DynamoDB stream record's image (NewImage, in DynamoDB's JSON, as
// Lambda's DynamoDB event carries it): the messages as they were written — one, or the several one change queued
// in one item — with their Version and Batch. ok is false when the item is not a message (the stream sender's
// filter should have left it out).
func StreamNotifications(image json.RawMessage) (ns []store.Notification, ok bool, err error) {
	it, err := imageItem(image)
	if err != nil {
		return nil, false, err
	}
	return core.NotificationsOf(it)
}

// StreamCompletion reads, from a DynamoDB stream record's images (new, and old: empty for a new item), the
// completion a write put on a wait's tray item or wrote as an item of its own, when it is new there and the
// stream tells it (core.CompletionOf); ok is false otherwise.
func StreamCompletion(image, old json.RawMessage) (cp store.Completion, ok bool, err error) {
	it, err := imageItem(image)
	if err != nil {
		return cp, false, err
	}
	var prev *core.Item
	if len(old) > 0 {
		o, err := imageItem(old)
		if err != nil {
			return cp, false, err
		}
		prev = &o
	}
	return core.CompletionOf(it, prev)
}

func imageItem(image json.RawMessage) (core.Item, error) {
	var m avMap
	if err := json.Unmarshal(image, &m); err != nil {
		return core.Item{}, fmt.Errorf("dynamo: stream image: %w", err)
	}
	return fromWire(m)
}
