package server_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// TestContractTermsPages: finance reaches the terms from the menu, sees the
// demo municipality's version, adds a version from the pre-filled form;
// bad input names the field and stores nothing; a coach is refused.
func TestContractTermsPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		fin := e.browser()
		fin.login("financien@demo.opstap.nl")
		_, home := fin.do("GET", "/", nil, nil)
		if !strings.Contains(home, `href="/finance/terms"`) || !strings.Contains(home, `href="/finance/premium-caps"`) {
			t.Fatal("the menu does not link the terms and the caps")
		}
		resp, body := fin.do("GET", "/finance/terms", nil, nil)
		if resp.StatusCode != 200 || !strings.Contains(body, "Gemeente Almere") || !strings.Contains(body, "€ 11,75") {
			t.Fatalf("terms list: %d", resp.StatusCode)
		}
		resp, body = fin.do("GET", "/finance/terms/0034", nil, nil)
		if resp.StatusCode != 200 || !strings.Contains(body, `value="11,75"`) || !strings.Contains(body, `value="20"`) || !strings.Contains(body, `value="10000,00"`) {
			t.Fatalf("municipality terms: %d", resp.StatusCode)
		}
		form := url.Values{"valid_from": {"01-01-2040"}, "contract_start": {"01-01-2025"}, "hourly_rate": {"12,50"}, "premium_per_hour": {"2,25"},
			"travel_rule": {"receipts"}, "tier1_upto": {"10.000"}, "tier1_rate": {"20"}, "tier2_rate": {"12,5"}, "monthly_minimum": {"1.500"},
			"licences": {"2"}, "licence_price": {"150"}, "advice_days": {"0"}, "advice_day_price": {"0"}, "vat_rate": {"21"}, "fee_vat_rate": {"21"},
			"payment_days": {"30"}, "settlement_days": {"30"}, "note": {"indexering 2040"}}
		for field, bad := range map[string]string{"hourly_rate": "12,505", "tier1_rate": "120", "valid_from": "31-02-2040", "travel_rule": "taxi"} {
			f := url.Values{}
			for k, v := range form {
				f[k] = v
			}
			f.Set(field, bad)
			resp, body := fin.do("POST", "/finance/terms/0034", f, nil)
			id := map[string]string{"hourly_rate": "t-rate", "tier1_rate": "t-tier1-rate", "valid_from": "t-valid-from", "travel_rule": "t-travel"}[field]
			if resp.StatusCode != 422 || !strings.Contains(body, `id="`+id+`-error"`) {
				t.Fatalf("bad %s: %d", field, resp.StatusCode)
			}
		}
		if n := countRows(t, db, "contract_terms"); n != 1 {
			t.Fatalf("refused input stored a version: %d", n)
		}
		if resp, _ := fin.do("POST", "/finance/terms/0034", form, nil); resp.StatusCode != 303 {
			t.Fatalf("save: %d", resp.StatusCode)
		}
		_, body = fin.do("GET", "/finance/terms/0034", nil, nil)
		if !strings.Contains(body, "01-01-2040") || !strings.Contains(body, "indexering 2040") || !strings.Contains(body, "12,5 % daarboven") {
			t.Fatal("the new version is not listed")
		}
		coach := e.browser()
		coach.login("coach@demo.opstap.nl")
		if resp, _ := coach.do("GET", "/finance/terms", nil, nil); resp.StatusCode != 403 {
			t.Fatalf("coach: %d", resp.StatusCode)
		}
	})
}

// TestPremiumCapsPage: the admin keeps the cap table with its source;
// finance reads it without a form.
func TestPremiumCapsPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		fin := e.browser()
		fin.login("financien@demo.opstap.nl")
		resp, body := fin.do("GET", "/finance/premium-caps", nil, nil)
		if resp.StatusCode != 200 || !strings.Contains(body, "2.339,00") && !strings.Contains(body, "2339,00") || strings.Contains(body, `name="amount"`) {
			t.Fatalf("finance view: %d", resp.StatusCode)
		}
		if resp, _ := fin.do("POST", "/finance/premium-caps", url.Values{"year": {"2041"}, "amount": {"2.500"}, "source": {"x"}}, nil); resp.StatusCode != 403 {
			t.Fatalf("finance set a cap: %d", resp.StatusCode)
		}
		adm := e.browser()
		adm.login("beheer@demo.opstap.nl")
		resp, _ = adm.do("POST", "/finance/premium-caps", url.Values{"year": {"2041"}, "amount": {"2.500,001"}, "source": {"Stcrt."}}, nil)
		if resp.StatusCode != 422 {
			t.Fatalf("bad amount: %d", resp.StatusCode)
		}
		resp, body = adm.do("POST", "/finance/premium-caps", url.Values{"year": {"2041"}, "amount": {"2.500"}, "source": {""}}, nil)
		if resp.StatusCode != 422 || !strings.Contains(body, `id="c-source-error"`) {
			t.Fatalf("no source: %d", resp.StatusCode)
		}
		if resp, _ := adm.do("POST", "/finance/premium-caps", url.Values{"year": {"2041"}, "amount": {"2.500"}, "source": {"Staatscourant 2040, nr. 1"}}, nil); resp.StatusCode != 303 {
			t.Fatalf("save: %d", resp.StatusCode)
		}
		_, body = fin.do("GET", "/finance/premium-caps", nil, nil)
		if !strings.Contains(body, "2500,00") || !strings.Contains(body, "Staatscourant 2040, nr. 1") {
			t.Fatal("the cap is not listed")
		}
	})
}

// TestContractTermsAPI: the same through the JSON API, with the field named
// on bad input.
func TestContractTermsAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		fin := e.browser()
		fin.login("financien@demo.opstap.nl")
		json := map[string]string{"Content-Type": "application/json", "Origin": e.srv.URL}
		resp, body := fin.do("GET", "/api/v1/contract-terms", nil, nil)
		var list struct {
			Municipalities []struct {
				Municipality string
				Current      struct {
					HourlyRateCents int64 `json:"hourly_rate_cents"`
				}
			}
		}
		decode(t, body, &list)
		if resp.StatusCode != 200 || len(list.Municipalities) == 0 || list.Municipalities[0].Current.HourlyRateCents != 1175 {
			t.Fatalf("list: %d %s", resp.StatusCode, body)
		}
		good := `{"valid_from":"2040-01-01","contract_start":"2025-01-01","hourly_rate_cents":1250,"premium_per_hour_cents":200,"travel_rule":"receipts",
			"fee_tiers":[{"up_to_cents":1000000,"rate_basis_points":2000},{"up_to_cents":0,"rate_basis_points":1000}],"monthly_minimum_cents":150000,
			"vat_rate_basis_points":2100,"fee_vat_rate_basis_points":2100,"payment_days":30,"settlement_days":30}`
		bad := strings.Replace(good, `"hourly_rate_cents":1250`, `"hourly_rate_cents":0`, 1)
		resp, body = fin.doBody("POST", "/api/v1/contract-terms/0034", bad, json)
		if resp.StatusCode != 422 || !strings.Contains(body, `"field": "hourly_rate_cents"`) {
			t.Fatalf("bad rate: %d %s", resp.StatusCode, body)
		}
		resp, body = fin.doBody("POST", "/api/v1/contract-terms/0034", strings.Replace(good, `"hourly_rate_cents":1250`, `"hourly_rate_cents":92270000000000000000`, 1), json)
		if resp.StatusCode/100 != 4 || !strings.Contains(body, "hourly_rate_cents") {
			t.Fatalf("overflowing rate: %d %s", resp.StatusCode, body)
		}
		if resp, body := fin.doBody("POST", "/api/v1/contract-terms/0034", good, json); resp.StatusCode != 201 {
			t.Fatalf("add: %d %s", resp.StatusCode, body)
		}
		_, body = fin.do("GET", "/api/v1/contract-terms/0034", nil, nil)
		if !strings.Contains(body, `"valid_from": "2040-01-01"`) {
			t.Fatalf("versions: %s", body)
		}
		if resp, _ := fin.doBody("PUT", "/api/v1/premium-caps/2041", `{"amount_cents":250000,"source":"x"}`, json); resp.StatusCode != 403 {
			t.Fatalf("finance set a cap: %d", resp.StatusCode)
		}
		adm := e.browser()
		adm.login("beheer@demo.opstap.nl")
		if resp, body := adm.doBody("PUT", "/api/v1/premium-caps/2041", `{"amount_cents":250000,"source":"Stcrt. 2040"}`, json); resp.StatusCode != 200 {
			t.Fatalf("admin set a cap: %d %s", resp.StatusCode, body)
		}
		_, body = fin.do("GET", "/api/v1/premium-caps", nil, nil)
		if !strings.Contains(body, `"year": 2041`) || !strings.Contains(body, "Stcrt. 2040") {
			t.Fatalf("caps: %s", body)
		}
	})
}
