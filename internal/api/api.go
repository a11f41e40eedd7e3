// Package api serves Opstap's JSON API under /api/v1. Every route is
// described in the embedded OpenAPI 3.1 document; a test keeps the two in
// step. Errors are JSON with a stable code, a message in the caller's
// language and the offending field.
package api

import (
	"net/http"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/account"
	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/httpx"
	"github.com/opstap/opstap/internal/store"
)

// Handler serves the JSON API.
type Handler struct {
	DB *store.DB
}

// route is one API endpoint.
type route struct {
	pattern string
	handler http.HandlerFunc
}

// routeGroups holds each feature's route list; a feature file adds its
// own from an init function, so features do not edit a shared list.
var routeGroups = []func(*Handler) []route{(*Handler).accountRoutes}

// routes lists every endpoint.
func (h *Handler) routes() []route {
	var rs []route
	for _, group := range routeGroups {
		rs = append(rs, group(h)...)
	}
	return rs
}

// Patterns returns the registered route patterns (for the OpenAPI test).
func (h *Handler) Patterns() []string {
	var ps []string
	for _, r := range h.routes() {
		ps = append(ps, r.pattern)
	}
	return ps
}

// Register adds the API's routes to mux.
func (h *Handler) Register(mux *http.ServeMux) {
	for _, r := range h.routes() {
		mux.HandleFunc(r.pattern, r.handler)
	}
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		httpx.WriteJSONError(w, r, opstap.Errorf(opstap.ENOTFOUND, "page not found"))
	})
}

func (h *Handler) accountRoutes() []route {
	return []route{
		{"GET /api/v1/openapi.json", h.openapi},
		{"GET /api/v1/me", h.authed(h.me)},
		{"GET /api/v1/me/work", h.authed(h.work)},
		{"GET /api/v1/organisations", h.authed(h.organisations)},
		{"POST /api/v1/organisations", h.authed(h.createOrganisation)},
		{"GET /api/v1/users", h.authed(h.users)},
		{"POST /api/v1/users", h.authed(h.createUser)},
		{"POST /api/v1/users/{id}/block", h.authed(h.blockUser)},
		{"POST /api/v1/users/{id}/unblock", h.authed(h.unblockUser)},
		{"POST /api/v1/users/{id}/grants", h.authed(h.addGrant)},
		{"POST /api/v1/grants/{id}/block", h.authed(h.blockGrant)},
		{"GET /api/v1/tokens", h.authed(h.tokens)},
		{"POST /api/v1/tokens", h.authed(h.createToken)},
		{"DELETE /api/v1/tokens/{id}", h.authed(h.revokeToken)},
		{"GET /api/v1/audit", h.authed(h.auditLog)},
		{"POST /api/v1/audit/verify", h.authed(h.verifyAudit)},
	}
}

func (h *Handler) openapi(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(openapiDoc)
}

// authed refuses callers without a usable session or token with 401, and
// runs a write at most once per Idempotency-Key (idempotency.go).
func (h *Handler) authed(next func(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		au := httpx.AuthFrom(r)
		if au.Actor == nil {
			msg := "sign in first"
			if au.Session != nil {
				msg = "complete the second factor first"
			}
			httpx.WriteJSONError(w, r, opstap.Errorf(opstap.EUNAUTHORIZED, msg))
			return
		}
		if err := httpx.CheckQuery(r); err != nil {
			httpx.WriteJSONError(w, r, err)
			return
		}
		run := func(w http.ResponseWriter, r *http.Request) {
			if err := next(w, r, au.Actor); err != nil {
				httpx.WriteJSONError(w, r, err)
			}
		}
		if writeMethod(r.Method) {
			h.idempotent(w, r, au.Actor.UserID, run)
			return
		}
		run(w, r)
	}
}

// Me is the caller's account.
type Me struct {
	ID           string               `json:"id"`
	Email        string               `json:"email"`
	Name         string               `json:"name"`
	Language     string               `json:"language"`
	Organisation account.Organisation `json:"organisation"`
	Roles        []opstap.Role        `json:"roles"`
	Grants       []opstap.Grant       `json:"grants"`
	AuthMethod   string               `json:"auth_method"`
}

func (h *Handler) me(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	u, err := h.DB.FindUserByID(r.Context(), a.UserID)
	if err != nil {
		return err
	}
	m := Me{ID: u.ID, Email: u.Email, Name: u.Name, Language: u.Language, Organisation: u.Organisation, Roles: a.Roles(), Grants: a.Grants, AuthMethod: "session"}
	if m.Roles == nil {
		m.Roles = []opstap.Role{}
	}
	if a.TokenID != "" {
		m.AuthMethod = "token"
	}
	httpx.WriteJSON(w, http.StatusOK, m)
	return nil
}

// work counts, per role of the caller, the work waiting (the home page's figures).
func (h *Handler) work(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	fs, err := h.DB.HomeFigures(r.Context(), a)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"figures": nonNil(fs)})
	return nil
}

func (h *Handler) organisations(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	os, err := h.DB.FindOrganisations(r.Context())
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"organisations": nonNil(os)})
	return nil
}

func (h *Handler) createOrganisation(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	var o account.Organisation
	if err := httpx.DecodeJSON(w, r, &o); err != nil {
		return err
	}
	if err := h.DB.CreateOrganisation(r.Context(), a, &o); err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusCreated, o)
	return nil
}

func (h *Handler) users(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	us, err := h.DB.FindUsers(r.Context(), a)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"users": nonNil(us)})
	return nil
}

func (h *Handler) createUser(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	var n account.NewUser
	if err := httpx.DecodeJSON(w, r, &n); err != nil {
		return err
	}
	u, err := h.DB.CreateUser(r.Context(), a, n)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusCreated, u)
	return nil
}

func (h *Handler) noContent(w http.ResponseWriter, err error) error {
	if err == nil {
		w.WriteHeader(http.StatusNoContent)
	}
	return err
}

func (h *Handler) blockUser(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.noContent(w, h.DB.BlockUser(r.Context(), a, r.PathValue("id")))
}

func (h *Handler) unblockUser(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.noContent(w, h.DB.UnblockUser(r.Context(), a, r.PathValue("id")))
}

func (h *Handler) addGrant(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	var g access.GrantSpec
	if err := httpx.DecodeJSON(w, r, &g); err != nil {
		return err
	}
	return h.noContent(w, h.DB.AddGrant(r.Context(), a, r.PathValue("id"), g))
}

func (h *Handler) blockGrant(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.noContent(w, h.DB.BlockGrant(r.Context(), a, r.PathValue("id")))
}

func (h *Handler) tokens(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	ts, err := h.DB.FindTokens(r.Context(), a, a.UserID)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"tokens": nonNil(ts)})
	return nil
}

// newToken is the request to create a token.
type newToken struct {
	Name      string     `json:"name" validate:"required,max=200"`
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
}

func (h *Handler) createToken(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	var in newToken
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	plain, t, err := h.DB.CreateToken(r.Context(), a, a.UserID, in.Name, in.ExpiresAt)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusCreated, map[string]any{"token": plain, "info": t})
	return nil
}

func (h *Handler) revokeToken(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.noContent(w, h.DB.RevokeToken(r.Context(), a, r.PathValue("id")))
}

func (h *Handler) auditLog(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	q := r.URL.Query()
	f := store.AuditFilter{ActorUserID: q.Get("actor"), CandidateID: q.Get("candidate"), Event: q.Get("event"), Limit: 500}
	for _, p := range []struct {
		name string
		dst  *time.Time
	}{{"from", &f.From}, {"to", &f.To}} {
		if s := q.Get(p.name); s != "" {
			t, err := time.Parse(time.RFC3339, s)
			if err != nil {
				return &opstap.Error{Code: opstap.EBADREQUEST, Message: "not a valid time (RFC 3339)", Field: p.name}
			}
			*p.dst = t
		}
	}
	es, err := h.DB.ReadAuditLog(r.Context(), a, f)
	if err != nil {
		return err
	}
	if es == nil {
		es = []audit.Entry{}
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"entries": es})
	return nil
}

// verifyResult is the outcome of a chain verification.
type verifyResult struct {
	Intact    bool   `json:"intact"`
	Checked   int64  `json:"checked"`
	BrokenSeq int64  `json:"broken_seq,omitempty"`
	Reason    string `json:"reason,omitempty"`
}

func (h *Handler) verifyAudit(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	n, err := h.DB.VerifyAuditAs(r.Context(), a)
	res := verifyResult{Intact: err == nil, Checked: n}
	if b := audit.AsBroken(err); b != nil {
		res.BrokenSeq, res.Reason = b.Seq, b.Reason
	} else if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, res)
	return nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
