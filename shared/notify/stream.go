package notify

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/safeguarding/mash/shared/store"
)

// StreamEvent is a batch of DynamoDB stream records as Lambda delivers it (the fields StreamSender reads).
type StreamEvent struct {
	Records []StreamRecord `json:"Records"`
}

// StreamRecord is one stream record: what happened to which item, and the item as written.
type StreamRecord struct {
	EventName string `json:"eventName"` // INSERT, MODIFY, REMOVE
	DynamoDB  struct {
		NewImage       json.RawMessage `json:"NewImage,omitempty"`
		SequenceNumber string          `json:"SequenceNumber"`
	} `json:"dynamodb"`
}

// StreamResponse is the partial batch response (the event source mapping's ReportBatchItemFailures): the
// first record not done, by sequence number. Lambda retries the batch from that record on, so the records
// after it are left for the retry, unsent.
type StreamResponse struct {
	BatchItemFailures []StreamFailure `json:"batchItemFailures"`
}

// StreamFailure names a record to retry.
type StreamFailure struct {
	ItemIdentifier string `json:"itemIdentifier"`
}

// StreamSender sends the outbox from the table's stream (AWS: functions/outbox, template.yaml's OutboxFunction
// on the table's stream, filtered to new messages): each message a write queued is sent once its write has
// committed, from the item as written (no read), and marked sent from that copy (MarkSentLoaded). It is the
// outbox's sender where the store leaves queued messages off the pending list (store.SendByStream) and the
// steps' flushes send nothing (Dispatcher.Stream); docs/cost.md "The outbox sent from the table's stream".
//
// A send that fails is counted on the message (Dispatcher: RecordSendFailure), which puts it on the pending
// list, where the SLA sweep's FlushPending sends it again, and at worst makes it undeliverable, as before;
// the record is done. A record that cannot be done (the store failing to record a send or a failure, an image
// that does not read) is reported with every record after it for Lambda to retry (bisecting, then to the
// on-failure destination, which is alarmed): nothing is dropped unseen. A message already sent or
// undeliverable in its image is not sent again.
type StreamSender struct {
	Dispatcher *Dispatcher
	// Decode reads a message from a record's NewImage; ok false: the item is not a message (skipped).
	// Production: wire.StreamNotification.
	Decode func(image json.RawMessage) (n store.Notification, ok bool, err error)
}

// Handle sends the new messages of a batch, in order, and stops at the first record it cannot finish.
func (s StreamSender) Handle(ctx context.Context, ev StreamEvent) (StreamResponse, error) {
	for _, r := range ev.Records {
		if err := s.record(ctx, r); err != nil {
			s.Dispatcher.log().ErrorContext(ctx, "outbox stream record not done; retried from it", "sequence", r.DynamoDB.SequenceNumber, "error", errorCode(err))
			return StreamResponse{BatchItemFailures: []StreamFailure{{ItemIdentifier: r.DynamoDB.SequenceNumber}}}, nil
		}
	}
	return StreamResponse{}, nil
}

func (s StreamSender) record(ctx context.Context, r StreamRecord) error {
	if r.EventName != "INSERT" || len(r.DynamoDB.NewImage) == 0 {
		return nil // a message marked sent or failed, or expired: nothing new to send
	}
	n, ok, err := s.Decode(r.DynamoDB.NewImage)
	if err != nil {
		return fmt.Errorf("outbox stream: image: %w", err)
	}
	if !ok {
		return nil
	}
	_, err = s.Dispatcher.sendAll(ctx, []store.Notification{n})
	return err
}
