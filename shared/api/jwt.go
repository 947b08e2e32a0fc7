package api

import (
	"net/http"
	"strings"

	"github.com/awslabs/aws-lambda-go-api-proxy/core"

	"github.com/safeguarding/mash/shared/domain"
)

// GroupsClaim is the JWT claim holding the caller's roles (a Cognito user pool's groups).
const GroupsClaim = "cognito:groups"

// AgencyClaim is the JWT claim naming a partner's agency.
const AgencyClaim = "custom:agency"

// JWTAuthenticator reads the identity API Gateway's JWT authorizer has already verified: the subject and
// the groups claim. A request without a verified JWT is unauthenticated.
func JWTAuthenticator(r *http.Request) (Identity, error) {
	rc, ok := core.GetAPIGatewayV2ContextFromContext(r.Context())
	if !ok || rc.Authorizer == nil || rc.Authorizer.JWT == nil {
		return Identity{}, domain.Errorf(domain.CodeForbidden, "no verified token")
	}
	claims := rc.Authorizer.JWT.Claims
	return Identity{Subject: claims["sub"], Roles: parseGroups(claims[GroupsClaim]), Agency: claims[AgencyClaim]}, nil
}

// parseGroups reads a groups claim as API Gateway passes it: "[a b]" or "a,b" or "a".
func parseGroups(s string) []string {
	s = strings.Trim(strings.TrimSpace(s), "[]")
	return strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' })
}
