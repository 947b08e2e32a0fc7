// Package sesnotify builds the production notifier: compose, queue in the DynamoDB outbox, send with SES v2.
package sesnotify

import (
	"os"

	"github.com/safeguarding/mash/shared/adapters/emf"
	"github.com/safeguarding/mash/shared/clock"
	"github.com/safeguarding/mash/shared/lambdacfg"
	"github.com/safeguarding/mash/shared/notify"
	"github.com/safeguarding/mash/shared/notify/ses"
)

// New returns the notifier for a function.
func New(b *lambdacfg.Base) notify.Notifier {
	env := b.EnvWithoutEncompass(nil) // only its Policies
	return notify.Notifier{
		Composer: notify.Composer{ConsoleURL: b.Config.ConsoleURL, Now: clock.System},
		Dispatcher: &notify.Dispatcher{Store: b.Store, Now: clock.System, Log: b.Log, Policies: env.Policies,
			// MASH/NotificationUndeliverable as EMF lines on stdout (template.yaml alarms on it).
			Metrics: &emf.Metrics{W: os.Stdout, Now: clock.System},
			// The table's stream sends what a step queues (functions/outbox); the steps' flushes send nothing.
			Stream: b.Config.OutboxStream,
			Sender: ses.Sender{Client: ses.NewClient(b.AWSFor("SESV2")), From: b.Config.SESFrom, ConfigurationSet: b.Config.ConfigurationSet}},
	}
}
