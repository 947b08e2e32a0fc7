// Package streamtest reads a DynamoDB Local table's stream through the real DynamoDB Streams client and hands
// its records as Lambda's event source mapping hands them to functions/outbox (the same JSON, through the same
// filter), for tests of the outbox and the completions sent from the table's stream (docs/cost.md).
package streamtest

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"

	"github.com/safeguarding/mash/shared/store/dynamo"
	"github.com/safeguarding/mash/shared/tablestream"
)

// Reader reads a table's stream from its start, each record once.
type Reader struct {
	c    *dynamodbstreams.Client
	arn  string
	last map[string]string // shard id → the last sequence number read
}

// New returns a Reader of table's stream (the table must have one: dynamo.TableDefinition enables it).
func New(ctx context.Context, endpoint string, db *dynamodb.Client, table string) (*Reader, error) {
	out, err := db.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(table)})
	if err != nil {
		return nil, err
	}
	if out.Table.LatestStreamArn == nil {
		return nil, fmt.Errorf("streamtest: table %s has no stream", table)
	}
	c := dynamodbstreams.New(dynamodbstreams.Options{
		Region:       dynamo.Region,
		BaseEndpoint: aws.String(endpoint),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "local", SecretAccessKey: "local"}, nil
		}),
	})
	return &Reader{c: c, arn: *out.Table.LatestStreamArn, last: map[string]string{}}, nil
}

// Next returns the records written since the last call (from the stream's start the first time) that
// template.yaml's OutboxFunction filter lets through (Passes), in the event Lambda would deliver.
func (r *Reader) Next(ctx context.Context) (tablestream.Event, error) {
	var ev tablestream.Event
	d, err := r.c.DescribeStream(ctx, &dynamodbstreams.DescribeStreamInput{StreamArn: aws.String(r.arn)})
	if err != nil {
		return ev, err
	}
	for _, sh := range d.StreamDescription.Shards {
		in := &dynamodbstreams.GetShardIteratorInput{StreamArn: aws.String(r.arn), ShardId: sh.ShardId,
			ShardIteratorType: types.ShardIteratorTypeTrimHorizon}
		if seq, ok := r.last[*sh.ShardId]; ok {
			in.ShardIteratorType, in.SequenceNumber = types.ShardIteratorTypeAfterSequenceNumber, aws.String(seq)
		}
		it, err := r.c.GetShardIterator(ctx, in)
		if err != nil {
			return ev, err
		}
		for iter := it.ShardIterator; iter != nil; {
			out, err := r.c.GetRecords(ctx, &dynamodbstreams.GetRecordsInput{ShardIterator: iter})
			if err != nil {
				return ev, err
			}
			for _, rec := range out.Records {
				r.last[*sh.ShardId] = aws.ToString(rec.Dynamodb.SequenceNumber)
				pk, _ := rec.Dynamodb.Keys["pk"].(*types.AttributeValueMemberS)
				sk, _ := rec.Dynamodb.Keys["sk"].(*types.AttributeValueMemberS)
				if pk == nil || sk == nil || !Passes(string(rec.EventName), pk.Value, sk.Value) {
					continue
				}
				sr, err := record(rec)
				if err != nil {
					return ev, err
				}
				ev.Records = append(ev.Records, sr)
			}
			if len(out.Records) == 0 {
				break // caught up (an open shard's iterator never ends)
			}
			iter = out.NextShardIterator
		}
	}
	return ev, nil
}

// Passes is template.yaml's OutboxFunction FilterCriteria: a new message (INSERT, sort key notif#…), a tray
// item changed (MODIFY, partition trayitem#…: a close may carry a completion), a rating's or decision's wait
// item changed (MODIFY, sort key wait#…: kept in its contact's partition), a check record changed (MODIFY,
// sort key check#…: the record keeps its item on the checks tray, whose close may carry one) or a completion of
// its own written (INSERT, sort key completion#…).
func Passes(event, pk, sk string) bool {
	switch event {
	case string(types.OperationTypeInsert):
		return strings.HasPrefix(sk, "notif#") || strings.HasPrefix(sk, "completion#")
	case string(types.OperationTypeModify):
		return strings.HasPrefix(pk, "trayitem#") || strings.HasPrefix(sk, "wait#") || strings.HasPrefix(sk, "check#")
	}
	return false
}

// record is rec as Lambda's event carries it: DynamoDB JSON, binary as base64.
func record(rec types.Record) (tablestream.Record, error) {
	var sr tablestream.Record
	sr.EventName = string(rec.EventName)
	sr.DynamoDB.SequenceNumber = aws.ToString(rec.Dynamodb.SequenceNumber)
	var err error
	if sr.DynamoDB.NewImage, err = image(rec.Dynamodb.NewImage); err != nil {
		return sr, err
	}
	sr.DynamoDB.OldImage, err = image(rec.Dynamodb.OldImage)
	return sr, err
}

func image(m map[string]types.AttributeValue) (json.RawMessage, error) {
	if m == nil {
		return nil, nil
	}
	img := map[string]map[string]string{}
	for name, v := range m {
		switch v := v.(type) {
		case *types.AttributeValueMemberS:
			img[name] = map[string]string{"S": v.Value}
		case *types.AttributeValueMemberN:
			img[name] = map[string]string{"N": v.Value}
		case *types.AttributeValueMemberB:
			img[name] = map[string]string{"B": base64.StdEncoding.EncodeToString(v.Value)}
		default:
			return nil, fmt.Errorf("streamtest: attribute %s of type %T", name, v)
		}
	}
	return json.Marshal(img)
}
