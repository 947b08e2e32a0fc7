package flow

import (
	"time"

	"github.com/safeguarding/mash/shared/clock"
)

// Clock is the executor's only source of time: Wait states, retry delays and task-token deadlines
// are measured against it. Production code passes the shared clock's Now; tests use a FakeClock.
type Clock interface {
	Now() time.Time
}

// ClockFunc adapts a Now function (e.g. shared/clock's) to Clock.
type ClockFunc func() time.Time

// Now returns f().
func (f ClockFunc) Now() time.Time { return f() }

// FakeClock is shared/clock's FakeClock: a Clock that moves only when told to.
type FakeClock = clock.FakeClock

// NewFakeClock returns a FakeClock reading t0.
func NewFakeClock(t0 time.Time) *FakeClock { return clock.NewFakeClock(t0) }
