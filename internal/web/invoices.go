package web

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
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
	mux.HandleFunc("GET /finance/invoicing", h.requireActor(h.invoicingPage))
	mux.HandleFunc("POST /finance/invoicing/{month}", h.requireActor(h.issueMonth))
	mux.HandleFunc("GET /invoices", h.requireActor(h.invoicesPage))
	mux.HandleFunc("GET /invoices/{id}", h.requireActor(h.invoicePage))
	mux.HandleFunc("GET /invoices/{id}/pdf", h.requireActor(h.invoiceDownload("pdf")))
	mux.HandleFunc("GET /invoices/{id}/ubl", h.requireActor(h.invoiceDownload("xml")))
	mux.HandleFunc("POST /invoices/{id}/payment", h.requireActor(h.invoicePayment))
	mux.HandleFunc("POST /invoices/{id}/credit-note", h.requireActor(h.invoiceCredit))
	mux.HandleFunc("POST /invoices/{id}/reissue", h.requireActor(h.invoiceReissue))
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
func (h *Handler) invoicingPage(w http.ResponseWriter, r *http.Request) {
	h.renderInvoicing(w, r, http.StatusOK, h.newPage(r, "Invoicing"))
}

func (h *Handler) renderInvoicing(w http.ResponseWriter, r *http.Request, status int, p *page) {
	m, err := h.monthQuery(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	im, err := h.DB.FinanceMonth(r.Context(), httpx.AuthFrom(r).Actor, m)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p.Data = invoicingData{M: im, Month: m, Prev: m.Add(-1), Next: m.Next()}
	h.render(w, r, status, "invoicing", p)
}

func (h *Handler) issueMonth(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	m, err := opstap.ParseMonth(r.PathValue("month"))
	if err != nil {
		h.fail(w, r, opstap.Errorf(opstap.ENOTFOUND, "page not found"))
		return
	}
	issued, err := h.DB.IssueMonth(r.Context(), httpx.AuthFrom(r).Actor, m, render.InvoiceFiles)
	to := "/finance/invoicing?month=" + m.String()
	if err != nil {
		r.URL.RawQuery = "month=" + m.String()
		h.afterPost(w, r, err, to, "", "Invoicing", h.renderInvoicing)
		return
	}
	msg := "No invoices were due: nothing was issued."
	if len(issued) > 0 {
		msg = "The month's invoices are issued."
	}
	h.redirect(w, r, to, i18nT(r, msg))
}

// invoiceReissue credits a stale invoice and issues the month's invoice as
// it now stands, from the month page (its month in the form).
func (h *Handler) invoiceReissue(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	m, err := opstap.ParseMonth(r.PostFormValue("month"))
	if err != nil {
		h.fail(w, r, opstap.FieldError("month", "not a valid month"))
		return
	}
	out, err := h.DB.ReissueInvoice(r.Context(), httpx.AuthFrom(r).Actor, r.PathValue("id"), render.InvoiceFiles)
	to := "/finance/invoicing?month=" + m.String()
	if err != nil {
		r.URL.RawQuery = "month=" + m.String()
		h.afterPost(w, r, err, to, "", "Invoicing", h.renderInvoicing)
		return
	}
	msg := i18nT(r, "Credited with %s; the month bills nothing more.")
	args := []any{out.CreditNote.Number}
	if out.Invoice != nil {
		msg = i18nT(r, "Credited with %s and reissued as %s.")
		args = append(args, out.Invoice.Number)
	}
	h.redirect(w, r, to, fmt.Sprintf(msg, args...))
}

type invoicesData struct {
	Invoices []store.InvoiceSummary
	Filter   store.InvoiceFilter
	Finance  bool
	Kinds    []invoice.Kind
	Statuses []string
}

func (h *Handler) invoicesPage(w http.ResponseWriter, r *http.Request) {
	p := h.newPage(r, "Invoices")
	a := httpx.AuthFrom(r).Actor
	q := r.URL.Query()
	f := store.InvoiceFilter{Municipality: q.Get("municipality"), Kind: invoice.Kind(q.Get("kind")), Status: q.Get("status")}
	if v := q.Get("month"); v != "" {
		m, err := opstap.ParseMonth(v)
		if err != nil {
			h.fail(w, r, opstap.FieldError("month", "not a valid month"))
			return
		}
		f.Month = m
	}
	list, err := h.DB.Invoices(r.Context(), a, f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p.Data = invoicesData{Invoices: list, Filter: f, Finance: access.Can(a, access.ManageFinance),
		Kinds: []invoice.Kind{invoice.Employer, invoice.Municipality, invoice.CreditNote}, Statuses: []string{"open", "paid", "credit"}}
	h.render(w, r, http.StatusOK, "invoices", p)
}

type invoiceData struct {
	Invoice *invoice.Invoice
	Summary *store.InvoiceSummary
	Finance bool
	Today   opstap.Date
}

func (h *Handler) invoicePage(w http.ResponseWriter, r *http.Request) {
	h.renderInvoice(w, r, http.StatusOK, h.newPage(r, "Invoice"))
}

func (h *Handler) renderInvoice(w http.ResponseWriter, r *http.Request, status int, p *page) {
	a := httpx.AuthFrom(r).Actor
	inv, sum, err := h.DB.Invoice(r.Context(), a, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p.Title = p.T("Invoice %s", inv.Number)
	if inv.Kind == invoice.CreditNote {
		p.Title = p.T("Credit note %s", inv.Number)
	}
	p.Data = invoiceData{Invoice: inv, Summary: sum, Finance: access.Can(a, access.ManageFinance), Today: opstap.DateOf(h.DB.Now())}
	h.render(w, r, status, "invoice", p)
}

func (h *Handler) invoiceDownload(format string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		b, name, err := h.DB.InvoiceFile(r.Context(), httpx.AuthFrom(r).Actor, r.PathValue("id"), format)
		switch {
		case err != nil:
			h.fail(w, r, err)
		case format == "pdf":
			render.WritePDF(w, name, b)
		default:
			render.WriteXML(w, name, b)
		}
	}
}

func (h *Handler) invoicePayment(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	id := r.PathValue("id")
	paid, err := opstap.ParseDate(r.PostFormValue("paid_on"))
	if err != nil {
		err = opstap.FieldError("paid_on", "not a valid date")
	} else if err = h.DB.RecordPayment(r.Context(), httpx.AuthFrom(r).Actor, id, paid); opstap.AsError(err) != nil && opstap.AsError(err).Field == "paid_on" {
		e := *opstap.AsError(err)
		e.Field = "paid_on"
		err = &e
	}
	h.afterPost(w, r, err, "/invoices/"+url.PathEscape(id), "The payment is recorded.", "Invoice", h.renderInvoice)
}

func (h *Handler) invoiceCredit(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	cn, err := h.DB.CreditInvoice(r.Context(), httpx.AuthFrom(r).Actor, r.PathValue("id"), r.PostFormValue("reason"), render.InvoiceFiles)
	to := "/invoices/" + url.PathEscape(r.PathValue("id"))
	if err == nil {
		to = "/invoices/" + url.PathEscape(cn.ID)
	}
	h.afterPost(w, r, err, to, "The credit note is issued.", "Invoice", h.renderInvoice)
}
