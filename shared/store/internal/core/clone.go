package core

import (
	"reflect"
	"sync"
)

// clone returns a deep copy of v: every slice, map, pointer and interface it holds, at any depth, is a new
// one, so that changing the copy never changes v. ChangeLoaded gives a change's function such a copy of the
// caller's contact; it was made by encoding the contact to JSON and decoding it again, ≈ 5% of
// BenchmarkEndToEnd's CPU (issue #19). Unexported fields are copied as they are (a time.Time's location).
//
// The copy is made in place: a plain copy of v first, then each field that can share memory (known per type,
// planOf) is replaced by a copy of its own, so that a struct, an array or a slice element is not allocated
// again to be copied into its place.
func clone[T any](v *T) *T {
	out := new(T)
	*out = *v
	if rv := reflect.ValueOf(out).Elem(); planOf(rv.Type()).refs {
		deepen(rv)
	}
	return out
}

// plan is what cloning needs to know of a type: whether a value of it can share memory with another (a
// slice, map, pointer, interface, channel or function in it, at any depth, in an exported field: otherwise a
// plain copy is a deep one), and for a struct which of its fields can.
type plan struct {
	refs   bool
	fields []int // a struct's exported fields whose type has refs
}

// plans caches planOf by type.
var plans sync.Map // reflect.Type → *plan

func planOf(t reflect.Type) *plan {
	if p, ok := plans.Load(t); ok {
		return p.(*plan)
	}
	p := &plan{refs: hasRefsIn(t, map[reflect.Type]bool{})}
	if p.refs && t.Kind() == reflect.Struct {
		for i := range t.NumField() {
			if f := t.Field(i); f.IsExported() && hasRefsIn(f.Type, map[reflect.Type]bool{}) {
				p.fields = append(p.fields, i)
			}
		}
	}
	plans.Store(t, p)
	return p
}

// hasRefs says whether a value of type t can share memory with another (see plan).
func hasRefs(t reflect.Type) bool { return planOf(t).refs }

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

// deepen replaces what v (settable, holding a plain copy of the original) shares with the original by
// copies of its own, at any depth.
func deepen(v reflect.Value) {
	t := v.Type()
	switch t.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return
		}
		n := reflect.New(t.Elem())
		n.Elem().Set(v.Elem())
		if hasRefs(t.Elem()) {
			deepen(n.Elem())
		}
		v.Set(n)
	case reflect.Slice:
		if v.IsNil() {
			return
		}
		n := reflect.MakeSlice(t, v.Len(), v.Len())
		reflect.Copy(n, v)
		if hasRefs(t.Elem()) {
			for i := range n.Len() {
				deepen(n.Index(i))
			}
		}
		v.Set(n)
	case reflect.Map:
		if v.IsNil() {
			return
		}
		n := reflect.MakeMapWithSize(t, v.Len())
		kr, er := hasRefs(t.Key()), hasRefs(t.Elem())
		for it := v.MapRange(); it.Next(); {
			k, e := it.Key(), it.Value()
			if kr {
				k = deepened(k)
			}
			if er {
				e = deepened(e)
			}
			n.SetMapIndex(k, e)
		}
		v.Set(n)
	case reflect.Interface:
		if v.IsNil() {
			return
		}
		if e := v.Elem(); hasRefs(e.Type()) {
			v.Set(deepened(e))
		}
	case reflect.Array:
		for i := range v.Len() {
			deepen(v.Index(i))
		}
	case reflect.Struct:
		for _, i := range planOf(t).fields {
			deepen(v.Field(i))
		}
	}
	// channels and functions are shared: no record holds one
}

// deepened is a deep copy of v (which need not be settable).
func deepened(v reflect.Value) reflect.Value {
	n := reflect.New(v.Type()).Elem()
	n.Set(v)
	deepen(n)
	return n
}
