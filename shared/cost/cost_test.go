package cost_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go/middleware"

	"github.com/safeguarding/mash/shared/actions"
	"github.com/safeguarding/mash/shared/cost"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/flow"
	"github.com/safeguarding/mash/shared/intake"
	"github.com/safeguarding/mash/shared/internal/streamtest"
	"github.com/safeguarding/mash/shared/internal/testkit"
	"github.com/safeguarding/mash/shared/local"
	"github.com/safeguarding/mash/shared/notify"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/store/dynamo"
	"github.com/safeguarding/mash/shared/store/dynamo/wire"
	"github.com/safeguarding/mash/shared/tablestream"
	"github.com/safeguarding/mash/shared/testenv"
	"github.com/safeguarding/mash/shared/workflow"
)

var (
	endpoint string
	tableSeq atomic.Int64
)

func TestMain(m *testing.M) { testenv.DynamoDBLocalMain(m, &endpoint, nil) }

// meter asks DynamoDB for the capacity of every request (ReturnConsumedCapacity INDEXES: the table and each
// index apart) and adds up what the responses report, per operation and per phase of the journey.
type meter struct {
	mu       sync.Mutex
	phase    string
	wru, rru float64
	byOp     map[string]float64 // "phase/Operation/table|gsi1" → units
	// The same requests priced by AWS's documented rules (rules below), which DynamoDB Local does not follow.
	ruleWRU, ruleRRU float64
	ruleBy           map[string]float64 // "phase/what" → rule units
	items            map[string]map[string]types.AttributeValue
	requests         map[string]int // "Operation" → count
	// off: the test's own reads (checking where the contact got to) are not the contact's cost, and are not
	// counted; a write while off fails the test.
	off bool
}

// unmetered runs fn, the test's own reads, without counting them.
func (m *meter) unmetered(fn func()) {
	m.mu.Lock()
	m.off = true
	m.mu.Unlock()
	defer func() {
		m.mu.Lock()
		m.off = false
		m.mu.Unlock()
	}()
	fn()
}

func (m *meter) isOff() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.off
}

func newMeter() *meter {
	return &meter{byOp: map[string]float64{}, requests: map[string]int{}, ruleBy: map[string]float64{},
		items: map[string]map[string]types.AttributeValue{}}
}

func (m *meter) reset(phase string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.phase, m.wru, m.rru, m.ruleWRU, m.ruleRRU = phase, 0, 0, 0, 0
	m.byOp, m.requests, m.ruleBy = map[string]float64{}, map[string]int{}, map[string]float64{}
}

func (m *meter) setPhase(p string) {
	m.mu.Lock()
	m.phase = p
	m.mu.Unlock()
}

func (m *meter) add(op string, write bool, ccs ...types.ConsumedCapacity) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests[op]++
	for _, cc := range ccs {
		total := aws.ToFloat64(cc.CapacityUnits)
		if write {
			m.wru += total
		} else {
			m.rru += total
		}
		if cc.Table != nil {
			m.byOp[m.phase+"/"+op+"/table"] += aws.ToFloat64(cc.Table.CapacityUnits)
		}
		for name, c := range cc.GlobalSecondaryIndexes {
			m.byOp[m.phase+"/"+op+"/"+name] += aws.ToFloat64(c.CapacityUnits)
		}
	}
}

// AWS's documented rules (docs/cost.md "How capacity is counted"): an item's size is the UTF-8 length of
// its attribute names and values; a write costs 1 WRU per KB (rounded up) of the larger of the old and new
// item, 2 in a transaction; each global secondary index the item is (or was) in costs a standard write per
// KB of the projected item, and two (a delete and a put) when its index key changes; a strongly consistent
// read costs 1 RRU per 4 KB of the items returned by one request (at least 1), an eventually consistent
// one (any index query) half that.
func itemSize(it map[string]types.AttributeValue) int {
	n := 0
	for name, v := range it {
		n += len(name)
		switch v := v.(type) {
		case *types.AttributeValueMemberS:
			n += len(v.Value)
		case *types.AttributeValueMemberN:
			n += len(strings.TrimLeft(v.Value, "-0"))/2 + 1
		case *types.AttributeValueMemberB:
			n += len(v.Value)
		default:
			n += 1
		}
	}
	return n
}

// kindOf is the kind of item a key names: its text up to the first '#'.
func kindOf(k string) string { return strings.SplitN(k, "#", 2)[0] }

func ceilDiv(n, d int) float64 { return float64((n + d - 1) / d) }

func attr(it map[string]types.AttributeValue, name string) string {
	if v, ok := it[name].(*types.AttributeValueMemberS); ok {
		return v.Value
	}
	return ""
}

func (m *meter) ruleAdd(what string, write bool, units float64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if write {
		m.ruleWRU += units
	} else {
		m.ruleRRU += units
	}
	m.ruleBy[m.phase+"/"+what] += units
}

func (m *meter) rulePut(op string, factor float64, it map[string]types.AttributeValue) {
	key := attr(it, "pk") + "\x00" + attr(it, "sk")
	m.mu.Lock()
	old := m.items[key]
	m.items[key] = it
	m.mu.Unlock()
	size := max(itemSize(it), itemSize(old))
	kind := kindOf(attr(it, "sk"))
	if os.Getenv("COSTTRACE") != "" {
		fmt.Fprintf(os.Stderr, "TRACE %s %s x%.0f %s/%s size=%d old=%d g1=%q g2=%q\n", m.phase, op, factor, attr(it, "pk"), attr(it, "sk"), itemSize(it), itemSize(old), attr(it, "gsi1pk"), attr(it, "gsi2pk"))
	}
	m.ruleAdd(op+"/table/"+kind, true, factor*ceilDiv(size, 1024))
	for _, gsi := range []string{"gsi1", "gsi2", "gsi3"} {
		oldPK, newPK := attr(old, gsi+"pk"), attr(it, gsi+"pk")
		oldSK, newSK := attr(old, gsi+"sk"), attr(it, gsi+"sk")
		// The size of an index entry: the whole item under projection ALL; under KEYS_ONLY, the table's and the
		// index's keys, and a write that leaves the index keys alone writes nothing to the index.
		keysOnly := projections[gsi] == types.ProjectionTypeKeysOnly
		entry := func(x map[string]types.AttributeValue) float64 {
			if keysOnly {
				return ceilDiv(len("pk")+len(attr(x, "pk"))+len("sk")+len(attr(x, "sk"))+len(gsi+"pk")+len(attr(x, gsi+"pk"))+
					len(gsi+"sk")+len(attr(x, gsi+"sk")), 1024)
			}
			return ceilDiv(itemSize(x), 1024)
		}
		units := 0.0
		switch {
		case oldPK == "" && newPK != "":
			units = entry(it)
		case oldPK != "" && newPK == "":
			units = entry(old)
		case oldPK != "" && oldPK == newPK && oldSK == newSK:
			if !keysOnly {
				units = entry(it)
			}
		case oldPK != "":
			units = entry(old) + entry(it)
		}
		if units > 0 {
			m.ruleAdd(op+"/"+gsi+"/"+kind, true, units)
		}
	}
}

// projections are the table's index projections, from the one table definition.
var projections = func() map[string]types.ProjectionType {
	p := map[string]types.ProjectionType{}
	for _, g := range dynamo.TableDefinition("x").GlobalSecondaryIndexes {
		p[aws.ToString(g.IndexName)] = g.Projection.ProjectionType
	}
	return p
}()

func (m *meter) ruleRead(op string, consistent bool, items ...map[string]types.AttributeValue) {
	n := 0
	for _, it := range items {
		n += itemSize(it)
	}
	units := max(ceilDiv(n, 4096), 1)
	if os.Getenv("COSTTRACE") != "" {
		fmt.Fprintf(os.Stderr, "TRACE %s READ %s consistent=%v n=%d\n", m.phase, op, consistent, n)
	}
	if !consistent {
		units /= 2
	}
	m.ruleAdd(op, false, units)
}

func one(c *types.ConsumedCapacity) []types.ConsumedCapacity {
	if c == nil {
		return nil
	}
	return []types.ConsumedCapacity{*c}
}

// middleware sets ReturnConsumedCapacity on every request the store sends and records the answer. An
// operation it does not know fails the test (its capacity would go uncounted).
func (m *meter) middleware(t *testing.T) func(*middleware.Stack) error {
	idx := types.ReturnConsumedCapacityIndexes
	return func(s *middleware.Stack) error {
		return s.Initialize.Add(middleware.InitializeMiddlewareFunc("mash-consumed-capacity",
			func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
				switch p := in.Parameters.(type) {
				case *dynamodb.GetItemInput:
					p.ReturnConsumedCapacity = idx
				case *dynamodb.QueryInput:
					p.ReturnConsumedCapacity = idx
				case *dynamodb.PutItemInput:
					p.ReturnConsumedCapacity = idx
				case *dynamodb.UpdateItemInput:
					p.ReturnConsumedCapacity = idx
				case *dynamodb.DeleteItemInput:
					p.ReturnConsumedCapacity = idx
				case *dynamodb.TransactWriteItemsInput:
					p.ReturnConsumedCapacity = idx
				case *dynamodb.TransactGetItemsInput:
					p.ReturnConsumedCapacity = idx
				case *dynamodb.BatchGetItemInput:
					p.ReturnConsumedCapacity = idx
				case *dynamodb.BatchWriteItemInput:
					p.ReturnConsumedCapacity = idx
				case *dynamodb.CreateTableInput, *dynamodb.UpdateTimeToLiveInput, *dynamodb.DescribeTableInput:
				default:
					t.Errorf("cost meter: unmetered DynamoDB operation %T", p)
				}
				out, md, err := next.HandleInitialize(ctx, in)
				if m.isOff() {
					switch in.Parameters.(type) {
					case *dynamodb.GetItemInput, *dynamodb.QueryInput:
					default:
						t.Errorf("cost meter: %T while the test's own reads were not counted", in.Parameters)
					}
					return out, md, err
				}
				switch r := out.Result.(type) {
				case *dynamodb.GetItemOutput:
					p := in.Parameters.(*dynamodb.GetItemInput)
					m.ruleRead("GetItem/"+kindOf(attr(p.Key, "sk")), aws.ToBool(p.ConsistentRead), r.Item)
					m.add("GetItem", false, one(r.ConsumedCapacity)...)
				case *dynamodb.QueryOutput:
					p := in.Parameters.(*dynamodb.QueryInput)
					where := "table"
					if p.IndexName != nil {
						where = *p.IndexName
					}
					var kinds []string // the partition (and sort key prefix) asked for
					for _, v := range p.ExpressionAttributeValues {
						if sv, ok := v.(*types.AttributeValueMemberS); ok {
							kinds = append(kinds, kindOf(sv.Value))
						}
					}
					sort.Strings(kinds)
					m.ruleRead("Query/"+where+"/"+strings.Join(kinds, ","), p.IndexName == nil, r.Items...)
					m.add("Query", false, one(r.ConsumedCapacity)...)
				case *dynamodb.PutItemOutput:
					m.rulePut("PutItem", 1, in.Parameters.(*dynamodb.PutItemInput).Item)
					m.add("PutItem", true, one(r.ConsumedCapacity)...)
				case *dynamodb.UpdateItemOutput:
					m.ruleAdd("UpdateItem/table", true, 1) // the reference counter: a few bytes
					m.add("UpdateItem", true, one(r.ConsumedCapacity)...)
				case *dynamodb.DeleteItemOutput:
					m.add("DeleteItem", true, one(r.ConsumedCapacity)...)
				case *dynamodb.TransactWriteItemsOutput:
					if os.Getenv("COSTTRACE") != "" {
						fmt.Fprintf(os.Stderr, "TRACE ---- txn %d items\n", len(in.Parameters.(*dynamodb.TransactWriteItemsInput).TransactItems))
					}
					for _, ti := range in.Parameters.(*dynamodb.TransactWriteItemsInput).TransactItems {
						if ti.Put != nil {
							m.rulePut("TransactWriteItems", 2, ti.Put.Item)
						}
					}
					m.add("TransactWriteItems", true, r.ConsumedCapacity...)
				case *dynamodb.TransactGetItemsOutput:
					m.add("TransactGetItems", false, r.ConsumedCapacity...)
				case *dynamodb.BatchGetItemOutput:
					m.add("BatchGetItem", false, r.ConsumedCapacity...)
				case *dynamodb.BatchWriteItemOutput:
					m.add("BatchWriteItem", true, r.ConsumedCapacity...)
				}
				if err != nil {
					// A failed conditional write is still billed on AWS; the happy path has none, so any is a failure here.
					t.Errorf("cost meter: a DynamoDB request failed on the happy path: %v", err)
				}
				return out, md, err
			}), middleware.After)
	}
}

func (m *meter) report() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	var keys []string
	for k := range m.byOp {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "  %-44s %6.1f\n", k, m.byOp[k])
	}
	fmt.Fprintf(&b, "  requests: %v\n  by AWS's documented rules: WRU %.1f RRU %.1f\n", m.requests, m.ruleWRU, m.ruleRRU)
	keys = keys[:0]
	for k := range m.ruleBy {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "  %-44s %6.1f\n", k, m.ruleBy[k])
	}
	return b.String()
}

// Issue #19's budget for the happy path, excluding SES.
const (
	budgetWRU         = 90
	budgetRRU         = 30
	budgetTransitions = 10
	budgetUSD         = 0.0003
)

// Ratchet: today's measured figures, while the budget is not met. Lower each as the code gets cheaper; the
// test fails if a change makes a contact dearer. WRU and RRU are by AWS's documented rules (what AWS bills);
// DynamoDB Local's own report (ReturnConsumedCapacity) overstates transactions and index writes, and is held
// apart.
//
// Issue #11 raised them (257 → 266 WRU, 114.5 → 126.5 RRU): each partner-check request is now written with its
// tray item, its transition and its message in one transaction (nothing half-written; a transaction's items
// cost 2 WRU each), and a change reads a check record before it writes it (answer, closure, chase: answered
// or closed checks are refused in the write).
//
// Issue #19 lowered them (docs/cost.md "Cuts"): documents stored compressed (266 → 178 WRU, 126.5 → 94.5 RRU);
// a step reads the contact's outbox only when it queues a message (94.5 → 86.5 RRU); the machine's first task
// routes and screens, and the decision's deadline rides in the rating's result (16 → 13 transitions); a wait
// that ends otherwise than going on fails with a named outcome its Catch routes (13 → 11 transitions); a step
// changes the contact it loaded without reading it again (86.5 → 74.5 RRU); the replan step answers its own
// token with where the machine goes next (11 → 10 transitions: within the budget); a change's audit events are
// one item (183 → 175 WRU); a change creates its new items without reading them first (74.5 → 59.5 RRU); a
// message is marked sent, and a check answered, from the copy just read (59.5 → 48.5 RRU); a change that queues a
// message does not read the outbox first (48.5 → 44.5 RRU); one task-token wait for all of a rating's partner
// checks, asked in one write, instead of a Map with a wait per agency (10 → 7 transitions, 175 → 155 WRU,
// 44.5 → 39.5 RRU); a completion is ended from the copy its change wrote; the test's own two reads are no longer
// counted; a wait's tray item is closed from the copy its action read; the first task routes and screens in
// one change; the answer that ends the checks wait carries the decision's plan, so the machine goes straight on
// to the decision without the replan step (7 → 6 transitions, 29.5 → 27.5 RRU, $0.000304 → $0.000278: within
// the cost budget); a completion is kept on its wait's tray item (149 → 143 WRU; DynamoDB Local 213 → 209); the
// email's delivery keys are claimed with plain puts before the contact's transaction (143 → 139 WRU, $0.000271;
// DynamoDB Local, whose report does not follow AWS's rules, 209 → 213); the outbox is sent from the table's
// stream, so a message has no pending index entry to put and remove and no step lists the outbox to send it
// (139 → 129 WRU, 26.5 → 23.5 RRU, $0.000264, three Lambda requests more; DynamoDB Local 213 → 192 WRU,
// 24 → 21 RRU); the completions people's actions owe the workflow are told from the table's stream too, so a
// completion has no pending index entry to put and remove (130 → 124 WRU, measured with the re-send marker below;
// 23.5 → 25.5 RRU: the partner checks' completion is told the plan read from the record, as the sweep's drain
// tells a late one; 14 → 20 Lambda requests; $0.000265 → $0.000264; DynamoDB Local 193 → 178 WRU, 21 → 23 RRU); a
// check's answer link is kept on its check record instead of a link item of its own (124 → 121 WRU, $0.000262;
// DynamoDB Local 178 → 175); a check's item on the checks tray is kept on its check record and closed by the
// answer's own write (121 → 111 WRU, 25.5 → 22.5 RRU, $0.000254; DynamoDB Local, whose report does not follow
// AWS's rules, 175 → 193 WRU and 23 → 20 RRU: the checks' index entries now move inside the answers'
// transactions, which it over-counts); a park does not rewrite the contact: its wait's item is kept in the
// contact's partition and written with the park's audit record, and the last answer moves the contact to
// awaiting its decision (111 → 109 WRU, $0.000253; 22.5 → 24.5 RRU: each park reads the contact's waits to
// close an earlier one; DynamoDB Local, whose report does not follow AWS's rules, 193 → 205 WRU and 20 → 21
// RRU: the parks' items and the decision's index move are now inside transactions, which it over-counts); the
// children index is kept on the contact item (a third index, gsi3, by its child's identity) instead of an entry
// of its own (109 → 107 WRU, $0.000252; 24.5 → 26 RRU: each search of a child's identity reads gsi3 beside gsi1,
// where entries written apart stay; DynamoDB Local 205 → 201 WRU); a park that moves nothing writes its wait item
// alone, one plain put without an audit record, the last answer (or a rating that asks no checks) saying the
// decision's deadline (107 → 101 WRU, $0.000247; DynamoDB Local 201 → 181 WRU); the completed waits and checks'
// items kept beside their contact have no retention index entry: the retention job finds them through their
// ended contact (101 → 96 WRU, $0.000243; DynamoDB Local 181 → 161 WRU); the messages one change queues are one
// item, marked sent by one write, their answer links naming the contact and check plainly (96 → 90 WRU, within the
// budget, $0.000239; DynamoDB Local 161 → 159 WRU; measured with SES-shaped provider ids: the three check
// requests' mark is 986 bytes, 38 under the 1 KB at which it would cost 2 WRU); an answer that leaves checks open
// and sets nothing on the contact does not rewrite it (90 → 86 WRU, $0.000239 → $0.000236; 26 → 28 RRU: each such
// answer reads the contact's checks again after its commit, to end the wait should another answer written at once
// have left it waiting; DynamoDB Local WRU 159 → 159, RRU 21 → 23) (docs/cost.md "Cuts").
//
// The email's re-send marker (intake.ResendMarker: one more key claimed with a plain put, so that a referral and
// its re-send written by two invocations in the same instant become one contact and an update, not two contacts)
// raised it (129 → 130 WRU; DynamoDB Local 192 → 193).
//
// Issue #16's retention of completed tray items raised them (178 → 183 WRU; DynamoDB Local 231 → 291): a
// completed tray item is indexed by authority and completion time (gsi1 traydone#) so that the retention job
// can find and expire it without a scan — one index write per completion in a transaction. Only the items kept
// apart are indexed so since the cut above.
const (
	ratchetWRU         = 86
	ratchetRRU         = 28
	ratchetTransitions = 6
	ratchetLocalWRU    = 159
	ratchetLocalRRU    = 23
	ratchetUSD         = 0.000236
)

// Model assumptions (docs/cost.md): Lambda duration per invocation is not measured here.
const (
	taskGBs   = 0.25 * 0.100 // a workflow task or API request: 256 MB for ~100 ms
	intakeGBs = 0.5 * 0.300  // intake-email: 512 MB for ~300 ms (parse, screen, one transaction)
)

// TestCost_HappyPath_PerContactWithinBudget runs one emailed contact through the real handlers on the Go
// executor with the DynamoDB adapter on DynamoDB Local: intake → routing and screening → a manager's rating →
// three partner checks answered → a decision → notifications. It counts the capacity DynamoDB reports and
// the state transitions the executor made, prices them from infra/prices.yaml and holds them to issue #19's
// budget (or, while it is not met, to today's figures).
func TestCost_HappyPath_PerContactWithinBudget(t *testing.T) {
	prices, err := cost.Load("../../infra/prices.yaml")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	m := newMeter()
	client := dynamodb.New(dynamodb.Options{
		Region:       dynamo.Region,
		BaseEndpoint: aws.String(endpoint),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "local", SecretAccessKey: "local"}, nil
		}),
		DisableValidateResponseChecksum: true,
		APIOptions:                      []func(*middleware.Stack) error{m.middleware(t)},
	})
	table := fmt.Sprintf("mash-cost-%d", tableSeq.Add(1))
	if err := dynamo.CreateTable(ctx, client, table); err != nil {
		t.Fatal(err)
	}
	clk := flow.NewFakeClock(testkit.London(t, "2027-03-10 10:00")) // a Wednesday, open
	st := dynamo.New(client, table, clk.Now)
	// As deployed (template.yaml OUTBOX_STREAM): the table's stream sends the outbox and tells the workflow the
	// completions people's actions owe it, so neither is indexed as pending, the steps' flushes send nothing and
	// the actions tell nothing; the stream's records go to what functions/outbox runs (notify.StreamSender,
	// workflow.StreamCompleter), read from DynamoDB Local's stream after each action.
	st.SendByStream()
	dir := t.TempDir()
	suite, err := local.New(ctx, local.Options{Dir: dir, OutboxDir: filepath.Join(dir, "outbox"), Store: st, Clock: clk,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), ConsoleURL: "http://localhost:8080", OutboxStream: true})
	if err != nil {
		t.Fatal(err)
	}
	// The provider id stored with each message sent is SES's message id in production (60 characters, random
	// hex: it does not compress), not the folder sender's file name (which repeats the message id): a message
	// item marked sent is as large here as there.
	suite.Notifier.Dispatcher.Sender = sesShapedIDs{next: suite.Notifier.Dispatcher.Sender, now: clk.Now, sent: new(atomic.Int64)}
	stream, err := streamtest.New(ctx, endpoint, client, table)
	if err != nil {
		t.Fatal(err)
	}
	handler := tablestream.Handler{Consumers: []tablestream.Consumer{
		notify.StreamSender{Dispatcher: suite.Notifier.Dispatcher, Decode: wire.StreamNotifications},
		workflow.StreamCompleter{Decode: wire.StreamCompletion, Completer: workflow.Completer{Store: suite.Store,
			Tasks: suite.Actions.Tasks, Now: clk.Now, Log: slog.New(slog.DiscardHandler)}},
	}}
	streamCalls := 0 // the outbox function's invocations: one per batch of records its filter lets through
	// sendStream runs functions/outbox on what the stream holds, and the machine on what that told it, until
	// the stream has nothing more.
	sendStream := func() {
		t.Helper()
		for {
			ev, err := stream.Next(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(ev.Records) == 0 {
				return
			}
			streamCalls++
			res, err := handler.Handle(ctx, ev)
			if err != nil || len(res.BatchItemFailures) > 0 {
				t.Fatalf("outbox stream: %v %+v", err, res)
			}
			if err := suite.Exec.RunDue(ctx); err != nil {
				t.Fatal(err)
			}
		}
	}
	raw, err := os.ReadFile("../../events/email/school-dsl-referral.eml")
	if err != nil {
		t.Fatal(err)
	}
	const authority = domain.AuthorityID("portsmouth")
	if err := suite.Intake.Blobs.Put(ctx, "raw/cost-1", raw, "message/rfc822"); err != nil { // SES's PUT
		t.Fatal(err)
	}

	m.reset("1-intake")
	res, err := suite.Intake.IngestEmail(ctx, authority, intake.RawMail{Data: raw, Key: "raw/cost-1", SESMessageID: "cost-1"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 || res[0].Status != intake.StatusCreated {
		t.Fatalf("intake: %+v", res)
	}
	id := res[0].ContactID
	if err := suite.Exec.RunDue(ctx); err != nil {
		t.Fatal(err)
	}
	var c *domain.Contact
	m.unmetered(func() { c, err = suite.Store.GetContact(ctx, id) })
	if err != nil {
		t.Fatal(err)
	}
	if c.Status != domain.StatusAwaitingRating {
		t.Fatalf("after intake: %s", c.Status)
	}
	sendStream()

	m.setPhase("2-rating")
	if _, err := suite.Actions.Rate(ctx, id, actions.Rate{Value: domain.RatingGreen, Rationale: "needs support; no immediate risk", By: "manager-1"}); err != nil {
		t.Fatal(err)
	}
	sendStream() // the rating's completion, then the check requests the machine's next step queued
	m.setPhase("3-checks")
	var checks []store.CheckRequest
	m.unmetered(func() { checks, err = suite.Store.ListChecks(ctx, id) })
	if err != nil {
		t.Fatal(err)
	}
	if len(checks) != 3 {
		t.Fatalf("%d checks requested, want the 3 mandatory agencies", len(checks))
	}
	for _, ch := range checks {
		if _, err := suite.Actions.AnswerCheck(ctx, id, ch.ID, actions.Answer{By: "agency-" + string(ch.Agency), Summary: "known to us; see record"}); err != nil {
			t.Fatal(err)
		}
		sendStream() // the last answer's completion (each answer closes its check's tray item)
	}
	m.setPhase("4-decision")
	if _, err := suite.Actions.Decide(ctx, id, actions.Decide{Term: "Referral for a statutory social work assessment",
		Outcome: domain.OutcomeS17, Rationale: "child in need assessment", By: "manager-1"}); err != nil {
		t.Fatal(err)
	}
	if err := suite.Exec.RunDue(ctx); err != nil {
		t.Fatal(err)
	}
	sendStream()
	path, status := suite.Path(id)
	if status != flow.Succeeded {
		t.Fatalf("execution %s, path %v", status, path)
	}

	// State transitions as Step Functions Standard bills them: every state entered, at any depth (Map
	// iterations included), and every retry. Lambda invocations: every task the machine scheduled, plus
	// the requests that are functions of their own (intake-email; the API for the rating, each answer and
	// the decision).
	e, _ := suite.Exec.Get(string(id))
	transitions, tasks := 0, 0
	var entered []string
	for _, ev := range e.History() {
		switch ev.Type {
		case "StateEntered", "StateRetried":
			transitions++
			entered = append(entered, strings.TrimPrefix(ev.Scope+"/", "/")+ev.State)
		case "TaskScheduled":
			tasks++
		}
	}
	apiCalls := 1 + len(checks) + 1
	sent := len(testkit.OutboxMessages(t, filepath.Join(dir, "outbox")))
	if streamCalls == 0 {
		t.Fatal("the stream sent nothing")
	}
	u := cost.Usage{WRU: m.ruleWRU, RRU: m.ruleRRU, Transitions: transitions, LambdaCalls: tasks + apiCalls + streamCalls + 1,
		LambdaGBs: float64(tasks+apiCalls+streamCalls)*taskGBs + intakeGBs, S3Puts: 1, S3Gets: 1, SESReceived: 1, SESSent: sent}
	lines, usd, ses := prices.Bill(u)

	var b strings.Builder
	fmt.Fprintf(&b, "happy path, one contact (prices %s, %s):\n", prices.Region, prices.Date)
	fmt.Fprintf(&b, "  WRU %.1f  RRU %.1f (AWS's rules; DynamoDB Local reported WRU %.1f RRU %.1f)  transitions %d  lambda calls %d  SES sends %d\n",
		u.WRU, u.RRU, m.wru, m.rru, u.Transitions, u.LambdaCalls, sent)
	fmt.Fprintf(&b, "  states entered: %s\n", strings.Join(entered, " "))
	b.WriteString(m.report())
	for _, l := range lines {
		fmt.Fprintf(&b, "  %-34s %10.2f  $%.7f\n", l.Name, l.Quantity, l.USD)
	}
	fmt.Fprintf(&b, "  per contact: $%.6f excluding SES, $%.6f with SES\n", usd, usd+ses)
	t.Log(b.String())

	if m.wru == 0 || m.rru == 0 || u.WRU == 0 || u.RRU == 0 {
		t.Fatal("no consumed capacity counted: the meter is not counting")
	}
	if m.wru > ratchetLocalWRU || m.rru > ratchetLocalRRU {
		t.Errorf("DynamoDB Local reported WRU %.1f RRU %.1f, above today's %v and %v", m.wru, m.rru, ratchetLocalWRU, ratchetLocalRRU)
	}
	type figure struct {
		name            string
		got, budget, rt float64
	}
	for _, f := range []figure{{"WRU", u.WRU, budgetWRU, ratchetWRU}, {"RRU", u.RRU, budgetRRU, ratchetRRU},
		{"transitions", float64(u.Transitions), budgetTransitions, ratchetTransitions}, {"USD excl. SES", usd, budgetUSD, ratchetUSD}} {
		switch {
		case f.got <= f.budget:
			t.Logf("%s %.6g: within issue #19's budget of %.6g", f.name, f.got, f.budget)
		case f.rt > 0 && f.got <= f.rt:
			t.Logf("NOT MET: %s %.6g is over issue #19's budget of %.6g by %.6g (held at today's %.6g)", f.name, f.got, f.budget, f.got-f.budget, f.rt)
		case f.rt > 0:
			t.Errorf("%s %.6g rose above today's %.6g (budget %.6g)", f.name, f.got, f.rt, f.budget)
		default:
			t.Logf("NOT MET: %s %.6g is over issue #19's budget of %.6g by %.6g", f.name, f.got, f.budget, f.got-f.budget)
		}
	}
}

// sesShapedIDs sends with next and returns, as the provider id, one shaped as SES's message ids are: "0102",
// the time of the send in milliseconds (12 hex digits: sends a few milliseconds apart share most of them), a
// random UUID (here derived from the message id) and "-000000", 60 characters.
type sesShapedIDs struct {
	next notify.Sender
	now  func() time.Time
	sent *atomic.Int64
}

func (s sesShapedIDs) Send(ctx context.Context, n store.Notification, replyTo string) (string, error) {
	if _, err := s.next.Send(ctx, n, replyTo); err != nil {
		return "", err
	}
	ms := s.now().UnixMilli() + 3*s.sent.Add(1) // a few milliseconds between sends
	h := sha256.Sum256([]byte(n.ID))
	x := hex.EncodeToString(h[:])
	return fmt.Sprintf("0102%012x-%s-%s-%s-%s-%s-000000", ms, x[:8], x[8:12], x[12:16], x[16:20], x[20:32]), nil
}
