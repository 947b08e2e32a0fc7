package api_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/safeguarding/mash/shared/domain"
)

// Issue #13 "Addresses": a referrer email that is not one address is a 400 naming referrer.email, and nothing
// is written (it used to be a 500 with the contact written and its acknowledgement retried forever).
func TestBadInput_ReferrerEmailIsOneAddress(t *testing.T) {
	for _, bad := range []string{"amara at nhs dot net", "a@nhs.net, b@nhs.net", "a@nhs.net\r\nBcc: x@evil.example"} {
		rg := newRig(t)
		body := canaryReferral()
		body["referrer"].(map[string]any)["email"] = bad
		r := rg.must(http.StatusBadRequest, referrer, "POST", "/v1/referrals", body)
		if got := r.errorFields(t); !slices.Equal(got, []string{"referrer.email"}) {
			t.Errorf("%q: fields %v, want [referrer.email]", bad, got)
		}
		if strings.Contains(string(r.body), "nhs") {
			t.Errorf("the response echoes the value: %s", r.body)
		}
		if n := rg.countAll(); n != 0 {
			t.Errorf("%q: %d contacts written by a refused request", bad, n)
		}
	}
}

// Issue #13 "Keys": a referral sent with Idempotency-Key "ppn:<police reference>" cannot pre-empt the PPN;
// the same key with another body is a 409 naming Idempotency-Key; the same key and body is the first result.
func TestIdempotencyKey_ScopedToRouteAndCaller_BoundToTheBody(t *testing.T) {
	rg := newRig(t)
	ppn := sample(t, "ppn.json")
	ref := createdIDs(t, rg.must(http.StatusCreated, referrer, "POST", "/v1/referrals", canaryReferral(), "Idempotency-Key", "ppn:44260412345"))
	ids := createdIDs(t, rg.must(http.StatusCreated, police, "POST", "/v1/ppn", ppn, "Idempotency-Key", "ppn:44260412345"))
	if len(ids) != 2 || slices.Contains(ids, ref[0]) {
		t.Fatalf("the PPN made %v (the referral was %v): want its own two children", ids, ref)
	}
	// The same key on the same route from the same caller with another body.
	other := canaryReferral()
	other["concerns"] = "Another child, another worry."
	r := rg.must(http.StatusConflict, referrer, "POST", "/v1/referrals", other, "Idempotency-Key", "ppn:44260412345")
	if got := r.errorFields(t); !slices.Equal(got, []string{"Idempotency-Key"}) {
		t.Errorf("fields %v, want [Idempotency-Key]: %s", got, r.body)
	}
	// The same key and body (sent again, spaced differently by the client): the first contact.
	again := createdIDs(t, rg.must(http.StatusOK, referrer, "POST", "/v1/referrals", canaryReferral(), "Idempotency-Key", "ppn:44260412345"))
	if !slices.Equal(again, ref) {
		t.Errorf("repeat gave %v, want %v", again, ref)
	}
	// Another caller's same key is another key.
	if ids := createdIDs(t, rg.must(http.StatusCreated, officer, "POST", "/v1/referrals", canaryReferral(), "Idempotency-Key", "ppn:44260412345")); slices.Equal(ids, ref) {
		t.Error("another caller's key answered with the first caller's contact")
	}
	if n := rg.countAll(); n != 4 {
		t.Errorf("%d contacts, want 4 (referral, the PPN's two children, the officer's referral)", n)
	}
}

// Issue #13: a PPN sent again under the same police reference with new content is not a duplicate. Over the
// API it answers 200 with each child's first contact "linked", and the new circumstances are on each contact
// (GET /v1/contacts/{id}) as an update; the same notice again is a duplicate.
func TestPPN_ResentWithNewContent_OverTheAPI(t *testing.T) {
	rg := newRig(t)
	first := createdIDs(t, rg.must(http.StatusCreated, police, "POST", "/v1/ppn", sample(t, "ppn.json")))
	var upd map[string]any
	if err := json.Unmarshal(sample(t, "ppn.json"), &upd); err != nil {
		t.Fatal(err)
	}
	upd["circumstances"] = "UPDATE: the suspect returned to the address at 02:10 and was arrested there."
	upd["children"].([]any)[0].(map[string]any)["atImmediateRisk"] = true
	r := rg.must(http.StatusOK, police, "POST", "/v1/ppn", upd)
	var body struct {
		Contacts []struct {
			Status    string           `json:"status"`
			ContactID domain.ContactID `json:"contactId"`
		} `json:"contacts"`
	}
	if err := json.Unmarshal(r.body, &body); err != nil {
		t.Fatal(err)
	}
	if len(body.Contacts) != 2 || body.Contacts[0].Status != "linked" || body.Contacts[0].ContactID != first[0] {
		t.Fatalf("re-sent PPN answered %s, want both first contacts linked", r.body)
	}
	c := rg.must(http.StatusOK, manager, "GET", "/v1/contacts/"+string(first[0]), nil).json(t)
	if concerns, _ := c["concerns"].(string); !strings.Contains(concerns, "returned to the address at 02:10") || !strings.Contains(concerns, "Suspect arrested later") {
		t.Errorf("the update is not on the first contact: %q", concerns)
	}
	if c["immediateHarm"] != true {
		t.Error("Mason is not immediate harm after the update")
	}
	again := rg.must(http.StatusOK, police, "POST", "/v1/ppn", upd)
	if !strings.Contains(string(again.body), `"duplicate"`) {
		t.Errorf("the update again: %s, want duplicate", again.body)
	}
	if n := rg.countAll(); n != 2 {
		t.Errorf("%d contacts, want 2", n)
	}
}
