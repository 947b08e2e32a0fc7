package core

import (
	"reflect"
	"sync"
)

// clone returns a deep copy of v: every slice, map, pointer and interface it holds, at any depth, is a new
// one, so that changing the copy never changes v. ChangeLoaded gives a change's function such a copy of the
// caller's contact; it was made by encoding the contact to JSON and decoding it again, ≈ 5% of
// BenchmarkEndToEnd's CPU (issue #19). Unexported fields are copied as they are (a time.Time's location).
func clone[T any](v *T) *T {
	out := new(T)
	*out = *v
	rv := reflect.ValueOf(out).Elem()
	if hasRefs(rv.Type()) {
		rv.Set(cloneValue(reflect.ValueOf(*v)))
	}
	return out
}

// refs caches hasRefs by type.
var refs sync.Map // reflect.Type → bool

// hasRefs says whether a value of type t can share memory with another (a slice, map, pointer, interface,
// channel or function in it, at any depth, in an exported field): otherwise a plain copy is a deep one.
func hasRefs(t reflect.Type) bool {
	if r, ok := refs.Load(t); ok {
		return r.(bool)
	}
	r := hasRefsIn(t, map[reflect.Type]bool{})
	refs.Store(t, r)
	return r
}

func hasRefsIn(t reflect.Type, seen map[reflect.Type]bool) bool {
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Interface, reflect.Chan, reflect.Func, reflect.UnsafePointer:
		return true
	case reflect.Array:
		return hasRefsIn(t.Elem(), seen)
	case reflect.Struct:
		if seen[t] {
			return false
		}
		seen[t] = true
		for i := range t.NumField() {
			if f := t.Field(i); f.IsExported() && hasRefsIn(f.Type, seen) {
				return true
			}
		}
	}
	return false
}

func cloneValue(v reflect.Value) reflect.Value {
	t := v.Type()
	if !hasRefs(t) {
		return v
	}
	switch t.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return v
		}
		n := reflect.New(t.Elem())
		n.Elem().Set(cloneValue(v.Elem()))
		return n
	case reflect.Slice:
		if v.IsNil() {
			return v
		}
		n := reflect.MakeSlice(t, v.Len(), v.Len())
		if !hasRefs(t.Elem()) {
			reflect.Copy(n, v)
			return n
		}
		for i := range v.Len() {
			n.Index(i).Set(cloneValue(v.Index(i)))
		}
		return n
	case reflect.Map:
		if v.IsNil() {
			return v
		}
		n := reflect.MakeMapWithSize(t, v.Len())
		for it := v.MapRange(); it.Next(); {
			n.SetMapIndex(cloneValue(it.Key()), cloneValue(it.Value()))
		}
		return n
	case reflect.Interface:
		if v.IsNil() {
			return v
		}
		n := reflect.New(t).Elem()
		n.Set(cloneValue(v.Elem()))
		return n
	case reflect.Array:
		n := reflect.New(t).Elem()
		for i := range v.Len() {
			n.Index(i).Set(cloneValue(v.Index(i)))
		}
		return n
	case reflect.Struct:
		n := reflect.New(t).Elem()
		n.Set(v)
		for i := range t.NumField() {
			if t.Field(i).IsExported() && hasRefs(t.Field(i).Type) {
				n.Field(i).Set(cloneValue(v.Field(i)))
			}
		}
		return n
	}
	return v // channels and functions are shared: no record holds one
}
