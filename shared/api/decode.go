package api

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/safeguarding/mash/shared/domain"
)

// decode reads a JSON object body strictly and names EVERY bad field at once: unknown fields, values of the
// wrong type and values a field's own parser refuses (a date), each with its full path
// ("children[0].dateOfBirth"). Values are never echoed. Invalid JSON, trailing data or a body that is not an
// object is the field "body".
//
// Even when some fields are bad, v receives everything that could be read, so a caller may merge the
// problems its own validation finds (see intakeCall); v must then not be acted on.
func decode(r *http.Request, v any) error {
	data, err := io.ReadAll(io.LimitReader(r.Body, MaxBody+1))
	if mbe := (*http.MaxBytesError)(nil); errors.As(err, &mbe) || len(data) > MaxBody {
		return errTooLarge
	}
	if err != nil {
		return bodyErr("could not be read")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var raw any
	if err := dec.Decode(&raw); err != nil {
		return bodyErr("is not valid JSON")
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return bodyErr("is not valid JSON (data after the object)")
	}
	if _, ok := raw.(map[string]any); !ok {
		return bodyErr("must be a JSON object")
	}
	var p domain.Problems
	if checkJSON(raw, reflect.TypeOf(v), "", &p); len(p) == 0 {
		if err := json.Unmarshal(data, v); err != nil {
			// checkJSON mirrors encoding/json; should the two ever disagree, still say nothing of the value.
			return bodyErr("could not be read")
		}
		return nil
	}
	// encoding/json stops at the first bad value; decode the rest without the bad ones (checkJSON removed
	// them), so that v holds everything that could be read.
	if clean, err := json.Marshal(raw); err == nil {
		_ = json.Unmarshal(clean, v)
	}
	return p.Err()
}

func bodyErr(msg string) error {
	return &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: "body", Message: msg}}}
}

var (
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
	dateType        = reflect.TypeFor[domain.Date]()
	timeType        = reflect.TypeFor[time.Time]()
)

// checkJSON walks a generically decoded JSON value (numbers as json.Number) beside the Go type it is meant
// for, the way encoding/json would fill it, and records every field encoding/json would refuse. It reports
// whether raw itself is acceptable (an object or list is, when its own type is right), and removes the
// refused parts from the objects and lists that hold them (a list element becomes null).
func checkJSON(raw any, t reflect.Type, path string, p *domain.Problems) bool {
	if raw == nil {
		return true // null leaves any field at its zero value
	}
	return checkValue(raw, t, path, p)
}

func checkValue(raw any, t reflect.Type, path string, p *domain.Problems) bool {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if pt := reflect.PointerTo(t); pt.Implements(jsonUnmarshaler) {
		b, err := json.Marshal(raw)
		if err == nil {
			err = reflect.New(t).Interface().(json.Unmarshaler).UnmarshalJSON(b)
		}
		if err != nil {
			p.Add(at(path), "%s", parseHint(t))
			return false
		}
		return true
	} else if pt.Implements(textUnmarshaler) {
		s, ok := raw.(string)
		if !ok {
			p.Add(at(path), "has the wrong type (want a string)")
			return false
		}
		if err := reflect.New(t).Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(s)); err != nil {
			p.Add(at(path), "%s", parseHint(t))
			return false
		}
		return true
	}
	switch t.Kind() {
	case reflect.Struct:
		m, ok := raw.(map[string]any)
		if !ok {
			p.Add(at(path), "has the wrong type (want an object)")
			return false
		}
		fields := jsonFields(t)
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			f, ok := lookupField(fields, k)
			if !ok {
				// Name the fields this object takes, so the caller can correct the misspelt one.
				known := make([]string, len(fields))
				for i, f := range fields {
					known[i] = f.name
				}
				slices.Sort(known)
				p.Add(join(path, k), "is not a known field: the fields here are %s", strings.Join(known, ", "))
				delete(m, k)
				continue
			}
			if !checkJSON(m[k], f.typ, join(path, f.name), p) {
				delete(m, k)
			}
		}
	case reflect.Slice, reflect.Array:
		if t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8 {
			if _, ok := raw.(string); !ok {
				p.Add(at(path), "has the wrong type (want a string)")
				return false
			}
			return true
		}
		a, ok := raw.([]any)
		if !ok {
			p.Add(at(path), "has the wrong type (want a list)")
			return false
		}
		for i, x := range a {
			if !checkJSON(x, t.Elem(), path+"["+strconv.Itoa(i)+"]", p) {
				a[i] = nil
			}
		}
	case reflect.Map:
		m, ok := raw.(map[string]any)
		if !ok {
			p.Add(at(path), "has the wrong type (want an object)")
			return false
		}
		for k, x := range m {
			if !checkJSON(x, t.Elem(), join(path, k), p) {
				delete(m, k)
			}
		}
	case reflect.String:
		if _, ok := raw.(string); !ok {
			p.Add(at(path), "has the wrong type (want a string)")
			return false
		}
	case reflect.Bool:
		if _, ok := raw.(bool); !ok {
			p.Add(at(path), "has the wrong type (want true or false)")
			return false
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, ok := raw.(json.Number)
		if _, err := strconv.ParseInt(string(n), 10, t.Bits()); !ok || err != nil {
			p.Add(at(path), "has the wrong type (want a whole number)")
			return false
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n, ok := raw.(json.Number)
		if _, err := strconv.ParseUint(string(n), 10, t.Bits()); !ok || err != nil {
			p.Add(at(path), "has the wrong type (want a whole number, 0 or more)")
			return false
		}
	case reflect.Float32, reflect.Float64:
		n, ok := raw.(json.Number)
		if _, err := strconv.ParseFloat(string(n), t.Bits()); !ok || err != nil {
			p.Add(at(path), "has the wrong type (want a number)")
			return false
		}
	}
	return true
}

// parseHint says what a refused value should look like, without the value: a type that lists its allowed
// values says them (ParseHint).
func parseHint(t reflect.Type) string {
	if h, ok := reflect.New(t).Interface().(interface{ ParseHint() string }); ok {
		return h.ParseHint()
	}
	switch t {
	case dateType:
		return "is not a date (YYYY-MM-DD or DD/MM/YYYY)"
	case timeType:
		return "is not a date and time (RFC3339, e.g. 2027-03-10T10:00:00Z)"
	}
	return "is not a valid value"
}

type jsonField struct {
	name string
	typ  reflect.Type
}

// jsonFields lists the JSON names of a struct's fields as encoding/json sees them: tag names, embedded
// structs' fields promoted (a shallower field wins), "-" and unexported fields left out.
func jsonFields(t reflect.Type) []jsonField {
	var out, promoted []jsonField
	for i := range t.NumField() {
		sf := t.Field(i)
		tag := sf.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if sf.Anonymous && name == "" {
			ft := sf.Type
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				promoted = append(promoted, jsonFields(ft)...)
				continue
			}
		}
		if !sf.IsExported() {
			continue
		}
		if name == "" {
			name = sf.Name
		}
		out = append(out, jsonField{name: name, typ: sf.Type})
	}
	for _, f := range promoted {
		if !slices.ContainsFunc(out, func(o jsonField) bool { return o.name == f.name }) {
			out = append(out, f)
		}
	}
	return out
}

// lookupField matches a key as encoding/json does: exactly, else case-insensitively.
func lookupField(fs []jsonField, key string) (jsonField, bool) {
	for _, f := range fs {
		if f.name == key {
			return f, true
		}
	}
	for _, f := range fs {
		if strings.EqualFold(f.name, key) {
			return f, true
		}
	}
	return jsonField{}, false
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func at(path string) string {
	if path == "" {
		return "body"
	}
	return path
}
