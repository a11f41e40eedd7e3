package web

import (
	"net/http"
	"strconv"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/flex"
	"github.com/opstap/opstap/internal/httpx"
	"github.com/opstap/opstap/internal/i18n"
	"github.com/opstap/opstap/internal/matching"
)

func init() {
	registrars = append(registrars, (*Handler).registerFlexSettings)
	addNav(navItem{Order: 33, Href: "/flex/settings", Label: "Flex settings", Roles: []opstap.Role{opstap.RoleCaseManager}})
}

func (h *Handler) registerFlexSettings(mux *http.ServeMux) {
	mux.HandleFunc("GET /flex/settings", h.authed(h.flexSettings))
	mux.HandleFunc("POST /flex/settings", h.authed(h.saveFlexSettings))
}

// weightFields names the matching weights on the form, in the engine's
// criterion order.
var weightFields = []string{"occupation", "skills", "experience", "distance", "time_on_benefit", "preference"}

func weightPtrs(w *matching.Weights) []*float64 {
	return []*float64{&w.Occupation, &w.Skills, &w.Experience, &w.Distance, &w.TimeOnBenefit, &w.Preference}
}

// municipalityCBS is the CBS code of the actor's municipality.
func (h *Handler) municipalityCBS(r *http.Request, a *opstap.Actor) (string, error) {
	orgs, err := h.DB.FindOrganisations(r.Context())
	if err != nil {
		return "", err
	}
	for _, o := range orgs {
		if o.ID == a.OrgID && o.Kind == opstap.OrgMunicipality {
			return o.CBSCode, nil
		}
	}
	return "", opstap.Errorf(opstap.EFORBIDDEN, "you are not allowed to do this")
}

func (h *Handler) flexSettingsPage(w http.ResponseWriter, r *http.Request, status int, p *page, s *flex.Settings) error {
	a := httpx.AuthFrom(r).Actor
	cbs, err := h.municipalityCBS(r, a)
	if err != nil {
		return err
	}
	cur, err := h.DB.FlexSettings(r.Context(), cbs)
	if err != nil {
		return err
	}
	if s == nil { // the form starts from the stored weights
		for i, f := range weightFields {
			p.Form.Set(f, strconv.FormatFloat(*weightPtrs(&cur.Weights)[i], 'f', -1, 64))
		}
	}
	p.Data = flexSettingsData{Fields: weightFields, Rate: opstap.Cents(cur.HourlyRateCents)}
	return h.render(w, r, status, "flex_settings", p)
}

func (h *Handler) flexSettings(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.flexSettingsPage(w, r, http.StatusOK, h.newPage(r, "Flex settings"), nil)
}

func (h *Handler) saveFlexSettings(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	cbs, err := h.municipalityCBS(r, a)
	s := flex.Settings{Municipality: cbs}
	if err == nil {
		err = settingsFromForm(r, &s)
	}
	if err == nil {
		err = h.DB.SetFlexSettings(r.Context(), a, s)
	}
	if err != nil {
		p := h.formPage(r, "Flex settings", err)
		return h.flexSettingsPage(w, r, httpx.Status(err), p, &s)
	}
	h.redirect(w, r, "/flex/settings", i18n.T(httpx.Lang(r), "Saved."))
	return nil
}

// flexSettingsData is the settings page: the weights' fields and the
// default hourly rate from the contract terms, read-only.
type flexSettingsData struct {
	Fields []string
	Rate   opstap.Cents
}

// settingsFromForm reads the weights.
func settingsFromForm(r *http.Request, s *flex.Settings) error {
	for i, f := range weightFields {
		v, err := strconv.ParseFloat(r.PostFormValue(f), 64)
		if err != nil {
			return opstap.FieldError(f, "enter a number")
		}
		*weightPtrs(&s.Weights)[i] = v
	}
	return nil
}
