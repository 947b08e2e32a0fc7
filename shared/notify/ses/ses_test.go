package ses_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/notify"
	"github.com/safeguarding/mash/shared/notify/ses"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/store/embedded"
	"github.com/safeguarding/mash/shared/testenv"
)

var moto *testenv.Process

// TestMain starts the real moto server once (SES v2 over the wire, through the real Go SDK client).
func TestMain(m *testing.M) { testenv.MotoMain(m, &moto) }

func client(t *testing.T) *sesv2.Client {
	t.Helper()
	return sesv2.New(sesv2.Options{
		Region:       "eu-west-2",
		BaseEndpoint: aws.String(moto.Endpoint),
		Credentials:  credentials.NewStaticCredentialsProvider("testing", "testing", ""),
	})
}

// sender is the product's SES client (a signed SendEmail request) pointed at moto.
func sender(t *testing.T) *ses.Client {
	t.Helper()
	return ses.NewClient(aws.Config{Region: "eu-west-2", BaseEndpoint: aws.String(moto.Endpoint),
		Credentials: credentials.NewStaticCredentialsProvider("testing", "testing", "")})
}

// motoMessage is one entry of moto's sent-message record (GET /moto-api/data.json, ses.Message).
type motoMessage struct {
	ID           string              `json:"id"`
	Source       string              `json:"source"`
	Subject      string              `json:"subject"`
	Body         string              `json:"body"`
	Destinations map[string][]string `json:"destinations"`
}

func sentMessages(t *testing.T) []motoMessage {
	t.Helper()
	resp, err := http.Get(moto.Endpoint + "/moto-api/data.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var data map[string]map[string][]motoMessage
	if err := json.NewDecoder(resp.Body).Decode(&data); err != nil {
		t.Fatalf("moto data.json: %v", err)
	}
	return data["ses"]["Message"]
}

func findSent(t *testing.T, id string) motoMessage {
	t.Helper()
	for _, m := range sentMessages(t) {
		if m.ID == id {
			return m
		}
	}
	t.Fatalf("moto has no sent message %s", id)
	return motoMessage{}
}

func TestSend_ThroughSESv2(t *testing.T) {
	ctx := context.Background()
	cl := client(t)
	if _, err := cl.CreateEmailIdentity(ctx, &sesv2.CreateEmailIdentityInput{EmailIdentity: aws.String("mash.hackney.gov.uk")}); err != nil {
		t.Fatalf("CreateEmailIdentity: %v", err)
	}
	s := ses.Sender{Client: sender(t), From: "Hackney MASH <no-reply@mash.hackney.gov.uk>"}
	n := store.Notification{ID: "c_0123456789abcdef0123#lado", Kind: "lado", To: []string{"lado@hackney.gov.uk", "mash@hackney.gov.uk"},
		Subject: "MASH contact HAC-2027-000123: LADO referral", Text: "Reference: HAC-2027-000123\n",
		HTML: "<p>Reference: HAC-2027-000123</p>"}
	id, err := s.Send(ctx, n, "MASH@hackney.gov.uk")
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	if id == "" {
		t.Fatal("no message id")
	}
	got := findSent(t, id)
	if got.Subject != n.Subject {
		t.Errorf("subject %q, want %q", got.Subject, n.Subject)
	}
	if !slices.Equal(got.Destinations["ToAddresses"], n.To) {
		t.Errorf("recipients %v, want %v", got.Destinations, n.To)
	}
	if got.Body != n.HTML { // moto keeps the HTML part when there is one
		t.Errorf("body %q", got.Body)
	}
	if !strings.Contains(got.Source, "no-reply@mash.hackney.gov.uk") {
		t.Errorf("source %q", got.Source)
	}
}

// TestDispatcher_SESRejectionStaysPending: SES refuses an unverified sender; the message stays in the
// outbox with the failure counted on it (SES's code, never an address), then goes once the identity is
// verified.
func TestDispatcher_SESRejectionStaysPending(t *testing.T) {
	ctx := context.Background()
	now := func() time.Time { return time.Date(2027, 12, 24, 17, 5, 0, 0, time.UTC) }
	st, err := embedded.OpenMemory(now)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	cl := client(t)
	// A sender domain of its own per run: moto keeps identities verified by an earlier run (-count=N).
	domainName := fmt.Sprintf("unverified-%d.bexley.gov.uk", runSeq.Add(1))
	d := &notify.Dispatcher{Store: st, Sender: ses.Sender{Client: sender(t), From: "MASH <no-reply@" + domainName + ">"},
		Now: now, Log: slog.New(slog.DiscardHandler),
		Policies: func(a domain.AuthorityID) (*policy.Policy, error) { return policy.Load(string(a)) }}
	nf := notify.Notifier{Composer: notify.Composer{ConsoleURL: "https://mash.example.gov.uk", Now: now}, Dispatcher: d}
	p, err := policy.Load("bexley")
	if err != nil {
		t.Fatal(err)
	}
	c := &domain.Contact{ID: "c_00000000000000000bex", Reference: "BEX-2027-000007", Authority: "bexley",
		Channel: domain.ChannelEmail, ReceivedAt: now(), Status: domain.StatusDecided,
		Child: domain.Child{GivenName: "Zebedee", FamilyName: "Canarybird"}}
	// Queued, the send failed: the step that asked is not failed (issue #13); the failure is on the message.
	if err := nf.Notify(ctx, notify.KindChannel, p, c, nil); err != nil {
		t.Fatalf("Notify failed its caller on a send failure: %v", err)
	}
	if ns, _ := st.ListNotifications(ctx, c.ID); len(ns) != 1 || ns[0].Attempts != 1 || ns[0].LastError != "MessageRejected" {
		t.Fatalf("notifications %+v, want one with attempt 1 and SES's MessageRejected code", ns)
	}
	if pending, _ := st.PendingNotifications(ctx, 0); len(pending) != 1 {
		t.Fatalf("pending = %d, want 1", len(pending))
	}
	if _, err := cl.CreateEmailIdentity(ctx, &sesv2.CreateEmailIdentityInput{EmailIdentity: aws.String(domainName)}); err != nil {
		t.Fatal(err)
	}
	if err := nf.Notify(ctx, notify.KindChannel, p, c, nil); err != nil {
		t.Fatalf("Notify after verifying: %v", err)
	}
	ns, _ := st.ListNotifications(ctx, c.ID)
	if len(ns) != 1 || ns[0].SentAt.IsZero() {
		t.Fatalf("notifications %+v", ns)
	}
	got := findSent(t, ns[0].ProviderID)
	if got.Subject != "MASH contact BEX-2027-000007: Prevent / Channel referral" ||
		!slices.Equal(got.Destinations["ToAddresses"], []string{p.Contacts.Channel.Email}) {
		t.Errorf("moto received %+v", got)
	}
	if strings.Contains(got.Body, "Canarybird") || strings.Contains(got.Subject, "Canarybird") {
		t.Errorf("the canary child's name left in the message")
	}
}

var runSeq atomic.Int64
