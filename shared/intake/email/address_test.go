package email

import "testing"

// Portsmouth §4.6 (the IACF's child details: the child's address): an address written over several lines is
// read line by line until a blank line or the next field. A line with a label of its own, even one the form
// reader does not know ("Mum:", "Mum's partner:", "Tel:"), is the next field: a parent's name, a partner's or a
// telephone number is never part of the child's address.
func TestPortsmouth_ChildAddress_EndsAtTheNextLabelledLine(t *testing.T) {
	cases := []struct{ name, body, want string }{
		{"a parent's line under the address", "Child's name: Ellis Marsh\nDOB: 03/04/2013\nAddress: 14 Harbour Row, Old Town\nMum: Jodie Marsh. Mum's partner: Craig (surname unknown)\n",
			"14 Harbour Row, Old Town"},
		{"a telephone under the address", "Name: Poppy Lane\nDOB: 09/10/2016\nHome address: 2 Mill Close\nTel: 07700 900123\n",
			"2 Mill Close"},
		{"an address over three lines", "Name: Poppy Lane\nDOB: 09/10/2016\nAddress: Flat 3, Kestrel House\nWeston Road\nPO3 5AB\n",
			"Flat 3, Kestrel House, Weston Road, PO3 5AB"},
		{"a time inside an address line is no label", "Name: Poppy Lane\nDOB: 09/10/2016\nAddress: 7 Dock Lane\nNight shelter from 21:30, room 4\n",
			"7 Dock Lane, Night shelter from 21:30, room 4"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := parseBody(t, "Referral", c.body)
			if len(m.Children) != 1 {
				t.Fatalf("children %+v, want one", m.Children)
			}
			if got := m.Children[0].Address; got != c.want {
				t.Errorf("address %q, want %q", got, c.want)
			}
		})
	}
}
