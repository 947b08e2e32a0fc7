package email

import (
	"sort"
	"strings"
	"testing"

	"github.com/safeguarding/mash/shared/domain"
)

// Portsmouth §4.6 (the child's school or setting), the eleventh round's rules: "here" where the writer says "here at
// <School>"; "there" just after a sentence naming one school; "the two younger ones attend <School>" for the email's
// youngest children; a child's short name ("Dev" for Devontae) with the school beside it; a lower-case writer's
// "she goes to <school>"; a listed child's short setting name ("…, 14, QE Boys") said elsewhere as "is at QE Boys".
// Rows of our own invention, those that must be read and those that must not.
func TestPortsmouth_ChildSchool_HereThereGroupsShortNames(t *testing.T) {
	cases := []struct {
		name, subject, body string
		want                []string // "Given Family|School", sorted
	}{
		{"here at the writer's school", "Prevent concern",
			"I am referring Ryan Cole, born 2 March 2011, who is in Year 10 here at Hillcrest Academy.\nHis sister Mia Cole (12) is in Year 8 here.\n",
			[]string{"Mia Cole|Hillcrest Academy", "Ryan Cole|Hillcrest Academy"}},
		{"here, but two schools said here", "Concern",
			"Ryan Cole (15) is in Year 10 here at Hillcrest Academy. Mia Cole (12) is in Year 8 here at Oak Lane School.\nJo Cole (11) is in Year 7 here.\n",
			[]string{"Jo Cole|", "Mia Cole|Oak Lane School", "Ryan Cole|Hillcrest Academy"}},
		{"both go there", "Concern",
			"Their father was seen outside Elmwood Primary School at home time. Ella and Sam both go there.\nElla Price is 8 and Sam Price is 6.\n",
			[]string{"Ella Price|Elmwood Primary School", "Sam Price|Elmwood Primary School"}},
		{"there after a sentence naming two schools", "Concern",
			"He waited between Elmwood Primary School and Hill Academy. Ella goes there.\nElla Price is 8.\n",
			[]string{"Ella Price|"}},
		{"the two younger ones attend", "Concern",
			"She has three children, Lena (14), Omar (9) and Sami (6) Haddad. Lena attends Park High School and the two younger ones attend Elm Primary School.\n",
			[]string{"Lena Haddad|Park High School", "Omar Haddad|Elm Primary School", "Sami Haddad|Elm Primary School"}},
		{"the two younger ones, a tie at the edge", "Concern",
			"She has four children, Lena (14), Omar (9), Rami (9) and Sami (6) Haddad. The two younger ones attend Elm Primary School.\n",
			[]string{"Lena Haddad|", "Omar Haddad|", "Rami Haddad|", "Sami Haddad|"}},
		{"a short name with the school", "Welfare concern - BROOKS Alexander 03/05/2014",
			"Alex has played for our U13s for two years and is in Year 7 at Northgate School. He has come to training with bruises.\n",
			[]string{"Alexander Brooks|Northgate School"}},
		{"a bracket with the school year and the school", "Concern",
			"Leo Hart (DOB 03/03/2015) was upset today. His sister Mia Hart (Year 5, Elmgrove Primary) is also at home.\n",
			[]string{"Leo Hart|", "Mia Hart|Elmgrove Primary"}},
		{"a bracket with the school year and a road", "Concern",
			"His sister Mia Hart (Year 5, Elmgrove Road) is also at home. Leo Hart (DOB 03/03/2015) was upset today.\n",
			[]string{"Leo Hart|", "Mia Hart|"}},
		{"a bracket, a dash and the school", "Concern",
			"The children:\n• Mia Hart (DOB 02/02/2016) - Elmgrove Juniors, I collect her at 3\n",
			[]string{"Mia Hart|Elmgrove Juniors"}},
		{"a bracket, a dash and no school", "Concern",
			"The children:\n• Mia Hart (DOB 02/02/2016) - Tuesday Club, I collect her at 3\n",
			[]string{"Mia Hart|"}},
		{"a short form that is another child's name", "Welfare concern - BROOKS Alexander 03/05/2014",
			"His brother Alex Brooks (9) is in Year 4 at Northgate Primary School.\n",
			[]string{"Alex Brooks|Northgate Primary School", "Alexander Brooks|"}},
		{"she, after a sentence opening with the child", "Concern",
			"Kira Lane, DOB 02/02/2016, has lived with us in Croydon since May under a care order. She is in Year 5 at Oak Hill Primary School.\n",
			[]string{"Kira Lane|Oak Hill Primary School"}},
		{"she, after a sentence naming another woman", "Concern",
			"Kira Lane, DOB 02/02/2016, lives with Sharon most weekends. She is at Croydon College.\n",
			[]string{"Kira Lane|"}},
		{"in a school year at a name with no school's word", "Concern",
			"Ben Hart (DOB 03/04/2016) is in Year 5 at Park View, where he has had 20 absences.\n",
			[]string{"Ben Hart|Park View"}},
		{"in a school year at a road", "Concern",
			"Ben Hart (DOB 03/04/2016) is in Year 5 at Park View Road.\n",
			[]string{"Ben Hart|"}},
		{"was in a school year at a name: the past", "Concern",
			"Ben Hart (DOB 03/04/2016) was in Year 5 at Park View.\n",
			[]string{"Ben Hart|"}},
		{"goes to a saint's school", "Concern",
			"Ben Hart (DOB 03/04/2016) goes to St Anne's and is often late.\n",
			[]string{"Ben Hart|St Anne's"}},
		{"goes to a saint's hospital", "Concern",
			"Ben Hart (DOB 03/04/2016) goes to St Thomas' Hospital for his asthma.\n",
			[]string{"Ben Hart|"}},
		{"in a school year with us at a short name", "Concern",
			"Tom Hill (DOB 01/01/2017) is in Year 4 with us at Gayfield. He has a speech delay.\n",
			[]string{"Tom Hill|Gayfield"}},
		{"with us at a season", "Concern",
			"Tom Hill (DOB 01/01/2017) is with us at Easter.\n",
			[]string{"Tom Hill|"}},
		{"a school, where the child goes", "Concern",
			"The voucher came from Hill Primary School, where Tom goes. Tom Hill is 8.\n",
			[]string{"Tom Hill|Hill Primary School"}},
		{"a school, where the child's mum works", "Concern",
			"The voucher came from Hill Primary School, where Tom's mum works. Tom Hill is 8.\n",
			[]string{"Tom Hill|"}},
		{"he's 9 and at, after a sentence naming him alone", "Concern",
			"One of our members, Tom Hill (DOB 01/01/2017), came to training tonight with a black eye. He's 9 and at Park Primary School.\n",
			[]string{"Tom Hill|Park Primary School"}},
		{"she's and at, after a sentence naming a woman too", "Concern",
			"Tom Hill (DOB 01/01/2017) came to training with Sharon tonight. She's 30 and at Park College.\n",
			[]string{"Tom Hill|"}},
		{"lower case: they both go", "help",
			"im worried about the kids next door. the kids are kai and rosie hart because there names are on there coats. kai is 8 and rosie is 5 they both go oak lane school\n",
			[]string{"Kai|Oak Lane School", "Rosie|Oak Lane School"}},
		{"lower case: mum and dad both go", "help",
			"im worried about the kids next door. the kids are kai and rosie hart because there names are on there coats. kai is 8 and rosie is 5 and there mum and dad they both go oak lane college\n",
			[]string{"Kai|", "Rosie|"}},
		{"a lower-case writer's she goes to", "help",
			"im 15 and my little sister maya shes 7. she goes to oak hill primary. my stepdad hurts her\n",
			[]string{"Maya|Oak Hill Primary"}},
		{"lower case, no name: the primary", "help",
			"my little sister maya is 7. she goes to the primary round the corner\n",
			[]string{"Maya|"}},
		{"lower case, mum between", "help",
			"my little sister maya is 7. my mum is always out, she goes to oak hill college on tuesdays\n",
			[]string{"Maya|"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := parseBody(t, c.subject, c.body)
			var got []string
			for _, ch := range m.Children {
				got = append(got, strings.TrimSpace(ch.GivenName+" "+ch.FamilyName)+"|"+ch.School)
			}
			sort.Strings(got)
			if strings.Join(got, ", ") != strings.Join(c.want, ", ") {
				t.Errorf("children %q, want %q", got, c.want)
			}
		})
	}
}

// A listed child's setting written short ("…, 14, QE Boys") is the child's school when the email also says someone
// is at, goes to or attends that same short name; a last item the email never says so of is not read.
func TestChildSchool_ListedShortNameSaidElsewhere(t *testing.T) {
	cases := []struct {
		name, row, all, want string
	}{
		{"said as 'is at'", "Siblings | Owen Hart, 12, KGS", "Her brother is at KGS.", "KGS"},
		{"two words said as 'goes to'", "Siblings | Owen Hart, 12, St Ann's", "Owen goes to St Ann's on the bus.", "St Ann's"},
		{"never said elsewhere", "Siblings | Owen Hart, 12, St Ann's", "Nothing else.", ""},
		{"a street", "Siblings | Owen Hart, 12, Mill Road", "Dad is at Mill Road.", ""},
		{"one word, no initialism", "Siblings | Owen Hart, 12, Reading", "He is at Reading.", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			k := &kid{src: map[string]domain.FieldSource{}}
			k.c.GivenName, k.c.FamilyName = "Owen", "Hart"
			listedShortSchool([]*kid{k}, c.row, c.row+"\n"+c.all, func(k *kid, s string) { k.c.School = s })
			if k.c.School != c.want {
				t.Errorf("school %q, want %q", k.c.School, c.want)
			}
		})
	}
}

// A form's school answer that opens with who says so ("says she attends Oak Academy") gives the school after it; a
// lead with no school's name after it gives none.
func TestChildSchool_FormAnswerSaidByTheChild(t *testing.T) {
	cases := []struct{ name, body, want string }{
		{"says she attends", "Name: Amy Lee\nDOB: 01/02/2012\nSchool: says she attends Oak Park Academy\n", "Oak Park Academy"},
		{"reportedly attends", "Name: Amy Lee\nDOB: 01/02/2012\nEducation: reportedly attends Hill Primary School\n", "Hill Primary School"},
		{"says she is home educated", "Name: Amy Lee\nDOB: 01/02/2012\nSchool: says she is home educated\n", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := parseBody(t, "Referral", c.body)
			if len(m.Children) != 1 || m.Children[0].School != c.want {
				t.Errorf("children %+v, want one at %q", m.Children, c.want)
			}
		})
	}
}
