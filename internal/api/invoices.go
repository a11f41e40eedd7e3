package api

import (
	"errors"
	"net/http"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/download"
	"github.com/opstap/opstap/internal/httpx"
	"github.com/opstap/opstap/internal/invoice"
	"github.com/opstap/opstap/internal/render"
	"github.com/opstap/opstap/internal/store"
)

func init() { routeGroups = append(routeGroups, (*Handler).invoiceRoutes) }

// invoiceRoutes: employer and municipality invoices, credit notes and
// payments (issue 9 items 3, 5 and 8).
func (h *Handler) invoiceRoutes() []route {
	return []route{
		{"GET /api/v1/finance/months/{month}/invoicing", h.authed(h.financeMonth)},
		{"POST /api/v1/finance/months/{month}/invoices", h.authed(h.issueMonth)},
		{"GET /api/v1/invoices", h.authed(h.invoices)},
		{"GET /api/v1/invoices/{id}", h.authed(h.invoice)},
		{"GET /api/v1/invoices/{id}/pdf", h.authed(download.Files{DB: h.DB}.Invoice("pdf"))},
		{"GET /api/v1/invoices/{id}/ubl", h.authed(download.Files{DB: h.DB}.Invoice("xml"))},
		{"POST /api/v1/invoices/{id}/payment", h.authed(h.recordPayment)},
		{"POST /api/v1/invoices/{id}/credit-note", h.authed(h.creditInvoice)},
		{"POST /api/v1/invoices/{id}/reissue", h.authed(h.reissueInvoice)},
		{"GET /api/v1/billing-parties", h.authed(h.billingParties)},
		{"PUT /api/v1/billing-parties/{org}", h.authed(h.setBillingParty)},
	}
}

func (h *Handler) financeMonth(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	m, err := monthParam("month", r.PathValue("month"), opstap.Month{})
	if err != nil {
		return err
	}
	out, err := h.DB.FinanceMonth(r.Context(), a, m)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, out)
	return nil
}

func (h *Handler) issueMonth(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	m, err := monthParam("month", r.PathValue("month"), opstap.Month{})
	if err != nil {
		return err
	}
	out, err := h.DB.IssueMonth(r.Context(), a, m, render.InvoiceFiles)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"issued": out})
	return nil
}

// InvoiceFilter reads the list filters of the API and the pages.
func InvoiceFilter(r *http.Request) (store.InvoiceFilter, error) {
	q := r.URL.Query()
	m, err := monthParam("month", q.Get("month"), opstap.Month{})
	p, perr := listPaging(r)
	f := store.InvoiceFilter{Month: m, Municipality: q.Get("municipality"), Kind: invoice.Kind(q.Get("kind")), Status: q.Get("status"), Paging: p}
	return f, errors.Join(err, perr)
}

func (h *Handler) invoices(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	f, err := InvoiceFilter(r)
	if err != nil {
		return err
	}
	out, pg, err := h.DB.Invoices(r.Context(), a, f)
	return writePage(w, "invoices", out, pg, err)
}

func (h *Handler) invoice(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	inv, sum, err := h.DB.Invoice(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"summary": sum, "invoice": inv})
	return nil
}

func (h *Handler) recordPayment(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	var in struct {
		PaidOn opstap.Date `json:"paid_on" validate:"required"`
	}
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	if err := h.DB.RecordPayment(r.Context(), a, r.PathValue("id"), in.PaidOn); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (h *Handler) creditInvoice(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	var in struct {
		Reason string `json:"reason" validate:"required,max=500"`
	}
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	out, err := h.DB.CreditInvoice(r.Context(), a, r.PathValue("id"), in.Reason, render.InvoiceFiles)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusCreated, out)
	return nil
}

func (h *Handler) reissueInvoice(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	out, err := h.DB.ReissueInvoice(r.Context(), a, r.PathValue("id"), render.InvoiceFiles)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusCreated, out)
	return nil
}

func (h *Handler) billingParties(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	out, err := h.DB.BillingParties(r.Context(), a)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"parties": out})
	return nil
}

func (h *Handler) setBillingParty(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	var p invoice.Party
	if err := httpx.DecodeJSON(w, r, &p); err != nil {
		return err
	}
	if err := h.DB.SetBillingParty(r.Context(), a, r.PathValue("org"), p); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
