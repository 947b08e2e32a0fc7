package api_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/domain"
)

// Hackney §4(1), through the API: a contact saying a child is at risk of immediate harm heads the rating tray
// GET /v1/trays/rating lists, above contacts that arrived before it and are due earlier, and each item says
// whether its contact is one (immediateHarm) — the console's order, by the same function. With limit=1 the
// one item is the immediate-harm contact, not the earliest due.
func TestHackney_4_1_ImmediateHarm_HeadsTheAPITray(t *testing.T) {
	rg := newRig(t)
	refer := func(given string, harm bool) domain.ContactID {
		b := canaryReferral()
		b["children"] = []any{map[string]any{"givenName": given, "familyName": "Traylist", "dateOfBirth": "07/04/2016",
			"school": "Hillman Street Primary", "address": "1 Example Road, London E8"}}
		b["concerns"] = given + " Traylist said she was hit at home and is frightened to go home tonight."
		b["immediateHarm"] = harm
		id := rg.newReferral(referrer, b)
		rg.clock.Set(rg.clock.Now().Add(time.Minute))
		return id
	}
	first, second, urgent := refer("Amos", false), refer("Bella", false), refer("Cara", true)

	type item struct {
		ContactID     domain.ContactID `json:"contactId"`
		ImmediateHarm *bool            `json:"immediateHarm"`
	}
	list := func(query string) []item {
		var body struct{ Items []item }
		if err := json.Unmarshal(rg.must(http.StatusOK, worker, "GET", "/v1/trays/rating"+query, nil).body, &body); err != nil {
			t.Fatal(err)
		}
		return body.Items
	}
	var order []domain.ContactID
	for _, it := range list("") {
		if it.ImmediateHarm == nil {
			t.Errorf("item of %s has no immediateHarm", it.ContactID)
		} else if *it.ImmediateHarm != (it.ContactID == urgent) {
			t.Errorf("item of %s: immediateHarm %v", it.ContactID, *it.ImmediateHarm)
		}
		if slices.Contains([]domain.ContactID{first, second, urgent}, it.ContactID) {
			order = append(order, it.ContactID)
		}
	}
	if want := []domain.ContactID{urgent, first, second}; !slices.Equal(order, want) {
		t.Errorf("rating tray order %v, want %v (immediate harm first, then earliest due first)", order, want)
	}
	if got := list("?limit=1"); len(got) != 1 || got[0].ContactID != urgent {
		t.Errorf("limit=1: %+v, want only the immediate-harm contact %s", got, urgent)
	}
}
