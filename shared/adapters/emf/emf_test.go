package emf_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/adapters/emf"
)

// emfLine is the CloudWatch Embedded Metric Format specification's shape.
type emfLine struct {
	AWS struct {
		Timestamp         *int64 `json:"Timestamp"`
		CloudWatchMetrics []struct {
			Namespace  string     `json:"Namespace"`
			Dimensions [][]string `json:"Dimensions"`
			Metrics    []struct {
				Name string `json:"Name"`
				Unit string `json:"Unit"`
			} `json:"Metrics"`
		} `json:"CloudWatchMetrics"`
	} `json:"_aws"`
}

func TestPut_WritesOneValidEMFLinePerValue(t *testing.T) {
	now := time.Date(2027, 12, 24, 16, 59, 0, 0, time.UTC)
	var buf bytes.Buffer
	m := &emf.Metrics{W: &buf, Now: func() time.Time { return now }}
	ctx := context.Background()
	if err := m.Put(ctx, "OverdueItems", "hackney", 3); err != nil {
		t.Fatal(err)
	}
	if err := m.Put(ctx, "EscalationsSent", "barnet", 0.5); err != nil {
		t.Fatal(err)
	}

	type want struct {
		name      string
		authority string
		value     float64
	}
	wants := []want{{"OverdueItems", "hackney", 3}, {"EscalationsSent", "barnet", 0.5}}
	sc := bufio.NewScanner(&buf)
	i := 0
	for sc.Scan() {
		if i >= len(wants) {
			t.Fatalf("more lines than values: %s", sc.Text())
		}
		w := wants[i]
		i++
		var line emfLine
		// The _aws block first; the root's dimension and metric members are read below.
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatalf("line %d is not JSON: %v", i, err)
		}
		if line.AWS.Timestamp == nil || *line.AWS.Timestamp != now.UnixMilli() {
			t.Errorf("line %d Timestamp = %v, want %d (ms since epoch, from Now)", i, line.AWS.Timestamp, now.UnixMilli())
		}
		if len(line.AWS.CloudWatchMetrics) != 1 {
			t.Fatalf("line %d has %d CloudWatchMetrics directives, want 1", i, len(line.AWS.CloudWatchMetrics))
		}
		d := line.AWS.CloudWatchMetrics[0]
		if d.Namespace != "MASH" {
			t.Errorf("line %d Namespace = %q, want MASH", i, d.Namespace)
		}
		if len(d.Dimensions) != 1 || len(d.Dimensions[0]) != 1 || d.Dimensions[0][0] != "Authority" {
			t.Errorf("line %d Dimensions = %v, want [[Authority]]", i, d.Dimensions)
		}
		if len(d.Metrics) != 1 || d.Metrics[0].Name != w.name || d.Metrics[0].Unit != "Count" {
			t.Errorf("line %d Metrics = %+v, want one %s in Count", i, d.Metrics, w.name)
		}

		var root map[string]json.RawMessage
		if err := json.Unmarshal(sc.Bytes(), &root); err != nil {
			t.Fatal(err)
		}
		// Every dimension named in Dimensions must be a root string member; every metric a root number.
		var authority string
		if err := json.Unmarshal(root["Authority"], &authority); err != nil || authority != w.authority {
			t.Errorf("line %d Authority = %s (%v), want %q", i, root["Authority"], err, w.authority)
		}
		var value float64
		if err := json.Unmarshal(root[w.name], &value); err != nil || value != w.value {
			t.Errorf("line %d %s = %s (%v), want %v", i, w.name, root[w.name], err, w.value)
		}
		if len(root) != 3 {
			t.Errorf("line %d has root members %v, want only _aws, Authority and %s", i, keys(root), w.name)
		}
	}
	if i != len(wants) {
		t.Errorf("got %d lines, want %d", i, len(wants))
	}
}

func keys(m map[string]json.RawMessage) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}
