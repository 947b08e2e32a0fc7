package wire

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/internal/streamtest"
	"github.com/safeguarding/mash/shared/internal/testkit"
	"github.com/safeguarding/mash/shared/notify"
	notifyfolder "github.com/safeguarding/mash/shared/notify/folder"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/store/dynamo"
	"github.com/safeguarding/mash/shared/store/storetest"
)

// failOnce is SES refusing the first message it is given, then sending.
type failOnce struct {
	notify.Sender
	failed bool
}

func (f *failOnce) Send(ctx context.Context, n store.Notification, replyTo string) (string, error) {
	if !f.failed {
		f.failed = true
		return "", errors.New("Throttling")
	}
	return f.Sender.Send(ctx, n, replyTo)
}

// docs/cost.md "The outbox sent from the table's stream": with the store's SendByStream and the dispatcher's
// Stream (as every function is deployed: OUTBOX_STREAM), a queued message is on no pending list and no step
// sends it; the table's stream, read here from DynamoDB Local through the real Streams client, hands it to
// notify.StreamSender (functions/outbox), which sends it once and marks it sent. A send that fails puts the
// message on the pending list, where the sweep's FlushPending sends it; a record that cannot be read is
// reported, with the records after it left unsent for Lambda's retry.
func TestOutboxSentFromTheStream_EachMessageOnce_AFailedSendToTheSweep(t *testing.T) {
	ctx := context.Background()
	cfg, table := newTable(t, nil)
	clk := storetest.NewClock(storetest.T0)
	s := New(cfg, table, clk.Now)
	s.SendByStream()
	client, err := dynamo.NewClient(ctx, endpoint, nil)
	if err != nil {
		t.Fatal(err)
	}
	stream, err := streamtest.New(ctx, endpoint, client, table)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	folder := notifyfolder.Sender{Dir: dir}
	flaky := &failOnce{Sender: folder}
	d := &notify.Dispatcher{Store: s, Sender: folder, Now: clk.Now, Stream: true,
		Policies: func(a domain.AuthorityID) (*policy.Policy, error) { return policy.Load(string(a)) }}
	sender := notify.StreamSender{Dispatcher: d, Decode: StreamNotification}
	sent := func() int { return len(testkit.OutboxMessages(t, dir)) }
	pending := func() int {
		t.Helper()
		ns, err := s.PendingNotifications(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		return len(ns)
	}
	next := func(want int) notify.StreamEvent {
		t.Helper()
		ev, err := stream.Next(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(ev.Records) != want {
			t.Fatalf("the stream gave %d new messages, want %d", len(ev.Records), want)
		}
		return ev
	}
	msg := func(id string) store.Notification {
		return store.Notification{ID: id, Kind: "acknowledgement", Authority: "hackney", To: []string{"dsl@school.example"}, Subject: "Contact received"}
	}

	c := storetest.NewContact("hackney", "Ada", "Stream", domain.Date{Y: 2018, M: 3, D: 1}, storetest.T0)
	if err := s.CreateContact(ctx, c, store.IdempotencyKey{}, store.AuditEvent{Actor: "intake-api", Action: "contact.created"}); err != nil {
		t.Fatal(err)
	}
	next(0) // the contact's items are no messages
	if _, err := s.ChangeContact(ctx, c.ID, func(*domain.Contact) (store.Change, error) {
		return store.Change{Events: []store.AuditEvent{{Actor: "screening", Action: "contact.screened"}},
			Outbox: []store.Notification{msg("n-1"), msg("n-2")}}, nil
	}); err != nil {
		t.Fatal(err)
	}
	if n := pending(); n != 0 {
		t.Fatalf("%d messages on the pending list before any send failed, want 0", n)
	}
	if n, err := d.Flush(ctx, c.ID); err != nil || n != 0 || sent() != 0 {
		t.Fatalf("the step's flush sent %d (%v, %d files): the stream sends", n, err, sent())
	}
	if res, err := sender.Handle(ctx, next(2)); err != nil || len(res.BatchItemFailures) != 0 {
		t.Fatalf("stream batch: %v %+v", err, res)
	}
	ns, err := s.ListNotifications(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range ns {
		if n.SentAt.IsZero() {
			t.Errorf("%s not marked sent", n.ID)
		}
	}
	if sent() != 2 || len(ns) != 2 {
		t.Fatalf("%d sent, %d queued; want 2 and 2", sent(), len(ns))
	}
	next(0) // marking them sent is no new message

	// A send that fails is counted on the message, which goes on the pending list for the sweep.
	d.Sender = flaky
	n3 := msg("n-3")
	n3.ContactID = c.ID
	if _, err := s.EnqueueNotification(ctx, n3); err != nil {
		t.Fatal(err)
	}
	if res, err := sender.Handle(ctx, next(1)); err != nil || len(res.BatchItemFailures) != 0 {
		t.Fatalf("a failed send is the outbox's to retry, not the batch's: %v %+v", err, res)
	}
	if sent() != 2 || pending() != 1 {
		t.Fatalf("after a failed send: %d sent, %d pending; want 2 and 1", sent(), pending())
	}
	if n, err := d.FlushPending(ctx, 0); err != nil || n != 1 || sent() != 3 || pending() != 0 {
		t.Fatalf("the sweep sent %d (%v): %d sent, %d pending; want 1, 3, 0", n, err, sent(), pending())
	}
	next(0)

	// A record that does not read fails the batch from it on: the message after it is left for the retry.
	n4 := msg("n-4")
	n4.ContactID = c.ID
	if _, err := s.EnqueueNotification(ctx, n4); err != nil {
		t.Fatal(err)
	}
	ev := next(1)
	bad := notify.StreamRecord{EventName: "INSERT"}
	bad.DynamoDB.SequenceNumber = "0"
	bad.DynamoDB.NewImage = json.RawMessage(`{"pk":{"S":"contact#x"},"sk":{"S":"notif#x"},"z":{"B":"AAAA"}}`)
	res, err := sender.Handle(ctx, notify.StreamEvent{Records: append([]notify.StreamRecord{bad}, ev.Records...)})
	if err != nil || len(res.BatchItemFailures) != 1 || res.BatchItemFailures[0].ItemIdentifier != "0" || sent() != 3 {
		t.Fatalf("a bad record: %v %+v, %d sent; want it reported and nothing after it sent", err, res, sent())
	}
	if res, err := sender.Handle(ctx, ev); err != nil || len(res.BatchItemFailures) != 0 || sent() != 4 {
		t.Fatalf("the retry from the good record: %v %+v, %d sent", err, res, sent())
	}
}
