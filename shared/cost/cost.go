// Package cost prices one contact's journey from counted usage and the dated price table in
// infra/prices.yaml (docs/cost.md). The counts come from a measured run (the happy-path test in this
// package counts DynamoDB capacity on DynamoDB Local with ReturnConsumedCapacity and state transitions on
// the Go executor); the prices are list prices with their source and date.
package cost

import (
	"fmt"
	"os"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// Price is one unit price with where it came from.
type Price struct {
	USD    float64 `yaml:"usd"`
	Source string  `yaml:"source"`
	Note   string  `yaml:"note"`
	// Assumed marks a price not read for the table's region from its source (e.g. only another region's figure
	// was read); Reason says what it rests on. A price that is not assumed was read from Source for the region.
	Assumed bool   `yaml:"assumed"`
	Reason  string `yaml:"reason"`
}

// Table is infra/prices.yaml.
type Table struct {
	Date     string           `yaml:"date"`
	Region   string           `yaml:"region"`
	Currency string           `yaml:"currency"`
	Prices   map[string]Price `yaml:"prices"`
}

// Price names in the table.
const (
	DynamoWRU          = "dynamodbWriteRequestUnit"
	DynamoRRU          = "dynamodbReadRequestUnit"
	SFNTransition      = "stepFunctionsStandardTransition"
	SFNExpressRequest  = "stepFunctionsExpressRequest"
	SFNExpressGBSecond = "stepFunctionsExpressGBSecond"
	LambdaRequest      = "lambdaRequest"
	LambdaGBSecond     = "lambdaArmGBSecond"
	S3Put              = "s3Put"
	S3Get              = "s3Get"
	SESReceived        = "sesReceivedMessage"
	SESSent            = "sesSentMessage"
)

// Load reads and checks a price table: dated, and every price positive with a source, and a reason when it is
// assumed.
func Load(path string) (*Table, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var t Table
	if err := yaml.Unmarshal(b, &t); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if t.Date == "" || t.Region == "" || t.Currency != "USD" {
		return nil, fmt.Errorf("%s: date, region and currency USD are required", path)
	}
	for _, name := range []string{DynamoWRU, DynamoRRU, SFNTransition, SFNExpressRequest, SFNExpressGBSecond, LambdaRequest,
		LambdaGBSecond, S3Put, S3Get, SESReceived, SESSent} {
		p, ok := t.Prices[name]
		if !ok || p.USD <= 0 || !strings.HasPrefix(p.Source, "https://") {
			return nil, fmt.Errorf("%s: price %s needs a positive usd and an https source", path, name)
		}
		if p.Assumed != (p.Reason != "") {
			return nil, fmt.Errorf("%s: price %s: an assumed price needs a reason, and only an assumed one has one", path, name)
		}
	}
	return &t, nil
}

// Usage is what one contact consumed.
type Usage struct {
	WRU, RRU      float64 // DynamoDB request units
	Transitions   int     // Step Functions Standard state transitions (retries included)
	LambdaCalls   int     // function invocations (workflow tasks and API/intake requests)
	LambdaGBs     float64 // GB-seconds across them
	S3Puts        int
	S3Gets        int
	SESReceived   int
	SESSent       int
	ExpressStarts int     // Express executions (the Express alternative)
	ExpressGBs    float64 // Express GB-seconds
}

// Line is one priced line of a bill.
type Line struct {
	Name     string
	Quantity float64
	USD      float64
}

// Bill prices u. SES lines are kept apart: the budget excludes them.
func (t *Table) Bill(u Usage) (lines []Line, excludingSES, ses float64) {
	add := func(name string, q float64) {
		if q == 0 {
			return
		}
		usd := q * t.Prices[name].USD
		lines = append(lines, Line{Name: name, Quantity: q, USD: usd})
		if name == SESReceived || name == SESSent {
			ses += usd
		} else {
			excludingSES += usd
		}
	}
	add(DynamoWRU, u.WRU)
	add(DynamoRRU, u.RRU)
	add(SFNTransition, float64(u.Transitions))
	add(SFNExpressRequest, float64(u.ExpressStarts))
	add(SFNExpressGBSecond, u.ExpressGBs)
	add(LambdaRequest, float64(u.LambdaCalls))
	add(LambdaGBSecond, u.LambdaGBs)
	add(S3Put, float64(u.S3Puts))
	add(S3Get, float64(u.S3Gets))
	add(SESReceived, float64(u.SESReceived))
	add(SESSent, float64(u.SESSent))
	sort.SliceStable(lines, func(i, j int) bool { return lines[i].USD > lines[j].USD })
	return lines, excludingSES, ses
}
