package api

import (
	"net/http"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/httpx"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/trajectory"
)

func init() { routeGroups = append(routeGroups, (*Handler).trajectoryRoutes) }

// trajectoryRoutes: trajectories and the cooperation rules (DOMAIN.md §2,
// seed 000 arts 7–11). The rules are enforced in the store; these handlers
// only decode and encode.
func (h *Handler) trajectoryRoutes() []route {
	return []route{
		{"GET /api/v1/candidates/{id}/trajectories", h.authed(h.candidateTrajectories)},
		{"POST /api/v1/candidates/{id}/trajectories", h.authed(h.createTrajectory)},
		{"GET /api/v1/trajectories/{id}", h.authed(h.trajectory)},
		{"POST /api/v1/trajectories/{id}/transitions", h.authed(h.transition)},
		{"POST /api/v1/trajectories/{id}/coach", h.authed(h.reassignCoach)},
		{"GET /api/v1/trajectories/{id}/appointments", h.authed(h.appointments)},
		{"POST /api/v1/trajectories/{id}/appointments", h.authed(h.addAppointment)},
		{"POST /api/v1/appointments/{id}/absence", h.authed(h.staffAbsence)},
		{"POST /api/v1/trajectories/{id}/noncompliance", h.authed(h.recordNoncompliance)},
		{"POST /api/v1/noncompliance/{id}/steps", h.authed(h.noncomplianceStep)},
		{"POST /api/v1/trajectories/{id}/suspension-talks", h.authed(h.suspensionTalk)},
		{"GET /api/v1/portal/trajectory", h.authed(h.portalTrajectory)},
		{"POST /api/v1/portal/appointments/{id}/absence", h.authed(h.portalAbsence)},
		{"POST /api/v1/portal/trajectories/{id}/end", h.authed(h.portalEnd)},
	}
}

// trajCreated answers a create with 201 and the created value.
func trajCreated(w http.ResponseWriter, v any, err error) error {
	if err == nil {
		httpx.WriteJSON(w, http.StatusCreated, v)
	}
	return err
}

func (h *Handler) candidateTrajectories(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	ts, err := h.DB.CandidateTrajectories(r.Context(), a, r.PathValue("id"), store.PurposeGuidance, statedReason(r))
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"trajectories": nonNil(ts)})
	return nil
}

func (h *Handler) createTrajectory(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	var in store.NewTrajectory
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	t, err := h.DB.CreateTrajectory(r.Context(), a, r.PathValue("id"), in)
	return trajCreated(w, t, err)
}

func (h *Handler) trajectory(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	t, err := h.DB.FindTrajectory(r.Context(), a, r.PathValue("id"), store.PurposeGuidance, statedReason(r))
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, t)
	return nil
}

func (h *Handler) transition(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	var in trajectory.Request
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	return h.noContent(w, h.DB.Transition(r.Context(), a, r.PathValue("id"), in))
}

func (h *Handler) reassignCoach(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	var in struct {
		CoachUserID string `json:"coach_user_id" validate:"required,max=64"`
	}
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	return h.noContent(w, h.DB.ReassignCoach(r.Context(), a, r.PathValue("id"), in.CoachUserID))
}

func (h *Handler) appointments(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	t, err := h.DB.FindTrajectory(r.Context(), a, r.PathValue("id"), store.PurposeGuidance, statedReason(r))
	if err != nil {
		return err
	}
	if !t.Full {
		return opstap.Errorf(opstap.EFORBIDDEN, "this role has no access to this data category")
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"appointments": nonNil(t.Appointments)})
	return nil
}

func (h *Handler) addAppointment(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	// The server sets the ID and records absences, so a new appointment
	// takes only these.
	var in struct {
		StartsAt time.Time                  `json:"starts_at" validate:"required"`
		Kind     trajectory.AppointmentKind `json:"kind" validate:"required,max=50"`
		Location string                     `json:"location" validate:"required,max=2000"`
	}
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	ap, err := h.DB.AddAppointment(r.Context(), a, r.PathValue("id"), trajectory.Appointment{StartsAt: in.StartsAt, Kind: in.Kind, Location: in.Location})
	return trajCreated(w, ap, err)
}

// trajAbsenceReport is the body of an absence report [000 art 8].
type trajAbsenceReport struct {
	Reason string `json:"reason" validate:"required,max=2000"`
}

func (h *Handler) trajAbsence(w http.ResponseWriter, r *http.Request, a *opstap.Actor, byCandidate bool) error {
	var in trajAbsenceReport
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	ab, err := h.DB.ReportAbsence(r.Context(), a, r.PathValue("id"), in.Reason, byCandidate)
	return trajCreated(w, ab, err)
}

func (h *Handler) staffAbsence(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.trajAbsence(w, r, a, false)
}

func (h *Handler) portalAbsence(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.trajAbsence(w, r, a, true)
}

func (h *Handler) recordNoncompliance(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	var in store.NewNoncompliance
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	c, err := h.DB.RecordNoncompliance(r.Context(), a, r.PathValue("id"), in)
	return trajCreated(w, c, err)
}

func (h *Handler) noncomplianceStep(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	var in struct {
		Step     trajectory.Step    `json:"step" validate:"required,max=50"`
		Deadline opstap.Date        `json:"deadline"`
		Measure  trajectory.Measure `json:"measure" validate:"max=50"`
		Note     string             `json:"note" validate:"max=2000"`
	}
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	s := trajectory.StepRecord{Step: in.Step, Deadline: in.Deadline, Measure: in.Measure, Note: in.Note}
	return h.noContent(w, h.DB.RecordNoncomplianceStep(r.Context(), a, r.PathValue("id"), s))
}

func (h *Handler) suspensionTalk(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	var in trajectory.Talk
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	k, err := h.DB.RecordSuspensionTalk(r.Context(), a, r.PathValue("id"), in)
	return trajCreated(w, k, err)
}

func (h *Handler) portalTrajectory(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	id, ts, err := h.DB.PortalTrajectories(r.Context(), a)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"candidate_id": id, "trajectories": nonNil(ts), "benefit_warning": trajectory.BenefitWarning})
	return nil
}

func (h *Handler) portalEnd(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	var in trajectory.CandidateEnd
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	return h.noContent(w, h.DB.EndParticipation(r.Context(), a, r.PathValue("id"), in))
}
