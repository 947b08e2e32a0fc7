package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/awslabs/aws-lambda-go-api-proxy/core"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"
	"github.com/getkin/kin-openapi/openapi3"

	"github.com/safeguarding/mash/shared/api"
)

var updateEvents = flag.Bool("update-events", false, "rewrite events/apigw from api/openapi.yaml")

const apigwDir = "../../events/apigw"

// samplePathValues fill the path parameters of the API Gateway sample events. The contact is named by the
// reference the first sample referral gets in the rig (people quote references; ids are random).
var samplePathValues = map[string]string{"{id}": "HAC-2027-000001", "{check}": "chk_00000000000000000000", "{tray}": "rating",
	"{item}": "ctc_00000000000000000000%23rating"}

// sampleBodies are the request bodies of the operations; the intake ones are the API samples in events/api.
var sampleBodies = map[string]string{
	"postReferral":    "@referral.json",
	"postPPN":         "@ppn.json",
	"postContact":     "@phone-contact.json",
	"postOOH":         "@phone-contact.json",
	"claim":           `{"tray":"rating"}`,
	"rate":            `{"value":"amber","rationale":"sam local: needs checks; no immediate risk"}`,
	"decide":          `{"outcome":"s17-assessment","rationale":"sam local: child in need assessment"}`,
	"overrideConsent": `{"rationale":"sam local: urgent safety concern","legalBasis":"s47"}`,
	"answerCheck":     `{"summary":"sam local: nothing further known","nothingKnown":true}`,
	"recordOOHAction": `{"action":"sam local: phoned the family; the child is safe tonight"}`,
	"closeTrayItem":   `{"note":"sam local: the cause fixed, the contact decided by hand"}`,
}

// apigwEvents builds one API Gateway HTTP API (v2) request per operation of the contract, as API Gateway
// hands it to intake-api after its JWT authoriser: a Cognito access token's claims for a role the operation
// allows, of the hackney stack.
func apigwEvents(t *testing.T) map[string]events.APIGatewayV2HTTPRequest {
	doc, _ := loadSpec(t)
	out := map[string]events.APIGatewayV2HTTPRequest{}
	for p, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			name := op.OperationID
			if name == "" {
				name = strings.ToLower(method) + strings.NewReplacer("/", "-", "{", "", "}", "").Replace(p)
			}
			roles, _ := op.Extensions["x-roles"].([]any)
			if len(roles) == 0 {
				t.Fatalf("%s %s has no x-roles", method, p)
			}
			role := roles[0].(string)
			if slices.ContainsFunc(roles, func(r any) bool { return r == api.RoleManager }) {
				role = api.RoleManager
			}
			path := p
			for k, v := range samplePathValues {
				path = strings.ReplaceAll(path, k, v)
			}
			if strings.HasPrefix(p, "/v1/quarantine/") {
				path = strings.ReplaceAll(p, "{id}", "q_00000000000000000000")
			}
			body := ""
			if op.RequestBody != nil {
				body = sampleBody(t, name, op)
			}
			query := ""
			if name == "listContacts" {
				query = "status=awaiting-rating"
			}
			claims := map[string]string{"sub": "5a1e0c4e-0000-4000-8000-000000000001", "username": "sam-local-" + role,
				"token_use": "access", "scope": api.APIScope, api.GroupsClaim: "[" + role + "]", api.AuthorityClaim: "hackney"}
			if role == api.RolePartner {
				claims[api.AgencyClaim] = "police"
			}
			ev := events.APIGatewayV2HTTPRequest{
				Version: "2.0", RouteKey: method + " " + p, RawPath: path, RawQueryString: query,
				Headers: map[string]string{"content-type": "application/json", "authorization": "Bearer <a Cognito access token>"},
				Body:    body,
				RequestContext: events.APIGatewayV2HTTPRequestContext{
					RouteKey: method + " " + p, AccountID: "000000000000", Stage: "$default", RequestID: "sam-local-" + name,
					APIID: "local", DomainName: "localhost", DomainPrefix: "localhost", Time: "10/Mar/2027:10:00:00 +0000", TimeEpoch: 1804672800000,
					HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: method, Path: path, Protocol: "HTTP/1.1",
						SourceIP: "127.0.0.1", UserAgent: "sam-local"},
					Authorizer: &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
						JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{Claims: claims}},
				},
			}
			if query != "" {
				ev.QueryStringParameters = map[string]string{"status": "awaiting-rating"}
			}
			out[name] = ev
		}
	}
	return out
}

func sampleBody(t *testing.T, name string, op *openapi3.Operation) string {
	b, ok := sampleBodies[name]
	if !ok {
		if mt := op.RequestBody.Value.Content.Get("application/json"); mt != nil && mt.Example != nil {
			j, err := json.Marshal(mt.Example)
			if err != nil {
				t.Fatal(err)
			}
			return string(j)
		}
		if mt := op.RequestBody.Value.Content.Get("application/json"); mt != nil && mt.Schema != nil && mt.Schema.Value.Type.Is("array") {
			return "[]"
		}
		return "{}"
	}
	if file, ok := strings.CutPrefix(b, "@"); ok {
		var v any
		if err := json.Unmarshal(sample(t, file), &v); err != nil {
			t.Fatal(err)
		}
		j, _ := json.Marshal(v)
		return string(j)
	}
	return b
}

// events/apigw holds an API Gateway v2 request for every route of the contract (for `sam local invoke
// IntakeApiFunction -e events/apigw/<operation>.json`), generated from api/openapi.yaml; a test fails when
// they differ (go test ./shared/api -run TestSAMLocal_APIGatewayEvents -update-events).
func TestSAMLocal_APIGatewayEventsAreCurrent(t *testing.T) {
	want := apigwEvents(t)
	if *updateEvents {
		if err := os.RemoveAll(apigwDir); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(apigwDir, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, ev := range want {
			b, err := json.MarshalIndent(ev, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(apigwDir, name+".json"), append(b, '\n'), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	files, _ := filepath.Glob(filepath.Join(apigwDir, "*.json"))
	if len(files) != len(want) {
		t.Errorf("%d events in %s, %d operations in the contract (go test ./shared/api -run TestSAMLocal -update-events)", len(files), apigwDir, len(want))
	}
	for name, ev := range want {
		got, err := os.ReadFile(filepath.Join(apigwDir, name+".json"))
		b, _ := json.MarshalIndent(ev, "", "  ")
		if err != nil || !bytes.Equal(got, append(b, '\n')) {
			t.Errorf("events/apigw/%s.json is missing or out of date (go test ./shared/api -run TestSAMLocal -update-events)", name)
		}
	}
}

// Each sample event, sent through the same adapter intake-api uses (httpadapter.NewV2) with the production
// authenticator (api.JWTAuthenticator), reaches its route and gets an answer the contract allows: the events
// are requests API Gateway could hand the function. Intake first, so that HAC-2027-000001 exists.
func TestSAMLocal_APIGatewayEventsReachTheirRoutes(t *testing.T) {
	rg := newRig(t)
	proxy := httpadapter.NewV2(rg.suite.API(hackney, api.JWTAuthenticator))
	files, err := filepath.Glob(filepath.Join(apigwDir, "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no events in %s: %v", apigwDir, err)
	}
	first := map[string]int{"postReferral.json": 0, "postPPN.json": 1, "postContact.json": 2, "postOOH.json": 3}
	sort.SliceStable(files, func(i, j int) bool {
		a, aok := first[filepath.Base(files[i])]
		b, bok := first[filepath.Base(files[j])]
		if aok != bok {
			return aok
		}
		return aok && a < b || !aok && files[i] < files[j]
	})
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var ev events.APIGatewayV2HTTPRequest
		if err := json.Unmarshal(raw, &ev); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		rg.clock.Advance(time.Second)
		out, err := proxy.ProxyWithContext(context.Background(), ev)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		switch out.StatusCode {
		case http.StatusUnauthorized, http.StatusForbidden, http.StatusMethodNotAllowed:
			t.Errorf("%s: %d %s", filepath.Base(f), out.StatusCode, out.Body)
		}
		if filepath.Base(f) == "postReferral.json" && out.StatusCode != http.StatusCreated {
			t.Fatalf("the sample referral: %d %s", out.StatusCode, out.Body)
		}
		if filepath.Base(f) == "getContact.json" && out.StatusCode != http.StatusOK {
			t.Errorf("GET the sample referral by its reference: %d %s", out.StatusCode, out.Body)
		}
		req, err := (&core.RequestAccessorV2{}).EventToRequest(ev)
		if err != nil {
			t.Fatal(err)
		}
		req.Host = "example.com"
		hdr := http.Header{}
		for k, v := range out.Headers {
			hdr.Set(k, v)
		}
		checkExchange(t, req, []byte(ev.Body), out.StatusCode, hdr, []byte(out.Body))
	}
}
