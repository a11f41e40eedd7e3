package server_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/demo"
	"github.com/opstap/opstap/internal/server"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
	"github.com/opstap/opstap/internal/web"
)

const (
	oidcClientID     = "opstap"
	oidcClientSecret = "s3cret"
)

// identity is what the fake provider vouches for on the next sign-in.
type identity struct {
	Sub      string
	Email    string
	Verified bool
	AMR      []string
	// nonce, when set, replaces the nonce of the authorisation request: a
	// token minted for another sign-in.
	nonce string
}

// fakeIdP is a minimal OpenID provider: discovery, JWKS, an authorisation
// endpoint that approves at once, and a token endpoint issuing RS256 ID
// tokens.
type fakeIdP struct {
	t      *testing.T
	srv    *httptest.Server
	signer jose.Signer
	jwks   jose.JSONWebKeySet

	mu    sync.Mutex
	next  identity
	codes map[string]identity // code → identity with the request's nonce
}

func newFakeIdP(t *testing.T) *fakeIdP {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: key, KeyID: "k1"}}, (&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		t.Fatal(err)
	}
	p := &fakeIdP{t: t, signer: signer, codes: map[string]identity{},
		jwks: jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"}}}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", p.discovery)
	mux.HandleFunc("GET /jwks", func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, p.jwks) })
	mux.HandleFunc("GET /authorize", p.authorize)
	mux.HandleFunc("POST /token", p.token)
	p.srv = httptest.NewServer(mux)
	t.Cleanup(p.srv.Close)
	return p
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func (p *fakeIdP) discovery(w http.ResponseWriter, _ *http.Request) {
	u := p.srv.URL
	writeJSON(w, map[string]any{
		"issuer": u, "authorization_endpoint": u + "/authorize", "token_endpoint": u + "/token", "jwks_uri": u + "/jwks",
		"response_types_supported": []string{"code"}, "subject_types_supported": []string{"public"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
	})
}

// authorize approves at once and sends the browser back with a code and
// the state, as a provider does after the user signed in there.
func (p *fakeIdP) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("client_id") != oidcClientID || q.Get("response_type") != "code" || !strings.Contains(q.Get("scope"), "openid") {
		http.Error(w, "bad authorisation request", http.StatusBadRequest)
		return
	}
	p.mu.Lock()
	id := p.next
	if id.nonce == "" {
		id.nonce = q.Get("nonce")
	}
	code := rand.Text()
	p.codes[code] = id
	p.mu.Unlock()
	back, err := url.Parse(q.Get("redirect_uri"))
	if err != nil {
		http.Error(w, "bad redirect_uri", http.StatusBadRequest)
		return
	}
	back.RawQuery = url.Values{"code": {code}, "state": {q.Get("state")}}.Encode()
	http.Redirect(w, r, back.String(), http.StatusFound)
}

// token exchanges a code, once, for an ID token.
func (p *fakeIdP) token(w http.ResponseWriter, r *http.Request) {
	id, secret, ok := r.BasicAuth()
	if !ok {
		id, secret = r.PostFormValue("client_id"), r.PostFormValue("client_secret")
	}
	p.mu.Lock()
	who, known := p.codes[r.PostFormValue("code")]
	delete(p.codes, r.PostFormValue("code"))
	p.mu.Unlock()
	if id != oidcClientID || secret != oidcClientSecret || !known || r.PostFormValue("grant_type") != "authorization_code" {
		w.WriteHeader(http.StatusBadRequest)
		writeJSON(w, map[string]string{"error": "invalid_grant"})
		return
	}
	now := time.Now()
	cl := map[string]any{"iss": p.srv.URL, "aud": oidcClientID, "sub": who.Sub, "nonce": who.nonce,
		"iat": now.Unix(), "exp": now.Add(5 * time.Minute).Unix(), "email": who.Email, "email_verified": who.Verified}
	if who.AMR != nil {
		cl["amr"] = who.AMR
	}
	payload, _ := json.Marshal(cl)
	jws, err := p.signer.Sign(payload)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	raw, _ := jws.CompactSerialize()
	writeJSON(w, map[string]any{"access_token": rand.Text(), "token_type": "Bearer", "expires_in": 300, "id_token": raw})
}

// newOIDCEnv is newEnv with single sign-on against a fake provider. The
// server runs on TLS, as in production: the state cookie is Secure.
func newOIDCEnv(t *testing.T, db *store.DB) (*env, *fakeIdP) {
	t.Helper()
	e := &env{t: t, db: db, clock: time.Now()}
	db.Now = e.now
	if _, err := demo.Load(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	p := newFakeIdP(t)
	srv := httptest.NewUnstartedServer(nil)
	t.Cleanup(srv.Close)
	wh, err := web.New(db)
	if err != nil {
		t.Fatal(err)
	}
	// The listener exists before start, so the redirect URL is known.
	wh.OIDC, err = web.NewOIDC(t.Context(), web.OIDCConfig{Issuer: p.srv.URL, ClientID: oidcClientID, ClientSecret: oidcClientSecret,
		RedirectURL: "https://" + srv.Listener.Addr().String() + "/login/oidc/callback"})
	if err != nil {
		t.Fatal(err)
	}
	s, err := server.New(db, wh, nil)
	if err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = s.Handler()
	srv.StartTLS()
	e.srv = srv
	return e, p
}

func (e *env) tlsBrowser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{e: e, c: &http.Client{Jar: jar, Transport: e.srv.Client().Transport,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// signIn takes a fresh browser through /login/oidc, the provider and back,
// and returns the browser and the callback's response. forgeState replaces
// the state on the way back, as a cross-site request would.
func (p *fakeIdP) signIn(e *env, id identity, forgeState bool) (*browser, *http.Response, string) {
	t := p.t
	t.Helper()
	b := e.tlsBrowser()
	resp, _ := b.do("GET", "/login/oidc", nil, nil)
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusFound || !strings.HasPrefix(loc, p.srv.URL+"/authorize?") {
		t.Fatalf("start: %d %s", resp.StatusCode, loc)
	}
	p.mu.Lock()
	p.next = id
	p.mu.Unlock()
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	at, err := noFollow.Get(loc)
	if err != nil {
		t.Fatal(err)
	}
	_ = at.Body.Close()
	back, err := url.Parse(at.Header.Get("Location"))
	if err != nil || at.StatusCode != http.StatusFound || back.Host != strings.TrimPrefix(e.srv.URL, "https://") {
		t.Fatalf("authorize: %d %s", at.StatusCode, at.Header.Get("Location"))
	}
	if forgeState {
		q := back.Query()
		q.Set("state", "forged-state-from-another-site")
		back.RawQuery = q.Encode()
	}
	resp, body := b.do("GET", back.RequestURI(), nil, nil)
	return b, resp, body
}

// passTOTP completes the second factor of a pending session.
func (b *browser) passTOTP(email string) {
	b.e.t.Helper()
	passTOTPNext(b.e.t, b, email, "/")
}

// oidcCounts are the numbers a sign-in changes, and why the last refusal
// was refused.
type oidcCounts struct {
	failed, sessions, bound int
	lastRefusal             string
}

func countOIDC(t *testing.T, db *store.DB) oidcCounts {
	t.Helper()
	ctx := context.Background()
	failed, err := db.FindAuditEntries(ctx, store.AuditFilter{Event: audit.EventLoginFailed, Limit: 10000})
	if err != nil {
		t.Fatal(err)
	}
	for _, en := range failed {
		if strings.Contains(en.Detail, "@") {
			t.Errorf("audit detail holds an e-mail address: %q", en.Detail)
		}
	}
	c := oidcCounts{failed: len(failed)}
	if len(failed) > 0 {
		c.lastRefusal = failed[len(failed)-1].Detail
	}
	if err := db.SQL.QueryRowContext(ctx, `SELECT COUNT(*) FROM sessions`).Scan(&c.sessions); err != nil {
		t.Fatal(err)
	}
	if err := db.SQL.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE oidc_subject IS NOT NULL`).Scan(&c.bound); err != nil {
		t.Fatal(err)
	}
	return c
}

// TestOIDCSignIn: staff sign in through the organisation's identity
// provider; the account must exist at the provider organisation and be
// unblocked [003 bewerkers art 5], the second factor is still asked unless
// the provider attests one, and every refusal is logged [003 bewerkers art 5].
func TestOIDCSignIn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e, p := newOIDCEnv(t, db)
		bind := func(sub, email string) func() {
			return func() {
				if _, resp, body := p.signIn(e, identity{Sub: sub, Email: email, Verified: true}, false); resp.StatusCode != http.StatusSeeOther {
					t.Fatalf("binding %s: %d %s", sub, resp.StatusCode, body)
				}
			}
		}
		block := func(email string) func() {
			return func() {
				u, err := db.FindUserByEmail(context.Background(), email)
				if err == nil {
					err = db.BlockUser(context.Background(), &opstap.Actor{System: true}, u.ID)
				}
				if err != nil {
					t.Fatal(err)
				}
			}
		}
		const (
			failed    = "inloggen via uw organisatie is mislukt"
			noAccount = "er is geen medewerkersaccount voor deze inlog"
		)
		cases := []struct {
			name       string
			setup      func()
			id         identity
			forgeState bool
			wantLoc    string // on success: where the callback sends the browser
			wantMe     string // on success: the account signed in
			wantBound  int    // subjects bound by this case
			wantMsg    string // on refusal: the Dutch message shown
			wantDetail string // on refusal: the reason in the audit log
		}{
			{name: "staff by verified e-mail, second factor pending, subject bound",
				id: identity{Sub: "sub-coach", Email: "Coach@Demo.Opstap.nl", Verified: true}, wantLoc: "/login/totp", wantMe: "coach@demo.opstap.nl", wantBound: 1},
			{name: "same subject after the e-mail changed at the provider",
				setup: bind("sub-doctor", "arts@demo.opstap.nl"),
				id:    identity{Sub: "sub-doctor", Email: "p.visser@elders.example", Verified: true}, wantLoc: "/login/totp", wantMe: "arts@demo.opstap.nl"},
			{name: "provider attests mfa, session usable at once",
				id: identity{Sub: "sub-complaints", Email: "klachten@demo.opstap.nl", Verified: true, AMR: []string{"pwd", "mfa"}}, wantLoc: "/", wantMe: "klachten@demo.opstap.nl", wantBound: 1},
			{name: "unverified e-mail refused",
				id: identity{Sub: "sub-admin", Email: "beheer@demo.opstap.nl"}, wantMsg: failed, wantDetail: "single sign-on: e-mail address not verified"},
			{name: "wrong state refused",
				id: identity{Sub: "sub-admin", Email: "beheer@demo.opstap.nl", Verified: true}, forgeState: true, wantMsg: failed, wantDetail: "single sign-on: state does not match"},
			{name: "wrong nonce refused",
				id: identity{Sub: "sub-admin", Email: "beheer@demo.opstap.nl", Verified: true, nonce: "nonce-of-another-sign-in"}, wantMsg: failed, wantDetail: "single sign-on: nonce does not match"},
			{name: "candidate account (municipality) refused",
				id: identity{Sub: "sub-candidate", Email: "kandidaat@demo.opstap.nl", Verified: true}, wantMsg: noAccount, wantDetail: "no staff account matches this sign-in"},
			{name: "blocked account refused [003 bewerkers art 5]",
				setup: block("privacy@demo.opstap.nl"),
				id:    identity{Sub: "sub-privacy", Email: "privacy@demo.opstap.nl", Verified: true}, wantMsg: "dit account is geblokkeerd", wantDetail: "this account is blocked"},
			{name: "another subject with a bound account's e-mail refused",
				setup: bind("sub-finance", "financien@demo.opstap.nl"),
				id:    identity{Sub: "sub-intruder", Email: "financien@demo.opstap.nl", Verified: true}, wantMsg: noAccount, wantDetail: "no staff account matches this sign-in"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				if c.setup != nil {
					c.setup()
				}
				before := countOIDC(t, db)
				b, resp, body := p.signIn(e, c.id, c.forgeState)
				after := countOIDC(t, db)
				if after.bound-before.bound != c.wantBound {
					t.Errorf("subjects bound: %d, want %d", after.bound-before.bound, c.wantBound)
				}
				if c.wantMsg != "" {
					if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, c.wantMsg) {
						t.Fatalf("refusal: %d, want 401 with %q", resp.StatusCode, c.wantMsg)
					}
					if after.failed != before.failed+1 || after.lastRefusal != c.wantDetail || after.sessions != before.sessions {
						t.Errorf("refusal: login_failed %d→%d (%q, want %q), sessions %d→%d", before.failed, after.failed, after.lastRefusal, c.wantDetail, before.sessions, after.sessions)
					}
					if resp, _ := b.do("GET", "/api/v1/me", nil, nil); resp.StatusCode != http.StatusUnauthorized {
						t.Errorf("me after refusal: %d", resp.StatusCode)
					}
					return
				}
				if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != c.wantLoc {
					t.Fatalf("callback: %d %s, want 303 %s: %s", resp.StatusCode, resp.Header.Get("Location"), c.wantLoc, body)
				}
				if after.failed != before.failed || after.sessions != before.sessions+1 {
					t.Errorf("success: login_failed %d→%d, sessions %d→%d", before.failed, after.failed, before.sessions, after.sessions)
				}
				if c.wantLoc == "/login/totp" {
					if resp, _ := b.do("GET", "/api/v1/me", nil, nil); resp.StatusCode != http.StatusUnauthorized {
						t.Fatalf("me before second factor: %d", resp.StatusCode)
					}
					b.passTOTP(c.wantMe)
				}
				resp, body = b.do("GET", "/api/v1/me", nil, nil)
				var me struct{ Email string }
				decode(t, body, &me)
				if resp.StatusCode != http.StatusOK || me.Email != c.wantMe {
					t.Fatalf("me: %d %s, want %s", resp.StatusCode, body, c.wantMe)
				}
			})
		}
	})
}
