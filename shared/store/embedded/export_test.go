package embedded

import "time"

// SetLinger sets how long s's writer holds a commit, at most, for a batch's writes to come (tests).
func SetLinger(s *Store, d time.Duration) { s.b.lingerFor = d }
