package flow

import (
	"fmt"
	"strconv"
	"strings"
)

// segment is one step of a JSONPath: a field name, an array index, or a wildcard ([*] or .*).
type segment struct {
	field    string
	index    int
	isIndex  bool
	wildcard bool
}

// path is a parsed JSONPath of the subset this executor reads: $ or $$ followed by .name, ['name'],
// [N] and [*]. Filters, slices and recursive descent are rejected at load.
type path struct {
	raw     string
	context bool // starts with $$ (the context object)
	segs    []segment
	ctxKind ctxKind // a context path read without building the context object
}

type ctxKind uint8

const (
	ctxOther     ctxKind = iota
	ctxTaskToken         // $$.Task.Token
	ctxItemValue         // $$.Map.Item.Value
	ctxItemIndex         // $$.Map.Item.Index
)

func (p path) isFields(names ...string) bool {
	if len(p.segs) != len(names) {
		return false
	}
	for i, s := range p.segs {
		if s.isIndex || s.wildcard || s.field != names[i] {
			return false
		}
	}
	return true
}

func (p path) definite() bool {
	for _, s := range p.segs {
		if s.wildcard {
			return false
		}
	}
	return true
}

func parsePath(s string) (path, error) {
	p := path{raw: s}
	rest := s
	switch {
	case strings.HasPrefix(s, "$$"):
		p.context = true
		rest = s[2:]
	case strings.HasPrefix(s, "$"):
		rest = s[1:]
	default:
		return p, fmt.Errorf("path %q must start with $", s)
	}
	for rest != "" {
		switch {
		case strings.HasPrefix(rest, ".."):
			return p, fmt.Errorf("path %q: recursive descent is not supported", s)
		case strings.HasPrefix(rest, ".*"):
			p.segs = append(p.segs, segment{wildcard: true})
			rest = rest[2:]
		case rest[0] == '.':
			rest = rest[1:]
			end := strings.IndexAny(rest, ".[")
			if end < 0 {
				end = len(rest)
			}
			name := rest[:end]
			if name == "" {
				return p, fmt.Errorf("path %q: empty field name", s)
			}
			p.segs = append(p.segs, segment{field: name})
			rest = rest[end:]
		case rest[0] == '[':
			end := strings.IndexByte(rest, ']')
			if end < 0 {
				return p, fmt.Errorf("path %q: unclosed [", s)
			}
			inner := strings.TrimSpace(rest[1:end])
			rest = rest[end+1:]
			switch {
			case inner == "*":
				p.segs = append(p.segs, segment{wildcard: true})
			case len(inner) >= 2 && (inner[0] == '\'' || inner[0] == '"') && inner[len(inner)-1] == inner[0]:
				p.segs = append(p.segs, segment{field: inner[1 : len(inner)-1]})
			default:
				n, err := strconv.Atoi(inner)
				if err != nil || n < 0 {
					return p, fmt.Errorf("path %q: unsupported selector [%s]", s, inner)
				}
				p.segs = append(p.segs, segment{index: n, isIndex: true})
			}
		default:
			return p, fmt.Errorf("path %q: unexpected %q", s, rest)
		}
	}
	if p.context {
		switch {
		case p.isFields("Task", "Token"):
			p.ctxKind = ctxTaskToken
		case p.isFields("Map", "Item", "Value"):
			p.ctxKind = ctxItemValue
		case p.isFields("Map", "Item", "Index"):
			p.ctxKind = ctxItemIndex
		}
	}
	return p, nil
}

// errPathMissing marks a path that selects nothing (States.Runtime in ASL).
type errPathMissing struct{ path string }

func (e errPathMissing) Error() string {
	return fmt.Sprintf("the JSONPath %s could not be found in the input", e.path)
}

// get evaluates the path against doc (or the context object when the path starts with $$).
func (p *path) get(doc any, ctx *evalCtx) (any, error) {
	cur := doc
	if p.context {
		if v, ok := ctx.lookup(p.ctxKind); ok {
			return v, nil
		}
		cur = ctx.value()
	}
	if p.definite() {
		for _, s := range p.segs {
			next, ok := step(cur, s)
			if !ok {
				return nil, errPathMissing{p.raw}
			}
			cur = next
		}
		return cur, nil
	}
	matches := []any{cur}
	for _, s := range p.segs {
		var out []any
		for _, m := range matches {
			if s.wildcard {
				switch v := m.(type) {
				case []any:
					out = append(out, v...)
				case map[string]any:
					for _, k := range sortedKeys(v) {
						out = append(out, v[k])
					}
				}
				continue
			}
			if next, ok := step(m, s); ok {
				out = append(out, next)
			}
		}
		matches = out
	}
	if matches == nil {
		matches = []any{}
	}
	return matches, nil
}

func step(cur any, s segment) (any, bool) {
	if s.isIndex {
		arr, ok := cur.([]any)
		if !ok || s.index >= len(arr) {
			return nil, false
		}
		return arr[s.index], true
	}
	obj, ok := cur.(map[string]any)
	if !ok {
		return nil, false
	}
	v, ok := obj[s.field]
	return v, ok
}

// set returns a copy of doc with value placed at the path (ResultPath semantics): missing objects on
// the way are created; a non-object on the way is an error (States.ResultPathMatchFailure).
func (p *path) set(doc, value any) (any, error) {
	if len(p.segs) == 0 {
		return value, nil
	}
	return setAt(doc, p.segs, value, p.raw)
}

func setAt(doc any, segs []segment, value any, raw string) (any, error) {
	if len(segs) == 0 {
		return value, nil
	}
	s := segs[0]
	if s.isIndex {
		arr, ok := doc.([]any)
		if !ok || s.index >= len(arr) {
			return nil, fmt.Errorf("unable to apply ResultPath %s to the input", raw)
		}
		cp := append([]any(nil), arr...)
		v, err := setAt(arr[s.index], segs[1:], value, raw)
		if err != nil {
			return nil, err
		}
		cp[s.index] = v
		return cp, nil
	}
	var obj map[string]any
	switch d := doc.(type) {
	case map[string]any:
		obj = d
	case nil:
		obj = nil
	default:
		return nil, fmt.Errorf("unable to apply ResultPath %s to the input", raw)
	}
	cp := make(map[string]any, len(obj)+1)
	for k, v := range obj {
		cp[k] = v
	}
	v, err := setAt(obj[s.field], segs[1:], value, raw)
	if err != nil {
		return nil, err
	}
	cp[s.field] = v
	return cp, nil
}
