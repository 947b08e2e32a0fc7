package domain

// Extraction says where intake read a contact's fields, how sure it is and what it could not read, so that
// the screener sees which values came from the email's body, its subject or an attached form, and what is
// still to be completed. Set by email intake; nil for contacts made from structured requests.
type Extraction struct {
	Fields []FieldSource `json:"fields"`
	// Missing names what intake could not read with confidence and left empty ("child.name",
	// "child.familyName" for a child read by a given name alone, "child.dateOfBirth", "immediateHarm", "consent",
	// "attachment: <file> (<reason>)").
	Missing     []string         `json:"missing,omitempty"`
	Attachments []AttachmentRead `json:"attachments,omitempty"`
}

// Confidence of a field's value: high for a labelled form field, medium for a list, running text, an
// answer written after a question, or the subject line.
type Confidence string

const (
	ConfidenceHigh   Confidence = "high"
	ConfidenceMedium Confidence = "medium"
)

// FieldSource is where one field's value was read.
type FieldSource struct {
	Field      string     `json:"field"`  // child.name, child.dateOfBirth, child.age, child.school, immediateHarm, consent
	Source     string     `json:"source"` // body, subject, forwarded, attachment: <file name>
	Confidence Confidence `json:"confidence"`
}

// AttachmentRead is what intake made of one attachment. The attachment itself is always kept.
type AttachmentRead struct {
	File   string `json:"file"`
	Status string `json:"status"` // read, not-a-form, unreadable
	Reason string `json:"reason,omitempty"`
}

// MissingImmediateHarm is Extraction.Missing's name for an immediate-harm question nobody answered: an email
// that does not say, or a caller who did not know.
const MissingImmediateHarm = "immediateHarm"

// ImmediateHarmNotKnown reports whether nobody has said whether a child is at risk of immediate harm: the
// contact is not marked immediate harm and its extraction still lists the question as missing (a caller who
// did not know, an email that does not say). It reads "not known", never "no".
func (c *Contact) ImmediateHarmNotKnown() bool {
	if c == nil || c.ImmediateHarm || c.Extraction == nil {
		return false
	}
	for _, m := range c.Extraction.Missing {
		if m == MissingImmediateHarm {
			return true
		}
	}
	return false
}

// MissingWords says in words one of Extraction.Missing's names: "child.familyName" is "the child's family
// name". An attachment's entry ("attachment: <file> (<reason>)") is already words.
func MissingWords(m string) string {
	switch m {
	case "child.name":
		return "the child's name"
	case "child.givenName":
		return "the child's given name"
	case "child.familyName":
		return "the child's family name"
	case "child.dateOfBirth":
		return "the child's date of birth"
	case MissingImmediateHarm:
		return "whether a child is at risk of immediate harm"
	case "consent":
		return "consent"
	}
	return m
}

// ChildMissing lists what intake could not read about the child (Missing's "child." names), for the lists
// that say a contact's child's details are needed.
func (c *Contact) ChildMissing() []string {
	var out []string
	if c == nil || c.Extraction == nil {
		return out
	}
	for _, m := range c.Extraction.Missing {
		if len(m) > 6 && m[:6] == "child." {
			out = append(out, m)
		}
	}
	return out
}
