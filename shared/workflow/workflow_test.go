package workflow_test

import (
	"encoding/json"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/safeguarding/mash/shared/workflow"
	"github.com/safeguarding/mash/statemachines"
)

// collectErrorNames walks an ASL document and returns every ErrorEquals name that is not a States.* one.
func collectErrorNames(v any, into map[string]bool) {
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			if k == "ErrorEquals" {
				for _, n := range val.([]any) {
					if s := n.(string); !strings.HasPrefix(s, "States.") && !strings.HasPrefix(s, "Lambda.") {
						into[s] = true
					}
				}
				continue
			}
			collectErrorNames(val, into)
		}
	case []any:
		for _, val := range x {
			collectErrorNames(val, into)
		}
	}
}

// docs/architecture.md "Errors that mean something": every Lambda error type the ASL catches or retries has a Go type
// whose name equals the ErrorEquals string (aws-lambda-go reports the type name as errorType).
func TestASLErrorNamesArePinnedToGoTypes(t *testing.T) {
	var doc any
	if err := json.Unmarshal(statemachines.Contact, &doc); err != nil {
		t.Fatal(err)
	}
	named := map[string]bool{}
	collectErrorNames(doc, named)
	var names []string
	for n := range named {
		names = append(names, n)
		if _, ok := workflow.ASLErrors[n]; !ok {
			t.Errorf("contact.asl.json names error %q with no Go type in workflow.ASLErrors", n)
		}
	}
	sort.Strings(names)
	for name, e := range workflow.ASLErrors {
		if got := reflect.TypeOf(e).Elem().Name(); got != name {
			t.Errorf("ASLErrors[%q] is Go type %q: the names must be equal", name, got)
		}
		if !named[name] {
			t.Errorf("ASLErrors has %q but contact.asl.json never names it", name)
		}
	}
	if len(names) == 0 {
		t.Fatal("the ASL names no domain errors at all")
	}
}

// Every ${...} placeholder in the ASL is either a function in workflow.Substitutions or the dead-letter queue.
func TestASLSubstitutionsAreKnown(t *testing.T) {
	s := string(statemachines.Contact)
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			break
		}
		j := strings.Index(s[i:], "}")
		key := s[i+2 : i+j]
		if _, ok := workflow.Substitutions[key]; !ok && key != "DeadLetterQueueUrl" {
			t.Errorf("unknown substitution ${%s}", key)
		}
		s = s[i+j:]
	}
}
