package intake_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/intake"
	"github.com/safeguarding/mash/shared/store/embedded"
	"github.com/safeguarding/mash/shared/workflow"
)

// failingFirst is a Starter whose first start writes through its context (as a drive writes its steps and
// snapshot) and then fails — an error or a panic — and whose later starts are the suite's own.
type failingFirst struct {
	next  intake.Starter
	execs *embedded.Executions
	fail  func() error
	calls *int
}

func (f failingFirst) Start(ctx context.Context, in workflow.Start) error {
	*f.calls++
	if *f.calls > 1 {
		return f.next.Start(ctx, in)
	}
	if err := f.execs.Save(ctx, "probe-"+string(in.ContactID), embedded.NoDue, []byte(`{}`)); err != nil {
		return err
	}
	return f.fail()
}

// Issue #19: in the local runner a new contact's write and its workflow's first drive commit in one SQLite
// transaction (intake.Service.Unit), one commit instead of two. A first drive that fails or panics inside it
// is rolled back alone: the contact is still written and acknowledged, and its workflow is started again
// after the acknowledgement — nothing of the email is lost and one bad drive stops nothing else. With a
// working drive, the contact and its drive to the first wait are one commit.
func TestIntake_FirstDriveInTheContactsWrite_FailsAloneAndIsStartedAgain(t *testing.T) {
	for name, fail := range map[string]func() error{
		"error": func() error { return errors.New("the drive failed after its writes") },
		"panic": func() error { panic("a handler's bug") },
	} {
		t.Run(name, func(t *testing.T) {
			r := newRig(t, london(t, "2027-03-10 10:00")) // a Wednesday, open
			st := r.suite.Store.(*embedded.Store)
			calls := 0
			svc := r.suite.Intake.Service
			svc.Starter = failingFirst{next: svc.Starter, execs: st.Executions(), fail: fail, calls: &calls}
			res, err := svc.CreateReferral(context.Background(), hackney, goodReferral(), "")
			if err != nil {
				t.Fatal(err)
			}
			if len(res) != 2 || res[0].Status != intake.StatusCreated || res[1].Status != intake.StatusCreated {
				t.Fatalf("results %+v, want two created (the referral's household)", res)
			}
			if calls != 3 {
				t.Errorf("%d starts, want 3 (the first child's failed one in the write, the second child's there, the first's again after its acknowledgement)", calls)
			}
			for _, x := range res {
				if doc, _ := st.Executions().Load(context.Background(), "probe-"+string(x.ContactID)); doc != nil {
					t.Error("the failed drive's write was committed")
				}
				if c := r.contact(x.ContactID); c.Status != domain.StatusAwaitingRating {
					t.Errorf("contact %s, want awaiting-rating (its workflow started)", c.Status)
				}
				r.assertOneAck(x.ContactID)
			}
			if !strings.Contains(r.logs.String(), "workflow not started with the contact's write") {
				t.Error("the failed first drive is not logged")
			}
		})
	}
}

// The maildrop path of `mash run` with the suite's own starter: each new contact and its drive to the first
// wait are one commit, and the acknowledgement's sent mark a second (2 writes); no contact waits in received.
func TestIntake_ContactAndFirstDriveAreOneWrite(t *testing.T) {
	r := newRig(t, london(t, "2027-03-10 10:00"))
	st := r.suite.Store.(*embedded.Store)
	before := st.Stats()
	res := r.ingest(hackney, "school-dsl-referral.eml")
	after := st.Stats()
	if len(res) != 1 || res[0].Status != intake.StatusCreated {
		t.Fatalf("results %+v, want one created", res)
	}
	if w := after.Writes - before.Writes; w != 2 {
		t.Errorf("%d writes for one contact, want 2 (the contact with its first drive; the acknowledgement marked sent)", w)
	}
	if c := r.contact(res[0].ContactID); c.Status != domain.StatusAwaitingRating {
		t.Errorf("contact %s, want awaiting-rating", c.Status)
	}
}

// flushingFirst is a Starter that flushes the contact's outbox inside the write's unit of work before the
// suite's own start, as a step that queues a notice out of hours does: that flush sees (and sends) the
// acknowledgement the write has just queued.
type flushingFirst struct {
	next    intake.Starter
	outbox  workflow.OutboxNotifier
	flushed *int
}

func (f flushingFirst) Start(ctx context.Context, in workflow.Start) error {
	if err := f.outbox.Flush(ctx, in.ContactID); err != nil {
		return err
	}
	*f.flushed++
	return f.next.Start(ctx, in)
}

// Issue #19: the acknowledgement is sent after the contact's write commits from what that write queued,
// without listing the contact's outbox again; when something inside the write's unit of work flushed the
// contact first (and so may have sent it), the flush after the commit lists the outbox and sends nothing twice.
func TestIntake_AcknowledgementSentOnce_AsTheWriteQueuedIt(t *testing.T) {
	for _, flushInside := range []bool{false, true} {
		t.Run(map[bool]string{false: "nothing flushed inside the write", true: "a flush inside the write"}[flushInside], func(t *testing.T) {
			r := newRig(t, london(t, "2027-03-10 10:00"))
			svc := r.suite.Intake.Service
			flushed := 0
			if flushInside {
				svc.Starter = flushingFirst{next: svc.Starter, outbox: svc.Notifier.(workflow.OutboxNotifier), flushed: &flushed}
			}
			res, err := svc.CreateReferral(context.Background(), hackney, goodReferral(), "")
			if err != nil {
				t.Fatal(err)
			}
			if flushInside && flushed != len(res) {
				t.Fatalf("%d flushes inside the write, want %d: the test proves nothing", flushed, len(res))
			}
			for _, x := range res {
				ack := r.assertOneAck(x.ContactID)
				if ack.SentAt.IsZero() || ack.Version != 2 {
					t.Errorf("acknowledgement of %s: sent %v, version %d; want sent and marked once (version 2)", x.ContactID, ack.SentAt, ack.Version)
				}
				if n := strings.Count(r.logs.String(), `"msg":"notification sent","notification":"`+ack.ID+`"`); n != 1 {
					t.Errorf("acknowledgement of %s sent %d times, want once", x.ContactID, n)
				}
			}
			if strings.Contains(r.logs.String(), "sent concurrently") {
				t.Error("a message was sent twice")
			}
		})
	}
}
