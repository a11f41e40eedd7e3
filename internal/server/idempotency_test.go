package server_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// apiToken creates an API token for the signed-in browser.
func (b *browser) apiToken() string {
	b.e.t.Helper()
	resp, body := b.postJSON("/api/v1/tokens", `{"name":"retries"}`)
	var created struct{ Token string }
	decode(b.e.t, body, &created)
	if resp.StatusCode != http.StatusCreated || created.Token == "" {
		b.e.t.Fatalf("create token: %d %s", resp.StatusCode, body)
	}
	return created.Token
}

// bearer sends an API request with a token; keys are Idempotency-Key
// values, each sent as a header line of its own.
func (e *env) bearer(tok, method, path, body string, keys ...string) (*http.Response, string) {
	e.t.Helper()
	req, _ := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	if keys != nil {
		req.Header["Idempotency-Key"] = keys
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp, string(data)
}

// TestIdempotencyKey (issue 13 item 11): a registration retried with its
// Idempotency-Key is answered from the first, once registered; the key on
// another body or path is refused, another user's same key is theirs, a
// malformed key is refused naming the header, concurrent uses run once, and
// after 24 hours the key is purged.
func TestIdempotencyKey(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		var almere string
		if err := db.SQL.QueryRow(`SELECT id FROM organisations WHERE name = 'Gemeente Almere'`).Scan(&almere); err != nil {
			t.Fatal(err)
		}
		coach, km := e.browser(), e.browser()
		coach.login("coach@demo.opstap.nl")
		km.login("klantmanager@demo.opstap.nl")
		coachTok, kmTok := coach.apiToken(), km.apiToken()
		registration := func(ref string) string {
			return `{"commissioner_org_id":"` + almere + `","external_ref":"` + ref + `","basic":{"first_name":"Ria","last_name":"Vos","birth_date":"1990-04-01"}}`
		}
		candidates := countRows(t, db, "candidates")
		wantCandidates := func(n int, what string) {
			t.Helper()
			if got := countRows(t, db, "candidates"); got != candidates+n {
				t.Fatalf("%s: %d candidates registered, want %d", what, got-candidates, n)
			}
		}

		// The first request registers; its retry replays the answer.
		first, firstBody := e.bearer(coachTok, "POST", "/api/v1/candidates", registration("IDEM-1"), "retry-1")
		if first.StatusCode != http.StatusCreated || first.Header.Get("Idempotent-Replayed") != "" {
			t.Fatalf("first request: %d %s", first.StatusCode, firstBody)
		}
		again, againBody := e.bearer(coachTok, "POST", "/api/v1/candidates", registration("IDEM-1"), "retry-1")
		if again.StatusCode != http.StatusCreated || againBody != firstBody || again.Header.Get("Idempotent-Replayed") != "true" ||
			again.Header.Get("Content-Type") != first.Header.Get("Content-Type") {
			t.Fatalf("retry: %d %q, replayed %q; first %q", again.StatusCode, againBody, again.Header.Get("Idempotent-Replayed"), firstBody)
		}
		wantCandidates(1, "request and retry")

		// The same key on another body or another path is refused.
		for _, c := range []struct{ name, method, path, body string }{
			{"other body", "POST", "/api/v1/candidates", registration("IDEM-2")},
			{"other path", "POST", "/api/v1/tokens", `{"name":"other"}`},
		} {
			resp, body := e.bearer(coachTok, c.method, c.path, c.body, "retry-1")
			var er apiError
			decode(t, body, &er)
			if resp.StatusCode != http.StatusUnprocessableEntity || er.Error.Field != "Idempotency-Key" || !strings.Contains(er.Error.Message, "Idempotency-Key") {
				t.Fatalf("%s: %d %s", c.name, resp.StatusCode, body)
			}
		}
		wantCandidates(1, "the key on another body")

		// Another user's same key is a key of their own.
		if resp, body := e.bearer(kmTok, "POST", "/api/v1/candidates", registration("IDEM-3"), "retry-1"); resp.StatusCode != http.StatusCreated || resp.Header.Get("Idempotent-Replayed") != "" {
			t.Fatalf("another user's same key: %d %s", resp.StatusCode, body)
		}
		wantCandidates(2, "another user's same key")

		// A malformed key is refused naming the header; nothing is stored.
		for name, keys := range map[string][]string{
			"empty":     {""},
			"too long":  {strings.Repeat("k", 256)},
			"non-ASCII": {"sleutel-é"},
			"tab":       {"a\tb"},
			"twice":     {"a", "b"},
		} {
			resp, body := e.bearer(coachTok, "POST", "/api/v1/candidates", registration("IDEM-BAD"), keys...)
			var er apiError
			decode(t, body, &er)
			if resp.StatusCode != http.StatusBadRequest || er.Error.Field != "Idempotency-Key" {
				t.Errorf("%s key: %d %s", name, resp.StatusCode, body)
			}
		}
		wantCandidates(2, "malformed keys")

		// Concurrent uses of one key run once: one original, the others
		// replays or told to retry while it runs.
		const n = 6
		type answer struct {
			status          int
			replayed, retry string
			body            string
		}
		answers := make(chan answer, n)
		var wg sync.WaitGroup
		for range n {
			wg.Go(func() {
				resp, body := e.bearer(coachTok, "POST", "/api/v1/candidates", registration("IDEM-4"), "together")
				answers <- answer{resp.StatusCode, resp.Header.Get("Idempotent-Replayed"), resp.Header.Get("Retry-After"), body}
			})
		}
		wg.Wait()
		close(answers)
		originals, replays, busy := 0, 0, 0
		for a := range answers {
			switch {
			case a.status == http.StatusCreated && a.replayed == "":
				originals++
			case a.status == http.StatusCreated && a.replayed == "true":
				replays++
			case a.status == http.StatusConflict && a.retry != "" && strings.Contains(a.body, "Idempotency-Key"):
				busy++
			default:
				t.Errorf("concurrent use answered %d (replayed %q, Retry-After %q): %s", a.status, a.replayed, a.retry, a.body)
			}
		}
		if originals != 1 {
			t.Fatalf("%d concurrent uses ran, want 1 (%d replays, %d told to retry)", originals, replays, busy)
		}
		t.Logf("%d concurrent uses: 1 ran, %d replayed, %d told to retry", n, replays, busy)
		wantCandidates(3, "concurrent uses")

		// While the first request still runs, a retry is told to wait.
		var coachID string
		if err := db.SQL.QueryRow(`SELECT id FROM users WHERE email = 'coach@demo.opstap.nl'`).Scan(&coachID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.ClaimIdempotencyKey(context.Background(), store.IdempotentRequest{UserID: coachID, Key: "running", Method: "POST", Path: "/api/v1/candidates"}); err != nil {
			t.Fatal(err)
		}
		if resp, body := e.bearer(coachTok, "POST", "/api/v1/candidates", registration("IDEM-6"), "running"); resp.StatusCode != http.StatusConflict || resp.Header.Get("Retry-After") != "1" {
			t.Fatalf("retry while running: %d %s", resp.StatusCode, body)
		}
		wantCandidates(3, "a retry while running")

		// A write without a body is replayed too.
		for i, want := range []string{"", "true"} {
			if resp, body := e.bearer(coachTok, "POST", "/api/v1/notifications/read", "", "read-all"); resp.StatusCode != http.StatusNoContent || resp.Header.Get("Idempotent-Replayed") != want {
				t.Fatalf("mark all read, time %d: %d %s", i+1, resp.StatusCode, body)
			}
		}

		// After 24 hours the expire job purges the keys; the key then runs
		// the request again.
		if got := countRows(t, db, "idempotency_keys"); got != 5 {
			t.Fatalf("%d idempotency keys stored, want 5", got)
		}
		e.tick(store.IdempotencyTTL + time.Second)
		res, err := db.PurgeExpired(context.Background())
		if err != nil || res.IdempotencyKeys != 5 || countRows(t, db, "idempotency_keys") != 0 {
			t.Fatalf("purge after a day: %+v, %v", res, err)
		}
		if resp, body := e.bearer(coachTok, "POST", "/api/v1/candidates", registration("IDEM-5"), "retry-1"); resp.StatusCode != http.StatusCreated || resp.Header.Get("Idempotent-Replayed") != "" {
			t.Fatalf("a purged key: %d %s", resp.StatusCode, body)
		}
		wantCandidates(4, "a purged key")
	})
}
