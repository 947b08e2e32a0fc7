// Package statemachines carries the Amazon States Language definitions (JSONPath) that AWS Step Functions
// runs in production and that shared/flow executes locally and in tests.
package statemachines

import _ "embed"

// Contact is contact.asl.json: one contact from arrival to notifications.
//
//go:embed contact.asl.json
var Contact []byte

// Earlier are the contact machine's earlier definitions, by the contract they speak (shared/workflow
// Contract), each a copy of contact.asl.json as it was: an execution started under one runs to its end on it
// (Step Functions does so on AWS; the local runner resumes it on its definition, shared/local), and the
// handlers still serve it (docs/deployment.md "Changing the state machine").
var Earlier = map[int][]byte{1: contract1, 2: contract2, 3: contract3}

// The definition before the named outcomes (commit 3738ffd^).
//
//go:embed earlier/contact.contract1.asl.json
var contract1 []byte

// The definition with the named outcomes and a Map of one task-token wait per agency (before RequestChecks).
//
//go:embed earlier/contact.contract2.asl.json
var contract2 []byte

// The definition with one wait for all partner checks (RequestChecks), whose end the replan step followed
// (before the answer that ends the checks wait carried the decision's plan).
//
//go:embed earlier/contact.contract3.asl.json
var contract3 []byte
