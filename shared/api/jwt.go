package api

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/awslabs/aws-lambda-go-api-proxy/core"

	"github.com/safeguarding/mash/shared/domain"
)

// Claims of the Cognito access token (template.yaml: UserPool, the TokenClaims trigger adds the two custom
// ones from attributes the user cannot write).
const (
	// GroupsClaim is the JWT claim holding the caller's roles (a Cognito user pool's groups).
	GroupsClaim = "cognito:groups"
	// AgencyClaim is the JWT claim naming a partner's agency.
	AgencyClaim = "custom:agency"
	// AuthorityClaim names the council the user belongs to.
	AuthorityClaim = "custom:authority"
	// UserClaim names the person for the audit trail: the user's email, added by the TokenClaims trigger
	// (with email as the user name, Cognito's own "username" claim is an opaque id).
	UserClaim = "mash:user"
	// APIScope is the resource-server scope every access token for the API must carry (the authoriser
	// requires it too).
	APIScope = "mash/api"
)

// JWTAuthenticator reads the identity API Gateway's JWT authorizer has already verified (signature, issuer,
// audience, expiry, scope): the subject, the groups, the authority and the agency. A request without a
// verified JWT is unauthenticated; a token without the API scope or the authority claim is refused too,
// should the authoriser ever be misconfigured. Whether the authority is this stack's is the guard's check.
func JWTAuthenticator(r *http.Request) (Identity, error) {
	rc, ok := core.GetAPIGatewayV2ContextFromContext(r.Context())
	if !ok || rc.Authorizer == nil || rc.Authorizer.JWT == nil {
		return Identity{}, errors.New("no verified token")
	}
	return claimsIdentity(rc.Authorizer.JWT.Claims, rc.Authorizer.JWT.Scopes)
}

// claimsIdentity maps verified claims to an identity.
func claimsIdentity(claims map[string]string, scopes []string) (Identity, error) {
	if claims["token_use"] != "" && claims["token_use"] != "access" {
		return Identity{}, errors.New("not an access token")
	}
	scope := append(slices.Clone(scopes), strings.Fields(claims["scope"])...)
	if !slices.Contains(scope, APIScope) {
		return Identity{}, errors.New("token lacks the API scope")
	}
	if claims[AuthorityClaim] == "" {
		return Identity{}, errors.New("token lacks the authority claim")
	}
	return Identity{Subject: subjectOf(claims), Roles: parseGroups(claims[GroupsClaim]), Agency: claims[AgencyClaim],
		Authority: domain.AuthorityID(claims[AuthorityClaim])}, nil
}

// IdentityFromClaims maps the claims of an access token verified elsewhere (the console verifies the
// Cognito tokens of its own sign-in, shared/console oidc.go) exactly as the API maps the authoriser's: the
// claims are first put in the shape API Gateway passes them (strings; a list as "[a b]"), then read by the
// same claimsIdentity.
func IdentityFromClaims(claims map[string]any) (Identity, error) {
	flat := make(map[string]string, len(claims))
	for k, v := range claims {
		switch v := v.(type) {
		case string:
			flat[k] = v
		case []any:
			parts := make([]string, 0, len(v))
			for _, x := range v {
				if s, ok := x.(string); ok {
					parts = append(parts, s)
				}
			}
			flat[k] = "[" + strings.Join(parts, " ") + "]"
		case float64:
			flat[k] = strconv.FormatFloat(v, 'f', -1, 64)
		case bool:
			flat[k] = strconv.FormatBool(v)
		}
	}
	return claimsIdentity(flat, nil)
}

// subjectOf is the name the audit trail records: the user's email (unique in the pool), else the Cognito
// user name, else the subject.
func subjectOf(claims map[string]string) string {
	if u := claims[UserClaim]; u != "" {
		return u
	}
	if u := claims["username"]; u != "" {
		return u
	}
	return claims["sub"]
}

// parseGroups reads a groups claim as API Gateway passes it: "[a b]" or "a,b" or "a".
func parseGroups(s string) []string {
	s = strings.Trim(strings.TrimSpace(s), "[]")
	return strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' })
}
