package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Issue #18, done when: `mash ingest` of the household, forwarded-police, inline-answer, Word-form, PDF-form,
// HTML-table and subject-line shapes gives the right children, dates of birth, household links and
// immediate-harm answers, read back with `mash contacts show`; an attachment that cannot be read (a zip
// bomb) still makes a contact, which says why.
func TestIngest_ReferralShapes(t *testing.T) {
	state := t.TempDir()
	at := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC) // a Monday, open
	type child struct{ name, dob string }
	shapes := []struct {
		file     string
		children []child
		harm     bool
		source   string // where the first child's name was read
		unread   string // an attachment noted unreadable
	}{
		{"024-police-five-children.eml", []child{{"Tayla Birch", "2009-03-15"}, {"Riley Birch", "2012-07-04"}, {"Brooke Birch", "2014-11-23"},
			{"Logan Birch", "2018-02-01"}, {"Skye Birch", "2022-09-30"}}, false, "body", ""},
		{"006-police-forward-outlook.eml", []child{{"Mason Cooper", "2016-05-12"}, {"Evie Cooper", "2019-09-03"}}, false, "body", ""},
		{"005-hospital-inline-answers.eml", []child{{"Maddison Kerr", "2010-07-22"}}, true, "body", ""},
		{"048-ho-hv-inline-yes.eml", []child{{"Nova Clarke", "2026-07-21"}}, true, "body", ""}, // "Yes - I have phoned the MASH duty social worker"
		{"028-police-ppn-forward.eml", []child{{"Ruby Hall", "2023-02-11"}}, true, "body", ""}, // "Child taken into police protection", in a forwarded PPN
		{"008-yos-docx-marf.eml", []child{{"Tyrese Ogunleye", "2009-08-17"}}, false, "attachment: MARF_Nov26.docx", ""},
		{"012-school-pdf-export.eml", []child{{"Ellie-Rose Barton", "2012-11-05"}}, false, "attachment: Referral_export.pdf", ""},
		{"018-html-children-grid.eml", []child{{"Oliwia Nowak", "2020-06-15"}, {"Filip Nowak", "2018-01-09"}, {"Zuzanna Nowak", "2024-11-30"}}, false, "body", ""},
		{"009-dentist-subject-only.eml", []child{{"Harvey Doyle", "2017-06-14"}}, false, "subject", ""},
		{"022-zipbomb-subject.eml", []child{{"Ashton Rees", "2015-02-14"}}, false, "subject", "referral.docx"},
	}
	for _, sh := range shapes {
		out, errs, code := runAt(t, at, "ingest", "--authority", "portsmouth", "--state", state, "--outbox", filepath.Join(state, "outbox"),
			filepath.Join("../../events/email/corpus", sh.file))
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", sh.file, code, errs)
		}
		ls := lines(t, out)
		if len(ls) != len(sh.children) {
			t.Errorf("%s: %d contacts, want %d", sh.file, len(ls), len(sh.children))
			continue
		}
		household := ""
		for i, l := range ls {
			if l["status"] != "created" {
				t.Errorf("%s: %v", sh.file, l)
				continue
			}
			shown, errs, code := runAt(t, at, "contacts", "show", "--state", state, l["contactId"].(string))
			if code != 0 {
				t.Fatalf("show: exit %d: %s", code, errs)
			}
			c := decode(t, strings.TrimSpace(shown))
			ch := c["child"].(map[string]any)
			if got := ch["givenName"].(string) + " " + ch["familyName"].(string); got != sh.children[i].name || ch["dateOfBirth"] != sh.children[i].dob {
				t.Errorf("%s child %d: %s %v, want %s %s", sh.file, i, got, ch["dateOfBirth"], sh.children[i].name, sh.children[i].dob)
			}
			if c["immediateHarm"] != sh.harm {
				t.Errorf("%s: immediateHarm %v, want %v", sh.file, c["immediateHarm"], sh.harm)
			}
			linked := c["linkedTo"].([]any)
			if len(linked) != len(sh.children)-1 {
				t.Errorf("%s child %d: linked to %d, want its %d siblings", sh.file, i, len(linked), len(sh.children)-1)
			}
			if len(sh.children) > 1 {
				hh, _ := c["householdId"].(string)
				if household == "" {
					household = hh
				}
				if hh == "" || hh != household {
					t.Errorf("%s child %d: household %q, want the one the first child has (%q)", sh.file, i, hh, household)
				}
			}
			x, _ := c["extraction"].(map[string]any)
			if x == nil {
				t.Fatalf("%s: no extraction on the contact", sh.file)
			}
			f0 := x["fields"].([]any)[0].(map[string]any)
			if f0["field"] != "child.name" || f0["source"] != sh.source {
				t.Errorf("%s: first field %v, want child.name from %s", sh.file, f0, sh.source)
			}
			if sh.unread != "" {
				as, _ := x["attachments"].([]any)
				if len(as) != 1 || as[0].(map[string]any)["file"] != sh.unread || as[0].(map[string]any)["status"] != "unreadable" ||
					as[0].(map[string]any)["reason"] == "" {
					t.Errorf("%s: attachments %v, want %s unreadable with a reason", sh.file, as, sh.unread)
				}
				if fl := c["flags"].(map[string]any); fl["needsCompletion"] != true {
					t.Errorf("%s: an unread form needs completion: flags %v", sh.file, fl)
				}
			}
		}
	}
}
