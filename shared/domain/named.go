package domain

import "time"

// FamilyTold records whether the referrer told the family before referring, and why not (Barnet "How do I
// refer?": "Before making a referral you must tell the family"; "You should not seek consent in cases where
// you consider to do so may increase the risk of harm to the child").
type FamilyTold struct {
	Told   bool   `json:"told"`
	Reason string `json:"reason,omitempty"` // why not: required when Told is false
}

// SupportingFamiliesOutcome is one of the Supporting Families programme's 10 headline outcomes (Portsmouth
// §5.3: "Eligibility for the programme is based 3 of the 10 outcomes").
type SupportingFamiliesOutcome string

// The 10 headline outcomes, in the order Portsmouth §5.3 lists them.
const (
	SFGoodEducation       SupportingFamiliesOutcome = "good-education"       // Getting a good education
	SFEarlyYears          SupportingFamiliesOutcome = "early-years"          // Good early years development
	SFHealth              SupportingFamiliesOutcome = "health"               // Improved mental and physical health
	SFSubstanceUse        SupportingFamiliesOutcome = "substance-use"        // Promoting recovery and reducing harm from substance use
	SFFamilyRelationships SupportingFamiliesOutcome = "family-relationships" // Improved family relationships
	SFSafeFromAbuse       SupportingFamiliesOutcome = "safe-from-abuse"      // Children safe from abuse and exploitation
	SFCrime               SupportingFamiliesOutcome = "crime"                // Crime prevention and tackling crime
	SFDomesticAbuse       SupportingFamiliesOutcome = "domestic-abuse"       // Safe from domestic abuse
	SFSecureHousing       SupportingFamiliesOutcome = "secure-housing"       // Secure housing
	SFFinancialStability  SupportingFamiliesOutcome = "financial-stability"  // Financial stability
)

// SupportingFamiliesOutcomes lists the 10 headline outcomes.
var SupportingFamiliesOutcomes = []SupportingFamiliesOutcome{SFGoodEducation, SFEarlyYears, SFHealth, SFSubstanceUse,
	SFFamilyRelationships, SFSafeFromAbuse, SFCrime, SFDomesticAbuse, SFSecureHousing, SFFinancialStability}

// supportingFamiliesTitles are the outcomes' headline words (Portsmouth §5.3).
var supportingFamiliesTitles = map[SupportingFamiliesOutcome]string{
	SFGoodEducation: "Getting a good education", SFEarlyYears: "Good early years development",
	SFHealth: "Improved mental and physical health", SFSubstanceUse: "Promoting recovery and reducing harm from substance use",
	SFFamilyRelationships: "Improved family relationships", SFSafeFromAbuse: "Children safe from abuse and exploitation",
	SFCrime: "Crime prevention and tackling crime", SFDomesticAbuse: "Safe from domestic abuse",
	SFSecureHousing: "Secure housing", SFFinancialStability: "Financial stability",
}

// Valid reports whether o is one of the 10 headline outcomes.
func (o SupportingFamiliesOutcome) Valid() bool { return contains(SupportingFamiliesOutcomes, o) }

// Title is the outcome's headline words.
func (o SupportingFamiliesOutcome) Title() string { return supportingFamiliesTitles[o] }

// SupportingFamiliesRecord is what the manager recorded at an early help decision: the outcomes that apply,
// and whether they reach the programme's eligibility (the policy's count: Portsmouth 3 of the 10).
type SupportingFamiliesRecord struct {
	Outcomes []SupportingFamiliesOutcome `json:"outcomes"`
	Eligible bool                        `json:"eligible"`
	By       string                      `json:"by"`
	At       time.Time                   `json:"at"`
}
