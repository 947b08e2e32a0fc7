package trays

import (
	"slices"
	"testing"
)

// Hackney §4(1): a contact saying a child is at risk of immediate harm is brought to immediate attention, so
// it heads every tray it is on, above contacts due earlier; the rest, and the immediate-harm contacts among
// themselves, stay earliest due first (the order the store gives). The console and the API both order by
// this one function.
func TestHackney_4_1_ImmediateHarm_HeadsTheTray(t *testing.T) {
	type row struct {
		ref  string
		harm bool
	}
	for _, tc := range []struct {
		name string
		in   []row // earliest due first, as the store lists a tray
		want []string
	}{
		{"one immediate-harm contact, due last, goes first", []row{{"A", false}, {"B", false}, {"C", true}}, []string{"C", "A", "B"}},
		{"two immediate-harm contacts keep their due order", []row{{"A", false}, {"B", true}, {"C", false}, {"D", true}}, []string{"B", "D", "A", "C"}},
		{"none: the due order stands", []row{{"A", false}, {"B", false}}, []string{"A", "B"}},
		{"all: the due order stands", []row{{"A", true}, {"B", true}}, []string{"A", "B"}},
		{"an empty tray", nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rows := slices.Clone(tc.in)
			ImmediateHarmFirst(rows, func(r row) bool { return r.harm })
			var got []string
			for _, r := range rows {
				got = append(got, r.ref)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("order %v, want %v", got, tc.want)
			}
		})
	}
}
