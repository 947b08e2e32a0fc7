package local

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/safeguarding/mash/shared/clock"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/flow"
	"github.com/safeguarding/mash/shared/flow/flowtest"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/store/embedded"
	"github.com/safeguarding/mash/shared/workflow"
	"github.com/safeguarding/mash/statemachines"
)

// conformanceCase seeds a fresh store and returns the execution input.
type conformanceCase struct {
	name      string
	authority domain.AuthorityID
	at        string // London time the handlers see
	seed      func(t *testing.T, st store.Store, c *domain.Contact)
	missing   bool   // the input names a contact that does not exist
	flakyOnce string // a function that fails once with TransientError before succeeding
}

// The real contact machine (statemachines/contact.asl.json) runs on its token-free paths in the Go executor
// and in aws-local-stepfunctions, with the tasks answered by the real Go handlers on identical fresh stores,
// and both must give the same result — including a caught ContactNotFound (→ DeadLetter → Fail) and a
// TransientError retried once.
func TestConformance_ContactMachine_TokenFreePaths(t *testing.T) {
	openCase := func(t *testing.T, st store.Store, c *domain.Contact) {
		if err := st.PutChildRecord(context.Background(), store.ChildRecord{ContactID: "c_00000000000000000001", Authority: c.Authority,
			IdentityKey: c.Child.IdentityKey(), ReceivedAt: c.ReceivedAt.Add(-30 * 24 * time.Hour),
			CaseState: store.CaseState{OpenCase: true, AllocatedWorker: "sw-unit-4"}}); err != nil {
			t.Fatal(err)
		}
	}
	cases := []conformanceCase{
		{name: "open case forwarded in hours", authority: "hackney", at: "2027-03-10 10:00", seed: openCase},
		{name: "out of hours: Wait until Monday, then forwarded", authority: "hackney", at: "2027-03-06 11:00", seed: openCase},
		{name: "no consent, not child protection: returned (Northamptonshire §6b)", authority: "northamptonshire", at: "2027-03-10 10:00",
			seed: func(t *testing.T, st store.Store, c *domain.Contact) {}},
		{name: "contact missing: ContactNotFound caught, dead letter", authority: "hackney", at: "2027-03-10 10:00", missing: true},
		{name: "routing and screening fail once with TransientError, retried", authority: "hackney", at: "2027-03-10 10:00", seed: openCase, flakyOnce: workflow.FnOutOfHours},
		{name: "out of hours: screening after the Wait fails once with TransientError, retried", authority: "hackney", at: "2027-03-06 11:00", seed: openCase, flakyOnce: workflow.FnScreening},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			at := london(t, c.at)
			id := domain.ContactID("c_0123456789abcdef0123")
			input, _ := json.Marshal(workflow.Start{ContactID: id, Authority: c.authority})
			newHandlers := func() flow.Handlers {
				st, err := embedded.OpenMemory(clock.Fixed(at))
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { st.Close() })
				contact := &domain.Contact{ID: id, Reference: "HAC-2027-000042", Authority: c.authority, Channel: domain.ChannelForm,
					ReceivedAt: at, Status: domain.StatusReceived, LinkedTo: []domain.ContactID{}, Deadlines: map[string]time.Time{},
					Child:    domain.Child{GivenName: "Zebedee", FamilyName: "Canarybird", DateOfBirth: domain.Date{Y: 2017, M: 4, D: 2}},
					Referrer: domain.Referrer{Name: "A Teacher", Email: "dsl@school.example", Professional: true},
					Concerns: "worried", Consent: domain.Consent{Status: domain.ConsentNotSought, Reason: "not yet asked"}}
				if !c.missing {
					if err := st.CreateContact(context.Background(), contact, store.IdempotencyKey{}, store.AuditEvent{Actor: "test", Action: "contact.created"}); err != nil {
						t.Fatal(err)
					}
					c.seed(t, st, contact)
				}
				s, err := New(context.Background(), Options{Dir: t.TempDir(), OutboxDir: t.TempDir(), Store: st,
					Clock: flow.ClockFunc(clock.Fixed(at)), Log: slog.New(slog.NewJSONHandler(io.Discard, nil)), ConsoleURL: "https://mash.example"})
				if err != nil {
					t.Fatal(err)
				}
				h := flow.Handlers{}
				for k, v := range s.Handlers() {
					h[k] = v
				}
				if c.flakyOnce != "" {
					inner := h[c.flakyOnce]
					var calls atomic.Int32
					h[c.flakyOnce] = func(ctx context.Context, p json.RawMessage) (json.RawMessage, error) {
						if calls.Add(1) == 1 {
							return nil, &workflow.TransientError{Err: errors.New("store throttled")}
						}
						return inner(ctx, p)
					}
				}
				return h
			}
			goRes, refRes := flowtest.ConformanceRun(t, statemachines.Contact, Substitutions(), input, newHandlers)
			if diff := cmp.Diff(refRes, goRes); diff != "" {
				t.Fatalf("Go executor differs from aws-local-stepfunctions (-ref +go):\n%s", diff)
			}
			if c.missing && goRes.Error != "ContactStepFailed" {
				t.Fatalf("missing contact: want the machine to fail as ContactStepFailed after the dead letter, got %+v", goRes)
			}
			if !c.missing && goRes.Error != "" {
				t.Fatalf("unexpected failure: %+v", goRes)
			}
		})
	}
}
