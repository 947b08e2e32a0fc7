package console

import (
	"slices"
	"sort"
	"strings"

	"github.com/safeguarding/mash/shared/domain"
)

// staffStatus says where a contact is in the MASH's own words: the console shows these, never the API's codes
// ("awaiting-rating"). A status without words here (one added later) shows its code with the hyphens as spaces.
var staffStatus = map[domain.Status]string{
	domain.StatusReceived:           "received",
	domain.StatusQueuedOOH:          "out of hours: waiting for the MASH to open",
	domain.StatusScreening:          "being screened",
	domain.StatusAwaitingRating:     "waiting for a rating",
	domain.StatusChecks:             "partner checks",
	domain.StatusAwaitingDecision:   "waiting for a decision",
	domain.StatusInformationRequest: "request for information",
	domain.StatusDecided:            "decided",
	domain.StatusForwarded:          "forwarded to the allocated worker",
	domain.StatusReturnedForConsent: "returned: consent is needed",
	domain.StatusClosed:             "closed",
}

func statusText(s domain.Status) string {
	if w, ok := staffStatus[s]; ok {
		return w
	}
	return strings.ReplaceAll(string(s), "-", " ")
}

// consentText is the consent's status in words, as the forms' answers say it (consentWords).
func consentText(s domain.ConsentStatus) string {
	return strings.ToLower(words(consentWords, s, strings.ReplaceAll(string(s), "-", " ")))
}

// consentOption is the referral form's consent select's option: the code posted, the form's words shown.
func consentOption(v *view) func(domain.ConsentStatus) (string, string, bool) {
	return func(c domain.ConsentStatus) (string, string, bool) {
		return string(c), words(consentWords, c, string(c)), v.Val("consent.status") == string(c)
	}
}

// referOrder is the referral form's fields as the page asks them (referPage): its error summary lists the
// errors in this order, as GOV.UK's pattern asks, never as the validator found them. A name ending in "." or
// "]" stands for every field under it.
var referOrder = []string{"form", "immediateHarm",
	"children[0].givenName", "children[0].familyName", "children[0].dateOfBirth", "children[0].gender", "children[0].address",
	"children[0].school", "children[0]", "children",
	"children[1].givenName", "children[1].familyName", "children[1].dateOfBirth", "children[1]",
	"parents", "household",
	"referrer.name", "referrer.organisation", "referrer.role", "referrer.email", "referrer.phone", "referrer.relationship",
	"referrer.professional", "referrer", "concerns", "attachments", "consent.status", "consent.reason", "consent",
	"familyTold.told", "familyTold.reason", "familyTold"}

// inOrder sorts errors by the entry of order that names the field most closely: the field itself, else the
// longest entry it is under ("children[0]" for "children[0].sen"); a field none names comes last, as found.
func inOrder(errs []domain.FieldError, order []string) []domain.FieldError {
	rank := func(f string) int {
		best, at := -1, len(order)
		for i, o := range order {
			under := f == o || strings.HasPrefix(f, o+".") || strings.HasPrefix(f, o+"[") || strings.HasSuffix(o, "]") && strings.HasPrefix(f, o)
			if under && len(o) > best {
				best, at = len(o), i
			}
		}
		return at
	}
	// sort, not slices: a generic stable sort of FieldError is ≈ 8 KB of the console's code (functions/size_test.go)
	sort.SliceStable(errs, func(i, j int) bool { return rank(errs[i].Field) < rank(errs[j].Field) })
	return errs
}

// consentError says a missing or unknown consent answer in the form's words (intake's message lists the API's
// codes, "not-sought").
func consentError(errs []domain.FieldError) []domain.FieldError {
	for i, e := range errs {
		if e.Field == "consent.status" && strings.HasPrefix(e.Message, "must be ") {
			errs[i].Message = "choose whether the parents or carers know and agree: given, refused, not sought or not known"
		}
	}
	return errs
}

// missingText says in words what intake could not read (domain.Extraction's Missing): "child.familyName" is
// "the child's family name". An attachment's entry ("attachment: <file> (<reason>)") is already words.
func missingText(m string) string { return domain.MissingWords(m) }

// parentsText lists a contact's parents and carers in words, one each: "Dawn Whitfield (mother, parental
// responsibility)".
func parentsText(ps []domain.Parent) []string {
	out := make([]string, len(ps))
	for i, x := range ps {
		pr := ""
		if x.ParentalResponsibility {
			pr = "parental responsibility"
		}
		out[i] = person(x.Name, x.Relationship, pr)
	}
	return out
}

// householdText lists the others living with the child in words: "Lee Whitfield (stepfather, born 3 May 1990)".
func householdText(hs []domain.HouseholdMember) []string {
	out := make([]string, len(hs))
	for i, x := range hs {
		born := ""
		if !x.DateOfBirth.IsZero() {
			born = "born " + ukDate(x.DateOfBirth)
		}
		out[i] = person(x.Name, x.Relationship, born)
	}
	return out
}

// person is a name and what is known of them, in brackets: "Dawn Whitfield (mother, parental responsibility)".
func person(name string, about ...string) string {
	about = slices.DeleteFunc(about, func(s string) bool { return s == "" })
	if len(about) == 0 {
		return name
	}
	return name + " (" + strings.Join(about, ", ") + ")"
}

// stillNeededText is one of the child's details a completion still lacks (domain.Child.DetailsStillNeeded),
// in words.
func stillNeededText(f string) string {
	switch f {
	case "child.givenName":
		return "the child's given name"
	case "child.familyName":
		return "the child's family name"
	case "child.dateOfBirth":
		return "the child's date of birth, or the age as told, or why neither is known"
	}
	return f
}

// agencyText names a partner agency in words (domain.Agency.Words).
func agencyText(a domain.Agency) string { return a.Words() }

// legalBasisText is a legal basis for proceeding without consent, in words.
func legalBasisText(b domain.LegalBasis) string {
	switch b {
	case domain.LegalBasisS47:
		return "Section 47 (Children Act 1989): reasonable cause to suspect significant harm"
	case domain.LegalBasisS17S10:
		return "Section 17 (Children Act 1989) and section 10 (Children Act 2004): a child in need, the duty to cooperate"
	case domain.LegalBasisCaldicott:
		return "Caldicott principles: sharing is in the child's interest"
	}
	return string(b)
}

// legalBasisOption is the legal basis select's option: the code posted, the words shown.
func legalBasisOption(v *view) func(domain.LegalBasis) (string, string, bool) {
	return func(b domain.LegalBasis) (string, string, bool) {
		return string(b), legalBasisText(b), v.Val("legalBasis") == string(b)
	}
}

// actionWords are the chronology's words for the audit trail's actions (the code stays in the audit and in
// GET /v1/contacts/{id}/timeline); an action without words here shows its code.
var actionWords = map[string]string{
	"contact.created":                "Contact recorded",
	"contact.received":               "Contact received",
	"contact.resent":                 "Sent again by the referrer",
	"contact.rated":                  "Rated",
	"rating.set":                     "Rated",
	"route.decided":                  "Route decided on arrival",
	"screening.done":                 "Screened (person matching and deadlines)",
	"screening.forwarded":            "Forwarded to the allocated worker",
	"screening.returned-for-consent": "Returned to the referrer for consent",
	"screening.information-request":  "Treated as a request for information",
	"tray.parked":                    "Put on a tray",
	"tray.claimed":                   "Claimed",
	"tray.unclaimed":                 "Unclaimed",
	"tray.item-closed":               "Tray item closed",
	"check.requested":                "Partner check requested",
	"check.answered":                 "Partner check answered",
	"check.closed":                   "Partner check closed unanswered",
	"check.overdue":                  "Partner check overdue",
	"checks.wait-ended":              "Partner checks' wait ended (answers written at the same time)",
	"decision.recorded":              "Decision recorded",
	"decision.escalated":             "Decision escalated to the service manager",
	"notice.queued":                  "Message queued",
	"notification.undeliverable":     "Message could not be delivered",
	"census.set":                     "Census codes recorded",
	"child.completed":                "Child's details completed",
	"child.corrected":                "Child's details corrected",
	"concerns.edited":                "Concerns edited",
	"consent.overridden":             "Proceeding without consent",
	"contact.flagged":                "Flagged",
	"contact.linked":                 "Linked to a related contact",
	"contact.merged-in":              "A duplicate merged into this contact",
	"contact.closed":                 "Closed",
	"contact.reopened":               "Reopened",
	"contact.rerouted":               "Route changed",
	"ooh.phone-note":                 "Phone contact recorded out of hours",
	"harm.named":                     "The harm to the child recorded",
	"immediate-harm.answered":        "Immediate harm, not known at intake, answered",
	"attachments.kept":               "Attachments kept",
	"encompass.acknowledged":         "Operation Encompass notice acknowledged by the school",
	"encompass.school-picked":        "School picked for the Operation Encompass notice",
	"restricted.written":             "Restricted note recorded",
	"restricted.read":                "Restricted note read",
	"consultation.converted":         "Made from a consultation",
	"contact.ppn-child-added":        "Child added from a police notification",
}

// actionText is an audit action in the chronology's words.
func actionText(a string) string {
	if w, ok := actionWords[a]; ok {
		return w
	}
	return a
}
