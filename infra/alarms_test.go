package infra

import "testing"

// Issue #13 "Notifications fail alone": an undeliverable message raises an alarm, and an alarm whose metric is
// published on every run (so silence means the publisher is stuck) treats missing data as breaching.
func TestTemplate_AlarmsWhereSilenceMeansStuck(t *testing.T) {
	tpl := loadTemplate(t, "template.yaml")
	for name, want := range map[string]struct{ metric, missing string }{
		"NotificationUndeliverableAlarm":   {"NotificationUndeliverable", "notBreaching"},   // no data: none undeliverable
		"OOHQueueUnclaimedAlarm":           {"OOHQueueUnclaimed", "breaching"},              // the sweep publishes 0 every run
		"WorkflowCompletionsOwedAlarm":     {"WorkflowCompletionsOwed", "breaching"},        // likewise
		"WorkflowRestartLimitReachedAlarm": {"WorkflowRestartLimitReached", "notBreaching"}, // a stuck sweep is the alarm above's
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

// Issue #16: missed statutory deadlines (Red strategy, LADO, Encompass) and overdue trays raise alarms on the
// figures the sla function publishes (shared/reports.Figures), and the dashboard shows them.
func TestTemplate_TimelinessAlarmsAndDashboard(t *testing.T) {
	tpl := loadTemplate(t, "template.yaml")
	for name, want := range map[string]struct{ metric, dim, val string }{
		"StrategyRedMissedAlarm":   {"DeadlinesMissed", "Rule", "strategy.red"},
		"LADOMissedAlarm":          {"DeadlinesMissed", "Rule", "lado"},
		"EncompassMissedAlarm":     {"DeadlinesMissed", "Rule", "encompass"},
		"RatingTrayOverdueAlarm":   {"OverdueItems", "Tray", "rating"},
		"DecisionTrayOverdueAlarm": {"OverdueItems", "Tray", "decision"},
	} {
		p := tpl.Properties(name)
		if p == nil {
			t.Errorf("%s: no such alarm", name)
			continue
		}
		if p["Namespace"] != "MASH" || p["MetricName"] != want.metric {
			t.Errorf("%s: %s/%s, want MASH/%s", name, p["Namespace"], p["MetricName"], want.metric)
		}
		dims, _ := p["Dimensions"].([]any)
		found := false
		for _, d := range dims {
			m, _ := d.(map[string]any)
			found = found || (m["Name"] == want.dim && m["Value"] == want.val)
		}
		if !found {
			t.Errorf("%s: dimensions %v, want %s=%s", name, dims, want.dim, want.val)
		}
		if a, _ := p["AlarmActions"].([]any); len(a) == 0 {
			t.Errorf("%s: no alarm actions", name)
		}
	}
	if p := tpl.Properties("Dashboard"); p == nil {
		t.Error("no CloudWatch dashboard")
	}
}
