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
func (m *Metrics) Put(_ context.Context, name string, authority domain.AuthorityID, value float64) error {
	line := map[string]any{
		"_aws": map[string]any{
			"Timestamp": m.Now().UnixMilli(),
			"CloudWatchMetrics": []any{map[string]any{
				"Namespace":  Namespace,
				"Dimensions": [][]string{{"Authority"}},
				"Metrics":    []any{map[string]string{"Name": name, "Unit": "Count"}},
			}},
		},
		"Authority": string(authority),
		name:        value,
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
