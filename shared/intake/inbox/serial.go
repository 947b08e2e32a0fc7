package inbox

import (
	"slices"
	"strings"
	"sync"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/intake/email"
)

// keyedLock serialises work per key: lock(k) waits while another holder has k, and returns the unlock.
// Keys nobody holds take no memory.
type keyedLock struct {
	mu   sync.Mutex
	held map[string]*keyWaiters
}

type keyWaiters struct {
	n    int // holders and waiters
	turn sync.Mutex
}

func (l *keyedLock) lock(key string) (unlock func()) {
	l.mu.Lock()
	if l.held == nil {
		l.held = map[string]*keyWaiters{}
	}
	w := l.held[key]
	if w == nil {
		w = &keyWaiters{}
		l.held[key] = w
	}
	w.n++
	l.mu.Unlock()
	w.turn.Lock()
	return func() {
		w.turn.Unlock()
		l.mu.Lock()
		if w.n--; w.n == 0 {
			delete(l.held, key)
		}
		l.mu.Unlock()
	}
}

// lockAll takes every key's lock, in sorted order (so two holders of overlapping sets cannot deadlock), and
// returns the unlock of them all.
func (l *keyedLock) lockAll(keys []string) (unlock func()) {
	keys = slices.Compact(slices.Sorted(slices.Values(keys)))
	unlocks := make([]func(), 0, len(keys))
	for _, k := range keys {
		unlocks = append(unlocks, l.lock(k))
	}
	return func() {
		for _, u := range slices.Backward(unlocks) {
			u()
		}
	}
}

// referralKeys are what a re-send has in common with the message it re-sends (resent): its sender with each of
// its children. None when the message cannot be a re-send (no sender address, or a child with no identity
// key): resent then looks for nothing, and nothing needs to wait.
func referralKeys(authority domain.AuthorityID, m *email.Message) []string {
	if m.Referrer.Email == "" {
		return nil
	}
	ks := make([]string, 0, len(m.Children))
	for _, c := range m.Children {
		ik := c.IdentityKey()
		if ik == "" {
			return nil
		}
		ks = append(ks, string(authority)+"\x00"+strings.ToLower(m.Referrer.Email)+"\x00"+ik)
	}
	return ks
}
