package console

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/safeguarding/mash/shared/api"
)

// Sessions are stateless: the cookie holds the identity, when the session began and when it was last used,
// signed with HMAC-SHA256 under the server's session key. A session ends at IdleTimeout after its last use
// or AbsoluteTimeout after sign-in, whichever is first; each use re-issues the cookie with the new last-use
// time. The cookie is HttpOnly, SameSite=Lax (a link in an email still opens a page signed in; a
// cross-site POST carries no session) and Secure when served over TLS.

const (
	sessionCookie = "mash_session"
	csrfCookie    = "mash_csrf"
	// DefaultIdleTimeout ends a session not used for this long.
	DefaultIdleTimeout = 30 * time.Minute
	// DefaultAbsoluteTimeout ends every session this long after sign-in.
	DefaultAbsoluteTimeout = 10 * time.Hour
)

type session struct {
	api.Identity
	Began int64 `json:"began"` // unix seconds
	Seen  int64 `json:"seen"`
}

// NewSessionKey returns a random 32-byte key (a server using it signs everyone out when it restarts; `mash
// run` keeps its key in the state folder, LoadOrCreateSessionKey, and the console function reads its key
// from Secrets Manager).
func NewSessionKey() []byte {
	k := make([]byte, 32)
	_, _ = rand.Read(k)
	return k
}

// SessionKeyFile is the session key's file name in the state folder.
const SessionKeyFile = "console-session.key"

// LoadOrCreateSessionKey reads the state folder's session key (32 random bytes, hex), creating it on first
// start (mode 0600, the folder 0700), so that sessions and form tokens outlive a restart of `mash run`. As
// with the `mash token` key, a file others may read is refused: whoever reads it can forge a session.
func LoadOrCreateSessionKey(dir string) ([]byte, error) {
	path := filepath.Join(dir, SessionKeyFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, err
		}
		k := NewSessionKey()
		// O_EXCL: two processes starting at once do not overwrite each other's key.
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			return LoadOrCreateSessionKey(dir)
		}
		if err != nil {
			return nil, err
		}
		if _, err := f.WriteString(hex.EncodeToString(k) + "\n"); err != nil {
			f.Close()
			return nil, err
		}
		return k, f.Close()
	}
	if err != nil {
		return nil, err
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if st.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("%s is readable by others (mode %o): chmod 600 it, or delete it to sign everyone out with a new key", path, st.Mode().Perm())
	}
	k, err := hex.DecodeString(strings.TrimSpace(string(b)))
	if err != nil || len(k) < 32 {
		return nil, fmt.Errorf("%s is not a session key (64 hex digits): delete it to make a new one", path)
	}
	return k, nil
}

func (s *Server) sign(b []byte) string {
	m := hmac.New(sha256.New, s.SessionKey)
	m.Write(b)
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func (s *Server) encodeSession(ss session) string {
	b, _ := json.Marshal(ss)
	return base64.RawURLEncoding.EncodeToString(b) + "." + s.sign(b)
}

var errNoSession = errors.New("no session")

// readSession returns the cookie's session when its signature holds and neither timeout has passed.
func (s *Server) readSession(r *http.Request) (session, error) {
	ck, err := r.Cookie(sessionCookie)
	if err != nil {
		return session{}, errNoSession
	}
	body, sig, ok := strings.Cut(ck.Value, ".")
	if !ok {
		return session{}, errNoSession
	}
	b, err := base64.RawURLEncoding.DecodeString(body)
	if err != nil || !hmac.Equal([]byte(sig), []byte(s.sign(b))) {
		return session{}, errNoSession
	}
	var ss session
	if err := json.Unmarshal(b, &ss); err != nil || ss.Subject == "" {
		return session{}, errNoSession
	}
	now := s.Now()
	if now.Sub(time.Unix(ss.Seen, 0)) > s.idle() || now.Sub(time.Unix(ss.Began, 0)) > s.absolute() {
		return session{}, errors.New("session expired")
	}
	return ss, nil
}

func (s *Server) idle() time.Duration {
	if s.IdleTimeout > 0 {
		return s.IdleTimeout
	}
	return DefaultIdleTimeout
}

func (s *Server) absolute() time.Duration {
	if s.AbsoluteTimeout > 0 {
		return s.AbsoluteTimeout
	}
	return DefaultAbsoluteTimeout
}

func (s *Server) setSession(w http.ResponseWriter, ss session) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: s.encodeSession(ss), Path: "/", HttpOnly: true,
		Secure: s.Secure, SameSite: http.SameSiteLaxMode, MaxAge: int(s.absolute().Seconds())})
}

func (s *Server) clearSession(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true, Secure: s.Secure,
		SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

// csrfToken is the form token for this browser: an HMAC of its random csrf cookie (withCSRFCookie sets it on
// the first visit), so a page of another site cannot know it. Every POST must carry it (verifyCSRF).
func (s *Server) csrfToken(r *http.Request) string {
	v, _ := r.Context().Value(csrfKey{}).(string)
	return s.sign([]byte("csrf:" + v))
}

type csrfKey struct{}

// verifyCSRF checks a POST's csrf field against the browser's csrf cookie. A request with a bearer token and
// no cookies (a tool) is not a browser's: it needs no CSRF token, as the API does not.
func (s *Server) verifyCSRF(r *http.Request) bool {
	ck, err := r.Cookie(csrfCookie)
	if err != nil {
		_, hasSession := r.Cookie(sessionCookie)
		return hasSession != nil && r.Header.Get("Authorization") != ""
	}
	want := s.sign([]byte("csrf:" + ck.Value))
	return hmac.Equal([]byte(r.PostFormValue("csrf")), []byte(want))
}

// randomToken is a URL-safe random token (link tokens, form keys).
func randomToken() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
