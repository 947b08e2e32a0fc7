// Package dynamo is the production store adapter: one DynamoDB table (TableDefinition) reached with
// aws-sdk-go-v2. Every store method is implemented once in shared/store/internal/core; this package
// supplies its backend: GetItem/Query (strongly consistent on the table), Query on gsi1/gsi2 (keys only,
// then each item by GetItem), conditional
// PutItem or ONE TransactWriteItems per atomic write (contact + idempotency key + children entry + audit
// event), and UpdateItem ADD for the reference counter. No request path scans: the one Scan is ScanPage, for
// the operator's one-off backfill of the retention indexes (`mash retention backfill`).
//
// Conditional-check failures become domain errors (conflict, duplicate, not found) in core; transactions
// cancelled only by TransactionConflict (concurrent transactions on the same items) are retried here.
// DynamoDB deletes expired items lazily (up to days later): core treats an item whose ttl has passed as
// absent on every read, and a conditional create may replace it.
package dynamo

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"

	"github.com/safeguarding/mash/shared/store/internal/core"
)

// Region is the region NewClient uses for local endpoints.
const Region = "eu-west-2"

// Store is the DynamoDB adapter; it implements store.Store.
type Store struct {
	*core.Store
}

// New returns a Store on an existing table. now is the clock used for timestamps and TTL on read.
func New(client *dynamodb.Client, table string, now func() time.Time) *Store {
	return &Store{Store: core.New(&backend{c: (*sdkClient)(client), table: table}, now)}
}

// NewClient builds a client for a local endpoint (DynamoDB Local, tests, `mash run` against DynamoDB
// Local): static dummy credentials, region eu-west-2, response checksum validation disabled (DynamoDB
// Local's CRC32 headers do not always match). httpClient may be nil. Production code builds its client
// from config.LoadDefaultConfig instead.
func NewClient(ctx context.Context, endpoint string, httpClient *http.Client) (*dynamodb.Client, error) {
	if endpoint == "" {
		return nil, errors.New("dynamo: endpoint is required")
	}
	opts := dynamodb.Options{
		Region:                          Region,
		BaseEndpoint:                    aws.String(endpoint),
		Credentials:                     aws.NewCredentialsCache(staticCreds{}),
		DisableValidateResponseChecksum: true,
	}
	if httpClient != nil {
		opts.HTTPClient = httpClient
	}
	return dynamodb.New(opts), nil
}

type staticCreds struct{}

func (staticCreds) Retrieve(context.Context) (aws.Credentials, error) {
	return aws.Credentials{AccessKeyID: "local", SecretAccessKey: "local", Source: "mash-local"}, nil
}

type backend struct {
	c     *sdkClient
	table string
}

// PricedPerItem: DynamoDB bills per item and KB, a transaction's write at twice a plain one (core.PricedPerItem:
// a contact's delivery keys are claimed before its transaction, docs/cost.md).
func (*backend) PricedPerItem() {}

// sdkClient is the SDK's client under a type of the adapter's own, which has none of its methods (calls go
// through sdk()). backend is stored in an interface, so the type of each of its fields is reachable from
// an interface; in a binary that also links html/template (the console function), whose reflective method
// calls make the linker keep every exported method of such types, a *dynamodb.Client field kept all ~60
// DynamoDB operations and their serialisers (≈ 1.5 MB of the console's bootstrap). The conversion costs
// nothing at run time.
type sdkClient dynamodb.Client

func (c *sdkClient) sdk() *dynamodb.Client { return (*dynamodb.Client)(c) }

// item is the DynamoDB shape of core.Item.
type item struct {
	PK      string `dynamodbav:"pk"`
	SK      string `dynamodbav:"sk"`
	GSI1PK  string `dynamodbav:"gsi1pk,omitempty"`
	GSI1SK  string `dynamodbav:"gsi1sk,omitempty"`
	GSI2PK  string `dynamodbav:"gsi2pk,omitempty"`
	GSI2SK  string `dynamodbav:"gsi2sk,omitempty"`
	GSI3PK  string `dynamodbav:"gsi3pk,omitempty"`
	TTL     int64  `dynamodbav:"ttl,omitempty"`
	Version int64  `dynamodbav:"version"`
	Doc     string `dynamodbav:"doc,omitempty"`
	Z       []byte `dynamodbav:"z,omitempty"` // the document compressed (compress.go), instead of Doc
}

func toAV(it core.Item) (map[string]types.AttributeValue, error) {
	z, err := compressDoc(it.Doc)
	if err != nil {
		return nil, err
	}
	doc := string(it.Doc)
	if z != nil {
		doc = ""
	}
	return attributevalue.MarshalMap(item{PK: it.PK, SK: it.SK, GSI1PK: it.GSI1PK, GSI1SK: it.GSI1SK, GSI2PK: it.GSI2PK,
		GSI2SK: it.GSI2SK, GSI3PK: it.GSI3PK, TTL: it.TTL, Version: it.Version, Doc: doc, Z: z})
}

func fromAV(m map[string]types.AttributeValue) (core.Item, error) {
	var it item
	if err := attributevalue.UnmarshalMap(m, &it); err != nil {
		return core.Item{}, err
	}
	doc := []byte(it.Doc)
	if len(it.Z) > 0 {
		var err error
		if doc, err = decompressDoc(it.Z); err != nil {
			return core.Item{}, err
		}
	}
	return core.Item{PK: it.PK, SK: it.SK, GSI1PK: it.GSI1PK, GSI1SK: it.GSI1SK, GSI2PK: it.GSI2PK, GSI2SK: it.GSI2SK,
		GSI3PK: it.GSI3PK, TTL: it.TTL, Version: it.Version, Doc: doc}, nil
}

func key(pk, sk string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		AttrPK: &types.AttributeValueMemberS{Value: pk},
		AttrSK: &types.AttributeValueMemberS{Value: sk},
	}
}

func (b *backend) Get(ctx context.Context, pk, sk string) (*core.Item, error) {
	return b.get(ctx, pk, sk, true)
}

// get reads one item; consistent is false only for the items behind an index query (which is itself
// eventually consistent): half the read units.
func (b *backend) get(ctx context.Context, pk, sk string, consistent bool) (*core.Item, error) {
	out, err := b.c.sdk().GetItem(ctx, &dynamodb.GetItemInput{TableName: &b.table, Key: key(pk, sk), ConsistentRead: aws.Bool(consistent)})
	if err != nil {
		return nil, err
	}
	if out.Item == nil {
		return nil, nil
	}
	it, err := fromAV(out.Item)
	return &it, err
}

func (b *backend) Query(ctx context.Context, pk, skPrefix string) ([]core.Item, error) {
	kc := expression.Key(AttrPK).Equal(expression.Value(pk))
	if skPrefix != "" {
		kc = kc.And(expression.Key(AttrSK).BeginsWith(skPrefix))
	}
	expr, err := expression.NewBuilder().WithKeyCondition(kc).Build()
	if err != nil {
		return nil, err
	}
	return b.query(ctx, &dynamodb.QueryInput{TableName: &b.table, ConsistentRead: aws.Bool(true),
		KeyConditionExpression: expr.KeyCondition(), ExpressionAttributeNames: expr.Names(),
		ExpressionAttributeValues: expr.Values()}, 0)
}

// ScanPage implements core.Scanner: a Scan of the table filtered on sk, strongly consistent, for the one-off
// backfill of the retention indexes (`mash retention backfill`) — the only Scan this adapter sends, and no
// request path calls it. limit bounds the items DynamoDB evaluates per page (before the filter).
func (b *backend) ScanPage(ctx context.Context, sk string, after *core.Key, limit int) ([]core.Item, *core.Key, error) {
	expr, err := expression.NewBuilder().WithFilter(expression.Name(AttrSK).Equal(expression.Value(sk))).Build()
	if err != nil {
		return nil, nil, err
	}
	in := &dynamodb.ScanInput{TableName: &b.table, ConsistentRead: aws.Bool(true), FilterExpression: expr.Filter(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(), Limit: aws.Int32(int32(limit))}
	if after != nil {
		in.ExclusiveStartKey = key(after.PK, after.SK)
	}
	out, err := b.c.sdk().Scan(ctx, in)
	if err != nil {
		return nil, nil, err
	}
	items := make([]core.Item, 0, len(out.Items))
	for _, m := range out.Items {
		it, err := fromAV(m)
		if err != nil {
			return nil, nil, err
		}
		items = append(items, it)
	}
	if len(out.LastEvaluatedKey) == 0 {
		return items, nil, nil
	}
	pk, ok1 := out.LastEvaluatedKey[AttrPK].(*types.AttributeValueMemberS)
	skv, ok2 := out.LastEvaluatedKey[AttrSK].(*types.AttributeValueMemberS)
	if !ok1 || !ok2 {
		return nil, nil, fmt.Errorf("dynamo: scan: LastEvaluatedKey without string pk and sk")
	}
	return items, &core.Key{PK: pk.Value, SK: skv.Value}, nil
}

func (b *backend) QueryIndex(ctx context.Context, idx core.Index, pk, skBelow string, limit int) ([]core.Item, error) {
	var pkAttr, skAttr, name string
	switch idx {
	case core.GSI1:
		pkAttr, skAttr, name = AttrGSI1PK, AttrGSI1SK, IndexGSI1
	case core.GSI2:
		pkAttr, skAttr, name = AttrGSI2PK, AttrGSI2SK, IndexGSI2
	case core.GSI3:
		pkAttr, name, skBelow, limit = AttrGSI3PK, IndexGSI3, "", 0 // partition key only
	default:
		return nil, fmt.Errorf("dynamo: unknown index %q", idx)
	}
	kc := expression.Key(pkAttr).Equal(expression.Value(pk))
	if skBelow != "" {
		kc = kc.And(expression.Key(skAttr).LessThan(expression.Value(skBelow)))
	}
	expr, err := expression.NewBuilder().WithKeyCondition(kc).Build()
	if err != nil {
		return nil, err
	}
	keys, err := b.query(ctx, &dynamodb.QueryInput{TableName: &b.table, IndexName: aws.String(name),
		KeyConditionExpression: expr.KeyCondition(), ExpressionAttributeNames: expr.Names(),
		ExpressionAttributeValues: expr.Values()}, limit)
	if err != nil {
		return nil, err
	}
	// The indexes project keys only (TableDefinition): each entry's item is read from the table.
	return core.ReadIndexed(ctx, keys, idx, pk, skBelow, func(ctx context.Context, pk, sk string) (*core.Item, error) {
		return b.get(ctx, pk, sk, false)
	})
}

// query pages through a Query until the end or limit items (limit <= 0: all).
func (b *backend) query(ctx context.Context, in *dynamodb.QueryInput, limit int) ([]core.Item, error) {
	var out []core.Item
	for {
		if limit > 0 {
			in.Limit = aws.Int32(int32(limit - len(out)))
		}
		page, err := b.c.sdk().Query(ctx, in)
		if err != nil {
			return nil, err
		}
		for _, m := range page.Items {
			it, err := fromAV(m)
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

func condition(p core.Put) (*expression.Expression, error) {
	var c expression.ConditionBuilder
	switch p.Cond {
	case core.CondNone:
		return nil, nil
	case core.CondNotExists:
		c = expression.AttributeNotExists(expression.Name(AttrPK))
	case core.CondNotExistsOrExpired:
		c = expression.AttributeNotExists(expression.Name(AttrPK)).Or(
			expression.Name(TTLAttribute).LessThanEqual(expression.Value(p.Now)))
	case core.CondVersion:
		c = expression.Name(AttrVersion).Equal(expression.Value(p.Version))
	default:
		return nil, fmt.Errorf("dynamo: unknown condition %d", p.Cond)
	}
	e, err := expression.NewBuilder().WithCondition(c).Build()
	return &e, err
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

// Delete is Write with deletes (core.CondDelete), always one transaction: the retention job's alone
// (store.Retention; IAM dynamodb:DeleteItem per deleted item, its role's alone).
func (b *backend) Delete(ctx context.Context, puts []core.Put) error { return b.transact(ctx, puts) }

// toPut is p as a put with its condition.
func (b *backend) toPut(p core.Put) (*types.Put, error) {
	av, err := toAV(p.Item)
	if err != nil {
		return nil, err
	}
	tp := &types.Put{TableName: &b.table, Item: av}
	e, err := condition(p)
	if err != nil {
		return nil, err
	}
	if e != nil {
		tp.ConditionExpression, tp.ExpressionAttributeNames, tp.ExpressionAttributeValues = e.Condition(), e.Names(), e.Values()
	}
	return tp, nil
}

// transact writes puts (and deletes) in one TransactWriteItems, sent again while a transaction conflict
// cancels it (core.RetryConflicts).
func (b *backend) transact(ctx context.Context, puts []core.Put) error {
	in := &dynamodb.TransactWriteItemsInput{}
	for _, p := range puts {
		if p.Cond == core.CondDelete {
			in.TransactItems = append(in.TransactItems, types.TransactWriteItem{Delete: &types.Delete{TableName: &b.table, Key: key(p.Item.PK, p.Item.SK)}})
			continue
		}
		tp, err := b.toPut(p)
		if err != nil {
			return err
		}
		in.TransactItems = append(in.TransactItems, types.TransactWriteItem{Put: tp})
	}
	return core.RetryConflicts(ctx, func() (bool, error) {
		_, err := b.c.sdk().TransactWriteItems(ctx, in)
		var tc *types.TransactionCanceledException
		if !errors.As(err, &tc) {
			return false, err
		}
		codes := make([]string, len(tc.CancellationReasons))
		for i, r := range tc.CancellationReasons {
			codes[i] = aws.ToString(r.Code)
		}
		cond, conflicted := core.Cancelled(codes)
		if cond != nil {
			return false, cond
		}
		return conflicted, err
	})
}

func (b *backend) putOne(ctx context.Context, p core.Put) error {
	tp, err := b.toPut(p)
	if err != nil {
		return err
	}
	in := &dynamodb.PutItemInput{TableName: tp.TableName, Item: tp.Item, ConditionExpression: tp.ConditionExpression,
		ExpressionAttributeNames: tp.ExpressionAttributeNames, ExpressionAttributeValues: tp.ExpressionAttributeValues}
	return core.RetryConflicts(ctx, func() (bool, error) {
		_, err := b.c.sdk().PutItem(ctx, in)
		var ccf *types.ConditionalCheckFailedException
		if errors.As(err, &ccf) {
			return false, &core.CondFailedError{Index: 0}
		}
		var tc *types.TransactionConflictException
		return errors.As(err, &tc), err
	})
}

// Refused implements core.Refusals: DynamoDB answered the write with a 4xx (a validation error, a transaction
// cancelled for any reason, throttling), so nothing of it was applied; a 5xx, a timeout or no answer is an
// unknown outcome, and so is TransactionInProgressException (an earlier attempt of the same transaction is
// still being applied).
func (*backend) Refused(err error) bool {
	var re interface{ HTTPStatusCode() int }
	if !errors.As(err, &re) || re.HTTPStatusCode() < 400 || re.HTTPStatusCode() >= 500 {
		return false
	}
	var ae smithy.APIError
	return !errors.As(err, &ae) || ae.ErrorCode() != core.TransactionInProgress
}

func (b *backend) Increment(ctx context.Context, pk, sk string) (int64, error) {
	upd := expression.Add(expression.Name(AttrVersion), expression.Value(1))
	e, err := expression.NewBuilder().WithUpdate(upd).Build()
	if err != nil {
		return 0, err
	}
	out, err := b.c.sdk().UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: &b.table, Key: key(pk, sk),
		UpdateExpression: e.Update(), ExpressionAttributeNames: e.Names(), ExpressionAttributeValues: e.Values(),
		ReturnValues: types.ReturnValueUpdatedNew})
	if err != nil {
		return 0, err
	}
	var n int64
	if err := attributevalue.Unmarshal(out.Attributes[AttrVersion], &n); err != nil {
		return 0, err
	}
	return n, nil
}

func (b *backend) Close() error { return nil }

// OperationName extracts the DynamoDB operation from a request's X-Amz-Target header
// ("DynamoDB_20120810.TransactWriteItems" → "TransactWriteItems"); tests count requests with it.
func OperationName(r *http.Request) string {
	t := r.Header.Get("X-Amz-Target")
	if i := strings.LastIndexByte(t, '.'); i >= 0 {
		return t[i+1:]
	}
	return t
}
