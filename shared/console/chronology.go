package console

import (
	"sort"
	"strings"
	"time"

	"github.com/safeguarding/mash/shared/domain"
)

// The chronology's detail in words: each audit event's detail as a person reads it ("Partner checks, red: within
// 4 hours: due Mon 30 Nov 2026 18:33 GMT", "agency: police", "the risk is higher than rated: no"), never the
// audit's keys and codes ("due.checks.red", "riskHigher: false"). Keys that are internal ids or plumbing (the
// raw mail's key, a notification's or a tray item's id, the transition) are left out of the page: the codes
// and ids stay in GET /v1/contacts/{id}/timeline and the audit itself.

// detailWords are the detail's keys and coded values in words, one "key=words" or "key.value=words" entry a line:
// a table rather than maps, so that the console's code stays small (functions/size_test.go); a key with the
// words "-" is an id or plumbing the page leaves out. A key not here reads as itself.
const detailWords = `
rawKey=-
sesMessageId=-
notification=-
transition=-
kind=-
item=-
trayItem=-
restricted=-
restrictedId=-
contactId=-
id=-
execution=-
update=-
blobsKept=-
rawKept=-
quarantineId=-
consultationId=-
matches=-
what=-
state=-
check=-
dueAt=due
checksDue=checks due
decisionDue=decision due
openAt=the MASH opens
previousRating=previous rating
previousOutcome=previous outcome
role=decided as
riskHigher=the risk is higher than rated
riskRaised=risk raised
channel=how it came
incidentAt=incident
fields=codes recorded
schoolMatch=school in the directory
chase=reminder number
candidates=possible matches in the case records
stillNeeded=still needed
dateOfBirth=date of birth
legalBasis=legal basis
claimedBy=claimed by
takenBy=call taken by
feedbackWithheld=feedback withheld
mergedIntoReference=merged into
mergedInto=merged into
firstContact=first contact
withReference=with
contactReference=contact
caseStatus=case status
candidate=case
urn=school URN
urns=school URNs
retainUntil=kept until
basicChecks=basic checks
clearedHarmNotNamed=harm now named
route.mash=the MASH
route.ooh-queue=queued for the MASH's next opening
route.edt-now=the Emergency Duty Team at once
channel.email=email
channel.form=referral form
channel.phone=phone call
channel.ppn=police protection notice
channel.walk-in=walk-in
channel.consultation=consultation
schoolMatch.ambiguous=more than one school could be meant
schoolMatch.unmatched=not found
schoolMatch.none=not found
told.school=the school's designated safeguarding lead
told.lead=the local authority's Operation Encompass lead
next.rating=the rating tray
next.decision=the decision tray
riskHigher.true=yes
riskHigher.false=no
`

// detailWord is the words detailWords has for key, or "".
func detailWord(key string) string {
	i := strings.Index(detailWords, "\n"+key+"=")
	if i < 0 {
		return ""
	}
	w := detailWords[i+len(key)+2:]
	return w[:strings.IndexByte(w, '\n')]
}

// detail is an audit event's detail for the chronology, in words, its keys in a stable order.
func (s *Server) detail(m map[string]string) string {
	keys := make([]string, 0, len(m))
	dueChecks := false // the checks' deadline by its rule: checksDue says it again
	for k := range m {
		dueChecks = dueChecks || strings.HasPrefix(k, "due.checks.")
		if detailWord(k) != "-" && !strings.HasPrefix(k, "from.") {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var parts []string
	// a check's agency, when the event names the check (checks.CheckID: agency-hash) or a check request's
	// message (its notification id: contact#check-request#check) but not the agency
	check := m["check"]
	if n := strings.Split(m["notification"], "#"); check == "" && len(n) == 3 && n[1] == string(domain.NoticeCheckRequest) {
		check = n[2]
	}
	if i := strings.LastIndex(check, "-"); i > 0 && m["agency"] == "" {
		parts = append(parts, "agency: "+agencyText(domain.Agency(check[:i])))
	}
	for _, k := range keys {
		v := m[k]
		if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
			v = s.when(t)
		}
		if rule, ok := strings.CutPrefix(k, "due."); ok {
			parts = append(parts, s.Policy.RuleLabel(rule).Words+": due "+v)
			continue
		}
		if k == "checksDue" && dueChecks {
			continue
		}
		label := detailWord(k)
		if label == "" {
			label = k
		}
		parts = append(parts, label+": "+s.detailValue(k, v))
	}
	return strings.Join(parts, ", ")
}

// detailValue is one value in the console's words where it has them.
func (s *Server) detailValue(k, v string) string {
	if w := detailWord(k + "." + v); w != "" {
		return w
	}
	switch k {
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
	case "stillNeeded":
		need := strings.Split(v, ",")
		for i, f := range need {
			need[i] = stillNeededText(f)
		}
		return strings.Join(need, "; ")
	}
	return v
}
