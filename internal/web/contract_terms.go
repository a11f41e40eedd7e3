package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/billing"
	"github.com/opstap/opstap/internal/httpx"
	"github.com/opstap/opstap/internal/i18n"
	"github.com/opstap/opstap/internal/store"
)

func init() {
	registrars = append(registrars, (*Handler).registerContractTerms)
	addNav(navItem{Order: 60, Href: "/finance/terms", Label: "Contract terms", Caps: []access.Capability{access.ManageContractTerms}})
	addNav(navItem{Order: 61, Href: "/finance/premium-caps", Label: "Maximum premium per year", Caps: []access.Capability{access.ManageContractTerms, access.ManagePremiumCaps}})
}

func (h *Handler) registerContractTerms(mux *http.ServeMux) {
	mux.HandleFunc("GET /finance/terms", h.authed(h.contractTermsList))
	mux.HandleFunc("GET /finance/terms/{cbs}", h.authed(h.contractTerms))
	mux.HandleFunc("POST /finance/terms/{cbs}", h.authed(h.addContractTerms))
	mux.HandleFunc("GET /finance/premium-caps", h.authed(h.premiumCaps))
	mux.HandleFunc("POST /finance/premium-caps", h.authed(h.setPremiumCap))
}

func (h *Handler) contractTermsList(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	ms, err := h.DB.ContractTerms(r.Context(), a)
	if err != nil {
		return err
	}
	p := h.newPage(r, "Contract terms")
	p.Data = ms
	return h.render(w, r, http.StatusOK, "contract_terms", p)
}

// tierRows is how many fee tiers the form offers; agreements seen have
// three, and five leaves room without a script to add rows.
const tierRows = 5

type termsPageData struct {
	Terms *store.MunicipalityTerms
	Tiers []int
}

func (h *Handler) contractTermsPage(w http.ResponseWriter, r *http.Request, status int, p *page) error {
	m, err := h.DB.MunicipalityContractTerms(r.Context(), httpx.AuthFrom(r).Actor, r.PathValue("cbs"))
	if err != nil {
		return err
	}
	if status == http.StatusOK {
		// The form starts from the version in force, or from the seed's
		// defaults, dated today: a change is usually a small edit of it.
		t := billing.DefaultTerms(m.CBS, opstap.DateOf(h.DB.Now()))
		if m.Current != nil {
			t = *m.Current
		}
		t.ValidFrom, t.Note = opstap.DateOf(h.DB.Now()), ""
		p.Form = termsToForm(t)
	}
	p.Title = p.T("Contract terms of %s", m.Name)
	tiers := make([]int, tierRows)
	for i := range tiers {
		tiers[i] = i + 1
	}
	p.Data = termsPageData{Terms: m, Tiers: tiers}
	return h.render(w, r, status, "contract_terms_municipality", p)
}

func (h *Handler) contractTerms(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.contractTermsPage(w, r, http.StatusOK, h.newPage(r, "Contract terms"))
}

func (h *Handler) addContractTerms(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	if err := parseForm(r); err != nil {
		return err
	}
	t, err := termsFromForm(r.PostForm)
	if err == nil {
		t.Municipality = r.PathValue("cbs")
		_, err = h.DB.AddContractTerms(r.Context(), a, t)
	}
	if err != nil {
		p := h.newPage(r, "Contract terms")
		p.setError(formFieldError(err))
		p.Form = r.PostForm
		return h.contractTermsPage(w, r, httpx.Status(err), p)
	}
	h.redirect(w, r, "/finance/terms/"+url.PathEscape(t.Municipality), i18n.T(httpx.Lang(r), "The new version of the terms is saved."))
	return nil
}

// termsFields maps the fields the rules name (the API's) to the form's, so
// an error shows beside the input it is about.
var termsFields = map[string]string{
	"valid_from": "valid_from", "contract_start": "contract_start", "contract_end": "contract_end",
	"hourly_rate_cents": "hourly_rate", "premium_per_hour_cents": "premium_per_hour", "travel_rule": "travel_rule",
	"travel_per_km_cents": "travel_per_km", "fee_tiers": "tier1_rate", "monthly_minimum_cents": "monthly_minimum",
	"licences": "licences", "licence_price_cents": "licence_price", "advice_days": "advice_days",
	"advice_day_price_cents": "advice_day_price", "vat_rate_basis_points": "vat_rate", "fee_vat_rate_basis_points": "fee_vat_rate",
	"payment_days": "payment_days", "settlement_days": "settlement_days",
}

func formFieldError(err error) error {
	e := opstap.AsError(err)
	if e == nil || termsFields[e.Field] == "" {
		return err
	}
	c := *e
	c.Field = termsFields[e.Field]
	return &c
}

// termsForm reads form values one by one, keeping the first error, so the
// reader below stays a flat list of fields.
type termsForm struct {
	f   url.Values
	err error
}

func (tf *termsForm) value(field string) string { return strings.TrimSpace(tf.f.Get(field)) }

func (tf *termsForm) cents(field string, dst *opstap.Cents) {
	if tf.err != nil || tf.value(field) == "" {
		return
	}
	c, err := opstap.ParseCents(tf.value(field))
	if err != nil {
		tf.err = opstap.FieldError(field, "not an amount in euros")
	}
	*dst = c
}

func (tf *termsForm) percent(field string, dst *opstap.BasisPoints) {
	if tf.err != nil {
		return
	}
	bp, err := opstap.ParseBasisPoints(tf.value(field))
	if err != nil {
		tf.err = opstap.FieldError(field, "not a percentage (for example 21 or 9,5)")
	}
	*dst = bp
}

func (tf *termsForm) date(field string, dst *opstap.Date, required bool) {
	if tf.err != nil || (!required && tf.value(field) == "") {
		return
	}
	d, err := opstap.ParseDate(tf.value(field))
	if err != nil {
		tf.err = opstap.FieldError(field, "not a valid date")
	}
	*dst = d
}

func (tf *termsForm) count(field string, dst *int64) {
	if tf.err != nil || tf.value(field) == "" {
		return
	}
	n, err := strconv.ParseInt(tf.value(field), 10, 64)
	if err != nil {
		tf.err = opstap.FieldError(field, "not a whole number")
	}
	*dst = n
}

func (tf *termsForm) days(field string, dst *int) {
	var n int64
	tf.count(field, &n)
	*dst = int(n)
}

// termsFromForm reads a version of the terms from the form: amounts in
// euros, percentages as people write them, dates in Dutch or ISO notation.
func termsFromForm(f url.Values) (billing.Terms, error) {
	tf := &termsForm{f: f}
	var t billing.Terms
	tf.date("valid_from", &t.ValidFrom, true)
	tf.date("contract_start", &t.ContractStart, true)
	tf.date("contract_end", &t.ContractEnd, false)
	tf.cents("hourly_rate", &t.HourlyRate)
	tf.cents("premium_per_hour", &t.PremiumPerHour)
	t.TravelRule = billing.TravelRule(tf.value("travel_rule"))
	tf.cents("travel_per_km", &t.TravelPerKm)
	for i := 1; i <= tierRows; i++ {
		n := strconv.Itoa(i)
		if tf.value("tier"+n+"_rate") == "" && tf.value("tier"+n+"_upto") == "" {
			continue
		}
		var tier billing.Tier
		tf.cents("tier"+n+"_upto", &tier.UpTo)
		tf.percent("tier"+n+"_rate", &tier.Rate)
		t.FeeTiers = append(t.FeeTiers, tier)
	}
	tf.cents("monthly_minimum", &t.MonthlyMinimum)
	tf.count("licences", &t.Licences)
	tf.cents("licence_price", &t.LicencePrice)
	tf.count("advice_days", &t.AdviceDays)
	tf.cents("advice_day_price", &t.AdviceDayPrice)
	tf.percent("vat_rate", &t.VATRate)
	tf.percent("fee_vat_rate", &t.FeeVATRate)
	tf.days("payment_days", &t.PaymentDays)
	tf.days("settlement_days", &t.SettlementDays)
	t.Note = tf.value("note")
	return t, tf.err
}

// termsToForm fills the form from a version, in the notation people type.
func termsToForm(t billing.Terms) url.Values {
	f := url.Values{
		"valid_from": {t.ValidFrom.Dutch()}, "contract_start": {t.ContractStart.Dutch()}, "contract_end": {t.ContractEnd.Dutch()},
		"hourly_rate": {t.HourlyRate.String()}, "premium_per_hour": {t.PremiumPerHour.String()}, "travel_rule": {string(t.TravelRule)},
		"monthly_minimum": {t.MonthlyMinimum.String()}, "licences": {strconv.FormatInt(t.Licences, 10)},
		"licence_price": {t.LicencePrice.String()}, "advice_days": {strconv.FormatInt(t.AdviceDays, 10)},
		"advice_day_price": {t.AdviceDayPrice.String()}, "vat_rate": {t.VATRate.String()}, "fee_vat_rate": {t.FeeVATRate.String()},
		"payment_days": {strconv.Itoa(t.PaymentDays)}, "settlement_days": {strconv.Itoa(t.SettlementDays)}, "note": {t.Note},
	}
	if t.TravelRule == billing.TravelPerKm {
		f.Set("travel_per_km", t.TravelPerKm.String())
	}
	for i, tier := range t.FeeTiers {
		n := strconv.Itoa(i + 1)
		if tier.UpTo != 0 {
			f.Set("tier"+n+"_upto", tier.UpTo.String())
		}
		f.Set("tier"+n+"_rate", tier.Rate.String())
	}
	return f
}

type capsPageData struct {
	Caps    []billing.Cap
	CanEdit bool
}

func (h *Handler) premiumCapsPage(w http.ResponseWriter, r *http.Request, status int, p *page) error {
	a := httpx.AuthFrom(r).Actor
	caps, err := h.DB.PremiumCaps(r.Context(), a)
	if err != nil {
		return err
	}
	p.Data = capsPageData{Caps: caps, CanEdit: access.Can(a, access.ManagePremiumCaps)}
	return h.render(w, r, status, "premium_caps", p)
}

func (h *Handler) premiumCaps(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.premiumCapsPage(w, r, http.StatusOK, h.newPage(r, "Maximum premium per year"))
}

func (h *Handler) setPremiumCap(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	if err := parseForm(r); err != nil {
		return err
	}
	tf := &termsForm{f: r.PostForm}
	c := billing.Cap{Source: tf.value("source")}
	var year int64
	tf.count("year", &year)
	c.Year = int(year)
	tf.cents("amount", &c.Amount)
	err := tf.err
	if err == nil {
		err = h.DB.SetPremiumCap(r.Context(), a, c)
	}
	if err != nil {
		if e := opstap.AsError(err); e != nil && e.Field == "amount_cents" {
			err = &opstap.Error{Code: e.Code, Message: e.Message, Field: "amount", Args: e.Args}
		}
		p := h.formPage(r, "Maximum premium per year", err)
		return h.premiumCapsPage(w, r, httpx.Status(err), p)
	}
	h.redirect(w, r, "/finance/premium-caps", i18n.T(httpx.Lang(r), "Saved."))
	return nil
}
