package clock

// The zone database is embedded so Europe/London resolves identically on every machine and in the minimal
// Lambda runtime image, whatever its /usr/share/zoneinfo holds (it is used only when the system has none).
import _ "time/tzdata"
