// Package events holds the sample inputs: emails (email/*.eml, embedded here so that `mash demo` works from
// any folder), SES and S3 events, API Gateway requests and API bodies for `sam local` and the tests.
package events

import "embed"

// Email holds the sample emails, email/*.eml.
//
//go:embed email/*.eml
var Email embed.FS

// Schools holds the sample school directories, schools/<authority>.csv: fictional schools of the project's
// own making on each authority's allowed school domain (`mash demo` loads the authority's).
//
//go:embed schools/*.csv
var Schools embed.FS

// PPNs holds the sample PPN bodies the demo sends, api/ppn-<authority>-*.json.
//
//go:embed api/ppn-*-*.json
var PPNs embed.FS
