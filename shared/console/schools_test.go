package console_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/safeguarding/mash/shared/directory"
	"github.com/safeguarding/mash/shared/store"
)

// Issue #20 §5: staff search the school directory and see a school's DSL; a manager corrects the DSL's
// contacts, the correction checked as an imported row is (one bare address on the authority's allowed school
// domains) and audited with the editor on the directory's trail.
func TestSchools_SearchSeeDSLAndManagerEditAudited(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	rows := []directory.Row{
		{URN: "100001", Name: "Northern Parade Junior School", Phase: "Primary", Postcode: "E8 1AB", Open: true,
			DSLEmail: "dsl@northernparade.hackney.sch.uk", DSLPhone: "020 7946 0001"},
		{URN: "100002", Name: "Southwold Primary School", Phase: "Primary", Postcode: "E5 9NL", Open: true,
			DSLEmail: "dsl@southwold.hackney.sch.uk"},
	}
	if _, err := r.suite.Directory.Import(ctx, authority, "setup", rows, []int{2, 3}); err != nil {
		t.Fatal(err)
	}

	w := r.browser()
	w.signIn("Wes Worker")
	for _, q := range []string{"northern par", "100001", "e81ab"} {
		st, body := w.get("/schools?q=" + url.QueryEscape(q))
		if st != http.StatusOK || !strings.Contains(body, "Northern Parade Junior School") || strings.Contains(body, "Southwold") {
			t.Errorf("search %q: %d, want Northern Parade only", q, st)
		}
	}
	st, body := w.get("/schools/100001")
	if st != http.StatusOK || !strings.Contains(body, "dsl@northernparade.hackney.sch.uk") || strings.Contains(body, `action="/schools/100001"`) {
		t.Errorf("a worker's view of the school: %d; want its DSL and no edit form", st)
	}
	if st, _ := w.post("/schools/100001", url.Values{"dslEmail": {"x@northernparade.hackney.sch.uk"}, "open": {"yes"}}); st != http.StatusForbidden {
		t.Errorf("a worker's edit: %d, want 403", st)
	}

	m := r.browser()
	m.signIn("Maya Manager")
	for _, bad := range []string{"head@gmail.com", "Head <dsl@northernparade.hackney.sch.uk>", "a@northernparade.hackney.sch.uk, b@northernparade.hackney.sch.uk"} {
		st, body := m.post("/schools/100001", url.Values{"dslEmail": {bad}, "deputyDslEmail": {""}, "dslPhone": {"020 7946 0001"}, "open": {"yes"}})
		if st != http.StatusBadRequest || !strings.Contains(body, "govuk-error-message") || !strings.Contains(body, `value="`+html.EscapeString(bad)+`"`) {
			t.Errorf("edit to %q: %d, want 400 with the error beside the field and the input re-shown", bad, st)
		}
	}
	if sc, _ := r.suite.Store.GetSchool(ctx, authority, "100001"); sc.DSLEmail != "dsl@northernparade.hackney.sch.uk" {
		t.Fatalf("a refused edit changed the school: %+v", sc)
	}
	st, body = m.post("/schools/100001", url.Values{"dslEmail": {"new.dsl@northernparade.hackney.sch.uk"},
		"deputyDslEmail": {"deputy@northernparade.hackney.sch.uk"}, "dslPhone": {"020 7946 0001"}, "open": {"yes"}})
	if st != http.StatusOK || !strings.Contains(body, "Saved") {
		t.Fatalf("manager's edit: %d", st)
	}
	sc, err := r.suite.Store.GetSchool(ctx, authority, "100001")
	if err != nil || sc.DSLEmail != "new.dsl@northernparade.hackney.sch.uk" || sc.DeputyDSLEmail != "deputy@northernparade.hackney.sch.uk" || !sc.Open {
		t.Fatalf("school after the edit: %+v %v", sc, err)
	}
	evs, err := r.suite.Store.ListAudit(ctx, store.DirectoryTrail(authority))
	if err != nil {
		t.Fatal(err)
	}
	// Events stamped at one instant have no defined order (the rig's clock stands still): look the edit up.
	edited := false
	for _, ev := range evs {
		edited = edited || ev.Actor == "Maya Manager" && ev.Action == "schools.imported" && ev.Detail["urns"] == "100001"
	}
	if !edited {
		t.Errorf("no audit event names the manager's edit of 100001: %+v", evs)
	}
}
