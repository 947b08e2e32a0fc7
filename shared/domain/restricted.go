package domain

import "strconv"

// Restricted police information (issue 14): intelligence the police share with the MASH that only
// police-vetted staff may read. It is kept apart from the contact (the store's restricted record); the contact
// carries only a notice that it exists and who may read it.

// RoleRestrictedReader is the role that reads restricted information (police-vetted MASH staff).
const RoleRestrictedReader = "restricted-reader"

// MaxRestrictedAttachments is the most attachments one piece of restricted information may carry.
const MaxRestrictedAttachments = 5

// RestrictedInformation is what a PPN or a police check answer may carry for vetted readers only.
type RestrictedInformation struct {
	Text        string                 `json:"text"`
	Attachments []RestrictedAttachment `json:"attachments,omitempty"`
}

// RestrictedAttachment is a file sent with restricted information (content base64 in JSON).
type RestrictedAttachment struct {
	Filename    string `json:"filename"`
	ContentType string `json:"contentType"`
	Content     []byte `json:"content"`
}

// Validate names every bad field under prefix (e.g. "restrictedInformation").
func (r *RestrictedInformation) Validate(p *Problems, prefix string) {
	if r == nil {
		return
	}
	if r.Text == "" {
		p.Add(prefix+".text", "is required when restricted information is given")
	}
	if len(r.Attachments) > MaxRestrictedAttachments {
		p.Add(prefix+".attachments", "at most %d attachments", MaxRestrictedAttachments)
	}
	for i, a := range r.Attachments {
		at := prefix + ".attachments[" + strconv.Itoa(i) + "]"
		if a.Filename == "" {
			p.Add(at+".filename", "is required")
		}
		if len(a.Content) == 0 {
			p.Add(at+".content", "is required (base64)")
		}
	}
}

// RestrictedNotice is what the contact itself shows of its restricted information: that it exists and
// who may read it, never what it says.
type RestrictedNotice struct {
	Records    int    `json:"records"`
	ReadableBy string `json:"readableBy"`
	Path       string `json:"path"` // the API route vetted readers use
}
