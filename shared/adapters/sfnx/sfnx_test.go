package sfnx_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/safeguarding/mash/shared/adapters/sfnx"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/testenv"
	"github.com/safeguarding/mash/shared/workflow"
	"github.com/safeguarding/mash/statemachines"
)

const (
	region  = "eu-west-2"
	account = "123456789012"
	roleARN = "arn:aws:iam::" + account + ":role/mash-contact-machine"
)

var moto *testenv.Process

func TestMain(m *testing.M) { testenv.MotoMain(m, &moto) }

// newSFN is the real Step Functions client pointed at moto, with dummy static credentials.
func newSFN() *sfn.Client {
	return sfn.New(sfn.Options{
		Region:       region,
		BaseEndpoint: aws.String(moto.Endpoint),
		Credentials:  testenv.MotoCredentials("sfnx_test"),
	})
}

// contactMachine creates the contact state machine under the name in moto, and gives the Step Functions
// client, the machine's ARN and the adapter starting it.
func contactMachine(t *testing.T, name string) (*sfn.Client, string, sfnx.Client) {
	t.Helper()
	api := newSFN()
	machine := createMachine(t, api, name, contactDefinition(t))
	return api, machine, sfnx.Client{AWS: cfg(), StateMachineARN: machine}
}

// cfg is the adapter's AWS configuration, pointed at moto.
func cfg() aws.Config {
	return aws.Config{Region: region, BaseEndpoint: aws.String(moto.Endpoint),
		Credentials: testenv.MotoCredentials("sfnx_test")}
}

// contactDefinition is statemachines.Contact with its DefinitionSubstitutions filled as the template fills
// them: a Lambda ARN per function and the dead-letter queue's URL.
func contactDefinition(t *testing.T) string {
	t.Helper()
	def := string(statemachines.Contact)
	for key, fn := range workflow.Substitutions {
		def = strings.ReplaceAll(def, "${"+key+"}", "arn:aws:lambda:"+region+":"+account+":function:mash-"+fn)
	}
	def = strings.ReplaceAll(def, "${DeadLetterQueueUrl}", "https://sqs."+region+".amazonaws.com/"+account+"/mash-dead-letter")
	if strings.Contains(def, "${") {
		t.Fatalf("contact.asl.json has a placeholder the test does not substitute: %s", def[strings.Index(def, "${"):][:40])
	}
	if !json.Valid([]byte(def)) {
		t.Fatal("substituted contact definition is not JSON")
	}
	return def
}

// seq makes names unique within one moto process, so `go test -count=N` starts from empty machines.
var seq atomic.Int64

func unique(name string) string { return fmt.Sprintf("%s-%d", name, seq.Add(1)) }

func createMachine(t *testing.T, api *sfn.Client, name, definition string) string {
	t.Helper()
	name = unique(name)
	out, err := api.CreateStateMachine(context.Background(), &sfn.CreateStateMachineInput{
		Name: aws.String(name), Definition: aws.String(definition), RoleArn: aws.String(roleARN),
		Type: types.StateMachineTypeStandard,
	})
	if err != nil {
		t.Fatalf("CreateStateMachine %s: %v", name, err)
	}
	return aws.ToString(out.StateMachineArn)
}

func executions(t *testing.T, api *sfn.Client, machine string) []types.ExecutionListItem {
	t.Helper()
	out, err := api.ListExecutions(context.Background(), &sfn.ListExecutionsInput{StateMachineArn: aws.String(machine)})
	if err != nil {
		t.Fatalf("ListExecutions: %v", err)
	}
	return out.Executions
}

// The execution name is the contact id, so an SQS redelivery or a retried intake cannot start a second
// execution for one contact (docs/architecture.md "Data flow": create Contact, then start the machine).
func TestStart_SameContactTwice_StartsOneExecution(t *testing.T) {
	ctx := context.Background()
	api, machine, c := contactMachine(t, "mash-contact-once")

	first := workflow.Start{ContactID: "C-20271224-0001", Authority: "hackney"}
	if err := c.Start(ctx, first); err != nil {
		t.Fatalf("first Start: %v", err)
	}
	// The same input again: Step Functions answers with the running execution (idempotent start).
	if err := c.Start(ctx, first); err != nil {
		t.Fatalf("second Start of the same contact: %v", err)
	}
	// A different input under the same name is ExecutionAlreadyExists from the service — the adapter's
	// branch. Prove moto really answers that, then that the adapter turns it into success.
	other := workflow.Start{ContactID: first.ContactID, Authority: "barnet"}
	otherInput, _ := json.Marshal(other)
	_, err := api.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(machine),
		Name: aws.String(string(first.ContactID)), Input: aws.String(string(otherInput))})
	var exists *types.ExecutionAlreadyExists
	if !errors.As(err, &exists) {
		t.Fatalf("raw StartExecution with the same name and another input = %v, want ExecutionAlreadyExists", err)
	}
	if err := c.Start(ctx, other); err != nil {
		t.Fatalf("Start when the execution already exists = %v, want success", err)
	}

	list := executions(t, api, machine)
	if len(list) != 1 || aws.ToString(list[0].Name) != string(first.ContactID) {
		t.Fatalf("executions after three starts of one contact = %v, want exactly one named %s", names(list), first.ContactID)
	}

	second := workflow.Start{ContactID: "C-20271224-0002", Authority: "hackney"}
	if err := c.Start(ctx, second); err != nil {
		t.Fatalf("Start of another contact: %v", err)
	}
	got := names(executions(t, api, machine))
	want := []string{string(first.ContactID), string(second.ContactID)}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("executions = %v, want %v", got, want)
	}
}

// A reopened contact starts a new execution named by its reopening ("<id>-reopen-<n>",
// domain.Contact.ExecutionName): the first execution stays as it is, a redelivered start of the same
// reopening starts nothing, and the next reopening starts one more.
func TestStart_Reopening_NewExecutionPerReopeningOnce(t *testing.T) {
	ctx := context.Background()
	api, machine, c := contactMachine(t, "mash-contact-reopen")
	contact := &domain.Contact{ID: "c_00000000000000000042", Authority: "hackney"}
	start := func() {
		t.Helper()
		if err := c.Start(ctx, workflow.Start{ContactID: contact.ID, Authority: contact.Authority, Name: contact.ExecutionName()}); err != nil {
			t.Fatal(err)
		}
	}
	start()
	contact.Reopenings = append(contact.Reopenings, domain.Reopening{By: "sm", Reason: "new information"})
	start()
	start() // a redelivery of the same reopening
	contact.Reopenings = append(contact.Reopenings, domain.Reopening{By: "sm", Reason: "again"})
	start()
	got := names(executions(t, api, machine))
	slices.Sort(got)
	want := []string{"c_00000000000000000042", "c_00000000000000000042-reopen-1", "c_00000000000000000042-reopen-2"}
	if !slices.Equal(got, want) {
		t.Errorf("executions %v, want %v", got, want)
	}
}

// Payloads carry ids and routing facts only (docs/architecture.md "Data flow"): the execution input is exactly
// {contactId, authority}.
func TestStart_InputCarriesOnlyContactIDAndAuthority(t *testing.T) {
	ctx := context.Background()
	api, machine, c := contactMachine(t, "mash-contact-input")
	in := workflow.Start{ContactID: "C-20271224-0003", Authority: "portsmouth"}
	if err := c.Start(ctx, in); err != nil {
		t.Fatal(err)
	}
	list := executions(t, api, machine)
	if len(list) != 1 {
		t.Fatalf("executions = %v, want one", names(list))
	}
	if !strings.HasPrefix(aws.ToString(list[0].StateMachineArn), machine) {
		t.Errorf("execution belongs to %s, want %s", aws.ToString(list[0].StateMachineArn), machine)
	}
	d, err := api.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: list[0].ExecutionArn})
	if err != nil {
		t.Fatal(err)
	}
	var input map[string]any
	if err := json.Unmarshal([]byte(aws.ToString(d.Input)), &input); err != nil {
		t.Fatalf("execution input %q is not a JSON object: %v", aws.ToString(d.Input), err)
	}
	want := map[string]any{"contactId": string(in.ContactID), "authority": string(in.Authority)}
	if len(input) != len(want) {
		t.Errorf("execution input keys = %v, want only contactId and authority", mapKeys(input))
	}
	for k, v := range want {
		if input[k] != v {
			t.Errorf("execution input %s = %v, want %v", k, input[k], v)
		}
	}
}

// Any other failure — here a state machine that does not exist — reaches the caller, which retries.
func TestStart_OtherErrorsSurface(t *testing.T) {
	c := sfnx.Client{AWS: cfg(), StateMachineARN: "arn:aws:states:" + region + ":" + account + ":stateMachine:mash-missing"}
	err := c.Start(context.Background(), workflow.Start{ContactID: "C-20271224-0004", Authority: domain.AuthorityID("bexley")})
	if sfnx.Code(err) != "StateMachineDoesNotExist" {
		t.Fatalf("Start on a missing machine = %v, want StateMachineDoesNotExist", err)
	}
}

func names(list []types.ExecutionListItem) []string {
	var out []string
	for _, e := range list {
		out = append(out, aws.ToString(e.Name))
	}
	sort.Strings(out)
	return out
}

func mapKeys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Issue #13: the SLA sweep's reconciliation restarts a contact whose status waits on a person with no open
// wait on record. Step Functions keeps an execution's name, so each restart is a new execution named after
// the contact and the attempt; the same attempt again (a retried sweep) starts nothing new.
func TestRestart_OneNewExecutionPerAttempt(t *testing.T) {
	ctx := context.Background()
	api, machine, c := contactMachine(t, "mash-contact-restart")
	in := workflow.Start{ContactID: domain.NewContactID(), Authority: "hackney"}
	if err := c.Start(ctx, in); err != nil {
		t.Fatal(err)
	}
	for _, attempt := range []int{1, 1, 2} {
		if err := c.Restart(ctx, in, attempt); err != nil {
			t.Fatalf("Restart attempt %d: %v", attempt, err)
		}
	}
	got := names(executions(t, api, machine))
	sort.Strings(got)
	want := []string{string(in.ContactID), string(in.ContactID) + "-r1", string(in.ContactID) + "-r2"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("executions %v, want %v", got, want)
	}
}
