package browsertest

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/opstap/opstap/internal/demo"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

func TestMain(m *testing.M) {
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	// Every test starts from the demo: load it once, into the template
	// each test's database is copied from.
	storetest.Seed = func(ctx context.Context, db *store.DB) error {
		_, err := demo.Load(ctx, db)
		return err
	}
	os.Exit(storetest.Main(m))
}

// newTest starts the browser first, so that a missing browser or axe-core
// skips (or fails, in CI) before any work, then a server on SQLite: these
// tests are about the pages; the store tests cover both engines.
func newTest(t *testing.T) (*Env, context.Context) {
	t.Helper()
	ctx := Browser(t)
	return NewEnv(t, storetest.Open(t, store.SQLite)), ctx
}

func countRows(t *testing.T, db *store.DB, table string) int {
	t.Helper()
	var n int
	if err := db.SQL.QueryRow("SELECT COUNT(*) FROM " + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func wantLang(t *testing.T, ctx context.Context, lang string) {
	t.Helper()
	if got, _ := Attr(t, ctx, "html", "lang"); got != lang {
		t.Fatalf("page language %q, want %q", got, lang)
	}
}

func TestLoginJourney(t *testing.T) {
	e, ctx := newTest(t)

	// The login page, in Dutch by default.
	if s := e.Open(t, ctx, "/login"); s != 200 {
		t.Fatalf("login page: status %d", s)
	}
	wantLang(t, ctx, "nl")
	if h := Text(t, ctx, "h1"); h != "Inloggen" {
		t.Fatalf("login page h1 %q", h)
	}
	Axe(t, ctx)

	// Password first; a coach reads dossiers, so a second factor follows.
	if !e.SubmitPassword(t, ctx, "coach@demo.opstap.nl", demo.Password) {
		t.Fatalf("no second factor asked for; at %s", Path(t, ctx))
	}
	if h := Text(t, ctx, "h1"); h != "Tweede factor" {
		t.Fatalf("second-factor page h1 %q", h)
	}
	Axe(t, ctx)
	e.SubmitCode(t, ctx, "coach@demo.opstap.nl")

	// The home page.
	if p := Path(t, ctx); p != "/" {
		t.Fatalf("after signing in: at %s", p)
	}
	if h := Text(t, ctx, "main h1"); h != "Start" {
		t.Fatalf("home page h1 %q", h)
	}
	if body := Text(t, ctx, "main"); !strings.Contains(body, "Sanne de Boer") {
		t.Fatalf("home page does not name the user:\n%s", body)
	}
	Axe(t, ctx)
	Screenshot(t, ctx, "home")

	// English by choice, with the language button in the header.
	if s := Submit(t, ctx, `form[action="/language"] button[type="submit"]`); s != 200 {
		t.Fatalf("language switch: status %d", s)
	}
	wantLang(t, ctx, "en")
	if p := Path(t, ctx); p != "/" {
		t.Fatalf("after language switch: at %s", p)
	}
	if got := Text(t, ctx, `form[action="/logout"] button`); got != "Sign out" {
		t.Fatalf("sign-out button says %q, want %q", got, "Sign out")
	}
	if h := Text(t, ctx, "main h1"); h != "Home" {
		t.Fatalf("English home page h1 %q", h)
	}
	Axe(t, ctx)
	Screenshot(t, ctx, "home-en")
}

func TestAdminPages(t *testing.T) {
	e, ctx := newTest(t)
	e.SignIn(t, ctx, "beheer@demo.opstap.nl")
	if s := e.Open(t, ctx, "/admin/users"); s != 200 {
		t.Fatalf("/admin/users: status %d", s)
	}
	Axe(t, ctx)

	// A too-short password: the error stands beside the field, the field
	// says it is invalid, and nothing is created.
	before := countRows(t, e.DB, "users")
	Type(t, ctx, "#user-name", "Noor Vermeulen")
	Type(t, ctx, "#user-email", "noor@demo.opstap.nl")
	Type(t, ctx, "#user-password", "te kort")
	Select(t, ctx, "#role-new", "coach")
	const create = `form[action="/admin/users"] button[type="submit"]`
	if s := Submit(t, ctx, create); s != 422 {
		t.Fatalf("short password: status %d, want 422", s)
	}
	if v, _ := Attr(t, ctx, "#user-password", "aria-invalid"); v != "true" {
		t.Fatalf("password field aria-invalid %q, want true", v)
	}
	if v, _ := Attr(t, ctx, "#user-password", "aria-describedby"); v != "user-password-error" {
		t.Fatalf("password field aria-describedby %q", v)
	}
	if msg := Text(t, ctx, "#user-password-error"); !strings.Contains(msg, "12") {
		t.Fatalf("password error %q does not give the minimum length", msg)
	}
	beside := Run(t, ctx, chromedp.Evaluate[bool](
		`document.querySelector('#user-password').closest('.field').contains(document.querySelector('#user-password-error'))`))
	if !beside {
		t.Fatal("password error is not beside the password field")
	}
	if Count(t, ctx, `.error-summary[role="alert"]`) != 1 {
		t.Fatal("no error summary at the top of the page")
	}
	if v := Run(t, ctx, chromedp.Value(chromedp.CSS("#user-email"))); v != "noor@demo.opstap.nl" {
		t.Fatalf("e-mail address not kept after the error: %q", v)
	}
	Axe(t, ctx)
	Screenshot(t, ctx, "users-error")
	if after := countRows(t, e.DB, "users"); after != before {
		t.Fatalf("a refused account changed the users table: %d → %d", before, after)
	}

	// Now correctly.
	Type(t, ctx, "#user-name", "Noor Vermeulen")
	Type(t, ctx, "#user-email", "noor@demo.opstap.nl")
	Type(t, ctx, "#user-password", "een lang genoeg wachtwoord")
	Select(t, ctx, "#role-new", "coach")
	if s := Submit(t, ctx, create); s != 200 {
		t.Fatalf("create account: status %d", s)
	}
	if p := Path(t, ctx); p != "/admin/users" {
		t.Fatalf("after creating an account: at %s", p)
	}
	if f := Text(t, ctx, `.flash[role="status"]`); f != "Account aangemaakt." {
		t.Fatalf("flash %q", f)
	}
	if table := Text(t, ctx, "main table"); !strings.Contains(table, "Noor Vermeulen") || !strings.Contains(table, "noor@demo.opstap.nl") {
		t.Fatal("new account not listed")
	}
	if after := countRows(t, e.DB, "users"); after != before+1 {
		t.Fatalf("users: %d → %d, want one more", before, after)
	}
	Axe(t, ctx)

	// The privacy officer verifies the audit chain, in a session of her own.
	p := Session(t, ctx)
	e.SignIn(t, p, "privacy@demo.opstap.nl")
	if s := e.Open(t, p, "/audit"); s != 200 {
		t.Fatalf("/audit: status %d", s)
	}
	if Count(t, p, "main table tbody tr") == 0 {
		t.Fatal("audit log lists no entries")
	}
	Axe(t, p)
	if b := Text(t, p, `form[action="/audit/verify"] button`); b != "Keten controleren" {
		t.Fatalf("verify button says %q", b)
	}
	if s := Submit(t, p, `form[action="/audit/verify"] button[type="submit"]`); s != 200 {
		t.Fatalf("verify: status %d", s)
	}
	if msg := Text(t, p, `#verify-result[role="status"]`); !strings.Contains(msg, "intact") {
		t.Fatalf("verify result %q", msg)
	}
	Axe(t, p)
	Screenshot(t, p, "audit")
}

func TestAccountTokens(t *testing.T) {
	e, ctx := newTest(t)
	e.SignIn(t, ctx, "privacy@demo.opstap.nl")
	if s := e.Open(t, ctx, "/account"); s != 200 {
		t.Fatalf("/account: status %d", s)
	}
	Type(t, ctx, "#token-name", "rapportage")
	if s := Submit(t, ctx, `form[action="/account/tokens"] button[type="submit"]`); s != 201 {
		t.Fatalf("create token: status %d", s)
	}
	tok := Text(t, ctx, "#new-token")
	if !strings.HasPrefix(tok, "opstap_") {
		t.Fatalf("new token %q", tok)
	}
	if table := Text(t, ctx, "main table"); !strings.Contains(table, "rapportage") {
		t.Fatal("new token not listed")
	}
	Axe(t, ctx)
	Screenshot(t, ctx, "account")

	// Shown once: the page again lists the token but not its secret.
	if s := e.Open(t, ctx, "/account"); s != 200 {
		t.Fatalf("/account again: status %d", s)
	}
	if Count(t, ctx, "#new-token") != 0 {
		t.Fatal("token shown a second time")
	}
	if body := Text(t, ctx, "main"); strings.Contains(body, tok) {
		t.Fatal("token secret on the page a second time")
	}
}

// TestAxeFindsViolations guards the guard: on a page with known faults,
// axe runs and reports them, so a green run above means something.
func TestAxeFindsViolations(t *testing.T) {
	ctx := Browser(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, `<!doctype html><html><head><title>Bad</title></head><body><main>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<p style="color:#bbb;background:#fff">Low contrast</p>
<input id="x"></main></body></html>`)
	}))
	t.Cleanup(srv.Close)
	Do(t, ctx, chromedp.Navigate(srv.URL))
	var ids []string
	for _, v := range AxeViolations(t, ctx) {
		ids = append(ids, v.ID)
	}
	for _, want := range []string{"html-has-lang", "image-alt", "color-contrast", "label"} {
		if !slices.Contains(ids, want) {
			t.Errorf("axe missed %s; found %v", want, ids)
		}
	}
}
