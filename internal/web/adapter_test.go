package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/httpx"
)

// TestPageAdapter: a page handler's returned error is answered as the JSON
// API answers it (httpx.Status by error code), on the error page in the
// user's language; only an unexpected error is logged, a request whose
// client went away is neither answered nor logged as a 500, and a handler
// that returns nil keeps the answer it wrote (issue 14 item 3).
func TestPageAdapter(t *testing.T) {
	h, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	const neutralNL, neutralEN = "er ging bij ons iets mis; probeer het opnieuw", "something went wrong on our side; please try again"
	tests := []struct {
		name       string
		handler    pageFunc
		cancel     bool // the client went away before the answer
		wantStatus int
		wantNL     string // on the page asked in Dutch
		wantEN     string // on the page asked in English
		wantLogged bool   // logged as a failed request
	}{
		{"EBADREQUEST", returns(opstap.Errorf(opstap.EBADREQUEST, "malformed request")), false, http.StatusBadRequest, "ongeldig verzoek", "malformed request", false},
		{"EUNAUTHORIZED", returns(opstap.Errorf(opstap.EUNAUTHORIZED, "sign in first")), false, http.StatusUnauthorized, "log eerst in", "sign in first", false},
		{"EFORBIDDEN", returns(opstap.Errorf(opstap.EFORBIDDEN, "you are not allowed to do this")), false, http.StatusForbidden, "u mag dit niet doen", "you are not allowed to do this", false},
		{"ENOTFOUND", returns(opstap.Errorf(opstap.ENOTFOUND, "page not found")), false, http.StatusNotFound, "pagina niet gevonden", "page not found", false},
		{"ECONFLICT", returns(opstap.Errorf(opstap.ECONFLICT, "a second factor is already set up")), false, http.StatusConflict, "er is al een tweede factor ingesteld", "a second factor is already set up", false},
		{"ETOOLARGE", returns(&opstap.Error{Code: opstap.ETOOLARGE, Message: "the file is larger than %d MiB", Args: []any{5}}), false, http.StatusRequestEntityTooLarge, "het bestand is groter dan 5 MiB", "the file is larger than 5 MiB", false},
		{"EUNSUPPORTED", returns(opstap.Errorf(opstap.EUNSUPPORTED, "send the file as multipart/form-data")), false, http.StatusUnsupportedMediaType, "stuur het bestand als multipart/form-data", "send the file as multipart/form-data", false},
		{"EINVALID", returns(opstap.FieldError("on", "not a valid date")), false, http.StatusUnprocessableEntity, "geen geldige datum", "not a valid date", false},
		{"ETOOMANY", returns(opstap.Errorf(opstap.ETOOMANY, "too many failed attempts; try again in %d minutes", 15)), false, http.StatusTooManyRequests, "te veel mislukte pogingen; probeer het over 15 minuten opnieuw", "too many failed attempts; try again in 15 minutes", false},
		{"EUNAVAILABLE", returns(opstap.Errorf(opstap.EUNAVAILABLE, "malformed request")), false, http.StatusServiceUnavailable, "ongeldig verzoek", "malformed request", false},
		{"EINTERNAL, its cause not shown", returns(opstap.Errorf(opstap.EINTERNAL, "query failed for %s", "Jansen")), false, http.StatusInternalServerError, neutralNL, neutralEN, true},
		{"a plain error is internal", returns(errors.New("disk full")), false, http.StatusInternalServerError, neutralNL, neutralEN, true},
		{"a template that fails", func(w http.ResponseWriter, r *http.Request, _ *opstap.Actor) error {
			return h.render(w, r, http.StatusOK, "no-such-template", h.newPage(r, "Home"))
		}, false, http.StatusInternalServerError, neutralNL, neutralEN, true},
		{"context.Canceled", returns(fmt.Errorf("find: %w", context.Canceled)), false, httpx.StatusClientClosed, neutralNL, neutralEN, false},
		{"an internal error after the client went away", returns(errors.New("driver: bad connection")), true, httpx.StatusClientClosed, neutralNL, neutralEN, false},
		{"nil after writing keeps the answer", func(w http.ResponseWriter, r *http.Request, _ *opstap.Actor) error {
			w.WriteHeader(http.StatusCreated)
			_, _ = w.Write([]byte("made")) // a recorder's write does not fail
			return nil
		}, false, http.StatusCreated, "made", "made", false},
		{"an error after writing keeps the answer and is logged", func(w http.ResponseWriter, r *http.Request, _ *opstap.Actor) error {
			_, _ = w.Write([]byte("%PDF-")) // a recorder's write does not fail
			return errors.New("stream broke")
		}, false, http.StatusOK, "%PDF-", "%PDF-", true},
	}
	for _, tt := range tests {
		for _, lang := range []string{"nl", "en"} {
			t.Run(tt.name+"/"+lang, func(t *testing.T) {
				var log bytes.Buffer
				defer slog.SetDefault(slog.Default())
				slog.SetDefault(slog.New(slog.NewTextHandler(&log, nil)))
				r := httptest.NewRequest(http.MethodGet, "/x", nil)
				r.Header.Set("Accept-Language", lang)
				if tt.cancel {
					ctx, cancel := context.WithCancel(r.Context())
					cancel()
					r = r.WithContext(ctx)
				}
				w := httptest.NewRecorder()
				h.public(tt.handler)(w, r)
				if w.Code != tt.wantStatus {
					t.Errorf("status %d, want %d", w.Code, tt.wantStatus)
				}
				want := tt.wantNL
				if lang == "en" {
					want = tt.wantEN
				}
				body := w.Body.String()
				if !strings.Contains(body, want) {
					t.Errorf("the answer lacks %q:\n%s", want, body)
				}
				if strings.Contains(body, "Jansen") || strings.Contains(body, "disk full") {
					t.Errorf("the answer shows an internal cause:\n%s", body)
				}
				if logged := strings.Contains(log.String(), "level=ERROR"); logged != tt.wantLogged {
					t.Errorf("logged %v, want %v: %s", logged, tt.wantLogged, log.String())
				}
			})
		}
	}
}

func returns(err error) pageFunc {
	return func(http.ResponseWriter, *http.Request, *opstap.Actor) error { return err }
}

// TestAuthedAdapter: a visitor without a session goes to the login page
// and the handler does not run; a signed-in user's handler gets the actor.
func TestAuthedAdapter(t *testing.T) {
	h, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	var got *opstap.Actor
	page := h.authed(func(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
		got = a
		w.WriteHeader(http.StatusNoContent)
		return nil
	})
	tests := []struct {
		name       string
		auth       *httpx.Auth
		wantStatus int
		wantTo     string
	}{
		{"visitor", &httpx.Auth{}, http.StatusSeeOther, "/login?next=%2Fx%3Fy%3D1"},
		{"signed in", &httpx.Auth{Actor: &opstap.Actor{UserID: "u1"}}, http.StatusNoContent, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got = nil
			w := httptest.NewRecorder()
			page(w, httpx.WithAuth(httptest.NewRequest(http.MethodGet, "/x?y=1", nil), tt.auth))
			if w.Code != tt.wantStatus || w.Header().Get("Location") != tt.wantTo {
				t.Fatalf("status %d to %q, want %d to %q", w.Code, w.Header().Get("Location"), tt.wantStatus, tt.wantTo)
			}
			if got != tt.auth.Actor {
				t.Errorf("handler got actor %v, want %v", got, tt.auth.Actor)
			}
		})
	}
}
