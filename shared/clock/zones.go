package clock

import (
	_ "embed"
	"sync"
	"time"
)

// The zone every authority's policy names is embedded, so Europe/London resolves identically on every
// machine and in the minimal Lambda runtime image, whatever its /usr/share/zoneinfo holds. Only that zone
// is embedded (1.6 KB) rather than the whole database through time/tzdata (≈450 KB in every function):
// the file is Go's own copy (lib/time/zoneinfo.zip of the toolchain that built this commit, IANA 2025c).
// Any other IANA name still loads from the system's zoneinfo where it has one.
//
//go:embed zoneinfo/Europe_London
var europeLondon []byte

var embeddedZones = map[string][]byte{"Europe/London": europeLondon}

// locations caches LoadLocation by name: time.LoadLocation reads and parses the zone file on every call.
var locations sync.Map // string → *time.Location

// LoadLocation is time.LoadLocation, preferring the embedded zones and caching every zone it loads.
// As with time.LoadLocation, "" and "UTC" are UTC.
func LoadLocation(name string) (*time.Location, error) {
	if loc, ok := locations.Load(name); ok {
		return loc.(*time.Location), nil
	}
	var loc *time.Location
	var err error
	if data, ok := embeddedZones[name]; ok {
		loc, err = time.LoadLocationFromTZData(name, data)
	} else {
		loc, err = time.LoadLocation(name)
	}
	if err != nil {
		return nil, err
	}
	locations.Store(name, loc)
	return loc, nil
}
