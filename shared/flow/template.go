package flow

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// template is a compiled payload template (Parameters, ResultSelector, ItemSelector): literal values,
// "key.$" fields holding a path or an intrinsic function call.
type template struct {
	literal any                  // for non-object, non-array values
	fields  map[string]*template // for objects (keys without the .$ suffix)
	items   []*template          // for arrays
	isObj   bool
	isArr   bool
	dynamic *expr // for "key.$" values
}

func compileTemplate(v any) (*template, error) {
	switch x := v.(type) {
	case map[string]any:
		t := &template{isObj: true, fields: map[string]*template{}}
		for k, val := range x {
			if strings.HasSuffix(k, ".$") {
				s, ok := val.(string)
				if !ok {
					return nil, fmt.Errorf("field %q must be a string path or intrinsic function", k)
				}
				e, err := parseExpr(s)
				if err != nil {
					return nil, fmt.Errorf("field %q: %w", k, err)
				}
				t.fields[strings.TrimSuffix(k, ".$")] = &template{dynamic: e}
				continue
			}
			sub, err := compileTemplate(val)
			if err != nil {
				return nil, err
			}
			t.fields[k] = sub
		}
		return t, nil
	case []any:
		t := &template{isArr: true}
		for _, val := range x {
			sub, err := compileTemplate(val)
			if err != nil {
				return nil, err
			}
			t.items = append(t.items, sub)
		}
		return t, nil
	default:
		return &template{literal: v}, nil
	}
}

func (t *template) eval(input any, ctx *evalCtx) (any, error) {
	switch {
	case t.dynamic != nil:
		return t.dynamic.eval(input, ctx)
	case t.isObj:
		out := make(map[string]any, len(t.fields))
		for k, sub := range t.fields {
			v, err := sub.eval(input, ctx)
			if err != nil {
				return nil, err
			}
			out[k] = v
		}
		return out, nil
	case t.isArr:
		out := make([]any, 0, len(t.items))
		for _, sub := range t.items {
			v, err := sub.eval(input, ctx)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	default:
		return t.literal, nil
	}
}

// expr is a path or an intrinsic function call with arguments.
type expr struct {
	path    *path
	fn      string
	args    []*expr
	literal any
	isLit   bool
}

var intrinsics = map[string]func(args []any) (any, error){
	"States.Format":         fnFormat,
	"States.StringToJson":   fnStringToJSON,
	"States.JsonToString":   fnJSONToString,
	"States.Array":          func(a []any) (any, error) { return append([]any{}, a...), nil },
	"States.ArrayLength":    fnArrayLength,
	"States.ArrayContains":  fnArrayContains,
	"States.ArrayGetItem":   fnArrayGetItem,
	"States.ArrayRange":     fnArrayRange,
	"States.ArrayUnique":    fnArrayUnique,
	"States.ArrayPartition": fnArrayPartition,
	"States.MathAdd":        fnMathAdd,
	"States.StringSplit":    fnStringSplit,
	"States.JsonMerge":      fnJSONMerge,
	"States.Base64Encode":   fnBase64Encode,
	"States.Base64Decode":   fnBase64Decode,
}

func parseExpr(s string) (*expr, error) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "$") {
		p, err := parsePath(s)
		if err != nil {
			return nil, err
		}
		return &expr{path: &p}, nil
	}
	if strings.HasPrefix(s, "States.") {
		e, rest, err := parseCall(s)
		if err != nil {
			return nil, err
		}
		if strings.TrimSpace(rest) != "" {
			return nil, fmt.Errorf("intrinsic %q: unexpected %q after the call", s, rest)
		}
		return e, nil
	}
	return nil, fmt.Errorf("%q is neither a path nor an intrinsic function", s)
}

func parseCall(s string) (*expr, string, error) {
	open := strings.IndexByte(s, '(')
	if open < 0 {
		return nil, "", fmt.Errorf("intrinsic %q: missing (", s)
	}
	name := strings.TrimSpace(s[:open])
	if _, ok := intrinsics[name]; !ok {
		return nil, "", fmt.Errorf("intrinsic function %s is not supported", name)
	}
	e := &expr{fn: name}
	rest := strings.TrimSpace(s[open+1:])
	if strings.HasPrefix(rest, ")") {
		return e, rest[1:], nil
	}
	for {
		arg, r, err := parseArg(rest)
		if err != nil {
			return nil, "", fmt.Errorf("intrinsic %s: %w", name, err)
		}
		e.args = append(e.args, arg)
		r = strings.TrimSpace(r)
		switch {
		case strings.HasPrefix(r, ","):
			rest = strings.TrimSpace(r[1:])
		case strings.HasPrefix(r, ")"):
			return e, r[1:], nil
		default:
			return nil, "", fmt.Errorf("intrinsic %s: expected , or ) at %q", name, r)
		}
	}
}

func parseArg(s string) (*expr, string, error) {
	switch {
	case strings.HasPrefix(s, "'"):
		var b strings.Builder
		for i := 1; i < len(s); i++ {
			c := s[i]
			if c == '\\' && i+1 < len(s) {
				// \' \{ \} \\ escape the next character; the backslash stays for \{ \} (States.Format reads it).
				n := s[i+1]
				if n == '{' || n == '}' {
					b.WriteByte('\\')
				}
				b.WriteByte(n)
				i++
				continue
			}
			if c == '\'' {
				return &expr{literal: b.String(), isLit: true}, s[i+1:], nil
			}
			b.WriteByte(c)
		}
		return nil, "", fmt.Errorf("unterminated string in %q", s)
	case strings.HasPrefix(s, "States."):
		return parseCall(s)
	case strings.HasPrefix(s, "$"):
		end := len(s)
		depth := 0
		for i, c := range s {
			if c == '[' {
				depth++
			} else if c == ']' {
				depth--
			} else if depth == 0 && (c == ',' || c == ')') {
				end = i
				break
			}
		}
		p, err := parsePath(strings.TrimSpace(s[:end]))
		if err != nil {
			return nil, "", err
		}
		return &expr{path: &p}, s[end:], nil
	default:
		end := strings.IndexAny(s, ",)")
		if end < 0 {
			end = len(s)
		}
		tok := strings.TrimSpace(s[:end])
		switch tok {
		case "true":
			return &expr{literal: true, isLit: true}, s[end:], nil
		case "false":
			return &expr{literal: false, isLit: true}, s[end:], nil
		case "null":
			return &expr{literal: nil, isLit: true}, s[end:], nil
		}
		if _, err := strconv.ParseFloat(tok, 64); err != nil {
			return nil, "", fmt.Errorf("bad argument %q", tok)
		}
		return &expr{literal: json.Number(tok), isLit: true}, s[end:], nil
	}
}

func (e *expr) eval(input any, ctx *evalCtx) (any, error) {
	switch {
	case e.path != nil:
		return e.path.get(input, ctx)
	case e.isLit:
		return e.literal, nil
	}
	args := make([]any, 0, len(e.args))
	for _, a := range e.args {
		v, err := a.eval(input, ctx)
		if err != nil {
			return nil, err
		}
		args = append(args, v)
	}
	v, err := intrinsics[e.fn](args)
	if err != nil {
		return nil, &stateError{Name: ErrIntrinsicFailure, Cause: fmt.Sprintf("%s: %v", e.fn, err)}
	}
	return v, nil
}

func wantArgs(args []any, n int) error {
	if len(args) != n {
		return fmt.Errorf("expected %d arguments, got %d", n, len(args))
	}
	return nil
}

func fnFormat(args []any) (any, error) {
	if len(args) < 1 {
		return nil, fmt.Errorf("needs a template")
	}
	tpl, ok := args[0].(string)
	if !ok {
		return nil, fmt.Errorf("template must be a string")
	}
	var b strings.Builder
	n := 1
	for i := 0; i < len(tpl); i++ {
		c := tpl[i]
		if c == '\\' && i+1 < len(tpl) && (tpl[i+1] == '{' || tpl[i+1] == '}') {
			b.WriteByte(tpl[i+1])
			i++
			continue
		}
		if c == '{' && i+1 < len(tpl) && tpl[i+1] == '}' {
			if n >= len(args) {
				return nil, fmt.Errorf("more {} than arguments")
			}
			switch a := args[n].(type) {
			case string:
				b.WriteString(a)
			case json.Number:
				b.WriteString(a.String())
			case bool:
				b.WriteString(strconv.FormatBool(a))
			case nil:
				b.WriteString("null")
			default:
				return nil, fmt.Errorf("argument %d must be a string, number, boolean or null", n)
			}
			n++
			i++
			continue
		}
		b.WriteByte(c)
	}
	if n != len(args) {
		return nil, fmt.Errorf("number of arguments does not match the occurrences of {}")
	}
	return b.String(), nil
}

func fnStringToJSON(args []any) (any, error) {
	if err := wantArgs(args, 1); err != nil {
		return nil, err
	}
	s, ok := args[0].(string)
	if !ok {
		return nil, fmt.Errorf("argument must be a string")
	}
	return decode([]byte(s))
}

func fnJSONToString(args []any) (any, error) {
	if err := wantArgs(args, 1); err != nil {
		return nil, err
	}
	return string(encode(args[0])), nil
}

func fnArrayLength(args []any) (any, error) {
	if err := wantArgs(args, 1); err != nil {
		return nil, err
	}
	a, ok := args[0].([]any)
	if !ok {
		return nil, fmt.Errorf("argument must be an array")
	}
	return json.Number(strconv.Itoa(len(a))), nil
}

func fnArrayContains(args []any) (any, error) {
	if err := wantArgs(args, 2); err != nil {
		return nil, err
	}
	a, ok := args[0].([]any)
	if !ok {
		return nil, fmt.Errorf("first argument must be an array")
	}
	for _, v := range a {
		if jsonEqual(v, args[1]) {
			return true, nil
		}
	}
	return false, nil
}

func fnArrayGetItem(args []any) (any, error) {
	if err := wantArgs(args, 2); err != nil {
		return nil, err
	}
	a, ok := args[0].([]any)
	i, err := toInt(args[1])
	if !ok || err != nil || i < 0 || i >= len(a) {
		return nil, fmt.Errorf("needs an array and an index inside it")
	}
	return a[i], nil
}

func fnArrayRange(args []any) (any, error) {
	if err := wantArgs(args, 3); err != nil {
		return nil, err
	}
	first, e1 := toInt(args[0])
	last, e2 := toInt(args[1])
	stepN, e3 := toInt(args[2])
	if e1 != nil || e2 != nil || e3 != nil || stepN == 0 {
		return nil, fmt.Errorf("needs three integers and a non-zero step")
	}
	out := []any{}
	for v := first; (stepN > 0 && v <= last) || (stepN < 0 && v >= last); v += stepN {
		out = append(out, json.Number(strconv.Itoa(v)))
		if len(out) > 1000 {
			return nil, fmt.Errorf("range longer than 1000 items")
		}
	}
	return out, nil
}

func fnArrayUnique(args []any) (any, error) {
	if err := wantArgs(args, 1); err != nil {
		return nil, err
	}
	a, ok := args[0].([]any)
	if !ok {
		return nil, fmt.Errorf("argument must be an array")
	}
	out := []any{}
	for _, v := range a {
		dup := false
		for _, w := range out {
			if jsonEqual(v, w) {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, v)
		}
	}
	return out, nil
}

func fnArrayPartition(args []any) (any, error) {
	if err := wantArgs(args, 2); err != nil {
		return nil, err
	}
	a, ok := args[0].([]any)
	n, err := toInt(args[1])
	if !ok || err != nil || n <= 0 {
		return nil, fmt.Errorf("needs an array and a positive chunk size")
	}
	out := []any{}
	for i := 0; i < len(a); i += n {
		out = append(out, append([]any{}, a[i:min(i+n, len(a))]...))
	}
	return out, nil
}

func fnMathAdd(args []any) (any, error) {
	if err := wantArgs(args, 2); err != nil {
		return nil, err
	}
	a, e1 := toInt(args[0])
	b, e2 := toInt(args[1])
	if e1 != nil || e2 != nil {
		return nil, fmt.Errorf("arguments must be integers")
	}
	return json.Number(strconv.Itoa(a + b)), nil
}

func fnStringSplit(args []any) (any, error) {
	if err := wantArgs(args, 2); err != nil {
		return nil, err
	}
	s, ok1 := args[0].(string)
	sep, ok2 := args[1].(string)
	if !ok1 || !ok2 {
		return nil, fmt.Errorf("arguments must be strings")
	}
	// AWS splits on any of the separator's characters and drops empty parts.
	out := []any{}
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(sep, r) }) {
		out = append(out, part)
	}
	return out, nil
}

func fnJSONMerge(args []any) (any, error) {
	if err := wantArgs(args, 3); err != nil {
		return nil, err
	}
	a, ok1 := args[0].(map[string]any)
	b, ok2 := args[1].(map[string]any)
	deep, ok3 := args[2].(bool)
	if !ok1 || !ok2 || !ok3 || deep {
		return nil, fmt.Errorf("needs two objects and false (deep merge is not supported)")
	}
	out := map[string]any{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out, nil
}

func fnBase64Encode(args []any) (any, error) {
	if err := wantArgs(args, 1); err != nil {
		return nil, err
	}
	s, ok := args[0].(string)
	if !ok {
		return nil, fmt.Errorf("argument must be a string")
	}
	return base64.StdEncoding.EncodeToString([]byte(s)), nil
}

func fnBase64Decode(args []any) (any, error) {
	if err := wantArgs(args, 1); err != nil {
		return nil, err
	}
	s, ok := args[0].(string)
	if !ok {
		return nil, fmt.Errorf("argument must be a string")
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, err
	}
	return string(b), nil
}

func toFloat(v any) (float64, bool) {
	switch n := v.(type) {
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	case float64:
		return n, true
	case int:
		return float64(n), true
	}
	return 0, false
}

func toInt(v any) (int, error) {
	f, ok := toFloat(v)
	if !ok || f != math.Trunc(f) {
		return 0, fmt.Errorf("not an integer")
	}
	return int(f), nil
}

func jsonEqual(a, b any) bool {
	fa, oka := toFloat(a)
	fb, okb := toFloat(b)
	if oka && okb {
		return fa == fb
	}
	return string(encode(a)) == string(encode(b))
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
