package lifecycle_test

import (
	"slices"
	"testing"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/lifecycle"
	"github.com/safeguarding/mash/shared/policy"
)

// Portsmouth §2.6: "it is critical that any contact to MASH names the harm and should not use FII as the
// reason for contact". A contact whose reason is only the label, with no described harm, is flagged
// harmNotNamed at intake and carries the policy's prompt; recording the harm clears both.
func TestPortsmouth_FII_NameTheHarm(t *testing.T) {
	for _, tc := range []struct {
		name, authority, concerns, harm string
		want                            bool
	}{
		{name: "FII alone", authority: "portsmouth", concerns: "FII", want: true},
		{name: "spelt out", authority: "portsmouth", concerns: "Fabricated or induced illness.", want: true},
		{name: "in a reason's frame", authority: "portsmouth", concerns: "Reason for referral: suspected FII - please see attached", want: true},
		{name: "and-form, lower case", authority: "portsmouth", concerns: "concerns of fabricated and induced illness", want: true},
		{name: "label with the harm described", authority: "portsmouth",
			concerns: "FII: mother has given Amy laxatives and reports seizures that no doctor has seen; three admissions this month"},
		{name: "the harm without the label", authority: "portsmouth", concerns: "Mum reports seizures nobody has witnessed; tests all normal"},
		{name: "label, harm given in its own field", authority: "portsmouth", concerns: "FII", harm: "repeated unnecessary hospital admissions and procedures"},
		{name: "a word that contains the letters", authority: "portsmouth", concerns: "Fiifi is not attending school and is hungry every morning"},
		{name: "not Portsmouth's rule elsewhere", authority: "hackney", concerns: "FII"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := load(t, tc.authority)
			c := contact(t, tc.authority, domain.StatusReceived, "2027-03-03 10:00")
			c.Concerns, c.Harm = tc.concerns, tc.harm
			if _, err := lifecycle.Receive(p, c, "intake-api"); err != nil {
				t.Fatal(err)
			}
			if c.Flags.HarmNotNamed != tc.want || (c.HarmPrompt != "") != tc.want {
				t.Fatalf("harmNotNamed %v prompt %q, want %v", c.Flags.HarmNotNamed, c.HarmPrompt, tc.want)
			}
			if !tc.want {
				return
			}
			if _, err := lifecycle.NameHarm(c, " ", "worker"); domain.ErrorCode(err) != domain.CodeInvalid {
				t.Errorf("an empty harm: %v, want invalid naming harm", err)
			}
			res, err := lifecycle.NameHarm(c, "Mother has given Amy laxatives; reports seizures nobody has seen", "worker")
			if err != nil {
				t.Fatal(err)
			}
			if c.Flags.HarmNotNamed || c.HarmPrompt != "" || c.Harm == "" || res.Event.Action != "harm.named" {
				t.Errorf("after naming the harm: flag %v prompt %q harm %q event %s", c.Flags.HarmNotNamed, c.HarmPrompt, c.Harm, res.Event.Action)
			}
		})
	}
}

// Portsmouth §4.12: a child aged 16 or 17 at the contact's date who is homeless or threatened with it —
// flagged homeless, or saying so — is referred at once to the Family Support and Safeguarding Team under the
// joint working protocol for 16/17 year olds: the notice goes with the contact, due by the policy's
// housing-16-17 (assumed: the close of the working day). 15 and 18 do not.
func TestPortsmouth_Homeless16And17_JointHousingProtocol(t *testing.T) {
	const received = "2027-03-03 10:00" // a Wednesday, open
	for _, tc := range []struct {
		name, authority string
		dob             domain.Date
		age             int
		flag            bool
		concerns        string
		want            bool
	}{
		{name: "16, flagged", authority: "portsmouth", dob: domain.Date{Y: 2010, M: 6, D: 1}, flag: true, concerns: "Arguments at home.", want: true},
		{name: "17, says so", authority: "portsmouth", dob: domain.Date{Y: 2009, M: 6, D: 1}, concerns: "Kai was kicked out by his dad last night and is sofa surfing.", want: true},
		{name: "17 by the age given", authority: "portsmouth", age: 17, concerns: "She is homeless since Friday.", want: true},
		{name: "16 today", authority: "portsmouth", dob: domain.Date{Y: 2011, M: 3, D: 3}, flag: true, want: true},
		{name: "15, the day before 16", authority: "portsmouth", dob: domain.Date{Y: 2011, M: 3, D: 4}, flag: true},
		{name: "18 today", authority: "portsmouth", dob: domain.Date{Y: 2009, M: 3, D: 3}, flag: true},
		{name: "16, says not homeless", authority: "portsmouth", dob: domain.Date{Y: 2010, M: 6, D: 1}, concerns: "He is not homeless but the flat is cold."},
		{name: "16, not Portsmouth's rule elsewhere", authority: "hackney", dob: domain.Date{Y: 2010, M: 6, D: 1}, flag: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := load(t, tc.authority)
			c := contact(t, tc.authority, domain.StatusReceived, received)
			c.Child = domain.Child{GivenName: "Kai", FamilyName: "Test", DateOfBirth: tc.dob, Age: tc.age}
			c.Concerns, c.Flags.Homeless = tc.concerns, tc.flag
			res, err := lifecycle.Receive(p, c, "intake-api")
			if err != nil {
				t.Fatal(err)
			}
			due, started := c.Deadlines[policy.RuleHousing1617]
			notified := slices.Contains(kinds(res.Notices), domain.NoticeHousingProtocol)
			if started != tc.want || notified != tc.want {
				t.Fatalf("housing-16-17 started %v (%v), notice %v; want %v", started, due, notified, tc.want)
			}
			if tc.want && !due.Equal(london(t, "2027-03-03 17:00")) {
				t.Errorf("housing-16-17 due %v, want the close of the working day 17:00", due)
			}
		})
	}
	// Found later by a worker (POST /v1/contacts/{id}/flags with homeless): the same route, once.
	p := load(t, "portsmouth")
	c := contact(t, "portsmouth", domain.StatusAwaitingRating, received)
	c.Child = domain.Child{GivenName: "Kai", FamilyName: "Test", DateOfBirth: domain.Date{Y: 2009, M: 6, D: 1}}
	res, err := lifecycle.Flag(p, c, london(t, "2027-03-03 11:00"), "worker", domain.Flags{Homeless: true}, false)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(kinds(res.Notices), domain.NoticeHousingProtocol) || c.Deadlines[policy.RuleHousing1617].IsZero() {
		t.Fatalf("flagged later: notices %v deadlines %v", kinds(res.Notices), c.Deadlines)
	}
	if res, err = lifecycle.Flag(p, c, london(t, "2027-03-03 12:00"), "worker", domain.Flags{Homeless: true}, false); err != nil || len(res.Notices) != 0 {
		t.Errorf("flagged again: notices %v, %v; want none", kinds(res.Notices), err)
	}
}

// Barnet "How do I refer?": "If you have concerns about a child's safety you can telephone the MASH team …
// You will be expected to follow this with a online referral the same day." Every phone contact starts the
// written-form clock (immediate-harm-form), due by the MASH's close that day; a referral form does not.
func TestBarnet_PhoneThenOnlineFormSameDay(t *testing.T) {
	p := load(t, "barnet")
	for _, tc := range []struct {
		name      string
		channel   domain.Channel
		immediate bool
		received  string
		want      string
	}{
		{name: "a call, no immediate harm", channel: domain.ChannelPhone, received: "2027-03-03 10:00", want: "2027-03-03 17:15"},
		{name: "a call, immediate harm", channel: domain.ChannelPhone, immediate: true, received: "2027-03-03 10:00", want: "2027-03-03 17:15"},
		{name: "a Friday call", channel: domain.ChannelPhone, received: "2027-03-05 12:00", want: "2027-03-05 17:00"},
		{name: "the online form itself", channel: domain.ChannelForm, received: "2027-03-03 10:00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := contact(t, "barnet", domain.StatusReceived, tc.received)
			c.Channel, c.ImmediateHarm = tc.channel, tc.immediate
			if _, err := lifecycle.Receive(p, c, "officer"); err != nil {
				t.Fatal(err)
			}
			due, ok := c.Deadlines[policy.RuleImmediateHarmForm]
			if tc.want == "" {
				if ok || c.Flags.AwaitingWrittenForm {
					t.Fatalf("written form due %v, awaiting %v; want neither", due, c.Flags.AwaitingWrittenForm)
				}
				return
			}
			if !due.Equal(london(t, tc.want)) || !c.Flags.AwaitingWrittenForm {
				t.Errorf("written form due %v awaiting %v, want %s", due, c.Flags.AwaitingWrittenForm, tc.want)
			}
		})
	}
}
