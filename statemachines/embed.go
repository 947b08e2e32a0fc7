// Package statemachines carries the Amazon States Language definitions (JSONPath) that AWS Step Functions
// runs in production and that shared/flow executes locally and in tests.
package statemachines

import _ "embed"

// Contact is contact.asl.json: one contact from arrival to notifications.
//
//go:embed contact.asl.json
var Contact []byte
