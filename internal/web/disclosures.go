package web

import (
	"net/http"
	"slices"
	"strings"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/candidate"
	"github.com/opstap/opstap/internal/httpx"
	"github.com/opstap/opstap/internal/privacy"
	"github.com/opstap/opstap/internal/store"
)

func init() {
	registrars = append(registrars, (*Handler).registerDisclosures)
	addNav(navItem{Order: 88, Href: "/privacy/disclosures", Label: "Disclosures required by law", Roles: []opstap.Role{opstap.RolePrivacyOfficer}})
}

// registerDisclosures adds the register of disclosures required by law
// [000 art 6; 003 bewerkers art 4.2]; the candidate's view is part of the
// portal's access page.
func (h *Handler) registerDisclosures(mux *http.ServeMux) {
	mux.HandleFunc("GET /privacy/disclosures", h.authed(h.disclosuresPage))
	mux.HandleFunc("POST /privacy/disclosures", h.authed(h.formPost("Disclosures required by law", h.renderDisclosures, h.recordDisclosure)))
	mux.HandleFunc("GET /privacy/disclosures/{id}", h.authed(h.disclosurePage))
	mux.HandleFunc("POST /privacy/disclosures/{id}/informed", h.authed(h.formPost("Disclosure required by law", h.renderDisclosure, h.disclosureInformed)))
}

type disclosuresData struct {
	Disclosures []*store.Disclosure
	Categories  []opstap.Category
	Grounds     []privacy.AVGGround
	Query       string
	Found       []*candidate.Candidate
	Today       string
	checked     []string
}

// Checked reports whether the form being redisplayed chose category c.
func (d disclosuresData) Checked(c opstap.Category) bool {
	return slices.Contains(d.checked, string(c))
}

func (h *Handler) disclosuresPage(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	p := h.newPage(r, "Disclosures required by law")
	p.Form = r.URL.Query()
	return h.renderDisclosures(w, r, http.StatusOK, p)
}

func (h *Handler) renderDisclosures(w http.ResponseWriter, r *http.Request, status int, p *page) error {
	a := httpx.AuthFrom(r).Actor
	xs, err := h.DB.FindDisclosures(r.Context(), a)
	if err != nil {
		return err
	}
	d := disclosuresData{Disclosures: xs, Categories: opstap.Categories, Grounds: privacy.AVGGrounds, Query: strings.TrimSpace(p.Form.Get("q")),
		Today: opstap.DateOf(h.DB.Now()).String(), checked: p.Form["categories"]}
	if d.Query != "" {
		// As on the breach page: a logged read of basic data, to find whom
		// the disclosure was about.
		if d.Found, err = h.DB.FindCandidates(r.Context(), a, store.CandidateFilter{Query: d.Query, Limit: 20}); err != nil {
			p.setError(err)
		}
	}
	p.Data = d
	return h.render(w, r, status, "disclosures", p)
}

func disclosureFromForm(r *http.Request) (privacy.Disclosure, error) {
	if err := parseForm(r); err != nil {
		return privacy.Disclosure{}, err
	}
	in := privacy.Disclosure{Requester: r.PostFormValue("requester"), Contact: r.PostFormValue("contact"), LegalBasis: r.PostFormValue("legal_basis"),
		Ground: privacy.AVGGround(r.PostFormValue("avg_ground")), Verification: r.PostFormValue("verification"), Description: r.PostFormValue("description"),
		ControllerNotInformed: r.PostFormValue("controller_not_informed"), CandidateWithheld: r.PostFormValue("candidate_withheld")}
	for _, c := range r.PostForm["categories"] {
		in.Categories = append(in.Categories, opstap.Category(c))
	}
	for _, f := range []struct {
		name string
		dst  *opstap.Date
	}{{"disclosed_on", &in.DisclosedOn}, {"controller_informed_on", &in.ControllerInformedOn}, {"candidate_informed_on", &in.CandidateInformedOn}} {
		if err := formDate(r, f.name, f.dst); err != nil {
			return in, err
		}
	}
	return in, nil
}

func (h *Handler) recordDisclosure(r *http.Request, a *opstap.Actor) (string, string, error) {
	in, err := disclosureFromForm(r)
	id := r.PostFormValue("candidate_id")
	if err == nil && id == "" {
		err = opstap.FieldError("candidate_id", "choose the candidate the disclosure was about")
	}
	if err != nil {
		return "", "", err
	}
	x, err := h.DB.RecordDisclosure(r.Context(), a, id, in)
	if err != nil {
		return "", "", err
	}
	return "/privacy/disclosures/" + x.ID, "Disclosure recorded.", nil
}

func (h *Handler) disclosurePage(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.renderDisclosure(w, r, http.StatusOK, h.newPage(r, "Disclosure required by law"))
}

func (h *Handler) renderDisclosure(w http.ResponseWriter, r *http.Request, status int, p *page) error {
	x, err := h.DB.FindDisclosure(r.Context(), httpx.AuthFrom(r).Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	p.Data = map[string]any{"D": x, "Today": opstap.DateOf(h.DB.Now()).String()}
	return h.render(w, r, status, "disclosure", p)
}

func (h *Handler) disclosureInformed(r *http.Request, a *opstap.Actor) (string, string, error) {
	var on opstap.Date
	err := formDate(r, "on", &on)
	if err == nil {
		_, err = h.DB.InformOfDisclosure(r.Context(), a, r.PathValue("id"), on)
	}
	return "/privacy/disclosures/" + r.PathValue("id"), "Recorded that the candidate was informed.", err
}
