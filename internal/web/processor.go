package web

import (
	"net/http"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/httpx"
	"github.com/opstap/opstap/internal/privacy"
	"github.com/opstap/opstap/internal/store"
)

func init() {
	registrars = append(registrars, (*Handler).registerProcessor)
	addNav(navItem{Order: 89, Href: "/privacy/processor", Label: "Processor duties", Roles: []opstap.Role{opstap.RolePrivacyOfficer}})
}

// registerProcessor adds the privacy officer's page of the processor
// duties [003 bewerkersovereenkomst]: sub-processors, the audit schedule
// per commissioner, contracts and what happened at their end.
func (h *Handler) registerProcessor(mux *http.ServeMux) {
	mux.HandleFunc("GET /privacy/processor", h.authed(h.processorPage))
	for path, do := range map[string]func(*http.Request, *opstap.Actor) (string, error){
		"/privacy/processor/sub-processors": h.saveSubProcessor, "/privacy/processor/audits": h.recordAudit, "/privacy/processor/contracts": h.setContract,
	} {
		mux.HandleFunc("POST "+path, h.authed(h.formPost("Processor duties", h.renderProcessor, func(r *http.Request, a *opstap.Actor) (string, string, error) {
			done, err := do(r, a)
			return "/privacy/processor", done, err
		})))
	}
}

type processorData struct {
	SubProcessors []store.SubProcessor
	Duties        []store.CommissionerDuties
	Today         string
}

func (h *Handler) processorPage(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.renderProcessor(w, r, http.StatusOK, h.newPage(r, "Processor duties"))
}

func (h *Handler) renderProcessor(w http.ResponseWriter, r *http.Request, status int, p *page) error {
	a := httpx.AuthFrom(r).Actor
	var d processorData
	var err error
	if d.SubProcessors, err = h.DB.FindSubProcessors(r.Context(), a); err == nil {
		d.Duties, err = h.DB.ProcessorDuties(r.Context(), a)
	}
	if err != nil {
		return err
	}
	d.Today = opstap.DateOf(h.DB.Now()).String()
	p.Data = d
	return h.render(w, r, status, "processor", p)
}

func (h *Handler) saveSubProcessor(r *http.Request, a *opstap.Actor) (string, error) {
	s := privacy.SubProcessor{Name: r.PostFormValue("name"), Purpose: r.PostFormValue("purpose"), Location: r.PostFormValue("location")}
	if err := formDate(r, "since", &s.Since); err != nil {
		return "", err
	}
	if err := formDate(r, "until", &s.Until); err != nil {
		return "", err
	}
	_, err := h.DB.SaveSubProcessor(r.Context(), a, r.PostFormValue("id"), s)
	return "Sub-processor saved.", err
}

func (h *Handler) recordAudit(r *http.Request, a *opstap.Actor) (string, error) {
	var on opstap.Date
	if err := formDate(r, "audited_on", &on); err != nil {
		return "", err
	}
	return "Audit recorded.", h.DB.RecordProcessorAudit(r.Context(), a, r.PostFormValue("org_id"), on, r.PostFormValue("auditor"), r.PostFormValue("findings"))
}

func (h *Handler) setContract(r *http.Request, a *opstap.Actor) (string, error) {
	var c privacy.Contract
	if err := formDate(r, "started_on", &c.StartedOn); err != nil {
		return "", err
	}
	if err := formDate(r, "ended_on", &c.EndedOn); err != nil {
		return "", err
	}
	return "Contract saved.", h.DB.SetContract(r.Context(), a, r.PostFormValue("org_id"), c)
}
