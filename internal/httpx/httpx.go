// Package httpx holds what the HTML and JSON layers share: the error-code
// to status table, the caller's language and address, and JSON writing.
package httpx

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/i18n"
	"github.com/opstap/opstap/internal/store"
)

// statuses maps every application error code to its HTTP status.
var statuses = map[string]int{
	opstap.EBADREQUEST:   http.StatusBadRequest,
	opstap.EUNAUTHORIZED: http.StatusUnauthorized,
	opstap.EFORBIDDEN:    http.StatusForbidden,
	opstap.ENOTFOUND:     http.StatusNotFound,
	opstap.ECONFLICT:     http.StatusConflict,
	opstap.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	opstap.EUNSUPPORTED:  http.StatusUnsupportedMediaType,
	opstap.EINVALID:      http.StatusUnprocessableEntity,
	opstap.ETOOMANY:      http.StatusTooManyRequests,
	opstap.EUNAVAILABLE:  http.StatusServiceUnavailable,
	opstap.EINTERNAL:     http.StatusInternalServerError,
}

// StatusClientClosed is the status recorded for a request whose client went
// away before the answer (nginx's 499): not a failure of the server, so it
// must not count as a 500 in the metrics nor be logged as an error.
const StatusClientClosed = 499

// Cancelled reports whether err, or the request itself, ended because the
// client went away.
func Cancelled(r *http.Request, err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(r.Context().Err(), context.Canceled)
}

// Status returns the HTTP status for err.
func Status(err error) int {
	if errors.Is(err, context.Canceled) {
		return StatusClientClosed
	}
	if s, ok := statuses[opstap.ErrorCode(err)]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// Message returns err's message in lang; internal errors get a neutral
// text so that nothing of the cause (which may name data) reaches the user.
func Message(lang string, err error) string {
	e := opstap.AsError(err)
	if e == nil || e.Code == opstap.EINTERNAL {
		return i18n.T(lang, "something went wrong on our side; please try again")
	}
	return i18n.T(lang, e.Message, e.Args...)
}

// LogError logs unexpected errors. Messages of application errors are safe
// to log; other errors are logged with their text only, which store code
// keeps free of personal data (queries carry values as arguments). The
// request is named by its route pattern, never its path: paths hold
// identifiers (docs/security.md). A request whose client went away is no
// error; the request log line records it as cancelled.
func LogError(r *http.Request, err error) {
	if opstap.ErrorCode(err) == opstap.EINTERNAL && !Cancelled(r, err) {
		slog.ErrorContext(r.Context(), "request failed", "method", r.Method, "route", r.Pattern, "err", err)
	}
}

type langKey struct{}

// Lang returns the request's language: the lang cookie, then
// Accept-Language, then Dutch.
func Lang(r *http.Request) string {
	if l, ok := r.Context().Value(langKey{}).(string); ok {
		return l
	}
	if c, err := r.Cookie("lang"); err == nil && i18n.Supported(c.Value) {
		return c.Value
	}
	return i18n.FromAcceptLanguage(r.Header.Get("Accept-Language"))
}

// ErrorBody is the JSON error document.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail carries a stable code, a message in the caller's language and
// the offending field.
type ErrorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
}

// WriteJSON writes v with status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

// WriteJSONError writes err as a JSON error document.
func WriteJSONError(w http.ResponseWriter, r *http.Request, err error) {
	LogError(r, err)
	code := opstap.ErrorCode(err)
	if code == "" {
		code = opstap.EINTERNAL
	}
	d := ErrorDetail{Code: code, Message: Message(Lang(r), err)}
	if e := opstap.AsError(err); e != nil {
		d.Field = e.Field
	}
	WriteJSON(w, Status(err), ErrorBody{Error: d})
}

type authKey struct{}

// Auth is what the authentication middleware learned about the caller.
type Auth struct {
	// Actor is set once the caller may act: a session past its second
	// factor, or a valid API token.
	Actor *opstap.Actor
	// Session is the cookie session, also while its second factor is due.
	Session *store.Session
	// SessionToken is the cookie's secret.
	SessionToken string
	// Bearer: authenticated by an API token.
	Bearer bool
}

// WithAuth returns r carrying a.
func WithAuth(r *http.Request, a *Auth) *http.Request {
	ctx := context.WithValue(r.Context(), authKey{}, a)
	if a.Actor != nil {
		ctx = opstap.NewContextWithActor(ctx, a.Actor)
	}
	return r.WithContext(ctx)
}

// AuthFrom returns the request's authentication, never nil.
func AuthFrom(r *http.Request) *Auth {
	if a, ok := r.Context().Value(authKey{}).(*Auth); ok {
		return a
	}
	return &Auth{}
}

// WithLang returns r with its language fixed.
func WithLang(r *http.Request, lang string) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), langKey{}, lang))
}
