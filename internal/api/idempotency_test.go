package api

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/account"
	"github.com/opstap/opstap/internal/candidate"
	"github.com/opstap/opstap/internal/dossier"
	"github.com/opstap/opstap/internal/history"
	"github.com/opstap/opstap/internal/httpx"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }

func TestParseIdempotencyKey(t *testing.T) {
	tests := []struct {
		name   string
		values []string
		want   string
		ok     bool
		bad    bool
	}{
		{"absent", nil, "", false, false},
		{"uuid", []string{"8e03978e-40d5-43e8-bc93-6894a57f9324"}, "8e03978e-40d5-43e8-bc93-6894a57f9324", true, false},
		{"one character", []string{"x"}, "x", true, false},
		{"255 characters", []string{strings.Repeat("k", 255)}, strings.Repeat("k", 255), true, false},
		{"every printable", []string{" !\"#$%&'()*+,-./09:;<=>?@AZ[\\]^_`az{|}~"}, " !\"#$%&'()*+,-./09:;<=>?@AZ[\\]^_`az{|}~", true, false},
		{"structured-field string", []string{`"abc"`}, `"abc"`, true, false},
		{"empty", []string{""}, "", false, true},
		{"256 characters", []string{strings.Repeat("k", 256)}, "", false, true},
		{"sent twice", []string{"a", "b"}, "", false, true},
		{"sent twice the same", []string{"a", "a"}, "", false, true},
		{"tab", []string{"a\tb"}, "", false, true},
		{"DEL", []string{"a\x7fb"}, "", false, true},
		{"NUL", []string{"a\x00b"}, "", false, true},
		{"non-ASCII", []string{"sleutel-é"}, "", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok, err := ParseIdempotencyKey(tt.values)
			if got != tt.want || ok != tt.ok || (err != nil) != tt.bad {
				t.Fatalf("ParseIdempotencyKey(%q) = %q, %v, %v", tt.values, got, ok, err)
			}
			if e := opstap.AsError(err); tt.bad && (e.Code != opstap.EBADREQUEST || e.Field != IdempotencyKeyHeader) {
				t.Fatalf("error %+v does not name the header", e)
			}
		})
	}
}

// FuzzParseIdempotencyKey: a key is accepted exactly when it is 1 to 255
// printable ASCII characters, and a refusal names the header.
func FuzzParseIdempotencyKey(f *testing.F) {
	for _, s := range []string{"", "x", "8e03978e-40d5-43e8-bc93-6894a57f9324", strings.Repeat("k", 256), "a\x00", "é", "\x7f"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		key, ok, err := ParseIdempotencyKey([]string{s})
		valid := len(s) >= 1 && len(s) <= MaxIdempotencyKey && strings.IndexFunc(s, func(r rune) bool { return r < 0x20 || r > 0x7e }) < 0
		if ok != valid || (err == nil) != valid || (ok && key != s) {
			t.Fatalf("ParseIdempotencyKey(%q) = %q, %v, %v; valid %v", s, key, ok, err, valid)
		}
		if e := opstap.AsError(err); err != nil && (e == nil || e.Field != IdempotencyKeyHeader) {
			t.Fatalf("refusal %v does not name the header", err)
		}
	})
}

// TestFingerprintCoversEveryBody: a body the API accepts is never too long
// to fingerprint.
func TestFingerprintCoversEveryBody(t *testing.T) {
	for name, limit := range map[string]int64{"JSON": httpx.MaxJSONBody, "CSV": candidate.MaxCSVFile, "history": history.MaxFile, "document": dossier.MaxDocumentSize + 64<<10} {
		if limit >= maxFingerprintBody {
			t.Errorf("%s bodies go up to %d bytes, above the fingerprint's %d", name, limit, maxFingerprintBody)
		}
	}
}

// TestIdempotentRuns sends each handler the same keyed request twice: an
// answer below 500 is kept and replayed with its headers without running
// again; a 5xx, a 413, a cancelled request or a panic releases the key, so
// the retry runs. A handler that leaves its body unread still has it
// fingerprinted: the same key with another body is refused.
func TestIdempotentRuns(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		sys := &opstap.Actor{System: true}
		org := &account.Organisation{Name: "Provider", Kind: opstap.OrgProvider}
		if err := db.CreateOrganisation(ctx, sys, org); err != nil {
			t.Fatal(err)
		}
		u, err := db.CreateUser(ctx, sys, account.NewUser{OrgID: org.ID, Email: "coach@p.nl", Name: "Coach", Grants: []access.GrantSpec{{Role: opstap.RoleCoach}}})
		if err != nil {
			t.Fatal(err)
		}
		h := &Handler{DB: db}
		tests := []struct {
			name     string
			answer   func(w http.ResponseWriter, r *http.Request)
			wantRuns int
		}{
			{"created, body read", func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.ReadAll(r.Body)
				w.Header().Set("Location", "/api/v1/things/1")
				w.Header().Set("X-Not-Kept", "1")
				httpx.WriteJSON(w, http.StatusCreated, map[string]string{"id": "1"})
			}, 1},
			{"no content, body unread", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) }, 1},
			{"nothing written", func(w http.ResponseWriter, r *http.Request) {}, 1},
			{"refused 422", func(w http.ResponseWriter, r *http.Request) {
				httpx.WriteJSONError(w, r, opstap.FieldError("name", "name is required"))
			}, 1},
			{"internal error", func(w http.ResponseWriter, r *http.Request) {
				httpx.WriteJSONError(w, r, io.ErrUnexpectedEOF)
			}, 2},
			{"unavailable", func(w http.ResponseWriter, r *http.Request) {
				httpx.WriteJSONError(w, r, opstap.Errorf(opstap.EUNAVAILABLE, "database unreachable"))
			}, 2},
			{"too large", func(w http.ResponseWriter, r *http.Request) {
				httpx.WriteJSONError(w, r, httpx.TooLarge("", 1<<10))
			}, 2},
			{"client gone", func(w http.ResponseWriter, r *http.Request) {
				httpx.WriteJSONError(w, r, context.Canceled)
			}, 2},
			{"panic", func(w http.ResponseWriter, r *http.Request) { panic(http.ErrAbortHandler) }, 2},
		}
		// A retry while the first still runs is told to wait and runs
		// nothing; the first then completes and is replayed.
		t.Run("in flight", func(t *testing.T) {
			runs := 0
			send := func(next http.HandlerFunc) *httptest.ResponseRecorder {
				r := httptest.NewRequest("PUT", "/api/v1/things/2", strings.NewReader(`{}`))
				r.Header.Set(IdempotencyKeyHeader, "in-flight")
				w := httptest.NewRecorder()
				h.idempotent(w, r, u.ID, next)
				return w
			}
			var during *httptest.ResponseRecorder
			first := send(func(w http.ResponseWriter, r *http.Request) {
				runs++
				during = send(func(http.ResponseWriter, *http.Request) { runs++ })
				w.WriteHeader(http.StatusNoContent)
			})
			if runs != 1 || first.Code != http.StatusNoContent || during.Code != http.StatusConflict || during.Header().Get("Retry-After") == "" ||
				!strings.Contains(during.Body.String(), `"field": "Idempotency-Key"`) {
				t.Fatalf("ran %d times; first %d, during %d %v %s", runs, first.Code, during.Code, during.Header(), during.Body)
			}
			if after := send(func(http.ResponseWriter, *http.Request) { runs++ }); runs != 1 || after.Code != http.StatusNoContent || after.Header().Get(ReplayedHeader) != "true" {
				t.Fatalf("after: ran %d times, %d", runs, after.Code)
			}
		})
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				runs := 0
				next := func(w http.ResponseWriter, r *http.Request) { runs++; tt.answer(w, r) }
				send := func(body string) *httptest.ResponseRecorder {
					r := httptest.NewRequest("POST", "/api/v1/things?x=1", strings.NewReader(body))
					r.Header.Set(IdempotencyKeyHeader, "key-"+string(rune('a'+i)))
					w := httptest.NewRecorder()
					func() {
						defer func() { _ = recover() }()
						h.idempotent(w, r, u.ID, next)
					}()
					return w
				}
				first := send(`{"name":"x"}`)
				second := send(`{"name":"x"}`)
				if runs != tt.wantRuns {
					t.Fatalf("ran %d times, want %d", runs, tt.wantRuns)
				}
				if tt.wantRuns == 2 {
					return
				}
				if second.Code != first.Code || second.Body.String() != first.Body.String() || second.Header().Get(ReplayedHeader) != "true" || first.Header().Get(ReplayedHeader) != "" {
					t.Fatalf("replay %d %q (%v), first %d %q", second.Code, second.Body, second.Header(), first.Code, first.Body)
				}
				for _, k := range []string{"Content-Type", "Location", "X-Not-Kept"} {
					want := first.Header().Get(k)
					if k == "X-Not-Kept" {
						want = ""
					}
					if got := second.Header().Get(k); got != want {
						t.Errorf("replayed %s = %q, want %q", k, got, want)
					}
				}
				if other := send(`{"name":"y"}`); other.Code != http.StatusUnprocessableEntity || !strings.Contains(other.Body.String(), `"field": "Idempotency-Key"`) || runs != 1 {
					t.Fatalf("same key, other body: %d %s, ran %d times", other.Code, other.Body, runs)
				}
			})
		}
	})
}
