package console

import (
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

// consentText is the consent's status in words.
func consentText(s domain.ConsentStatus) string {
	switch s {
	case domain.ConsentGiven:
		return "given"
	case domain.ConsentRefused:
		return "refused"
	case domain.ConsentNotSought:
		return "not sought"
	case domain.ConsentUnknown:
		return "not known"
	}
	return strings.ReplaceAll(string(s), "-", " ")
}

// missingText says in words what intake could not read (domain.Extraction's Missing): "child.familyName" is
// "the child's family name". An attachment's entry ("attachment: <file> (<reason>)") is already words.
func missingText(m string) string {
	switch m {
	case "child.name":
		return "the child's name"
	case "child.givenName":
		return "the child's given name"
	case "child.familyName":
		return "the child's family name"
	case "child.dateOfBirth":
		return "the child's date of birth"
	case "immediateHarm":
		return "whether a child is at risk of immediate harm"
	case "consent":
		return "consent"
	}
	return m
}
