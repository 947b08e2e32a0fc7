package lifecycle_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/lifecycle"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/store"
)

func london(t *testing.T, s string) time.Time {
	t.Helper()
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	v, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func load(t *testing.T, a string) *policy.Policy {
	t.Helper()
	p, err := policy.Load(a)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// contact is a contact in a status, received at the given London time.
func contact(t *testing.T, a string, st domain.Status, received string) *domain.Contact {
	return &domain.Contact{ID: "c_00000000000000000001", Authority: domain.AuthorityID(a), Channel: domain.ChannelForm,
		ReceivedAt: london(t, received), Status: st, Route: domain.RouteMASH, Deadlines: map[string]time.Time{}}
}

// censused is the screener recording the census codes intake could not derive (issue #16: screening cannot
// finish without them), through the transition the census action uses.
func censused(t *testing.T, c *domain.Contact, at time.Time) *domain.Contact {
	t.Helper()
	if _, err := lifecycle.RecordCensus(c, at, "8", "0", "NOBT", "screener"); err != nil {
		t.Fatal(err)
	}
	return c
}

func kinds(ns []lifecycle.Notice) []domain.NoticeKind {
	var out []domain.NoticeKind
	for _, n := range ns {
		out = append(out, n.Kind)
	}
	return out
}

func rated(t *testing.T, p *policy.Policy, c *domain.Contact, at time.Time, r domain.Rating) (lifecycle.Result, lifecycle.Plan) {
	t.Helper()
	res, plan, err := lifecycle.Rate(p, c, at, lifecycle.Rating{Value: r, Rationale: "rationale " + string(r), By: "mgr"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return res, plan
}

// Northamptonshire §7 RAG table and Appendix A: Red — a formal strategy discussion between CSC, Health and
// Police within 1 hour; the notice goes at once. Green — the PCO review within 3 working days.
func TestNorthamptonshire_Red_StrategyDiscussionWithinOneHour(t *testing.T) {
	p := load(t, "northamptonshire")
	at := london(t, "2027-03-03 10:00") // a Wednesday, open
	c := contact(t, "northamptonshire", domain.StatusAwaitingRating, "2027-03-03 09:30")
	res, plan := rated(t, p, c, at, domain.RatingRed)
	if got, want := c.Deadlines[policy.RuleStrategyRed], london(t, "2027-03-03 11:00"); !got.Equal(want) {
		t.Errorf("strategy.red = %v, want %v (1 hour from the rating)", got, want)
	}
	if got, want := plan.ChecksDue, london(t, "2027-03-03 11:00"); !got.Equal(want) {
		t.Errorf("checks due %v, want %v", got, want)
	}
	if !slices.Contains(kinds(res.Notices), domain.NoticeStrategy) {
		t.Errorf("notices %v: want the strategy discussion at once", kinds(res.Notices))
	}
	if c.Status != domain.StatusChecks {
		t.Errorf("status %s, want checks (mandatory agencies police, health, education)", c.Status)
	}
}

func TestNorthamptonshire_Green_PCOReviewWithinThreeWorkingDays(t *testing.T) {
	p := load(t, "northamptonshire")
	c := contact(t, "northamptonshire", domain.StatusAwaitingRating, "2027-03-05 09:30")
	res, _ := rated(t, p, c, london(t, "2027-03-05 10:00"), domain.RatingGreen) // a Friday
	if got, want := c.Deadlines[policy.RulePCOReview], london(t, "2027-03-10 10:00"); !got.Equal(want) {
		t.Errorf("pco-review = %v, want %v (3 working days: Mon, Tue, Wed)", got, want)
	}
	if _, ok := c.Deadlines[policy.RuleStrategyRed]; ok {
		t.Error("a Green rating started strategy.red")
	}
	if slices.Contains(kinds(res.Notices), domain.NoticeStrategy) {
		t.Error("a Green rating sent a strategy notice")
	}
}

// Northamptonshire §7: "A RAG decision can be reviewed at any point … with rationale". The re-rating needs
// a new rationale, recomputes the rating's deadlines from the new rating, and keeps the earlier rating in the
// audit detail.
func TestNorthamptonshire_ReRating_NeedsNewRationale_RecomputesDeadlines(t *testing.T) {
	p := load(t, "northamptonshire")
	c := contact(t, "northamptonshire", domain.StatusAwaitingRating, "2027-03-03 09:00")
	rated(t, p, c, london(t, "2027-03-03 09:30"), domain.RatingAmber)
	if _, ok := c.Deadlines["checks.amber"]; !ok {
		t.Fatal("no checks.amber after an Amber rating")
	}
	_, _, err := lifecycle.Rate(p, c, london(t, "2027-03-03 10:00"), lifecycle.Rating{Value: domain.RatingRed, By: "mgr"}, nil)
	var de *domain.Error
	if !errors.As(err, &de) || de.Code != domain.CodeInvalid || de.Fields[0].Field != "rationale" {
		t.Fatalf("re-rating without rationale: %v, want invalid naming rationale", err)
	}
	_, _, err = lifecycle.Rate(p, c, london(t, "2027-03-03 10:00"), lifecycle.Rating{Value: domain.RatingRed, Rationale: c.Rating.Rationale, By: "mgr"}, nil)
	if domain.ErrorCode(err) != domain.CodeInvalid {
		t.Fatalf("re-rating with the old rationale: %v, want invalid", err)
	}
	res, plan, err := lifecycle.Rate(p, c, london(t, "2027-03-03 10:00"), lifecycle.Rating{Value: domain.RatingRed,
		Rationale: "police say the father has returned", By: "mgr2"}, []domain.Agency{domain.AgencyPolice})
	if err != nil {
		t.Fatal(err)
	}
	if res.Event.Action != "rating.revised" || res.Event.Detail["previousRating"] != "amber" {
		t.Errorf("event %s %v: want rating.revised with previousRating amber", res.Event.Action, res.Event.Detail)
	}
	if _, ok := c.Deadlines["checks.amber"]; ok {
		t.Error("the earlier rating's checks.amber is still on the contact")
	}
	if got, want := c.Deadlines["checks.red"], london(t, "2027-03-03 11:00"); !got.Equal(want) {
		t.Errorf("checks.red %v, want %v", got, want)
	}
	if slices.Contains(plan.Agencies, domain.AgencyPolice) {
		t.Errorf("agencies %v: police already answered, not asked again", plan.Agencies)
	}
	if !slices.Contains(plan.Agencies, domain.AgencyHealth) {
		t.Errorf("agencies %v: health unanswered, asked again by the new deadline", plan.Agencies)
	}
	if !slices.Contains(kinds(res.Notices), domain.NoticeStrategy) {
		t.Error("raising to Red sent no strategy notice")
	}
}

// Statutory guidance (Working Together 2023), Portsmouth §4.11: the LADO is told within one working day of
// an allegation against someone who works with children — from intake when the flag is set, with the
// notice at once, not after the decision.
func TestAllAuthorities_AllegationAtIntake_LADODeadlineAndNoticeAtOnce(t *testing.T) {
	for _, a := range []string{"portsmouth", "hackney", "northamptonshire", "bexley", "barnet"} {
		t.Run(a, func(t *testing.T) {
			p := load(t, a)
			c := contact(t, a, domain.StatusReceived, "2027-03-03 10:00") // Wednesday
			c.Flags.AllegationAgainstProfessional = true
			res, err := lifecycle.Receive(p, c, "intake-api")
			if err != nil {
				t.Fatal(err)
			}
			if got, want := c.Deadlines[policy.RuleLADO], london(t, "2027-03-04 10:00"); !got.Equal(want) {
				t.Errorf("lado %v, want %v", got, want)
			}
			if !slices.Contains(kinds(res.Notices), domain.NoticeLADO) {
				t.Errorf("notices %v, want the LADO notice at intake", kinds(res.Notices))
			}
		})
	}
}

// Operation Encompass (Domestic Abuse Act 2021 s49A): the school is told before the next school day; the
// notice carries the PPN's own incident time. Portsmouth §4.9 shares every PPN; elsewhere domestic abuse
// PPNs only.
func TestEncompass_PPN_NextSchoolDayStart_WithIncidentTime(t *testing.T) {
	cases := []struct {
		authority string
		abuse     bool
		want      bool
	}{
		{"hackney", true, true},
		{"hackney", false, false},
		{"portsmouth", false, true},
	}
	for _, tc := range cases {
		p := load(t, tc.authority)
		c := contact(t, tc.authority, domain.StatusReceived, "2027-03-03 10:00")
		c.Channel, c.Flags.PPN, c.Flags.DomesticAbuse = domain.ChannelPPN, true, tc.abuse
		c.IncidentAt = london(t, "2027-03-02 22:30")
		if _, err := lifecycle.Receive(p, c, "intake-api"); err != nil {
			t.Fatal(err)
		}
		due, ok := c.Deadlines[policy.RuleEncompass]
		n, sent := lifecycle.Encompass(p, c)
		if ok != tc.want || sent != tc.want {
			t.Errorf("%s abuse=%v: encompass deadline %v notice %v, want %v", tc.authority, tc.abuse, ok, sent, tc.want)
			continue
		}
		if !tc.want {
			continue
		}
		if want := london(t, "2027-03-04 08:45"); !due.Equal(want) {
			t.Errorf("%s: encompass due %v, want %v", tc.authority, due, want)
		}
		if n.Extra[domain.ExtraIncidentAt] != c.IncidentAt.UTC().Format(time.RFC3339) {
			t.Errorf("%s: incidentAt %q, want the PPN's own", tc.authority, n.Extra[domain.ExtraIncidentAt])
		}
	}
}

// Portsmouth §7.5: immediate harm is phoned through and followed by the written form within 24 hours.
// Barnet "How do I refer?": the online referral follows the same day.
func TestPhoneCall_ImmediateHarm_WrittenFormDeadline(t *testing.T) {
	cases := []struct {
		authority, at, want string
	}{
		{"portsmouth", "2027-03-03 10:00", "2027-03-04 10:00"},
		{"barnet", "2027-03-03 10:00", "2027-03-03 17:15"}, // Wednesday: the MASH closes 17:15
		{"barnet", "2027-03-05 18:00", "2027-03-08 17:15"}, // Friday after the close: Monday's close
	}
	for _, tc := range cases {
		p := load(t, tc.authority)
		c := contact(t, tc.authority, domain.StatusReceived, tc.at)
		c.Channel, c.ImmediateHarm = domain.ChannelPhone, true
		if _, err := lifecycle.Receive(p, c, "officer"); err != nil {
			t.Fatal(err)
		}
		if got := c.Deadlines[policy.RuleImmediateHarmForm]; !got.Equal(london(t, tc.want)) || !c.Flags.AwaitingWrittenForm {
			t.Errorf("%s %s: immediate-harm-form %v (awaiting %v), want %s", tc.authority, tc.at, got, c.Flags.AwaitingWrittenForm, tc.want)
		}
	}
	p := load(t, "hackney") // no written-form rule
	c := contact(t, "hackney", domain.StatusReceived, "2027-03-03 10:00")
	c.Channel, c.ImmediateHarm = domain.ChannelPhone, true
	if _, err := lifecycle.Receive(p, c, "officer"); err != nil {
		t.Fatal(err)
	}
	if _, ok := c.Deadlines[policy.RuleImmediateHarmForm]; ok || c.Flags.AwaitingWrittenForm {
		t.Error("hackney started a written-form clock it does not have")
	}
}

// Hackney §4 timescales 3-6: CSC screening 24 hours, Early Help screening 72 hours, requests for information
// 10 working days instead of screening.
func TestHackney_Screening_ClockByPathway(t *testing.T) {
	p := load(t, "hackney")
	cases := []struct {
		name  string
		flags domain.Flags
		rule  string
		want  string
	}{
		{"csc", domain.Flags{}, policy.RuleScreeningCSC, "2027-03-04 10:00"},
		{"early help", domain.Flags{EarlyHelp: true}, policy.RuleScreeningEarlyHelp, "2027-03-06 10:00"},
		{"information request", domain.Flags{InformationRequest: true}, policy.RuleInfoRequest, "2027-03-17 10:00"},
	}
	for _, tc := range cases {
		c := contact(t, "hackney", domain.StatusScreening, "2027-03-03 10:00")
		c.Flags = tc.flags
		_, due, err := lifecycle.Screen(p, c, london(t, "2027-03-03 10:00"), "screening")
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Deadlines) != 1 || !c.Deadlines[tc.rule].Equal(london(t, tc.want)) || !due.Equal(london(t, tc.want)) {
			t.Errorf("%s: deadlines %v due %v, want only %s at %s", tc.name, c.Deadlines, due, tc.rule, tc.want)
		}
	}
}

// Hackney §4(1): a contact at immediate risk in hours is brought to a manager's immediate attention.
func TestHackney_ImmediateRiskInHours_DutyManagerToldAtScreening(t *testing.T) {
	p := load(t, "hackney")
	c := contact(t, "hackney", domain.StatusScreening, "2027-03-03 10:00")
	c.ImmediateHarm = true
	res, _, err := lifecycle.Screen(p, c, london(t, "2027-03-03 10:00"), "screening")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(kinds(res.Notices), domain.NoticeRiskRaised) {
		t.Errorf("notices %v, want the duty manager told at once", kinds(res.Notices))
	}
}

// Hackney §5: the referrer is told the outcome unless that is inappropriate, with the reasons recorded.
func TestHackney_FeedbackWithheld_SendsNothingAndRecordsWhy(t *testing.T) {
	p := load(t, "hackney")
	for _, withheld := range []string{"", "the referrer is the alleged perpetrator"} {
		c := censused(t, contact(t, "hackney", domain.StatusAwaitingDecision, "2027-03-03 10:00"), london(t, "2027-03-03 11:00"))
		res, err := lifecycle.Decide(p, c, london(t, "2027-03-03 12:00"), lifecycle.Decision{Code: domain.OutcomeNFA,
			Rationale: "r", By: "mgr", FeedbackWithheldReason: withheld})
		if err != nil {
			t.Fatal(err)
		}
		sent := slices.Contains(kinds(res.Notices), domain.NoticeFeedback)
		if sent != (withheld == "") {
			t.Errorf("withheld %q: feedback sent %v", withheld, sent)
		}
		if withheld != "" && res.Event.Detail["feedbackWithheld"] != withheld {
			t.Errorf("withheld reason not recorded: %v", res.Event.Detail)
		}
	}
}

// Bexley §12: the decision is shared in writing within 48 hours of the decision.
func TestBexley_Decision_FeedbackWithin48Hours(t *testing.T) {
	p := load(t, "bexley")
	c := censused(t, contact(t, "bexley", domain.StatusAwaitingDecision, "2027-03-03 10:00"), london(t, "2027-03-03 11:00"))
	res, err := lifecycle.Decide(p, c, london(t, "2027-03-03 12:00"), lifecycle.Decision{Code: domain.OutcomeNFA, Rationale: "r", By: "mgr"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.Deadlines[policy.RuleDecisionFeedback], london(t, "2027-03-05 12:00"); !got.Equal(want) {
		t.Errorf("decision-feedback %v, want %v", got, want)
	}
	if !slices.Contains(kinds(res.Notices), domain.NoticeFeedback) {
		t.Error("no feedback notice")
	}
}

// Northamptonshire §10: the team manager decides; on disagreement the CSC service manager makes the final
// determination. The decision records the role that made it; the chain ends there.
func TestNorthamptonshire_DecisionChain_ServiceManagerFinalDetermination(t *testing.T) {
	p := load(t, "northamptonshire")
	c := censused(t, contact(t, "northamptonshire", domain.StatusAwaitingDecision, "2027-03-03 10:00"), london(t, "2027-03-03 10:30"))
	if _, _, err := lifecycle.EscalateDecision(p, c, london(t, "2027-03-03 11:00"), "mgr", " "); domain.ErrorCode(err) != domain.CodeInvalid {
		t.Fatalf("escalation without reason: %v, want invalid", err)
	}
	_, to, err := lifecycle.EscalateDecision(p, c, london(t, "2027-03-03 11:00"), "mgr", "police disagree with NFA")
	if err != nil || to != "CSC Service Manager" {
		t.Fatalf("escalated to %q, %v", to, err)
	}
	if _, _, err := lifecycle.EscalateDecision(p, c, london(t, "2027-03-03 11:30"), "mgr", "again"); domain.ErrorCode(err) != domain.CodeConflict {
		t.Errorf("escalating past the end of the chain: %v, want conflict", err)
	}
	res, err := lifecycle.Decide(p, c, london(t, "2027-03-03 12:00"), lifecycle.Decision{Code: domain.OutcomeS17, Rationale: "r", By: "sm"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Outcome.Role != "CSC Service Manager" || res.Event.Detail["role"] != "CSC Service Manager" {
		t.Errorf("decided by role %q, want the service manager", c.Outcome.Role)
	}
}

// A transition from the wrong status is a conflict naming the current status and the allowed ones (HTTP 409).
func TestTransition_WrongStatus_ConflictNamesStatuses(t *testing.T) {
	p := load(t, "hackney")
	c := contact(t, "hackney", domain.StatusScreening, "2027-03-03 10:00")
	_, err := lifecycle.Decide(p, c, london(t, "2027-03-03 12:00"), lifecycle.Decision{Code: domain.OutcomeNFA, Rationale: "r", By: "m"})
	var de *domain.Error
	if !errors.As(err, &de) || de.Code != domain.CodeConflict || !strings.Contains(de.Message, "screening") ||
		!strings.Contains(de.Message, "awaiting-decision") || !strings.Contains(de.Message, "checks") {
		t.Fatalf("err %v: want conflict naming screening and the allowed statuses", err)
	}
	if c.Status != domain.StatusScreening || c.Outcome != nil {
		t.Error("a refused transition changed the contact")
	}
}

// Red found while the MASH is closed (a call the EDT took) still reaches the EDT now.
func TestRed_OutOfHours_EDTNow(t *testing.T) {
	p := load(t, "portsmouth")
	c := contact(t, "portsmouth", domain.StatusAwaitingRating, "2027-03-06 11:00") // Saturday
	res, _ := rated(t, p, c, london(t, "2027-03-06 11:05"), domain.RatingRed)
	if !slices.Contains(kinds(res.Notices), domain.NoticeEDTNow) {
		t.Errorf("notices %v, want EDT now", kinds(res.Notices))
	}
}

// Hackney §5: a partner's answer saying the risk is higher than rated is flagged to the manager without
// delay, for a re-rating with its own short clock (rerate.raised-risk, 1 hour, from the answer); an answer
// that does not raise the risk starts nothing; a second raised risk keeps the earlier (sooner) clock; the
// re-rating clears it, so a later raised risk starts a fresh one.
func TestHackney_5_RiskHigherAnswer_ReRatingWithItsOwnShortDeadline(t *testing.T) {
	p := load(t, "hackney")
	req := store.CheckRequest{ID: "police-1", Agency: domain.AgencyPolice}
	cases := []struct {
		name    string
		prior   string // an earlier raised risk's answer time, "" for none
		rerated bool   // a re-rating happened after the prior answer
		higher  bool
		at      string
		want    string // rerate.raised-risk after the answer, "" for none
	}{
		{name: "risk higher: re-rate within the hour", higher: true, at: "2027-03-03 10:20", want: "2027-03-03 11:20"},
		{name: "out of hours too: a clock-hours deadline", higher: true, at: "2027-03-06 22:00", want: "2027-03-06 23:00"},
		{name: "answer without raised risk starts nothing", higher: false, at: "2027-03-03 10:20"},
		{name: "a second raised risk keeps the sooner clock", prior: "2027-03-03 10:00", higher: true, at: "2027-03-03 10:40", want: "2027-03-03 11:00"},
		{name: "after the re-rating a raised risk starts afresh", prior: "2027-03-03 10:00", rerated: true, higher: true, at: "2027-03-03 14:00", want: "2027-03-03 15:00"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := contact(t, "hackney", domain.StatusAwaitingRating, "2027-03-03 09:00")
			rated(t, p, c, london(t, "2027-03-03 09:30"), domain.RatingGreen)
			if tc.prior != "" {
				if _, err := lifecycle.AnswerCheck(p, c, req, store.CheckAnswer{At: london(t, tc.prior), By: "pc", Summary: "s", RiskHigher: true}); err != nil {
					t.Fatal(err)
				}
			}
			if tc.rerated {
				if _, _, err := lifecycle.Rate(p, c, london(t, "2027-03-03 11:00"), lifecycle.Rating{Value: domain.RatingRed, Rationale: "raised by police", By: "mgr"}, nil); err != nil {
					t.Fatal(err)
				}
				if _, ok := c.Deadlines[policy.RuleRerateRaisedRisk]; ok {
					t.Fatalf("the re-rating left rerate.raised-risk %v", c.Deadlines[policy.RuleRerateRaisedRisk])
				}
			}
			at := london(t, tc.at)
			res, err := lifecycle.AnswerCheck(p, c, req, store.CheckAnswer{At: at, By: "pc", Summary: "s", RiskHigher: tc.higher})
			if err != nil {
				t.Fatal(err)
			}
			got, ok := c.Deadlines[policy.RuleRerateRaisedRisk]
			if tc.want == "" {
				if ok || len(res.Notices) != 0 {
					t.Fatalf("deadline %v, notices %v: want none", got, kinds(res.Notices))
				}
				if due := lifecycle.RerateDue(c, at); !due.Equal(at) {
					t.Errorf("RerateDue with no clock = %v, want the answer's time %v", due, at)
				}
				return
			}
			want := london(t, tc.want)
			if !got.Equal(want) {
				t.Errorf("rerate.raised-risk = %v, want %v", got, want)
			}
			if due := lifecycle.RerateDue(c, at); !due.Equal(want) {
				t.Errorf("RerateDue = %v, want %v (the tray item's due time)", due, want)
			}
			if len(res.Notices) != 1 || res.Notices[0].Kind != domain.NoticeRiskRaised {
				t.Fatalf("notices %v: want risk-raised", kinds(res.Notices))
			}
			if d := res.Notices[0].Extra[domain.ExtraDueAt]; d != want.UTC().Format(time.RFC3339) {
				t.Errorf("notice dueAt %q, want %v", d, want.UTC())
			}
			if tc.prior == "" || tc.rerated {
				if d := res.Event.Detail["due."+policy.RuleRerateRaisedRisk]; d != want.UTC().Format(time.RFC3339) {
					t.Errorf("audit detail %v: want the started deadline", res.Event.Detail)
				}
			}
		})
	}
}

// Every rule of every authority's policy is started by some event a contact can reach: walk each start
// with a contact its conditions hold for and see the rule stamped.
func TestAllAuthorities_EveryDeadlineReachable(t *testing.T) {
	all, err := policy.All()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range all {
		reached := map[string]bool{}
		for _, s := range p.Starts {
			c := contactFor(t, p, s)
			for _, r := range p.StartedBy(s.Event, c) {
				if _, err := p.Due(r, c.ReceivedAt); err != nil {
					t.Errorf("%s: %s: %v", p.Authority, r, err)
				}
				reached[r] = true
			}
		}
		for id := range p.Deadlines {
			if !reached[id] {
				t.Errorf("%s: deadline %s is reached by no event", p.Authority, id)
			}
		}
	}
}

// contactFor builds a contact for which every condition of a start holds.
func contactFor(t *testing.T, p *policy.Policy, s policy.Start) *domain.Contact {
	c := contact(t, string(p.Authority), domain.StatusDecided, "2027-03-03 10:00")
	for _, w := range s.When {
		neg := strings.HasPrefix(w, "!")
		kind, val, _ := strings.Cut(strings.TrimPrefix(w, "!"), ":")
		if neg {
			continue // the zero contact has no flag set
		}
		switch kind {
		case policy.CondClosed:
			c.Route = domain.RouteOOHQueue
		case policy.CondImmediateHarm:
			c.ImmediateHarm = true
		case policy.CondEncompass:
			c.Flags.PPN, c.Flags.DomesticAbuse = true, true
		case policy.CondFeedback:
			c.Outcome = &domain.OutcomeRecord{Code: domain.OutcomeNFA}
		case policy.CondYoungHomeless:
			c.Flags.Homeless = true
			c.Child.DateOfBirth = domain.Date{Y: c.ReceivedAt.Year() - 17, M: 1, D: 1}
		case "rating":
			c.Rating = &domain.RatingRecord{Value: domain.Rating(val)}
		case "outcome":
			c.Outcome = &domain.OutcomeRecord{Code: domain.OutcomeCode(val)}
		case "channel":
			c.Channel = domain.Channel(val)
		case "flag":
			if f, ok := map[string]*bool{
				"allegationAgainstProfessional": &c.Flags.AllegationAgainstProfessional,
				"earlyHelp":                     &c.Flags.EarlyHelp,
				"informationRequest":            &c.Flags.InformationRequest,
				"ppn":                           &c.Flags.PPN,
				"radicalisation":                &c.Flags.Radicalisation,
				"domesticAbuse":                 &c.Flags.DomesticAbuse,
				"homeless":                      &c.Flags.Homeless,
				"harmNotNamed":                  &c.Flags.HarmNotNamed,
			}[val]; ok {
				*f = true
			}
		}
	}
	return c
}

// Hackney §5 (delays escalate to the MASH service manager): a check past its deadline chases the agency with
// the request's own answer link while it is valid, tells the service manager, records the chase on the check
// (its next chase escalation.repeat later) in the same write, and an answered or closed check is chased no
// more.
func TestHackney_5_OverdueCheck_ChaseCarriesTheSameLinkUntilAnsweredOrClosed(t *testing.T) {
	p := load(t, "hackney")
	at := london(t, "2027-03-10 14:00")
	open := store.CheckRequest{ID: "police-1", Agency: domain.AgencyPolice, DueAt: at, AnswerLink: "https://console.example/answer/tok",
		AnswerLinkExpiresAt: at.Add(7 * 24 * time.Hour)}
	expired := open
	expired.AnswerLinkExpiresAt = at.Add(-time.Minute)
	for _, tc := range []struct {
		name     string
		req      store.CheckRequest
		wantLink string
		wantErr  domain.Code
	}{
		{"open, link valid", open, open.AnswerLink, ""},
		{"open, link expired: the console link only", expired, "", ""},
		{"answered", func() store.CheckRequest { q := open; q.Answer = &store.CheckAnswer{By: "pc"}; return q }(), "", domain.CodeConflict},
		{"closed", func() store.CheckRequest { q := open; q.Closed = &store.CheckClosure{By: "sm", Reason: "r"}; return q }(), "", domain.CodeConflict},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := contact(t, "hackney", domain.StatusChecks, "2027-03-10 09:30")
			res, next, err := lifecycle.CheckLate(p, c, at, tc.req, nil)
			if tc.wantErr != "" {
				if domain.ErrorCode(err) != tc.wantErr {
					t.Fatalf("err %v, want %s", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if want := london(t, "2027-03-10 16:00"); !next.Equal(want) || !c.Deadlines[policy.RuleEscalationRepeat].Equal(want) {
				t.Errorf("next chase %v, want %v (escalation.repeat: 2 working hours)", next, want)
			}
			if got := kinds(res.Notices); !slices.Equal(got, []domain.NoticeKind{domain.NoticeCheckRequest, domain.NoticeEscalation}) {
				t.Fatalf("notices %v", got)
			}
			if got := res.Notices[0].Extra[domain.ExtraLink]; got != tc.wantLink {
				t.Errorf("chase link %q, want %q", got, tc.wantLink)
			}
			if len(res.Checks) != 1 || res.Checks[0].ID != "police-1" || res.Checks[0].Chase == nil || !res.Checks[0].Chase.Next.Equal(next) {
				t.Errorf("check write %+v: want the chase recorded on the check", res.Checks)
			}
			if !lifecycle.ChaseDue(tc.req, at) || lifecycle.ChaseDue(tc.req, at.Add(-time.Second)) {
				t.Error("ChaseDue: want due at the deadline, not before")
			}
		})
	}
	if _, err := lifecycle.CloseCheck(contact(t, "hackney", domain.StatusChecks, "2027-03-10 09:30"), at, open, "sm", " "); domain.ErrorCode(err) != domain.CodeInvalid {
		t.Errorf("closing without a reason: %v", err)
	}
	res, err := lifecycle.CloseCheck(contact(t, "hackney", domain.StatusChecks, "2027-03-10 09:30"), at, open, "sm", "phoned: nothing known")
	if err != nil || len(res.Checks) != 1 || res.Checks[0].Close == nil || res.Checks[0].Close.Reason != "phoned: nothing known" {
		t.Errorf("close: %+v %v", res.Checks, err)
	}
}
