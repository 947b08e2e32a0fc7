package api

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/safeguarding/mash/shared/clock"
	"github.com/safeguarding/mash/shared/domain"
)

// Local sign-in: `mash run` and `mash demo` accept only bearer tokens signed with a key of their own state
// folder (Ed25519, generated on first start, file mode 0600); `mash token` mints them. A token carries the
// user, the authority, the roles and (for a partner) the agency, and expires.

// LocalKeyFile is the signing key's file name in the state folder.
const LocalKeyFile = "signing-key.pem"

// LocalIssuer is the issuer of local tokens; a token with another issuer is refused.
const LocalIssuer = "mash-local"

// LocalAudience is the audience of local tokens.
const LocalAudience = "mash-api"

// MaxLocalTTL is the longest a local token may live.
const MaxLocalTTL = 7 * 24 * time.Hour

// LocalClaims are the claims of a local token.
type LocalClaims struct {
	Authority domain.AuthorityID `json:"authority"`
	Roles     []string           `json:"roles"`
	Agency    string             `json:"agency,omitempty"`
	jwt.RegisteredClaims
}

// LocalAuth signs and verifies local tokens with one Ed25519 key.
type LocalAuth struct {
	key ed25519.PrivateKey
	now clock.Now
}

// LoadOrCreateLocalKey reads the state folder's signing key, creating it (mode 0600, the folder 0700) on
// first start. A key file that others may read is refused: anyone who can read it can sign in as anyone.
func LoadOrCreateLocalKey(dir string, now clock.Now) (*LocalAuth, error) {
	path := filepath.Join(dir, LocalKeyFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return createLocalKey(dir, path, now)
	}
	if err != nil {
		return nil, err
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if st.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("%s is readable by others (mode %o): chmod 600 it, or delete it to make a new key", path, st.Mode().Perm())
	}
	blk, _ := pem.Decode(b)
	if blk == nil || blk.Type != "PRIVATE KEY" {
		return nil, fmt.Errorf("%s is not a PEM private key", path)
	}
	k, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	ek, ok := k.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("%s is not an Ed25519 key", path)
	}
	return &LocalAuth{key: ek, now: now}, nil
}

func createLocalKey(dir, path string, now clock.Now) (*LocalAuth, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	_, k, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		return nil, err
	}
	// O_EXCL: two processes starting at once do not overwrite each other's key.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return LoadOrCreateLocalKey(dir, now)
	}
	if err != nil {
		return nil, err
	}
	if err := pem.Encode(f, &pem.Block{Type: "PRIVATE KEY", Bytes: der}); err != nil {
		f.Close()
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	return &LocalAuth{key: k, now: now}, nil
}

// PublicKey is the key tokens are verified with.
func (l *LocalAuth) PublicKey() ed25519.PublicKey { return l.key.Public().(ed25519.PublicKey) }

// TokenRequest is what `mash token` asks for.
type TokenRequest struct {
	Authority domain.AuthorityID
	User      string
	Roles     []string
	Agency    string
	TTL       time.Duration
}

// Validate names every bad field of a token request.
func (t TokenRequest) Validate() error {
	var p domain.Problems
	if t.Authority == "" {
		p.Add("authority", "is required")
	}
	if strings.TrimSpace(t.User) == "" {
		p.Add("user", "is required")
	}
	if len(t.Roles) == 0 {
		p.Add("roles", "at least one role is required (%s)", strings.Join(Roles, ", "))
	}
	for _, r := range t.Roles {
		if !slices.Contains(Roles, r) {
			p.Add("roles", "%q is not a role (%s)", r, strings.Join(Roles, ", "))
		}
	}
	if slices.Contains(t.Roles, RolePartner) {
		if t.Agency == "" {
			p.Add("agency", "is required for a partner (%s)", agencyList())
		}
	}
	if t.Agency != "" && !slices.Contains(domain.Agencies, domain.Agency(t.Agency)) {
		p.Add("agency", "is not an agency (%s)", agencyList())
	}
	if t.TTL <= 0 || t.TTL > MaxLocalTTL {
		p.Add("ttl", "must be more than 0 and at most %s", MaxLocalTTL)
	}
	return p.Err()
}

func agencyList() string {
	var s []string
	for _, a := range domain.Agencies {
		s = append(s, string(a))
	}
	return strings.Join(s, ", ")
}

// Mint signs a token for the request.
func (l *LocalAuth) Mint(t TokenRequest) (string, error) {
	if err := t.Validate(); err != nil {
		return "", err
	}
	now := l.now().UTC()
	c := LocalClaims{Authority: t.Authority, Roles: t.Roles, Agency: t.Agency, RegisteredClaims: jwt.RegisteredClaims{
		Issuer: LocalIssuer, Subject: t.User, Audience: jwt.ClaimStrings{LocalAudience},
		IssuedAt: jwt.NewNumericDate(now), NotBefore: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(now.Add(t.TTL)),
	}}
	return jwt.NewWithClaims(jwt.SigningMethodEdDSA, c).SignedString(l.key)
}

// Authenticate verifies the request's bearer token: signed by this key with EdDSA (no other algorithm, so
// "alg":"none" and HMAC-with-the-public-key are refused), this issuer and audience, not expired.
func (l *LocalAuth) Authenticate(r *http.Request) (Identity, error) {
	raw, ok := bearer(r)
	if !ok {
		return Identity{}, errors.New("no bearer token")
	}
	var c LocalClaims
	_, err := jwt.ParseWithClaims(raw, &c, func(*jwt.Token) (any, error) { return l.key.Public(), nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodEdDSA.Alg()}), jwt.WithIssuer(LocalIssuer),
		jwt.WithAudience(LocalAudience), jwt.WithExpirationRequired(), jwt.WithIssuedAt(),
		jwt.WithTimeFunc(l.now), jwt.WithLeeway(30*time.Second))
	if err != nil {
		return Identity{}, err
	}
	return Identity{Subject: c.Subject, Roles: c.Roles, Agency: c.Agency, Authority: c.Authority}, nil
}

// bearer returns the token of an "Authorization: Bearer" header.
func bearer(r *http.Request) (string, bool) {
	scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(tok) == "" {
		return "", false
	}
	return strings.TrimSpace(tok), true
}
