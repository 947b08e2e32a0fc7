package notify_test

import (
	"context"
	"strings"
	"testing"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/notify"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/store/embedded"
)

// listCounting is the embedded store with its ListNotifications calls counted.
type listCounting struct {
	*embedded.Store
	lists int
}

func (s *listCounting) ListNotifications(ctx context.Context, c domain.ContactID) ([]store.Notification, error) {
	s.lists++
	return s.Store.ListNotifications(ctx, c)
}

// Issue #19: the flush right after a contact's own write sends what that write queued as it was written
// (store.Queued), without listing the contact's outbox again — unless a flush of the contact came first with
// the same context (a workflow step inside the write's unit of work, which may have sent those very
// messages): then it lists the outbox, and a message already sent is not sent again.
func TestFlush_AfterTheContactsWrite_SendsWhatItQueuedWithoutListing(t *testing.T) {
	for _, tc := range []struct {
		name         string
		flushFirst   bool // a flush of the contact with the same context before the hand-over
		wantLists    int
		wantSentLast int
	}{
		{name: "handed over, nothing flushed before", wantLists: 0, wantSentLast: 1},
		{name: "a flush of the contact came first", flushFirst: true, wantLists: 2, wantSentLast: 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, t.TempDir())
			counted := &listCounting{Store: r.store}
			r.notifier.Dispatcher.Store = counted
			p := hackney(t)
			c := fixtureContact()
			n, err := r.notifier.Compose(notify.KindAcknowledgement, p, c, nil)
			if err != nil {
				t.Fatal(err)
			}
			written, err := r.store.EnqueueNotification(context.Background(), n) // as the contact's write queues it
			if err != nil {
				t.Fatal(err)
			}
			ctx, q := store.WithQueued(context.Background())
			if tc.flushFirst {
				if sent, err := r.notifier.Dispatcher.Flush(ctx, c.ID); err != nil || sent != 1 {
					t.Fatalf("the first flush = %d, %v; want the message sent", sent, err)
				}
			}
			q.Put(c.ID, []store.Notification{written})
			sent, err := r.notifier.Dispatcher.Flush(ctx, c.ID)
			if err != nil || sent != tc.wantSentLast {
				t.Fatalf("the flush after the write = %d, %v; want %d sent", sent, err, tc.wantSentLast)
			}
			if counted.lists != tc.wantLists {
				t.Errorf("the outbox was listed %d times, want %d", counted.lists, tc.wantLists)
			}
			ns, err := r.store.ListNotifications(context.Background(), c.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(ns) != 1 || ns[0].SentAt.IsZero() || ns[0].Version != 2 {
				t.Fatalf("outbox %+v, want the message sent and marked once (version 2)", ns)
			}
			if files := emlFiles(t, r.sender.Dir); len(files) != 1 {
				t.Errorf("%d files in the outbox folder, want 1", len(files))
			}
			if got := strings.Count(r.logs.String(), `"msg":"notification sent"`); got != 1 {
				t.Errorf("%d sends logged, want 1:\n%s", got, r.logs.String())
			}
			if strings.Contains(r.logs.String(), "sent concurrently") {
				t.Error("the message was sent twice")
			}
			// handed over once: a later flush with the same context lists as always
			before := counted.lists
			if sent, err := r.notifier.Dispatcher.Flush(ctx, c.ID); err != nil || sent != 0 || counted.lists != before+1 {
				t.Errorf("a later flush = %d, %v, %d lists; want nothing sent after one list", sent, err, counted.lists-before)
			}
			r.assertLogsClean(t)
		})
	}
}
