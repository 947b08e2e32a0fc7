package notify

import (
	"bytes"
	htmltemplate "html/template"
	"strings"
	"testing"
	texttemplate "text/template"
)

// The templates render.go replaced, kept here (test code is never linked into a Lambda) as the reference
// the hand-written renderer must match byte for byte. See imports_test.go for why they had to go.
var refText = texttemplate.Must(texttemplate.New("text").Parse(`{{range .Notes}}NOTE: {{.}}
{{end}}{{if .Notes}}
{{end}}{{.Lead}}

{{range .Facts}}{{.Label}}: {{.Value}}
{{end}}{{range .Paras}}
{{.}}
{{end}}{{if .Link}}
{{.LinkFor}}: {{.Link}}
{{end}}
{{.Sign}}
`))

var refHTML = htmltemplate.Must(htmltemplate.New("html").Parse(`<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{{.Subject}}</title></head>
<body>
{{range .Notes}}<p><strong>Note:</strong> {{.}}</p>
{{end}}<p>{{.Lead}}</p>
<table>
{{range .Facts}}<tr><th align="left">{{.Label}}</th><td>{{.Value}}</td></tr>
{{end}}</table>
{{range .Paras}}<p>{{.}}</p>
{{end}}{{if .Link}}<p><a href="{{.Link}}">{{.LinkFor}}</a></p>
{{end}}<p>{{.Sign}}</p>
</body>
</html>
`))

func reference(t testing.TB, m message) (string, string) {
	t.Helper()
	var tb, hb bytes.Buffer
	if err := refText.Execute(&tb, m); err != nil {
		t.Fatal(err)
	}
	if err := refHTML.Execute(&hb, m); err != nil {
		t.Fatal(err)
	}
	// The one deliberate difference: html/template escapes '+' as &#43; (a UTF-7 defence), html.EscapeString
	// leaves it; both are safe in element content and in a double-quoted attribute.
	return tb.String(), strings.ReplaceAll(hb.String(), "&#43;", "+")
}

func checkSame(t testing.TB, m message) {
	t.Helper()
	wantText, wantHTML := reference(t, m)
	gotText, gotHTML, err := render(m)
	if err != nil {
		t.Fatalf("render: %v", err)
	}
	if gotText != wantText {
		t.Errorf("text differs from text/template:\n got %q\nwant %q", gotText, wantText)
	}
	if gotHTML != wantHTML {
		t.Errorf("HTML differs from html/template:\n got %q\nwant %q", gotHTML, wantHTML)
	}
}

var tricky = []string{"", "plain", `<script>alert("x")</script>`, `Tom & 'Jerry'`, "a+b=c", "nul\x00byte",
	"tab\tand\nnewline", "héllo — ünïcode ✓", "&amp; already escaped", "</title><p>", "\xff\xfe invalid utf-8"}

// TestRender_MatchesTemplates: the renderer gives what the templates gave, for every shape of message
// (notes or none, facts, paragraphs, link or none) and hostile values.
func TestRender_MatchesTemplates(t *testing.T) {
	for i, s := range tricky {
		for _, shape := range []message{
			{Subject: s, Lead: s, Sign: s},
			{Subject: s, Notes: []string{s, "second note"}, Lead: s, Facts: []fact{{s, s}, {"Label", ""}},
				Paras: []string{s, s}, Link: "https://mash.example.gov.uk/contacts/c_1?a=1&b='2'", LinkFor: s, Sign: s},
			{Subject: "x", Lead: "y", Facts: []fact{{"k", s}}, Link: "HTTP://Example.COM/x;y", LinkFor: "open " + s},
			{Subject: "x", Lead: "y", Link: "https://x.example/p%20q(é)?a=(1)&b=\"é\"&c=<d>{e}|^`#frag", LinkFor: "o", Sign: "s"},
		} {
			checkSame(t, shape)
			if t.Failed() {
				t.Fatalf("case %d (%q)", i, s)
			}
		}
	}
}

// FuzzRender_MatchesTemplates: the same property on fuzzed values (go test -fuzz FuzzRender ./shared/notify).
func FuzzRender_MatchesTemplates(f *testing.F) {
	for _, s := range tricky {
		f.Add(s, s, s)
	}
	f.Fuzz(func(t *testing.T, a, b, c string) {
		link := "https://mash.example.gov.uk/contacts/" + c
		if !safeLink(link) {
			link = ""
		}
		checkSame(t, message{Subject: a, Notes: []string{b}, Lead: c, Facts: []fact{{a, b}}, Paras: []string{c},
			Link: link, LinkFor: a, Sign: b})
	})
}

// TestRender_LinksAreHTTPOnly: only absolute http(s) URLs reach an href; anything else is an error, never
// rendered (html/template would have put "#ZgotmplZ" in the href).
func TestRender_LinksAreHTTPOnly(t *testing.T) {
	for _, tc := range []struct {
		link string
		ok   bool
	}{
		{"https://mash.example.gov.uk/contacts/c_1", true},
		{"http://partner.example/answer?id=1&x=2", true},
		{"HTTPS://Partner.Example/a", true},
		{"javascript:alert(1)", false},
		{"JavaScript://mash.example.gov.uk/%0aalert(1)", false},
		{"data:text/html,<script>alert(1)</script>", false},
		{"vbscript:msgbox", false},
		{"//mash.example.gov.uk/contacts/c_1", false},
		{"/contacts/c_1", false},
		{"https:opaque", false},
		{"https:///nohost", false},
		{"https://mash.example.gov.uk/a b", false},
		{"https://mash.example.gov.uk/a\n<script>", false},
		{"ftp://mash.example.gov.uk/", false},
	} {
		text, htm, err := render(message{Lead: "l", Link: tc.link, LinkFor: "open", Sign: "s"})
		if tc.ok != (err == nil) {
			t.Errorf("render(link %q): err = %v, want ok=%v", tc.link, err, tc.ok)
			continue
		}
		if !tc.ok && (text != "" || htm != "") {
			t.Errorf("render(link %q) refused but returned a body", tc.link)
		}
	}
	_, htm, err := render(message{Link: `https://x.example/?q="><script>&x='()é%41`, LinkFor: "open"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(htm, `<a href="https://x.example/?q=%22%3e%3cscript%3e&amp;x=%27%28%29%c3%a9%41">`) {
		t.Errorf("href value not escaped:\n%s", htm)
	}
}

func BenchmarkRender(b *testing.B) {
	m := message{Subject: "MASH contact HAC-2027-000123: outcome", Notes: []string{"note"}, Lead: "lead",
		Facts: []fact{{"Reference", "HAC-2027-000123"}, {"Received", "Friday 24 December 2027 at 16:59"}},
		Paras: []string{"para one", "para two"}, Link: "https://mash.example.gov.uk/contacts/c_1", LinkFor: "open", Sign: "sign"}
	for b.Loop() {
		if _, _, err := render(m); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRenderTemplates(b *testing.B) {
	m := message{Subject: "MASH contact HAC-2027-000123: outcome", Notes: []string{"note"}, Lead: "lead",
		Facts: []fact{{"Reference", "HAC-2027-000123"}, {"Received", "Friday 24 December 2027 at 16:59"}},
		Paras: []string{"para one", "para two"}, Link: "https://mash.example.gov.uk/contacts/c_1", LinkFor: "open", Sign: "sign"}
	for b.Loop() {
		reference(b, m)
	}
}
