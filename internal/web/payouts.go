package web

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/download"
	"github.com/opstap/opstap/internal/httpx"
	"github.com/opstap/opstap/internal/store"
)

func init() {
	registrars = append(registrars, (*Handler).registerPayouts)
	addNav(navItem{Order: 40, Href: "/payouts", Label: "Premium payouts", Roles: []opstap.Role{opstap.RoleFinance, opstap.RoleCaseManager}})
	addNav(navItem{Order: 41, Href: "/portal/payouts", Label: "My premium", Roles: []opstap.Role{opstap.RoleCandidate}})
	cardLinks(opstap.RoleFinance, link{"/payouts", "Premium payouts"})
}

// registerPayouts adds the pages of premium payouts (issue 9 item 4).
func (h *Handler) registerPayouts(mux *http.ServeMux) {
	mux.HandleFunc("GET /payouts", h.authed(h.payoutsPage))
	mux.HandleFunc("GET /portal/payouts", h.authed(h.payoutsPage))
	mux.HandleFunc("POST /payouts", h.authed(h.createPayouts))
	mux.HandleFunc("GET /payouts/{id}/pain001", h.authed(download.Files{DB: h.DB}.Payout))
	mux.HandleFunc("POST /payouts/{id}/paid", h.authed(h.payoutPaid))
}

type payoutsData struct {
	Batches  []store.PayoutBatch
	Payouts  []store.Payment
	CanBatch bool
	Portal   bool
	Today    opstap.Date
}

func (h *Handler) payoutsPage(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	title := "Premium payouts"
	if strings.HasPrefix(r.URL.Path, "/portal/") {
		title = "My premium"
	}
	return h.renderPayouts(w, r, http.StatusOK, h.newPage(r, title))
}

func (h *Handler) renderPayouts(w http.ResponseWriter, r *http.Request, status int, p *page) error {
	a := httpx.AuthFrom(r).Actor
	d := payoutsData{CanBatch: access.Can(a, access.ManageFinance), Portal: strings.HasPrefix(r.URL.Path, "/portal/"), Today: opstap.DateOf(h.DB.Now())}
	var err error
	if d.Payouts, err = h.DB.Payouts(r.Context(), a); err != nil {
		return err
	}
	if d.CanBatch {
		if d.Batches, err = h.DB.PayoutBatches(r.Context(), a); err != nil {
			return err
		}
		if status == http.StatusOK {
			// The form starts from the provider's own account, last month
			// and today, so finance types nothing in the usual case.
			if err := h.payoutDefaults(r, p); err != nil {
				return err
			}
		}
	}
	p.Data = d
	return h.render(w, r, status, "payouts", p)
}

func (h *Handler) payoutDefaults(r *http.Request, p *page) error {
	ps, err := h.DB.BillingParties(r.Context(), httpx.AuthFrom(r).Actor)
	if err != nil {
		return err
	}
	for _, bp := range ps {
		if bp.Kind == opstap.OrgProvider && bp.Details != nil {
			p.Form.Set("debtor_iban", bp.Details.IBAN)
		}
	}
	today := opstap.DateOf(h.DB.Now())
	p.Form.Set("through_month", opstap.MonthOf(today).Add(-1).String())
	p.Form.Set("execution_date", today.String())
	return nil
}

// createPayouts makes a batch from the form; a field error shows the form
// again with what was typed.
func (h *Handler) createPayouts(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	if err := parseForm(r); err != nil {
		return err
	}
	req := store.PayoutRequest{DebtorIBAN: r.PostFormValue("debtor_iban"), DebtorBIC: r.PostFormValue("debtor_bic")}
	var err error
	if req.Through, err = opstap.ParseMonth(strings.TrimSpace(r.PostFormValue("through_month"))); err != nil {
		err = opstap.FieldError("through_month", "month is required")
	} else if req.ExecutionDate, err = opstap.ParseDate(strings.TrimSpace(r.PostFormValue("execution_date"))); err != nil {
		err = opstap.FieldError("execution_date", "the execution date cannot be before the file is made")
	}
	done := ""
	if err == nil {
		var b *store.PayoutBatch
		if b, err = h.DB.CreatePayoutBatch(r.Context(), a, req); err == nil {
			done = fmt.Sprintf(i18nT(r, "Batch %s made: %d payments, EUR %s; %d candidates left out."), b.MessageID, b.Payments, b.Total, len(b.Skipped))
		}
	}
	return h.afterPost(w, r, err, "/payouts", done, "Premium payouts", h.renderPayouts)
}

// payoutPaid records that the bank executed a batch on the day given.
func (h *Handler) payoutPaid(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	if err := parseForm(r); err != nil {
		return err
	}
	on, err := opstap.ParseDate(strings.TrimSpace(r.PostFormValue("paid_on")))
	if err != nil {
		err = opstap.FieldError("paid_on", "the payment date is required")
	} else {
		_, err = h.DB.RecordPayoutPaid(r.Context(), a, r.PathValue("id"), on)
	}
	return h.afterPost(w, r, err, "/payouts", "The batch is recorded as paid.", "Premium payouts", h.renderPayouts)
}
