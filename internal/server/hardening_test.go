package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/opstap/opstap/internal/auth"
	"github.com/opstap/opstap/internal/demo"
	"github.com/opstap/opstap/internal/httpx"
	"github.com/opstap/opstap/internal/server"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// TestLoginNextStaysOnSite: the target after signing in is only ever a
// path on this site; /login?next=/%09/evil.example used to send the
// browser to evil.example (browsers drop the tab and read //evil.example).
func TestLoginNextStaysOnSite(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		hostile := []string{"/\t/evil.example", "//evil.example", "/\\evil.example", "https://evil.example", "/%2f/evil.example"}
		// The form does not carry the hostile target on.
		b := e.browser()
		if resp, body := b.do("GET", "/login?next=/%09/evil.example", nil, nil); resp.StatusCode != 200 || strings.Contains(body, "evil.example") {
			t.Fatalf("login form: %d, next carried on: %v", resp.StatusCode, strings.Contains(body, "evil.example"))
		}
		for _, next := range hostile {
			b := e.browser()
			resp, _ := b.do("POST", "/login", url.Values{"email": {"coach@demo.opstap.nl"}, "password": {demo.Password}, "next": {next}}, nil)
			if loc := resp.Header.Get("Location"); loc != "/login/totp?next=%2F" {
				t.Fatalf("next %q after password: %q", next, loc)
			}
			if loc := passTOTPNext(t, b, "coach@demo.opstap.nl", next); loc != "/" {
				t.Fatalf("next %q after second factor: %q", next, loc)
			}
			resp, _ = b.do("POST", "/language", url.Values{"lang": {"en"}, "next": {next}}, nil)
			if loc := resp.Header.Get("Location"); loc != "/" {
				t.Fatalf("next %q after language: %q", next, loc)
			}
		}
		// A path on the site survives both steps, escaped in between.
		b = e.browser()
		resp, _ := b.do("POST", "/login", url.Values{"email": {"coach@demo.opstap.nl"}, "password": {demo.Password}, "next": {"/candidates?q=a&b=c"}}, nil)
		if loc := resp.Header.Get("Location"); loc != "/login/totp?next=%2Fcandidates%3Fq%3Da%26b%3Dc" {
			t.Fatalf("after password: %q", loc)
		}
		if loc := passTOTPNext(t, b, "coach@demo.opstap.nl", "/candidates?q=a&b=c"); loc != "/candidates?q=a&b=c" {
			t.Fatalf("after second factor: %q", loc)
		}
	})
}

// passTOTPNext posts a valid second-factor code with next and returns where
// the server sends the browser.
func passTOTPNext(t *testing.T, b *browser, email, next string) string {
	t.Helper()
	u, err := b.e.db.FindUserByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	secret, err := b.e.db.TOTPSecret(context.Background(), u.ID)
	if err != nil {
		t.Fatal(err)
	}
	b.e.tick(31 * time.Second)
	resp, body := b.do("POST", "/login/totp", url.Values{"code": {auth.TOTPCode(secret, b.e.now())}, "next": {next}}, nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("totp: %d %s", resp.StatusCode, body)
	}
	return resp.Header.Get("Location")
}

const testMetricsToken = "metrics-test-token-0123456789"

// trustLoopback makes the test client (on loopback) a trusted proxy.
func trustLoopback(s *server.Server) {
	ps, err := httpx.ParseProxies("127.0.0.1, ::1")
	if err != nil {
		panic(err)
	}
	s.Proxies = ps
}

// TestForwardedHeadersOnlyFromTrustedProxies: without a trusted-proxy
// setting a client cannot choose the address its sign-in throttle counts
// against (it could, with a made-up X-Forwarded-For, as the loopback peer
// was trusted), nor claim HTTPS; behind a trusted TLS proxy the answer
// carries HSTS.
func TestForwardedHeadersOnlyFromTrustedProxies(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		b := e.browser()
		var last *http.Response
		for i := 0; i <= db.LoginThrottle().Address; i++ {
			last, _ = b.do("POST", "/login", url.Values{"email": {fmt.Sprintf("nobody%d@example.org", i)}, "password": {"wrong password!"}},
				map[string]string{"X-Forwarded-For": fmt.Sprintf("198.51.100.%d", i+1)})
		}
		if last.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("attempt %d with a fresh X-Forwarded-For: %d, want 429", db.LoginThrottle().Address+1, last.StatusCode)
		}
		resp, _ := b.do("GET", "/login", nil, map[string]string{"X-Forwarded-Proto": "https"})
		if h := resp.Header.Get("Strict-Transport-Security"); h != "" {
			t.Fatalf("HSTS on a forged X-Forwarded-Proto: %q", h)
		}

		behind := newEnv(t, db, trustLoopback).browser()
		resp, _ = behind.do("GET", "/login", nil, map[string]string{"X-Forwarded-Proto": "https"})
		if h := resp.Header.Get("Strict-Transport-Security"); !strings.HasPrefix(h, "max-age=") {
			t.Fatalf("no HSTS behind a trusted TLS proxy: %q", h)
		}
		if resp, _ := behind.do("GET", "/login", nil, nil); resp.Header.Get("Strict-Transport-Security") != "" {
			t.Fatal("HSTS on plain HTTP")
		}
		// Behind the proxy, the client's own address counts: another
		// client is not throttled by the first one's failures.
		if resp, _ := behind.do("POST", "/login", url.Values{"email": {"nobody@example.org"}, "password": {"wrong password!"}},
			map[string]string{"X-Forwarded-For": "203.0.113.7"}); resp.StatusCode == http.StatusTooManyRequests {
			t.Fatal("a fresh client behind the proxy is throttled")
		}
	})
}

// TestNoStore: API answers and pages are never kept by a browser or a
// shared cache; only the static files are.
func TestNoStore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		b := e.browser()
		b.login("coach@demo.opstap.nl")
		for _, p := range []string{"/api/v1/me", "/api/v1/candidates", "/api/v1/openapi.json", "/api/v1/nonexistent", "/candidates", "/", "/login"} {
			resp, _ := b.do("GET", p, nil, nil)
			if got := resp.Header.Get("Cache-Control"); got != "no-store" {
				t.Errorf("%s (%d): Cache-Control %q", p, resp.StatusCode, got)
			}
		}
		if resp, _ := e.browser().do("GET", "/api/v1/me", nil, nil); resp.Header.Get("Cache-Control") != "no-store" {
			t.Error("401 answer without no-store")
		}
		if resp, _ := b.do("GET", "/static/opstap.css", nil, nil); !strings.HasPrefix(resp.Header.Get("Cache-Control"), "public") {
			t.Errorf("static file: %q", resp.Header.Get("Cache-Control"))
		}
	})
}

// TestMetricsNotPublic: /metrics is absent on the main address unless a
// token guards it, or is served on an address of its own.
func TestMetricsNotPublic(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		if resp, _ := newEnv(t, db).browser().do("GET", "/metrics", nil, nil); resp.StatusCode != http.StatusNotFound {
			t.Fatalf("open /metrics: %d", resp.StatusCode)
		}
		b := newEnv(t, db, func(s *server.Server) { s.MetricsToken = testMetricsToken }).browser()
		for _, auth := range []string{"", "Bearer wrong", "Bearer " + testMetricsToken + "x", testMetricsToken} {
			if resp, _ := b.do("GET", "/metrics", nil, map[string]string{"Authorization": auth}); resp.StatusCode != http.StatusUnauthorized {
				t.Fatalf("/metrics with %q: %d", auth, resp.StatusCode)
			}
		}
		if resp, body := b.do("GET", "/metrics", nil, map[string]string{"Authorization": "Bearer " + testMetricsToken}); resp.StatusCode != 200 || !strings.Contains(body, "opstap_http_requests_total") {
			t.Fatalf("/metrics with the token: %d", resp.StatusCode)
		}
		var apart *server.Server
		b = newEnv(t, db, func(s *server.Server) { s.MetricsApart, apart = true, s }).browser()
		if resp, _ := b.do("GET", "/metrics", nil, nil); resp.StatusCode != http.StatusNotFound {
			t.Fatalf("/metrics on the main address when apart: %d", resp.StatusCode)
		}
		ms := httptest.NewServer(apart.MetricsHandler())
		defer ms.Close()
		resp, err := http.Get(ms.URL + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("metrics address: %d", resp.StatusCode)
		}
	})
}

// TestReasonNeverInURL: the break-the-glass reason is read from a form body
// or the X-Opstap-Reason header only; one in a query string opens nothing
// (it would sit in proxy logs, browser history and Referer headers).
func TestReasonNeverInURL(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		cs, err := db.FindCandidates(context.Background(), demoSystem(), store.CandidateFilter{Query: "Sandra de Groot"})
		if err != nil || len(cs) != 1 {
			t.Fatalf("demo candidate: %v", err)
		}
		id := cs[0].ID // not the demo coach's
		coach := e.browser()
		coach.login("coach@demo.opstap.nl")
		q := "?reason=" + url.QueryEscape("Vervanging van collega tijdens verlof")
		for _, p := range []string{"/candidates/" + id + "/dossier" + q, "/candidates/" + id + "/trajectory" + q, "/candidates/" + id + "/flex" + q, "/api/v1/candidates/" + id + q,
			"/api/v1/candidates/" + id + "/dossier/entries" + q, "/api/v1/candidates/" + id + "/trajectories" + q} {
			if resp, _ := coach.do("GET", p, nil, nil); resp.StatusCode != http.StatusForbidden {
				t.Fatalf("%s: %d, want 403", p, resp.StatusCode)
			}
		}
		// The dossier's reason form posts the reason and returns to the dossier.
		resp, body := coach.do("GET", "/candidates/"+id+"/dossier", nil, nil)
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, `method="post" action="/candidates/`+id+`/open"`) {
			t.Fatalf("dossier reason form: %d\n%s", resp.StatusCode, body)
		}
		resp, _ = coach.do("POST", "/candidates/"+id+"/open", url.Values{"reason": {"Vervanging van collega tijdens verlof"}, "next": {"/candidates/" + id + "/dossier"}}, nil)
		if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/candidates/"+id+"/dossier" {
			t.Fatalf("open from the dossier: %d %q", resp.StatusCode, loc)
		}
		resp, body = coach.do("GET", "/candidates/"+id+"/dossier", nil, nil)
		if resp.StatusCode != 200 || strings.Contains(body, "reason=") {
			t.Fatalf("dossier after opening: %d, reason in a link: %v", resp.StatusCode, strings.Contains(body, "reason="))
		}
		// The API takes the header.
		api := e.browser()
		api.login("coach@demo.opstap.nl")
		e.tick(16 * time.Minute) // past the opening window
		if resp, _ := api.do("GET", "/api/v1/candidates/"+id+"/trajectories", nil, nil); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("after the window: %d", resp.StatusCode)
		}
		if resp, _ := api.do("GET", "/api/v1/candidates/"+id+"/trajectories", nil, map[string]string{"X-Opstap-Reason": "Vervanging van collega tijdens verlof"}); resp.StatusCode != 200 {
			t.Fatalf("with the header: %d", resp.StatusCode)
		}
	})
}

// TestWideSearchNeedsReason: a coach's search of all candidates asks for a
// reason in a form that posts it (never in the URL); the API takes it in
// the X-Opstap-Reason header. Before, the search answered at once.
func TestWideSearchNeedsReason(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		coach := e.browser()
		coach.login("coach@demo.opstap.nl")
		resp, body := coach.do("GET", "/candidates?q="+url.QueryEscape("Sandra de Groot")+"&all=1", nil, nil)
		if resp.StatusCode != http.StatusForbidden || strings.Contains(body, "de Groot</a>") || !strings.Contains(body, `action="/candidates/search"`) {
			t.Fatalf("wide search without reason: %d\n%s", resp.StatusCode, body)
		}
		resp, body = coach.do("POST", "/candidates/search", url.Values{"q": {"Sandra de Groot"}, "all": {"1"}, "reason": {"kort"}}, nil)
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, `aria-invalid="true"`) {
			t.Fatalf("short reason: %d", resp.StatusCode)
		}
		resp, body = coach.do("POST", "/candidates/search", url.Values{"q": {"Sandra de Groot"}, "all": {"1"}, "reason": {"Vervanging van collega tijdens verlof"}}, nil)
		if resp.StatusCode != 200 || !strings.Contains(body, "Sandra de Groot") {
			t.Fatalf("wide search with reason: %d", resp.StatusCode)
		}
		if resp, _ := coach.do("GET", "/api/v1/candidates?all=true&q="+url.QueryEscape("Sandra de Groot"), nil, nil); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("API wide search without reason: %d", resp.StatusCode)
		}
		resp, body = coach.do("GET", "/api/v1/candidates?all=true&q="+url.QueryEscape("Sandra de Groot"), nil, map[string]string{"X-Opstap-Reason": "Vervanging van collega tijdens verlof"})
		if resp.StatusCode != 200 || !strings.Contains(body, "de Groot") {
			t.Fatalf("API wide search with reason: %d %s", resp.StatusCode, body)
		}
	})
}
