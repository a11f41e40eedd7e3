package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/api"
	"github.com/opstap/opstap/internal/download"
	"github.com/opstap/opstap/internal/httpx"
	"github.com/opstap/opstap/internal/invoice"
	"github.com/opstap/opstap/internal/render"
	"github.com/opstap/opstap/internal/store"
)

func init() {
	registrars = append(registrars, (*Handler).registerInvoices)
	addNav(navItem{Order: 40, Href: "/finance/invoicing", Label: "Invoicing", Caps: []access.Capability{access.ManageFinance}})
	addNav(navItem{Order: 41, Href: "/invoices", Label: "Invoices", Caps: []access.Capability{access.ManageFinance, access.ReadOwnInvoices}})
}

func (h *Handler) registerInvoices(mux *http.ServeMux) {
	mux.HandleFunc("GET /finance/invoicing", h.authed(h.invoicingPage))
	mux.HandleFunc("POST /finance/invoicing/{month}", h.authed(h.issueMonth))
	mux.HandleFunc("GET /invoices", h.authed(h.invoicesPage))
	mux.HandleFunc("GET /invoices/{id}", h.authed(h.invoicePage))
	mux.HandleFunc("GET /invoices/{id}/pdf", h.authed(download.Files{DB: h.DB}.Invoice("pdf")))
	mux.HandleFunc("GET /invoices/{id}/ubl", h.authed(download.Files{DB: h.DB}.Invoice("xml")))
	mux.HandleFunc("POST /invoices/{id}/payment", h.authed(h.invoicePayment))
	mux.HandleFunc("POST /invoices/{id}/credit-note", h.authed(h.invoiceCredit))
	mux.HandleFunc("POST /invoices/{id}/reissue", h.authed(h.invoiceReissue))
}

type invoicingData struct {
	M     *store.InvoiceMonth
	Month opstap.Month
	Prev  opstap.Month
	Next  opstap.Month
}

// monthQuery reads ?month=, by default last month: the month to invoice.
func (h *Handler) monthQuery(r *http.Request) (opstap.Month, error) {
	v := r.URL.Query().Get("month")
	if v == "" {
		return opstap.MonthOf(opstap.DateOf(h.DB.Now())).Add(-1), nil
	}
	m, err := opstap.ParseMonth(v)
	if err != nil {
		return m, opstap.FieldError("month", "not a valid month")
	}
	return m, nil
}

// invoicingPage is finance's month: per municipality the revenue, the fee
// and the invoices to issue or issued, with the button that issues them.
func (h *Handler) invoicingPage(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.renderInvoicing(w, r, http.StatusOK, h.newPage(r, "Invoicing"))
}

func (h *Handler) renderInvoicing(w http.ResponseWriter, r *http.Request, status int, p *page) error {
	m, err := h.monthQuery(r)
	if err != nil {
		return err
	}
	im, err := h.DB.FinanceMonth(r.Context(), httpx.AuthFrom(r).Actor, m)
	if err != nil {
		return err
	}
	p.Data = invoicingData{M: im, Month: m, Prev: m.Add(-1), Next: m.Next()}
	return h.render(w, r, status, "invoicing", p)
}

func (h *Handler) issueMonth(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	if err := parseForm(r); err != nil {
		return err
	}
	m, err := opstap.ParseMonth(r.PathValue("month"))
	if err != nil {
		return opstap.Errorf(opstap.ENOTFOUND, "page not found")
	}
	issued, err := h.DB.IssueMonth(r.Context(), a, m, render.InvoiceFiles)
	to := "/finance/invoicing?month=" + m.String()
	if err != nil {
		r.URL.RawQuery = "month=" + m.String()
		return h.afterPost(w, r, err, to, "", "Invoicing", h.renderInvoicing)
	}
	msg := "No invoices were due: nothing was issued."
	if len(issued) > 0 {
		msg = "The month's invoices are issued."
	}
	h.redirect(w, r, to, i18nT(r, msg))
	return nil
}

// invoiceReissue credits a stale invoice and issues the month's invoice as
// it now stands, from the month page (its month in the form).
func (h *Handler) invoiceReissue(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	if err := parseForm(r); err != nil {
		return err
	}
	m, err := opstap.ParseMonth(r.PostFormValue("month"))
	if err != nil {
		return opstap.FieldError("month", "not a valid month")
	}
	out, err := h.DB.ReissueInvoice(r.Context(), a, r.PathValue("id"), render.InvoiceFiles)
	to := "/finance/invoicing?month=" + m.String()
	if err != nil {
		r.URL.RawQuery = "month=" + m.String()
		return h.afterPost(w, r, err, to, "", "Invoicing", h.renderInvoicing)
	}
	msg := i18nT(r, "Credited with %s; the month bills nothing more.")
	args := []any{out.CreditNote.Number}
	if out.Invoice != nil {
		msg = i18nT(r, "Credited with %s and reissued as %s.")
		args = append(args, out.Invoice.Number)
	}
	h.redirect(w, r, to, fmt.Sprintf(msg, args...))
	return nil
}

type invoicesData struct {
	Invoices []store.InvoiceSummary
	Filter   store.InvoiceFilter
	Finance  bool
	Kinds    []invoice.Kind
	Statuses []string
	List     *listView
}

// invoicesPage lists the invoices a page at a time, filtered on month,
// municipality, kind and status.
func (h *Handler) invoicesPage(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	p := h.newPage(r, "Invoices")
	q := r.URL.Query()
	f, err := api.InvoiceFilter(r)
	l, lerr := newList("/invoices", q, "month", "municipality", "kind", "status", "sort")
	l.Sorts = choices(q, "sort", []string{store.SortNewest, store.SortOldest}, func(s string) string { return p.L("sort", s) })
	d := invoicesData{Filter: f, Finance: access.Can(a, access.ManageFinance), List: l,
		Kinds: []invoice.Kind{invoice.Employer, invoice.Municipality, invoice.CreditNote}, Statuses: []string{"open", "paid", "credit"}}
	f.Paging = l.paging(q.Get("sort"))
	d.Invoices, err = rowsOf(l, p.Lang, errors.Join(err, lerr), func() ([]store.InvoiceSummary, store.Page, error) { return h.DB.Invoices(r.Context(), a, f) })
	p.Data = d
	return h.renderList(w, r, p, "invoices", err)
}

type invoiceData struct {
	Invoice *invoice.Invoice
	Summary *store.InvoiceSummary
	Finance bool
	Today   opstap.Date
}

func (h *Handler) invoicePage(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.renderInvoice(w, r, http.StatusOK, h.newPage(r, "Invoice"))
}

func (h *Handler) renderInvoice(w http.ResponseWriter, r *http.Request, status int, p *page) error {
	a := httpx.AuthFrom(r).Actor
	inv, sum, err := h.DB.Invoice(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	p.Title = p.T("Invoice %s", inv.Number)
	if inv.Kind == invoice.CreditNote {
		p.Title = p.T("Credit note %s", inv.Number)
	}
	p.Data = invoiceData{Invoice: inv, Summary: sum, Finance: access.Can(a, access.ManageFinance), Today: opstap.DateOf(h.DB.Now())}
	return h.render(w, r, status, "invoice", p)
}

func (h *Handler) invoicePayment(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	if err := parseForm(r); err != nil {
		return err
	}
	id := r.PathValue("id")
	paid, err := opstap.ParseDate(r.PostFormValue("paid_on"))
	if err != nil {
		err = opstap.FieldError("paid_on", "not a valid date")
	} else if err = h.DB.RecordPayment(r.Context(), a, id, paid); opstap.AsError(err) != nil && opstap.AsError(err).Field == "paid_on" {
		e := *opstap.AsError(err)
		e.Field = "paid_on"
		err = &e
	}
	return h.afterPost(w, r, err, "/invoices/"+url.PathEscape(id), "The payment is recorded.", "Invoice", h.renderInvoice)
}

func (h *Handler) invoiceCredit(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	if err := parseForm(r); err != nil {
		return err
	}
	cn, err := h.DB.CreditInvoice(r.Context(), a, r.PathValue("id"), r.PostFormValue("reason"), render.InvoiceFiles)
	to := "/invoices/" + url.PathEscape(r.PathValue("id"))
	if err == nil {
		to = "/invoices/" + url.PathEscape(cn.ID)
	}
	return h.afterPost(w, r, err, to, "The credit note is issued.", "Invoice", h.renderInvoice)
}
