package api

import (
	"context"
	"errors"

	"github.com/aws/aws-lambda-go/events"
)

// TokenClaims is the user pool's pre-token-generation trigger (V2_0, template.yaml TokenClaimsFunction):
// Cognito puts groups in access tokens but not custom attributes, so it copies the user's authority and
// agency — attributes only an administrator can set (the app client may not write them) — into the access
// token the API reads (JWTAuthenticator), with the user's email as the name the audit trail records. A user without an authority gets no token: deny by default.
func TokenClaims(_ context.Context, ev events.CognitoEventUserPoolsPreTokenGenV2_0) (events.CognitoEventUserPoolsPreTokenGenV2_0, error) {
	attrs := ev.Request.UserAttributes
	if attrs[AuthorityClaim] == "" {
		return ev, errors.New("this user has no authority: an administrator must set custom:authority")
	}
	claims := map[string]any{AuthorityClaim: attrs[AuthorityClaim]}
	if a := attrs[AgencyClaim]; a != "" {
		claims[AgencyClaim] = a
	}
	if e := attrs["email"]; e != "" {
		claims[UserClaim] = e
	}
	ev.Response.ClaimsAndScopeOverrideDetails.AccessTokenGeneration.ClaimsToAddOrOverride = claims
	return ev, nil
}
