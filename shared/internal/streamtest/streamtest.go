// Package streamtest reads a DynamoDB Local table's stream through the real DynamoDB Streams client and hands
// its records to notify.StreamSender as Lambda's event source mapping hands them to functions/outbox (the same
// JSON), for tests of the outbox sent from the table's stream (docs/cost.md).
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

	"github.com/safeguarding/mash/shared/notify"
	"github.com/safeguarding/mash/shared/store/dynamo"
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
// template.yaml's OutboxFunction filter lets through — a new message: eventName INSERT, sort key beginning
// "notif#" — in the event Lambda would deliver.
func (r *Reader) Next(ctx context.Context) (notify.StreamEvent, error) {
	var ev notify.StreamEvent
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
				sk, _ := rec.Dynamodb.Keys["sk"].(*types.AttributeValueMemberS)
				if rec.EventName != types.OperationTypeInsert || sk == nil || !strings.HasPrefix(sk.Value, "notif#") {
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

// record is rec as Lambda's event carries it: DynamoDB JSON, binary as base64.
func record(rec types.Record) (notify.StreamRecord, error) {
	var sr notify.StreamRecord
	sr.EventName = string(rec.EventName)
	sr.DynamoDB.SequenceNumber = aws.ToString(rec.Dynamodb.SequenceNumber)
	if rec.Dynamodb.NewImage == nil {
		return sr, nil
	}
	img := map[string]map[string]string{}
	for name, v := range rec.Dynamodb.NewImage {
		switch v := v.(type) {
		case *types.AttributeValueMemberS:
			img[name] = map[string]string{"S": v.Value}
		case *types.AttributeValueMemberN:
			img[name] = map[string]string{"N": v.Value}
		case *types.AttributeValueMemberB:
			img[name] = map[string]string{"B": base64.StdEncoding.EncodeToString(v.Value)}
		default:
			return sr, fmt.Errorf("streamtest: attribute %s of type %T", name, v)
		}
	}
	b, err := json.Marshal(img)
	sr.DynamoDB.NewImage = b
	return sr, err
}
