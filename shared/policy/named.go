package policy

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/safeguarding/mash/shared/clock"
	"github.com/safeguarding/mash/shared/domain"
)

// The councils' named rules (issue #12 parts 6 and 7): each is a policy section an authority has or has not,
// read by the package whose job it is — intake's first transition (lifecycle.Receive) sets the flags, the
// notifier words the messages, actions check the answers.

// HarmNaming is Portsmouth §2.6: "any contact to MASH names the harm and should not use FII as the reason for
// contact". A contact whose reason is only one of Labels, with no described harm, is flagged harmNotNamed;
// the acknowledgement asks the referrer the Prompt, and the screener sees it on the contact until the harm is
// recorded.
type HarmNaming struct {
	// Labels are reasons that name no harm ("FII", "fabricated or induced illness"), matched whole-word and
	// without regard to letter case.
	Labels []string `json:"labels" yaml:"labels"`
	// Prompt is what the referrer (in the acknowledgement) and the screener (on the contact) are asked.
	Prompt string `json:"prompt" yaml:"prompt"`
	Source `yaml:",inline"`
}

// YoungHomeless is Portsmouth §4.12: a child of MinAge to MaxAge at the contact's date who is homeless or
// threatened with it (flag homeless, or the contact says so in one of Words) is referred at once to Team
// under the joint working protocol; the policy's starts give its deadline (condition young-homeless).
type YoungHomeless struct {
	MinAge int `json:"minAge" yaml:"minAge"`
	MaxAge int `json:"maxAge" yaml:"maxAge"`
	// Words say a contact is about homelessness ("homeless", "sofa surfing", "kicked out").
	Words []string `json:"words" yaml:"words"`
	// Team is who is told: the Family Support and Safeguarding Team.
	Team   Contact `json:"team" yaml:"team"`
	Source `yaml:",inline"`
}

// SupportingFamilies is Portsmouth §5.3: at an early help decision (one of Decisions) the manager records
// which of the programme's 10 headline outcomes apply; Eligible of them make the family eligible.
type SupportingFamilies struct {
	Decisions []domain.OutcomeCode `json:"decisions" yaml:"decisions"`
	Eligible  int                  `json:"eligible" yaml:"eligible"`
	Source    `yaml:",inline"`
}

// FamilyTold is whether a referral must say if the family was told before it was made, and why not
// (Barnet "How do I refer?": "Before making a referral you must tell the family").
type FamilyTold struct {
	Required bool `json:"required" yaml:"required"`
	Source   `yaml:",inline"`
}

// CheckRequests says what a partner check request carries besides the link (Barnet "What are my
// responsibilities": "The request will contain a summary of the referral concerns").
type CheckRequests struct {
	// ConcernsSummary: the request (its email body, never its subject, and the agency's answer page) carries
	// a summary of the referral concerns, at most SummaryChars characters.
	ConcernsSummary bool `json:"concernsSummary" yaml:"concernsSummary"`
	SummaryChars    int  `json:"summaryChars,omitempty" yaml:"summaryChars,omitempty"`
	Source          `yaml:",inline"`
}

// NamesNoHarm reports whether concerns give only a label (FII) as the reason, with no described harm: a label
// is present, and once the labels and the words of a reason's frame ("reason for referral", "concerns of",
// "suspected") are taken out, fewer than harmWords words are left. A described harm (harm) answers it.
func (h *HarmNaming) NamesNoHarm(concerns, harm string) bool {
	if h == nil || strings.TrimSpace(harm) != "" {
		return false
	}
	words := wordsOf(concerns)
	found := false
	for _, l := range h.Labels {
		lw := wordsOf(l)
		for i := 0; len(lw) > 0 && i+len(lw) <= len(words); i++ {
			if slices.Equal(words[i:i+len(lw)], lw) {
				found = true
				for j := i; j < i+len(lw); j++ {
					words[j] = ""
				}
			}
		}
	}
	if !found {
		return false
	}
	left := 0
	for _, w := range words {
		if w != "" && !slices.Contains(frameWords, w) {
			left++
		}
	}
	return left < harmWords
}

// harmWords is the fewest words, besides the label and a reason's frame, that describe a harm.
const harmWords = 4

// frameWords frame a reason without describing anything ("Reason for contact: suspected FII").
var frameWords = []string{"reason", "reasons", "for", "of", "the", "a", "an", "is", "are", "to", "re", "regarding",
	"about", "contact", "referral", "referring", "concern", "concerns", "concerned", "suspected", "suspicion",
	"query", "possible", "possibly", "potential", "risk", "child", "children", "young", "person", "and", "or", "with",
	"due", "please", "see", "attached", "mash", "i", "we", "am", "have", "has", "there", "this", "that", "in", "on",
	"at", "by", "as", "be", "been", "being", "likely", "suffering", "from", "case", "cases", "fabricated", "induced", "illness"}

// wordsOf is the text's words, lower case, letters and digits only.
func wordsOf(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// SaysHomeless reports whether text says the child is homeless or threatened with it: one of Words, not just
// after a negation ("not homeless", "no risk of being homeless").
func (y *YoungHomeless) SaysHomeless(text string) bool {
	if y == nil {
		return false
	}
	words := wordsOf(text)
	for _, phrase := range y.Words {
		pw := wordsOf(phrase)
		for i := 0; len(pw) > 0 && i+len(pw) <= len(words); i++ {
			if !slices.Equal(words[i:i+len(pw)], pw) {
				continue
			}
			negated := false
			for j := max(0, i-3); j < i; j++ {
				negated = negated || slices.Contains([]string{"not", "no", "isn", "never", "nor"}, words[j])
			}
			if !negated {
				return true
			}
		}
	}
	return false
}

// YoungHomelessApplies reports whether the contact takes the joint housing protocol route: the policy has
// the rule, the contact is flagged homeless, and the child is MinAge to MaxAge at the contact's date (by date
// of birth, else the age the referrer gave).
func (p *Policy) YoungHomelessApplies(c *domain.Contact) bool {
	y := p.YoungHomeless
	if y == nil || !c.Flags.Homeless {
		return false
	}
	loc, err := clock.LoadLocation(p.Timezone)
	if err != nil {
		loc = time.UTC
	}
	age, ok := AgeAt(c.Child, c.ReceivedAt, loc)
	return ok && age >= y.MinAge && age <= y.MaxAge
}

// AgeAt is the child's age in whole years on the date of at (in loc): from the date of birth, else the age
// given; ok is false when neither is known, or the child is unborn.
func AgeAt(ch domain.Child, at time.Time, loc *time.Location) (int, bool) {
	if ch.Unborn {
		return 0, false
	}
	if ch.DateOfBirth.IsZero() {
		return ch.Age, ch.Age > 0
	}
	t := at.In(loc)
	age := t.Year() - ch.DateOfBirth.Y
	if int(t.Month()) < ch.DateOfBirth.M || (int(t.Month()) == ch.DateOfBirth.M && t.Day() < ch.DateOfBirth.D) {
		age--
	}
	return age, age >= 0
}

// SupportingFamiliesAt reports whether a decision with this outcome records the Supporting Families outcomes.
func (p *Policy) SupportingFamiliesAt(code domain.OutcomeCode) bool {
	return p.SupportingFamilies != nil && slices.Contains(p.SupportingFamilies.Decisions, code)
}

// FamilyToldRequired reports whether a referral must say whether the family was told.
func (p *Policy) FamilyToldRequired() bool { return p.FamilyTold != nil && p.FamilyTold.Required }

// DefaultSummaryChars is how much of the concerns a check request's summary carries when the policy gives no
// length.
const DefaultSummaryChars = 600

// ConcernsSummary is the summary of the referral concerns a check request carries where the policy says so
// ("" where it does not): the concerns cut at a word to the policy's length. A contact whose harm is not
// named gives its described harm, or says it is yet to be described (Portsmouth §2.6: never a label as the
// reason).
func (p *Policy) ConcernsSummary(c *domain.Contact) string {
	cr := p.CheckRequests
	if cr == nil || !cr.ConcernsSummary {
		return ""
	}
	text := strings.Join(strings.Fields(c.Concerns), " ")
	switch harm := strings.Join(strings.Fields(c.Harm), " "); {
	case c.Flags.HarmNotNamed:
		text = "The referrer has not yet described the harm to the child; the MASH has asked them to."
	case harm != "" && p.HarmNaming.NamesNoHarm(c.Concerns, ""):
		text = "The harm to the child: " + harm // the concerns were a label only
	case harm != "":
		text += " The harm to the child: " + harm
	}
	n := cr.SummaryChars
	if n <= 0 {
		n = DefaultSummaryChars
	}
	if r := []rune(text); len(r) > n {
		cut := string(r[:n])
		if i := strings.LastIndex(cut, " "); i > n/2 {
			cut = cut[:i]
		}
		text = cut + " …"
	}
	return text
}

func (p *Policy) validateNamed(v validator) {
	if h := p.HarmNaming; h != nil {
		if len(h.Labels) == 0 {
			v.add("harmNaming.labels", "is required: the reasons that name no harm")
		}
		for i, l := range h.Labels {
			if len(wordsOf(l)) == 0 {
				v.add(fmt.Sprintf("harmNaming.labels[%d]", i), "must have a word")
			}
		}
		v.required("harmNaming.prompt", h.Prompt)
		for _, l := range h.Labels {
			if len(wordsOf(l)) > 0 && slices.Contains(wordsOf(h.Prompt), wordsOf(l)[0]) && len(wordsOf(l)) == 1 {
				v.add("harmNaming.prompt", "must not use the label %q: the messages the product sends never give it as a reason", l)
			}
		}
		v.source("harmNaming", h.Source)
	}
	if y := p.YoungHomeless; y != nil {
		if y.MinAge < 0 || y.MaxAge < y.MinAge || y.MaxAge > 25 {
			v.add("youngHomeless.maxAge", "must be at least minAge (%d) and at most 25", y.MinAge)
		}
		if len(y.Words) == 0 {
			v.add("youngHomeless.words", "is required: the words that say a contact is about homelessness")
		}
		v.required("youngHomeless.team.name", y.Team.Name)
		if y.Team.Email == "" {
			v.add("youngHomeless.team.email", "is required: the team is told at once")
		} else if _, ok := domain.EmailAddress(y.Team.Email); !ok {
			v.add("youngHomeless.team.email", "must be one email address")
		}
		v.source("youngHomeless", y.Source)
		v.source("youngHomeless.team", y.Team.Source)
		started := false
		for _, s := range p.Starts {
			started = started || slices.Contains(s.When, CondYoungHomeless)
		}
		if !started {
			v.add("youngHomeless", "no starts entry has the condition %s: the protocol's deadline is never started", CondYoungHomeless)
		}
	}
	if sf := p.SupportingFamilies; sf != nil {
		if len(sf.Decisions) == 0 {
			v.add("supportingFamilies.decisions", "is required: the early help outcomes at which the outcomes are recorded")
		}
		for i, d := range sf.Decisions {
			if _, ok := p.OutcomeTerm(d); !ok {
				v.add(fmt.Sprintf("supportingFamilies.decisions[%d]", i), "%q is not one of this policy's outcomes", d)
			}
		}
		if sf.Eligible < 1 || sf.Eligible > len(domain.SupportingFamiliesOutcomes) {
			v.add("supportingFamilies.eligible", "must be 1 to %d", len(domain.SupportingFamiliesOutcomes))
		}
		v.source("supportingFamilies", sf.Source)
	}
	if f := p.FamilyTold; f != nil {
		v.source("familyTold", f.Source)
	}
	if cr := p.CheckRequests; cr != nil {
		if cr.SummaryChars < 0 {
			v.add("checkRequests.summaryChars", "must not be negative")
		}
		v.source("checkRequests", cr.Source)
	}
}

// namedProvenance lists the named rules' values for Provenance.
func (p *Policy) namedProvenance(add func(field, value string, s Source)) {
	if h := p.HarmNaming; h != nil {
		add("harmNaming", "labels "+strings.Join(h.Labels, ", ")+"; prompt: "+h.Prompt, h.Source)
	}
	if y := p.YoungHomeless; y != nil {
		add("youngHomeless", fmt.Sprintf("ages %d-%d; words %s", y.MinAge, y.MaxAge, strings.Join(y.Words, ", ")), y.Source)
		add("youngHomeless.team", y.Team.Name+": "+y.Team.Email, y.Team.Source)
	}
	if sf := p.SupportingFamilies; sf != nil {
		add("supportingFamilies", fmt.Sprintf("at %s; eligible at %d of the %d outcomes", domain.Join(sf.Decisions), sf.Eligible, len(domain.SupportingFamiliesOutcomes)), sf.Source)
	}
	if f := p.FamilyTold; f != nil {
		add("familyTold", fmt.Sprintf("required %v", f.Required), f.Source)
	}
	if cr := p.CheckRequests; cr != nil {
		add("checkRequests", fmt.Sprintf("concerns summary %v", cr.ConcernsSummary), cr.Source)
	}
}
