package statemachines

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// taskTokenProblems names every .waitForTaskToken state (at any depth: Map and Parallel included) that lacks
// a timeout (TimeoutSeconds or TimeoutSecondsPath), a heartbeat (HeartbeatSeconds or HeartbeatSecondsPath), or
// a Catch of States.Timeout and States.HeartbeatTimeout (or States.ALL) that goes on to a state: a wait
// without them waits for ever when nobody acts (issue #13: deleting them from AwaitDecision and the check wait
// left every Go test green).
func taskTokenProblems(def []byte) ([]string, int, error) {
	var m struct {
		States map[string]json.RawMessage
	}
	if err := json.Unmarshal(def, &m); err != nil {
		return nil, 0, err
	}
	var problems []string
	waits := 0
	var walk func(path string, states map[string]json.RawMessage) error
	walk = func(path string, states map[string]json.RawMessage) error {
		for name, raw := range states {
			var s struct {
				Resource             string
				TimeoutSeconds       *float64
				TimeoutSecondsPath   string
				HeartbeatSeconds     *float64
				HeartbeatSecondsPath string
				Catch                []struct {
					ErrorEquals []string
					Next        string
				}
				Iterator, ItemProcessor *struct{ States map[string]json.RawMessage }
				Branches                []struct{ States map[string]json.RawMessage }
			}
			if err := json.Unmarshal(raw, &s); err != nil {
				return err
			}
			at := path + name
			if strings.HasSuffix(s.Resource, ".waitForTaskToken") {
				waits++
				if s.TimeoutSeconds == nil && s.TimeoutSecondsPath == "" {
					problems = append(problems, at+": no TimeoutSeconds or TimeoutSecondsPath")
				}
				if s.HeartbeatSeconds == nil && s.HeartbeatSecondsPath == "" {
					problems = append(problems, at+": no HeartbeatSeconds or HeartbeatSecondsPath")
				}
				for _, e := range []string{"States.Timeout", "States.HeartbeatTimeout"} {
					if !slices.ContainsFunc(s.Catch, func(c struct {
						ErrorEquals []string
						Next        string
					}) bool {
						return c.Next != "" && (slices.Contains(c.ErrorEquals, e) || slices.Contains(c.ErrorEquals, "States.ALL"))
					}) {
						problems = append(problems, at+": no Catch of "+e)
					}
				}
			}
			for _, sub := range []*struct{ States map[string]json.RawMessage }{s.Iterator, s.ItemProcessor} {
				if sub != nil {
					if err := walk(at+"/", sub.States); err != nil {
						return err
					}
				}
			}
			for _, b := range s.Branches {
				if err := walk(at+"/", b.States); err != nil {
					return err
				}
			}
		}
		return nil
	}
	err := walk("", m.States)
	slices.Sort(problems)
	return problems, waits, err
}

func TestContactMachine_EveryTaskTokenWaitHasTimeoutHeartbeatAndCatch(t *testing.T) {
	problems, waits, err := taskTokenProblems(Contact)
	if err != nil {
		t.Fatal(err)
	}
	if waits != 4 {
		t.Errorf("%d task-token waits, want 4 (AwaitRating, RequestChecks, Replan, AwaitDecision)", waits)
	}
	for _, p := range problems {
		t.Error(p)
	}
}

// The check itself fails when the timeout, the heartbeat or the catch is removed from any wait.
func TestTaskTokenCheck_CatchesEachRemoval(t *testing.T) {
	for _, tc := range []struct{ state, field, want string }{
		{"AwaitDecision", "TimeoutSecondsPath", "AwaitDecision: no TimeoutSeconds"},
		{"AwaitDecision", "HeartbeatSecondsPath", "AwaitDecision: no HeartbeatSeconds"},
		{"RequestChecks", "TimeoutSecondsPath", "RequestChecks: no TimeoutSeconds"},
		{"RequestChecks", "HeartbeatSecondsPath", "RequestChecks: no HeartbeatSeconds"},
		{"AwaitRating", "Catch", "AwaitRating: no Catch of States.Timeout"},
	} {
		def := without(t, Contact, tc.state, tc.field)
		problems, _, err := taskTokenProblems(def)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(problems, func(p string) bool { return strings.HasPrefix(p, tc.want) }) {
			t.Errorf("removing %s.%s: problems %v, want %q", tc.state, tc.field, problems, tc.want)
		}
	}
}

// without returns the definition with one field deleted from the named state (at any depth).
func without(t *testing.T, def []byte, state, field string) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(def, &m); err != nil {
		t.Fatal(err)
	}
	var walk func(states map[string]any)
	walk = func(states map[string]any) {
		for name, v := range states {
			s := v.(map[string]any)
			if name == state {
				delete(s, field)
			}
			for _, k := range []string{"Iterator", "ItemProcessor"} {
				if sub, ok := s[k].(map[string]any); ok {
					walk(sub["States"].(map[string]any))
				}
			}
		}
	}
	walk(m["States"].(map[string]any))
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
