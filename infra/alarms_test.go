package infra

import "testing"

// Issue #13 "Notifications fail alone": an undeliverable message raises an alarm, and an alarm whose metric is
// published on every run (so silence means the publisher is stuck) treats missing data as breaching.
func TestTemplate_AlarmsWhereSilenceMeansStuck(t *testing.T) {
	tpl := loadTemplate(t, "template.yaml")
	for name, want := range map[string]struct{ metric, missing string }{
		"NotificationUndeliverableAlarm": {"NotificationUndeliverable", "notBreaching"}, // no data: none undeliverable
		"OOHQueueUnclaimedAlarm":         {"OOHQueueUnclaimed", "breaching"},            // the sweep publishes 0 every run
	} {
		p := tpl.Properties(name)
		if p == nil {
			t.Errorf("%s: no such alarm", name)
			continue
		}
		if p["Namespace"] != "MASH" || p["MetricName"] != want.metric || p["TreatMissingData"] != want.missing {
			t.Errorf("%s: %s/%s missing data %v, want MASH/%s and %s", name, p["Namespace"], p["MetricName"],
				p["TreatMissingData"], want.metric, want.missing)
		}
		if a, _ := p["AlarmActions"].([]any); len(a) == 0 {
			t.Errorf("%s: no alarm actions", name)
		}
	}
}
