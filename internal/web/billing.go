package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/httpx"
	"github.com/opstap/opstap/internal/invoice"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/ubl"
)

func init() {
	registrars = append(registrars, (*Handler).registerBilling)
	addNav(navItem{Order: 42, Href: "/finance/billing", Label: "Billing details", Caps: []access.Capability{access.ManageFinance}})
	cardLinks(opstap.RoleFinance, link{"/finance/billing", "Billing details"})
}

// registerBilling adds finance's billing details: the provider's own (the
// seller on every invoice, the account payouts are paid from) and every
// municipality's and client employer's (the buyers).
func (h *Handler) registerBilling(mux *http.ServeMux) {
	mux.HandleFunc("GET /finance/billing", h.authed(h.billingPage))
	mux.HandleFunc("GET /finance/billing/{org}", h.authed(h.billingPartyPage))
	mux.HandleFunc("POST /finance/billing/{org}", h.authed(h.saveBillingParty))
}

func (h *Handler) billingPage(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	ps, err := h.DB.BillingParties(r.Context(), a)
	if err != nil {
		return err
	}
	p := h.newPage(r, "Billing details")
	p.Data = ps
	return h.render(w, r, http.StatusOK, "billing", p)
}

type billingPartyData struct {
	Party    store.BillingParty
	Provider bool
	Schemes  []ubl.Scheme
}

// billingParty finds one organisation among finance's list.
func (h *Handler) billingParty(r *http.Request) (store.BillingParty, error) {
	ps, err := h.DB.BillingParties(r.Context(), httpx.AuthFrom(r).Actor)
	if err != nil {
		return store.BillingParty{}, err
	}
	for _, bp := range ps {
		if bp.OrgID == r.PathValue("org") {
			return bp, nil
		}
	}
	return store.BillingParty{}, opstap.Errorf(opstap.ENOTFOUND, "no such organisation")
}

func (h *Handler) billingPartyPage(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	p := h.newPage(r, "Billing details")
	bp, err := h.billingParty(r)
	if err != nil {
		return err
	}
	if bp.Details != nil {
		p.Form = partyToForm(*bp.Details)
	}
	return h.renderBillingParty(w, r, http.StatusOK, p)
}

func (h *Handler) renderBillingParty(w http.ResponseWriter, r *http.Request, status int, p *page) error {
	bp, err := h.billingParty(r)
	if err != nil {
		return err
	}
	p.Title = p.T("Billing details of %s", bp.Name)
	p.Data = billingPartyData{Party: bp, Provider: bp.Kind == opstap.OrgProvider, Schemes: []ubl.Scheme{ubl.KvK, ubl.OIN}}
	return h.render(w, r, status, "billing_party", p)
}

func (h *Handler) saveBillingParty(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	if err := parseForm(r); err != nil {
		return err
	}
	err := h.DB.SetBillingParty(r.Context(), a, r.PathValue("org"), partyFromForm(r.PostForm))
	return h.afterPost(w, r, err, "/finance/billing", "Billing details saved.", "Billing details", h.renderBillingParty)
}

// partyFields are the form's fields, named as the API's properties.
var partyFields = []string{"legal_scheme", "legal_id", "vat_number", "street", "house_number", "postal_code", "city", "email", "iban", "buyer_reference"}

func partyToForm(p invoice.Party) url.Values {
	v := url.Values{}
	for i, s := range []string{string(p.LegalScheme), p.LegalID, p.VATNumber, p.Street, p.HouseNumber, p.PostalCode, p.City, p.Email, p.IBAN, p.BuyerReference} {
		v.Set(partyFields[i], s)
	}
	return v
}

func partyFromForm(f url.Values) invoice.Party {
	g := func(name string) string { return strings.TrimSpace(f.Get(name)) }
	return invoice.Party{LegalScheme: ubl.Scheme(g("legal_scheme")), LegalID: strings.ReplaceAll(g("legal_id"), " ", ""),
		VATNumber: strings.ToUpper(strings.ReplaceAll(g("vat_number"), " ", "")), Street: g("street"), HouseNumber: g("house_number"),
		PostalCode: strings.ToUpper(g("postal_code")), City: g("city"), Email: g("email"),
		IBAN: strings.ToUpper(strings.ReplaceAll(g("iban"), " ", "")), BuyerReference: g("buyer_reference")}
}
