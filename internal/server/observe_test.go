package server_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/opstap/opstap/internal/server"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// TestClientGoneIsNotAServerError: a client that disconnects while its
// request runs is counted as cancelled (499), not as a 500, and the log
// line holds the route pattern, never the path with the candidate's id.
func TestClientGoneIsNotAServerError(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, func(s *server.Server) { s.MetricsToken = testMetricsToken })
		b := e.browser()
		b.login("coach@demo.opstap.nl")
		cs, err := db.FindCandidates(context.Background(), demoSystem(), store.CandidateFilter{Query: "Sandra de Groot"})
		if err != nil || len(cs) == 0 {
			t.Fatalf("demo candidate: %v", err)
		}
		id := cs[0].ID

		var logs bytes.Buffer
		old := slog.Default()
		slog.SetDefault(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
		defer slog.SetDefault(old)

		for _, path := range []string{"/api/v1/candidates/" + id, "/candidates/" + id} {
			ctx, cancel := context.WithCancel(context.Background())
			cancel() // the client is gone before the store is reached
			req := httptest.NewRequestWithContext(ctx, "GET", e.srv.URL+path, nil)
			u, _ := http.NewRequest("GET", e.srv.URL, nil)
			for _, c := range b.c.Jar.Cookies(u.URL) {
				req.AddCookie(c)
			}
			e.h.ServeHTTP(httptest.NewRecorder(), req)
		}
		out := logs.String()
		if strings.Contains(out, id) {
			t.Errorf("the log holds the candidate id:\n%s", out)
		}
		if strings.Contains(out, "level=ERROR") {
			t.Errorf("a cancelled request was logged as an error:\n%s", out)
		}
		if !strings.Contains(out, "request cancelled") {
			t.Errorf("no cancelled request logged:\n%s", out)
		}

		_, metrics := b.do("GET", "/metrics", nil, map[string]string{"Authorization": "Bearer " + testMetricsToken})
		for _, route := range []string{"GET /api/v1/candidates/{id}", "GET /candidates/{id}"} {
			if !strings.Contains(metrics, `opstap_http_requests_total{code="499",route="`+route+`"} 1`) {
				t.Errorf("%s: no cancelled request counted", route)
			}
			if strings.Contains(metrics, `opstap_http_requests_total{code="500",route="`+route+`"}`) {
				t.Errorf("%s: a cancelled request counted as 500", route)
			}
		}
	})
}
