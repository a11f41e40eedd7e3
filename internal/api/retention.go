package api

import (
	"net/http"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/httpx"
	"github.com/opstap/opstap/internal/privacy"
	"github.com/opstap/opstap/internal/store"
)

func init() { routeGroups = append(routeGroups, (*Handler).retentionRoutes) }

// retentionRoutes: retention rules, dry run, runs with their destruction
// records, legal holds, restriction, objection and erasure on request
// (issue 4; DOMAIN.md §4) [001 "Termijn bewaren gegevens", 004]. The
// privacy officer acts; the provider's auditor reads.
func (h *Handler) retentionRoutes() []route {
	return []route{
		{"GET /api/v1/retention/rules", h.authed(h.retentionRules)},
		{"PUT /api/v1/retention/rules", h.authed(h.setRetentionRule)},
		{"DELETE /api/v1/retention/rules/{org}/{category}", h.authed(h.resetRetentionRule)},
		{"GET /api/v1/retention/dry-run", h.authed(h.retentionDryRun)},
		{"GET /api/v1/retention/runs", h.authed(h.retentionRuns)},
		{"POST /api/v1/retention/runs", h.authed(h.runRetention)},
		{"GET /api/v1/retention/runs/{id}", h.authed(h.retentionRun)},
		{"GET /api/v1/retention/holds", h.authed(h.legalHolds)},
		{"POST /api/v1/candidates/{id}/legal-hold", h.authed(h.setLegalHold)},
		{"POST /api/v1/candidates/{id}/legal-hold/lift", h.authed(h.liftLegalHold)},
		{"POST /api/v1/candidates/{id}/restriction", h.authed(h.setRestriction)},
		{"POST /api/v1/candidates/{id}/objection", h.authed(h.recordObjection)},
		{"POST /api/v1/candidates/{id}/erasure", h.authed(h.eraseCandidate)},
	}
}

func (h *Handler) retentionRules(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	rules, err := h.DB.RetentionRules(r.Context(), a)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"rules": nonNil(rules)})
	return nil
}

func (h *Handler) setRetentionRule(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	var c privacy.RetentionRuleChange
	if err := httpx.DecodeJSON(w, r, &c); err != nil {
		return err
	}
	return h.noContent(w, h.DB.SetRetentionRule(r.Context(), a, c))
}

func (h *Handler) resetRetentionRule(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.noContent(w, h.DB.ResetRetentionRule(r.Context(), a, r.PathValue("org"), r.PathValue("category")))
}

func (h *Handler) retentionDryRun(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	dr, err := h.DB.RetentionDryRun(r.Context(), a)
	if err != nil {
		return err
	}
	dr.Due = nonNil(dr.Due)
	httpx.WriteJSON(w, http.StatusOK, dr)
	return nil
}

func (h *Handler) retentionRuns(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	limit, err := httpx.QueryInt(r, "limit", 100, 1, 500)
	if err != nil {
		return err
	}
	runs, err := h.DB.RetentionRuns(r.Context(), a, limit)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"runs": nonNil(runs)})
	return nil
}

func (h *Handler) runRetention(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	run, err := h.DB.RunRetention(r.Context(), a, store.RunManual)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusCreated, run)
	return nil
}

func (h *Handler) retentionRun(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	run, err := h.DB.RetentionRunByID(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, run)
	return nil
}

func (h *Handler) legalHolds(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	holds, err := h.DB.LegalHolds(r.Context(), a)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"holds": holds})
	return nil
}

// measureInput is the body of the privacy officer's measures.
type measureInput struct {
	Reason string `json:"reason" validate:"required,max=2000"`
}

// restrictionInput sets or lifts a restriction; "restricted" is required,
// so that a body without it cannot lift one.
type restrictionInput struct {
	measureInput
	Restricted bool `json:"restricted" validate:"required"`
}

func (h *Handler) measure(w http.ResponseWriter, r *http.Request, fn func(id string, in measureInput) error) error {
	var in measureInput
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	return h.noContent(w, fn(r.PathValue("id"), in))
}

func (h *Handler) setLegalHold(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.measure(w, r, func(id string, in measureInput) error { return h.DB.SetLegalHold(r.Context(), a, id, in.Reason) })
}

func (h *Handler) liftLegalHold(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.measure(w, r, func(id string, in measureInput) error { return h.DB.LiftLegalHold(r.Context(), a, id, in.Reason) })
}

func (h *Handler) setRestriction(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	var in restrictionInput
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	return h.noContent(w, h.DB.SetRestriction(r.Context(), a, r.PathValue("id"), in.Restricted, in.Reason))
}

func (h *Handler) recordObjection(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.measure(w, r, func(id string, in measureInput) error { return h.DB.RecordObjection(r.Context(), a, id, in.Reason) })
}

func (h *Handler) eraseCandidate(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	run, err := h.DB.EraseCandidate(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusCreated, run)
	return nil
}
