package clock

import (
	"testing"
	"time"
	_ "time/tzdata" // the full database to compare with, even where the system has none
)

// The embedded Europe/London must give the same offsets as the toolchain's full database, either side of
// both clock changes.
func TestLoadLocation_EuropeLondonMatchesZoneDatabase(t *testing.T) {
	got, err := LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	want, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"2026-03-29T00:59:59Z", "2026-03-29T01:00:00Z", "2026-10-25T00:59:59Z", "2026-10-25T01:00:00Z", "1990-06-01T12:00:00Z", "2040-07-01T12:00:00Z"} {
		at, _ := time.Parse(time.RFC3339, s)
		gn, go_ := at.In(got).Zone()
		wn, wo := at.In(want).Zone()
		if gn != wn || go_ != wo {
			t.Errorf("%s: embedded %s%+d, database %s%+d", s, gn, go_, wn, wo)
		}
	}
	if _, err := LoadLocation("Not/AZone"); err == nil {
		t.Error("LoadLocation(Not/AZone) succeeded")
	}
}
