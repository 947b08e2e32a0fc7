package console

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rebuild static/govuk-frontend.min.css from the pinned npm package")

// toolsDir is where scripts/tools.sh installs the pinned tools (MASH_TOOLS, else the checkout's .tools).
func toolsDir(t *testing.T) string {
	if d := os.Getenv("MASH_TOOLS"); d != "" {
		return d
	}
	abs, err := filepath.Abs("../../.tools")
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

// TestStylesheetIsCurrent: the embedded stylesheet is BuildStylesheet of the pinned govuk-frontend.
func TestStylesheetIsCurrent(t *testing.T) {
	src := filepath.Join(toolsDir(t), "npm-console", "node_modules", "govuk-frontend", "dist", "govuk", "govuk-frontend.min.css")
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatalf("govuk-frontend is not installed (%v): run scripts/tools.sh npm-console", err)
	}
	want := BuildStylesheet(string(b))
	if *update {
		if err := os.WriteFile("static/govuk-frontend.min.css", []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := staticFS.ReadFile("static/govuk-frontend.min.css")
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Fatalf("static/govuk-frontend.min.css is not the build of the pinned govuk-frontend: run scripts/console-assets.sh")
	}
	if strings.Contains(want, "GDS Transport") || strings.Contains(want, "@font-face") {
		t.Fatal("the stylesheet still names the GOV.UK-only typeface")
	}
}
