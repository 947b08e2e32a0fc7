package infra

import (
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/safeguarding/mash/shared/api"
)

// Issue 14 "production sign-in": the stack makes its own Cognito user pool with one group per role; the app
// client cannot write the authority or agency; the authoriser trusts that pool and client and requires the
// API scope; the pre-token trigger puts the authority and agency into the access token.
func TestSignIn_UserPoolGroupsClientAndAuthoriser(t *testing.T) {
	tpl := loadTemplate(t, "template.yaml")
	pools := tpl.Names("AWS::Cognito::UserPool")
	if len(pools) != 1 {
		t.Fatalf("user pools %v, want one", pools)
	}
	pool := pools[0]
	var groups []string
	for _, g := range tpl.Names("AWS::Cognito::UserPoolGroup") {
		p := tpl.Properties(g)
		if p["UserPoolId"] != "${"+pool+"}" {
			t.Errorf("%s is in another pool: %v", g, p["UserPoolId"])
		}
		groups = append(groups, p["GroupName"].(string))
	}
	sort.Strings(groups)
	roles := slices.Sorted(slices.Values(api.Roles))
	if !slices.Equal(groups, roles) {
		t.Errorf("groups %v, want one per role %v", groups, roles)
	}
	pp := tpl.Properties(pool)
	if cfg, _ := pp["AdminCreateUserConfig"].(map[string]any); cfg["AllowAdminCreateUserOnly"] != true {
		t.Error("people can sign themselves up")
	}
	if pp["MfaConfiguration"] != "ON" {
		t.Errorf("MFA %v", pp["MfaConfiguration"])
	}
	lc, _ := pp["LambdaConfig"].(map[string]any)
	ptg, _ := lc["PreTokenGenerationConfig"].(map[string]any)
	if ptg["LambdaArn"] != "${TokenClaimsFunction.Arn}" || ptg["LambdaVersion"] != "V2_0" {
		t.Errorf("pre-token-generation trigger %v", ptg)
	}

	clients := tpl.Names("AWS::Cognito::UserPoolClient")
	if len(clients) != 1 {
		t.Fatalf("app clients %v", clients)
	}
	cp := tpl.Properties(clients[0])
	write := strs(cp["WriteAttributes"])
	if len(write) == 0 {
		t.Fatal("WriteAttributes unset: Cognito then lets the client write every attribute")
	}
	for _, a := range write {
		if strings.HasPrefix(a, "custom:") {
			t.Errorf("the app client may write %s", a)
		}
	}
	if !slices.Contains(strs(cp["AllowedOAuthScopes"]), api.APIScope) {
		t.Errorf("the client cannot ask for %s: %v", api.APIScope, cp["AllowedOAuthScopes"])
	}
	if len(tpl.Names("AWS::Cognito::UserPoolDomain")) != 1 {
		t.Error("no hosted sign-in domain")
	}

	auth, _ := tpl.Properties("Api")["Auth"].(map[string]any)
	jwt, _ := auth["Authorizers"].(map[string]any)["Jwt"].(map[string]any)
	cfg, _ := jwt["JwtConfiguration"].(map[string]any)
	if !slices.Equal(strs(jwt["AuthorizationScopes"]), []string{api.APIScope}) {
		t.Errorf("authoriser scopes %v", jwt["AuthorizationScopes"])
	}
	if iss, _ := cfg["issuer"].(string); !strings.HasSuffix(iss, "/${"+pool+"}") {
		t.Errorf("issuer %v is not this stack's pool", cfg["issuer"])
	}
	if !slices.Equal(strs(cfg["audience"]), []string{"${" + clients[0] + "}"}) {
		t.Errorf("audience %v", cfg["audience"])
	}
}
