package actions_test

import (
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/actions"
	"github.com/safeguarding/mash/shared/cases"
	"github.com/safeguarding/mash/shared/clock"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/intake"
	"github.com/safeguarding/mash/shared/internal/steptest"
	"github.com/safeguarding/mash/shared/local"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/screening"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/store/embedded"
	"github.com/safeguarding/mash/shared/workflow"
)

// suite is the whole front door (real store, the contact machine on the Go executor), so an action's task
// token is a real one.
func suite(t *testing.T, at string) (*local.Suite, *clock.FakeClock) {
	t.Helper()
	dir := t.TempDir()
	clk := clock.NewFakeClock(steptest.London(t, at))
	st, err := embedded.Open(filepath.Join(dir, "store.db"), clk.Now)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	s, err := local.New(context.Background(), local.Options{Dir: dir, OutboxDir: filepath.Join(dir, "outbox"), Store: st, Clock: clk,
		Log: slog.New(slog.DiscardHandler), ConsoleURL: "http://localhost:8080"})
	if err != nil {
		t.Fatal(err)
	}
	return s, clk
}

func referral(t *testing.T, s *local.Suite, authority domain.AuthorityID) domain.ContactID {
	t.Helper()
	res, err := s.Intake.CreateReferral(context.Background(), authority, intake.Referral{
		Children: []domain.Child{{GivenName: "Zebedee", FamilyName: "Canarybird", DateOfBirth: domain.Date{Y: 2017, M: 4, D: 2}}},
		Referrer: domain.Referrer{Name: "Ann Teacher", Email: "dsl@school.example"},
		Concerns: "bruising", Consent: domain.Consent{Status: domain.ConsentGiven}}, "")
	if err != nil {
		t.Fatal(err)
	}
	return res[0].ContactID
}

func fields(err error) []string {
	var de *domain.Error
	if !errors.As(err, &de) {
		return nil
	}
	var out []string
	for _, f := range de.Fields {
		out = append(out, f.Field)
	}
	return out
}

// Northamptonshire §7: a rating — and its review — needs a written rationale (400 naming rationale); a
// decision before the rating is a conflict naming the status and the allowed ones (409).
func TestNorthamptonshire_7_RatingNeedsRationale_DecisionBeforeRatingConflicts(t *testing.T) {
	s, _ := suite(t, "2027-03-10 10:00")
	ctx := context.Background()
	id := referral(t, s, "northamptonshire")
	_, err := s.Actions.Rate(ctx, id, actions.Rate{Value: domain.RatingRed, By: "tm"})
	if f := fields(err); len(f) != 1 || f[0] != "rationale" {
		t.Fatalf("err %v, want invalid naming rationale", err)
	}
	_, err = s.Actions.Decide(ctx, id, actions.Decide{Outcome: domain.OutcomeS17, Rationale: "r", By: "tm"})
	var de *domain.Error
	if !errors.As(err, &de) || de.Code != domain.CodeConflict || !strings.Contains(de.Message, "awaiting-rating") || !strings.Contains(de.Message, "awaiting-decision") {
		t.Fatalf("decide before rating: %v, want a conflict naming awaiting-rating and the allowed statuses", err)
	}
	if _, err := s.Actions.Rate(ctx, id, actions.Rate{Value: domain.RatingRed, Rationale: "serious injury", By: "tm"}); err != nil {
		t.Fatal(err)
	}
	// Reviewed with the same words: a new rationale is required.
	_, err = s.Actions.Rate(ctx, id, actions.Rate{Value: domain.RatingAmber, Rationale: "serious injury", By: "tm"})
	if f := fields(err); len(f) != 1 || f[0] != "rationale" {
		t.Fatalf("re-rating with the old rationale: %v, want invalid naming rationale", err)
	}
}

// Northamptonshire §10: on disagreement the CSC service manager makes the final determination. Escalating
// needs a reason (400), puts the contact on the service manager's tray, and the decision names the role.
func TestNorthamptonshire_10_EscalatedDecision_ServiceManagerDecides(t *testing.T) {
	s, _ := suite(t, "2027-03-10 10:00")
	ctx := context.Background()
	id := referral(t, s, "northamptonshire")
	if _, err := s.Actions.Rate(ctx, id, actions.Rate{Value: domain.RatingAmber, Rationale: "r", By: "tm", NoChecks: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Actions.Escalate(ctx, id, actions.Escalate{By: "pc-1"}); len(fields(err)) != 1 || fields(err)[0] != "reason" {
		t.Fatalf("escalate without reason: %v", err)
	}
	if _, err := s.Actions.Escalate(ctx, id, actions.Escalate{By: "pc-1", Reason: "police consider this unsafe"}); err != nil {
		t.Fatal(err)
	}
	it, err := s.Store.GetTrayItem(ctx, string(id)+"#"+string(domain.TrayServiceManager))
	if err != nil || it.Tray != string(domain.TrayServiceManager) {
		t.Fatalf("service manager's tray item %+v %v", it, err)
	}
	// Issue #16: screening cannot finish without the census codes the referral did not give.
	_, err = s.Actions.Decide(ctx, id, actions.Decide{Outcome: domain.OutcomeS47, Rationale: "final determination", By: "sm-1"})
	if f := fields(err); domain.ErrorCode(err) != domain.CodeConflict || strings.Join(f, " ") != "census.source census.gender census.ethnicity" {
		t.Fatalf("decision without the census codes: %v (fields %v), want a conflict naming each", err, f)
	}
	if _, err := s.Actions.Census(ctx, id, actions.Census{Source: "2A", Gender: "1", Ethnicity: "NOBT", By: "sm-1"}); err != nil {
		t.Fatal(err)
	}
	c, err := s.Actions.Decide(ctx, id, actions.Decide{Outcome: domain.OutcomeS47, Rationale: "final determination", By: "sm-1"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Outcome.Role != "CSC Service Manager" || c.Outcome.By != "sm-1" {
		t.Errorf("decided by %s as %q", c.Outcome.By, c.Outcome.Role)
	}
	if it, _ := s.Store.GetTrayItem(ctx, string(id)+"#"+string(domain.TrayServiceManager)); it.CompletedAt.IsZero() {
		t.Error("the service manager's item is still open after the decision")
	}
}

// Hackney §7: consent may be overridden only where there are urgent concerns for the child's safety.
func TestHackney_7_ConsentOverride_NeedsUrgentRisk(t *testing.T) {
	s, _ := suite(t, "2027-03-10 10:00")
	ctx := context.Background()
	id := referral(t, s, "hackney")
	o := domain.ConsentOverride{By: "m", Rationale: "the child is frightened to go home", LegalBasis: domain.LegalBasisCaldicott}
	if _, err := s.Actions.OverrideConsent(ctx, id, o); len(fields(err)) != 1 || fields(err)[0] != "urgentRisk" {
		t.Fatalf("override without urgent risk: %v, want invalid naming urgentRisk", err)
	}
	o.UrgentRisk = true
	if _, err := s.Actions.OverrideConsent(ctx, id, o); err != nil {
		t.Fatal(err)
	}
}

// ratedGreenRiskRaised is a Hackney contact rated Green whose first partner check (of its reqs) was answered
// with the risk raised.
func ratedGreenRiskRaised(t *testing.T) (*local.Suite, *clock.FakeClock, domain.ContactID, []store.CheckRequest) {
	t.Helper()
	s, clk := suite(t, "2027-03-10 10:00")
	ctx := context.Background()
	id := referral(t, s, "hackney")
	if _, err := s.Actions.Rate(ctx, id, actions.Rate{Value: domain.RatingGreen, Rationale: "low", By: "m"}); err != nil {
		t.Fatal(err)
	}
	reqs, err := s.Store.ListChecks(ctx, id)
	if err != nil || len(reqs) < 2 {
		t.Fatalf("checks %v %v", reqs, err)
	}
	if _, err := s.Actions.AnswerCheck(ctx, id, reqs[0].ID, actions.Answer{By: "pc", Summary: "recent violence", RiskHigher: true}); err != nil {
		t.Fatal(err)
	}
	return s, clk, id, reqs
}

// Hackney §5: a partner whose information raises the risk flags it to the manager without delay: the
// manager is told and the contact goes to the top of the service manager's tray.
func TestHackney_5_RiskHigherAnswer_TopOfManagersTray(t *testing.T) {
	s, clk, id, _ := ratedGreenRiskRaised(t)
	ctx := context.Background()
	// Its own short deadline: rerate.raised-risk (1 hour from the answer), stamped on the contact and the
	// tray item's due time, ahead of the day's work.
	c, err := s.Store.GetContact(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	due := c.Deadlines[policy.RuleRerateRaisedRisk]
	if want := clk.Now().Add(time.Hour); !due.Equal(want) {
		t.Fatalf("rerate.raised-risk = %v, want %v", due, want)
	}
	items, err := s.Store.DueItems(ctx, string(domain.TrayServiceManager), due.Add(1), 0)
	if err != nil || len(items) != 1 || items[0].ContactID != id || !items[0].DueAt.Equal(due) || items[0].Rule != policy.RuleRerateRaisedRisk {
		t.Fatalf("service manager's tray %+v %v: want one item due %v by %s", items, err, due, policy.RuleRerateRaisedRisk)
	}
	ns, _ := s.Store.ListNotifications(ctx, id)
	told := false
	for _, n := range ns {
		told = told || n.Kind == string(domain.NoticeRiskRaised)
	}
	if !told {
		t.Error("the manager was not told")
	}
	var ev store.AuditEvent
	evs, _ := s.Store.ListAudit(ctx, id)
	for _, e := range evs {
		if e.Action == "check.answered" {
			ev = e
		}
	}
	if ev.Detail["riskHigher"] != "true" {
		t.Errorf("audit %+v", ev)
	}
}

// Hackney §4(1): a contact a worker finds meets the section 47 remit is brought to a manager's immediate
// attention and progressed without delay; Northamptonshire §7: its strategy discussion within the hour. An
// allegation flag set after intake tells the LADO at once and starts its clock.
func TestHackney_4_1_S47FlaggedByWorker_TopOfManagersTrayAndDutyManagerTold(t *testing.T) {
	s, clk := suite(t, "2027-03-10 10:00")
	ctx := context.Background()
	id := referral(t, s, "northamptonshire")
	if _, err := s.Actions.Flag(ctx, id, actions.Flag{By: "sw"}); len(fields(err)) != 1 || fields(err)[0] != "flags" {
		t.Fatalf("no flag named: %v", err)
	}
	c, err := s.Actions.Flag(ctx, id, actions.Flag{S47: true, AllegationAgainstProfessional: true, By: "sw"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.Deadlines["strategy.red"], clk.Now().Add(time.Hour).UTC(); !got.Equal(want) {
		t.Errorf("strategy.red %v, want %v", got, want)
	}
	if _, ok := c.Deadlines["lado"]; !ok {
		t.Error("no lado deadline after the flag")
	}
	items, err := s.Store.DueItems(ctx, string(domain.TrayServiceManager), clk.Now().Add(2*time.Hour), 0)
	if err != nil || len(items) != 1 || !items[0].DueAt.Equal(clk.Now().Add(time.Hour).UTC()) {
		t.Fatalf("service manager's tray %+v %v, want the contact due within Red's hour", items, err)
	}
	ns, _ := s.Store.ListNotifications(ctx, id)
	got := map[string]bool{}
	for _, n := range ns {
		got[n.Kind] = true
	}
	for _, k := range []domain.NoticeKind{domain.NoticeRiskRaised, domain.NoticeStrategy, domain.NoticeLADO} {
		if !got[string(k)] {
			t.Errorf("no %s notice: %v", k, got)
		}
	}
}

// The chase of an overdue check stops when a manager closes it with a reason (400 without one).
func TestHackney_5_ManagerClosesUnansweredCheck_ChaseStops(t *testing.T) {
	s, _ := suite(t, "2027-03-10 10:00")
	ctx := context.Background()
	id := referral(t, s, "hackney")
	if _, err := s.Actions.Rate(ctx, id, actions.Rate{Value: domain.RatingRed, Rationale: "r", By: "m"}); err != nil {
		t.Fatal(err)
	}
	reqs, err := s.Store.ListChecks(ctx, id)
	if err != nil || len(reqs) == 0 {
		t.Fatalf("%v %v", reqs, err)
	}
	if _, err := s.Actions.CloseCheck(ctx, id, reqs[0].ID, actions.CloseCheck{By: "m"}); len(fields(err)) != 1 || fields(err)[0] != "reason" {
		t.Fatalf("close without reason: %v", err)
	}
	if _, err := s.Actions.CloseCheck(ctx, id, reqs[0].ID, actions.CloseCheck{By: "m", Reason: "agency has no record system today"}); err != nil {
		t.Fatal(err)
	}
	it, err := s.Store.GetTrayItem(ctx, string(id)+"#checks#"+reqs[0].ID)
	if err != nil || it.CompletedAt.IsZero() {
		t.Errorf("the check's item is still open: %+v %v", it, err)
	}
	evs, _ := s.Store.ListAudit(ctx, id)
	closed := false
	for _, e := range evs {
		closed = closed || (e.Action == "check.closed" && e.Reason != "")
	}
	if !closed {
		t.Error("no check.closed event with its reason")
	}
}

// Issue #16: the census action records the codes the screener chose, audited census.set naming the fields
// (never the codes); a code not on its list is a 400 naming the field and the allowed codes, and loses
// nothing already recorded; it works in any status (a correction after the decision included).
func TestAnnexA_CensusAction_RecordsAuditedAndRefusesUnknownCodes(t *testing.T) {
	s, _ := suite(t, "2027-03-10 10:00")
	ctx := context.Background()
	id := referral(t, s, "portsmouth")
	c, err := s.Actions.Census(ctx, id, actions.Census{Source: "2A", By: "sw-1"})
	if err != nil || c.Census == nil || c.Census.Source != "2A" || c.Census.By != "sw-1" {
		t.Fatalf("census %+v, %v", c.Census, err)
	}
	_, err = s.Actions.Census(ctx, id, actions.Census{Gender: "x", Ethnicity: "Martian", By: "sw-1"})
	if f := fields(err); domain.ErrorCode(err) != domain.CodeInvalid || strings.Join(f, " ") != "census.ethnicity census.gender" ||
		!strings.Contains(err.Error(), "NOBT (Information not yet obtained)") {
		t.Fatalf("bad codes: %v, want invalid naming census.gender and census.ethnicity with the allowed codes", err)
	}
	if _, err := s.Actions.Census(ctx, id, actions.Census{Gender: "2"}); strings.Join(fields(err), " ") != "by" {
		t.Errorf("without who: %v, want invalid naming by", err)
	}
	c, err = s.Actions.Census(ctx, id, actions.Census{Gender: "2", Ethnicity: "WBRI", By: "sw-2"})
	if err != nil || c.Census.Source != "2A" || c.Census.Gender != "2" || c.Census.Ethnicity != "WBRI" {
		t.Fatalf("census %+v, %v: the earlier source must stay", c.Census, err)
	}
	evs, err := s.Store.ListAudit(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	var sets []string
	for _, e := range evs {
		if e.Action == "census.set" {
			sets = append(sets, e.Actor+":"+e.Detail["fields"])
			for k, v := range e.Detail {
				if strings.Contains(v, "WBRI") {
					t.Errorf("the audit carries a code (%s=%s): it names fields only", k, v)
				}
			}
		}
	}
	if slices.Sort(sets); strings.Join(sets, ", ") != "sw-1:source, sw-2:gender ethnicity" {
		t.Errorf("census.set events %v", sets)
	}
}

// openItem reports whether the tray item is there and still open (neither closed nor absent).
func openItem(t *testing.T, s *local.Suite, itemID string) bool {
	t.Helper()
	it, err := s.Store.GetTrayItem(context.Background(), itemID)
	if domain.ErrorCode(err) == domain.CodeNotFound {
		return false
	}
	if err != nil {
		t.Fatal(err)
	}
	return it.CompletedAt.IsZero()
}

// Hackney §5: a partner's raised risk puts the contact on the service manager's tray for an immediate
// re-rating; the re-rating is what that item asks, so it closes the item (by the manager who re-rated), and
// the SLA sweep no longer finds it once its hour has passed.
func TestHackney_5_RaisedRiskItem_ClosedByReRating(t *testing.T) {
	s, clk, id, reqs := ratedGreenRiskRaised(t)
	ctx := context.Background()
	item := string(id) + "#" + string(domain.TrayServiceManager) + "#risk#" + reqs[0].ID
	if !openItem(t, s, item) {
		t.Fatalf("no open raised-risk item %s after the answer", item)
	}
	if _, err := s.Actions.Rate(ctx, id, actions.Rate{Value: domain.RatingRed, Rationale: "the police answer raises it", By: "m2"}); err != nil {
		t.Fatal(err)
	}
	it, err := s.Store.GetTrayItem(ctx, item)
	if err != nil || it.CompletedAt.IsZero() || it.CompletedBy != "m2" {
		t.Fatalf("raised-risk item after the re-rating: %+v %v, want closed by m2", it, err)
	}
	clk.Advance(3 * time.Hour)
	items, err := s.Store.DueItems(ctx, string(domain.TrayServiceManager), clk.Now(), 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range items {
		if x.ContactID == id {
			t.Errorf("the sweep still finds %s on the service manager's tray after the re-rating", x.ID)
		}
	}
}

// Hackney §4(1): a contact found to meet the section 47 threshold goes to the top of the service manager's
// tray; the decision the manager records (with its strategy discussion) ends it, and the item closes with it.
// A contact merged into another closes the service manager's items it had (S47, raised risk).
func TestHackney_4_1_S47Item_ClosedByDecisionOrMerge(t *testing.T) {
	s, clk := suite(t, "2027-03-10 10:00")
	ctx := context.Background()
	id := referral(t, s, "hackney")
	if _, err := s.Actions.Flag(ctx, id, actions.Flag{S47: true, By: "sw"}); err != nil {
		t.Fatal(err)
	}
	s47 := string(id) + "#" + string(domain.TrayServiceManager) + "#s47"
	if !openItem(t, s, s47) {
		t.Fatalf("no open S47 item %s after the flag", s47)
	}
	if _, err := s.Actions.Rate(ctx, id, actions.Rate{Value: domain.RatingRed, Rationale: "s47", By: "m", NoChecks: true}); err != nil {
		t.Fatal(err)
	}
	// The decision's item names the deadline it is due by (Hackney §4 timescale 3: the CSC screening decision
	// within 24 hours, later than Red's 4-hour checks window), for the console's Rule column.
	c, err := s.Store.GetContact(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if it, err := workflow.OpenWait(ctx, s.Store, c, string(domain.TrayDecision)); err != nil || it == nil || it.Rule != policy.RuleScreeningCSC ||
		!it.DueAt.Equal(c.Deadlines[policy.RuleScreeningCSC]) {
		t.Errorf("decision item %+v %v: want due by %s (%v)", it, err, policy.RuleScreeningCSC, c.Deadlines[policy.RuleScreeningCSC])
	}
	if _, err := s.Actions.Census(ctx, id, actions.Census{Source: "2A", Gender: "1", Ethnicity: "NOBT", By: "m"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Actions.Decide(ctx, id, actions.Decide{Outcome: domain.OutcomeS47, Rationale: "strategy discussion", By: "m"}); err != nil {
		t.Fatal(err)
	}
	if it, err := s.Store.GetTrayItem(ctx, s47); err != nil || it.CompletedAt.IsZero() || it.CompletedBy != "m" {
		t.Fatalf("S47 item after the decision: %+v %v, want closed by m", it, err)
	}
	clk.Advance(6 * time.Hour)
	if items, _ := s.Store.DueItems(ctx, string(domain.TrayServiceManager), clk.Now(), 0); slices.ContainsFunc(items, func(x store.TrayItem) bool { return x.ContactID == id }) {
		t.Errorf("the sweep still finds the decided contact on the service manager's tray: %+v", items)
	}

	// Merged: the duplicate, flagged S47, waits for its rating; merging it closes its S47 item.
	primary, dup := referral(t, s, "hackney"), referral(t, s, "hackney")
	if _, err := s.Actions.Flag(ctx, dup, actions.Flag{S47: true, By: "sw"}); err != nil {
		t.Fatal(err)
	}
	dupItem := string(dup) + "#" + string(domain.TrayServiceManager) + "#s47"
	if !openItem(t, s, dupItem) {
		t.Fatalf("no open S47 item %s after the flag", dupItem)
	}
	if _, err := s.Actions.Merge(ctx, primary, dup, "m"); err != nil {
		t.Fatal(err)
	}
	if openItem(t, s, dupItem) {
		t.Errorf("the merged contact's S47 item %s is still open", dupItem)
	}
}

// Hackney §4(1) and §5: a contact closed while its service manager's items are open (flagged S47 after the
// decision; a partner's raised risk the decision went ahead without re-rating) takes them off the tray in the
// closure's own write, by who closed it. Reopened while the reasons still hold, it brings them back as items of
// the new pass: the S47 item due by Red's checks window from the reopening, the raised risk's re-rating due by
// its own clock from the reopening; the new pass's first rating answers the raised risk, its decision the S47
// item. A contact reopened with nothing holding re-raises nothing.
func TestHackney_4_1_5_ServiceManagerItems_ClosedWithTheContactAndReRaisedOnReopening(t *testing.T) {
	s, clk, id, reqs := ratedGreenRiskRaised(t)
	ctx := context.Background()
	risk := actions.RiskItemID(id, reqs[0].ID)
	for _, q := range reqs[1:] {
		if _, err := s.Actions.AnswerCheck(ctx, id, q.ID, actions.Answer{By: "pc", Summary: "nothing known"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Actions.Census(ctx, id, actions.Census{Source: "2A", Gender: "1", Ethnicity: "NOBT", By: "m"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Actions.Decide(ctx, id, actions.Decide{Outcome: domain.OutcomeS17, Rationale: "assessment", By: "m"}); err != nil {
		t.Fatal(err)
	}
	if openItem(t, s, risk) {
		t.Fatalf("the decision left the raised-risk item %s open", risk)
	}
	// New information after the decision: a worker finds the S47 threshold met.
	c, err := s.Actions.Flag(ctx, id, actions.Flag{S47: true, By: "sw"})
	if err != nil {
		t.Fatal(err)
	}
	s47 := actions.S47ItemID(c)
	if !openItem(t, s, s47) {
		t.Fatalf("no open S47 item %s after the flag", s47)
	}
	if _, err := s.Actions.Close(ctx, id, actions.Close{By: "sm-1", Reason: "passed to the assessment team"}); err != nil {
		t.Fatal(err)
	}
	if it, err := s.Store.GetTrayItem(ctx, s47); err != nil || it.CompletedAt.IsZero() || it.CompletedBy != "sm-1" {
		t.Fatalf("S47 item after the closure: %+v %v, want closed by sm-1", it, err)
	}

	clk.Advance(2 * time.Hour)
	reopenedAt := clk.Now()
	c, err = s.Actions.Reopen(ctx, id, actions.Close{By: "sm-1", Reason: "school reports new injuries"})
	if err != nil {
		t.Fatal(err)
	}
	p := s.Policies[c.Authority]
	redDue, err := p.Due(policy.RuleChecksRed, reopenedAt)
	if err != nil {
		t.Fatal(err)
	}
	rerateDue, err := p.Due(policy.RuleRerateRaisedRisk, reopenedAt)
	if err != nil {
		t.Fatal(err)
	}
	s47Again, riskAgain := actions.S47ItemID(c), actions.ReraisedRiskItemID(c)
	if s47Again == s47 {
		t.Fatalf("the reopened contact's S47 item has the first pass's id %s", s47)
	}
	for _, want := range []struct {
		id, rule string
		due      time.Time
	}{{s47Again, policy.RuleChecksRed, redDue}, {riskAgain, policy.RuleRerateRaisedRisk, rerateDue}} {
		it, err := s.Store.GetTrayItem(ctx, want.id)
		if err != nil || !it.CompletedAt.IsZero() || it.Tray != string(domain.TrayServiceManager) || it.Rule != want.rule || !it.DueAt.Equal(want.due.UTC()) {
			t.Errorf("re-raised item %s: %+v %v, want open on the service manager's tray by %s at %v", want.id, it, err, want.rule, want.due)
		}
	}
	if got := c.Deadlines[policy.RuleRerateRaisedRisk]; !got.Equal(rerateDue.UTC()) {
		t.Errorf("rerate.raised-risk %v after the reopening, want %v", got, rerateDue)
	}
	if it, _ := s.Store.GetTrayItem(ctx, s47); it.CompletedBy != "sm-1" {
		t.Errorf("the first pass's S47 item changed: %+v", it)
	}
	evs, _ := s.Store.ListAudit(ctx, id)
	if i := slices.IndexFunc(evs, func(e store.AuditEvent) bool { return e.Action == "contact.reopened" }); i < 0 ||
		evs[i].Detail["reraised"] != policy.RuleChecksRed+" "+policy.RuleRerateRaisedRisk {
		t.Errorf("the reopening's event does not name what it re-raised: %+v", evs)
	}

	// The new pass: its first rating answers the raised risk, its decision the S47 item.
	if err := s.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	if c, _ = s.Store.GetContact(ctx, id); c.Status != domain.StatusAwaitingRating {
		t.Fatalf("the new pass is %s, want awaiting-rating", c.Status)
	}
	if _, err := s.Actions.Rate(ctx, id, actions.Rate{Value: domain.RatingRed, Rationale: "new injuries", By: "m2", NoChecks: true}); err != nil {
		t.Fatal(err)
	}
	if it, err := s.Store.GetTrayItem(ctx, riskAgain); err != nil || it.CompletedBy != "m2" {
		t.Errorf("re-raised risk item after the first rating: %+v %v, want closed by m2", it, err)
	}
	if !openItem(t, s, s47Again) {
		t.Errorf("the rating closed the S47 item %s", s47Again)
	}
	if err := s.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Actions.Decide(ctx, id, actions.Decide{Outcome: domain.OutcomeS47, Rationale: "strategy discussion", By: "m2"}); err != nil {
		t.Fatal(err)
	}
	if it, err := s.Store.GetTrayItem(ctx, s47Again); err != nil || it.CompletedBy != "m2" {
		t.Errorf("re-raised S47 item after the decision: %+v %v, want closed by m2", it, err)
	}

	// Nothing holding: a contact decided and closed with no flag and no raised risk re-raises nothing.
	plain := referral(t, s, "hackney")
	if _, err := s.Actions.Rate(ctx, plain, actions.Rate{Value: domain.RatingAmber, Rationale: "r", By: "m", NoChecks: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Actions.Census(ctx, plain, actions.Census{Source: "2A", Gender: "1", Ethnicity: "NOBT", By: "m"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Actions.Decide(ctx, plain, actions.Decide{Outcome: domain.OutcomeS17, Rationale: "r", By: "m"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Actions.Close(ctx, plain, actions.Close{By: "sm-1", Reason: "done"}); err != nil {
		t.Fatal(err)
	}
	pc, err := s.Actions.Reopen(ctx, plain, actions.Close{By: "sm-1", Reason: "new information"})
	if err != nil {
		t.Fatal(err)
	}
	for _, item := range []string{actions.S47ItemID(pc), actions.ReraisedRiskItemID(pc)} {
		if _, err := s.Store.GetTrayItem(ctx, item); domain.ErrorCode(err) != domain.CodeNotFound {
			t.Errorf("a reopening with nothing holding put %s: %v", item, err)
		}
	}
}

// closesFail is the store of a function that stops right after its action's write: every close of a tray item
// apart from a contact's change fails. The items an action ends must then be closed by the action's own write
// (store.Change.Closes), never left open on their trays.
type closesFail struct{ store.Store }

var errStopped = errors.New("the function stopped after its write")

func (closesFail) CompleteTrayItem(context.Context, string, string) (store.TrayItem, error) {
	return store.TrayItem{}, errStopped
}

func (closesFail) CloseTrayItem(context.Context, string, string, store.AuditEvent) (store.TrayItem, error) {
	return store.TrayItem{}, errStopped
}

// stopping is the suite's actions over closesFail.
func stopping(s *local.Suite) actions.Service {
	a := s.Actions
	a.Store = closesFail{s.Store}
	return a
}

// A rating ends the out-of-hours item of a contact routed out of hours, a re-rating ends the items of the
// checks it supersedes, and a confirmed match that forwards the contact ends both: each in the action's own
// write, so a function that stops between its write and a close after it can no longer leave one open (each
// item was closed after the write before, and stayed open on its tray until the sweep escalated it).
func TestRateAndMatch_CloseTheItemsTheyEndInTheirOwnWrite(t *testing.T) {
	ctx := context.Background()
	openChecks := func(t *testing.T, s *local.Suite, id domain.ContactID) []string {
		t.Helper()
		reqs, err := s.Store.ListChecks(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, q := range reqs {
			if q.Answer == nil && openItem(t, s, actions.CheckItemID(id, q.ID)) {
				ids = append(ids, actions.CheckItemID(id, q.ID))
			}
		}
		return ids
	}
	closedBy := func(t *testing.T, s *local.Suite, item, by string) {
		t.Helper()
		it, err := s.Store.GetTrayItem(ctx, item)
		if err != nil || it.CompletedAt.IsZero() || it.CompletedBy != by {
			t.Errorf("item %s: closed at %v by %q (%v), want closed by %s in the action's write", item, it.CompletedAt, it.CompletedBy, err, by)
		}
	}
	t.Run("rating ends the out-of-hours item", func(t *testing.T) {
		s, clk := suite(t, "2027-03-05 17:30") // Friday evening: queued for Monday's opening
		res, err := s.Intake.RecordContact(ctx, "hackney", intake.Recorded{Channel: domain.ChannelPhone, RecordedBy: "contact-officer-1",
			Child:    domain.Child{GivenName: "Zebedee", FamilyName: "Canarybird", DateOfBirth: domain.Date{Y: 2016, M: 9, D: 1}},
			Referrer: domain.Referrer{Name: "A Neighbour", Phone: "07700 900123"}, Concerns: "shouting and a child crying for hours",
			ImmediateHarm: intake.HarmOf(false), Consent: domain.Consent{Status: domain.ConsentUnknown}}, "")
		if err != nil {
			t.Fatal(err)
		}
		id := res[0].ContactID
		ooh := string(id) + "#ooh"
		if !openItem(t, s, ooh) {
			t.Fatalf("no open out-of-hours item %s", ooh)
		}
		clk.Set(steptest.London(t, "2027-03-08 09:05"))
		if err := s.Tick(ctx); err != nil {
			t.Fatal(err)
		}
		if c, err := s.Store.GetContact(ctx, id); err != nil || c.Status != domain.StatusAwaitingRating {
			t.Fatalf("after the opening: %v %v, want awaiting rating", c.Status, err)
		}
		if _, err := stopping(s).Rate(ctx, id, actions.Rate{Value: domain.RatingGreen, Rationale: "low", By: "m"}); err != nil {
			t.Fatal(err)
		}
		closedBy(t, s, ooh, "m")
	})
	t.Run("re-rating ends the superseded checks' items", func(t *testing.T) {
		s, _ := suite(t, "2027-03-10 10:00")
		id := referral(t, s, "hackney")
		if _, err := s.Actions.Rate(ctx, id, actions.Rate{Value: domain.RatingGreen, Rationale: "low", By: "m"}); err != nil {
			t.Fatal(err)
		}
		before := openChecks(t, s, id)
		if len(before) < 2 {
			t.Fatalf("open checks %v, want at least two (one closed by the re-rating's completion, the others by its closes)", before)
		}
		if _, err := stopping(s).Rate(ctx, id, actions.Rate{Value: domain.RatingRed, Rationale: "worse", By: "m2"}); err != nil {
			t.Fatal(err)
		}
		for _, item := range before {
			closedBy(t, s, item, "m2")
		}
	})
	t.Run("confirmed match ends the out-of-hours and superseded checks' items", func(t *testing.T) {
		s, clk := suite(t, "2027-03-05 17:30")
		if _, err := cases.Import(ctx, s.Store, "hackney", "m", []cases.Row{{"caseId": "M-9", "givenName": "Zebedie", "familyName": "Canarybird",
			"dateOfBirth": "2016-09-01", "status": "open", "allocatedWorker": "Sam Worker", "workerEmail": "sam.worker@hackney.gov.uk"}}, clk.Now()); err != nil {
			t.Fatal(err)
		}
		record := func() domain.ContactID {
			res, err := s.Intake.RecordContact(ctx, "hackney", intake.Recorded{Channel: domain.ChannelPhone, RecordedBy: "contact-officer-1",
				Child:    domain.Child{GivenName: "Zebedee", FamilyName: "Canarybird", DateOfBirth: domain.Date{Y: 2016, M: 9, D: 1}},
				Referrer: domain.Referrer{Name: "A Neighbour", Phone: "07700 900123"}, Concerns: "shouting and a child crying for hours",
				ImmediateHarm: intake.HarmOf(false), Consent: domain.Consent{Status: domain.ConsentUnknown}}, "")
			if err != nil {
				t.Fatal(err)
			}
			return res[0].ContactID
		}
		confirm := func(id domain.ContactID) {
			t.Helper()
			c, err := s.Store.GetContact(ctx, id)
			if err != nil || len(c.MatchCandidates) == 0 {
				t.Fatalf("candidates %+v %v, want the fuzzy match M-9", c, err)
			}
			if _, err := stopping(s).Match(ctx, id, actions.Match{Candidate: c.MatchCandidates[0].ID, Decision: "confirm", By: "sw"}); err != nil {
				t.Fatal(err)
			}
			if c, _ := s.Store.GetContact(ctx, id); c.Status != domain.StatusForwarded {
				t.Fatalf("status %s, want forwarded", c.Status)
			}
		}
		// Routed out of hours, confirmed while it waits for its rating: the forward ends its out-of-hours item.
		night := record()
		clk.Set(steptest.London(t, "2027-03-08 09:05"))
		if err := s.Tick(ctx); err != nil {
			t.Fatal(err)
		}
		if !openItem(t, s, string(night)+"#ooh") {
			t.Fatal("no open out-of-hours item before the forward")
		}
		confirm(night)
		closedBy(t, s, string(night)+"#ooh", "sw")
		// Confirmed in checks: the forward ends the checks it supersedes.
		day := record()
		if _, err := s.Actions.Rate(ctx, day, actions.Rate{Value: domain.RatingGreen, Rationale: "low", By: "m"}); err != nil {
			t.Fatal(err)
		}
		checks := openChecks(t, s, day)
		if len(checks) < 2 {
			t.Fatalf("open checks %v, want at least two", checks)
		}
		confirm(day)
		for _, item := range checks {
			closedBy(t, s, item, "sw")
		}
	})
}

// Hackney §4(5–6): the answer to a request for information takes its item off the information-request tray in
// the answer's own write, so a function stopping after that write cannot leave an answered request on the tray.
func TestHackney_4_InformationRequestAnswered_ItsItemClosedInTheSameWrite(t *testing.T) {
	s, _ := suite(t, "2027-03-10 10:00")
	ctx := context.Background()
	res, err := s.Intake.CreateReferral(ctx, "hackney", intake.Referral{
		Children: []domain.Child{{GivenName: "Zebedee", FamilyName: "Canarybird", DateOfBirth: domain.Date{Y: 2017, M: 4, D: 2}}},
		Referrer: domain.Referrer{Name: "Ann Teacher", Email: "dsl@school.example"},
		Concerns: "is the family known to you?", Consent: domain.Consent{Status: domain.ConsentGiven},
		Flags: domain.Flags{InformationRequest: true}}, "")
	if err != nil {
		t.Fatal(err)
	}
	id := res[0].ContactID
	item := screening.InfoItemID(id)
	if !openItem(t, s, item) {
		t.Fatalf("no open information-request item %s", item)
	}
	if _, err := s.Actions.Census(ctx, id, actions.Census{Source: "2A", Gender: "1", Ethnicity: "NOBT", By: "w"}); err != nil {
		t.Fatal(err)
	}
	if _, err := stopping(s).Respond(ctx, id, "known to early help; no open case", "w"); err != nil {
		t.Fatal(err)
	}
	if it, err := s.Store.GetTrayItem(ctx, item); err != nil || it.CompletedAt.IsZero() || it.CompletedBy != "w" {
		t.Errorf("the information-request item: closed at %v by %q (%v), want closed by w in the answer's write", it.CompletedAt, it.CompletedBy, err)
	}
}
