// Package events holds the sample inputs: emails (email/*.eml, embedded here so that `mash demo` works from
// any folder), SES and S3 events, API Gateway requests and API bodies for `sam local` and the tests.
package events

import "embed"

// Email holds the sample emails, email/*.eml.
//
//go:embed email/*.eml
var Email embed.FS
