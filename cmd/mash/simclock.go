package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/safeguarding/mash/shared/clock"
	"github.com/safeguarding/mash/shared/flow"
)

// A state folder runs on the real clock or on a simulated one, for good: STATE/clock.json records a simulated
// clock (where it started, how fast it runs, the real instant it started), and every command that opens the
// folder runs on it, so that rehearsal data and real data never share a folder. `mash run --start-at` on a
// folder that already holds real data is refused; the demo's folder is always simulated (demo time).

const clockFile = "clock.json"

// simulation is a state folder's simulated clock.
type simulation struct {
	StartAt       time.Time `json:"startAt"`
	Speed         float64   `json:"speed"`
	RealStartedAt time.Time `json:"realStartedAt"`
}

// clockFlags are --start-at and --speed (mash run, mash demo).
type clockFlags struct {
	startAt *string
	speed   *float64
}

func addClockFlags(fs *flag.FlagSet) clockFlags {
	return clockFlags{
		startAt: fs.String("start-at", "", "run on a simulated clock starting at this instant, RFC3339 (e.g. 2027-12-24T16:59:00Z); the state folder is marked simulated for good"),
		speed:   fs.Float64("speed", 1, "with --start-at: the simulated clock runs this many times as fast as the real one"),
	}
}

// parse reads the flags: nil when no simulated clock is asked for.
func (cf clockFlags) parse() (*simulation, error) {
	if *cf.speed <= 0 {
		return nil, badInput("--speed must be more than 0")
	}
	if *cf.startAt == "" {
		if *cf.speed != 1 {
			return nil, badInput("--speed needs --start-at")
		}
		return nil, nil
	}
	t, err := time.Parse(time.RFC3339, *cf.startAt)
	if err != nil {
		return nil, badInput("--start-at %q is not an RFC3339 time (e.g. 2027-12-24T16:59:00Z)", *cf.startAt)
	}
	return &simulation{StartAt: t, Speed: *cf.speed}, nil
}

// now is the simulated instant at the real instant real.
func (s simulation) now(real time.Time) time.Time {
	return s.StartAt.Add(time.Duration(float64(real.Sub(s.RealStartedAt)) * s.Speed))
}

// stateClock returns the clock of the state folder dir. start, when set, (re)starts a simulated clock there
// and records it; a folder holding real data refuses one. A folder whose record says simulated runs on it.
func (a *app) stateClock(dir string, start *simulation) (flow.Clock, *simulation, error) {
	path := filepath.Join(dir, clockFile)
	var rec *simulation
	switch b, err := os.ReadFile(path); {
	case err == nil:
		rec = &simulation{}
		if err := json.Unmarshal(b, rec); err != nil || rec.Speed <= 0 {
			return nil, nil, fmt.Errorf("%s is not a clock record (delete the folder to start afresh): %v", path, err)
		}
	case !errors.Is(err, os.ErrNotExist):
		return nil, nil, err
	}
	if start != nil {
		if rec == nil {
			if _, err := os.Stat(filepath.Join(dir, "store.db")); err == nil {
				return nil, nil, badInput("%s holds data made on the real clock: rehearse on a simulated clock in another folder (e.g. --state %s)", dir, filepath.Join(dir, "rehearsal"))
			}
		}
		rec = &simulation{StartAt: start.StartAt, Speed: start.Speed, RealStartedAt: a.now()}
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, nil, err
		}
		b, err := json.MarshalIndent(rec, "", "  ")
		if err != nil {
			return nil, nil, err
		}
		if err := os.WriteFile(path, append(b, '\n'), 0o600); err != nil {
			return nil, nil, err
		}
	}
	if rec == nil {
		return flow.ClockFunc(a.now), nil, nil
	}
	sim := *rec
	return flow.ClockFunc(clock.Simulated(sim.now(a.now()), sim.Speed, a.now)), &sim, nil
}
