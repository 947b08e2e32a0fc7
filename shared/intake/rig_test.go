package intake_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/flow"
	"github.com/safeguarding/mash/shared/intake"
	"github.com/safeguarding/mash/shared/intake/email"
	"github.com/safeguarding/mash/shared/internal/testkit"
	"github.com/safeguarding/mash/shared/local"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/store/embedded"
)

// Shared with the other suite-level tests (shared/internal/testkit).
type syncBuffer = testkit.SyncBuffer

var (
	london = testkit.London
	header = testkit.Header
)

// outboxMessages returns every .eml the folder sender wrote.
func (r *rig) outboxMessages() []string { return testkit.OutboxMessages(r.t, r.outbox) }

const (
	samplesDir = "../../events/email"
	sesDir     = "../../events/ses"
	// hackney is the authority the samples are ingested for unless a test says otherwise.
	hackney domain.AuthorityID = "hackney"
)

// rig is the all-in-one local suite (shared/local) on the embedded store (a WAL file in t.TempDir()) with a
// fake clock and the slog JSON output captured, as shared/local/e2e_test.go builds it.
type rig struct {
	t      *testing.T
	suite  *local.Suite
	clock  *flow.FakeClock
	logs   *syncBuffer
	dir    string
	outbox string
}

func newRig(t *testing.T, start time.Time) *rig {
	t.Helper()
	dir := t.TempDir()
	clk := flow.NewFakeClock(start)
	st, err := embedded.Open(filepath.Join(dir, "store.db"), clk.Now)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	r := &rig{t: t, clock: clk, logs: &syncBuffer{}, dir: dir, outbox: filepath.Join(dir, "outbox")}
	s, err := local.New(context.Background(), local.Options{Dir: dir, OutboxDir: r.outbox, Store: st, Clock: clk,
		Log:        slog.New(slog.NewJSONHandler(r.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		ConsoleURL: "http://localhost:8080"})
	if err != nil {
		t.Fatal(err)
	}
	r.suite = s
	return r
}

func readSample(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(samplesDir, name))
	if err != nil {
		t.Fatalf("read sample: %v", err)
	}
	return b
}

// sesID is the SES message id of a sample as its SES receipt event (events/ses/X.json) carries it. The
// redelivery's event has an SES id of its own: the RFC Message-ID is what makes it a duplicate.
func sesID(t testing.TB, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(sesDir, strings.TrimSuffix(name, ".eml")+".json"))
	if err != nil {
		t.Fatalf("read SES event: %v", err)
	}
	refs, err := email.ParseSESEvent(data)
	if err != nil || len(refs) != 1 || refs[0].SESMessageID == "" {
		t.Fatalf("SES event of %s: %v %+v", name, err, refs)
	}
	return refs[0].SESMessageID
}

// ingest feeds one sample as SES delivers it: the bytes, their raw/ key and the SES id.
func (r *rig) ingest(authority domain.AuthorityID, name string) []intake.Result {
	r.t.Helper()
	id := sesID(r.t, name)
	res, err := r.suite.Intake.IngestEmail(context.Background(), authority,
		intake.RawMail{Data: readSample(r.t, name), Key: "raw/" + id, SESMessageID: id})
	if err != nil {
		r.t.Fatalf("ingest %s: %v", name, err)
	}
	return res
}

func (r *rig) contact(id domain.ContactID) *domain.Contact {
	r.t.Helper()
	c, err := r.suite.Store.GetContact(context.Background(), id)
	if err != nil {
		r.t.Fatalf("get contact %s: %v", id, err)
	}
	return c
}

// allContacts lists an authority's contacts across every status.
func (r *rig) allContacts(authority domain.AuthorityID) []*domain.Contact {
	r.t.Helper()
	var out []*domain.Contact
	for _, st := range domain.Statuses {
		cs, err := r.suite.Store.ListContacts(context.Background(), authority, st)
		if err != nil {
			r.t.Fatal(err)
		}
		out = append(out, cs...)
	}
	return out
}

// acks returns a contact's acknowledgement notifications.
func (r *rig) acks(id domain.ContactID) []store.Notification {
	r.t.Helper()
	ns, err := r.suite.Store.ListNotifications(context.Background(), id)
	if err != nil {
		r.t.Fatal(err)
	}
	var out []store.Notification
	for _, n := range ns {
		if n.Kind == string(intake.KindAcknowledgement) {
			out = append(out, n)
		}
	}
	return out
}

// assertOneAck: exactly one acknowledgement, its subject carries the reference and not the child's name.
func (r *rig) assertOneAck(id domain.ContactID) store.Notification {
	r.t.Helper()
	c := r.contact(id)
	as := r.acks(id)
	if len(as) != 1 {
		r.t.Fatalf("contact %s has %d acknowledgements, want 1", id, len(as))
	}
	subj := as[0].Subject
	if c.Reference == "" || !strings.Contains(subj, string(c.Reference)) {
		r.t.Errorf("acknowledgement subject %q lacks the reference %q", subj, c.Reference)
	}
	for _, n := range []string{c.Child.GivenName, c.Child.FamilyName} {
		if len(n) > 1 && strings.Contains(subj, n) {
			r.t.Errorf("acknowledgement subject of %s names the child", id)
		}
	}
	return as[0]
}

// snapshot is an execution's state as JSON (what Step Functions would carry).
func (r *rig) snapshot(id domain.ContactID) string {
	r.t.Helper()
	e, ok := r.suite.Exec.Get(string(id))
	if !ok {
		r.t.Fatalf("no execution for %s", id)
	}
	b, err := json.Marshal(e.Snapshot())
	if err != nil {
		r.t.Fatal(err)
	}
	return string(b)
}
