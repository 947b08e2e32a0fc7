package core

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/domain"
)

// fill sets every exported field of v, at any depth, to a value made from seed: every slice and map gets two
// entries, every pointer a value, so that a field added to domain.Contact later is covered without this test
// naming it.
func fill(v reflect.Value, seed int, depth int) {
	if depth > 6 {
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString("s" + string(rune('a'+seed%26)))
	case reflect.Bool:
		v.SetBool(seed%2 == 1)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(seed%100 + 1))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(uint64(seed%100 + 1))
	case reflect.Float32, reflect.Float64:
		v.SetFloat(float64(seed) + 0.5)
	case reflect.Pointer:
		n := reflect.New(v.Type().Elem())
		fill(n.Elem(), seed+1, depth+1)
		v.Set(n)
	case reflect.Slice:
		n := reflect.MakeSlice(v.Type(), 2, 2)
		for i := range 2 {
			fill(n.Index(i), seed+i+1, depth+1)
		}
		v.Set(n)
	case reflect.Map:
		n := reflect.MakeMap(v.Type())
		for i := range 2 {
			k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
			fill(k, seed+i+1, depth+1)
			fill(e, seed+i+1, depth+1)
			n.SetMapIndex(k, e)
		}
		v.Set(n)
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			v.Set(reflect.ValueOf(time.Date(2026, 11, 16, 10, seed%60, 0, 0, time.UTC)))
			return
		}
		if v.Type() == reflect.TypeFor[domain.Date]() {
			v.Set(reflect.ValueOf(domain.Date{Y: 2015, M: seed%12 + 1, D: seed%28 + 1}))
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), seed+i, depth+1)
			}
		}
	}
}

// mutate changes every value v holds in place: each element of its slices, each entry of its maps, what
// each of its pointers points to (a copy that shared any of them with the original would change it too).
func mutate(v reflect.Value, depth int) {
	if depth > 6 {
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			mutate(v.Elem(), depth+1)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			mutate(v.Index(i), depth+1)
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			e := reflect.New(v.Type().Elem()).Elem()
			e.Set(it.Value())
			mutate(e, depth+1)
			v.SetMapIndex(it.Key(), e)
		}
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			v.Set(reflect.ValueOf(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)))
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				mutate(v.Field(i), depth+1)
			}
		}
	default:
		if v.CanSet() {
			fill(v, 99, depth)
		}
	}
}

// Issue #19: ChangeLoaded's copy of the caller's contact (made by clone, no longer through JSON) is equal to
// it, field for field and as the stored document, and shares nothing with it: changing every field of the
// copy, at any depth, leaves the caller's contact as it was.
func TestClone_ContactIsEqualAndSharesNothing(t *testing.T) {
	var c domain.Contact
	fill(reflect.ValueOf(&c).Elem(), 1, 0)
	if len(c.Parents) == 0 || c.Rating == nil || len(c.Deadlines) == 0 {
		t.Fatal("fill left slices, pointers or maps empty: the test would prove nothing")
	}
	want := marshal(&c)
	cp := clone(&c)
	if !reflect.DeepEqual(cp, &c) {
		t.Fatal("the copy differs from the contact")
	}
	if got := marshal(cp); string(got) != string(want) {
		t.Fatalf("the copy's document differs:\n got %s\nwant %s", got, want)
	}
	mutate(reflect.ValueOf(cp).Elem(), 0)
	if got := marshal(cp); string(got) == string(want) {
		t.Fatal("mutate changed nothing: the test would prove nothing")
	}
	if got := marshal(&c); string(got) != string(want) {
		t.Fatalf("changing the copy changed the contact:\n got %s\nwant %s", got, want)
	}
	// and as the JSON copy did: what it decodes to from the document is what clone gives
	var viaJSON domain.Contact
	if err := json.Unmarshal(want, &viaJSON); err != nil {
		t.Fatal(err)
	}
	if got := marshal(clone(&viaJSON)); string(got) != string(want) {
		t.Fatalf("a copy of the decoded contact differs:\n got %s\nwant %s", got, want)
	}
}

func BenchmarkClone_Contact(b *testing.B) {
	var c domain.Contact
	fill(reflect.ValueOf(&c).Elem(), 1, 0)
	b.Run("clone", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			_ = clone(&c)
		}
	})
	b.Run("json", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			if _, err := decode[domain.Contact](&Item{SK: skContact, Doc: marshal(&c)}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
