package sesnotify_test

import (
	"testing"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/lambdacfg"
	"github.com/safeguarding/mash/shared/lambdacfg/sesnotify"
	"github.com/safeguarding/mash/shared/notify/ses"
	"github.com/safeguarding/mash/shared/policy"
)

// The production notifier is wired from the function's configuration: links point at CONSOLE_URL, mail
// leaves from SES_FROM in CONFIGURATION_SET, give-ups are counted (the undeliverable alarm reads the metric),
// and the dispatcher answers only for the stack's own authority.
func TestNew_WiresTheStacksConfiguration(t *testing.T) {
	p, err := policy.Load("hackney")
	if err != nil {
		t.Fatal(err)
	}
	b := &lambdacfg.Base{Policy: p, Config: lambdacfg.Config{Authority: string(p.Authority),
		ConsoleURL: "https://mash.example.gov.uk", SESFrom: "MASH <no-reply@mash.example.gov.uk>", ConfigurationSet: "mash-events"}}
	n := sesnotify.New(b)
	if n.Composer.ConsoleURL != b.Config.ConsoleURL || n.Composer.Now == nil {
		t.Errorf("composer: console %q, clock set %v", n.Composer.ConsoleURL, n.Composer.Now != nil)
	}
	d := n.Dispatcher
	if d == nil || d.Metrics == nil || d.Now == nil {
		t.Fatalf("dispatcher %+v: want metrics and a clock", d)
	}
	s, ok := d.Sender.(ses.Sender)
	if !ok || s.From != b.Config.SESFrom || s.ConfigurationSet != "mash-events" || s.Client == nil {
		t.Errorf("sender = %#v, want SES from %q in mash-events", d.Sender, b.Config.SESFrom)
	}
	if got, err := d.Policies(p.Authority); err != nil || got != p {
		t.Errorf("the stack's own policy: %v %v", got, err)
	}
	if _, err := d.Policies(domain.AuthorityID("another")); domain.ErrorCode(err) != domain.CodeInvalid {
		t.Errorf("another authority's policy: err %v, want invalid", err)
	}
}
