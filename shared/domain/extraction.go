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
