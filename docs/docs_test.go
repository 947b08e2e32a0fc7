// Package docs_test keeps the documentation honest: docs/api.md is generated from api/openapi.yaml, and every
// Markdown file the code, the README and the docs cite is in the repository.
package docs_test

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

var update = flag.Bool("update", false, "rewrite docs/api.md from api/openapi.yaml")

func schemaName(ref *openapi3.SchemaRef) string {
	if ref == nil {
		return ""
	}
	if ref.Ref != "" {
		return "`" + path.Base(ref.Ref) + "`"
	}
	if ref.Value != nil && ref.Value.Type != nil && ref.Value.Type.Is("object") {
		var props []string
		for _, k := range slices.Sorted(func(yield func(string) bool) {
			for k := range ref.Value.Properties {
				if !yield(k) {
					return
				}
			}
		}) {
			props = append(props, "`"+k+"`")
		}
		return "object: " + strings.Join(props, ", ")
	}
	return ""
}

// apiReference renders the contract as Markdown: one table of operations, then each operation.
func apiReference(t *testing.T) string {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile("../api/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatal(err)
	}
	type op struct {
		method, path string
		o            *openapi3.Operation
		params       openapi3.Parameters
	}
	var ops []op
	for p, item := range doc.Paths.Map() {
		for m, o := range item.Operations() {
			ops = append(ops, op{m, p, o, append(append(openapi3.Parameters{}, item.Parameters...), o.Parameters...)})
		}
	}
	sort.Slice(ops, func(i, j int) bool {
		if ops[i].path != ops[j].path {
			return ops[i].path < ops[j].path
		}
		return ops[i].method < ops[j].method
	})
	roles := func(o *openapi3.Operation) string {
		rs, _ := o.Extensions["x-roles"].([]any)
		var out []string
		for _, r := range rs {
			out = append(out, fmt.Sprint(r))
		}
		return strings.Join(out, ", ")
	}
	var b bytes.Buffer
	b.WriteString("# HTTP API\n\n")
	b.WriteString("Generated from [`api/openapi.yaml`](../api/openapi.yaml) (OpenAPI 3.1, the contract the API tests check every\n")
	b.WriteString("request and response against) by `go test ./docs -run TestDocs_APIReference -update`; a test fails when this\n")
	b.WriteString("file differs. Load the YAML into any OpenAPI viewer for the full schemas.\n\n")
	b.WriteString(strings.TrimSpace(doc.Info.Description) + "\n\n")
	b.WriteString("Locally: `mash demo --authority hackney` prints a bearer token and curl lines; `mash token` mints others.\n\n")
	b.WriteString("| method | path | what | roles | success |\n|---|---|---|---|---|\n")
	for _, x := range ops {
		var ok []string
		for _, code := range slices.Sorted(func(yield func(string) bool) {
			for c := range x.o.Responses.Map() {
				if !yield(c) {
					return
				}
			}
		}) {
			if strings.HasPrefix(code, "2") {
				ok = append(ok, code)
			}
		}
		fmt.Fprintf(&b, "| %s | `%s` | %s | %s | %s |\n", x.method, x.path, x.o.Summary, roles(x.o), strings.Join(ok, ", "))
	}
	for _, x := range ops {
		fmt.Fprintf(&b, "\n## %s %s\n\n%s.", x.method, x.path, x.o.Summary)
		if x.o.Description != "" {
			fmt.Fprintf(&b, " %s", strings.TrimSpace(x.o.Description))
		}
		fmt.Fprintf(&b, "\n\n- roles: %s\n", roles(x.o))
		for _, p := range x.params {
			desc := p.Value.Description
			fmt.Fprintf(&b, "- %s parameter `%s`%s: %s\n", p.Value.In, p.Value.Name, map[bool]string{true: " (required)"}[p.Value.Required], desc)
		}
		if rb := x.o.RequestBody; rb != nil && rb.Value != nil {
			if mt := rb.Value.Content.Get("application/json"); mt != nil {
				fmt.Fprintf(&b, "- body: %s\n", schemaName(mt.Schema))
			}
		}
		for _, code := range slices.Sorted(func(yield func(string) bool) {
			for c := range x.o.Responses.Map() {
				if !yield(c) {
					return
				}
			}
		}) {
			r := x.o.Responses.Value(code)
			desc := ""
			if r.Ref != "" {
				desc = *doc.Components.Responses[path.Base(r.Ref)].Value.Description
			} else if r.Value != nil && r.Value.Description != nil {
				desc = *r.Value.Description
			}
			body := ""
			if r.Value != nil {
				if mt := r.Value.Content.Get("application/json"); mt != nil {
					body = " — " + schemaName(mt.Schema)
				}
			}
			fmt.Fprintf(&b, "- %s: %s%s\n", code, strings.TrimSpace(desc), body)
		}
	}
	b.WriteString("\n## Vocabularies\n\n")
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for k, s := range doc.Components.Schemas {
			if len(s.Value.Enum) > 0 && !yield(k) {
				return
			}
		}
	}) {
		var vs []string
		for _, v := range doc.Components.Schemas[name].Value.Enum {
			vs = append(vs, "`"+fmt.Sprint(v)+"`")
		}
		fmt.Fprintf(&b, "- **%s**: %s\n", name, strings.Join(vs, ", "))
	}
	return b.String()
}

// docs/api.md is current: generated from api/openapi.yaml.
func TestDocs_APIReferenceIsCurrent(t *testing.T) {
	const file = "api.md"
	want := apiReference(t)
	if *update {
		if err := os.WriteFile(file, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(file)
	if err != nil || string(got) != want {
		t.Fatalf("docs/%s is out of date: go test ./docs -run TestDocs_APIReference -update", file)
	}
}

var (
	mdRef   = regexp.MustCompile(`[A-Za-z0-9_./-]*[A-Za-z0-9_-]\.md\b`)
	outside = regexp.MustCompile(`\bDESIGN\b|\bSTYLE\b|(\.\./)+shared/(seeds|DESIGN|STYLE|hooks)`)
)

// Every Markdown file the code, the README, the docs and the policies cite exists in the repository (by its
// path from the repository root, or relative to the citing file, or by its name alone when that name is
// unique in the repository). Nothing cites the design notes that live outside it.
func TestDocs_CitedFilesExist(t *testing.T) {
	var files []string
	err := filepath.WalkDir("..", func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && p != ".." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "node_modules" || d.Name() == "bin") {
			return filepath.SkipDir // .git, .tools, .mash, .aws-sam; built binaries
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel("..", p)
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	exists := map[string]bool{}
	byName := map[string]int{}
	for _, f := range files {
		exists[f] = true
		byName[path.Base(f)]++
	}
	for _, f := range files {
		if !(strings.HasSuffix(f, ".go") || strings.HasSuffix(f, ".md") || strings.HasSuffix(f, ".yaml") || strings.HasSuffix(f, ".json") || f == "Makefile") {
			continue
		}
		b, err := os.ReadFile(filepath.Join("..", f))
		if err != nil {
			continue // deleted in the working tree
		}
		if f == "docs/docs_test.go" {
			continue // names the outside files to refuse them
		}
		for _, ref := range mdRef.FindAllString(string(b), -1) {
			ref = strings.TrimPrefix(ref, "./")
			rel := path.Clean(path.Join(path.Dir(f), ref))
			if exists[ref] || exists[rel] || (!strings.Contains(ref, "/") && byName[ref] > 0) {
				continue
			}
			t.Errorf("%s cites %s, which is not in the repository", f, ref)
		}
		if m := outside.FindString(string(b)); m != "" {
			t.Errorf("%s cites %s, outside the repository", f, m)
		}
	}
}
