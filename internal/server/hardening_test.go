package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/opstap/opstap/internal/auth"
	"github.com/opstap/opstap/internal/demo"
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
