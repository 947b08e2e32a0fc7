package policy

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/safeguarding/mash/infra/authorities"
	"github.com/safeguarding/mash/shared/domain"
)

// Parse reads one policy file (YAML; JSON is valid YAML) strictly and validates it. name labels the data
// in messages (a file name or an authority). Every problem comes back at once as a domain invalid error
// whose Fields name the YAML path: an unknown key, a value of the wrong kind, a bad time or rule, a
// missing citation.
func Parse(data []byte, name string) (*Policy, error) {
	var root yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&root); err != nil {
		return nil, &domain.Error{Code: domain.CodeInvalid, Message: fmt.Sprintf("policy %s is not YAML: %v", name, err), Err: err}
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, domain.Errorf(domain.CodeInvalid, "policy %s holds more than one YAML document", name)
	}
	doc := &root
	if doc.Kind == yaml.DocumentNode && len(doc.Content) == 1 {
		doc = doc.Content[0]
	}
	if doc.Kind != yaml.MappingNode {
		return nil, domain.Errorf(domain.CodeInvalid, "policy %s must be a mapping of fields", name)
	}
	var probs domain.Problems
	checkNode(doc, reflect.TypeOf(Policy{}), "", &probs)
	if err := probs.Err(); err != nil {
		return nil, withMessage(err, "policy "+name)
	}
	p := &Policy{}
	if err := doc.Decode(p); err != nil {
		// checkNode has already vetted every key and scalar kind, so this is unexpected.
		return nil, &domain.Error{Code: domain.CodeInvalid, Message: fmt.Sprintf("policy %s: %v", name, err), Err: err}
	}
	if err := p.Validate(); err != nil {
		return nil, withMessage(err, "policy "+name)
	}
	p.cal = &calendarCache{}
	return p, nil
}

func withMessage(err error, msg string) error {
	var e *domain.Error
	if errors.As(err, &e) {
		e.Message = msg
		return e
	}
	return err
}

// LoadFile reads and validates a policy file from disk (`mash policy check FILE`).
func LoadFile(file string) (*Policy, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: "file", Message: "does not exist"}}, Err: err}
		}
		return nil, &domain.Error{Code: domain.CodeInternal, Message: "reading policy file", Err: err}
	}
	return Parse(data, filepath.Base(file))
}

var authorityPattern = regexp.MustCompile(`^[a-z][a-z0-9-]{1,40}$`)

// Load returns the embedded policy of one authority (infra/authorities/<authority>.yaml). An unknown
// authority is a domain invalid error naming the field "authority". Each call parses afresh, so callers
// may adjust their copy (tests do); wiring code loads once at start-up.
func Load(authority string) (*Policy, error) {
	unknown := &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: "authority",
		Message: "is not a known authority (known: " + strings.Join(authorities.Names(), ", ") + ")"}}}
	if !authorityPattern.MatchString(authority) {
		return nil, unknown
	}
	data, err := authorities.FS.ReadFile(authority + ".yaml")
	if err != nil {
		return nil, unknown
	}
	p, err := Parse(data, authority+".yaml")
	if err != nil {
		return nil, err
	}
	if string(p.Authority) != authority {
		return nil, &domain.Error{Code: domain.CodeInvalid, Message: "policy " + authority + ".yaml",
			Fields: []domain.FieldError{{Field: "authority", Message: fmt.Sprintf("is %q but the file is named %q", p.Authority, authority)}}}
	}
	return p, nil
}

// Names returns the authorities that have an embedded policy file, sorted, without parsing them: a command
// that names its authority can then say what is wrong with that file (Load's error) rather than that the
// authority does not exist.
func Names() []string { return authorities.Names() }

// All loads every embedded policy, sorted by authority.
func All() ([]*Policy, error) {
	var out []*Policy
	for _, n := range authorities.Names() {
		p, err := Load(n)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// checkNode walks the YAML tree against the Go type it will decode into and records, with its YAML path,
// every key the type does not have and every scalar of the wrong kind. yaml.v3's own strict mode reports
// only line numbers; operators fixing a file want the field's path.
func checkNode(n *yaml.Node, t reflect.Type, at string, probs *domain.Problems) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return // an empty value decodes to the zero value; Validate judges whether that is allowed
	}
	field := at
	if field == "" {
		field = "(document)"
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			probs.Add(field, "must be a mapping (line %d)", n.Line)
			return
		}
		fields := yamlFields(t)
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			ft, ok := fields[k.Value]
			switch {
			case !ok:
				probs.Add(join(at, k.Value), "is not a known field (line %d)", k.Line)
			case seen[k.Value]:
				probs.Add(join(at, k.Value), "appears twice (line %d)", k.Line)
			default:
				checkNode(v, ft, join(at, k.Value), probs)
			}
			seen[k.Value] = true
		}
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			probs.Add(field, "must be a mapping (line %d)", n.Line)
			return
		}
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if seen[k.Value] {
				probs.Add(join(at, k.Value), "appears twice (line %d)", k.Line)
			}
			seen[k.Value] = true
			checkNode(v, t.Elem(), join(at, k.Value), probs)
		}
	case reflect.Slice, reflect.Array:
		if n.Kind != yaml.SequenceNode {
			probs.Add(field, "must be a list (line %d)", n.Line)
			return
		}
		for i, c := range n.Content {
			checkNode(c, t.Elem(), fmt.Sprintf("%s[%d]", at, i), probs)
		}
	case reflect.Bool:
		if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
			probs.Add(field, "must be true or false (line %d)", n.Line)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if _, err := strconv.Atoi(n.Value); n.Kind != yaml.ScalarNode || n.Tag != "!!int" || err != nil {
			probs.Add(field, "must be a whole number (line %d)", n.Line)
		}
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			probs.Add(field, "must be text (line %d)", n.Line)
		}
	}
}

// yamlFields maps the YAML keys of a struct type (following inline embedded structs) to their types.
func yamlFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("yaml")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if strings.Contains(","+opts+",", ",inline,") {
			for k, v := range yamlFields(f.Type) {
				out[k] = v
			}
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		out[name] = f.Type
	}
	return out
}

func join(at, key string) string {
	if at == "" {
		return key
	}
	return at + "." + key
}
