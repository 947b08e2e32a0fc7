package reports_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/store"

	"github.com/safeguarding/mash/shared/adapters/emf"
	"github.com/safeguarding/mash/shared/reports"
)

// The metrics over the trailing day, on the known history (see history): at t0+40h the window is
// (t0+16h, t0+40h]. D arrived in it (form); the screening deadlines of A, B and C fell due in it (A met, B
// and C missed); C waits on the rating tray past its deadline; nothing was decided or escalated in it.
func TestMetrics_KnownHistory_TrailingDay(t *testing.T) {
	p, r, _, _ := history(t)
	recs, err := reports.Load(context.Background(), r.Store, "portsmouth")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, f := range reports.Figures(p, recs, r.Clock.Now(), reports.Window) {
		got[f.Name+"/"+f.Of] = f.Value
	}
	for k, want := range map[string]float64{
		"ContactsReceived/form": 1, "ContactsReceived/email": 0, "ContactsReceived/ppn": 0,
		"DeadlinesMet/screening.csc": 1, "DeadlinesMissed/screening.csc": 2,
		"DeadlinesMissed/checks.red": 0, "DeadlinesMissed/lado": 0, "DeadlinesMissed/encompass": 0,
		"OverdueItems/rating": 1, "OverdueItems/decision": 0,
		"Escalations/": 0,
	} {
		v, ok := got[k]
		if !ok || v != want {
			t.Errorf("%s = %v (present %v), want %v", k, v, ok, want)
		}
	}
	for k := range got {
		if len(k) > len("Decisions/") && k[:len("Decisions/")] == "Decisions/" {
			t.Errorf("a decision counted outside the window: %s", k)
		}
	}
	// Published as EMF: one line per figure, with the Authority and the figure's own dimension.
	var buf bytes.Buffer
	fs := reports.Figures(p, recs, r.Clock.Now(), reports.Window)
	if err := reports.Publish(context.Background(), &emf.Metrics{W: &buf, Now: r.Clock.Now}, "portsmouth", fs); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(&buf)
	n := 0
	for sc.Scan() {
		var line map[string]any
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatal(err)
		}
		f := fs[n]
		if line["Authority"] != "portsmouth" || (f.Dim != "" && line[f.Dim] != f.Of) || line[f.Name] != f.Value {
			t.Errorf("line %d %s: %v", n, sc.Text(), f)
		}
		n++
	}
	if n != len(fs) {
		t.Errorf("%d lines for %d figures", n, len(fs))
	}
}

// The console's figures add what production publishes as it happens: a message quarantined in the window
// and still held, and a message the outbox gave up on in the window (its audit event); one quarantined
// before the window is not counted.
func TestLocalFigures_QuarantinedAndUndeliverableInTheWindow(t *testing.T) {
	p, r, _, cs := history(t)
	ctx := context.Background()
	now := r.Clock.Now()
	for _, at := range []time.Time{now.Add(-time.Hour), now.Add(-30 * time.Hour)} {
		if _, err := r.Store.Quarantine(ctx, store.QuarantineItem{Authority: "portsmouth", Reason: "virus", RawKey: "raw/x", ReceivedAt: at}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := r.Store.AppendAudit(ctx, store.AuditEvent{ContactID: cs["A"].ID, Actor: "notifications", Action: "notification.undeliverable", At: now.Add(-time.Minute)}); err != nil {
		t.Fatal(err)
	}
	recs, err := reports.Load(ctx, r.Store, "portsmouth")
	if err != nil {
		t.Fatal(err)
	}
	held, err := r.Store.ListQuarantine(ctx, "portsmouth")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, f := range reports.LocalFigures(p, recs, held, now, reports.Window) {
		got[f.Name+"/"+f.Of] = f.Value
	}
	if got["EmailQuarantined/"] != 1 || got["NotificationUndeliverable/"] != 1 || got["DeadlinesMissed/screening.csc"] != 2 {
		t.Errorf("figures: %v", got)
	}
}
