package api

import (
	"errors"
	"net/http"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/flex"
	"github.com/opstap/opstap/internal/httpx"
	"github.com/opstap/opstap/internal/matching"
	"github.com/opstap/opstap/internal/store"
)

func init() { routeGroups = append(routeGroups, (*Handler).flexRoutes) }

// flexRoutes: client employers, assignments with the displacement check,
// flex profiles and matching (issue 5; DOMAIN.md §5, seed 003).
func (h *Handler) flexRoutes() []route {
	return []route{
		{"GET /api/v1/employers", h.authed(h.employers)},
		{"POST /api/v1/employers", h.authed(h.createEmployer)},
		{"POST /api/v1/employers/{id}/locations", h.authed(h.addLocation)},
		{"GET /api/v1/assignments", h.authed(h.assignments)},
		{"POST /api/v1/assignments", h.authed(h.createAssignment)},
		{"GET /api/v1/assignments/{id}", h.authed(h.assignment)},
		{"PUT /api/v1/assignments/{id}", h.authed(h.updateAssignment)},
		{"POST /api/v1/assignments/{id}/displacement-check", h.authed(h.displacementCheck)},
		{"POST /api/v1/assignments/{id}/status", h.authed(h.assignmentStatus)},
		{"GET /api/v1/assignments/{id}/matches", h.authed(h.matches)},
		{"GET /api/v1/assignments/{id}/matches/{candidate}", h.authed(h.match)},
		{"GET /api/v1/candidates/{id}/flex", h.authed(h.flexProfile)},
		{"PUT /api/v1/candidates/{id}/flex", h.authed(h.saveFlexProfile)},
		{"POST /api/v1/candidates/{id}/flex/flags", h.authed(h.flexFlag)},
		{"GET /api/v1/candidates/{id}/flex/assignments", h.authed(h.flexAssignments)},
		{"GET /api/v1/flex/settings", h.authed(h.flexSettings)},
		{"PUT /api/v1/flex/settings", h.authed(h.setFlexSettings)},
	}
}

func (h *Handler) employers(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	es, err := h.DB.FindEmployers(r.Context(), a)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"employers": nonNil(es)})
	return nil
}

func (h *Handler) createEmployer(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	var e flex.Employer
	if err := httpx.DecodeJSON(w, r, &e); err != nil {
		return err
	}
	out, err := h.DB.CreateEmployer(r.Context(), a, e)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusCreated, out)
	return nil
}

func (h *Handler) addLocation(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	var l flex.Location
	if err := httpx.DecodeJSON(w, r, &l); err != nil {
		return err
	}
	out, err := h.DB.AddLocation(r.Context(), a, r.PathValue("id"), l)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusCreated, out)
	return nil
}

func (h *Handler) assignments(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	status, err := httpx.QueryEnum(r, "status", flex.Statuses)
	p, perr := listPaging(r)
	if err := errors.Join(err, perr); err != nil {
		return err
	}
	as, pg, err := h.DB.FindAssignments(r.Context(), a, store.AssignmentFilter{Status: status, Query: r.URL.Query().Get("q"), Paging: p})
	return writePage(w, "assignments", as, pg, err)
}

func (h *Handler) createAssignment(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	var in flex.Assignment
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	out, err := h.DB.CreateAssignment(r.Context(), a, in)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusCreated, out)
	return nil
}

func (h *Handler) assignment(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	out, err := h.DB.FindAssignment(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, out)
	return nil
}

func (h *Handler) updateAssignment(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	var in flex.Assignment
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	out, err := h.DB.UpdateAssignment(r.Context(), a, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, out)
	return nil
}

func (h *Handler) displacementCheck(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	var c flex.DisplacementCheck
	if err := httpx.DecodeJSON(w, r, &c); err != nil {
		return err
	}
	out, err := h.DB.RecordDisplacementCheck(r.Context(), a, r.PathValue("id"), c)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, out)
	return nil
}

func (h *Handler) assignmentStatus(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	var in struct {
		Status flex.Status `json:"status" validate:"required,max=10"`
	}
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	out, err := h.DB.SetAssignmentStatus(r.Context(), a, r.PathValue("id"), in.Status)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, out)
	return nil
}

// MaxMatches is the most candidates one ranking request returns.
const MaxMatches = 1000

func (h *Handler) matches(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	k, err := httpx.QueryInt(r, "k", matching.DefaultK, 1, MaxMatches)
	if err != nil {
		return err
	}
	out, err := h.DB.RankCandidates(r.Context(), a, r.PathValue("id"), k)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, out)
	return nil
}

func (h *Handler) match(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	out, err := h.DB.ExplainMatch(r.Context(), a, r.PathValue("id"), r.PathValue("candidate"))
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, out)
	return nil
}

func (h *Handler) flexProfile(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	out, err := h.DB.FlexProfile(r.Context(), a, r.PathValue("id"), store.PurposeMatching, statedReason(r))
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, out)
	return nil
}

func (h *Handler) saveFlexProfile(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	var p flex.Profile
	if err := httpx.DecodeJSON(w, r, &p); err != nil {
		return err
	}
	out, err := h.DB.SaveFlexProfile(r.Context(), a, r.PathValue("id"), p)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, out)
	return nil
}

func (h *Handler) flexFlag(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	var in struct {
		Flag access.Flag `json:"flag" validate:"required,max=20"`
		On   bool        `json:"on" validate:"required"`
	}
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	if err := h.DB.SetFlexFlag(r.Context(), a, r.PathValue("id"), in.Flag, in.On); err != nil {
		return err
	}
	return h.flexProfile(w, r, a)
}

func (h *Handler) flexAssignments(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	out, err := h.DB.RankAssignmentsFor(r.Context(), a, r.PathValue("id"), statedReason(r))
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, out)
	return nil
}

// flexSettings returns the settings of the case manager's municipality.
func (h *Handler) flexSettings(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	cbs, err := h.DB.ActorMunicipality(r.Context(), a)
	if err != nil {
		return err
	}
	if cbs == "" {
		return opstap.Errorf(opstap.EFORBIDDEN, "you are not allowed to do this")
	}
	s, err := h.DB.FlexSettings(r.Context(), cbs)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, s)
	return nil
}

func (h *Handler) setFlexSettings(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	var s flex.Settings
	if err := httpx.DecodeJSON(w, r, &s); err != nil {
		return err
	}
	cbs, err := h.DB.ActorMunicipality(r.Context(), a)
	if err != nil {
		return err
	}
	s.Municipality = cbs
	if err := h.DB.SetFlexSettings(r.Context(), a, s); err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, s)
	return nil
}
