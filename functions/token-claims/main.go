// Command token-claims is the Cognito user pool's pre-token-generation trigger: it copies the user's
// authority and agency into the access token. Wiring only: the handler is api.TokenClaims in shared/api. It
// touches no table, bucket or queue.
package main

import (
	"github.com/aws/aws-lambda-go/lambda"

	"github.com/safeguarding/mash/shared/api"
)

func main() {
	lambda.Start(api.TokenClaims)
}
