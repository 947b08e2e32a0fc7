package infra

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/awslabs/goformation/v7"
	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/intrinsics"
)

// Template is a SAM template parsed twice: Typed by goformation, and Raw as the generic document (same
// rendering) for the properties goformation does not model. Intrinsic functions are rendered to strings so
// that references stay visible: !Ref X is "${X}" (or the parameter's default when X is a parameter with
// one), !GetAtt X.Arn is "${X.Arn}", !Sub keeps its template text, !Join joins, !If takes its first branch.
type Template struct {
	Typed *cloudformation.Template
	Raw   map[string]any
}

// Load reads and parses a SAM template.
func Load(path string) (*Template, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("infra: read template: %w", err)
	}
	return Parse(data)
}

// Parse parses a SAM template (YAML or JSON).
func Parse(data []byte) (*Template, error) {
	rendered, err := intrinsics.ProcessYAML(data, &intrinsics.ProcessorOptions{IntrinsicHandlerOverrides: renderers()})
	if err != nil {
		return nil, fmt.Errorf("infra: parse template: %w", err)
	}
	var raw map[string]any
	if err := json.Unmarshal(rendered, &raw); err != nil {
		return nil, fmt.Errorf("infra: parse template: %w", err)
	}
	typedDoc, err := json.Marshal(forGoformation(raw))
	if err != nil {
		return nil, fmt.Errorf("infra: parse template: %w", err)
	}
	typed, err := goformation.ParseJSONWithOptions(typedDoc, &intrinsics.ProcessorOptions{NoProcess: true})
	if err != nil {
		return nil, fmt.Errorf("infra: goformation: %w", err)
	}
	return &Template{Typed: typed, Raw: raw}, nil
}

// unmodelled lists, per resource type, the properties goformation v7.14.9 does not know (its decoder
// rejects unknown fields). They are removed from the copy goformation decodes and read from Raw instead.
var unmodelled = map[string][]string{
	"AWS::Serverless::Function": {"LoggingConfig", "RuntimeManagementConfig", "SnapStart", "RecursiveLoop"},
	"AWS::Serverless::HttpApi":  {"AccessLogSettings", "RouteSettings"}, // SAM's RouteSettings is a map by route key
	"AWS::Cognito::UserPool":    {"UserPoolTier"},
	// AutoPublishAlias: SAM publishes a version of the definition on every deploy and points the alias at it.
	"AWS::Serverless::StateMachine": {"AutoPublishAlias"},
}

// forGoformation returns a deep copy of raw without the unmodelled properties.
func forGoformation(raw map[string]any) map[string]any {
	var clone map[string]any
	b, _ := json.Marshal(raw) // raw came from JSON: it marshals
	_ = json.Unmarshal(b, &clone)
	resources, _ := clone["Resources"].(map[string]any)
	for _, r := range resources {
		res, _ := r.(map[string]any)
		props, _ := res["Properties"].(map[string]any)
		typ, _ := res["Type"].(string)
		for _, p := range unmodelled[typ] {
			delete(props, p)
		}
	}
	return clone
}

// Resource returns the generic form of a resource (Type, Properties, Metadata …), or nil.
func (t *Template) Resource(name string) map[string]any {
	resources, _ := t.Raw["Resources"].(map[string]any)
	r, _ := resources[name].(map[string]any)
	return r
}

// Properties returns the generic Properties of a resource (never nil).
func (t *Template) Properties(name string) map[string]any {
	p, _ := t.Resource(name)["Properties"].(map[string]any)
	if p == nil {
		return map[string]any{}
	}
	return p
}

// Type returns the resource type of a logical id ("" when there is none).
func (t *Template) Type(name string) string {
	s, _ := t.Resource(name)["Type"].(string)
	return s
}

// Names returns the sorted logical ids of the resources of one type.
func (t *Template) Names(typ string) []string {
	resources, _ := t.Raw["Resources"].(map[string]any)
	var out []string
	for name, r := range resources {
		if m, ok := r.(map[string]any); ok && m["Type"] == typ {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// RefTarget returns X when s is a rendered reference "${X}" or "${X.Attr}" to a resource of the template.
func (t *Template) RefTarget(s string) (string, bool) {
	inner, ok := strings.CutPrefix(s, "${")
	if !ok {
		return "", false
	}
	inner, ok = strings.CutSuffix(inner, "}")
	if !ok || strings.ContainsAny(inner, "${}") {
		return "", false
	}
	name, _, _ := strings.Cut(inner, ".")
	if t.Resource(name) == nil {
		return "", false
	}
	return name, true
}

func renderers() map[string]intrinsics.IntrinsicHandler {
	opaque := func(name string, _ any, _ any) any { return "${" + name + "}" }
	return map[string]intrinsics.IntrinsicHandler{
		"Ref":             renderRef,
		"Fn::GetAtt":      renderGetAtt,
		"Fn::Sub":         renderSub,
		"Fn::Join":        renderJoin,
		"Fn::If":          renderIf,
		"Fn::Select":      renderSelect,
		"Fn::Base64":      opaque,
		"Fn::FindInMap":   opaque,
		"Fn::GetAZs":      opaque,
		"Fn::ImportValue": opaque,
		"Fn::Split":       opaque,
		"Fn::Cidr":        opaque,
		"Fn::Transform":   opaque,
		"Fn::And":         opaque,
		"Fn::Equals":      opaque,
		"Fn::Not":         opaque,
		"Fn::Or":          opaque,
	}
}

// renderRef resolves a parameter with a default to that default (so numbers stay numbers) and renders
// any other reference as "${Name}".
func renderRef(_ string, input any, template any) any {
	name, ok := input.(string)
	if !ok {
		return "${Ref}"
	}
	if tm, ok := template.(map[string]any); ok {
		if params, ok := tm["Parameters"].(map[string]any); ok {
			if p, ok := params[name].(map[string]any); ok {
				if def, ok := p["Default"]; ok {
					return def
				}
			}
		}
	}
	return "${" + name + "}"
}

func renderGetAtt(_ string, input any, _ any) any {
	switch v := input.(type) {
	case string:
		return "${" + v + "}"
	case []any:
		parts := make([]string, 0, len(v))
		for _, p := range v {
			parts = append(parts, fmt.Sprint(p))
		}
		return "${" + strings.Join(parts, ".") + "}"
	}
	return "${GetAtt}"
}

func renderSub(_ string, input any, _ any) any {
	switch v := input.(type) {
	case string:
		return v
	case []any:
		if len(v) == 0 {
			return "${Sub}"
		}
		s, _ := v[0].(string)
		if len(v) > 1 {
			if vars, ok := v[1].(map[string]any); ok {
				for k, val := range vars {
					s = strings.ReplaceAll(s, "${"+k+"}", fmt.Sprint(val))
				}
			}
		}
		return s
	}
	return "${Sub}"
}

func renderJoin(_ string, input any, _ any) any {
	v, ok := input.([]any)
	if !ok || len(v) != 2 {
		return "${Join}"
	}
	sep := fmt.Sprint(v[0])
	items, ok := v[1].([]any)
	if !ok {
		return "${Join}"
	}
	parts := make([]string, 0, len(items))
	for _, it := range items {
		parts = append(parts, fmt.Sprint(it))
	}
	return strings.Join(parts, sep)
}

func renderIf(_ string, input any, _ any) any {
	if v, ok := input.([]any); ok && len(v) == 3 {
		return v[1]
	}
	return "${If}"
}

func renderSelect(_ string, input any, _ any) any {
	if v, ok := input.([]any); ok && len(v) == 2 {
		idx, okIdx := v[0].(float64)
		if s, okStr := v[0].(string); okStr {
			_, err := fmt.Sscan(s, &idx)
			okIdx = err == nil
		}
		if list, ok := v[1].([]any); ok && okIdx && int(idx) >= 0 && int(idx) < len(list) {
			return list[int(idx)]
		}
	}
	return "${Select}"
}
