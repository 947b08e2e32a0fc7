package console

import (
	"bytes"
	"fmt"
	"html/template"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
)

// The oracle: every page the console tests render is also executed with the html/template pages the Go
// renderers replaced (testdata/templates, as they were), and must be the same bytes.

var oracleFuncs = template.FuncMap{
	"label": label,
	"id":    fieldID,
	"field": func(v view, name, label, hint string) oracleField { return oracleField{v, name, label, hint} },
	"str":   str,
}

type oracleField struct {
	V                 view
	Name, Label, Hint string
}

var oracle = struct {
	sync.Mutex
	pages    map[string]*template.Template
	compared map[string]int
	diffs    []string
}{pages: map[string]*template.Template{}, compared: map[string]int{}}

func TestMain(m *testing.M) {
	names := []string{"home", "tray", "contact", "search", "quarantine", "ooh", "refer", "referred", "answer",
		"answered", "signin", "error", "reports", "schools", "school", "encompass", "acknowledged", "referrals"}
	for _, n := range names {
		t, err := template.New("layout.html").Funcs(oracleFuncs).ParseFS(os.DirFS("testdata/templates"), "layout.html", "parts.html", n+".html")
		if err != nil {
			fmt.Println(err)
			os.Exit(1)
		}
		oracle.pages[n] = t
	}
	renderHook = func(name string, v view, out string, err error) {
		var buf bytes.Buffer
		terr := oracle.pages[name].Execute(&buf, v)
		oracle.Lock()
		defer oracle.Unlock()
		oracle.compared[name]++
		if (err != nil) != (terr != nil) {
			oracle.diffs = append(oracle.diffs, fmt.Sprintf("%s: Go error %v, template error %v", name, err, terr))
			return
		}
		if err != nil {
			return
		}
		want := buf.String()
		if out != want {
			i := 0
			for i < len(out) && i < len(want) && out[i] == want[i] {
				i++
			}
			lo := max(0, i-300)
			oracle.diffs = append(oracle.diffs, fmt.Sprintf("%s differs at byte %d:\n--- Go:\n%s\n--- template:\n%s\n", name, i,
				out[lo:min(len(out), i+200)], want[lo:min(len(want), i+200)]))
		}
	}
	code := m.Run()
	var seen []string
	for n, c := range oracle.compared {
		seen = append(seen, fmt.Sprintf("%s×%d", n, c))
	}
	sort.Strings(seen)
	fmt.Println("oracle compared:", strings.Join(seen, " "))
	if len(oracle.diffs) > 0 {
		fmt.Printf("%d pages differ from the templates; the first:\n%s\n", len(oracle.diffs), oracle.diffs[0])
		for _, d := range oracle.diffs[1:min(len(oracle.diffs), 6)] {
			fmt.Println(d[:min(len(d), 1500)])
		}
		code = 1
	}
	os.Exit(code)
}
