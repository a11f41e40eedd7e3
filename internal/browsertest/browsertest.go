// Package browsertest drives Opstap's pages in headless Chromium and checks
// them with axe-core, as a person with a real browser (and a screen reader)
// would meet them.
//
// It needs Chromium (OPSTAP_CHROMIUM, else /usr/bin/chromium) and axe-core's
// axe.min.js (OPSTAP_AXE_JS, else node_modules/axe-core/axe.min.js at the
// repository root after `npm install`). Without them a test skips, except in
// CI (CI=true), where it fails: CI never skips silently.
package browsertest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/opstap/opstap/internal/auth"
	"github.com/opstap/opstap/internal/demo"
	"github.com/opstap/opstap/internal/server"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/web"
)

// Timeout bounds every browser step: a page that never comes fails the test
// instead of hanging it.
const Timeout = 20 * time.Second

// Env is a running Opstap server with demo data and a clock the test moves.
type Env struct {
	DB  *store.DB
	URL string

	mu    sync.Mutex
	clock time.Time
}

// NewEnv loads the demo data into db and serves Opstap on a local port until
// the test ends. The server's clock is the Env's: see Tick.
func NewEnv(t testing.TB, db *store.DB) *Env {
	t.Helper()
	e := &Env{DB: db, clock: time.Now()}
	db.Now = e.Now
	if _, err := demo.Load(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	wh, err := web.New(db)
	if err != nil {
		t.Fatal(err)
	}
	wh.SecureCookies = false
	s, err := server.New(db, wh, nil)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	e.URL = srv.URL
	return e
}

// Now is the server's clock.
func (e *Env) Now() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.clock
}

// Tick moves the server's clock on by d. TOTP codes are single-use per
// 30-second step, so each code typed comes after a tick.
func (e *Env) Tick(d time.Duration) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.clock = e.clock.Add(d)
}

// TOTPCode moves the clock past the current TOTP step and returns the
// account's code for the new one, as its authenticator app would show it.
func (e *Env) TOTPCode(t testing.TB, email string) string {
	t.Helper()
	ctx := context.Background()
	u, err := e.DB.FindUserByEmail(ctx, email)
	if err != nil {
		t.Fatalf("find %s: %v", email, err)
	}
	secret, err := e.DB.TOTPSecret(ctx, u.ID)
	if err != nil {
		t.Fatalf("TOTP secret of %s: %v", email, err)
	}
	e.Tick(31 * time.Second)
	return auth.TOTPCode(secret, e.Now())
}

// inCI reports whether the tests run in CI, where a missing browser or
// axe-core is a failure, not a reason to skip.
func inCI() bool {
	v := strings.TrimSpace(os.Getenv("CI"))
	return v != "" && v != "0" && !strings.EqualFold(v, "false")
}

// missing skips the test, or fails it in CI.
func missing(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if inCI() {
		t.Fatalf("browser tests cannot run in CI: %s", msg)
	}
	t.Skipf("skipping browser test: %s", msg)
}

// ChromiumPath returns the Chromium binary the tests use: OPSTAP_CHROMIUM,
// else /usr/bin/chromium.
func ChromiumPath() string {
	if p := os.Getenv("OPSTAP_CHROMIUM"); p != "" {
		return p
	}
	return "/usr/bin/chromium"
}

// AxePath finds axe.min.js: OPSTAP_AXE_JS, else node_modules/axe-core in
// the working directory or a parent, up to the repository root (the
// directory with go.mod).
func AxePath() (string, error) {
	if p := os.Getenv("OPSTAP_AXE_JS"); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("OPSTAP_AXE_JS: %w", err)
		}
		return p, nil
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		p := filepath.Join(dir, "node_modules", "axe-core", "axe.min.js")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return "", fmt.Errorf("%s not found: run `npm install` at the repository root, or set OPSTAP_AXE_JS", p)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("node_modules/axe-core/axe.min.js not found and no go.mod above the working directory: set OPSTAP_AXE_JS")
		}
		dir = parent
	}
}

var axeSource = struct {
	sync.Mutex
	path string
	js   string
}{}

// axeJS returns the text of axe.min.js, skipping (or, in CI, failing) the
// test when it is missing.
func axeJS(t testing.TB) string {
	t.Helper()
	p, err := AxePath()
	if err != nil {
		missing(t, "axe-core: %v", err)
	}
	axeSource.Lock()
	defer axeSource.Unlock()
	if axeSource.path != p {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatalf("read axe-core: %v", err)
		}
		axeSource.path, axeSource.js = p, string(b)
	}
	return axeSource.js
}

// lockedBuffer collects the browser's output for a failure message.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.buf.Len() < 64<<10 {
		b.buf.Write(p)
	}
	return len(p), nil
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// testLog passes chromedp's messages to the test's log until the test
// ends; the browser's goroutines may outlive it by a moment.
type testLog struct {
	mu   sync.Mutex
	t    testing.TB
	done bool
}

func (l *testLog) Logf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.done {
		l.t.Logf("chromedp: "+format, args...)
	}
}

func (l *testLog) stop() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.done = true
}

// Browser starts headless Chromium with a fresh profile and returns the
// context of its first tab. The browser asks for Dutch pages
// (Accept-Language: nl), Opstap's default. It is stopped when the test
// ends. Without Chromium or axe-core the test skips (fails in CI).
func Browser(t testing.TB) context.Context {
	t.Helper()
	exe, err := exec.LookPath(ChromiumPath())
	if err != nil {
		missing(t, "Chromium not found at %s (set OPSTAP_CHROMIUM, or apt-get install chromium): %v", ChromiumPath(), err)
	}
	axeJS(t) // skip before starting a browser when axe-core is missing
	out := &lockedBuffer{}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-default-browser-check", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("mute-audio", true),
		chromedp.Flag("force-color-profile", "srgb"),
		chromedp.Flag("password-store", "basic"),
		chromedp.Flag("accept-lang", "nl-NL,nl"),
		chromedp.Flag("lang", "nl-NL"),
		chromedp.WindowSize(1280, 900),
		chromedp.CombinedOutput(out),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc) // stops Chromium and waits for it
	logf := &testLog{t: t}
	ctx, cancel := chromedp.NewContext(allocCtx, chromedp.WithLogf(logf.Logf), chromedp.WithErrorf(logf.Logf))
	t.Cleanup(cancel)
	t.Cleanup(logf.stop) // runs first: no logging on a finished test
	// The first Do starts the browser; it runs on a context without a
	// deadline, since the browser lives as long as that context.
	start := make(chan error, 1)
	go func() { start <- chromedp.Do(ctx) }()
	select {
	case err = <-start:
	case <-time.After(Timeout):
		err = errors.New("timed out")
	}
	if err != nil {
		t.Fatalf("start Chromium %s: %v\n%s", exe, err, out.String())
	}
	return ctx
}

// Session opens a tab in a new browser context of the browser of ctx: its
// own cookies, so a second person can sign in beside the first.
func Session(t testing.TB, ctx context.Context) context.Context {
	t.Helper()
	sctx, cancel := chromedp.NewContext(ctx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(sctx); err != nil {
		t.Fatalf("new browser session: %v", err)
	}
	return sctx
}

// Do runs browser steps, failing the test on an error or after Timeout.
func Do(t testing.TB, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	if err := chromedp.Do(tctx, steps...); err != nil {
		t.Fatalf("browser at %s: %v", location(ctx), err)
	}
}

// Run runs one browser step and returns its value, failing the test on an
// error or after Timeout.
func Run[T any](t testing.TB, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	v, err := chromedp.Run(tctx, a)
	if err != nil {
		t.Fatalf("browser at %s: %v", location(ctx), err)
	}
	return v
}

// location is the tab's address, for messages.
func location(ctx context.Context) string {
	tctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	loc, err := chromedp.Run(tctx, chromedp.Location())
	if err != nil {
		return "(unknown page)"
	}
	return loc
}

// Open loads path on the server and returns the HTTP status of the page.
func (e *Env) Open(t testing.TB, ctx context.Context, path string) int64 {
	t.Helper()
	resp := Run(t, ctx, chromedp.NavigateResponse(e.URL+path))
	return resp.Status
}

// Submit clicks the element sel (a submit button), waits for the page that
// comes back (after any redirects) and returns its HTTP status.
func Submit(t testing.TB, ctx context.Context, sel string) int64 {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	resp, err := chromedp.RunResponse(tctx, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
	if err != nil {
		t.Fatalf("submit %s at %s: %v", sel, location(ctx), err)
	}
	return resp.Status
}

// Type empties the field sel and types text into it, key by key.
func Type(t testing.TB, ctx context.Context, sel, text string) {
	t.Helper()
	// Clearing through the value works for inputs and (empty) textareas
	// alike; chromedp.Clear needs a text node a new textarea lacks.
	Do(t, ctx,
		chromedp.WaitVisible(chromedp.CSS(sel)),
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf("document.querySelector(%q).value = ''", sel)),
		chromedp.SendKeys(chromedp.CSS(sel), text, chromedp.NodeVisible))
}

// Select chooses the option with value in the select element sel.
func Select(t testing.TB, ctx context.Context, sel, value string) {
	t.Helper()
	Do(t, ctx, chromedp.SetValue(chromedp.CSS(sel), value, chromedp.NodeVisible))
	if got := Run(t, ctx, chromedp.Value(chromedp.CSS(sel))); got != value {
		t.Fatalf("select %s: value %q, want %q (no such option?)", sel, got, value)
	}
}

// Text returns the visible text of the first element that matches sel.
func Text(t testing.TB, ctx context.Context, sel string) string {
	t.Helper()
	return strings.TrimSpace(Run(t, ctx, chromedp.Text(chromedp.CSS(sel), chromedp.NodeVisible)))
}

// Attr returns the attribute name of the first element that matches sel,
// and whether it has it.
func Attr(t testing.TB, ctx context.Context, sel, name string) (string, bool) {
	t.Helper()
	r := Run(t, ctx, chromedp.AttributeValue(chromedp.CSS(sel), name, chromedp.NodeReady))
	return r.Value, r.Exists
}

// Count returns how many elements match sel now, without waiting.
func Count(t testing.TB, ctx context.Context, sel string) int {
	t.Helper()
	return Run(t, ctx, chromedp.Evaluate[int](fmt.Sprintf("document.querySelectorAll(%q).length", sel)))
}

// Path returns the path of the tab's address.
func Path(t testing.TB, ctx context.Context) string {
	t.Helper()
	return Run(t, ctx, chromedp.Evaluate[string]("location.pathname"))
}

// SubmitPassword fills in the login form at /login and submits it. It
// reports whether the server asks for a second factor next.
func (e *Env) SubmitPassword(t testing.TB, ctx context.Context, email, password string) bool {
	t.Helper()
	if !strings.HasPrefix(Path(t, ctx), "/login") || Count(t, ctx, "#password") == 0 {
		e.Open(t, ctx, "/login")
	}
	Type(t, ctx, "#email", email)
	Type(t, ctx, "#password", password)
	if s := Submit(t, ctx, `form[action="/login"] button[type="submit"]`); s != 200 {
		t.Fatalf("sign in as %s: status %d at %s", email, s, location(ctx))
	}
	return Path(t, ctx) == "/login/totp"
}

// SubmitCode types the account's current TOTP code on the second-factor
// page and submits it.
func (e *Env) SubmitCode(t testing.TB, ctx context.Context, email string) {
	t.Helper()
	Type(t, ctx, "#code", e.TOTPCode(t, email))
	if s := Submit(t, ctx, `form[action="/login/totp"] button[type="submit"]`); s != 200 {
		t.Fatalf("second factor of %s: status %d at %s", email, s, location(ctx))
	}
	if p := Path(t, ctx); strings.HasPrefix(p, "/login") {
		t.Fatalf("second factor of %s: still at %s", email, p)
	}
}

// SignIn signs in with the demo password and, when asked, the second
// factor, and leaves the tab on the page after signing in.
func (e *Env) SignIn(t testing.TB, ctx context.Context, email string) {
	t.Helper()
	if e.SubmitPassword(t, ctx, email, demo.Password) {
		e.SubmitCode(t, ctx, email)
	}
	if p := Path(t, ctx); strings.HasPrefix(p, "/login") {
		t.Fatalf("sign in as %s: still at %s", email, p)
	}
}

// Screenshot saves a full-page PNG of the tab as name.png in the test's
// temporary directory and, when OPSTAP_SCREENSHOTS names a directory, there
// too. It returns the path in the temporary directory.
func Screenshot(t testing.TB, ctx context.Context, name string) string {
	t.Helper()
	png := Run(t, ctx, chromedp.FullScreenshot(100))
	p := filepath.Join(t.TempDir(), name+".png")
	if err := os.WriteFile(p, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", p)
	if dir := os.Getenv("OPSTAP_SCREENSHOTS"); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		q := filepath.Join(dir, name+".png")
		if err := os.WriteFile(q, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot: %s", q)
	}
	return p
}

// AxeTags are the rule sets Axe checks: WCAG 2.0 and 2.1, levels A and AA.
var AxeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"}

// AxeViolation is one failed axe-core rule on a page.
type AxeViolation struct {
	ID      string    `json:"id"`
	Impact  string    `json:"impact"`
	Help    string    `json:"help"`
	HelpURL string    `json:"helpUrl"`
	Nodes   []AxeNode `json:"nodes"`
}

// AxeNode is one element that fails a rule.
type AxeNode struct {
	Target  string `json:"target"`
	HTML    string `json:"html"`
	Summary string `json:"summary"`
}

// axeResult is what axeRun keeps of axe-core's results.
type axeResult struct {
	Violations []AxeViolation `json:"violations"`
	Passes     int            `json:"passes"`
	Incomplete []string       `json:"incomplete"` // rules axe could not decide: for a human to review
}

// axeRun runs axe on the document and keeps only what the report needs.
const axeRun = `(async () => {
  const r = await axe.run(document, {runOnly: {type: 'tag', values: %s}, resultTypes: ['violations', 'incomplete']});
  return {
    passes: r.passes.length,
    incomplete: r.incomplete.map(v => v.id + ' (' + v.nodes.length + ')'),
    violations: r.violations.map(v => ({
      id: v.id, impact: v.impact || '', help: v.help, helpUrl: v.helpUrl,
      nodes: v.nodes.map(n => ({target: n.target.map(String).join(' '), html: n.html, summary: n.failureSummary || ''})),
    })),
  };
})()`

// AxeViolations runs axe-core on the page in the tab against WCAG 2.1 A
// and AA and returns the violations, without judging them.
func AxeViolations(t testing.TB, ctx context.Context) []AxeViolation {
	t.Helper()
	js := axeJS(t)
	if !Run(t, ctx, chromedp.Evaluate[bool](`typeof window.axe === 'object'`)) {
		Do(t, ctx, chromedp.Evaluate[chromedp.Void](js))
	}
	tags := `['` + strings.Join(AxeTags, `','`) + `']`
	r := Run(t, ctx, chromedp.Evaluate[axeResult](fmt.Sprintf(axeRun, tags), chromedp.EvalAwaitPromise))
	t.Logf("axe at %s: %d rules passed, %d violated; needs review: %v", location(ctx), r.Passes, len(r.Violations), r.Incomplete)
	return r.Violations
}

// Axe checks the page in the tab with axe-core against WCAG 2.1 A and AA.
// It fails the test with every violation of impact serious or critical,
// and logs the moderate and minor ones. It returns all violations.
func Axe(t testing.TB, ctx context.Context) []AxeViolation {
	t.Helper()
	vs := AxeViolations(t, ctx)
	var serious, other []string
	for _, v := range vs {
		s := formatViolation(v)
		switch v.Impact {
		case "serious", "critical":
			serious = append(serious, s)
		default:
			other = append(other, s)
		}
	}
	loc := location(ctx)
	if len(other) > 0 {
		t.Logf("axe at %s: %d moderate or minor violation(s):\n%s", loc, len(other), strings.Join(other, "\n"))
	}
	if len(serious) > 0 {
		t.Errorf("axe at %s: %d serious or critical violation(s):\n%s", loc, len(serious), strings.Join(serious, "\n"))
	}
	return vs
}

func formatViolation(v AxeViolation) string {
	var b strings.Builder
	fmt.Fprintf(&b, "  [%s] %s: %s (%s)", v.Impact, v.ID, v.Help, v.HelpURL)
	for i, n := range v.Nodes {
		if i == 3 {
			fmt.Fprintf(&b, "\n      … and %d more", len(v.Nodes)-i)
			break
		}
		fmt.Fprintf(&b, "\n      %s  %s", n.Target, n.HTML)
		if n.Summary != "" {
			fmt.Fprintf(&b, "\n        %s", strings.ReplaceAll(n.Summary, "\n", "\n        "))
		}
	}
	return b.String()
}
