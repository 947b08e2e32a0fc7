// Package domain holds the MASH front door's core vocabulary: contacts, children, referrers, consent,
// ratings, outcomes, agencies and channels, and the one error type every layer speaks.
//
// Nothing here knows about AWS, HTTP or storage. Field names of the JSON representation are part of the
// public contract (docs/architecture.md "The contact as the API and CLI show it"): add fields, never rename.
package domain

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Code classifies an Error. The edges (HTTP, CLI, Step Functions) map codes to their own vocabulary once.
type Code string

const (
	CodeInvalid   Code = "invalid"   // the caller sent something wrong: HTTP 400, CLI exit 1
	CodeNotFound  Code = "not_found" // HTTP 404, CLI exit 1
	CodeConflict  Code = "conflict"  // optimistic-lock or state conflict: HTTP 409
	CodeDuplicate Code = "duplicate" // an idempotency key was seen before: HTTP 200 with the first result
	CodeForbidden Code = "forbidden" // HTTP 403
	CodeInternal  Code = "internal"  // HTTP 500, CLI exit 2; details logged, never sent to a client
)

// FieldError names one bad field and why.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error is the domain error. Message is safe to show to a caller; it never carries personal data.
type Error struct {
	Code    Code
	Message string
	Fields  []FieldError // for CodeInvalid: each bad field
	Err     error        // wrapped cause, for logs only
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(string(e.Code))
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	for i, f := range e.Fields {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(f.Field)
		b.WriteString(" ")
		b.WriteString(f.Message)
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Is lets errors.Is(err, &Error{Code: CodeConflict}) match on the code alone.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code && t.Message == "" && t.Fields == nil
}

// Sentinels for errors.Is comparisons.
var (
	ErrInvalid   = &Error{Code: CodeInvalid}
	ErrNotFound  = &Error{Code: CodeNotFound}
	ErrConflict  = &Error{Code: CodeConflict}
	ErrDuplicate = &Error{Code: CodeDuplicate}
	ErrForbidden = &Error{Code: CodeForbidden}
	ErrInternal  = &Error{Code: CodeInternal}
)

// Errorf builds an Error with a formatted message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err, or CodeInternal for a non-domain error.
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// Problems collects field errors during validation.
type Problems []FieldError

// Add records a bad field.
func (p *Problems) Add(field, format string, args ...any) {
	*p = append(*p, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// Err returns nil when nothing was recorded, else an invalid Error naming every field (sorted, stable).
func (p Problems) Err() error {
	if len(p) == 0 {
		return nil
	}
	fs := append([]FieldError(nil), p...)
	sort.SliceStable(fs, func(i, j int) bool { return fs[i].Field < fs[j].Field })
	return &Error{Code: CodeInvalid, Fields: fs}
}
