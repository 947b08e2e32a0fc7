package dynamo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Attribute and index names of the single table. template.yaml must use exactly these (a test compares).
const (
	AttrPK      = "pk"
	AttrSK      = "sk"
	AttrGSI1PK  = "gsi1pk"
	AttrGSI1SK  = "gsi1sk"
	AttrGSI2PK  = "gsi2pk"
	AttrGSI2SK  = "gsi2sk"
	AttrGSI3PK  = "gsi3pk"
	AttrVersion = "version"
	AttrDoc     = "doc"
	// TTLAttribute is the table's TimeToLiveSpecification attribute (epoch seconds).
	TTLAttribute = "ttl"

	IndexGSI1 = "gsi1" // children identity; contacts by authority+status
	IndexGSI2 = "gsi2" // queues sorted by time: trays, pending outbox, quarantine
	IndexGSI3 = "gsi3" // a contact by its child's identity (the children index, on the contact); partition key only
)

// TableDefinition is the one definition of the table: keys pk/sk (S), GSIs gsi1 and gsi2 (S/S) and gsi3 (S,
// partition key only), each with projection KEYS_ONLY: an index entry is a few hundred bytes whatever the item's size, and a write that leaves an
// item's index keys alone writes nothing to the index — docs/cost.md), on-demand billing, a stream of new and old images. The tests create their tables from it and template.yaml must match it.
// Encryption (KMS), point-in-time recovery and TTL are set by template.yaml; TTL also by CreateTable.
func TableDefinition(tableName string) *dynamodb.CreateTableInput {
	str := func(n string) types.AttributeDefinition {
		return types.AttributeDefinition{AttributeName: aws.String(n), AttributeType: types.ScalarAttributeTypeS}
	}
	keys := func(h, r string) []types.KeySchemaElement {
		return []types.KeySchemaElement{
			{AttributeName: aws.String(h), KeyType: types.KeyTypeHash},
			{AttributeName: aws.String(r), KeyType: types.KeyTypeRange},
		}
	}
	gsi := func(name, h, r string) types.GlobalSecondaryIndex {
		return types.GlobalSecondaryIndex{IndexName: aws.String(name), KeySchema: keys(h, r),
			Projection: &types.Projection{ProjectionType: types.ProjectionTypeKeysOnly}}
	}
	return &dynamodb.CreateTableInput{
		TableName:   aws.String(tableName),
		BillingMode: types.BillingModePayPerRequest,
		AttributeDefinitions: []types.AttributeDefinition{
			str(AttrPK), str(AttrSK), str(AttrGSI1PK), str(AttrGSI1SK), str(AttrGSI2PK), str(AttrGSI2SK), str(AttrGSI3PK),
		},
		KeySchema: keys(AttrPK, AttrSK),
		GlobalSecondaryIndexes: []types.GlobalSecondaryIndex{
			gsi(IndexGSI1, AttrGSI1PK, AttrGSI1SK),
			gsi(IndexGSI2, AttrGSI2PK, AttrGSI2SK),
			{IndexName: aws.String(IndexGSI3), KeySchema: []types.KeySchemaElement{{AttributeName: aws.String(AttrGSI3PK), KeyType: types.KeyTypeHash}},
				Projection: &types.Projection{ProjectionType: types.ProjectionTypeKeysOnly}},
		},
		// The stream hands every new message and every completion owed to the workflow to functions/outbox
		// (docs/cost.md "The outbox sent from the table's stream"): the item as written and as it was (a
		// completion is told where it first appears on its wait's tray item).
		StreamSpecification: &types.StreamSpecification{StreamEnabled: aws.Bool(true), StreamViewType: types.StreamViewTypeNewAndOldImages},
	}
}

// CreateTable creates the table from TableDefinition (an existing table is left as it is), waits until it
// is active and enables TTL on TTLAttribute. For DynamoDB Local and tests; production uses template.yaml.
func CreateTable(ctx context.Context, client *dynamodb.Client, tableName string) error {
	_, err := client.CreateTable(ctx, TableDefinition(tableName))
	var inUse *types.ResourceInUseException
	if err != nil && !errors.As(err, &inUse) {
		return fmt.Errorf("dynamo: create table: %w", err)
	}
	for i := 0; ; i++ {
		out, err := client.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(tableName)})
		if err != nil {
			return fmt.Errorf("dynamo: describe table: %w", err)
		}
		if out.Table.TableStatus == types.TableStatusActive {
			break
		}
		if i > 300 {
			return fmt.Errorf("dynamo: table %s not active", tableName)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	_, err = client.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{
		TableName:               aws.String(tableName),
		TimeToLiveSpecification: &types.TimeToLiveSpecification{AttributeName: aws.String(TTLAttribute), Enabled: aws.Bool(true)},
	})
	if err != nil && !errors.As(err, new(*types.ResourceInUseException)) {
		var ve interface{ ErrorCode() string }
		// Enabling TTL twice is a ValidationException ("TimeToLive is already enabled"): fine.
		if !errors.As(err, &ve) || ve.ErrorCode() != "ValidationException" {
			return fmt.Errorf("dynamo: enable TTL: %w", err)
		}
	}
	return nil
}
