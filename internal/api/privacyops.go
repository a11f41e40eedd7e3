package api

import (
	"net/http"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/download"
	"github.com/opstap/opstap/internal/httpx"
	"github.com/opstap/opstap/internal/privacy"
	"github.com/opstap/opstap/internal/store"
)

func init() { routeGroups = append(routeGroups, (*Handler).privacyOpsRoutes) }

// privacyOpsRoutes: access reviews [003 bewerkers art 5], the breach
// register [AVG art 33/34], the records of processing [AVG art 30] and a
// commissioner's audit package [003 bewerkers art 3].
func (h *Handler) privacyOpsRoutes() []route {
	return []route{
		{"GET /api/v1/privacy/reviews", h.authed(h.reviews)},
		{"POST /api/v1/privacy/reviews/{id}/reattest", h.authed(h.reattest)},
		{"POST /api/v1/privacy/reviews/{id}/block", h.authed(h.reviewBlock)},
		{"GET /api/v1/privacy/breaches", h.authed(h.breaches)},
		{"POST /api/v1/privacy/breaches", h.authed(h.createBreach)},
		{"GET /api/v1/privacy/breaches/{id}", h.authed(h.breach)},
		{"PUT /api/v1/privacy/breaches/{id}", h.authed(h.updateBreach)},
		{"POST /api/v1/privacy/breaches/{id}/candidates", h.authed(h.addBreachCandidates)},
		{"POST /api/v1/privacy/breaches/{id}/controllers/{org}/informed", h.authed(h.controllerInformed)},
		{"GET /api/v1/privacy/breaches/{id}/assessment", h.authed(h.breachAssessment)},
		{"GET /api/v1/privacy/processing", h.authed(h.processing)},
		{"GET /api/v1/privacy/processing.pdf", h.authed(download.Files{DB: h.DB}.Processing)},
		{"GET /api/v1/privacy/audit-package/{org}", h.authed(download.Files{DB: h.DB}.AuditPackage)},
	}
}

func (h *Handler) reviews(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	all, err := httpx.QueryBool(r, "all")
	if err != nil {
		return err
	}
	gs, err := h.DB.GrantsForReview(r.Context(), a, all)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"grants": nonNil(gs)})
	return nil
}

func (h *Handler) reattest(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.noContent(w, h.DB.ReattestGrant(r.Context(), a, r.PathValue("id")))
}

func (h *Handler) reviewBlock(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.noContent(w, h.DB.ReviewBlockGrant(r.Context(), a, r.PathValue("id")))
}

// breachJSON is a breach with its clock read now.
type breachJSON struct {
	*store.Breach
	Clock       privacy.BreachClock `json:"clock"`
	SecondsLeft int64               `json:"seconds_left"`
}

func (h *Handler) withClock(b *store.Breach) breachJSON {
	c := b.Clock(h.DB.Now())
	return breachJSON{Breach: b, Clock: c, SecondsLeft: int64(c.Left / time.Second)}
}

func (h *Handler) breaches(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	bs, err := h.DB.FindBreaches(r.Context(), a)
	if err != nil {
		return err
	}
	out := make([]breachJSON, len(bs))
	for i, b := range bs {
		out[i] = h.withClock(b)
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"breaches": out})
	return nil
}

func (h *Handler) breach(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	b, err := h.DB.FindBreach(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, h.withClock(b))
	return nil
}

// saveBreach decodes a breach and stores it with save.
func (h *Handler) saveBreach(w http.ResponseWriter, r *http.Request, status int, save func(privacy.BreachInput) (*store.Breach, error)) error {
	var in privacy.BreachInput
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	b, err := save(in)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, status, h.withClock(b))
	return nil
}

func (h *Handler) createBreach(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.saveBreach(w, r, http.StatusCreated, func(in privacy.BreachInput) (*store.Breach, error) {
		return h.DB.CreateBreach(r.Context(), a, in)
	})
}

func (h *Handler) updateBreach(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.saveBreach(w, r, http.StatusOK, func(in privacy.BreachInput) (*store.Breach, error) {
		return h.DB.UpdateBreach(r.Context(), a, r.PathValue("id"), in)
	})
}

func (h *Handler) addBreachCandidates(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	var in struct {
		CandidateIDs []string `json:"candidate_ids" validate:"required,items=1000,max=64"`
	}
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	n, err := h.DB.AddBreachCandidates(r.Context(), a, r.PathValue("id"), in.CandidateIDs)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]int{"added": n})
	return nil
}

func (h *Handler) controllerInformed(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.noContent(w, h.DB.MarkControllerInformed(r.Context(), a, r.PathValue("id"), r.PathValue("org")))
}

// breachAssessment: from and to are RFC 3339 moments.
func (h *Handler) breachAssessment(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	q := r.URL.Query()
	var t [2]time.Time
	for i, f := range []string{"from", "to"} {
		v, err := time.Parse(time.RFC3339, q.Get(f))
		if err != nil {
			return opstap.FieldError(f, "not a valid date and time")
		}
		t[i] = v
	}
	cs, err := h.DB.BreachAssessment(r.Context(), a, r.PathValue("id"), q.Get("account"), t[0], t[1])
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"candidates": cs})
	return nil
}

func (h *Handler) processing(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	rec, err := h.DB.RecordsOfProcessing(r.Context(), a)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, rec)
	return nil
}
