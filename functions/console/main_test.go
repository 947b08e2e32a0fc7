package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"

	"github.com/safeguarding/mash/shared/adapters/secrets"
	"github.com/safeguarding/mash/shared/api"
	"github.com/safeguarding/mash/shared/clock"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/store/dynamo"
	"github.com/safeguarding/mash/shared/testenv"
	"github.com/safeguarding/mash/shared/testenv/oidctest"
)

type lambdaHandler func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error)

// coldStart is one instance of the function: newHandler from the environment, behind the API Gateway v2
// adapter, as main starts it.
func coldStart(t *testing.T) lambdaHandler {
	t.Helper()
	h, err := newHandler(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return httpadapter.NewV2(h).ProxyWithContext
}

// sample is events/console/get-root.json (the `sam local invoke ConsoleFunction` sample) for another
// request.
func sample(t *testing.T, path, query string, cookies []string) events.APIGatewayV2HTTPRequest {
	t.Helper()
	b, err := os.ReadFile("../../events/console/get-root.json")
	if err != nil {
		t.Fatal(err)
	}
	var ev events.APIGatewayV2HTTPRequest
	if err := json.Unmarshal(b, &ev); err != nil {
		t.Fatal(err)
	}
	ev.RawPath, ev.RequestContext.HTTP.Path, ev.RawQueryString, ev.Cookies = path, path, query, cookies
	return ev
}

// cookiesOf turns a response's Set-Cookie values into the request cookies a browser would send.
func cookiesOf(resp events.APIGatewayV2HTTPResponse, keep []string) []string {
	jar := map[string]string{}
	for _, c := range keep {
		name, _, _ := strings.Cut(c, "=")
		jar[name] = c
	}
	for _, sc := range resp.Cookies {
		c, err := http.ParseSetCookie(sc)
		if err != nil {
			continue
		}
		if c.MaxAge < 0 {
			delete(jar, c.Name)
			continue
		}
		jar[c.Name] = c.Name + "=" + c.Value
	}
	var out []string
	for _, c := range jar {
		out = append(out, c)
	}
	return out
}

// Issue 15 "a console function behind the HTTP API": the Lambda handler, invoked in-process with API Gateway
// v2 events against DynamoDB Local, its session key in Secrets Manager (moto) and a local OIDC issuer in place
// of the user pool's hosted UI: an anonymous GET / is sent to sign in; the sign-in goes to the provider and
// back; the session then gets the page and a contact read from DynamoDB; a second cold start (a new instance,
// or a deployment) accepts the same session, because the key is the stack's, not the instance's.
func TestConsoleFunction_ServesThePagesFromDynamoDB(t *testing.T) {
	ddb, err := testenv.StartDynamoDBLocal()
	if err != nil {
		t.Fatal(err)
	}
	defer ddb.Stop()
	moto, err := testenv.StartMoto()
	if err != nil {
		t.Fatal(err)
	}
	defer moto.Stop()
	ctx := context.Background()
	client, err := dynamo.NewClient(ctx, ddb.Endpoint, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := dynamo.CreateTable(ctx, client, "mash-hackney"); err != nil {
		t.Fatal(err)
	}
	creds := aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{AccessKeyID: "local", SecretAccessKey: "local"}, nil
	})
	arn, err := secrets.Client{AWS: aws.Config{Region: "eu-west-2", BaseEndpoint: aws.String(moto.Endpoint), Credentials: creds}}.
		Create(ctx, "mash-hackney-console-session", "Zq3v8N0cRk2yWm5Tb7Xa1Lp4Hd6Gs9Jf0Qe2Ui4Oo6Ya8Rt")
	if err != nil {
		t.Fatal(err)
	}
	is := oidctest.Start(t, "console-client", clock.System)
	is.User = oidctest.User{Sub: "5a1e0c4e-0001", Email: "maya.manager@hackney.gov.uk", Groups: []string{api.RoleManager}, Authority: "hackney"}
	const consoleURL = "https://mash.hackney.example"
	for k, v := range map[string]string{
		"AUTHORITY": "hackney", "TABLE_NAME": "mash-hackney", "CONSOLE_URL": consoleURL, "LOG_LEVEL": "ERROR",
		"STATE_MACHINE_ARN": "arn:aws:states:eu-west-2:000000000000:stateMachine:mash-hackney-contact",
		"RAW_BUCKET":        "mash-hackney-raw-mail-000000000000-eu-west-2", "KMS_KEY_ID": "",
		"AWS_REGION": "eu-west-2", "AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local", "AWS_SESSION_TOKEN": "",
		"AWS_ENDPOINT_URL": moto.Endpoint, "AWS_ENDPOINT_URL_DYNAMODB": ddb.Endpoint, "AWS_ENDPOINT_URL_SECRETS_MANAGER": "",
		"OIDC_ISSUER": is.URL, "OIDC_CLIENT_ID": "console-client", "OIDC_LOGOUT_URL": is.URL + "/logout",
		"SESSION_SECRET_ARN": arn,
	} {
		t.Setenv(k, v)
	}
	// A contact in the table, as intake writes it.
	st := dynamo.New(client, "mash-hackney", clock.System)
	c := &domain.Contact{ID: domain.NewContactID(), Authority: "hackney", Channel: domain.ChannelPhone, ReceivedAt: clock.System().UTC(),
		Status: domain.StatusAwaitingRating, Child: domain.Child{GivenName: "Ada", FamilyName: "Lovelock", DateOfBirth: domain.Date{Y: 2018, M: 5, D: 1}},
		Concerns: "Seen with a bruise."}
	if err := st.CreateContact(ctx, c, store.IdempotencyKey{}, store.AuditEvent{Actor: "test", Action: "contact.created"}); err != nil {
		t.Fatal(err)
	}

	fn := coldStart(t)
	get := func(fn lambdaHandler, path, query string, cookies []string) events.APIGatewayV2HTTPResponse {
		t.Helper()
		resp, err := fn(ctx, sample(t, path, query, cookies))
		if err != nil {
			t.Fatal(err)
		}
		if resp.Headers["Content-Security-Policy"] == "" {
			t.Errorf("GET %s: no Content-Security-Policy", path)
		}
		return resp
	}
	// The sample event as SAM local sends it: anonymous, so to the sign-in page.
	resp := get(fn, "/", "", nil)
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Headers["Location"], "/signin") {
		t.Fatalf("anonymous GET /: %d %v", resp.StatusCode, resp.Headers)
	}
	jar := cookiesOf(resp, nil)
	resp = get(fn, "/signin", "next=/", jar)
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Body, "/signin/start") {
		t.Fatalf("the sign-in page: %d", resp.StatusCode)
	}
	// The button: to the provider, which signs the user in and sends the browser back to /signed-in.
	resp = get(fn, "/signin/start", "next=/", jar)
	jar = cookiesOf(resp, jar)
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Headers["Location"], is.URL+"/oauth2/authorize?") {
		t.Fatalf("/signin/start: %d %v", resp.StatusCode, resp.Headers)
	}
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	at, err := noFollow.Get(resp.Headers["Location"])
	if err != nil {
		t.Fatal(err)
	}
	at.Body.Close()
	back, _ := url.Parse(at.Header.Get("Location"))
	if back.Scheme+"://"+back.Host != consoleURL || back.Path != "/signed-in" {
		t.Fatalf("the provider sends the browser back to %s, want %s/signed-in", back, consoleURL)
	}
	resp = get(fn, "/signed-in", back.RawQuery, jar)
	jar = cookiesOf(resp, jar)
	if resp.StatusCode != http.StatusSeeOther || resp.Headers["Location"] != "/" {
		t.Fatalf("/signed-in: %d %v %s", resp.StatusCode, resp.Headers, resp.Body)
	}
	for _, sc := range resp.Cookies {
		if strings.HasPrefix(sc, "mash_session=") && (!strings.Contains(sc, "Secure") || !strings.Contains(sc, "HttpOnly")) {
			t.Fatalf("the session cookie must be Secure and HttpOnly: %s", sc)
		}
	}
	resp = get(fn, "/", "", jar)
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Body, "My work") || !strings.Contains(resp.Body, "maya.manager@hackney.gov.uk") {
		t.Fatalf("signed in, GET /: %d", resp.StatusCode)
	}
	resp = get(fn, "/contacts/"+string(c.ID), "", jar)
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Body, "Lovelock") {
		t.Fatalf("the contact page from DynamoDB: %d", resp.StatusCode)
	}
	// The read is audited with the reader, in the same table.
	evs, err := st.ListAudit(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	audited := false
	for _, e := range evs {
		audited = audited || e.Action == "contact.read" && e.Actor == "maya.manager@hackney.gov.uk"
	}
	if !audited {
		t.Fatalf("the console's read is not audited with the reader: %+v", evs)
	}

	// Another instance (a cold start, or the next deployment) reads the same key: the session holds.
	second := coldStart(t)
	resp = get(second, "/", "", jar)
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Body, "My work") {
		t.Fatalf("after a cold start the session is not accepted: %d %v", resp.StatusCode, resp.Headers)
	}
	// A form through API Gateway (the body base64-encoded, as HTTP APIs pass form posts): sign out, with the
	// page's CSRF token, to the hosted UI's logout and back to /signed-out; the session is over.
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(resp.Body)
	if csrf == nil {
		t.Fatal("no CSRF token on the page")
	}
	post := sample(t, "/signout", "", jar)
	post.RouteKey, post.RequestContext.RouteKey, post.RequestContext.HTTP.Method = "ANY /{proxy+}", "ANY /{proxy+}", http.MethodPost
	post.Headers = map[string]string{"content-type": "application/x-www-form-urlencoded"}
	post.Body, post.IsBase64Encoded = base64.StdEncoding.EncodeToString([]byte(url.Values{"csrf": {csrf[1]}}.Encode())), true
	resp, err = second(ctx, post)
	if err != nil {
		t.Fatal(err)
	}
	logout := is.URL + "/logout?" + url.Values{"client_id": {"console-client"}, "logout_uri": {consoleURL + "/signed-out"}}.Encode()
	if resp.StatusCode != http.StatusSeeOther || resp.Headers["Location"] != logout {
		t.Fatalf("sign out: %d to %s, want %s", resp.StatusCode, resp.Headers["Location"], logout)
	}
	jar = cookiesOf(resp, jar)
	if resp := get(second, "/", "", jar); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("after signing out: %d, want the sign-in redirect", resp.StatusCode)
	}
	if resp := get(second, "/signed-out", "", jar); resp.StatusCode != http.StatusOK || !strings.Contains(resp.Body, "You have signed out") {
		t.Fatalf("/signed-out: %d", resp.StatusCode)
	}

	// The session key cannot be read (here: a secret that does not exist): a 503 saying nothing internal,
	// tried again at the next request.
	t.Setenv("SESSION_SECRET_ARN", "arn:aws:secretsmanager:eu-west-2:000000000000:secret:no-such-secret")
	resp = get(coldStart(t), "/", "", nil)
	if resp.StatusCode != http.StatusServiceUnavailable || strings.Contains(resp.Body, "ResourceNotFound") || strings.Contains(resp.Body, "secret") {
		t.Fatalf("no session key: %d %q", resp.StatusCode, resp.Body)
	}
}
