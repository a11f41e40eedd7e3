package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// TestBillingDetailsPages: finance lists every party's billing details,
// opens the provider's (filled in), is refused a wrong IBAN and a short
// OIN beside the field in Dutch with nothing changed, then saves a new
// address; the next invoice would carry it. Other roles do not get the
// pages (issue 9: billing details, formerly API only).
func TestBillingDetailsPages(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	e := newEnv(t, db)
	orgs, err := db.FindOrganisations(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	id := map[string]string{}
	for _, o := range orgs {
		id[o.Name] = o.ID
	}
	provider, almere := id["Opstap Re-integratie B.V."], id["Gemeente Almere"]
	fin := e.browser()
	fin.login("financien@demo.opstap.nl")
	resp, body := fin.do("GET", "/finance/billing", nil, nil)
	if resp.StatusCode != 200 || !strings.Contains(body, `href="/finance/billing/`+provider+`"`) || !strings.Contains(body, "NL91ABNA0417164300") ||
		!strings.Contains(body, "Bakkerij De Korenschoof") {
		t.Fatalf("list: %d %s", resp.StatusCode, body)
	}
	resp, body = fin.do("GET", "/finance/billing/"+provider, nil, nil)
	if resp.StatusCode != 200 || !strings.Contains(body, `value="NL001234567B01"`) || !strings.Contains(body, `name="iban"`) {
		t.Fatalf("provider's form: %d %s", resp.StatusCode, body)
	}
	form := url.Values{"legal_scheme": {"0106"}, "legal_id": {"12345678"}, "vat_number": {"NL001234567B01"}, "street": {"Markt"},
		"house_number": {"5"}, "postal_code": {"1315 aa"}, "city": {"Almere"}, "iban": {"NL91ABNA0417164301"}}
	resp, body = fin.do("POST", "/finance/billing/"+provider, form, nil)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="b-iban-error"`) || !strings.Contains(body, "controlecijfers") {
		t.Fatalf("wrong IBAN: %d %s", resp.StatusCode, body)
	}
	resp, body = fin.do("POST", "/finance/billing/"+almere, url.Values{"legal_scheme": {"0190"}, "legal_id": {"123"}, "street": {"Stadhuisplein"},
		"postal_code": {"1315 HR"}, "city": {"Almere"}}, nil)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="b-legal-id-error"`) {
		t.Fatalf("short OIN: %d %s", resp.StatusCode, body)
	}
	form.Set("iban", "NL91 ABNA 0417 1643 00")
	if resp, body := fin.do("POST", "/finance/billing/"+provider, form, nil); resp.StatusCode != http.StatusSeeOther ||
		resp.Header.Get("Location") != "/finance/billing" {
		t.Fatalf("save: %d %s", resp.StatusCode, body)
	}
	u, err := db.FindUserByEmail(context.Background(), "financien@demo.opstap.nl")
	if err != nil {
		t.Fatal(err)
	}
	ps, err := db.BillingParties(context.Background(), u.Actor(db.Now(), ""))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		switch {
		case p.OrgID == provider && (p.Details.Street != "Markt" || p.Details.PostalCode != "1315 AA" || p.Details.IBAN != "NL91ABNA0417164300"):
			t.Errorf("provider saved as %+v", p.Details)
		case p.OrgID == almere && p.Details.LegalID != "00000001002220647000":
			t.Errorf("the refused OIN changed Almere: %+v", p.Details)
		}
	}
	for _, who := range []string{"coach@demo.opstap.nl", "werkgever@demo.opstap.nl"} {
		b := e.browser()
		b.login(who)
		for _, path := range []string{"/finance/billing", "/finance/billing/" + provider} {
			if resp, _ := b.do("GET", path, nil, nil); resp.StatusCode != http.StatusForbidden {
				t.Errorf("%s opens %s: %d", who, path, resp.StatusCode)
			}
		}
		if resp, _ := b.do("POST", "/finance/billing/"+provider, form, nil); resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s saves: %d", who, resp.StatusCode)
		}
	}
	if resp, _ := fin.do("GET", "/finance/billing/no-such-org", nil, nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown organisation: %d", resp.StatusCode)
	}
}
