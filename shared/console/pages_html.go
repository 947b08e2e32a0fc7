package console

import (
	"fmt"
	"strings"
)

// pageMains are the pages' main content, by the name render is given; layout writes the rest. Each asserts
// its view's Data type; a page given the wrong type fails the render (a 500, logged), as a template did.
var pageMains = map[string]func(*page, *view) error{
	"home":         homePage,
	"tray":         trayPage,
	"contact":      contactPage,
	"search":       searchPage,
	"quarantine":   quarantinePage,
	"ooh":          oohPage,
	"refer":        referPage,
	"referred":     referredPage,
	"answer":       answerPage,
	"answered":     answeredPage,
	"signin":       signinPage,
	"error":        errorPage,
	"reports":      reportsPage,
	"schools":      schoolsPage,
	"school":       schoolPage,
	"encompass":    encompassPage,
	"acknowledged": acknowledgedPage,
	"referrals":    referralsPage,
	"linkopen":     linkOpenPage,
}

// data is a view's Data as the page's type. Its failure is built outside it (wrongData): each page type has an
// instance of data, and boxing the page's zero value to name its type made each one ≈ 400 bytes more of the
// console's code (functions/size_test.go's budget).
func data[T any](v *view) (T, error) {
	d, ok := v.Data.(T)
	if !ok {
		return d, wrongData(v.Data)
	}
	return d, nil
}

// wrongData is the error of a page rendered with another page's data (a 500, logged).
func wrongData(got any) error { return fmt.Errorf("page data is %T, not the page's type", got) }

func homePage(p *page, v *view) error {
	ts, err := data[[]trayView](v)
	if err != nil {
		return err
	}
	p.m(`
<h1 class="govuk-heading-l">My work</h1>
<form method="get" action="/search" class="govuk-!-margin-bottom-6">
 <div class="govuk-form-group"><label class="govuk-label" for="q">Find a contact by reference, child's name or date of birth</label>
 <input class="govuk-input govuk-!-width-one-half" id="q" name="q" type="search">
 <button class="govuk-button govuk-button--secondary console-inline-button" type="submit">Search</button></div>
</form>
`)
	if len(ts) == 0 {
		p.m(`<p class="govuk-body">Your role has no trays.</p>`)
	}
	p.m("\n")
	trayTables(p, v, ts)
	p.m("\n")
	return nil
}

func trayPage(p *page, v *view) error {
	ts, err := data[[]trayView](v)
	if err != nil {
		return err
	}
	title := v.Title // the tray's, without the "Error: " of a form re-shown with its errors
	if len(ts) == 1 {
		title = ts[0].Title
	}
	p.w(`
<a href="/" class="govuk-back-link">My work</a>
<h1 class="govuk-heading-l">`, title, `</h1>
`)
	trayTables(p, v, ts)
	p.m("\n")
	return nil
}

func contactPage(p *page, v *view) error {
	d, err := data[contactView](v)
	if err != nil {
		return err
	}
	c := d.C
	id := urlPath(string(c.ID))
	p.w(`
<span class="govuk-caption-l">Contact `, string(c.Reference), `</span>
<h1 class="govuk-heading-l" id="child-name">`, d.Name, `</h1>
<p class="govuk-body">
`)
	if c.Rating != nil {
		p.w(`<strong class="govuk-tag console-rag-`, string(c.Rating.Value), `">`, string(c.Rating.Value), `</strong>`)
	}
	p.w(`
<strong class="govuk-tag govuk-tag--grey" id="status">`, statusText(c.Status), `</strong>
`)
	if c.ImmediateHarm {
		p.m(`<strong class="govuk-tag govuk-tag--red">immediate harm</strong>`)
	}
	if c.ImmediateHarmNotKnown() {
		p.m(`<strong class="govuk-tag govuk-tag--yellow" id="immediate-harm-not-known">immediate harm: not known</strong>`)
	}
	p.m("\n")
	if c.Flags.NeedsCompletion {
		p.m(`<strong class="govuk-tag govuk-tag--yellow">child's details needed</strong>`)
	}
	p.m("\n")
	if c.Flags.HarmNotNamed {
		p.m(`<strong class="govuk-tag govuk-tag--yellow">harm not named</strong>`)
	}
	p.m("\n")
	if c.Flags.Homeless {
		p.m(`<strong class="govuk-tag govuk-tag--orange">homeless</strong>`)
	}
	p.m(`
</p>
`)
	if c.Flags.HarmNotNamed {
		p.w(`<div class="govuk-warning-text" id="harm-prompt"><span class="govuk-warning-text__icon" aria-hidden="true">!</span>
<strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span>
The contact does not describe the harm to the child. `, c.HarmPrompt, `</strong></div>`)
	}
	p.m("\n")
	for _, t := range d.CanClaim {
		p.w(`<form method="post" action="/trays/`, urlPath(t), `/`, id, `/claim" class="console-inline-form"><input type="hidden" name="csrf" value="`, v.CSRF, `"><button class="govuk-button govuk-button--secondary" type="submit">Claim from the `, t, ` tray</button></form>`)
	}
	p.m("\n")
	for _, t := range d.CanUnclaim {
		p.w(`<form method="post" action="/trays/`, urlPath(t), `/`, id, `/unclaim" class="console-inline-form"><input type="hidden" name="csrf" value="`, v.CSRF, `"><button class="govuk-button govuk-button--secondary" type="submit">Unclaim from the `, t, ` tray</button></form>`)
	}
	p.w(`

<h2 class="govuk-heading-m">The child</h2>
<dl class="govuk-summary-list">
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Name</dt><dd class="govuk-summary-list__value" id="child-summary-name">`, d.Name)
	if c.Child.GivenName != "" && strings.TrimSpace(c.Child.FamilyName) == "" {
		// A child named by a given name alone ("her brother Noël, who is 9"): the screener must see it is missing.
		p.m(` <strong class="govuk-tag govuk-tag--yellow">family name not known</strong>`)
	}
	p.m(`</dd></div>
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Date of birth</dt><dd class="govuk-summary-list__value" id="child-summary-dob">`)
	switch {
	case !c.Child.DateOfBirth.IsZero():
		p.w(``, ukDate(c.Child.DateOfBirth), ` (`, d.Age, `)`)
	case c.Child.Age > 0 && !c.Child.Unborn:
		p.w(`not known (`, itoa(c.Child.Age), ` years old, as told)`)
	case c.Child.DateOfBirthNotKnown != "":
		p.w(`not known, nor the age: `, c.Child.DateOfBirthNotKnown)
	default:
		p.m(`not known`)
	}
	p.w(`</dd></div>
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Gender</dt><dd class="govuk-summary-list__value">`, c.Child.Gender, `</dd></div>
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Address</dt><dd class="govuk-summary-list__value" id="child-address">`, c.Child.Address, `</dd></div>
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">School</dt><dd class="govuk-summary-list__value">`, c.Child.School, `</dd></div>
`)
	peopleRow(p, "Parents and carers", "parents", parentsText(c.Parents))
	peopleRow(p, "Others in the household", "household-members", householdText(c.Household))
	if len(d.NotRead) > 0 {
		p.w(`<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Not known at intake</dt><dd class="govuk-summary-list__value" id="not-read">`, strings.Join(d.NotRead, "; "))
		if d.CanFill {
			p.m(` (<a class="govuk-link" href="#complete">complete the child's details</a>)`)
		}
		p.m(`</dd></div>`)
	}
	if len(d.CensusMissing) > 0 {
		p.w(`<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Census codes to record</dt><dd class="govuk-summary-list__value" id="census-missing">`, strings.Join(d.CensusMissing, ", "), ` (<a class="govuk-link" href="#census">record them before the decision</a>)</dd></div>`)
	}
	p.w(`
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Channel</dt><dd class="govuk-summary-list__value">`, string(c.Channel), `</dd></div>
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Received</dt><dd class="govuk-summary-list__value">`, d.Received, `</dd></div>
</dl>
`)
	if d.CanAnswerHarm {
		p.w(`<h2 class="govuk-heading-m" id="immediate-harm">Immediate harm: not known</h2>
<p class="govuk-body">Nobody said when the contact was recorded whether the child is at risk of immediate harm. When you know (for example after phoning the referrer back), record the answer: a yes brings the contact to a manager's immediate attention, or the EDT's out of hours.</p>
<form method="post" action="/contacts/`, id, `/immediate-harm" novalidate>`)
		csrf(p, v)
		radioGroup(p, v, "answer", "Is the child at risk of immediate harm?", "", true, []string{"yes", "no"}, []string{"Yes", "No"})
		p.m("\n")
		textarea(p, v, "note", "Note (optional)", "What you were told, and by whom")
		submit(p, "", "immediate-harm-submit", "Record the answer")
		p.m("\n")
	}
	if d.CanCensus {
		censusForm(p, v, id, d.Census)
	}
	if d.CanPickSchool {
		p.m(`<h2 class="govuk-heading-m" id="school">Operation Encompass: the child's school</h2>
<p class="govuk-body">The directory could not name the school the police wrote`)
		if c.Child.School != "" {
			p.w(` ("`, c.Child.School, `")`)
		}
		p.w(` with confidence. Find it in the <a class="govuk-link" href="/schools?q=`, urlQuery(c.Child.School), `">school directory</a> and give its URN: the notice goes to its Designated Safeguarding Lead at once.</p>
<form method="post" action="/contacts/`, id, `/school" novalidate>`)
		csrf(p, v)
		input(p, v, "urn", "The school's URN", "The unique reference number the directory shows, for example 900003")
		submit(p, "", "school-submit", "Send the notice to this school")
		p.m("\n")
	}
	if len(c.MatchCandidates) > 0 {
		p.m(`<h2 class="govuk-heading-m">Case records that may be this child</h2>
<table class="govuk-table" id="candidates"><caption class="govuk-visually-hidden">Person-matching candidates, best first</caption><thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Case</th><th scope="col" class="govuk-table__header">Score</th><th scope="col" class="govuk-table__header">What matched</th><th scope="col" class="govuk-table__header">Case status</th><th scope="col" class="govuk-table__header">Screener</th></tr></thead><tbody class="govuk-table__body">
`)
		for _, m := range c.MatchCandidates {
			p.w(`<tr class="govuk-table__row"><td class="govuk-table__cell">`, m.ID, `</td><td class="govuk-table__cell">`, fmt.Sprint(m.Score), `</td><td class="govuk-table__cell">`, strings.Join(m.Matched, ", "), `</td><td class="govuk-table__cell">`, m.CaseStatus, `</td><td class="govuk-table__cell">`)
			if m.Decision != "" {
				p.w(``, m.Decision, ` by `, m.DecidedBy)
			} else if d.CanMatch {
				p.w(`<form method="post" action="/contacts/`, id, `/match" class="console-inline-form">`)
				csrf(p, v)
				p.w(`<input type="hidden" name="candidate" value="`, m.ID, `"><button class="govuk-button govuk-button--secondary" type="submit" name="decision" value="confirm" id="match-confirm-`, m.ID, `">This is the child</button> <button class="govuk-button govuk-button--secondary" type="submit" name="decision" value="reject" id="match-reject-`, m.ID, `">Not this child</button></form>`)
			}
			p.m(`</td></tr>`)
		}
		p.m(`</tbody></table>
<p class="govuk-body-s">Confirming a case that is open, or closed within three months, forwards the contact to its worker or unit at once.</p>`)
	}
	p.m("\n\n")
	if len(d.Household) > 0 {
		p.m(`<h2 class="govuk-heading-m">Linked contacts: the household and related</h2><ul class="govuk-list" id="linked">
`)
		for _, h := range d.Household {
			p.w(`<li><a class="govuk-link" href="/contacts/`, urlPath(string(h.ID)), `">`, string(h.Reference), `: `, h.Child.GivenName, ` `, h.Child.FamilyName, `</a></li>`)
		}
		p.m(`</ul>`)
	}
	p.w(`

<h2 class="govuk-heading-m">Concerns</h2>
<div class="govuk-inset-text console-pre">`, c.Concerns, `</div>
`)
	if c.Harm != "" {
		p.w(`<h3 class="govuk-heading-s">The harm to the child</h3><div class="govuk-inset-text console-pre" id="harm">`, c.Harm, `</div>`)
	}
	p.m("\n")
	if d.CanNameHarm {
		p.w(`<form method="post" action="/contacts/`, id, `/harm" novalidate>`)
		csrf(p, v)
		p.m("\n")
		textarea(p, v, "harm", "The harm to the child", "What has happened or is happening to the child, as the referrer describes it")
		submit(p, " govuk-button--secondary", "harm-submit", "Record the harm")
	}
	p.m("\n\n")
	if len(d.Attachments) > 0 {
		p.m(`<h2 class="govuk-heading-m">Attachments</h2><ul class="govuk-list" id="attachments">
`)
		for _, a := range d.Attachments {
			p.w(`<li><a class="govuk-link" href="/contacts/`, id, `/attachments/`, urlPath(a.N), `" download>`)
			if a.Name != "" {
				p.t(a.Name)
			} else {
				p.w(`attachment `, a.N)
			}
			p.w(`</a> (`, a.Type, `)</li>`)
		}
		p.m(`</ul>`)
	}
	p.w(`

<h2 class="govuk-heading-m">Referrer</h2>
<dl class="govuk-summary-list">
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Name</dt><dd class="govuk-summary-list__value">`, c.Referrer.Name, `</dd></div>
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Organisation and role</dt><dd class="govuk-summary-list__value">`, c.Referrer.Organisation, ` `, c.Referrer.Role, `</dd></div>
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Email</dt><dd class="govuk-summary-list__value">`, c.Referrer.Email, `</dd></div>
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Phone</dt><dd class="govuk-summary-list__value">`, c.Referrer.Phone, `</dd></div>
</dl>
<h2 class="govuk-heading-m">Consent and flags</h2>
<dl class="govuk-summary-list">
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Consent</dt><dd class="govuk-summary-list__value">`, consentText(c.Consent.Status))
	if c.Consent.Reason != "" {
		p.w(`: `, c.Consent.Reason)
	}
	if o := c.Consent.Override; o != nil {
		p.w(`; overridden by `, o.By, ` (`, legalBasisText(o.LegalBasis), `): `, o.Rationale)
	}
	p.m(`</dd></div>
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Flags</dt><dd class="govuk-summary-list__value">`)
	for _, f := range []struct {
		on   bool
		text string
	}{
		{c.Flags.PPN, "PPN. "}, {c.Flags.DomesticAbuse, "Domestic abuse. "},
		{c.Flags.AllegationAgainstProfessional, "Allegation against a professional (LADO). "},
		{c.Flags.Radicalisation, "Radicalisation. "}, {c.Flags.InformationRequest, "Information request. "},
		{c.Flags.AwaitingWrittenForm, "Awaiting the written form. "},
		{c.Flags.Homeless, "Homeless or threatened with homelessness. "}, {c.Flags.HarmNotNamed, "Harm not named. "},
	} {
		if f.on {
			p.m(f.text)
		}
	}
	p.m(`</dd></div>
`)
	if ft := c.FamilyTold; ft != nil {
		p.m(`<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Family told before the referral</dt><dd class="govuk-summary-list__value" id="family-told">`)
		if ft.Told {
			p.m(`yes`)
		} else {
			p.w(`no: `, ft.Reason)
		}
		p.m(`</dd></div>`)
	}
	p.m("\n")
	if sf := c.SupportingFamilies; sf != nil {
		p.m(`<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Supporting Families</dt><dd class="govuk-summary-list__value" id="supporting-families">`)
		if sf.Eligible {
			p.m(`<strong class="govuk-tag govuk-tag--green">eligible</strong> `)
		} else {
			p.m(`not eligible: `)
		}
		p.w(``, itoa(len(sf.Outcomes)), ` of the 10 outcomes`)
		for _, o := range sf.Outcomes {
			p.w(`; `, o.Title())
		}
		p.w(` (`, sf.By, `)</dd></div>`)
	}
	p.m("\n")
	if rt := c.Rating; rt != nil {
		p.w(`<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Rating</dt><dd class="govuk-summary-list__value">`, string(rt.Value), ` by `, rt.By, `: `, rt.Rationale, `</dd></div>`)
	}
	p.m("\n")
	if o := c.Outcome; o != nil {
		p.w(`<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Decision</dt><dd class="govuk-summary-list__value" id="decision">`, o.AuthorityTerm, ` by `, o.By, `: `, o.Rationale, `</dd></div>`)
	}
	p.m(`
</dl>

<h2 class="govuk-heading-m">Deadlines</h2>
`)
	if len(d.Deadlines) > 0 {
		p.m(`<table class="govuk-table"><caption class="govuk-visually-hidden">Deadlines</caption><thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Rule</th><th scope="col" class="govuk-table__header">Due</th><th scope="col" class="govuk-table__header">Time left</th></tr></thead><tbody class="govuk-table__body">
`)
		for _, dl := range d.Deadlines {
			p.m(`<tr class="govuk-table__row"><td class="govuk-table__cell">`)
			ruleCell(p, dl.Rule)
			p.w(`</td><td class="govuk-table__cell">`, dl.Due, `</td><td class="govuk-table__cell`)
			if dl.Overdue {
				p.m(` console-overdue`)
			}
			p.w(`">`, dl.Left, `</td></tr>`)
		}
		p.m(`</tbody></table>`)
	} else {
		p.m(`<p class="govuk-body">None.</p>`)
	}
	p.m(`

<h2 class="govuk-heading-m">Partner checks</h2>
`)
	if len(d.Checks) > 0 {
		p.m(`<table class="govuk-table" id="checks"><caption class="govuk-visually-hidden">Partner checks</caption><thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Agency</th><th scope="col" class="govuk-table__header">Due</th><th scope="col" class="govuk-table__header">Answer</th></tr></thead><tbody class="govuk-table__body">
`)
		for _, ch := range d.Checks {
			closed := d.Closed[ch.ID]
			p.w(`<tr class="govuk-table__row"><td class="govuk-table__cell">`, agencyText(ch.Agency))
			if ch.Mandatory {
				p.m(` (mandatory)`)
			}
			p.w(`</td><td class="govuk-table__cell">`, d.CheckDue[ch.ID], `</td><td class="govuk-table__cell" id="check-`, ch.ID, `">`)
			if a := ch.Answer; a != nil {
				if a.NothingKnown {
					p.m(`Nothing known. `)
				}
				if a.RiskHigher {
					p.m(`<strong class="govuk-tag govuk-tag--red">risk higher than rated</strong> `)
				}
				p.w(``, a.Summary, ` (`, a.By, `)`)
			} else if closed != "" {
				p.w(`closed unanswered: `, closed)
			} else {
				p.m(`waiting`)
			}
			p.m(`</td></tr>`)
		}
		p.m(`</tbody></table>
`)
		if d.CanCloseChecks {
			for _, ch := range d.Checks {
				if ch.Answer != nil || d.Closed[ch.ID] != "" {
					continue
				}
				f := "closeReason-" + ch.ID
				e := v.Err(f)
				p.w(`
<form method="post" action="/contacts/`, id, `/checks/`, urlPath(ch.ID), `/close" novalidate class="console-close-check"><input type="hidden" name="csrf" value="`, v.CSRF, `">
`)
				formGroup(p, e)
				p.w(`<label class="govuk-label" for="`, f, `">Close the `, agencyText(ch.Agency), ` check unanswered, because</label>
<div class="govuk-hint" id="`, f, `-hint">The chase stops and the decision goes ahead without this agency's answer. Recorded with your name.</div>
`)
				errorMessage(p, f+"-error", e)
				p.m(`
<textarea class="govuk-textarea`)
				if e != "" {
					p.m(` govuk-textarea--error`)
				}
				p.w(`" id="`, f, `" name="reason" rows="2" aria-describedby="`, f, `-hint`)
				if e != "" {
					p.w(` `, f, `-error`)
				}
				p.m(`">`)
				if e != "" {
					p.t(v.Val("reason"))
				}
				p.w(`</textarea></div>
<button class="govuk-button govuk-button--secondary" type="submit" id="`, f, `-submit">Close the `, agencyText(ch.Agency), ` check</button>
</form>`)
			}
		}
		p.m("\n")
	} else {
		p.m(`<p class="govuk-body">None requested.</p>`)
	}
	p.m("\n\n")
	if d.CanFill {
		p.w(`
<h2 class="govuk-heading-m" id="complete">Complete the child's details</h2>
<p class="govuk-body">Intake could not record who the child is. Read the concerns above and record the child's details. The contact needs details until the child has a given and a family name and a date of birth, or, when nobody can give the date of birth, the age as told, or why it is not known.</p>`)
		if len(d.StillNeeded) > 0 {
			p.w(`
<p class="govuk-body" id="still-needed">Still needed: `, strings.Join(d.StillNeeded, "; "), `.</p>`)
		}
		p.w(`
<form method="post" action="/contacts/`, id, `/child" novalidate>`)
		csrf(p, v)
		p.m("\n")
		inputs(p, v,
			"child.givenName", "Given name", "",
			"child.familyName", "Family name", "",
			"child.dateOfBirth", "Date of birth", "For example 31/03/2015 or 2015-03-31",
			"child.age", "Age in years, as told (when the date of birth is not known)", "For example 9",
			"child.dateOfBirthNotKnown", "If nobody can give the date of birth or an age: why it is not known", "For example: anonymous caller, family not yet traced",
			"child.address", "Address", "",
			"child.school", "School", "")
		submit(p, "", "complete-submit", "Save the child's details")
	}
	p.m("\n\n")
	if d.CanRate {
		p.m(`
<h2 class="govuk-heading-m" id="rate">`)
		if d.Rerate {
			p.m(`Review the rating`)
		} else {
			p.m(`Rate this contact`)
		}
		p.w(`</h2>
<form method="post" action="/contacts/`, id, `/rating" novalidate>`)
		csrf(p, v)
		p.m("\n")
		fieldset(p, v.Err("value"), " govuk-fieldset__legend--s", "Rating", "value-error")
		p.m(`<div class="govuk-radios govuk-radios--inline" id="value">`)
		for _, r := range d.Ratings {
			radios.item(p, "value-"+string(r), "value", string(r), string(r), v.Has("value", str(r)))
		}
		p.m(`</div></fieldset></div>`)
		p.m("\n")
		textarea(p, v, "rationale", "Rationale", "Why this rating: it is recorded with your name")
		p.m("\n")
		ea := v.Err("agencies")
		formGroup(p, ea)
		p.m(`<fieldset class="govuk-fieldset"><legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Request checks from</legend>
<div class="govuk-hint">The mandatory agencies (`)
		for i, a := range d.Mandatory {
			if i > 0 {
				p.m(`, `)
			}
			p.w(``, agencyText(a))
		}
		p.m(`) are always asked.</div>
`)
		errorMessage(p, "agencies-error", ea)
		p.m(`
<div class="govuk-checkboxes govuk-checkboxes--small" id="agencies">`)
		for _, a := range d.Agencies {
			checkboxes.item(p, "agencies-"+string(a), "agencies", string(a), agencyText(a), v.Has("agencies", str(a)))
		}
		p.m("\n")
		checkboxes.formItem(p, v, "noChecks", "noChecks", "true", "No checks: enough is known, straight to the decision")
		p.m(`
</div></fieldset></div>`)
		submit(p, "", "rate-submit", "Save the rating")
	}
	p.m("\n\n")
	if d.CanDecide {
		contactForm(p, v, id, "decide", "Decide", "decision")
		e, eo := v.Err("term"), v.Err("outcome")
		formGroup(p, e+eo)
		p.m(`<label class="govuk-label" for="term">Outcome</label>
`)
		if e != "" || eo != "" {
			p.w(`<p class="govuk-error-message" id="term-error"><span class="govuk-visually-hidden">Error:</span> `, e, ` `, eo, `</p>`)
		}
		p.m(`
<select class="govuk-select" id="term" name="term">`)
		selectOptions(p, "Choose an outcome", d.Outcomes, func(o string) (string, string, bool) { return o, o, v.Val("term") == o })
		p.m("\n")
		textarea(p, v, "decisionRationale", "Rationale", "")
		p.m("\n")
		textarea(p, v, "criteria", "Criteria met", "One per line, where the outcome needs them")
		p.m("\n")
		if len(d.SFOutcomes) > 0 {
			e := v.Err("supportingFamilies")
			formGroup(p, e)
			p.w(`<fieldset class="govuk-fieldset" aria-describedby="supportingFamilies-hint"><legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Supporting Families outcomes that apply</legend>
<div class="govuk-hint" id="supportingFamilies-hint">At an early help decision (`, d.SFDecisions, `): tick each of the 10 headline outcomes that applies; 3 or more make the family eligible for the programme.</div>
`)
			errorMessage(p, "supportingFamilies-error", e)
			p.m(`
<div class="govuk-checkboxes govuk-checkboxes--small" id="supportingFamilies">`)
			for _, o := range d.SFOutcomes {
				checkboxes.item(p, "sf-"+string(o), "supportingFamilies", string(o), o.Title(), v.Has("supportingFamilies", str(o)))
			}
			p.m(`</div></fieldset></div>`)
		}
		p.m("\n")
		textarea(p, v, "feedbackWithheldReason", "Withhold feedback from the referrer, because", "Leave empty to tell the referrer the outcome")
		var refused []string
		for _, f := range d.Census {
			if v.Err(f.Field) != "" {
				refused = append(refused, f.What)
			}
		}
		if len(refused) > 0 {
			// The decision was refused (409): screening cannot finish without the census codes (issue #16).
			p.w(`
<div class="govuk-form-group govuk-form-group--error"><p class="govuk-error-message" id="decide-census-error"><span class="govuk-visually-hidden">Error:</span> Not recorded: screening cannot finish without `, strings.Join(refused, ", "), `. <a class="govuk-link" href="#census">Record the census codes</a>, then record the decision.</p></div>`)
		}
		submit(p, "", "decide-submit", "Record the decision")
	}
	// The actions with a form of their own, each under its heading where the user may take it.
	for _, f := range []actionForm{
		{d.CanOOH, "ooh-action", "What the EDT did", "ooh-action", func() {
			textarea(p, v, "action", "Action taken", "For example: visited with police; child safe with a relative")
		}, " govuk-button--secondary", "oohAction-submit", "Record the action"},
		{d.CanEscalate, "escalate", "Escalate the decision", "escalate", func() {
			textarea(p, v, "escalateReason", "Why it goes to the service manager", "")
		}, " govuk-button--secondary", "escalate-submit", "Escalate"},
		{d.CanFlag, "flag", "Flag", "flags", func() {
			fieldset(p, v.Err("flags"), " govuk-fieldset__legend--s", "What you found", "flags-error")
			p.m(`<div class="govuk-checkboxes govuk-checkboxes--small" id="flags">
<div class="govuk-checkboxes__item"><input class="govuk-checkboxes__input" id="flag-lado" name="allegationAgainstProfessional" type="checkbox" value="true"><label class="govuk-label govuk-checkboxes__label" for="flag-lado">An allegation against a professional (the LADO is told at once)</label></div>
<div class="govuk-checkboxes__item"><input class="govuk-checkboxes__input" id="flag-channel" name="radicalisation" type="checkbox" value="true"><label class="govuk-label govuk-checkboxes__label" for="flag-channel">Radicalisation (Channel is told at once)</label></div>
<div class="govuk-checkboxes__item"><input class="govuk-checkboxes__input" id="flag-s47" name="s47" type="checkbox" value="true"><label class="govuk-label govuk-checkboxes__label" for="flag-s47">Meets the section 47 threshold</label></div>
<div class="govuk-checkboxes__item"><input class="govuk-checkboxes__input" id="flag-homeless" name="homeless" type="checkbox" value="true"><label class="govuk-label govuk-checkboxes__label" for="flag-homeless">Homeless or threatened with homelessness</label></div>
</div></fieldset></div>`)
		}, " govuk-button--secondary", "flag-submit", "Record the flags"},
		{d.CanLink, "link", "Link a related contact", "link", func() {
			input(p, v, "linkContact", "Reference of the related contact", "The same child or family: both contacts list each other. Recorded with your name.")
		}, " govuk-button--secondary", "link-submit", "Link"},
		{d.CanMerge, "merge", "Merge a duplicate into this contact", "merge", func() {
			input(p, v, "duplicate", "Reference of the duplicate", "Its concerns, referrer, family and attachments are added to this contact as an addendum, and it is closed as merged. Nothing is deleted.")
		}, " govuk-button--warning", "merge-submit", "Merge into this contact"},
		{d.CanConsent, "consent", "Proceed without consent", "consent-override", func() {
			formGroup(p, v.Err("legalBasis"))
			p.m(`<label class="govuk-label" for="legalBasis">Legal basis</label>
`)
			errorMessage(p, "legalBasis-error", v.Err("legalBasis"))
			p.m(`
<select class="govuk-select" id="legalBasis" name="legalBasis">`)
			selectOptions(p, "Choose", d.LegalBases, legalBasisOption(v))
			p.m("\n")
			textarea(p, v, "overrideRationale", "Rationale", "")
		}, " govuk-button--warning", "", "Override consent"},
	} {
		p.m("\n\n")
		if f.on {
			contactForm(p, v, id, f.anchor, f.heading, f.action)
			f.fields()
			submit(p, f.button, f.buttonID, f.text)
		}
	}
	p.m(`

<h2 class="govuk-heading-m">Chronology</h2>
<table class="govuk-table" id="chronology"><caption class="govuk-visually-hidden">What happened, oldest first</caption><thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">When</th><th scope="col" class="govuk-table__header">Who</th><th scope="col" class="govuk-table__header">What</th></tr></thead><tbody class="govuk-table__body">
`)
	for _, e := range d.Events {
		p.w(`<tr class="govuk-table__row"><td class="govuk-table__cell">`, e.At, `</td><td class="govuk-table__cell">`, e.Actor, `</td><td class="govuk-table__cell">`, e.Action)
		if e.Reason != "" {
			p.w(`: `, e.Reason)
		}
		if e.Detail != "" {
			p.w(` <span class="govuk-body-s">(`, e.Detail, `)</span>`)
		}
		p.m(`</td></tr>`)
	}
	p.m(`</tbody></table>
`)
	return nil
}

// actionForm is a form on the contact page: shown when on, under its heading (anchor is the heading's id),
// posting to the contact's action, with its fields and its submit button (button is its class modifier).
type actionForm struct {
	on                      bool
	anchor, heading, action string
	fields                  func()
	button, buttonID, text  string
}

// censusForm is the census codes form (issue #16): the source of referral and the child's ethnicity as
// GOV.UK selects, the child's gender as radios, each showing the code the contact has now (recorded by a
// person, or derived with certainty at intake) or asking for one; errors by field.
func censusForm(p *page, v *view, id string, fields []censusField) {
	p.w(`
<h2 class="govuk-heading-m" id="census">Census codes</h2>
<p class="govuk-body">Ofsted's Annex A and the children in need census report each contact in the DfE codes. A decision cannot be recorded while one is missing; every list has a code for "not known".</p>
<form method="post" action="/contacts/`, id, `/census" novalidate>`)
	csrf(p, v)
	for _, f := range fields {
		fid := fieldID(f.Field)
		e := v.Err(f.Field)
		value := f.Current
		if v.Form.Has(f.Field) {
			value = v.Val(f.Field)
		}
		hint := f.Hint
		switch {
		case f.Missing:
			hint = strings.TrimSpace(hint + ". Not given with certainty in the contact: choose one (" + f.NotKnown + " if it is not known).")
		case f.Recorded:
			hint = strings.TrimSpace(hint + ". Recorded by a screener.")
		default:
			hint = strings.TrimSpace(hint + ". Derived from the contact at intake.")
		}
		hint = strings.TrimPrefix(hint, ". ")
		p.m("\n")
		formGroup(p, e)
		if f.Field == "census.gender" {
			p.w(`<fieldset class="govuk-fieldset" aria-describedby="`, fid, `-hint`)
			if e != "" {
				p.w(` `, fid, `-error`)
			}
			p.w(`"><legend class="govuk-fieldset__legend govuk-fieldset__legend--s">`, f.Label, `</legend>
<div class="govuk-hint" id="`, fid, `-hint">`, hint, `</div>
`)
			errorMessage(p, fid+"-error", e)
			p.m(`
<div class="govuk-radios govuk-radios--small">`)
			for i, k := range f.Codes {
				rid := fid
				if i > 0 {
					rid = fid + "-" + k.Code
				}
				p.w(`<div class="govuk-radios__item"><input class="govuk-radios__input" id="`, rid, `" name="`, f.Field, `" type="radio" value="`, k.Code, `"`)
				if value == k.Code {
					p.m(` checked`)
				}
				p.w(`><label class="govuk-label govuk-radios__label" for="`, rid, `">`, k.Code, ` – `, k.Meaning, `</label></div>`)
			}
			p.m(`</div></fieldset></div>`)
			continue
		}
		p.w(`<label class="govuk-label" for="`, fid, `">`, f.Label, `</label>
<div class="govuk-hint" id="`, fid, `-hint">`, hint, `</div>
`)
		errorMessage(p, fid+"-error", e)
		p.w(`
<select class="govuk-select`)
		if e != "" {
			p.m(` govuk-select--error`)
		}
		p.w(`" id="`, fid, `" name="`, f.Field, `" aria-describedby="`, fid, `-hint`)
		if e != "" {
			p.w(` `, fid, `-error`)
		}
		p.m(`"><option value="">Choose a code</option>`)
		for _, k := range f.Codes {
			p.w(`<option value="`, k.Code, `"`)
			if value == k.Code {
				p.m(` selected`)
			}
			p.w(`>`, k.Code, ` – `, k.Meaning, `</option>`)
		}
		p.m(`</select></div>`)
	}
	p.m("\n")
	if e := v.Err("census"); e != "" {
		errorMessage(p, "census-error", e)
	}
	p.m(`
<button class="govuk-button govuk-button--secondary" type="submit" id="census-submit">Save the census codes</button>
</form>`)
}

func searchPage(p *page, v *view) error {
	d, err := data[searchView](v)
	if err != nil {
		return err
	}
	p.w(`
<h1 class="govuk-heading-l">Search</h1>
<form method="get" action="/search">
 <div class="govuk-form-group"><label class="govuk-label" for="q">Reference, child's name or date of birth</label>
 <div class="govuk-hint" id="q-hint">For example `, d.Example, `, Jayden Smyth, or 14/02/2019</div>
 <input class="govuk-input govuk-!-width-one-half" id="q" name="q" type="search" value="`, d.Q, `" aria-describedby="q-hint">
 <button class="govuk-button console-inline-button" type="submit">Search</button></div>
</form>
`)
	if d.Q != "" {
		p.w(`
<h2 class="govuk-heading-m">`, itoa(len(d.Results)), ` found</h2>
`)
		if len(d.Results) > 0 {
			p.m(`
<table class="govuk-table"><caption class="govuk-visually-hidden">Contacts found</caption>
<thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Reference</th><th scope="col" class="govuk-table__header">Child</th><th scope="col" class="govuk-table__header">Date of birth</th><th scope="col" class="govuk-table__header">Status</th><th scope="col" class="govuk-table__header">Received</th></tr></thead>
<tbody class="govuk-table__body">`)
			for _, r := range d.Results {
				p.w(`<tr class="govuk-table__row">
<td class="govuk-table__cell"><a class="govuk-link" href="/contacts/`, urlPath(string(r.ContactID)), `">`, string(r.Reference), `</a></td><td class="govuk-table__cell">`, r.Name, `</td><td class="govuk-table__cell">`, r.DOB, `</td><td class="govuk-table__cell">`, statusText(r.Status), `</td><td class="govuk-table__cell">`, r.Received, `</td></tr>`)
			}
			p.m(`</tbody></table>
`)
		}
	}
	p.m("\n")
	return nil
}

func quarantinePage(p *page, v *view) error {
	rows, err := data[[]quarantineRow](v)
	if err != nil {
		return err
	}
	p.m(`
<h1 class="govuk-heading-l">Quarantine</h1>
<p class="govuk-body">Messages intake could not accept. Each is shown as text, never opened or rendered. Release puts it through intake again; discard (with a reason) takes it off this list and keeps it.</p>
`)
	if len(rows) == 0 {
		p.m(`<p class="govuk-body">Nothing in quarantine.</p>`)
	}
	p.m("\n")
	for _, q := range rows {
		qid := urlPath(q.ID)
		p.w(`
<div class="govuk-summary-card"><div class="govuk-summary-card__title-wrapper"><h2 class="govuk-summary-card__title">`, q.ID, `</h2></div>
<div class="govuk-summary-card__content">
<dl class="govuk-summary-list">
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Reason</dt><dd class="govuk-summary-list__value">`, q.Reason, `</dd></div>
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Received</dt><dd class="govuk-summary-list__value">`, q.Received, `</dd></div>
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Size</dt><dd class="govuk-summary-list__value">`, fmt.Sprint(q.Size), ` bytes</dd></div>
</dl>
<details class="govuk-details"><summary class="govuk-details__summary"><span class="govuk-details__summary-text">The raw message</span></summary>
<div class="govuk-details__text"><pre class="console-raw" tabindex="0">`, q.Raw, `</pre></div></details>
<form method="post" action="/quarantine/`, qid, `/release"><input type="hidden" name="csrf" value="`, v.CSRF, `"><button class="govuk-button" type="submit">Release<span class="govuk-visually-hidden"> `, q.ID, `</span></button></form>
`)
		f := "reason-" + q.ID
		e := v.Err(f)
		p.w(`<form method="post" action="/quarantine/`, qid, `/discard" novalidate><input type="hidden" name="csrf" value="`, v.CSRF, `">
`)
		formGroup(p, e)
		p.w(`<label class="govuk-label" for="`, f, `">Discard<span class="govuk-visually-hidden"> `, q.ID, `</span>, because</label>
<div class="govuk-hint" id="`, f, `-hint">For example: spam, sent to the MASH in error. The message is kept, marked discarded with your name and this reason.</div>
`)
		errorMessage(p, f+"-error", e)
		p.m(`
<input class="govuk-input`)
		if e != "" {
			p.m(` govuk-input--error`)
		}
		p.w(`" id="`, f, `" name="`, f, `" type="text" value="`, v.Val(f), `" aria-describedby="`, f, `-hint`)
		if e != "" {
			p.w(` `, f, `-error`)
		}
		p.w(`"></div>
<button class="govuk-button govuk-button--warning" type="submit" id="`, f, `-submit">Discard<span class="govuk-visually-hidden"> `, q.ID, `</span></button></form>
</div></div>
`)
	}
	p.m("\n")
	return nil
}

func oohPage(p *page, v *view) error {
	d, err := data[oohView](v)
	if err != nil {
		return err
	}
	p.m(`
<h1 class="govuk-heading-l">Out of hours</h1>
`)
	if !d.Enabled {
		p.m(`<p class="govuk-body">Out-of-hours recording is not enabled here.</p>`)
	}
	p.m("\n")
	if len(d.Created) > 0 {
		p.m(`<div class="govuk-notification-banner govuk-notification-banner--success" role="alert" aria-labelledby="ooh-created-title"><div class="govuk-notification-banner__header"><h2 class="govuk-notification-banner__title" id="ooh-created-title">Success</h2></div><div class="govuk-notification-banner__content">
<p class="govuk-notification-banner__heading">Phone contact recorded: `)
		for _, r := range d.Created {
			p.w(`<a class="govuk-notification-banner__link" href="/contacts/`, urlPath(string(r.ContactID)), `" id="ooh-created">`, string(r.Reference), `</a> `)
		}
		p.m(`</p></div></div>`)
	}
	p.m("\n")
	if d.Enabled && d.CanAdd {
		p.m(`
<h2 class="govuk-heading-m">Record a phone contact</h2>
<form method="post" action="/ooh" novalidate>`)
		csrf(p, v)
		p.m("\n")
		inputs(p, v,
			"child.givenName", "Child's given name", "If the caller does not know it, write: not known",
			"child.familyName", "Child's family name", "If the caller does not know it, write: not known",
			"child.dateOfBirth", "Child's date of birth", "For example 31/03/2015, or not known",
			"child.age", "Or the child's age, if the caller does not know the date of birth", "In years, as the caller said it, for example 6",
			"referrer.name", "Caller's name", "",
			"referrer.phone", "Caller's phone", "")
		p.m("\n")
		textarea(p, v, "concerns", "What the caller said", "")
		checkbox(p, v, "immediateHarm", "immediateHarm", "yes", "The child is at immediate risk")
		submit(p, "", "ooh-submit", "Record the contact")
	}
	p.m(`
<h2 class="govuk-heading-m">Next-morning list</h2>
`)
	if len(d.Morning) > 0 {
		p.m(`<table class="govuk-table" id="morning"><caption class="govuk-visually-hidden">Arrived out of hours, for review at opening</caption><thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Reference</th><th scope="col" class="govuk-table__header">Child</th><th scope="col" class="govuk-table__header">Rating</th><th scope="col" class="govuk-table__header">Received</th><th scope="col" class="govuk-table__header">Review by</th><th scope="col" class="govuk-table__header">EDT actions</th></tr></thead><tbody class="govuk-table__body">
`)
		for _, m := range d.Morning {
			p.w(`<tr class="govuk-table__row"><td class="govuk-table__cell"><a class="govuk-link" href="/contacts/`, urlPath(string(m.ContactID)), `">`, string(m.Reference), `</a></td><td class="govuk-table__cell">`, m.Child)
			if m.NeedsCompletion {
				p.w(` <strong class="govuk-tag govuk-tag--yellow">child's details needed</strong><br><span class="govuk-body-s">`, m.NotKnown, `</span>`)
			}
			p.w(`</td><td class="govuk-table__cell">`, string(m.Rating))
			if m.EDTNow {
				p.m(` <strong class="govuk-tag govuk-tag--red">EDT now: immediate harm</strong>`)
			}
			p.w(`</td><td class="govuk-table__cell">`, m.Received, `</td><td class="govuk-table__cell`)
			if m.Overdue {
				p.m(` console-overdue`)
			}
			p.w(`">`, m.Review, `</td><td class="govuk-table__cell">`)
			for _, a := range m.EDTActions {
				p.w(``, a, `<br>`)
			}
			p.m(`</td></tr>`)
		}
		p.m(`</tbody></table>`)
	} else {
		p.m(`<p class="govuk-body">Nothing arrived out of hours.</p>`)
	}
	p.m("\n")
	return nil
}

func referPage(p *page, v *view) error {
	d, err := data[referView](v)
	if err != nil {
		return err
	}
	phones := func(mash, edt string) {
		if d.MASHPhone != "" {
			p.w(mash, d.MASHPhone)
		}
		if d.EDTLine != "" {
			p.w(edt, d.EDTLine)
		}
	}
	p.w(`
<h1 class="govuk-heading-l">Make a referral to the `, v.Authority, ` MASH</h1>
<div class="govuk-warning-text" id="immediate-harm-warning"><span class="govuk-warning-text__icon" aria-hidden="true">!</span>
<strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span>
If a child is at risk of immediate harm, do not use this form: call 999, then phone the MASH`)
	phones(` on `, ` (out of hours, the Emergency Duty Team on `)
	if d.EDTLine != "" {
		// the bracket the EDT line opened
		p.m(`)`)
	}
	p.m(` at once.</strong></div>
<form method="post" action="/refer" enctype="multipart/form-data" novalidate>`)
	csrf(p, v)
	p.w(`<input type="hidden" name="formKey" value="`, d.FormKey, `">
`)
	e := v.Err("immediateHarm")
	formGroup(p, e)
	p.m(`<fieldset class="govuk-fieldset" aria-describedby="immediateHarm-hint"><legend class="govuk-fieldset__legend govuk-fieldset__legend--m">Is the child at risk of immediate harm?</legend>
<div class="govuk-hint" id="immediateHarm-hint">If yes: phone the MASH`)
	phones(` on `, ` or, out of hours, the Emergency Duty Team on `)
	p.m(` now, before you finish this form.</div>
`)
	errorMessage(p, "immediateHarm-error", e)
	yesNo(p, v, "immediateHarm", "immediateHarm")
	p.m(`

<h2 class="govuk-heading-m">The child</h2>
`)
	inputs(p, v,
		"children[0].givenName", "Given name", "",
		"children[0].familyName", "Family name", "",
		"children[0].dateOfBirth", "Date of birth", "For example 31/03/2015. Leave empty if not known.",
		"children[0].gender", "Gender", "",
		"children[0].address", "Address", "",
		"children[0].school", "School or nursery", "")
	p.m("\n")
	errorMessage(p, "children", v.Err("children"))
	p.m(`
<details class="govuk-details"><summary class="govuk-details__summary"><span class="govuk-details__summary-text">Another child in the household</span></summary><div class="govuk-details__text">
`)
	inputs(p, v,
		"children[1].givenName", "Given name", "",
		"children[1].familyName", "Family name", "",
		"children[1].dateOfBirth", "Date of birth", "")
	p.m(`
</div></details>

<h2 class="govuk-heading-m">Parent or carer and household</h2>
`)
	inputs(p, v,
		"parents[0].name", "Parent or carer's name", "",
		"parents[0].relationship", "Relationship to the child", "")
	checkbox(p, v, "parents-0-parentalResponsibility", "parents[0].parentalResponsibility", "true", "Has parental responsibility")
	p.m("\n")
	inputs(p, v,
		"household[0].name", "Another household member", "",
		"household[0].relationship", "Their relationship to the child", "")
	p.m(`

<h2 class="govuk-heading-m">You</h2>
`)
	inputs(p, v,
		"referrer.name", "Your name", "",
		"referrer.organisation", "Organisation", "Leave empty if you are a member of the public",
		"referrer.role", "Your role", "",
		"referrer.email", "Email address", "The MASH sends the reference and, where it may, the outcome here",
		"referrer.phone", "Phone number", "",
		"referrer.relationship", "Your relationship to the child", "")
	checkbox(p, v, "referrer-professional", "referrer.professional", "true", "I am referring as a professional")
	p.m(`

<h2 class="govuk-heading-m">Your concerns</h2>
`)
	textarea(p, v, "concerns", "What are you worried about?", "What happened, when, who was involved, what the child said")
	p.m("\n\n")
	a := v.Err("attachments")
	for _, f := range d.FileFields {
		if fe := v.Err(f); fe != "" {
			a = a + " " + fe
		}
	}
	formGroup(p, a)
	p.w(`
<label class="govuk-label govuk-label--s" for="attachments">Attach documents (optional)</label>
<div class="govuk-hint" id="attachments-hint">Up to `, itoa(d.MaxFiles), ` files, each up to `, itoa(d.MaxFileMiB), ` MiB: `, d.FileKinds, `. For example a GP letter or a chronology.`)
	if len(v.Errors) > 0 {
		p.m(` If the form shows a problem, choose the files again.`)
	}
	p.m(`</div>
`)
	errorMessage(p, "attachments-error", a)
	p.m(`
<input class="govuk-file-upload`)
	if a != "" {
		p.m(` govuk-file-upload--error`)
	}
	p.m(`" id="attachments" name="attachments" type="file" multiple accept=".pdf,.doc,.docx,.jpg,.jpeg,.png,.txt" aria-describedby="attachments-hint`)
	if a != "" {
		p.m(` attachments-error`)
	}
	p.m(`"></div>

<h2 class="govuk-heading-m">Consent</h2>
`)
	formGroup(p, v.Err("consent.status"))
	p.m(`<label class="govuk-label" for="consent-status">Do the parents or carers know and agree to this referral?</label>
`)
	errorMessage(p, "consent-status-error", v.Err("consent.status"))
	p.m(`
<select class="govuk-select" id="consent-status" name="consent.status">`)
	selectOptions(p, "Choose", d.Consents, consentOption(v)) // the answers in words ("Not sought"), never the codes
	p.m("\n")
	textarea(p, v, "consent.reason", "If consent was not given or not sought, why", "")
	p.m("\n")
	t := v.Err("familyTold")
	if t == "" {
		t = v.Err("familyTold.told")
	}
	fieldset(p, t, " govuk-fieldset__legend--s", "Did you tell the family before making this referral?", "familyTold-error")
	p.m(`<div class="govuk-radios govuk-radios--inline" id="familyTold">`)
	radios.formItem(p, v, "familyTold-yes", "familyTold.told", "yes", "Yes")
	p.m("\n")
	radios.formItem(p, v, "familyTold-no", "familyTold.told", "no", "No")
	p.m(`</div></fieldset></div>
`)
	textarea(p, v, "familyTold.reason", "If you did not tell the family, why not", "For example: telling them may increase the risk of harm to the child")
	submit(p, "", "refer-submit", "Send the referral")
	p.m("\n")
	return nil
}

// inputs writes text inputs one after another, one a line: name, label, hint for each.
// peopleRow is a summary list row listing people one a line; none: no row.
func peopleRow(p *page, key, id string, people []string) {
	if len(people) > 0 {
		p.w(`<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">`, key, `</dt><dd class="govuk-summary-list__value" id="`, id, `">`, strings.Join(people, "; "), `</dd></div>
`)
	}
}

func inputs(p *page, v *view, fields ...string) {
	for i := 0; i+2 < len(fields); i += 3 {
		if i > 0 {
			p.m("\n")
		}
		input(p, v, fields[i], fields[i+1], fields[i+2])
	}
}

func referredPage(p *page, v *view) error {
	d, err := data[referView](v)
	if err != nil {
		return err
	}
	p.m(`
<div class="govuk-panel govuk-panel--confirmation"><h1 class="govuk-panel__title">Referral received</h1>
<div class="govuk-panel__body">Your reference`)
	if len(d.Result) > 1 {
		p.m(`s`)
	}
	p.m(`<br>`)
	for _, r := range d.Result {
		p.w(`<strong class="console-reference">`, string(r.Reference), `</strong><br>`)
	}
	p.m(`</div></div>
<p class="govuk-body">Please quote the reference in any message about this referral. A MASH manager will screen it and decide the next step.</p>
`)
	if len(d.Files) > 0 {
		p.w(`<p class="govuk-body">With `, itoa(len(d.Files)), ` attached file`)
		if len(d.Files) > 1 {
			p.m(`s`)
		}
		p.w(`: `, strings.Join(d.Files, ", "), `.</p>`)
	}
	p.m("\n")
	if v.User != nil {
		p.m(`<p class="govuk-body"><a class="govuk-link" href="/referrals">Follow your referrals</a></p>`)
	}
	p.m(`
<p class="govuk-body">If you believe a child is in immediate danger, call 999`)
	if d.MASHPhone != "" {
		p.w(` and phone the MASH on `, d.MASHPhone)
	}
	p.m(`.</p>
`)
	return nil
}

// linkOpenPage is what a single-use link in an email opens: a button that uses it (linkOpenView).
func linkOpenPage(p *page, v *view) error {
	d, err := data[linkOpenView](v)
	if err != nil {
		return err
	}
	p.w(`
<h1 class="govuk-heading-l">`, d.Heading, `</h1>
<p class="govuk-body">`, d.Body, `</p>
<p class="govuk-body">The link works once: the button below uses it. If it has been used already, or has expired, the page says so and nothing is changed.</p>
<form method="post" action="/`, urlPath(d.Kind), `/open" novalidate>`)
	csrf(p, v)
	p.w(`<input type="hidden" name="token" value="`, d.Token, `">
<button class="govuk-button" data-module="govuk-button" type="submit" id="`, d.ID, `">`, d.Button, `</button>
</form>
`)
	return nil
}

func answerPage(p *page, v *view) error {
	d, err := data[answerView](v)
	if err != nil {
		return err
	}
	p.w(`
<span class="govuk-caption-l">MASH check for `, agencyText(d.Check.Agency), `, contact `, string(d.C.Reference), `</span>
<h1 class="govuk-heading-l">Answer a MASH check</h1>
<dl class="govuk-summary-list">
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Child</dt><dd class="govuk-summary-list__value" id="answer-child">`, d.Name, `</dd></div>
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Date of birth</dt><dd class="govuk-summary-list__value">`, d.DOB, `</dd></div>
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Address</dt><dd class="govuk-summary-list__value" id="answer-address">`, d.C.Child.Address, `</dd></div>
`)
	// Partner agencies check the family as well as the child: the parents and carers, and the others living
	// with the child, as the contact holds them (a call's form, an email's or a referral's).
	peopleRow(p, "Parents and carers", "answer-parents", parentsText(d.C.Parents))
	peopleRow(p, "Others in the household", "answer-household", householdText(d.C.Household))
	p.w(`<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Answer by</dt><dd class="govuk-summary-list__value">`, d.Due, `</dd></div>
`)
	if d.C.Rating != nil {
		// The answer may say the risk is higher than rated: the agency is told the rating it is weighing.
		p.w(`<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">The MASH's rating</dt><dd class="govuk-summary-list__value" id="answer-rating">`, string(d.C.Rating.Value), `</dd></div>
`)
	}
	p.m(`</dl>
`)
	if d.Summary != "" {
		p.w(`<h2 class="govuk-heading-m">Summary of the referral concerns</h2>
<div class="govuk-inset-text console-pre" id="answer-summary">`, d.Summary, `</div>`)
	} else {
		p.w(`
<h2 class="govuk-heading-m">The concern</h2>
<div class="govuk-inset-text console-pre">`, d.C.Concerns, `</div>`)
	}
	p.m("\n")
	if d.Answered {
		p.m(`<p class="govuk-body">This check has already been answered. Nothing has been changed.</p>`)
	} else {
		p.m(`
<form method="post" action="/answer" novalidate>`)
		csrf(p, v)
		p.w(`<input type="hidden" name="token" value="`, d.Token, `">
`)
		textarea(p, v, "summary", "What your agency knows", "Leave empty only if your agency holds nothing")
		p.m(`
<div class="govuk-form-group"><div class="govuk-checkboxes govuk-checkboxes--small">
`)
		checkboxes.formItem(p, v, "nothingKnown", "nothingKnown", "true", "My agency holds no information")
		p.m("\n")
		checkboxes.formItem(p, v, "riskHigher", "riskHigher", "true", "The risk is higher than the MASH has rated it")
		p.m(`
</div></div>
`)
		textarea(p, v, "restricted", "Restricted note (optional)", "Only police-vetted MASH staff can read this")
		submit(p, "", "answer-submit", "Send the answer")
	}
	p.m("\n")
	return nil
}

func answeredPage(p *page, v *view) error {
	p.m(`
<div class="govuk-panel govuk-panel--confirmation"><h1 class="govuk-panel__title">Answer recorded</h1>
<div class="govuk-panel__body">Thank you. The MASH has your agency's answer`)
	if d, err := data[answerView](v); err == nil && d.Reference != "" {
		p.w(` to its check on contact <strong class="console-reference" id="answered-reference">`, string(d.Reference), `</strong>`)
	}
	p.m(`.</div></div>
<p class="govuk-body">The link you used no longer works.</p>
`)
	return nil
}

func signinPage(p *page, v *view) error {
	d, err := data[signinView](v)
	if err != nil {
		return err
	}
	p.m(`
<h1 class="govuk-heading-l">Sign in</h1>
`)
	if len(d.Users) > 0 {
		p.m(`
<form method="post" action="/signin">`)
		csrf(p, v)
		p.w(`<input type="hidden" name="next" value="`, d.Next, `">
`)
		fieldset(p, v.Err("user"), " govuk-fieldset__legend--m", "Demo: sign in as", "user-error")
		p.m(`<div class="govuk-radios" id="user">`)
		for i, u := range d.Users {
			p.w(`<div class="govuk-radios__item">
<input class="govuk-radios__input" id="user-`, itoa(i), `" name="user" type="radio" value="`, u.Name, `"`)
			if i == 0 {
				p.m(` checked`)
			}
			p.w(`>
<label class="govuk-label govuk-radios__label" for="user-`, itoa(i), `">`, u.Name, ` (`, strings.Join(u.Roles, ""))
			if u.Agency != "" {
				p.w(`, `, u.Agency)
			}
			p.m(`)</label></div>`)
		}
		p.m(`</div>
</fieldset></div>
<button class="govuk-button" type="submit" id="signin-user">Sign in</button>
</form>
`)
	}
	p.m("\n")
	switch {
	case d.Local:
		p.m(`
<form method="post" action="/signin">`)
		csrf(p, v)
		p.w(`<input type="hidden" name="next" value="`, d.Next, `">
`)
		textarea(p, v, "token", "Paste a token", "Made by: mash token --state STATE --authority AUTHORITY --user NAME --roles ROLE")
		p.m(`
<button class="govuk-button govuk-button--secondary" type="submit" id="signin-token">Sign in with the token</button>
</form>
`)
	case d.OIDC:
		p.w(`
<p class="govuk-body">You sign in on your council's sign-in page, then come back here.</p>
<a href="/signin/start?next=`, urlQuery(d.Next), `" role="button" draggable="false" class="govuk-button govuk-button--start" data-module="govuk-button" id="signin-oidc">Sign in</a>
`)
	case len(d.Users) == 0:
		p.m(`
<p class="govuk-body">Sign-in is not set up for this console.</p>
`)
	}
	p.m(`
<p class="govuk-body">Making a referral? You do not need to sign in: <a class="govuk-link" href="/refer">make a referral</a>.</p>
`)
	return nil
}

func errorPage(p *page, v *view) error {
	d, err := data[errPage](v)
	if err != nil {
		return err
	}
	p.w(`
<h1 class="govuk-heading-l">`, d.Heading, `</h1>
<p class="govuk-body">`, d.Message, `</p>
`)
	if d.RequestID != "" {
		p.w(`<p class="govuk-body-s">If you report this, quote request `, d.RequestID, `.</p>`)
	}
	p.m(`
<p class="govuk-body"><a class="govuk-link" href="/">Go to the start</a></p>
`)
	return nil
}

func reportsPage(p *page, v *view) error {
	d, err := data[reportsView](v)
	if err != nil {
		return err
	}
	p.w(`
<h1 class="govuk-heading-l">Timeliness</h1>
<p class="govuk-body">Every deadline whose clock started in the period: met (done by its deadline), missed (done late, or not done and past it) or still open. Counted from the contacts' deadlines and the audit trail.</p>
<form method="get" action="/reports" class="console-filter">
<div class="govuk-form-group"><label class="govuk-label" for="from">From</label><input class="govuk-input govuk-input--width-10" id="from" name="from" type="date" value="`, d.From, `"></div>
<div class="govuk-form-group"><label class="govuk-label" for="to">To</label><input class="govuk-input govuk-input--width-10" id="to" name="to" type="date" value="`, d.To, `"></div>
<button class="govuk-button govuk-button--secondary" type="submit">Show</button>
</form>
`)
	// {{with .Data}}: a reportsView struct is never empty
	p.m("\n")
	if !d.Any {
		p.m(`<p class="govuk-body">No deadline started in this period.</p>`)
	}
	w, h := itoa(d.Width), itoa(d.Height)
	p.w(`
<svg xmlns="http://www.w3.org/2000/svg" width="`, w, `" height="`, h, `" viewBox="0 0 `, w, ` `, h, `" role="img" aria-labelledby="chart-title">
<title id="chart-title">Deadlines met, missed and open per rule, `, d.From, ` to `, d.To, `</title>
`)
	for _, r := range d.Rows {
		p.w(`<g>
<text x="0" y="`, itoa(r.TextY), `" font-size="14" fill="#0b0c0c">`, r.Rule, `</text>
`)
		if r.MetW != 0 {
			p.w(`<rect x="`, itoa(d.BarX), `" y="`, itoa(r.Y), `" width="`, itoa(r.MetW), `" height="22" fill="#00703c"><title>`, r.Rule, `: `, itoa(r.Met), ` met</title></rect>`)
		}
		p.m("\n")
		if r.MissedW != 0 {
			p.w(`<rect x="`, itoa(r.MissedX), `" y="`, itoa(r.Y), `" width="`, itoa(r.MissedW), `" height="22" fill="#d4351c"><title>`, r.Rule, `: `, itoa(r.Missed), ` missed</title></rect>`)
		}
		p.m("\n")
		if r.OpenW != 0 {
			p.w(`<rect x="`, itoa(r.OpenX), `" y="`, itoa(r.Y), `" width="`, itoa(r.OpenW), `" height="22" fill="#b1b4b6"><title>`, r.Rule, `: `, itoa(r.Open), ` open</title></rect>`)
		}
		p.w(`
<text x="`, itoa(r.CountX), `" y="`, itoa(r.TextY), `" font-size="14" fill="#0b0c0c">`, itoa(r.Total), `</text>
</g>`)
	}
	p.m(`
</svg>
<p class="govuk-body-s">Green: met. Red: missed. Grey: open.</p>
<table class="govuk-table">
<caption class="govuk-table__caption govuk-table__caption--m">Per rule</caption>
<thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Rule</th><th scope="col" class="govuk-table__header govuk-table__header--numeric">Met</th><th scope="col" class="govuk-table__header govuk-table__header--numeric">Missed</th><th scope="col" class="govuk-table__header govuk-table__header--numeric">Open</th><th scope="col" class="govuk-table__header">Median</th><th scope="col" class="govuk-table__header">90th percentile</th><th scope="col" class="govuk-table__header">Worst</th></tr></thead>
<tbody class="govuk-table__body">
`)
	for _, r := range d.Rows {
		p.m(`<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">`)
		ruleCell(p, r.Label)
		p.w(`</th><td class="govuk-table__cell govuk-table__cell--numeric">`, itoa(r.Met), `</td><td class="govuk-table__cell govuk-table__cell--numeric">`, itoa(r.Missed), `</td><td class="govuk-table__cell govuk-table__cell--numeric">`, itoa(r.Open), `</td><td class="govuk-table__cell">`, r.Median, `</td><td class="govuk-table__cell">`, r.P90, `</td><td class="govuk-table__cell">`, r.Worst, `</td></tr>
`)
	}
	p.m(`</tbody></table>
<h2 class="govuk-heading-m" id="census-gaps">Annex A: census codes missing</h2>
`)
	if len(d.CensusGaps) == 0 {
		p.m(`<p class="govuk-body">Every contact received in the period has its census codes: Annex A List 1 is complete.</p>
`)
	} else {
		p.w(`<p class="govuk-body">`, itoa(len(d.CensusGaps)), ` contacts received in the period have census codes neither recorded nor derived; their cells in Annex A List 1 read &#34;codes missing&#34;. A contact forwarded to an open case&#39;s worker or returned for consent left without the decision&#39;s census check: record its codes on its page (&#34;not known&#34; is a valid choice) before filing.</p>
<table class="govuk-table">
<thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Reference</th><th scope="col" class="govuk-table__header">Status</th><th scope="col" class="govuk-table__header">Date of contact</th><th scope="col" class="govuk-table__header">Codes missing</th></tr></thead>
<tbody class="govuk-table__body">
`)
		for _, g := range d.CensusGaps {
			p.w(`<tr class="govuk-table__row"><td class="govuk-table__cell"><a class="govuk-link" href="/contacts/`, urlPath(string(g.ContactID)), `#census">`, string(g.Reference), `</a></td><td class="govuk-table__cell">`, statusText(g.Status), `</td><td class="govuk-table__cell">`, g.DateOfContact, `</td><td class="govuk-table__cell">`, strings.Join(g.Missing, ", "), `</td></tr>
`)
		}
		p.m(`</tbody></table>
`)
	}
	p.w(`<h2 class="govuk-heading-m" id="last-day">The last 24 hours</h2>
<p class="govuk-body">Since `, d.Since, `: the figures the CloudWatch dashboard shows on AWS (overdue is as of now).</p>
`)
	for _, g := range d.Figures {
		p.w(`<table class="govuk-table">
<caption class="govuk-table__caption govuk-table__caption--s">`, g.Title, `</caption>
`)
		if g.Dim != "" {
			p.w(`<thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">`, g.Dim, `</th><th scope="col" class="govuk-table__header govuk-table__header--numeric">Count</th></tr></thead>`)
		}
		p.m(`
<tbody class="govuk-table__body">
`)
		for _, f := range g.Values {
			of := f.Of
			if of == "" {
				of = "All"
			}
			p.w(`<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">`, of, `</th><td class="govuk-table__cell govuk-table__cell--numeric">`, fmt.Sprint(f.Value), `</td></tr>
`)
		}
		if len(g.Values) == 0 {
			p.m(`<tr class="govuk-table__row"><td class="govuk-table__cell" colspan="2">None</td></tr>
`)
		}
		p.m(`</tbody></table>
`)
	}
	p.m("\n\n")
	return nil
}

func schoolsPage(p *page, v *view) error {
	d, err := data[schoolsView](v)
	if err != nil {
		return err
	}
	p.w(`
<h1 class="govuk-heading-l">Schools</h1>
<p class="govuk-body">The school directory that Operation Encompass notices are addressed from: each school's Designated Safeguarding Lead (DSL) and deputy.</p>
<form method="get" action="/schools">
 <div class="govuk-form-group"><label class="govuk-label" for="q">School name, URN or postcode</label>
 <div class="govuk-hint" id="q-hint">For example Northern Parade, 100012 or E8 1AB</div>
 <input class="govuk-input govuk-!-width-one-half" id="q" name="q" type="search" value="`, d.Q, `" aria-describedby="q-hint">
 <button class="govuk-button console-inline-button" type="submit">Search</button></div>
</form>
`)
	if d.Q != "" {
		p.w(`
<h2 class="govuk-heading-m">`, itoa(len(d.Results)), ` found`)
		if d.More != 0 {
			p.w(` (and `, itoa(d.More), ` more: narrow the search)`)
		}
		p.m(`</h2>
`)
		if len(d.Results) > 0 {
			p.m(`
<table class="govuk-table"><caption class="govuk-visually-hidden">Schools found</caption>
<thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">School</th><th scope="col" class="govuk-table__header">URN</th><th scope="col" class="govuk-table__header">Phase</th><th scope="col" class="govuk-table__header">Postcode</th><th scope="col" class="govuk-table__header">DSL</th><th scope="col" class="govuk-table__header">DSL phone</th></tr></thead>
<tbody class="govuk-table__body">`)
			for _, s := range d.Results {
				p.w(`<tr class="govuk-table__row">
<td class="govuk-table__cell"><a class="govuk-link" href="/schools/`, urlPath(s.URN), `">`, s.Name, `</a>`)
				if !s.Open {
					p.m(` <strong class="govuk-tag govuk-tag--grey">Closed</strong>`)
				}
				p.w(`</td><td class="govuk-table__cell">`, s.URN, `</td><td class="govuk-table__cell">`, s.Phase, `</td><td class="govuk-table__cell">`, s.Postcode, `</td><td class="govuk-table__cell">`, s.DSLEmail, `</td><td class="govuk-table__cell">`, s.DSLPhone, `</td></tr>`)
			}
			p.m(`</tbody></table>
`)
		}
	}
	p.m("\n")
	return nil
}

func schoolPage(p *page, v *view) error {
	d, err := data[schoolView](v)
	if err != nil {
		return err
	}
	s := d.School
	p.m(`
<a class="govuk-back-link" href="/schools">Schools</a>
`)
	if d.Saved {
		p.m(`<div class="govuk-notification-banner govuk-notification-banner--success" role="alert" aria-labelledby="saved-title"><div class="govuk-notification-banner__header"><h2 class="govuk-notification-banner__title" id="saved-title">Saved</h2></div><div class="govuk-notification-banner__content"><p class="govuk-notification-banner__heading">The school's details are saved; the change is in the directory's audit trail.</p></div></div>`)
	}
	p.w(`
<h1 class="govuk-heading-l">`, s.Name, `</h1>
<dl class="govuk-summary-list">
 <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">URN</dt><dd class="govuk-summary-list__value">`, s.URN, `</dd></div>
 <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Type and phase</dt><dd class="govuk-summary-list__value">`, s.Type, ` `, s.Phase, `</dd></div>
 <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Postcode</dt><dd class="govuk-summary-list__value">`, s.Postcode, `</dd></div>
 <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Open</dt><dd class="govuk-summary-list__value">`)
	if s.Open {
		p.m(`Yes`)
	} else {
		p.m(`No: Encompass notices go to the local authority's lead`)
	}
	p.w(`</dd></div>
 <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Designated Safeguarding Lead</dt><dd class="govuk-summary-list__value">`, s.DSLEmail, `</dd></div>
 <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Deputy DSL</dt><dd class="govuk-summary-list__value">`, s.DeputyDSLEmail, `</dd></div>
 <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">DSL phone</dt><dd class="govuk-summary-list__value">`, s.DSLPhone, `</dd></div>
 <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Last changed</dt><dd class="govuk-summary-list__value">`)
	if s.UpdatedBy != "" {
		p.w(`by `, s.UpdatedBy)
	}
	p.m(`</dd></div>
</dl>
`)
	if v.Manager {
		p.w(`
<h2 class="govuk-heading-m">Correct the school's safeguarding contacts</h2>
<form method="post" action="/schools/`, urlPath(s.URN), `" novalidate>
`)
		csrf(p, v)
		p.m("\n")
		inputs(p, v,
			"dslEmail", "DSL email", "One address at the school's own domain, for example dsl@school.example.sch.uk",
			"deputyDslEmail", "Deputy DSL email", "",
			"dslPhone", "DSL phone", "")
		p.m("\n\n")
		fieldset(p, v.Err("open"), "", "Is the school open?", "open-error")
		p.m(`<div class="govuk-radios govuk-radios--inline">
 `)
		radios.formItem(p, v, "open", "open", "yes", "Open")
		p.m("\n ")
		radios.formItem(p, v, "open-no", "open", "no", "Closed")
		p.m(`
</div></fieldset></div>
<button class="govuk-button" type="submit">Save</button>
</form>
`)
	}
	p.m("\n")
	return nil
}

func encompassPage(p *page, v *view) error {
	d, err := data[ackView](v)
	if err != nil {
		return err
	}
	c := d.C
	incident := "concern"
	if c.Flags.DomesticAbuse {
		incident = "domestic abuse"
	}
	p.w(`
<span class="govuk-caption-l">Operation Encompass, reference `, string(c.Reference), `</span>
<h1 class="govuk-heading-l">A police incident a child at your school was present at</h1>
<p class="govuk-body">The police attended an incident of `, incident, ` at which this child was present. The school is told so that it can offer support from the start of the school day.</p>
<dl class="govuk-summary-list">
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Child</dt><dd class="govuk-summary-list__value" id="ack-child">`, d.Name, `</dd></div>
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Date of birth</dt><dd class="govuk-summary-list__value">`, d.DOB, `</dd></div>
`)
	if d.School != "" {
		p.w(`<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">School</dt><dd class="govuk-summary-list__value">`, d.School, `</dd></div>`)
	}
	p.w(`
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Incident</dt><dd class="govuk-summary-list__value">`, d.Incident, `</dd></div>
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Acknowledge by</dt><dd class="govuk-summary-list__value">`, d.Due, `</dd></div>
</dl>
<h2 class="govuk-heading-m">What the police reported</h2>
<div class="govuk-inset-text console-pre">`, c.Concerns, `</div>
<h2 class="govuk-heading-m">What the school needs to do</h2>
<ul class="govuk-list govuk-list--bullet">
<li>Record this on the child's safeguarding file and keep it confidential: share it only with staff who need to know to support the child.</li>
<li>Be ready to offer the child support in school today; do not raise the incident with the parents or the child unless it is safe and in the child's interest.</li>
<li>If you believe the child is at risk of immediate harm, call 999; with any other new concern, contact the MASH`)
	if v.Authority != "" {
		p.w(` of `, v.Authority)
	}
	p.m(` quoting the reference above.</li>
</ul>
`)
	if d.Acknowledged {
		p.m(`<p class="govuk-body">This notification has already been acknowledged. Nothing has been changed.</p>`)
	} else {
		p.m(`
<h2 class="govuk-heading-m">Acknowledge receipt</h2>
<form method="post" action="/encompass" novalidate>`)
		csrf(p, v)
		p.w(`<input type="hidden" name="token" value="`, d.Token, `">
`)
		inputs(p, v,
			"name", "Your name", "As the school's designated safeguarding lead or deputy",
			"role", "Your role (optional)", "For example: DSL, deputy DSL, headteacher")
		p.m("\n")
		e := v.Err("read")
		formGroup(p, e)
		p.m(`<fieldset class="govuk-fieldset"`)
		if e != "" {
			p.m(` aria-describedby="read-error"`)
		}
		p.m(`><legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Confirmation</legend>
`)
		errorMessage(p, "read-error", e)
		p.m(`
<div class="govuk-checkboxes govuk-checkboxes--small">`)
		checkboxes.formItem(p, v, "read", "read", "true", "I have read what the school needs to know and will make sure the child is supported")
		p.m(`</div>
</fieldset></div>`)
		submit(p, "", "ack-submit", "Acknowledge")
	}
	p.m("\n")
	return nil
}

func acknowledgedPage(p *page, v *view) error {
	p.m(`
<div class="govuk-panel govuk-panel--confirmation"><h1 class="govuk-panel__title">Acknowledgement recorded</h1>
<div class="govuk-panel__body">Thank you. The MASH knows the school has the notification.</div></div>
<p class="govuk-body">The link you used no longer works. Keep what you read confidential.</p>
`)
	return nil
}

func referralsPage(p *page, v *view) error {
	rows, err := data[[]referralRow](v)
	if err != nil {
		return err
	}
	p.m(`
<h1 class="govuk-heading-l">My referrals</h1>
<p class="govuk-body">The referrals you sent with this form while signed in, newest first. <a class="govuk-link" href="/refer">Make another referral</a>.</p>
`)
	if len(rows) > 0 {
		p.m(`<table class="govuk-table" id="my-referrals"><caption class="govuk-visually-hidden">Your referrals and where each is</caption>
<thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Reference</th><th scope="col" class="govuk-table__header">Child</th><th scope="col" class="govuk-table__header">Sent</th><th scope="col" class="govuk-table__header">Where it is</th><th scope="col" class="govuk-table__header">Outcome</th></tr></thead>
<tbody class="govuk-table__body">`)
		for _, r := range rows {
			p.w(`<tr class="govuk-table__row"><td class="govuk-table__cell">`, string(r.Reference), `</td><td class="govuk-table__cell">`, r.Name, `</td><td class="govuk-table__cell">`, r.Received, `</td><td class="govuk-table__cell">`, r.Status, `</td><td class="govuk-table__cell">`, r.Outcome, `</td></tr>`)
		}
		p.m(`</tbody></table>
`)
	} else {
		p.m(`<p class="govuk-body">You have sent no referral with this form while signed in.</p>`)
	}
	p.m("\n")
	return nil
}
