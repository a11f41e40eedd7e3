package server_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/opstap/opstap/internal/httpx"
	"github.com/opstap/opstap/internal/server"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// TestOverloadShed (issue 13 item 10): with every place taken, a request
// is answered 503 with Retry-After after a short wait, while the probes
// still answer; once the place frees up, requests are served again.
func TestOverloadShed(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	e := newEnv(t, db, func(s *server.Server) { s.Shed = httpx.NewShedder(1, 50*time.Millisecond) })
	// A form post whose body arrives slowly holds the one place while the
	// server reads it.
	pr, pw := io.Pipe()
	req, _ := http.NewRequest("POST", e.srv.URL+"/login", pr)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("Origin", e.srv.URL)
	slow := make(chan int)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			slow <- 0
			return
		}
		resp.Body.Close()
		slow <- resp.StatusCode
	}()
	if _, err := pw.Write([]byte("email=")); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond) // the post is in and reading its body
	resp, err := http.Get(e.srv.URL + "/login")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" || !strings.Contains(string(body), "druk") {
		t.Fatalf("at capacity: %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if resp, err := http.Get(e.srv.URL + "/healthz"); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("probe at capacity: %v %v", err, resp)
	}
	pw.Write([]byte("nobody%40example.nl&password=x"))
	pw.Close()
	if code := <-slow; code == 0 || code == http.StatusServiceUnavailable {
		t.Fatalf("the slow post: %d", code)
	}
	if resp, err := http.Get(e.srv.URL + "/login"); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("after the place freed up: %v %v", err, resp)
	}
}
