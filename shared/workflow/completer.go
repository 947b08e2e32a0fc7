package workflow

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/safeguarding/mash/shared/clock"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/tablestream"
)

// Tasks completes task tokens: AWS Step Functions in production, the local executor in `mash run` and the
// tests.
type Tasks interface {
	SendTaskSuccess(ctx context.Context, token string, output json.RawMessage) error
	// SendTaskFailure fails the wait with an ASL error name (a named outcome: Tell) and a cause with no
	// personal data.
	SendTaskFailure(ctx context.Context, token, errName, cause string) error
}

// Tell completes a person's wait with its result. A result that ends the wait otherwise than going on — the
// contact merged as a duplicate (RatingResult or DecisionResult Merged), forwarded while it waited for its
// rating (RatingResult Forwarded), or re-rated while its decision waited (DecisionResult Rerated) — fails the
// wait with that outcome's name (Merged, Forwarded, Rerated: SendTaskFailure), which the wait's Catch routes.
// Any other result is SendTaskSuccess, and the machine goes straight on from the wait with no Choice state
// (docs/cost.md "Fewer state transitions"). A wait parked by a definition that catches no named outcome
// (namedOutcomes false: contract 1, whose Choice states read the result's flags) is told every result as
// SendTaskSuccess (NamedOutcomes).
func Tell(ctx context.Context, t Tasks, token string, output json.RawMessage, namedOutcomes bool) error {
	if !namedOutcomes {
		return t.SendTaskSuccess(ctx, token, output)
	}
	var o struct{ Merged, Forwarded, Rerated bool }
	if len(output) > 0 {
		if err := json.Unmarshal(output, &o); err != nil {
			return fmt.Errorf("a wait's result: %w", err)
		}
	}
	var named error
	switch {
	case o.Merged:
		named = &Merged{}
	case o.Forwarded:
		named = &Forwarded{}
	case o.Rerated:
		named = &Rerated{}
	default:
		return t.SendTaskSuccess(ctx, token, output)
	}
	return t.SendTaskFailure(ctx, token, ErrorName(named), named.Error())
}

// TellPlan answers the replan step's wait (the tray function's own token, told from inside its invocation)
// with where the machine goes after the checks: a contact forwarded while they ran fails it with Forwarded (on
// to Notify), checks still to ask with ChecksNeeded (on to plan them), and otherwise the plan is the wait's
// result and the machine goes straight on to the decision, with no Choice state (docs/cost.md).
func TellPlan(ctx context.Context, t Tasks, token string, plan RatingResult) error {
	var named error
	switch {
	case plan.Forwarded:
		named = &Forwarded{}
	case len(plan.Agencies) > 0:
		named = &ChecksNeeded{}
	default:
		out, err := json.Marshal(plan)
		if err != nil {
			return err
		}
		return t.SendTaskSuccess(ctx, token, out)
	}
	return t.SendTaskFailure(ctx, token, ErrorName(named), named.Error())
}

// TellCompletion tells a wait the result an action owes it (the completer; the SLA sweep's reconciliation),
// in the terms of the definition that parked it (contract). A result carrying a plan — a rating's (the
// partner checks' deadline and the decision's), and under contract 4 the answer that ends the partner checks'
// wait (ChecksPlanned: the decision's) — has its waits' seconds counted again from their deadlines at now
// (RatingResult.Recount), so a plan told late starts its wait with the seconds left, not those there were when
// it was made. A partner checks' wait under contract 4 is told as the replan step tells its own (TellPlan):
// the plan, ChecksNeeded or Forwarded. Any other result is told as Tell tells it.
func TellCompletion(ctx context.Context, t Tasks, tray string, contract int, token string, output json.RawMessage, unmarked int, now time.Time) error {
	switch domain.Tray(tray) {
	case domain.TrayChecks:
		if !ChecksPlanned(contract) {
			break
		}
		var plan RatingResult
		if err := json.Unmarshal(output, &plan); err != nil {
			return fmt.Errorf("a partner checks wait's plan: %w", err)
		}
		return TellPlan(ctx, t, token, plan.Recount(now))
	case domain.TrayRating:
		var plan RatingResult
		if len(output) > 0 && json.Unmarshal(output, &plan) == nil && (plan.ChecksDueAt != "" || plan.DecisionWait.DueAt != "") {
			out, err := json.Marshal(plan.Recount(now))
			if err != nil {
				return err
			}
			output = out
		}
	}
	return Tell(ctx, t, token, output, NamedOutcomes(contract, unmarked))
}

// ErrorName is the ASL error name of one of ASLErrors' types: its Go type name, as aws-lambda-go reports it.
func ErrorName(err error) string {
	name := fmt.Sprintf("%T", err)
	return name[strings.LastIndexByte(name, '.')+1:]
}

// WaitOverError says the workflow no longer waits on a token. Code is Step Functions' own: InvalidToken,
// TaskDoesNotExist (the execution is gone) or TaskTimedOut — which AWS also answers for a token that was
// already completed ("Provided task does not exist anymore"), so a timed-out wait and one already answered
// cannot be told apart by the answer. Either way the completion is over and the SLA sweep's reconciliation
// mends the contact from the record. The Tasks adapters return it inside a domain conflict (the wait is over:
// retrying cannot help), so errors.As finds it and domain.ErrorCode says conflict.
type WaitOverError struct {
	Code string
	Err  error
}

func (e *WaitOverError) Error() string {
	return "the workflow no longer waits on this token (" + e.Code + ")"
}
func (e *WaitOverError) Unwrap() error { return e.Err }

// WaitOver wraps a Tasks adapter's "this wait is over" answer: a domain conflict carrying *WaitOverError.
func WaitOver(code string, err error) error {
	return &domain.Error{Code: domain.CodeConflict, Message: "the workflow is no longer waiting for this answer",
		Err: &WaitOverError{Code: code, Err: err}}
}

// Completer drains the outbox of completions (issue #13): a person's action wrote, in its own atomic write,
// a store.Completion for each wait it answers; the completer tells the wait (TellCompletion) until Step
// Functions acknowledges it. An answer saying the wait is over (already completed, timed out, the execution
// gone) ends the completion too — retrying could not help — and is audited (workflow.completion-wait-over);
// the sweep's reconciliation, which runs right after the completer, then tells whatever wait the machine
// opened since (a re-park after a timeout) from the record, or re-drives a contact whose wait is gone. Any
// other failure (throttled, unreachable) is counted on the record, which stays pending for the next run.
type Completer struct {
	Store store.Store
	Tasks Tasks
	Log   *slog.Logger
	// Now is the clock a plan's waits are counted from when it is told (TellCompletion). Required.
	Now clock.Now
	// Unmarked is the contract of waits parked before contracts were marked (Env.UnmarkedContract).
	Unmarked int
}

// CompletionResult counts what one run of the completer did.
type CompletionResult struct {
	Acknowledged int `json:"acknowledged"`
	WaitOver     int `json:"waitOver"`
	Failed       int `json:"failed"`
}

// Drain sends every pending completion (at most limit; <= 0: all), oldest first. A completion still pending
// here is late (the action's own send failed): a partner checks' wait under contract 4 is told the plan read
// from the record now (PlanFromRecord), not the one its action made, so that a re-rating or a forward since
// (which found no check open, and so owed nothing itself) still reaches PlanChecks or Notify, as the replan
// step that read the record after the wait ended did.
func (c Completer) Drain(ctx context.Context, limit int) (CompletionResult, error) {
	pend, err := c.Store.PendingCompletions(ctx, limit)
	if err != nil {
		return CompletionResult{}, &TransientError{Err: fmt.Errorf("pending completions: %w", err)}
	}
	var res CompletionResult
	var errs []error
	send := pend[:0:0]
	for _, cp := range pend {
		cp, err := c.late(ctx, cp)
		if err != nil {
			res.Failed++
			errs = append(errs, err)
			continue
		}
		send = append(send, cp)
	}
	sent, err := c.Send(ctx, send)
	sent.Failed += res.Failed
	return sent, errors.Join(append(errs, err)...)
}

// late is a completion told after its action's own send would have been: a partner checks' wait under contract
// 4 gets the plan read from the record now (see Drain).
func (c Completer) late(ctx context.Context, cp store.Completion) (store.Completion, error) {
	if domain.Tray(cp.Tray) == domain.TrayChecks && ChecksPlanned(cp.Contract) {
		out, err := c.planFromRecord(ctx, cp)
		if err != nil {
			return cp, &TransientError{Err: fmt.Errorf("completion %s: %w", cp.ID, err)}
		}
		cp.Output = out
	}
	return cp, nil
}

// planFromRecord is a late partner checks completion's plan as the record says it now; the plan its action
// made when the contact or its rating is gone (nothing newer to say).
func (c Completer) planFromRecord(ctx context.Context, cp store.Completion) (json.RawMessage, error) {
	ct, err := c.Store.GetContact(ctx, cp.ContactID)
	if domain.ErrorCode(err) == domain.CodeNotFound {
		return cp.Output, nil
	}
	if err != nil {
		return nil, err
	}
	plan, err := PlanFromRecord(ctx, c.Store, ct, c.now())
	if domain.ErrorCode(err) == domain.CodeConflict { // no rating to plan from
		return cp.Output, nil
	}
	if err != nil {
		return nil, err
	}
	return json.Marshal(plan)
}

// Send tells the workflow each completion once. Its error joins the failures (each a *TransientError: the
// completion stays pending and the next Drain sends it again).
func (c Completer) Send(ctx context.Context, cps []store.Completion) (CompletionResult, error) {
	res, unrecorded, recorded := c.send(ctx, cps)
	return res, errors.Join(append(unrecorded, recorded...)...)
}

// send is Send with its failures apart: unrecorded, those the store could not record (nothing says the
// completion is still owed but its own record); recorded, the sends that failed and were counted on the
// completion (on the pending list now, for the sweep's Drain).
func (c Completer) send(ctx context.Context, cps []store.Completion) (res CompletionResult, errs, recorded []error) {
	for _, cp := range cps {
		err := TellCompletion(ctx, c.Tasks, cp.Tray, cp.Contract, cp.TaskToken, cp.Output, c.Unmarked, c.now())
		result := store.CompletionAcknowledged
		if err != nil {
			var over *WaitOverError
			if !errors.As(err, &over) && domain.ErrorCode(err) != domain.CodeConflict {
				res.Failed++
				code := FailureCode(err)
				if _, ferr := c.Store.CompletionFailed(ctx, cp.ContactID, cp.ID, code); ferr != nil && domain.ErrorCode(ferr) != domain.CodeConflict {
					errs = append(errs, ferr)
				}
				c.log().WarnContext(ctx, "workflow not told yet: the completion stays pending", "contactId", cp.ContactID,
					"item", cp.ID, "tray", cp.Tray, "error", code)
				recorded = append(recorded, &TransientError{Err: fmt.Errorf("completion %s: %s", cp.ID, code)})
				continue
			}
			code := "conflict"
			if over != nil {
				code = over.Code
			}
			result = store.CompletionWaitOver + ":" + code
			if _, aerr := c.Store.AppendAudit(ctx, store.AuditEvent{ContactID: cp.ContactID, Actor: FnSLA, Action: "workflow.completion-wait-over",
				Reason: "the workflow no longer waited on this answer (already completed, timed out, or its execution gone): reconciled from the record",
				Detail: map[string]string{"tray": cp.Tray, "item": cp.ID, "code": code}}); aerr != nil {
				errs = append(errs, aerr)
				continue
			}
			res.WaitOver++
		} else {
			res.Acknowledged++
		}
		// cp is as the store wrote or read it (its Version): ended without reading it again (docs/cost.md).
		if _, err := c.Store.CompletionDoneLoaded(ctx, cp, result); err != nil && domain.ErrorCode(err) != domain.CodeConflict {
			errs = append(errs, &TransientError{Err: fmt.Errorf("completion %s: %w", cp.ID, err)})
		}
	}
	return res, errs, recorded
}

// now is the completer's clock; without one (a wiring fault) a plan is told with the seconds it was made with.
func (c Completer) now() time.Time {
	if c.Now == nil {
		return time.Time{}
	}
	return c.Now()
}

func (c Completer) log() *slog.Logger {
	if c.Log != nil {
		return c.Log
	}
	return slog.New(slog.DiscardHandler)
}

// FailureCode names a failure for a record or a log line without free text: a service's error code when it
// has one (the SDK's and awsrest's ErrorCode), a domain error's code, else "unavailable".
func FailureCode(err error) string {
	var coded interface{ ErrorCode() string }
	if errors.As(err, &coded) && coded.ErrorCode() != "" {
		return coded.ErrorCode()
	}
	var de *domain.Error
	if errors.As(err, &de) {
		return string(de.Code)
	}
	return "unavailable"
}

// StreamCompleter tells the workflow, from the table's stream, each completion a person's action owes it (AWS:
// functions/outbox, where the store writes completions Streamed and the actions do not tell them themselves:
// Env.ByStream; docs/cost.md "Completions told from the table's stream"). A completion is told once, when the
// write that put it commits (the record where it first appears), as the sweep's Drain tells a late one (a
// partner checks' contract 4 wait gets the plan read from the record then). A tell that fails is counted on the
// completion, which puts it on the pending list for the sweep's Drain; the record is done. A record the store
// could not record is an error: the stream gives it again.
type StreamCompleter struct {
	Completer Completer
	// Decode reads the completion a record's images carry (new, old: DynamoDB JSON); ok false: none new there.
	// Production: wire.StreamCompletion.
	Decode func(image, old json.RawMessage) (cp store.Completion, ok bool, err error)
}

// Record tells the completion a record carries (tablestream.Consumer).
func (s StreamCompleter) Record(ctx context.Context, r tablestream.Record) error {
	if (r.EventName != "INSERT" && r.EventName != "MODIFY") || len(r.DynamoDB.NewImage) == 0 {
		return nil
	}
	cp, ok, err := s.Decode(r.DynamoDB.NewImage, r.DynamoDB.OldImage)
	if err != nil {
		return fmt.Errorf("completions stream: image: %w", err)
	}
	if !ok {
		return nil
	}
	if cp, err = s.Completer.late(ctx, cp); err != nil {
		// the record could not be read to plan from: the completion is not counted anywhere yet, so the
		// record is not done
		return err
	}
	_, unrecorded, _ := s.Completer.send(ctx, []store.Completion{cp})
	return errors.Join(unrecorded...)
}
