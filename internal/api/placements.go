package api

import (
	"net/http"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/download"
	"github.com/opstap/opstap/internal/flex"
	"github.com/opstap/opstap/internal/httpx"
	"github.com/opstap/opstap/internal/render"
	"github.com/opstap/opstap/internal/store"
)

func init() { routeGroups = append(routeGroups, (*Handler).placementRoutes) }

// placementRoutes: proposals, answers, confirmation with PDFs, hours,
// extensions and the end of placements (issue 5 points 5 and 6; seed 003
// art 4, art 5 lid 4 and 6).
func (h *Handler) placementRoutes() []route {
	return []route{
		{"GET /api/v1/assignments/{id}/placements", h.authed(h.assignmentPlacements)},
		{"POST /api/v1/assignments/{id}/placements", h.authed(h.proposePlacement)},
		{"GET /api/v1/placements", h.authed(h.municipalityPlacements)},
		{"GET /api/v1/employer/placements", h.authed(h.employerPlacements)},
		{"GET /api/v1/portal/placements", h.authed(h.portalPlacements)},
		{"GET /api/v1/placements/{id}", h.authed(h.placement)},
		{"POST /api/v1/placements/{id}/answer", h.authed(h.answerPlacement)},
		{"POST /api/v1/placements/{id}/confirm", h.authed(h.confirmPlacement)},
		{"POST /api/v1/placements/{id}/cancel", h.authed(h.cancelPlacement)},
		{"POST /api/v1/placements/{id}/hours", h.authed(h.placementHours)},
		{"POST /api/v1/placements/{id}/extensions", h.authed(h.placementExtension)},
		{"POST /api/v1/placements/{id}/end", h.authed(h.endPlacement)},
		{"GET /api/v1/placements/{id}/confirmations/{party}", h.authed(download.Files{DB: h.DB}.PlacementConfirmation)},
	}
}

func (h *Handler) assignmentPlacements(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	ps, err := h.DB.AssignmentPlacements(r.Context(), a, r.PathValue("id"))
	return reply(w, http.StatusOK, map[string]any{"placements": ps}, err)
}

func (h *Handler) proposePlacement(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	var in flex.Proposal
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	p, err := h.DB.ProposePlacement(r.Context(), a, r.PathValue("id"), in)
	return reply(w, http.StatusCreated, p, err)
}

func (h *Handler) municipalityPlacements(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	f, err := placementFilter(r)
	if err != nil {
		return err
	}
	ps, pg, err := h.DB.MunicipalityPlacements(r.Context(), a, f)
	return writePage(w, "placements", ps, pg, err)
}

func (h *Handler) employerPlacements(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	f, err := placementFilter(r)
	if err != nil {
		return err
	}
	ps, pg, err := h.DB.EmployerPlacements(r.Context(), a, f)
	return writePage(w, "placements", ps, pg, err)
}

// placementFilter reads status, q and the paging of a placements list.
func placementFilter(r *http.Request) (store.PlacementFilter, error) {
	p, err := listPaging(r)
	return store.PlacementFilter{Status: flex.PlacementStatus(r.URL.Query().Get("status")), Query: r.URL.Query().Get("q"), Paging: p}, err
}

func (h *Handler) portalPlacements(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	ps, err := h.DB.PortalPlacements(r.Context(), a)
	return reply(w, http.StatusOK, map[string]any{"placements": ps}, err)
}

func (h *Handler) placement(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	p, err := h.DB.FindPlacement(r.Context(), a, r.PathValue("id"))
	return reply(w, http.StatusOK, p, err)
}

func (h *Handler) answerPlacement(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	var in struct {
		Accept *bool `json:"accept" validate:"required"`
	}
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	if in.Accept == nil {
		return opstap.FieldError("accept", "choose to accept or decline")
	}
	p, err := h.DB.AnswerPlacement(r.Context(), a, r.PathValue("id"), *in.Accept)
	return reply(w, http.StatusOK, p, err)
}

func (h *Handler) confirmPlacement(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	p, err := h.DB.ConfirmPlacement(r.Context(), a, r.PathValue("id"), render.PlacementPDFs)
	return reply(w, http.StatusOK, p, err)
}

func (h *Handler) cancelPlacement(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.noContent(w, h.DB.CancelPlacement(r.Context(), a, r.PathValue("id")))
}

func (h *Handler) placementHours(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	var in flex.HoursPeriod
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	return h.noContent(w, h.DB.ChangePlacementHours(r.Context(), a, r.PathValue("id"), in))
}

func (h *Handler) placementExtension(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	var in struct {
		flex.Extension
		ExtendLastDay bool `json:"extend_last_day" validate:"required"`
	}
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	return h.noContent(w, h.DB.ApproveExtension(r.Context(), a, r.PathValue("id"), in.Extension, in.ExtendLastDay))
}

func (h *Handler) endPlacement(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	var in flex.PlacementEnd
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	return h.noContent(w, h.DB.EndPlacement(r.Context(), a, r.PathValue("id"), in))
}

// reply writes v as JSON with status, unless err is set.
func reply(w http.ResponseWriter, status int, v any, err error) error {
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, status, v)
	return nil
}
