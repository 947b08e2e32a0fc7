package notify_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/mail"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jhillyerd/enmime/v2"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/notify"
	"github.com/safeguarding/mash/shared/notify/folder"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/store/embedded"
	"github.com/safeguarding/mash/shared/workflow"
)

// The notifier is what the step packages call.
var _ workflow.OutboxNotifier = notify.Notifier{} // intake queues acknowledgements in the contact's write

type rig struct {
	store    *embedded.Store
	sender   *folder.Sender
	notifier notify.Notifier
	logs     *bytes.Buffer
}

func newRig(t *testing.T, dir string) *rig {
	t.Helper()
	now := func() time.Time { return fixtureNow }
	st, err := embedded.OpenMemory(now)
	if err != nil {
		t.Fatalf("embedded.OpenMemory: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	logs := &bytes.Buffer{}
	snd := &folder.Sender{Dir: dir}
	d := &notify.Dispatcher{Store: st, Sender: snd, Now: now, Log: slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Policies: func(a domain.AuthorityID) (*policy.Policy, error) { return policy.Load(string(a)) }}
	return &rig{store: st, sender: snd, logs: logs,
		notifier: notify.Notifier{Composer: notify.Composer{ConsoleURL: consoleURL, Now: now}, Dispatcher: d}}
}

func (r *rig) assertLogsClean(t *testing.T) {
	t.Helper()
	for _, s := range append(canaries, "rita.referrer@nhs.example", "HAC-2027-000123: ") {
		if strings.Contains(r.logs.String(), s) {
			t.Errorf("log lines carry %q:\n%s", s, r.logs.String())
		}
	}
}

func address(t *testing.T, h string) string {
	t.Helper()
	a, err := mail.ParseAddress(h)
	if err != nil {
		t.Fatalf("header %q is not an address: %v", h, err)
	}
	return a.Address
}

func emlFiles(t *testing.T, dir string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, "*.eml"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestNotifier_RetriedStepSendsOnce: a step that runs twice (a Step Functions retry) queues one message and
// sends it once; the .eml is a real multipart/alternative message with the MASH inbox as Reply-To.
func TestNotifier_RetriedStepSendsOnce(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	r := newRig(t, dir)
	p := hackney(t)
	c := fixtureContact()
	for range 2 {
		if err := r.notifier.Notify(ctx, notify.Kind(notify.KindAcknowledgement), p, c, nil); err != nil {
			t.Fatalf("Notify: %v", err)
		}
	}
	files := emlFiles(t, dir)
	if len(files) != 1 {
		t.Fatalf("outbox holds %d files, want 1: %v", len(files), files)
	}
	ns, err := r.store.ListNotifications(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(ns) != 1 || ns[0].SentAt.IsZero() || ns[0].ProviderID != filepath.Base(files[0]) {
		t.Fatalf("notifications = %+v, want one sent with provider id %s", ns, filepath.Base(files[0]))
	}
	if want := "20271224T170500Z-c_0123456789abcdef0123_acknowledgement.eml"; filepath.Base(files[0]) != want {
		t.Errorf("file name %s, want %s", filepath.Base(files[0]), want)
	}

	f, err := os.Open(files[0])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	env, err := enmime.ReadEnvelope(f)
	if err != nil {
		t.Fatalf("the .eml does not parse: %v", err)
	}
	if len(env.Errors) > 0 {
		t.Errorf("MIME problems: %v", env.Errors)
	}
	if got := env.GetHeader("Subject"); got != "MASH contact HAC-2027-000123: received" {
		t.Errorf("Subject %q", got)
	}
	if got := address(t, env.GetHeader("To")); got != "rita.referrer@nhs.example" {
		t.Errorf("To %q", got)
	}
	if got := address(t, env.GetHeader("Reply-To")); got != p.Contacts.MASHInbox.Email {
		t.Errorf("Reply-To %q, want the MASH inbox %s", got, p.Contacts.MASHInbox.Email)
	}
	if env.Root == nil || env.Root.ContentType != "multipart/alternative" {
		t.Errorf("root content type %v, want multipart/alternative", env.Root)
	}
	if !strings.Contains(env.Text, "Reference: HAC-2027-000123") || !strings.Contains(env.HTML, "<td>HAC-2027-000123</td>") {
		t.Errorf("bodies lack the reference:\n%s\n%s", env.Text, env.HTML)
	}
	if strings.ReplaceAll(env.Text, "\r\n", "\n") != ns[0].Text {
		t.Errorf("text part differs from the stored text:\n%q\n%q", env.Text, ns[0].Text)
	}
	r.assertLogsClean(t)
}

// TestDispatcher_SendFailureLeavesMessagePending: a failed send keeps the message in the outbox with the
// failure counted on it, never fails the caller (issue #13), and the SLA sweep's FlushPending sends it once
// the sender works again.
func TestDispatcher_SendFailureLeavesMessagePending(t *testing.T) {
	ctx := context.Background()
	blocked := filepath.Join(t.TempDir(), "not-a-folder")
	if err := os.WriteFile(blocked, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := newRig(t, blocked) // a file where the folder should be: every send fails for real
	p := hackney(t)
	c := fixtureContact()
	if err := r.notifier.Notify(ctx, notify.KindLADO, p, c, nil); err != nil {
		t.Fatalf("Notify failed its caller on a send failure: %v", err)
	}
	pending, err := r.store.PendingNotifications(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(pending) != 1 || pending[0].ID != "c_0123456789abcdef0123#lado" || pending[0].Attempts != 1 || pending[0].LastError == "" {
		t.Fatalf("pending = %+v, want the LADO message with one failed attempt", pending)
	}

	// Another message for the same contact while the sender is down: both stay queued.
	if err := r.notifier.Notify(ctx, notify.KindChannel, p, c, nil); err != nil {
		t.Fatalf("second Notify: %v", err)
	}

	r.sender.Dir = filepath.Join(t.TempDir(), "outbox")
	sent, err := r.notifier.Dispatcher.FlushPending(ctx, 10)
	if err != nil || sent != 2 {
		t.Fatalf("FlushPending = %d, %v; want 2 sent", sent, err)
	}
	if n := len(emlFiles(t, r.sender.Dir)); n != 2 {
		t.Errorf("%d files, want 2", n)
	}
	pending, _ = r.store.PendingNotifications(ctx, 0)
	if len(pending) != 0 {
		t.Errorf("still pending: %+v", pending)
	}
	// Nothing left: a further flush sends nothing.
	if sent, err := r.notifier.Dispatcher.Flush(ctx, c.ID); err != nil || sent != 0 {
		t.Errorf("Flush after everything went = %d, %v", sent, err)
	}
	r.assertLogsClean(t)
}

// countingMetrics records what the dispatcher publishes.
type countingMetrics struct{ got map[string]float64 }

func (m *countingMetrics) Put(_ context.Context, name string, a domain.AuthorityID, v float64) error {
	m.got[name+"/"+string(a)] += v
	return nil
}

// TestDispatcher_UndeliverableFailsAlone (issue #13 "Notifications fail alone"): a message to something that
// is not one address is undeliverable at once; a message whose sends keep failing is undeliverable after
// MaxAttempts. Each goes to the undeliverable tray with its reason, an audit event and the metric, leaves the
// pending list, and the other messages of the same flush are sent.
func TestDispatcher_UndeliverableFailsAlone(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	r := newRig(t, dir)
	m := &countingMetrics{got: map[string]float64{}}
	r.notifier.Dispatcher.Metrics = m
	r.notifier.Dispatcher.MaxAttempts = 3
	c := fixtureContact()
	bad := store.Notification{ID: string(c.ID) + "#bad", ContactID: c.ID, Authority: "hackney", Kind: "acknowledgement",
		To: []string{"amara at nhs dot net"}, Subject: "MASH contact HAC-2027-000123: received", Text: "x"}
	good := bad
	good.ID, good.To = string(c.ID)+"#good", []string{"dsl@school.hackney.sch.uk"}
	for _, n := range []store.Notification{bad, good} {
		if err := r.notifier.Dispatcher.Enqueue(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	res, err := r.notifier.Dispatcher.FlushPendingReport(ctx, 0)
	if err != nil || res.Sent != 1 || !slices.Equal(res.Undeliverable, []string{bad.ID}) {
		t.Fatalf("flush = %+v, %v; want the good one sent and the bad one undeliverable", res, err)
	}
	assertUndeliverable(t, r, c.ID, bad.ID, notify.ReasonRecipientInvalid)

	// A message whose every send fails: pending after 1 and 2 failures, undeliverable at the third.
	stuck := good
	stuck.ID = string(c.ID) + "#stuck"
	if err := r.notifier.Dispatcher.Enqueue(ctx, stuck); err != nil {
		t.Fatal(err)
	}
	blocked := filepath.Join(t.TempDir(), "not-a-folder")
	if err := os.WriteFile(blocked, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	r.sender.Dir = blocked
	for i := 1; i <= 3; i++ {
		res, err := r.notifier.Dispatcher.FlushPendingReport(ctx, 0)
		if err != nil {
			t.Fatalf("flush %d: %v", i, err)
		}
		if i < 3 && !slices.Equal(res.Failed, []string{stuck.ID}) || i == 3 && !slices.Equal(res.Undeliverable, []string{stuck.ID}) {
			t.Fatalf("flush %d = %+v", i, res)
		}
	}
	assertUndeliverable(t, r, c.ID, stuck.ID, "")
	if pending, _ := r.store.PendingNotifications(ctx, 0); len(pending) != 0 {
		t.Errorf("still pending: %+v", pending)
	}
	if m.got[notify.MetricUndeliverable+"/hackney"] != 2 {
		t.Errorf("metrics %v, want %s = 2", m.got, notify.MetricUndeliverable)
	}
	r.assertLogsClean(t)
}

func assertUndeliverable(t *testing.T, r *rig, contact domain.ContactID, id, reason string) {
	t.Helper()
	ctx := context.Background()
	ns, err := r.store.ListNotifications(ctx, contact)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(ns, func(n store.Notification) bool { return n.ID == id })
	if i < 0 || ns[i].UndeliverableAt.IsZero() || ns[i].UndeliverableReason == "" || (reason != "" && ns[i].UndeliverableReason != reason) {
		t.Fatalf("notification %s: %+v, want undeliverable (%s)", id, ns, reason)
	}
	items, err := r.store.DueItems(ctx, notify.UndeliverableTray, fixtureNow.Add(time.Second), 0)
	if err != nil || !slices.ContainsFunc(items, func(it store.TrayItem) bool {
		return it.ID == id+"#"+notify.UndeliverableTray && it.ContactID == contact
	}) {
		t.Errorf("undeliverable tray %+v (%v) lacks %s", items, err, id)
	}
	evs, err := r.store.ListAudit(ctx, contact)
	if err != nil || !slices.ContainsFunc(evs, func(ev store.AuditEvent) bool {
		return ev.Action == "notification.undeliverable" && ev.Detail["notification"] == id && ev.Reason != ""
	}) {
		t.Errorf("no notification.undeliverable audit event for %s: %+v", id, evs)
	}
}

// TestNotifier_EveryKindThroughTheOutbox sends one message of every kind for the canary child and checks
// that no file, subject or log line names the child.
func TestNotifier_EveryKindThroughTheOutbox(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	r := newRig(t, dir)
	p := hackney(t)
	for i, tc := range composeCases {
		c := fixtureContact()
		if tc.edit != nil {
			tc.edit(c)
		}
		c.ID = domain.ContactID(fmt.Sprintf("c_%020x", i+1))
		if err := r.notifier.Notify(ctx, notify.Kind(tc.kind), p, c, tc.extra); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
	}
	files := emlFiles(t, dir)
	if len(files) != len(composeCases) {
		t.Errorf("%d files for %d messages", len(files), len(composeCases))
	}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, canary := range canaries {
			if bytes.Contains(raw, []byte(canary)) {
				t.Errorf("%s carries %q", filepath.Base(f), canary)
			}
		}
	}
	r.assertLogsClean(t)
}

// TestNotifier_EncompassOutsideAllowListGoesToTheLead: a refused school address is never written to; the
// notice is queued to the Encompass lead instead and the call succeeds (issue #13).
func TestNotifier_EncompassOutsideAllowListGoesToTheLead(t *testing.T) {
	ctx := context.Background()
	r := newRig(t, t.TempDir())
	c := fixtureContact()
	if err := r.notifier.Notify(ctx, notify.KindEncompass, hackney(t), c, map[string]string{"schoolEmail": "dsl@school.example.com"}); err != nil {
		t.Fatalf("err = %v", err)
	}
	ns, _ := r.store.ListNotifications(ctx, c.ID)
	if len(ns) != 1 || !slices.Equal(ns[0].To, []string{hackney(t).Contacts.EncompassLead.Email}) {
		t.Errorf("queued %+v, want one notice to the Encompass lead", ns)
	}
}
