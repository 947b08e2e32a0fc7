package intake_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/intake"
	"github.com/safeguarding/mash/shared/intake/email"
)

// sampleWant is what events/email/README.md says each sample becomes.
type sampleWant struct {
	authority   domain.AuthorityID // "" = hackney
	status      string
	reason      string // quarantine reason
	children    int
	names       []string // "Given Family" of each child, in order
	dob         string   // first child's date of birth, YYYY-MM-DD
	referrer    string   // referrer email
	profession  bool
	consent     domain.ConsentStatus
	needsCompl  bool
	flags       domain.Flags // NeedsCompletion excluded
	attachments []string     // file names kept for the first contact (its "attachments.kept" event)
	check       func(t *testing.T, r *rig, cs []*domain.Contact)
}

// samples in the order they arrive on the Monday (the re-send comes a day later; see the test). Every file in
// events/email must have a row: a new sample without one fails TestIngestEmail_EverySample.
var samples = []struct {
	file string
	want sampleWant
}{
	{"school-dsl-referral.eml", sampleWant{status: intake.StatusCreated, children: 1, names: []string{"Maisie Thornton"},
		dob: "2019-02-14", referrer: "h.okafor@oakfield-primary.portsmouth.sch.uk", profession: true, consent: domain.ConsentGiven,
		check: func(t *testing.T, r *rig, cs []*domain.Contact) {
			c := cs[0]
			if !c.Child.SEN || len(c.Parents) != 2 || len(c.Household) != 2 || c.ImmediateHarm {
				t.Errorf("SEN %v parents %d household %d immediateHarm %v; want SEN, 2 parents, 2 household, no immediate harm",
					c.Child.SEN, len(c.Parents), len(c.Household), c.ImmediateHarm)
			}
			for i, p := range c.Parents {
				if !p.ParentalResponsibility {
					t.Errorf("parent %d without parental responsibility", i)
				}
			}
		}}},
	{"school-dsl-referral-redelivery.eml", sampleWant{status: intake.StatusDuplicate}},
	// The letter is a text PDF: the child is read from it, and the contact says so (issue #18).
	{"gp-letter-pdf.eml", sampleWant{status: intake.StatusCreated, children: 1, names: []string{"Noah Whitlock"}, dob: "2021-09-09",
		referrer: "sanjay.patel4@nhs.net", profession: true, consent: domain.ConsentUnknown, attachments: []string{"safeguarding-letter.pdf"},
		check: func(t *testing.T, r *rig, cs []*domain.Contact) {
			x := cs[0].Extraction
			if x == nil || len(x.Fields) == 0 || x.Fields[0].Field != "child.name" || x.Fields[0].Source != "attachment: safeguarding-letter.pdf" ||
				len(x.Attachments) != 1 || x.Attachments[0].Status != "read" {
				t.Errorf("extraction %+v: want the name read from the attached letter", x)
			}
		}}},
	{"housing-html-only.eml", sampleWant{status: intake.StatusCreated, children: 1, names: []string{"Tyler Osei"}, dob: "2014-07-30",
		referrer: "marcus.bell@portsmouthcc.gov.uk", profession: true, consent: domain.ConsentGiven}},
	// A Portsmouth colleague forwards a health visitor's email to Portsmouth's MASH: whose forward counts as a
	// colleague's is policy data (the MASH inbox's domain), so this sample is Portsmouth's (seed 000 §4.6).
	{"forwarded-chain.eml", sampleWant{authority: "portsmouth", status: intake.StatusCreated, children: 1, names: []string{"Leo Fairbanks"},
		referrer: "grace.mensah@nhs.net", profession: true, consent: domain.ConsentNotSought,
		check: func(t *testing.T, r *rig, cs []*domain.Contact) {
			if strings.TrimSpace(cs[0].Consent.Reason) == "" {
				t.Errorf("consent not sought without a reason")
			}
			if !strings.HasPrefix(string(cs[0].Reference), "POR-") {
				t.Errorf("reference %q is not Portsmouth's", cs[0].Reference)
			}
		}}},
	{"iso-8859-1.eml", sampleWant{status: intake.StatusCreated, children: 1, names: []string{"Chloé Martin"},
		referrer: "s.lefevre@stamshaw-cc.org.uk", profession: true, consent: domain.ConsentGiven,
		check: func(t *testing.T, r *rig, cs []*domain.Contact) {
			if !strings.Contains(cs[0].Concerns, "£2,400") {
				t.Errorf("concerns lost the £ sign")
			}
			if cs[0].Referrer.Name != "Sophie Lefèvre" {
				t.Errorf("referrer name %q", cs[0].Referrer.Name)
			}
		}}},
	{"spam-flagged.eml", sampleWant{status: intake.StatusQuarantined, reason: string(email.ReasonSpam)}},
	{"virus-flagged.eml", sampleWant{status: intake.StatusQuarantined, reason: string(email.ReasonVirus)}},
	{"garbled-mime.eml", sampleWant{status: intake.StatusQuarantined, reason: string(email.ReasonUnparseable)}},
	{"household-three-children.eml", sampleWant{status: intake.StatusCreated, children: 3,
		names:    []string{"Kayden Hollis", "Lacey Hollis", "Ollie Hollis"},
		referrer: "t.ashworth@milton-park.portsmouth.sch.uk", profession: true, consent: domain.ConsentRefused,
		check: func(t *testing.T, r *rig, cs []*domain.Contact) {
			hh := cs[0].HouseholdID
			if hh == "" {
				t.Fatal("household has no HouseholdID")
			}
			refs := map[domain.Reference]bool{}
			for i, c := range cs {
				if c.HouseholdID != hh {
					t.Errorf("child %d household %q, want %q", i, c.HouseholdID, hh)
				}
				var others []string
				for j, o := range cs {
					if j != i {
						others = append(others, string(o.ID))
					}
				}
				var linked []string
				for _, l := range c.LinkedTo {
					linked = append(linked, string(l))
				}
				sort.Strings(others)
				sort.Strings(linked)
				if strings.Join(linked, ",") != strings.Join(others, ",") {
					t.Errorf("child %d linked to %v, want its siblings %v", i, linked, others)
				}
				refs[c.Reference] = true
				if c.Child.Address == "" || c.Child.Address != cs[0].Child.Address {
					t.Errorf("child %d address not the shared one", i)
				}
				if strings.TrimSpace(c.Consent.Reason) == "" {
					t.Errorf("child %d: consent refused without its reason", i)
				}
			}
			if len(refs) != 3 {
				t.Errorf("siblings share references: %v", refs)
			}
			if !cs[1].Child.SEN || cs[0].Child.SEN || cs[2].Child.SEN {
				t.Errorf("SEN: want only Lacey, got %v %v %v", cs[0].Child.SEN, cs[1].Child.SEN, cs[2].Child.SEN)
			}
		}}},
	{"canary-referral.eml", sampleWant{status: intake.StatusCreated, children: 1, names: []string{"Zebedee Canarybird"}, dob: "2020-04-07",
		referrer: "nina.walsh@harbourside.portsmouth.sch.uk", profession: true, consent: domain.ConsentNotSought}},
	{"lado-teacher-allegation.eml", sampleWant{status: intake.StatusCreated, children: 1, names: []string{"Jayden Price"},
		referrer: "head@northbrook-academy.example.org.uk", profession: true, consent: domain.ConsentGiven,
		flags: domain.Flags{AllegationAgainstProfessional: true}}},
	{"prevent-concern.eml", sampleWant{status: intake.StatusCreated, children: 1, names: []string{"Callum Reeve"},
		referrer: "o.grant@highbury-college.ac.uk", profession: true, consent: domain.ConsentNotSought,
		flags: domain.Flags{Radicalisation: true}}},
	{"public-free-text.eml", sampleWant{status: intake.StatusCreated, children: 1, needsCompl: true, referrer: "dave.k1982@gmail.com",
		profession: false, consent: domain.ConsentUnknown,
		check: func(t *testing.T, r *rig, cs []*domain.Contact) {
			if strings.TrimSpace(cs[0].Concerns) == "" {
				t.Errorf("free text: concerns should hold the body")
			}
		}}},
	// Tuesday: the same DSL re-sends the same form with a new Message-ID.
	{"school-dsl-referral-resend.eml", sampleWant{status: intake.StatusLinked}},
}

var referencePattern = regexp.MustCompile(`^([A-Z]+)-(\d{4})-(\d{6})$`)

// TestIngestEmail_EverySample feeds every sample of events/email through Service.IngestEmail on the local
// suite (embedded store, fake clock) in a realistic order and checks what events/email/README.md promises.
func TestIngestEmail_EverySample(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(samplesDir, "*.eml"))
	listed := map[string]bool{}
	for _, s := range samples {
		listed[s.file] = true
	}
	for _, f := range files {
		if !listed[filepath.Base(f)] {
			t.Errorf("%s has no row in samples", filepath.Base(f))
		}
	}
	if len(files) != len(samples) {
		t.Errorf("%d files, %d rows", len(files), len(samples))
	}

	r := newRig(t, london(t, "2026-11-16 10:45")) // Monday, the MASH is open
	ctx := context.Background()
	var original domain.ContactID
	contacts := 0
	for _, s := range samples {
		w := s.want
		if w.authority == "" {
			w.authority = hackney
		}
		if s.file == "school-dsl-referral-resend.eml" {
			r.clock.Set(london(t, "2026-11-17 09:05")) // "a day later"
			if err := r.suite.Tick(ctx); err != nil {  // what fell due overnight runs first, as under `mash run`
				t.Fatal(err)
			}
		} else {
			r.clock.Advance(2 * time.Minute)
		}
		t.Run(s.file, func(t *testing.T) {
			r := *r
			r.t = t
			res := r.ingest(w.authority, s.file)
			switch w.status {
			case intake.StatusQuarantined:
				if len(res) != 1 || res[0].Status != intake.StatusQuarantined || res[0].Reason != w.reason || res[0].ContactID != "" {
					t.Fatalf("result %+v, want quarantined: %s", res, w.reason)
				}
				assertQuarantinedBytes(t, &r, res[0], s.file)
				return
			case intake.StatusDuplicate, intake.StatusLinked:
				if len(res) != 1 || res[0].Status != w.status || res[0].ContactID != original {
					t.Fatalf("result %+v, want %s with the original contact %s", res, w.status, original)
				}
				c := r.contact(original)
				if c.Reference == "" || res[0].Reference != c.Reference {
					t.Errorf("reference %q, original's %q", res[0].Reference, c.Reference)
				}
				r.assertOneAck(original) // no second acknowledgement for a redelivery or a re-send
				if n := len(r.allContacts(hackney)); n != contacts {
					t.Errorf("%d contacts after a %s, want %d (no new contact)", n, w.status, contacts)
				}
				return
			}
			if len(res) != w.children {
				t.Fatalf("%d results, want %d: %+v", len(res), w.children, res)
			}
			if s.file == "school-dsl-referral.eml" {
				original = res[0].ContactID
			}
			if w.authority == hackney {
				contacts += len(res)
			}
			pol := r.suite.Policies[w.authority]
			var cs []*domain.Contact
			for i, re := range res {
				if re.Status != intake.StatusCreated {
					t.Errorf("child %d: status %s, want created", i, re.Status)
				}
				c := r.contact(re.ContactID)
				cs = append(cs, c)
				m := referencePattern.FindStringSubmatch(string(c.Reference))
				if m == nil || m[1] != pol.ReferencePrefix || m[2] != "2026" || re.Reference != c.Reference {
					t.Errorf("child %d: reference %q (result %q), want %s-2026-NNNNNN", i, c.Reference, re.Reference, pol.ReferencePrefix)
				}
				if c.Authority != w.authority || c.Channel != domain.ChannelEmail {
					t.Errorf("child %d: authority %s channel %s", i, c.Authority, c.Channel)
				}
				if i < len(w.names) {
					if got := c.Child.GivenName + " " + c.Child.FamilyName; got != w.names[i] {
						t.Errorf("child %d: name %q, want %q", i, got, w.names[i])
					}
				}
				if w.needsCompl {
					if !c.Flags.NeedsCompletion || c.Child.FamilyName != "" {
						t.Errorf("free text: NeedsCompletion %v, child %+v; want an empty child to complete", c.Flags.NeedsCompletion, c.Child)
					}
				} else if c.Flags.NeedsCompletion {
					t.Errorf("child %d: NeedsCompletion set on a structured referral", i)
				}
				f := c.Flags
				f.NeedsCompletion = false
				if f != w.flags {
					t.Errorf("child %d: flags %+v, want %+v", i, f, w.flags)
				}
				if c.Referrer.Email != w.referrer || c.Referrer.Professional != w.profession {
					t.Errorf("child %d: referrer %q professional %v, want %q %v", i, c.Referrer.Email, c.Referrer.Professional, w.referrer, w.profession)
				}
				if c.Consent.Status != w.consent {
					t.Errorf("child %d: consent %s, want %s", i, c.Consent.Status, w.consent)
				}
				if len(w.names) > 0 && w.children == 1 && c.Child.DateOfBirth.IsZero() {
					t.Errorf("child %d: no date of birth", i)
				}
				r.assertOneAck(c.ID)
				if path, _ := r.suite.Path(c.ID); len(path) == 0 {
					t.Errorf("child %d: no workflow execution started", i)
				}
			}
			if w.dob != "" && cs[0].Child.DateOfBirth.String() != w.dob {
				t.Errorf("date of birth %s, want %s", cs[0].Child.DateOfBirth, w.dob)
			}
			if w.children == 1 && (cs[0].HouseholdID != "" || len(cs[0].LinkedTo) != 0) {
				t.Errorf("a single child is in a household: %q %v", cs[0].HouseholdID, cs[0].LinkedTo)
			}
			assertAttachments(t, &r, cs[0].ID, w.attachments)
			if w.check != nil {
				w.check(t, &r, cs)
			}
		})
	}
	if t.Failed() {
		return
	}
	// Every reference of the run is distinct and Hackney's sequence has no gap.
	seqs := map[string]bool{}
	for _, c := range r.allContacts(hackney) {
		m := referencePattern.FindStringSubmatch(string(c.Reference))
		if m == nil || seqs[m[3]] {
			t.Errorf("contact %s reference %q missing or repeated", c.ID, c.Reference)
			continue
		}
		seqs[m[3]] = true
	}
	for i := 1; i <= len(seqs); i++ {
		if n := fmt.Sprintf("%06d", i); !seqs[n] {
			t.Errorf("hackney references have a gap at %s (%d contacts)", n, len(seqs))
		}
	}
}

// assertQuarantinedBytes: the quarantine record exists with the reason, and its blob is byte for byte the
// input file (read through the store's RawKey and the suite's blobs folder).
func assertQuarantinedBytes(t *testing.T, r *rig, res intake.Result, file string) {
	t.Helper()
	ctx := context.Background()
	items, err := r.suite.Store.ListQuarantine(ctx, res.Authority)
	if err != nil {
		t.Fatal(err)
	}
	want := readSample(t, file)
	found := false
	for _, q := range items {
		if res.QuarantineID != "" && q.ID != res.QuarantineID {
			continue
		}
		got, err := r.suite.Intake.Blobs.Get(ctx, q.RawKey)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			continue
		}
		found = true
		if q.Reason != res.Reason || q.Size != int64(len(want)) || q.RawKey != "quarantine/"+q.ID {
			t.Errorf("quarantine record %+v, want reason %s size %d", q, res.Reason, len(want))
		}
		onDisk, err := os.ReadFile(filepath.Join(r.dir, "blobs", "quarantine", q.ID))
		if err != nil || !bytes.Equal(onDisk, want) {
			t.Errorf("blobs/quarantine/%s is not byte for byte the input (%v)", q.ID, err)
		}
	}
	if !found {
		t.Errorf("no quarantine record holds the bytes of %s", file)
	}
}

var attachmentKey = regexp.MustCompile(`^attachments/[a-z-]+/m_[0-9a-f]{32}-[0-9]{2}$`)

// assertAttachments: the contact's record names each attachment ("attachments.kept"), in order, and each is
// kept with its bytes under the key it records (of the message and the part index, never the file name).
func assertAttachments(t *testing.T, r *rig, id domain.ContactID, want []string) {
	t.Helper()
	evs, err := r.suite.Store.ListAudit(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, ev := range evs {
		if ev.Action != "attachments.kept" {
			continue
		}
		for k, v := range ev.Detail {
			if !strings.HasPrefix(k, "type ") && !strings.HasPrefix(k, "name ") {
				keys = append(keys, k+"\x00"+ev.Detail["name "+k]+"\x00"+v)
			}
		}
	}
	sort.Strings(keys)
	if len(keys) != len(want) {
		t.Errorf("attachments recorded for %s: %q, want %v", id, keys, want)
		return
	}
	for i, k := range keys {
		f := strings.Split(k, "\x00")
		name, key := f[1], f[2]
		if !attachmentKey.MatchString(key) || !strings.HasPrefix(key, "attachments/"+string(hackney)+"/m_") {
			t.Errorf("attachment key %s, want attachments/%s/m_<hash>-NN", key, hackney)
		}
		if name != want[i] {
			t.Errorf("attachment %d recorded as %q, want %q", i, name, want[i])
		}
		b, err := os.ReadFile(filepath.Join(r.dir, "blobs", filepath.FromSlash(key)))
		if err != nil || len(b) == 0 {
			t.Errorf("attachment %s empty or unreadable: %v", key, err)
		}
		if strings.HasSuffix(name, ".pdf") && !bytes.HasPrefix(b, []byte("%PDF-")) {
			t.Errorf("attachment %s is not the PDF", key)
		}
	}
}
