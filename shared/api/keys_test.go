package api_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
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
