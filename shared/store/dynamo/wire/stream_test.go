package wire

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/internal/streamtest"
	"github.com/safeguarding/mash/shared/internal/testkit"
	"github.com/safeguarding/mash/shared/notify"
	notifyfolder "github.com/safeguarding/mash/shared/notify/folder"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/store/dynamo"
	"github.com/safeguarding/mash/shared/store/storetest"
	"github.com/safeguarding/mash/shared/tablestream"
	"github.com/safeguarding/mash/shared/workflow"
)

// streamRig is a fresh table whose store sends by the stream (SendByStream, as every function is deployed), its
// clock, and a reader of the table's stream from DynamoDB Local through the real Streams client.
func streamRig(t *testing.T) (*Store, *storetest.Clock, *streamtest.Reader) {
	t.Helper()
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
	return s, clk, stream
}

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
	s, clk, stream := streamRig(t)
	dir := t.TempDir()
	folder := notifyfolder.Sender{Dir: dir}
	flaky := &failOnce{Sender: folder}
	d := &notify.Dispatcher{Store: s, Sender: folder, Now: clk.Now, Stream: true,
		Policies: func(a domain.AuthorityID) (*policy.Policy, error) { return policy.Load(string(a)) }}
	sender := tablestream.Handler{Consumers: []tablestream.Consumer{notify.StreamSender{Dispatcher: d, Decode: StreamNotifications}}}
	sent := func() int { return len(testkit.OutboxMessages(t, dir)) }
	pending := func() int {
		t.Helper()
		ns, err := s.PendingNotifications(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		return len(ns)
	}
	next := func(want int) tablestream.Event {
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
	// The change's two messages are one item: one record (docs/cost.md "The messages of one change kept in one
	// item").
	if res, err := sender.Handle(ctx, next(1)); err != nil || len(res.BatchItemFailures) != 0 {
		t.Fatalf("stream batch: %v %+v", err, res)
	}
	ns, err := s.ListNotifications(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range ns {
		if n.SentAt.IsZero() || n.Version != 2 {
			t.Errorf("%s not marked sent in one write of its item: version %d", n.ID, n.Version)
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
	bad := tablestream.Record{EventName: "INSERT"}
	bad.DynamoDB.SequenceNumber = "0"
	bad.DynamoDB.NewImage = json.RawMessage(`{"pk":{"S":"contact#x"},"sk":{"S":"notif#x"},"z":{"B":"AAAA"}}`)
	res, err := sender.Handle(ctx, tablestream.Event{Records: append([]tablestream.Record{bad}, ev.Records...)})
	if err != nil || len(res.BatchItemFailures) != 1 || res.BatchItemFailures[0].ItemIdentifier != "0" || sent() != 3 {
		t.Fatalf("a bad record: %v %+v, %d sent; want it reported and nothing after it sent", err, res, sent())
	}
	if res, err := sender.Handle(ctx, ev); err != nil || len(res.BatchItemFailures) != 0 || sent() != 4 {
		t.Fatalf("the retry from the good record: %v %+v, %d sent", err, res, sent())
	}
}

// failNth is SES refusing the nth message it is given (from 1; 0: none), sending the others; sent lists the
// subjects of those it sent, in order, one line per send (a message sent twice is there twice).
type failNth struct {
	notify.Sender
	n, seen int
	sent    []string
}

func (f *failNth) Send(ctx context.Context, n store.Notification, replyTo string) (string, error) {
	if f.seen++; f.seen == f.n {
		return "", errors.New("Throttling")
	}
	f.sent = append(f.sent, n.Subject)
	return f.Sender.Send(ctx, n, replyTo)
}

// docs/cost.md "The messages of one change kept in one item": the three messages one change queues (a rating's
// three partner checks) are one item and one stream record. The stream's sender sends each once from the image
// and records them with one write of the item (all sent: each at version 2). When one of them fails, that same
// write marks the two sent and counts the failure, which puts the item on the pending list: the sweep's
// FlushPending sends only the failed one, and the two sent are not sent again. Neither write is a new record.
func TestOutboxSentFromTheStream_AChangesMessagesOneRecord_OneWrite_AFailedOneAloneToTheSweep(t *testing.T) {
	ctx := context.Background()
	s, clk, stream := streamRig(t)
	dir := t.TempDir()
	ses := &failNth{Sender: notifyfolder.Sender{Dir: dir}}
	d := &notify.Dispatcher{Store: s, Sender: ses, Now: clk.Now, Stream: true,
		Policies: func(a domain.AuthorityID) (*policy.Policy, error) { return policy.Load(string(a)) }}
	sender := tablestream.Handler{Consumers: []tablestream.Consumer{notify.StreamSender{Dispatcher: d, Decode: StreamNotifications}}}
	files := func() []string {
		out := slices.Clone(ses.sent)
		slices.Sort(out)
		return out
	}
	next := func(want int) tablestream.Event {
		t.Helper()
		ev, err := stream.Next(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(ev.Records) != want {
			t.Fatalf("the stream gave %d new records, want %d", len(ev.Records), want)
		}
		return ev
	}
	c := storetest.NewContact("hackney", "Ada", "Batch", domain.Date{Y: 2018, M: 3, D: 1}, storetest.T0)
	if err := s.CreateContact(ctx, c, store.IdempotencyKey{}, store.AuditEvent{Actor: "intake-api", Action: "contact.created"}); err != nil {
		t.Fatal(err)
	}
	next(0)
	queue := func(round string) []store.Notification {
		t.Helper()
		var ns []store.Notification
		for _, a := range []string{"police", "health", "education"} {
			ns = append(ns, store.Notification{ID: string(c.ID) + "#check-request#" + a + "-" + round, Kind: "check-request",
				Authority: "hackney", To: []string{a + "@agency.example"}, Subject: round + " " + a, Text: "Please tell us what you know."})
		}
		if _, err := s.ChangeContact(ctx, c.ID, func(*domain.Contact) (store.Change, error) {
			return store.Change{Events: []store.AuditEvent{{Actor: "partner-checks", Action: "check.requested"}}, Outbox: ns}, nil
		}); err != nil {
			t.Fatal(err)
		}
		return ns
	}
	versions := func(round string) map[string]int64 {
		t.Helper()
		ns, err := s.ListNotifications(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]int64{}
		for _, n := range ns {
			if strings.HasSuffix(n.ID, "-"+round) {
				if len(n.Batch) != 3 {
					t.Fatalf("%s: batch %v, want the change's three", n.ID, n.Batch)
				}
				if !n.SentAt.IsZero() {
					out[strings.TrimSuffix(strings.TrimPrefix(n.ID, string(c.ID)+"#check-request#"), "-"+round)] = n.Version
				}
			}
		}
		return out
	}

	// All three go: one write of their item marks them.
	queue("r1")
	if res, err := sender.Handle(ctx, next(1)); err != nil || len(res.BatchItemFailures) != 0 {
		t.Fatalf("stream batch: %v %+v", err, res)
	}
	if got := versions("r1"); len(got) != 3 || got["police"] != 2 || got["health"] != 2 || got["education"] != 2 {
		t.Fatalf("sent, by version: %v; want all three marked in one write (version 2)", got)
	}
	if got := files(); len(got) != 3 {
		t.Fatalf("sent %v, want the three", got)
	}
	next(0) // the mark is no new record

	// The second of three fails: the two others are marked and the failure counted in one write.
	ses.seen, ses.n = 0, 2
	queue("r2")
	if res, err := sender.Handle(ctx, next(1)); err != nil || len(res.BatchItemFailures) != 0 {
		t.Fatalf("a failed send is the outbox's to retry, not the batch's: %v %+v", err, res)
	}
	got := versions("r2")
	if len(got) != 2 || len(files()) != 5 {
		t.Fatalf("after one of three failed: sent %v, %d files; want two marked, five sent in all", got, len(files()))
	}
	for a, v := range got {
		if v != 2 {
			t.Fatalf("%s marked at version %d: want the one write (2)", a, v)
		}
	}
	pend, err := s.PendingNotifications(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(pend) != 1 || pend[0].Attempts != 1 || !pend[0].SentAt.IsZero() {
		t.Fatalf("pending %+v: want only the failed message", pend)
	}
	next(0) // the failure counted is no new record
	before := files()
	if n, err := d.FlushPending(ctx, 0); err != nil || n != 1 {
		t.Fatalf("the sweep sent %d (%v), want the failed one", n, err)
	}
	after := files()
	if len(after) != 6 || !slices.Contains(after, pend[0].Subject) || slices.Contains(before, pend[0].Subject) {
		t.Fatalf("the sweep sent %v after %v: want only the failed one, once", after, before)
	}
	if p, _ := s.PendingNotifications(ctx, 0); len(p) != 0 {
		t.Fatalf("%d pending after the sweep", len(p))
	}
	if got := versions("r2"); len(got) != 3 {
		t.Fatalf("after the sweep: %v sent, want three", got)
	}
	next(0)
}

// tasks is Step Functions' task-token API refusing the first call (throttled), then recording each token told.
type tasks struct {
	failed bool
	told   []string
}

func (k *tasks) SendTaskSuccess(_ context.Context, token string, _ json.RawMessage) error {
	if !k.failed {
		k.failed = true
		return errors.New("ThrottlingException")
	}
	k.told = append(k.told, token)
	return nil
}

func (k *tasks) SendTaskFailure(ctx context.Context, token, _, _ string) error {
	return k.SendTaskSuccess(ctx, token, nil)
}

// docs/cost.md "Completions told from the table's stream": with SendByStream, a completion a person's action
// owes the workflow is kept on its wait's tray item off the completer's pending list, and the stream (read from
// DynamoDB Local through the real Streams client) hands the tray item's change to workflow.StreamCompleter,
// which tells the wait once — where the completion first appears, not again when it is marked done — and ends
// the completion. A tell that fails is counted, which puts the completion on the pending list, where the
// sweep's Drain tells it; the stream does not tell it again.
func TestCompletionsToldFromTheStream_EachOnce_AFailedTellToTheSweep(t *testing.T) {
	ctx := context.Background()
	s, clk, stream := streamRig(t)
	k := &tasks{}
	completer := workflow.Completer{Store: s, Tasks: k, Now: clk.Now}
	handler := tablestream.Handler{Consumers: []tablestream.Consumer{workflow.StreamCompleter{Completer: completer, Decode: StreamCompletion}}}
	pending := func() int {
		t.Helper()
		cps, err := s.PendingCompletions(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		return len(cps)
	}
	run := func() {
		t.Helper()
		ev, err := stream.Next(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if res, err := handler.Handle(ctx, ev); err != nil || len(res.BatchItemFailures) != 0 {
			t.Fatalf("stream batch: %v %+v", err, res)
		}
	}

	c := storetest.NewContact("hackney", "Ada", "Waits", domain.Date{Y: 2018, M: 3, D: 1}, storetest.T0)
	if err := s.CreateContact(ctx, c, store.IdempotencyKey{}, store.AuditEvent{Actor: "intake-api", Action: "contact.created"}); err != nil {
		t.Fatal(err)
	}
	owe := func(item, token string) {
		t.Helper()
		w, err := s.PutTrayItem(ctx, store.TrayItem{ID: item, Tray: string(domain.TrayRating), Authority: "hackney", ContactID: c.ID,
			DueAt: storetest.T0.Add(time.Hour), TaskToken: token})
		if err != nil {
			t.Fatal(err)
		}
		run() // the wait's tray item put: nothing to tell
		if _, err := s.ChangeContact(ctx, c.ID, func(*domain.Contact) (store.Change, error) {
			return store.Change{Events: []store.AuditEvent{{Actor: "manager-1", Action: "contact.rated"}},
				Completions: []store.Completion{{ID: item, Tray: w.Tray, TaskToken: token, By: "manager-1", Output: json.RawMessage(`{}`), Wait: &w}}}, nil
		}); err != nil {
			t.Fatal(err)
		}
		if n := pending(); n != 0 {
			t.Fatalf("%d completions on the pending list before a tell failed, want 0", n)
		}
	}

	// The first tell fails: counted, on the pending list for the sweep; the stream does not tell it again.
	owe(string(c.ID)+"#rating", "token-1")
	run()
	if len(k.told) != 0 || pending() != 1 {
		t.Fatalf("after a failed tell: told %v, %d pending; want none told, 1 pending", k.told, pending())
	}
	run() // its failure counted is a change of the tray item: not a new completion
	if len(k.told) != 0 {
		t.Fatalf("the stream told a completion whose tell had failed again: %v", k.told)
	}
	if r, err := completer.Drain(ctx, 0); err != nil || r.Acknowledged != 1 || pending() != 0 {
		t.Fatalf("the sweep's drain: %+v %v, %d pending", r, err, pending())
	}

	// The next is told by the stream at once, once, and ended. Until then its tray item says the workflow is
	// still owed it (the SLA sweep does not take the contact for stuck).
	owe(string(c.ID)+"#decision", "token-2")
	if it, err := s.GetTrayItem(ctx, string(c.ID)+"#decision"); err != nil || !it.Owed || it.CompletedAt.IsZero() {
		t.Fatalf("the closed wait before its completion is told: %+v %v, want Owed", it, err)
	}
	run()
	if it, err := s.GetTrayItem(ctx, string(c.ID)+"#decision"); err != nil || it.Owed {
		t.Fatalf("the wait after its completion was told: %+v %v, want not Owed", it, err)
	}
	run() // its end is a change of the tray item: not told again
	if want := []string{"token-1", "token-2"}; !slices.Equal(k.told, want) {
		t.Fatalf("told %v, want %v", k.told, want)
	}
	// Both ended: their waits' items are no longer owed, and each refuses a further attempt as done.
	for _, id := range []string{string(c.ID) + "#rating", string(c.ID) + "#decision"} {
		if it, err := s.GetTrayItem(ctx, id); err != nil || it.Owed {
			t.Errorf("the wait %s after its completion was told: %+v %v, want not Owed", id, it, err)
		}
		if _, err := s.CompletionFailed(ctx, c.ID, id, "ServiceUnavailable"); domain.ErrorCode(err) != domain.CodeConflict {
			t.Errorf("completion %s not ended: a further attempt gave %v, want conflict", id, err)
		}
	}
	if pending() != 0 {
		t.Fatalf("%d pending, want 0", pending())
	}
}
