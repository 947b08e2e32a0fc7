package api_test

import (
	"bytes"
	"context"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/safeguarding/mash/shared/api"
	"github.com/safeguarding/mash/shared/domain"
)

// The API's contract is api/openapi.yaml. Every request the API tests make through the rig, and every
// response they get, is validated against it (kin-openapi, test-only: no Lambda binary links it):
//   - a response must match its operation's documented status and body, whatever the request was;
//   - a request the contract rejects must be refused by the server too (4xx): the contract may not be
//     looser than the server, nor the server than the contract.

const specPath = "../../api/openapi.yaml"

var spec struct {
	once   sync.Once
	doc    *openapi3.T
	router routers.Router
	err    error
}

func loadSpec(t testing.TB) (*openapi3.T, routers.Router) {
	t.Helper()
	spec.once.Do(func() {
		loader := openapi3.NewLoader()
		doc, err := loader.LoadFromFile(specPath)
		if err != nil {
			spec.err = err
			return
		}
		if err := doc.Validate(context.Background()); err != nil {
			spec.err = err
			return
		}
		// Test requests go to httptest's example.com; the contract's paths are what is routed.
		doc.Servers = openapi3.Servers{{URL: "http://example.com"}}
		spec.doc = doc
		spec.router, spec.err = legacy.NewRouter(doc)
	})
	if spec.err != nil {
		t.Fatalf("%s: %v", specPath, spec.err)
	}
	return spec.doc, spec.router
}

var filterOptions = &openapi3filter.Options{
	AuthenticationFunc:    openapi3filter.NoopAuthenticationFunc, // the rig's identities travel in test headers
	IncludeResponseStatus: true,
	MultiError:            true,
}

// checkExchange validates one request (with its body) and the response the handler gave.
func checkExchange(t testing.TB, req *http.Request, body []byte, status int, header http.Header, respBody []byte) {
	t.Helper()
	_, router := loadSpec(t)
	r := req.Clone(context.Background())
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.URL.Scheme, r.URL.Host = "http", "example.com"
	route, params, err := router.FindRoute(r)
	if err != nil {
		t.Errorf("openapi: %s %s is not in %s: %v", req.Method, req.URL.Path, specPath, err)
		return
	}
	in := &openapi3filter.RequestValidationInput{Request: r, PathParams: params, Route: route, Options: filterOptions}
	reqErr := openapi3filter.ValidateRequest(context.Background(), in)
	if reqErr != nil && status < 400 {
		t.Errorf("openapi: the server accepted (%d) %s %s, which the contract refuses: %v\nbody: %.300s", status, req.Method, req.URL.Path, reqErr, body)
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: status, Header: header, Options: filterOptions}
	out.SetBodyBytes(respBody)
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		t.Errorf("openapi: the response to %s %s (%d) does not match the contract: %v\nbody: %.500s", req.Method, req.URL.Path, status, err, respBody)
	}
}

// serveChecked serves req (whose body is body) with h and validates the exchange against the contract.
func serveChecked(t testing.TB, h http.Handler, req *http.Request, body []byte) *httptest.ResponseRecorder {
	t.Helper()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	checkExchange(t, req, body, w.Code, w.Header(), w.Body.Bytes())
	return w
}

// Every route of Handler() is in the contract, and the contract has no route Handler() lacks; each
// operation's x-roles are the roles the route's guard lets in.
func TestOpenAPI_EveryRouteIsDescribed(t *testing.T) {
	doc, _ := loadSpec(t)
	src, err := os.ReadFile("api.go")
	if err != nil {
		t.Fatal(err)
	}
	var inSource []string
	for _, m := range regexp.MustCompile(`m\.Handle\("([^"]+)"`).FindAllStringSubmatch(string(src), -1) {
		inSource = append(inSource, m[1])
	}
	var inSpec []string
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			route := method + " " + path
			inSpec = append(inSpec, route)
			roles, _ := op.Extensions["x-roles"].([]any)
			var got []string
			for _, r := range roles {
				got = append(got, r.(string))
			}
			want, ok := routeRoles[route]
			if !ok {
				continue
			}
			if !slices.Equal(slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(want))) {
				t.Errorf("%s: x-roles %v, the guard lets in %v", route, got, want)
			}
		}
	}
	sort.Strings(inSource)
	sort.Strings(inSpec)
	for _, r := range inSource {
		if !slices.Contains(inSpec, r) {
			t.Errorf("route %q is served (api.go) but missing from %s", r, specPath)
		}
	}
	for _, r := range inSpec {
		if !slices.Contains(inSource, r) {
			t.Errorf("route %q is in %s but not served", r, specPath)
		}
	}
}

// The contract's enums are the Go vocabularies, so that a value added in Go is added to the contract.
func TestOpenAPI_EnumsAreTheVocabularies(t *testing.T) {
	doc, _ := loadSpec(t)
	enum := func(name string) []string {
		s, ok := doc.Components.Schemas[name]
		if !ok {
			t.Fatalf("no schema %s", name)
		}
		var out []string
		for _, v := range s.Value.Enum {
			out = append(out, v.(string))
		}
		return out
	}
	strs := func(vs ...string) []string { return vs }
	cases := map[string][]string{
		"Status":                    toStrings(domain.Statuses),
		"Channel":                   toStrings(domain.Channels),
		"Rating":                    toStrings(domain.Ratings),
		"ConsentStatus":             toStrings(domain.ConsentStatuses),
		"LegalBasis":                toStrings(domain.LegalBases),
		"Agency":                    toStrings(domain.Agencies),
		"OutcomeCode":               toStrings(domain.OutcomeCodes),
		"Route":                     strs(string(domain.RouteMASH), string(domain.RouteOOHQueue), string(domain.RouteEDTNow)),
		"Tray":                      api.Trays,
		"ClaimTray":                 api.ClaimTrays,
		"Role":                      api.Roles,
		"SupportingFamiliesOutcome": toStrings(domain.SupportingFamiliesOutcomes),
	}
	for _, name := range slices.Sorted(maps.Keys(cases)) {
		if got, want := enum(name), cases[name]; !slices.Equal(got, want) {
			t.Errorf("schema %s enum %v, Go has %v", name, got, want)
		}
	}
}

func toStrings[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

// The README and the docs link the contract.
func TestOpenAPI_IsLinked(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "api/openapi.yaml") {
		t.Error("README.md does not link api/openapi.yaml")
	}
}

// kin-openapi is a test dependency only: no function binary and not mash links it, so no binary grows.
func TestOpenAPI_ValidatorIsTestOnly(t *testing.T) {
	cmd := exec.Command("go", "list", "-deps", "./functions/...", "./cmd/...")
	cmd.Dir = "../.."
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, p := range strings.Fields(string(out)) {
		if strings.Contains(p, "getkin/kin-openapi") || strings.Contains(p, "santhosh-tekuri/jsonschema") {
			t.Errorf("a binary links %s", p)
		}
	}
}
