package notify

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/tablestream"
)

// StreamSender sends the outbox from the table's stream (AWS: functions/outbox, template.yaml's OutboxFunction
// on the table's stream): each message a write queued is sent once its write has committed, from the item as
// written (no read), and marked sent from that copy (MarkSentLoaded). It is the outbox's sender where the store
// leaves queued messages off the pending list (store.SendByStream) and the steps' flushes send nothing
// (Dispatcher.Stream); docs/cost.md "The outbox sent from the table's stream".
//
// A send that fails is counted on the message (Dispatcher: RecordSendFailure), which puts it on the pending
// list, where the SLA sweep's FlushPending sends it again, and at worst makes it undeliverable, as before;
// the record is done. A record that cannot be done (the store failing to record a send or a failure, an image
// that does not read) is an error: tablestream.Handler reports it, with every record after it, for Lambda to
// retry (bisecting, then to the on-failure destination, which is alarmed): nothing is dropped unseen. A message
// already sent or undeliverable in its image is not sent again.
type StreamSender struct {
	Dispatcher *Dispatcher
	// Decode reads the messages of a record's NewImage (one, or the several one change queued, kept in one
	// item); ok false: the item is not a message (skipped). Production: wire.StreamNotifications.
	Decode func(image json.RawMessage) (ns []store.Notification, ok bool, err error)
}

// Record sends the messages a record inserts (tablestream.Consumer), each once, and records them with one write
// of their item (Dispatcher.sendAll: store.RecordSends): all sent, or the sent ones marked and a failed one
// counted, which puts the item on the pending list, where the sweep sends only the unsent ones.
func (s StreamSender) Record(ctx context.Context, r tablestream.Record) error {
	if r.EventName != "INSERT" || len(r.DynamoDB.NewImage) == 0 {
		return nil // a message marked sent or failed, or expired, or another item: nothing new to send
	}
	ns, ok, err := s.Decode(r.DynamoDB.NewImage)
	if err != nil {
		return fmt.Errorf("outbox stream: image: %w", err)
	}
	if !ok {
		return nil
	}
	_, err = s.Dispatcher.sendAll(ctx, ns)
	return err
}
