// Package tablestream runs the consumers of the table's DynamoDB stream (AWS: functions/outbox, the event source
// mapping of template.yaml's OutboxFunction): the outbox's sender (notify.StreamSender: every new message) and
// the completer (workflow.StreamCompleter: every completion a person's action owes the workflow). docs/cost.md
// "The outbox sent from the table's stream".
package tablestream

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
)

// Event is a batch of stream records as Lambda delivers it (the fields the consumers read).
type Event struct {
	Records []Record `json:"Records"`
}

// Record is one stream record: what happened to which item, and the item after and before it (the stream's
// view is NEW_AND_OLD_IMAGES; OldImage is empty for a new item).
type Record struct {
	EventName string `json:"eventName"` // INSERT, MODIFY, REMOVE
	DynamoDB  struct {
		NewImage       json.RawMessage `json:"NewImage,omitempty"`
		OldImage       json.RawMessage `json:"OldImage,omitempty"`
		SequenceNumber string          `json:"SequenceNumber"`
	} `json:"dynamodb"`
}

// Response is the partial batch response (the event source mapping's ReportBatchItemFailures): the first
// record not done, by sequence number. Lambda retries the batch from that record on, so the records after it
// are left for the retry, undone.
type Response struct {
	BatchItemFailures []Failure `json:"batchItemFailures"`
}

// Failure names a record to retry.
type Failure struct {
	ItemIdentifier string `json:"itemIdentifier"`
}

// Consumer does what a record asks of it (nothing, for a record that is not its own). An error means the record
// is not done and must be given again; a failure the consumer has recorded for its own retry (a send that failed,
// counted on the message) is no error.
type Consumer interface {
	Record(ctx context.Context, r Record) error
}

// Handler gives each record, in order, to every consumer, and stops at the first record a consumer could not
// finish: it is reported, and it and the records after it are given again (the consumers are idempotent on
// a record given twice only as far as a send that succeeded and was not recorded goes again: at least once).
type Handler struct {
	Consumers []Consumer
	Log       *slog.Logger
}

// Handle runs the batch.
func (h Handler) Handle(ctx context.Context, ev Event) (Response, error) {
	for _, r := range ev.Records {
		for _, c := range h.Consumers {
			if err := c.Record(ctx, r); err != nil {
				if h.Log != nil {
					h.Log.ErrorContext(ctx, "stream record not done; retried from it", "sequence", r.DynamoDB.SequenceNumber, "error", errorCode(err))
				}
				return Response{BatchItemFailures: []Failure{{ItemIdentifier: r.DynamoDB.SequenceNumber}}}, nil
			}
		}
	}
	return Response{}, nil
}

// errorCode names an error by its code when it has one (an AWS error's message can carry an address).
func errorCode(err error) string {
	var api interface{ ErrorCode() string }
	if errors.As(err, &api) {
		return api.ErrorCode()
	}
	return err.Error()
}
