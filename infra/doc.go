// Package infra holds what deploys the MASH front door to AWS and the checks that keep it honest.
//
// template.yaml (repository root) is the SAM template: one stack per authority, with the environments in
// infra/samconfig.toml and the SAM build rules in infra/sambuild/Makefile. This package parses the template
// with goformation and reports, as a list of problems, everything the house rules forbid: an Allow of a `*`
// action, a `*` resource outside a short allow-list of actions that have no resource type, storage or queues
// without the stack's KMS key, log groups without retention or encryption, asynchronously invoked functions
// without a dead-letter queue, queues without an alarm, and functions/ folders without a function resource
// (and the reverse). The tests run those checks on template.yaml and on a deliberately broken copy in
// testdata, and run `sam validate --lint`, `cfn-lint` and a native `sam build` from the project's virtualenv.
//
// Design notes:
//   - goformation v7 does not model every SAM property (for example AWS::Serverless::Function LoggingConfig).
//     Load renders intrinsic functions to strings ("${Table.Arn}"), strips what goformation cannot decode
//     before the typed parse, and keeps the generic document for those parts.
//   - Deny statements are not checked for wildcards: a broad Deny (the TLS-only bucket and queue policies)
//     only ever takes permission away.
//   - In a KMS key policy Resource "*" means the key itself; the only wildcard action allowed there is the
//     account root's kms:* that delegates key access to IAM (AWS's default key policy).
package infra
