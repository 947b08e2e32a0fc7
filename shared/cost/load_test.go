package cost_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/safeguarding/mash/shared/cost"
)

// infra/prices.yaml: every price is dated and sourced; one not read for the region from its source says so
// (assumed: true) and why (reason), and only such a one has a reason.
func TestLoad_PricesSourcedAndAssumptionsGiveTheirReason(t *testing.T) {
	table, err := cost.Load("../../infra/prices.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if table.Region != "eu-west-2" {
		t.Errorf("region %s, want eu-west-2 (London)", table.Region)
	}
	raw, err := os.ReadFile("../../infra/prices.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, from, to, want string
	}{
		{"an assumed price without its reason", `    reason: "As s3Put."` + "\n", "", "s3Get"},
		{"a reason on a price read from its source", `    note: "Read for London`, `    reason: "x"` + "\n" + `    note: "Read for London`, "stepFunctionsStandardTransition"},
		{"a price with no https source", "source: https://aws.amazon.com/lambda/pricing/", "source: lambda pricing", "lambda"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(string(raw), tc.from) {
				t.Fatalf("infra/prices.yaml no longer has %q", tc.from)
			}
			p := filepath.Join(t.TempDir(), "prices.yaml")
			if err := os.WriteFile(p, []byte(strings.Replace(string(raw), tc.from, tc.to, 1)), 0o600); err != nil {
				t.Fatal(err)
			}
			if _, err := cost.Load(p); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("loaded with error %v, want one naming %s", err, tc.want)
			}
		})
	}
}
