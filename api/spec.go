// Package apispec carries the HTTP API's contract, openapi.yaml beside this file, into the binaries that
// serve it to people (the console links it), so the document a user reads is the one the tests check.
package apispec

import _ "embed"

// OpenAPI is api/openapi.yaml, byte for byte.
//
//go:embed openapi.yaml
var OpenAPI []byte
