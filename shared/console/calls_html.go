package console

import "github.com/safeguarding/mash/shared/domain"

// The pages of calls.go (kept beside them rather than in pageMains' literal).
func init() {
	pageMains["call"] = callPage
	pageMains["called"] = calledPage
	pageMains["consultations"] = consultationsPage
}

// channelWords are the channels of a recorded call in the form's words (intake.RecordedChannels).
var channelWords = map[domain.Channel]string{domain.ChannelPhone: "Phone call", domain.ChannelWalkIn: "Walk-in: a visitor at the front desk"}

// consentWords are the consent answers in the form's words (domain.ConsentStatuses).
var consentWords = map[domain.ConsentStatus]string{domain.ConsentGiven: "Given", domain.ConsentRefused: "Refused",
	domain.ConsentNotSought: "Not sought", domain.ConsentUnknown: "Not known"}

func words[K comparable](m map[K]string, k K, fallback string) string {
	if w, ok := m[k]; ok {
		return w
	}
	return fallback
}

// radioGroup is a fieldset of radios for the field (legend, optional hint), each value with its label, the
// container's id the field's (the error summary links there).
func radioGroup(p *page, v *view, name, legend, hint string, inline bool, values, labels []string) {
	id := fieldID(name)
	e := v.Err(name)
	formGroup(p, e)
	p.m(`<fieldset class="govuk-fieldset"`)
	if hint != "" {
		p.w(` aria-describedby="`, id, `-hint"`)
	}
	p.w(`><legend class="govuk-fieldset__legend govuk-fieldset__legend--s">`, legend, `</legend>
`)
	if hint != "" {
		p.w(`<div class="govuk-hint" id="`, id, `-hint">`, hint, `</div>`)
	}
	errorMessage(p, id+"-error", e)
	p.m(`<div class="govuk-radios`)
	if inline {
		p.m(` govuk-radios--inline`)
	}
	p.w(`" id="`, id, `">`)
	for i, val := range values {
		radios.formItem(p, v, id+"-"+fieldID(val), name, val, labels[i])
		p.m("\n")
	}
	p.m(`</div></fieldset></div>`)
}

func callPage(p *page, v *view) error {
	d, err := data[callView](v)
	if err != nil {
		return err
	}
	p.m(`
<h1 class="govuk-heading-l">Record a call</h1>
<p class="govuk-body">A phone call or a visitor at the front desk about one or more children: each child becomes a contact of its own, screened as any referral.`)
	if d.MayConsult {
		p.m(` A professional asking only for advice is a consultation: it goes into the consultation log, not to screening.`)
	}
	p.m(`</p>
<form method="post" action="/contacts/new" novalidate>`)
	csrf(p, v)
	p.w(`<input type="hidden" name="formKey" value="`, d.FormKey, `"><input type="hidden" name="children" value="`, itoa(d.Children), `">
`)
	if e := v.Err("form"); e != "" {
		errorMessage(p, "form", e)
	}
	if d.MayConsult {
		e := v.Err("consultation")
		formGroup(p, e)
		p.w(`<div class="govuk-hint" id="consultation-hint">`, d.Keeps.Words, `</div>`)
		errorMessage(p, "consultation-error", e)
		p.m(`<div class="govuk-checkboxes" id="consultation-choice">`)
		checkboxes.formItem(p, v, "consultation", "consultation", "yes", "This is a consultation: advice only, no referral")
		p.m(`</div></div>`)
	}
	values := make([]string, len(d.Channels))
	labels := make([]string, len(d.Channels))
	for i, c := range d.Channels {
		values[i], labels[i] = string(c), words(channelWords, c, string(c))
	}
	radioGroup(p, v, "channel", "How did they contact the MASH?", "", false, values, labels)
	p.m(`

<h2 class="govuk-heading-m">The caller</h2>
`)
	inputs(p, v,
		"referrer.name", "Name", "",
		"referrer.role", "Role", "For example: class teacher, health visitor, neighbour",
		"referrer.organisation", "Agency or organisation", "Leave empty for a member of the public",
		"referrer.phone", "Phone number", "",
		"referrer.email", "Email address (optional)", "The acknowledgement and, where it may, the outcome go here",
		"referrer.relationship", "Relationship to the child", "For example: teacher, grandmother, neighbour")
	radioGroup(p, v, "referrer.professional", "Is the caller a professional?", "", true, []string{"yes", "no"}, []string{"Yes", "No"})
	p.m(`

<h2 class="govuk-heading-m">The children</h2>
<p class="govuk-body" id="children-help">If the caller does not know a detail, write: not known. If they do not know the date of birth, give the age if they know it.`)
	if d.MayConsult && !d.Keeps.Child {
		p.m(` For a consultation, leave the children's details empty: they are not kept.`)
	}
	p.m(`</p>
`)
	errorMessage(p, "children", v.Err("children"))
	for i := range d.Children {
		pre := "children[" + itoa(i) + "]"
		e := v.Err(pre)
		p.m("\n")
		formGroup(p, e)
		p.w(`<fieldset class="govuk-fieldset" id="`, fieldID(pre), `"><legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Child `, itoa(i+1), `</legend>
`)
		errorMessage(p, fieldID(pre)+"-error", e)
		addrHint := "Where the child lives, if the caller knows it (optional)"
		if i > 0 {
			addrHint = "Leave empty if it is the same as child 1's"
		}
		inputs(p, v,
			pre+".givenName", "Given name", "",
			pre+".familyName", "Family name", "",
			pre+".dateOfBirth", "Date of birth", "For example 31/03/2015, or not known",
			pre+".age", "Age in years, if the date of birth is not known", "",
			pre+".school", "School or nursery", "",
			pre+".address", "Address", addrHint)
		p.m(`</fieldset></div>`)
	}
	p.m(`

<h2 class="govuk-heading-m">Parents and carers</h2>
<p class="govuk-body" id="parents-help">Optional: the people who look after the children, if the caller knows them. Partner agencies answering the MASH's checks look for them too. Leave a block empty if not known.</p>
`)
	for i := range callParents {
		pre := "parents[" + itoa(i) + "]"
		p.w(`
<fieldset class="govuk-fieldset" id="`, fieldID(pre), `"><legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Parent or carer `, itoa(i+1), `</legend>
`)
		inputs(p, v,
			pre+".name", "Name", "",
			pre+".relationship", "Relationship to the children", "For example: mother, father, stepfather, foster carer")
		checkbox(p, v, fieldID(pre+".parentalResponsibility"), pre+".parentalResponsibility", "true", "Has parental responsibility, as far as the caller knows")
		p.m(`</fieldset>`)
	}
	p.m(`

<h2 class="govuk-heading-m">The concern</h2>
`)
	textarea(p, v, "concerns", "What the caller said", "What happened, when, who was involved, what the child said")
	radioGroup(p, v, "immediateHarm", "Is a child at risk of immediate harm?", "If yes, act now: the MASH manager, or out of hours the Emergency Duty Team",
		true, []string{harmYes, harmNo, harmNotKnown}, []string{"Yes", "No", "Not known"})
	if d.MayConsult {
		textarea(p, v, "advice", "Advice given (a consultation)", "")
		if d.Keeps.DSL {
			radioGroup(p, v, "dslConsulted", "A consultation: had the caller consulted their Designated Safeguarding Lead first?", "", true,
				[]string{"yes", "no"}, []string{"Yes", "No"})
		}
		if d.Keeps.BasicChecks {
			checkbox(p, v, "basicChecks", "basicChecks", "yes", "A consultation: run basic checks on the child's details")
		}
	}
	p.m(`

<h2 class="govuk-heading-m">Consent</h2>
`)
	cv := make([]string, len(d.Consents))
	cl := make([]string, len(d.Consents))
	for i, c := range d.Consents {
		cv[i], cl[i] = string(c), words(consentWords, c, string(c))
	}
	radioGroup(p, v, "consent.status", "Do the parents or carers know and agree?", "", true, cv, cl)
	textarea(p, v, "consent.reason", "If consent was refused or not sought, why", "")
	p.m(`
<div class="govuk-button-group">
<button class="govuk-button" type="submit" id="call-submit">Record the call</button>
`)
	// The page comes back at the new child's block.
	p.w(`<button class="govuk-button govuk-button--secondary" type="submit" name="add" value="child" id="add-child" formaction="/contacts/new#children-`, itoa(d.Children), `">Add another child</button>
</div>
</form>
`)
	return nil
}

func calledPage(p *page, v *view) error {
	d, err := data[callView](v)
	if err != nil {
		return err
	}
	if k := d.Consultation; k != nil {
		p.w(`
<div class="govuk-panel govuk-panel--confirmation"><h1 class="govuk-panel__title">Consultation recorded</h1>
<div class="govuk-panel__body">Its reference<br><strong class="console-reference" id="consultation-reference">`, string(k.Reference), `</strong></div></div>
`)
		if d.Again {
			p.m(`<p class="govuk-body">This form was sent before: nothing new was recorded. This is the consultation it recorded.</p>`)
		}
		p.m(`<p class="govuk-body">It is in the consultation log, not on the rating tray.`)
		if v.Consult {
			p.w(` <a class="govuk-link" href="/consultations#`, urlQuery(string(k.Reference)), `">See it in the consultation log</a>.`)
		}
		p.m(`</p>`)
		if c := d.Contact; c != nil {
			p.w(`
<p class="govuk-body">The child is at risk, so the consultation became a referral: <a class="govuk-link" id="consultation-contact" href="/contacts/`, urlPath(string(c.ContactID)), `">`, string(c.Reference), `</a>.</p>`)
		}
	} else {
		p.m(`
<div class="govuk-panel govuk-panel--confirmation"><h1 class="govuk-panel__title">Call recorded</h1>
<div class="govuk-panel__body">`)
		if len(d.Result) > 1 {
			p.w(``, itoa(len(d.Result)), ` contacts, one for each child`)
		} else {
			p.m(`One contact`)
		}
		p.m(`</div></div>
`)
		if d.Again {
			p.m(`<p class="govuk-body">This form was sent before: nothing new was recorded. These are the contacts it recorded.</p>`)
		}
		p.m(`<ul class="govuk-list" id="call-contacts">`)
		for i, r := range d.Result {
			p.w(`<li><a class="govuk-link console-reference" href="/contacts/`, urlPath(string(r.ContactID)), `">`, string(r.Reference), `</a>`)
			if i < len(d.Names) && d.Names[i] != "" {
				p.w(` `, d.Names[i])
			}
			p.m(`</li>`)
		}
		p.m(`</ul>
<p class="govuk-body">Each is screened as a referral is: in opening hours it then waits on the rating tray for a manager.</p>`)
	}
	p.m(`
<p class="govuk-body"><a class="govuk-link" href="/contacts/new">Record another call</a></p>
`)
	return nil
}

func consultationsPage(p *page, v *view) error {
	d, err := data[consultationsView](v)
	if err != nil {
		return err
	}
	p.w(`
<h1 class="govuk-heading-l">Consultations</h1>
<p class="govuk-body" id="consultations-keeps">`, d.Keeps.Words, `</p>
`)
	if !d.Keeps.Offered && len(d.Rows) == 0 {
		return nil
	}
	p.m(`<p class="govuk-body"><a class="govuk-link" href="/contacts/new">Record a call or a consultation</a></p>
`)
	if len(d.Rows) == 0 {
		p.m(`<p class="govuk-body">No consultations yet.</p>
`)
		return nil
	}
	k := d.Keeps
	p.m(`<table class="govuk-table" id="consultation-log"><caption class="govuk-table__caption govuk-table__caption--m">The consultation log, newest first</caption>
<thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Reference</th><th scope="col" class="govuk-table__header">Received</th><th scope="col" class="govuk-table__header">Caller</th>`)
	if k.Child {
		p.m(`<th scope="col" class="govuk-table__header">Child</th>`)
	}
	p.m(`<th scope="col" class="govuk-table__header">Concern and advice</th>`)
	if k.DSL {
		p.m(`<th scope="col" class="govuk-table__header">DSL consulted</th>`)
	}
	if k.BasicChecks {
		p.m(`<th scope="col" class="govuk-table__header">Basic checks</th>`)
	}
	if k.Summary {
		p.m(`<th scope="col" class="govuk-table__header">Written summary</th>`)
	}
	p.m(`<th scope="col" class="govuk-table__header">Referral</th></tr></thead>
<tbody class="govuk-table__body">
`)
	for _, r := range d.Rows {
		c := r.C
		p.w(`<tr class="govuk-table__row" id="`, string(c.Reference), `"><td class="govuk-table__cell">`, string(c.Reference), `</td><td class="govuk-table__cell">`, r.Received)
		if k.Line && c.OutsideLineHours {
			p.m(` <strong class="govuk-tag govuk-tag--yellow">outside line hours</strong>`)
		}
		p.w(`</td><td class="govuk-table__cell">`, c.Consultee.Name)
		for _, x := range []string{c.Consultee.Role, c.Consultee.Organisation, c.Consultee.Phone, c.Consultee.Email} {
			if x != "" {
				p.w(`<br><span class="govuk-body-s">`, x, `</span>`)
			}
		}
		p.m(`</td>`)
		if k.Child {
			p.w(`<td class="govuk-table__cell">`, r.Child, `</td>`)
		}
		p.w(`<td class="govuk-table__cell"><span class="console-pre">`, c.Concerns, `</span>`)
		if c.Advice != "" {
			p.w(`<br><strong>Advice:</strong> <span class="console-pre">`, c.Advice, `</span>`)
		}
		if c.ChildAtRisk {
			p.m(`<br><strong class="govuk-tag govuk-tag--red">child at risk</strong>`)
		}
		p.m(`</td>`)
		if k.DSL {
			p.w(`<td class="govuk-table__cell">`, r.DSL, `</td>`)
		}
		if k.BasicChecks {
			p.w(`<td class="govuk-table__cell">`, r.Checks, `</td>`)
		}
		if k.Summary {
			p.m(`<td class="govuk-table__cell`)
			if r.Overdue {
				p.m(` console-overdue`)
			}
			p.w(`">`, r.Summary)
			if r.CanSummarise {
				f := "summary-" + string(c.ID)
				p.w(`<form method="post" action="/consultations/`, urlPath(string(c.ID)), `/summary" novalidate>`)
				csrf(p, v)
				textarea(p, v, f, "Written summary", "The discussion and the advice given: it is sent to the caller")
				submit(p, " govuk-button--secondary", "", "Send the written summary")
			}
			p.m(`</td>`)
		}
		p.m(`<td class="govuk-table__cell">`)
		if ct := c.Contact; ct != nil {
			p.w(`<a class="govuk-link" href="/contacts/`, urlPath(string(ct.ContactID)), `">`, string(ct.Reference), `</a>`)
		}
		p.m(`</td></tr>
`)
	}
	p.m(`</tbody></table>
`)
	return nil
}
