// Package authorities carries the authorities' policy files (<authority>.yaml) inside every binary, so
// Lambdas and the CLI need no files on disk. shared/policy parses and validates them; nothing else should
// read this FS directly.
package authorities

import (
	"embed"
	"io/fs"
	"sort"
	"strings"
)

// FS holds every policy file of this directory.
//
//go:embed *.yaml
var FS embed.FS

// Names returns the authority ids (file base names without .yaml), sorted.
func Names() []string {
	entries, err := fs.ReadDir(FS, ".")
	if err != nil {
		return nil // cannot happen for an embed.FS root
	}
	var out []string
	for _, e := range entries {
		if n, ok := strings.CutSuffix(e.Name(), ".yaml"); ok && !e.IsDir() {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}
