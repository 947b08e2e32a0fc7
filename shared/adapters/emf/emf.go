// Package emf publishes metrics as CloudWatch Embedded Metric Format log lines: Lambda's log group turns them
// into metrics, so no function needs cloudwatch:PutMetricData (an action IAM cannot scope to a resource).
package emf

import (
	"context"
	"encoding/json"
	"io"
	"sync"
	"time"

	"github.com/safeguarding/mash/shared/domain"
)

// Namespace is the metrics namespace the template's alarms read.
const Namespace = "MASH"

// Metrics writes one EMF line per value.
type Metrics struct {
	W   io.Writer
	Now func() time.Time
	mu  sync.Mutex
}

// Put writes name=value with the Authority dimension.
func (m *Metrics) Put(ctx context.Context, name string, authority domain.AuthorityID, value float64) error {
	return m.PutBy(ctx, name, authority, "", "", value)
}

// PutBy writes name=value with the Authority dimension and, when dim is set, a second dimension dim=val
// (Rule, Channel, Tray, Outcome).
func (m *Metrics) PutBy(_ context.Context, name string, authority domain.AuthorityID, dim, val string, value float64) error {
	dims := []string{"Authority"}
	if dim != "" {
		dims = append(dims, dim)
	}
	line := map[string]any{
		"_aws": map[string]any{
			"Timestamp": m.Now().UnixMilli(),
			"CloudWatchMetrics": []any{map[string]any{
				"Namespace":  Namespace,
				"Dimensions": [][]string{dims},
				"Metrics":    []any{map[string]string{"Name": name, "Unit": "Count"}},
			}},
		},
		"Authority": string(authority),
		name:        value,
	}
	if dim != "" {
		line[dim] = val
	}
	b, err := json.Marshal(line)
	if err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	_, err = m.W.Write(append(b, '\n'))
	return err
}
