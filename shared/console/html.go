package console

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/safeguarding/mash/shared/policy"
)

// The console's pages are written by Go functions (pages_html.go), not by html/template: executing a
// template calls methods by reflection, which makes the linker keep every exported method of every type
// that reaches an interface (about 2 MB of the console function; issue #19).
//
// A page function writes markup and values through a page. Escaping follows the context, as html/template
// does, with the same escapes, so that a page is byte for byte what the templates wrote:
//   - text, and a quoted attribute's value (RCDATA too: <title>, <textarea>): p.w's odd parts, escaped by
//     esc (& < > " ' + and NUL);
//   - a value in a URL attribute (href, action) before any ? or #: urlPath, then p.w escapes it;
//   - a value in a URL's query or fragment: urlQuery, then p.w.
//
// Never pass a value as an even part of p.w, and never put a value in an unquoted attribute, a style,
// a script or an on* attribute (no page has one).

// page is a page being written.
type page struct {
	b strings.Builder
}

// w writes parts alternately as markup and as values: parts[0], parts[2], … are markup written as is (only
// literals of this package); parts[1], parts[3], … are values, escaped for text and quoted attributes.
func (p *page) w(parts ...string) {
	for i, s := range parts {
		if i%2 == 0 {
			p.b.WriteString(s)
		} else {
			esc(&p.b, s)
		}
	}
}

// m writes markup as is (a literal of this package).
func (p *page) m(markup string) { p.b.WriteString(markup) }

// t writes a value in text or in a quoted attribute.
func (p *page) t(value string) { esc(&p.b, value) }

// esc writes s escaped as html/template escapes text, RCDATA and quoted attribute values.
func esc(b *strings.Builder, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var r string
		switch s[i] {
		case 0:
			r = "\uFFFD"
		case '"':
			r = "&#34;"
		case '&':
			r = "&amp;"
		case '\'':
			r = "&#39;"
		case '+':
			r = "&#43;"
		case '<':
			r = "&lt;"
		case '>':
			r = "&gt;"
		default:
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(r)
		last = i + 1
	}
	b.WriteString(s[last:])
}

// urlPath is a value placed in a URL's path (after a literal start such as /contacts/): bytes a URL may not
// hold are percent-encoded; reserved characters and valid escapes (%2F) are kept (html/template's
// urlNormalizer).
func urlPath(s string) string { return urlEncode(s, true) }

// urlQuery is a value placed in a URL's query or fragment: everything but unreserved characters is
// percent-encoded (html/template's urlEscaper).
func urlQuery(s string) string { return urlEncode(s, false) }

func urlEncode(s string, norm bool) string {
	var b strings.Builder
	written := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '!', '#', '$', '&', '*', '+', ',', '/', ':', ';', '=', '?', '@', '[', ']':
			if norm {
				continue
			}
		case '%':
			if norm && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
				continue
			}
		case '-', '.', '_', '~':
			continue
		default:
			if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
				continue
			}
		}
		b.WriteString(s[written:i])
		fmt.Fprintf(&b, "%%%02x", c)
		written = i + 1
	}
	if written == 0 {
		return s
	}
	b.WriteString(s[written:])
	return b.String()
}

func isHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

// itoa is an int as text.
func itoa(i int) string { return strconv.Itoa(i) }

// label is a form field's path as words for the error summary (children[0].dateOfBirth → "Child 1 date of
// birth", referrer.email → "Referrer email", immediateHarm → "Immediate harm").
func label(s string) string {
	var words []string
	for _, part := range strings.Split(s, ".") {
		name, idx, indexed := strings.Cut(part, "[")
		if w, ok := labelWords[name]; ok {
			name = w
		} else {
			name = camelWords(name)
		}
		if indexed {
			if n, err := strconv.Atoi(strings.TrimSuffix(idx, "]")); err == nil {
				name += " " + strconv.Itoa(n+1)
			}
		}
		words = append(words, name)
	}
	out := strings.ReplaceAll(strings.Join(words, " "), "-", " ")
	if out == "" {
		return out
	}
	return strings.ToUpper(out[:1]) + out[1:]
}

// labelWords are the path names whose words are not their camel case's (a list's item is one of it).
var labelWords = map[string]string{"children": "child", "parents": "parent", "household": "household member",
	"attachments": "attachment"}

// camelWords is a camel-case name as lower-case words (dateOfBirth → "date of birth").
func camelWords(s string) string {
	var b strings.Builder
	for i, c := range s {
		if 'A' <= c && c <= 'Z' {
			if i > 0 {
				b.WriteByte(' ')
			}
			c += 'a' - 'A'
		}
		b.WriteRune(c)
	}
	return b.String()
}

// fieldID is a form field's path as an element id (children[0].givenName → "children-0-givenName").
func fieldID(s string) string { return strings.NewReplacer("[", "-", "]", "", ".", "-").Replace(s) }

// str is an option's value as the form compares it: lower case, underscores as spaces.
func str(v any) string {
	return strings.TrimSpace(strings.ReplaceAll(strings.ToLower(fmt.Sprint(v)), "_", " "))
}

// ---- the parts every page shares ----

// layout writes the page around main: the header, the service navigation, the error summary, the footer.
func layout(p *page, v *view, main func(*page, *view)) {
	p.w(`<!DOCTYPE html>
<html lang="en" class="govuk-template govuk-template--rebranded">
<head>
<meta charset="utf-8">
<title>`, v.Title, ` – `, v.Authority, ` MASH</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/assets/govuk-frontend.min.css">
<link rel="stylesheet" href="/assets/console.css">
</head>
<body class="govuk-template__body">
<a href="#main-content" class="govuk-skip-link">Skip to main content</a>
<header class="govuk-header" data-module="govuk-header">
 <div class="govuk-header__container govuk-width-container">
  <div class="govuk-header__logo"><a href="/" class="govuk-header__link govuk-header__service-name">`, v.Authority, ` MASH</a></div>
 </div>
</header>
`)
	if v.User != nil {
		p.m(`
<nav class="govuk-service-navigation" aria-label="Menu">
 <div class="govuk-width-container"><div class="govuk-service-navigation__container">
  <ul class="govuk-service-navigation__list">
  `)
		if v.Staff {
			p.m(`<li class="govuk-service-navigation__item"><a class="govuk-service-navigation__link" href="/">My work</a></li>
  <li class="govuk-service-navigation__item"><a class="govuk-service-navigation__link" href="/search">Search</a></li>
  <li class="govuk-service-navigation__item"><a class="govuk-service-navigation__link" href="/schools">Schools</a></li>
  <li class="govuk-service-navigation__item"><a class="govuk-service-navigation__link" href="/contacts/new">Record a call</a></li>`)
		}
		if v.Meeting {
			p.m(`
  <li class="govuk-service-navigation__item"><a class="govuk-service-navigation__link" href="/meeting">Daily meeting</a></li>`)
		}
		if v.Consult {
			p.m(`
  <li class="govuk-service-navigation__item"><a class="govuk-service-navigation__link" href="/consultations">Consultations</a></li>`)
		}
		p.m("\n  ")
		if v.Manager {
			p.m(`<li class="govuk-service-navigation__item"><a class="govuk-service-navigation__link" href="/quarantine">Quarantine</a></li>
  <li class="govuk-service-navigation__item"><a class="govuk-service-navigation__link" href="/reports">Reports</a></li>`)
		}
		p.m("\n  ")
		if v.EDT {
			p.m(`<li class="govuk-service-navigation__item"><a class="govuk-service-navigation__link" href="/ooh">Out of hours</a></li>`)
		}
		p.m(`
  <li class="govuk-service-navigation__item"><a class="govuk-service-navigation__link" href="/refer">Make a referral</a></li>
  `)
		if v.Referrer {
			p.m(`<li class="govuk-service-navigation__item"><a class="govuk-service-navigation__link" href="/referrals">My referrals</a></li>`)
		}
		p.w(`
  </ul>
  <form method="post" action="/signout" class="console-signout"><input type="hidden" name="csrf" value="`, v.CSRF, `">
   <span class="govuk-body-s">Signed in as `, v.User.Subject, `</span>
   <button type="submit" class="govuk-button govuk-button--secondary console-inline-button">Sign out</button></form>
 </div></div>
</nav>
`)
	}
	p.m(`
<div class="govuk-width-container">
<main class="govuk-main-wrapper" id="main-content">
`)
	errorSummary(p, v)
	p.m("\n")
	main(p, v)
	p.w(`
</main>
</div>
<footer class="govuk-footer"><div class="govuk-width-container"><p class="govuk-body-s">`, v.Authority, ` Multi-Agency Safeguarding Hub. If a child is in immediate danger, call 999.</p>
`)
	// The API's contract is for the council's staff and its integrations, not for a member of the public, a
	// referrer or an agency answering through a link: only a signed-in staff page links it.
	if v.Staff {
		p.m(`<p class="govuk-body-s"><a class="govuk-footer__link" href="/api/openapi.yaml">The API's contract (OpenAPI)</a> for tools and integrations.</p>`)
	}
	p.m(`</div></footer>
</body>
</html>
`)
}

// errorSummary lists the form's errors, each linking to its field.
func errorSummary(p *page, v *view) {
	if len(v.Errors) == 0 {
		return
	}
	p.m(`
<div class="govuk-error-summary" data-module="govuk-error-summary">
 <div role="alert"><h2 class="govuk-error-summary__title">There is a problem</h2>
 <div class="govuk-error-summary__body"><ul class="govuk-list govuk-error-summary__list">
 `)
	for _, e := range v.Errors {
		p.w(`<li><a href="#`, urlQuery(fieldID(e.Field)), `">`, label(e.Field), `: `, e.Message, `</a></li>`)
	}
	p.m(`
 </ul></div></div>
</div>`)
}

// csrf is the hidden field with the form's CSRF token.
func csrf(p *page, v *view) { p.w(`<input type="hidden" name="csrf" value="`, v.CSRF, `">`) }

// input is a GOV.UK text input with its label, hint and error; it re-shows the form's value.
func input(p *page, v *view, name, lbl, hint string) {
	id, e := control(p, v, "input", "govuk-input", name, lbl, hint)
	p.w(` type="text" value="`, v.Val(name), `"`)
	describedBy(p, id, hint, e)
	p.m(`>
</div>`)
}

// textarea is a GOV.UK textarea with its label, hint and error; it re-shows the form's value.
func textarea(p *page, v *view, name, lbl, hint string) {
	id, e := control(p, v, "textarea", "govuk-textarea", name, lbl, hint)
	p.m(` rows="4"`)
	describedBy(p, id, hint, e)
	p.w(`>`, v.Val(name), `</textarea>
</div>`)
}

// control opens a form group (in error when the field has one) with the field's label, hint and error, and
// the control's element (tag, of the GOV.UK class cls) up to its name; it gives the control's id and error.
func control(p *page, v *view, tag, cls, name, lbl, hint string) (id, e string) {
	e = v.Err(name)
	id = fieldID(name)
	p.m("\n")
	formGroup(p, e)
	p.w(`
 <label class="govuk-label" for="`, id, `">`, lbl, `</label>
 `)
	hintAndError(p, id, hint, e)
	p.m(`
 <` + tag + ` class="` + cls)
	if e != "" {
		p.m(` ` + cls + `--error`)
	}
	p.w(`" id="`, id, `" name="`, name, `"`)
	return id, e
}

// formGroup opens a GOV.UK form group, marked in error when e is not empty.
func formGroup(p *page, e string) {
	p.m(`<div class="govuk-form-group`)
	if e != "" {
		p.m(` govuk-form-group--error`)
	}
	p.m(`">`)
}

func hintAndError(p *page, id, hint, e string) {
	if hint != "" {
		p.w(`<div class="govuk-hint" id="`, id, `-hint">`, hint, `</div>`)
	}
	p.m("\n ")
	if e != "" {
		p.w(`<p class="govuk-error-message" id="`, id, `-error"><span class="govuk-visually-hidden">Error:</span> `, e, `</p>`)
	}
}

func describedBy(p *page, id, hint, e string) {
	if e == "" && hint == "" {
		return
	}
	p.m(` aria-describedby="`)
	if hint != "" {
		p.w(``, id, `-hint `)
	}
	if e != "" {
		p.w(``, id, `-error`)
	}
	p.m(`"`)
}

// errorMessage is a GOV.UK error message with its id (nothing when e is empty).
func errorMessage(p *page, id, e string) {
	if e != "" {
		p.w(`<p class="govuk-error-message" id="`, id, `"><span class="govuk-visually-hidden">Error:</span> `, e, `</p>`)
	}
}

// checked writes " checked" when the form had this value for the field.
func checked(p *page, v *view, field, value string) {
	if v.Has(field, value) {
		p.m(` checked`)
	}
}

// ruleCell writes a rule in words, then (small) the seed section it comes from and its id; an id the product
// does not name (an undeliverable message's reason) is written once.
func ruleCell(p *page, l policy.RuleLabel) {
	p.t(l.Words)
	if l.Words == l.ID {
		return
	}
	p.m(`<br><span class="govuk-body-s console-rule">`)
	if l.Section != "" {
		p.w(``, l.Section, ` · `)
	}
	p.w(`<code>`, l.ID, `</code></span>`)
}

// trayTables lists trays with their items, immediate harm first, then earliest due first, each with its
// claim or unclaim button.
func trayTables(p *page, v *view, ts []trayView) {
	p.m("\n")
	for _, t := range ts {
		p.w(`
<h2 class="govuk-heading-m" id="tray-`, t.Tray, `">`, t.Title, ` <span class="govuk-caption-m">`, itoa(len(t.Rows)), ` waiting</span></h2>
`)
		if len(t.Rows) == 0 {
			p.m(`<p class="govuk-body">Nothing waiting.</p>`)
			p.m("\n")
			continue
		}
		p.w(`
<table class="govuk-table console-tray" data-tray="`, t.Tray, `">
 <caption class="govuk-visually-hidden">`, t.Title, `, immediate harm first, then earliest due first</caption>
 <thead class="govuk-table__head"><tr class="govuk-table__row">
  <th scope="col" class="govuk-table__header">Reference</th><th scope="col" class="govuk-table__header">Child</th>
  <th scope="col" class="govuk-table__header">Age</th><th scope="col" class="govuk-table__header">Rating</th>
  <th scope="col" class="govuk-table__header">Rule</th><th scope="col" class="govuk-table__header">Time left</th>
  <th scope="col" class="govuk-table__header">Claimed by</th><th scope="col" class="govuk-table__header"><span class="govuk-visually-hidden">Actions</span></th>
 </tr></thead>
 <tbody class="govuk-table__body">
 `)
		for _, r := range t.Rows {
			if r.CheckID != "" {
				p.w(`<tr class="govuk-table__row" data-check="`, r.CheckID, `">
  <td class="govuk-table__cell">`)
			} else {
				p.m(`<tr class="govuk-table__row">
  <td class="govuk-table__cell">`)
			}
			switch {
			case r.ContactID != "":
				ref := string(r.Reference)
				if ref == "" {
					ref = string(r.ContactID)
				}
				p.w(`<a class="govuk-link" href="/contacts/`, urlPath(string(r.ContactID)), `">`, ref, `</a>`)
			case r.Consultation != "":
				p.w(`<a class="govuk-link" href="/consultations#`, urlPath(r.Consultation), `">`, r.Note, `</a>`)
			case r.Note != "":
				p.t(r.Note)
			default:
				p.t(r.ItemID)
			}
			p.w(`</td>
  <td class="govuk-table__cell">`, r.Name)
			if r.NeedsCompletion {
				p.m(` <strong class="govuk-tag govuk-tag--yellow">needs details</strong>`)
			}
			if r.ImmediateHarm {
				p.m(` <strong class="govuk-tag govuk-tag--red">immediate harm</strong>`)
			}
			if r.HarmNotKnown {
				p.m(` <strong class="govuk-tag govuk-tag--yellow">immediate harm: not known</strong>`)
			}
			p.w(`</td>
  <td class="govuk-table__cell">`, r.Age, `</td>
  <td class="govuk-table__cell">`)
			if r.Rating != "" {
				p.w(`<strong class="govuk-tag console-rag-`, string(r.Rating), `">`, string(r.Rating), `</strong>`)
			} else if r.ContactID != "" {
				p.m(`not rated`) // an item of no contact (a consultation's summary) has no rating to give
			}
			p.m(`</td>
  <td class="govuk-table__cell">`)
			ruleCell(p, r.Rule)
			if r.Agency != "" {
				p.w(`<br><span class="govuk-body-s console-check">`, string(r.Agency), ` check</span>`)
			}
			if r.ContactID != "" && r.Note != "" {
				p.w(`<br><strong class="govuk-body-s console-note">`, r.Note, `</strong>`)
			}
			p.w(`</td>
  <td class="govuk-table__cell`)
			if r.Overdue {
				p.m(` console-overdue`)
			}
			p.w(`">`, r.Left, `<br><span class="govuk-body-s">`, r.Due, `</span></td>
  <td class="govuk-table__cell">`, r.ClaimedBy, `</td>
  <td class="govuk-table__cell">`)
			if r.Claimable && !r.Claimed {
				p.w(`<form method="post" action="/trays/`, urlPath(r.Tray), `/`, urlPath(string(r.ContactID)), `/claim"><input type="hidden" name="csrf" value="`, v.CSRF, `"><button class="govuk-button govuk-button--secondary console-inline-button" type="submit">Claim<span class="govuk-visually-hidden"> `, string(r.Reference), `</span></button></form>`)
			}
			if r.CanUnclaim {
				p.w(`<form method="post" action="/trays/`, urlPath(r.Tray), `/`, urlPath(string(r.ContactID)), `/unclaim"><input type="hidden" name="csrf" value="`, v.CSRF, `"><button class="govuk-button govuk-button--secondary console-inline-button" type="submit">Unclaim<span class="govuk-visually-hidden"> `, string(r.Reference), `</span></button></form>`)
			}
			if r.CanClose {
				closeForm(p, v, r)
			}
			p.m(`</td>
 </tr>`)
		}
		p.m(`
 </tbody>
</table>
`)
		p.m("\n")
	}
	p.m("\n")
}

// closeForm is a manager's Close form of an item only a person clears: the note of what was done, required.
func closeForm(p *page, v *view, r trayRow) {
	f := closeField(r.ItemID)
	e := v.Err(f)
	what := string(r.Reference)
	if what == "" {
		what = r.ItemID
	}
	p.w(`<form method="post" action="/trays/`, urlPath(r.Tray), `/items/`, urlQuery(r.ItemID), `/close" novalidate><input type="hidden" name="csrf" value="`, v.CSRF, `">
`)
	formGroup(p, e)
	p.w(`<label class="govuk-label" for="`, f, `">Close<span class="govuk-visually-hidden"> `, what, `</span>: what was done</label>
<div class="govuk-hint" id="`, f, `-hint">For example: the cause fixed and the contact decided by hand. Recorded on the contact's history with your name.</div>
`)
	errorMessage(p, f+"-error", e)
	p.m(`
<textarea class="govuk-textarea`)
	if e != "" {
		p.m(` govuk-textarea--error`)
	}
	p.w(`" id="`, f, `" name="`, f, `" rows="2" aria-describedby="`, f, `-hint`)
	if e != "" {
		p.w(` `, f, `-error`)
	}
	p.w(`">`, v.Val(f), `</textarea></div>
<button class="govuk-button govuk-button--secondary console-inline-button" type="submit" id="`, f, `-submit">Close<span class="govuk-visually-hidden"> `, what, `</span></button></form>`)
}

// choices are GOV.UK radios or checkboxes: the class prefix and the input's type.
type choices struct{ class, typ string }

var (
	radios     = choices{"govuk-radios", "radio"}
	checkboxes = choices{"govuk-checkboxes", "checkbox"}
)

// item is one radio or checkbox with its id, the field's name, its value and its label, checked when on.
func (c choices) item(p *page, id, name, value, lbl string, on bool) {
	p.w(`<div class="`+c.class+`__item"><input class="`+c.class+`__input" id="`, id, `" name="`, name, `" type="`+c.typ+`" value="`, value, `"`)
	if on {
		p.m(` checked`)
	}
	p.w(`><label class="govuk-label `+c.class+`__label" for="`, id, `">`, lbl, `</label></div>`)
}

// formItem is one item whose field is checked when the form had its value (re-shown after an error).
func (c choices) formItem(p *page, v *view, id, name, value, lbl string) {
	c.item(p, id, name, value, lbl, v.Has(name, value))
}

// yesNo are inline Yes and No radios for the field, in a container with the id (the items' ids add -yes
// and -no), closing the fieldset and its form group.
func yesNo(p *page, v *view, id, name string) {
	p.w(`
<div class="govuk-radios govuk-radios--inline" id="`, id, `">`)
	radios.formItem(p, v, id+"-yes", name, "yes", "Yes")
	p.m("\n")
	radios.formItem(p, v, id+"-no", name, "no", "No")
	p.m(`</div></fieldset></div>`)
}

// checkbox is a single small checkbox in a form group of its own.
func checkbox(p *page, v *view, id, name, value, lbl string) {
	p.m(`
<div class="govuk-form-group"><div class="govuk-checkboxes govuk-checkboxes--small">`)
	checkboxes.formItem(p, v, id, name, value, lbl)
	p.m(`</div></div>`)
}

// fieldset opens a form group (in error when e is not empty) holding a fieldset with its legend (legendClass
// is "" or a size such as " govuk-fieldset__legend--s"), and writes the error message errID.
func fieldset(p *page, e, legendClass, legend, errID string) {
	formGroup(p, e)
	p.w(`<fieldset class="govuk-fieldset"><legend class="govuk-fieldset__legend`+legendClass+`">`, legend, `</legend>
`)
	errorMessage(p, errID, e)
	p.m("\n")
}

// selectOptions writes a select's options, the empty placeholder first, and closes the select and its form
// group; opt gives each option's value, its text and whether it is selected.
func selectOptions[T any](p *page, placeholder string, xs []T, opt func(T) (value, text string, selected bool)) {
	p.w(`<option value="">`, placeholder, `</option>`)
	for _, x := range xs {
		value, text, selected := opt(x)
		p.w(`<option value="`, value, `"`)
		if selected {
			p.m(` selected`)
		}
		p.w(`>`, text, `</option>`)
	}
	p.m(`</select></div>`)
}

// plainSelect is a GOV.UK select of the values with its label and error (no hint), its option selected when
// the form's value is the option's (as str compares it).
func plainSelect[T ~string](p *page, v *view, name, lbl, placeholder string, values []T) {
	id := fieldID(name)
	e := v.Err(name)
	formGroup(p, e)
	p.w(`<label class="govuk-label" for="`, id, `">`, lbl, `</label>
`)
	errorMessage(p, id+"-error", e)
	p.w(`
<select class="govuk-select" id="`, id, `" name="`, name, `">`)
	selectOptions(p, placeholder, values, func(x T) (string, string, bool) {
		return string(x), string(x), v.Val(name) == str(x)
	})
}

// contactForm opens a form on the contact page under its heading (anchor is the heading's id), posting to
// the contact's action, with its CSRF field.
func contactForm(p *page, v *view, id, anchor, heading, action string) {
	p.w(`
<h2 class="govuk-heading-m" id="`+anchor+`">`+heading+`</h2>
<form method="post" action="/contacts/`, id, `/`+action+`" novalidate>`)
	csrf(p, v)
	p.m("\n")
}

// submit is the form's button (class is "" or a modifier such as " govuk-button--secondary"; an empty id
// writes none), closing the form.
func submit(p *page, class, id, text string) {
	p.m(`
<button class="govuk-button` + class + `" type="submit"`)
	if id != "" {
		p.m(` id="` + id + `"`)
	}
	p.m(`>` + text + `</button>
</form>`)
}
