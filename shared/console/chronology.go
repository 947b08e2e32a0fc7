package console

import (
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/safeguarding/mash/shared/domain"
)

// The chronology's detail in words: each audit event's detail as a person reads it ("Partner checks, red: within
// 4 hours: due Mon 30 Nov 2026 18:33 GMT", "agency: police", "the risk is higher than rated: no"), never the
// audit's keys and codes ("due.checks.red", "riskHigher: false"). Keys that are internal ids or plumbing (the
// raw mail's key, a notification's or a tray item's id, the transition) are left out of the page: the codes
// and ids stay in GET /v1/contacts/{id}/timeline and the audit itself.

// detailHidden are the keys the page leaves out (ids and plumbing; what a message was is the action's words).
var detailHidden = map[string]bool{"rawKey": true, "sesMessageId": true, "notification": true, "transition": true,
	"kind": true, "item": true, "trayItem": true, "restricted": true, "restrictedId": true, "contactId": true, "id": true,
	"execution": true, "update": true, "blobsKept": true, "rawKept": true, "quarantineId": true, "consultationId": true,
	"matches": true, "what": true, "state": true}

// detailLabels are the keys' words; a key not here reads as its words split ("mergedInto": "merged into").
var detailLabels = map[string]string{
	"dueAt": "due", "checksDue": "checks due", "openAt": "the MASH opens", "route": "route", "tray": "tray",
	"rating": "rating", "previousRating": "previous rating", "outcome": "outcome", "previousOutcome": "previous outcome",
	"role": "decided as", "agency": "agency", "riskHigher": "the risk is higher than rated", "riskRaised": "risk raised",
	"channel": "how it came", "reference": "reference", "incidentAt": "incident", "fields": "codes recorded",
	"schoolMatch": "school in the directory", "told": "told", "chase": "reminder number", "candidates": "possible matches in the case records",
	"next": "next", "stillNeeded": "still needed", "dateOfBirth": "date of birth", "legalBasis": "legal basis",
	"claimedBy": "claimed by", "takenBy": "call taken by", "feedbackWithheld": "feedback withheld", "mergedIntoReference": "merged into",
	"firstContact": "first contact", "withReference": "with", "contactReference": "contact", "caseStatus": "case status",
	"candidate": "case", "score": "score", "urn": "school URN", "urns": "school URNs", "retainUntil": "kept until",
	"status": "status", "code": "code", "basicChecks": "basic checks", "clearedHarmNotNamed": "harm now named",
}

// routeWords, channelText: the route and channel codes in words.
var routeWords = map[domain.Route]string{domain.RouteMASH: "the MASH", domain.RouteOOHQueue: "queued for the MASH's next opening",
	domain.RouteEDTNow: "the Emergency Duty Team at once"}

var channelDetail = map[domain.Channel]string{domain.ChannelEmail: "email", domain.ChannelForm: "referral form",
	domain.ChannelPhone: "phone call", domain.ChannelPPN: "police protection notice", domain.ChannelWalkIn: "walk-in",
	domain.ChannelConsultation: "consultation"}

var schoolMatchWords = map[string]string{"matched": "matched", "ambiguous": "more than one school could be meant",
	"unmatched": "not found", "none": "not found"}

var toldWords = map[string]string{"school": "the school's designated safeguarding lead", "lead": "the local authority's Operation Encompass lead"}

// detail is an audit event's detail for the chronology, in words, its keys in a stable order (deadlines first).
func (s *Server) detail(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		if !detailHidden[k] && !strings.HasPrefix(k, "from.") {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var parts []string
	// a check's agency, when the event names the check (checks.CheckID: agency-hash) or a check request's
	// message (its notification id: contact#check-request#check) but not the agency
	check := m["check"]
	if parts := strings.Split(m["notification"], "#"); check == "" && len(parts) == 3 && parts[1] == string(domain.NoticeCheckRequest) {
		check = parts[2]
	}
	if i := strings.LastIndex(check, "-"); i > 0 && m["agency"] == "" {
		parts = append(parts, "agency: "+agencyText(domain.Agency(check[:i])))
	}
	dueChecks := slices.ContainsFunc(keys, func(k string) bool { return strings.HasPrefix(k, "due.checks.") })
	for _, k := range keys {
		if k == "check" || k == "checksDue" && dueChecks {
			continue
		}
		v := m[k]
		if rule, ok := strings.CutPrefix(k, "due."); ok {
			parts = append(parts, s.Policy.RuleLabel(rule).Words+": due "+s.detailValue("dueAt", v))
			continue
		}
		label, ok := detailLabels[k]
		if !ok {
			label = splitWords(k)
		}
		parts = append(parts, label+": "+s.detailValue(k, v))
	}
	return strings.Join(parts, ", ")
}

// detailValue is one value in words: an instant in the authority's local time, a code in the console's words.
func (s *Server) detailValue(k, v string) string {
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return s.when(t)
	}
	switch k {
	case "route":
		return words(routeWords, domain.Route(v), v)
	case "channel":
		return words(channelDetail, domain.Channel(v), v)
	case "tray":
		return strings.ToLower(trayTitle(v))
	case "outcome", "previousOutcome":
		if t, ok := s.Policy.OutcomeTerm(domain.OutcomeCode(v)); ok {
			return t
		}
	case "agency":
		return agencyText(domain.Agency(v))
	case "legalBasis":
		return legalBasisText(domain.LegalBasis(v))
	case "status":
		return statusText(domain.Status(v))
	case "schoolMatch":
		return words(schoolMatchWords, v, v)
	case "told":
		return words(toldWords, v, v)
	case "fields":
		return strings.Join(strings.Fields(v), ", ")
	case "stillNeeded":
		var out []string
		for _, f := range strings.Split(v, ",") {
			out = append(out, stillNeededText(f))
		}
		return strings.Join(out, "; ")
	case "next":
		if v == "rating" {
			return "the rating tray"
		}
	}
	switch v {
	case "true":
		return "yes"
	case "false":
		return "no"
	}
	return v
}

// splitWords reads a key as words: "mergedInto" is "merged into".
func splitWords(k string) string {
	var b strings.Builder
	for i, r := range k {
		if unicode.IsUpper(r) && i > 0 {
			b.WriteByte(' ')
		}
		if r == '.' || r == '_' || r == '-' {
			b.WriteByte(' ')
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}
