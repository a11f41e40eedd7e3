package server_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/opstap/opstap/internal/demo"
	"github.com/opstap/opstap/internal/server"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
	"github.com/opstap/opstap/internal/web"
)

// env is a running server with demo data on one engine.
type env struct {
	t   *testing.T
	db  *store.DB
	srv *httptest.Server
	h   http.Handler

	mu    sync.Mutex
	clock time.Time
}

// tick moves the server's clock on by d. TOTP codes are single-use per
// 30-second step, so each sign-in of the same account moves past a step.
func (e *env) tick(d time.Duration) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.clock = e.clock.Add(d)
}

func (e *env) now() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.clock
}

// newEnv starts the server; opts adjust it before it serves (trusted
// proxies, metrics).
func newEnv(t *testing.T, db *store.DB, opts ...func(*server.Server)) *env {
	t.Helper()
	e := &env{t: t, db: db, clock: time.Now()}
	db.Now = e.now
	if _, err := demo.Load(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	wh, err := web.New(db)
	if err != nil {
		t.Fatal(err)
	}
	wh.SecureCookies = false
	wh.Demo = true
	s, err := server.New(db, wh, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range opts {
		o(s)
	}
	e.h = contractCheck(t, s.Handler())
	srv := httptest.NewServer(e.h)
	t.Cleanup(srv.Close)
	e.srv = srv
	return e
}

// browser is a client with a cookie jar that sends the headers a browser
// sends on same-origin form posts.
type browser struct {
	e *env
	c *http.Client
}

func (e *env) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{e: e, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *browser) do(method, path string, form url.Values, hdr map[string]string) (*http.Response, string) {
	b.e.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, b.e.srv.URL+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if method == http.MethodPost {
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		req.Header.Set("Origin", b.e.srv.URL)
	}
	for k, v := range hdr {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.e.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp, string(data)
}

// login signs in with password and second factor.
func (b *browser) login(email string) {
	b.e.t.Helper()
	resp, _ := b.do("POST", "/login", url.Values{"email": {email}, "password": {demo.Password}}, nil)
	if resp.StatusCode != http.StatusSeeOther {
		b.e.t.Fatalf("login %s: status %d", email, resp.StatusCode)
	}
	if strings.HasPrefix(resp.Header.Get("Location"), "/login/totp") {
		b.passTOTP(email)
	}
}

func decode(t *testing.T, body string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(body), v); err != nil {
		t.Fatalf("decode %q: %v", body, err)
	}
}

type apiError struct {
	Error struct{ Code, Message, Field string } `json:"error"`
}

func TestHealth(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		b := e.browser()
		for _, p := range []string{"/healthz", "/readyz", "/api/v1/openapi.json"} {
			if resp, _ := b.do("GET", p, nil, nil); resp.StatusCode != 200 {
				t.Errorf("%s: %d", p, resp.StatusCode)
			}
		}
	})
}

func TestLoginJourney(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		b := e.browser()
		// Not signed in: the home page sends to the login page, the API says 401.
		if resp, _ := b.do("GET", "/", nil, nil); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
			t.Fatalf("home without session: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		resp, body := b.do("GET", "/api/v1/me", nil, nil)
		var ae apiError
		decode(t, body, &ae)
		if resp.StatusCode != 401 || ae.Error.Code != "unauthorized" {
			t.Fatalf("me without session: %d %s", resp.StatusCode, body)
		}
		// Password alone leaves the second factor pending.
		resp, _ = b.do("POST", "/login", url.Values{"email": {"coach@demo.opstap.nl"}, "password": {demo.Password}}, nil)
		if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, "/login/totp") {
			t.Fatalf("after password: %s", loc)
		}
		if resp, _ := b.do("GET", "/api/v1/me", nil, nil); resp.StatusCode != 401 {
			t.Fatalf("me before second factor: %d", resp.StatusCode)
		}
		resp, body = b.do("POST", "/login/totp", url.Values{"code": {"000000"}}, nil)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "de code is niet juist") {
			t.Fatalf("wrong code: %d", resp.StatusCode)
		}
		b.login("coach@demo.opstap.nl")
		resp, body = b.do("GET", "/", nil, nil)
		if resp.StatusCode != 200 || !strings.Contains(body, "Sanne de Boer") || !strings.Contains(body, `lang="nl"`) {
			t.Fatalf("home: %d", resp.StatusCode)
		}
		resp, body = b.do("GET", "/api/v1/me", nil, nil)
		var me struct {
			Email        string
			Roles        []string
			Organisation struct{ Name, Kind string }
		}
		decode(t, body, &me)
		if resp.StatusCode != 200 || me.Email != "coach@demo.opstap.nl" || len(me.Roles) != 1 || me.Roles[0] != "coach" || me.Organisation.Kind != "provider" {
			t.Fatalf("me: %d %s", resp.StatusCode, body)
		}
		// English by choice.
		b.do("POST", "/language", url.Values{"lang": {"en"}, "next": {"/"}}, nil)
		if _, body := b.do("GET", "/", nil, nil); !strings.Contains(body, `lang="en"`) || !strings.Contains(body, "Sign out") {
			t.Fatal("language switch to English did not take")
		}
		// Sign out ends the session.
		b.do("POST", "/logout", url.Values{}, nil)
		if resp, _ := b.do("GET", "/api/v1/me", nil, nil); resp.StatusCode != 401 {
			t.Fatalf("me after logout: %d", resp.StatusCode)
		}
	})
}

func TestBadInput(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		admin := e.browser()
		admin.login("beheer@demo.opstap.nl")
		tests := []struct {
			name   string
			method string
			path   string
			body   string
			hdr    map[string]string
			status int
			code   string
			field  string
		}{
			{"missing origin headers with cookie", "POST", "/api/v1/tokens", `{"name":"x"}`, map[string]string{"Sec-Fetch-Site": "", "Origin": ""}, 403, "forbidden", ""},
			{"cross-site post", "POST", "/api/v1/tokens", `{"name":"x"}`, map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}, 403, "forbidden", ""},
			{"unknown field", "POST", "/api/v1/tokens", `{"name":"x","colour":"red"}`, nil, 400, "bad_request", "colour"},
			{"not json", "POST", "/api/v1/tokens", `{`, nil, 400, "bad_request", ""},
			{"empty token name", "POST", "/api/v1/tokens", `{"name":" "}`, nil, 422, "invalid", "name"},
			{"bad email", "POST", "/api/v1/users", `{"org_id":"x","email":"nope","name":"A","grants":[]}`, nil, 422, "invalid", "email"},
			{"auditor without expiry", "POST", "/api/v1/users", `{"org_id":"x","email":"a@b.nl","name":"A","grants":[{"role":"auditor","access":"read"}]}`, nil, 422, "invalid", "expires_at"},
			{"duplicate email", "POST", "/api/v1/users", `{"org_id":"ORG","email":"coach@demo.opstap.nl","name":"A","grants":[]}`, nil, 409, "conflict", "email"},
			{"unknown user", "POST", "/api/v1/users/00000000-0000-0000-0000-000000000000/block", ``, nil, 404, "not_found", ""},
			{"unknown route", "GET", "/api/v1/nothing", ``, nil, 404, "not_found", ""},
		}
		me, _ := db.FindUserByEmail(context.Background(), "beheer@demo.opstap.nl")
		before := countRows(t, db, "users")
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				hdr := map[string]string{"Content-Type": "application/json", "Accept-Language": "en"}
				for k, v := range tt.hdr {
					hdr[k] = v
				}
				resp, body := admin.do(tt.method, tt.path, nil, hdr)
				if tt.body != "" {
					resp, body = admin.doBody(tt.method, tt.path, strings.ReplaceAll(tt.body, "ORG", me.Organisation.ID), hdr)
				}
				var ae apiError
				decode(t, body, &ae)
				if resp.StatusCode != tt.status || ae.Error.Code != tt.code || ae.Error.Field != tt.field || ae.Error.Message == "" {
					t.Fatalf("got %d %+v, want %d %s %s", resp.StatusCode, ae.Error, tt.status, tt.code, tt.field)
				}
			})
		}
		if after := countRows(t, db, "users"); after != before {
			t.Fatalf("bad input changed the users table: %d → %d", before, after)
		}
	})
}

func (b *browser) doBody(method, path, body string, hdr map[string]string) (*http.Response, string) {
	b.e.t.Helper()
	req, _ := http.NewRequest(method, b.e.srv.URL+path, strings.NewReader(body))
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	for k, v := range hdr {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.e.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp, string(data)
}

func countRows(t *testing.T, db *store.DB, table string) int {
	t.Helper()
	var n int
	if err := db.SQL.QueryRow("SELECT COUNT(*) FROM " + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestTokens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		b := e.browser()
		b.login("privacy@demo.opstap.nl")
		resp, body := b.doBody("POST", "/api/v1/tokens", `{"name":"script"}`, map[string]string{"Content-Type": "application/json"})
		if resp.StatusCode != 201 {
			t.Fatalf("create token: %d %s", resp.StatusCode, body)
		}
		var created struct {
			Token string
			Info  struct{ ID string }
		}
		decode(t, body, &created)
		api := func(tok string) int {
			req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/me", nil)
			req.Header.Set("Authorization", "Bearer "+tok)
			r, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			r.Body.Close()
			return r.StatusCode
		}
		if s := api(created.Token); s != 200 {
			t.Fatalf("token use: %d", s)
		}
		if s := api("opstap_forged"); s != 401 {
			t.Fatalf("forged token: %d", s)
		}
		// An expired token is refused.
		db.SQL.Exec(`UPDATE api_tokens SET expires_at = created_at`)
		if s := api(created.Token); s != 401 {
			t.Fatalf("expired token: %d", s)
		}
		db.SQL.Exec(`UPDATE api_tokens SET expires_at = NULL`)
		if s := api(created.Token); s != 200 {
			t.Fatalf("token again: %d", s)
		}
		// Blocking the account stops its token and its sessions at once.
		admin := e.browser()
		admin.login("beheer@demo.opstap.nl")
		u, _ := db.FindUserByEmail(context.Background(), "privacy@demo.opstap.nl")
		if resp, body := admin.do("POST", "/api/v1/users/"+u.ID+"/block", nil, nil); resp.StatusCode != 204 {
			t.Fatalf("block: %d %s", resp.StatusCode, body)
		}
		if s := api(created.Token); s != 401 {
			t.Fatalf("token of blocked account: %d", s)
		}
		if resp, _ := b.do("GET", "/api/v1/me", nil, nil); resp.StatusCode != 401 {
			t.Fatalf("session of blocked account: %d", resp.StatusCode)
		}
	})
}

func TestThrottle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		b := e.browser()
		for i := 0; i < db.LoginThrottle().Account; i++ {
			resp, _ := b.do("POST", "/login", url.Values{"email": {"coach@demo.opstap.nl"}, "password": {"wrong password!"}}, nil)
			if resp.StatusCode != 401 {
				t.Fatalf("attempt %d: %d", i, resp.StatusCode)
			}
		}
		// Now even the right password is refused for a while.
		resp, body := b.do("POST", "/login", url.Values{"email": {"coach@demo.opstap.nl"}, "password": {demo.Password}}, nil)
		if resp.StatusCode != 429 || !regexp.MustCompile(`te veel mislukte pogingen`).MatchString(body) {
			t.Fatalf("after failures: %d", resp.StatusCode)
		}
		// Another account from the same address is still fine.
		b2 := e.browser()
		b2.login("arts@demo.opstap.nl")
	})
}

func TestRoleAccess(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		tests := []struct {
			email string
			path  string
			want  int
		}{
			{"beheer@demo.opstap.nl", "/admin/users", 200},
			{"coach@demo.opstap.nl", "/admin/users", 403},
			{"privacy@demo.opstap.nl", "/audit", 200},
			{"auditor@demo.opstap.nl", "/audit", 200},
			{"coach@demo.opstap.nl", "/audit", 403},
			{"werkgever@demo.opstap.nl", "/api/v1/users", 403},
			{"kandidaat@demo.opstap.nl", "/", 200},
		}
		for _, tt := range tests {
			t.Run(tt.email+tt.path, func(t *testing.T) {
				b := e.browser()
				b.login(tt.email)
				if resp, _ := b.do("GET", tt.path, nil, nil); resp.StatusCode != tt.want {
					t.Fatalf("status %d, want %d", resp.StatusCode, tt.want)
				}
			})
		}
	})
}

// TestDemoCodeAfterUse: in demo mode the second-factor page offers a code
// that works, also right after the same account used the current one.
func TestDemoCodeAfterUse(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		demoCode := func(b *browser) string {
			_, body := b.do("GET", "/login/totp", nil, nil)
			m := regexp.MustCompile(`<strong>(\d{6})</strong>`).FindStringSubmatch(body)
			if m == nil {
				t.Fatal("no demo code on the page")
			}
			return m[1]
		}
		for i := 0; i < 2; i++ {
			b := e.browser()
			b.do("POST", "/login", url.Values{"email": {"coach@demo.opstap.nl"}, "password": {demo.Password}}, nil)
			if resp, _ := b.do("POST", "/login/totp", url.Values{"code": {demoCode(b)}, "next": {"/"}}, nil); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("sign-in %d with the demo code: %d", i+1, resp.StatusCode)
			}
		}
	})
}
