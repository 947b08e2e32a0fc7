package flow

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// rule is one Choice rule: a comparison on Variable, or And/Or/Not of nested rules.
type rule struct {
	variable    *path
	op          string
	operand     any
	operandPath *path
	and, or     []*rule
	not         *rule
	next        string
}

var comparisons = map[string]string{ // operator → operand kind
	"StringEquals": "string", "StringLessThan": "string", "StringGreaterThan": "string",
	"StringLessThanEquals": "string", "StringGreaterThanEquals": "string", "StringMatches": "string",
	"NumericEquals": "number", "NumericLessThan": "number", "NumericGreaterThan": "number",
	"NumericLessThanEquals": "number", "NumericGreaterThanEquals": "number",
	"BooleanEquals":   "boolean",
	"TimestampEquals": "timestamp", "TimestampLessThan": "timestamp", "TimestampGreaterThan": "timestamp",
	"TimestampLessThanEquals": "timestamp", "TimestampGreaterThanEquals": "timestamp",
	"IsNull": "boolean", "IsPresent": "boolean", "IsNumeric": "boolean", "IsString": "boolean",
	"IsBoolean": "boolean", "IsTimestamp": "boolean",
}

func parseRule(raw json.RawMessage, top bool) (*rule, error) {
	var f map[string]json.RawMessage
	if err := json.Unmarshal(raw, &f); err != nil {
		return nil, fmt.Errorf("rule must be an object")
	}
	r := &rule{}
	if v, ok := f["Next"]; ok {
		if !top {
			return nil, fmt.Errorf("nested rule must not have Next")
		}
		if err := json.Unmarshal(v, &r.next); err != nil || r.next == "" {
			return nil, fmt.Errorf("Next must be a state name")
		}
	} else if top {
		return nil, fmt.Errorf("rule needs Next")
	}
	ops := 0
	for k, v := range f {
		switch k {
		case "Next", "Comment":
		case "Variable":
			var s string
			if err := json.Unmarshal(v, &s); err != nil {
				return nil, fmt.Errorf("Variable must be a path")
			}
			p, err := parsePath(s)
			if err != nil {
				return nil, fmt.Errorf("Variable: %w", err)
			}
			r.variable = &p
		case "And", "Or":
			ops++
			var subs []json.RawMessage
			if err := json.Unmarshal(v, &subs); err != nil || len(subs) == 0 {
				return nil, fmt.Errorf("%s must be a non-empty array of rules", k)
			}
			for _, s := range subs {
				sr, err := parseRule(s, false)
				if err != nil {
					return nil, fmt.Errorf("%s: %w", k, err)
				}
				if k == "And" {
					r.and = append(r.and, sr)
				} else {
					r.or = append(r.or, sr)
				}
			}
			r.op = k
		case "Not":
			ops++
			sr, err := parseRule(v, false)
			if err != nil {
				return nil, fmt.Errorf("Not: %w", err)
			}
			r.not, r.op = sr, k
		default:
			base := strings.TrimSuffix(k, "Path")
			kind, ok := comparisons[base]
			if !ok || (base != k && strings.HasPrefix(base, "Is")) {
				return nil, fmt.Errorf("unknown comparison %q", k)
			}
			ops++
			r.op = base
			if base != k {
				var s string
				if err := json.Unmarshal(v, &s); err != nil {
					return nil, fmt.Errorf("%s must be a path", k)
				}
				p, err := parsePath(s)
				if err != nil {
					return nil, fmt.Errorf("%s: %w", k, err)
				}
				r.operandPath = &p
				continue
			}
			val, err := decode(v)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", k, err)
			}
			if !kindOK(kind, val) {
				return nil, fmt.Errorf("%s needs a %s operand", k, kind)
			}
			r.operand = val
		}
	}
	if ops != 1 {
		return nil, fmt.Errorf("rule needs exactly one comparison (or And/Or/Not)")
	}
	isLogic := r.op == "And" || r.op == "Or" || r.op == "Not"
	if !isLogic && r.variable == nil {
		return nil, fmt.Errorf("%s needs a Variable", r.op)
	}
	if isLogic && r.variable != nil {
		return nil, fmt.Errorf("%s must not have a Variable", r.op)
	}
	return r, nil
}

func kindOK(kind string, v any) bool {
	switch kind {
	case "string":
		_, ok := v.(string)
		return ok
	case "number":
		_, ok := toFloat(v)
		return ok
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "timestamp":
		s, ok := v.(string)
		if !ok {
			return false
		}
		_, err := parseTimestamp(s)
		return err == nil
	}
	return false
}

func parseTimestamp(s string) (time.Time, error) {
	if !strings.Contains(s, "T") {
		return time.Time{}, fmt.Errorf("timestamp %q is not RFC 3339", s)
	}
	return time.Parse(time.RFC3339Nano, s)
}

// eval evaluates the rule. A comparison on a missing Variable is an error (States.Runtime) except for
// IsPresent; a type mismatch is false (as in AWS).
func (r *rule) eval(input any, ctx *evalCtx) (bool, error) {
	switch r.op {
	case "And":
		for _, s := range r.and {
			ok, err := s.eval(input, ctx)
			if err != nil || !ok {
				return false, err
			}
		}
		return true, nil
	case "Or":
		for _, s := range r.or {
			ok, err := s.eval(input, ctx)
			if err != nil || ok {
				return ok, err
			}
		}
		return false, nil
	case "Not":
		ok, err := r.not.eval(input, ctx)
		return !ok && err == nil, err
	}
	v, err := r.variable.get(input, ctx)
	if r.op == "IsPresent" {
		return (err == nil) == r.operand.(bool), nil
	}
	if err != nil {
		return false, err
	}
	operand := r.operand
	if r.operandPath != nil {
		if operand, err = r.operandPath.get(input, ctx); err != nil {
			return false, err
		}
	}
	switch r.op {
	case "IsNull":
		return (v == nil) == operand.(bool), nil
	case "IsNumeric":
		_, ok := toFloat(v)
		return ok == operand.(bool), nil
	case "IsString":
		_, ok := v.(string)
		return ok == operand.(bool), nil
	case "IsBoolean":
		_, ok := v.(bool)
		return ok == operand.(bool), nil
	case "IsTimestamp":
		return kindOK("timestamp", v) == operand.(bool), nil
	case "BooleanEquals":
		a, ok1 := v.(bool)
		b, ok2 := operand.(bool)
		return ok1 && ok2 && a == b, nil
	case "StringMatches":
		a, ok1 := v.(string)
		b, ok2 := operand.(string)
		return ok1 && ok2 && wildcardMatch(b, a), nil
	}
	switch comparisons[r.op] {
	case "string":
		a, ok1 := v.(string)
		b, ok2 := operand.(string)
		return ok1 && ok2 && compare(strings.Compare(a, b), r.op), nil
	case "number":
		a, ok1 := toFloat(v)
		b, ok2 := toFloat(operand)
		c := 0
		if a < b {
			c = -1
		} else if a > b {
			c = 1
		}
		return ok1 && ok2 && compare(c, r.op), nil
	case "timestamp":
		as, ok1 := v.(string)
		bs, ok2 := operand.(string)
		if !ok1 || !ok2 {
			return false, nil
		}
		a, e1 := parseTimestamp(as)
		b, e2 := parseTimestamp(bs)
		return e1 == nil && e2 == nil && compare(a.Compare(b), r.op), nil
	}
	return false, nil
}

func compare(c int, op string) bool {
	switch {
	case strings.HasSuffix(op, "LessThanEquals"):
		return c <= 0
	case strings.HasSuffix(op, "GreaterThanEquals"):
		return c >= 0
	case strings.HasSuffix(op, "LessThan"):
		return c < 0
	case strings.HasSuffix(op, "GreaterThan"):
		return c > 0
	default:
		return c == 0
	}
}

// wildcardMatch implements StringMatches: * matches any run of characters, \* is a literal star.
func wildcardMatch(pattern, s string) bool {
	var parts []string
	var cur strings.Builder
	for i := 0; i < len(pattern); i++ {
		switch {
		case pattern[i] == '\\' && i+1 < len(pattern):
			cur.WriteByte(pattern[i+1])
			i++
		case pattern[i] == '*':
			parts = append(parts, cur.String())
			cur.Reset()
		default:
			cur.WriteByte(pattern[i])
		}
	}
	parts = append(parts, cur.String())
	if len(parts) == 1 {
		return s == parts[0]
	}
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	for _, p := range parts[1 : len(parts)-1] {
		i := strings.Index(s, p)
		if i < 0 {
			return false
		}
		s = s[i+len(p):]
	}
	return strings.HasSuffix(s, parts[len(parts)-1])
}
