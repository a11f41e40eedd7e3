package server_test

import (
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/formatcheck"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// TestPayoutsAPI: finance pays last month's premiums through the API
// without naming an account (the provider's billing IBAN is the default),
// downloads a pain.001 the EPC schema accepts, and finds the month paid
// (a second batch has nothing to pay); the candidate sees her own payouts,
// the employer none; bad input names the field (issue 9 items 4, 8).
func TestPayoutsAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		json := map[string]string{"Content-Type": "application/json", "Origin": e.srv.URL}
		fin := e.browser()
		fin.login("financien@demo.opstap.nl")
		today := opstap.DateOf(e.now())
		last := opstap.MonthOf(today).Add(-1)
		batch := `{"through_month":"` + last.String() + `","execution_date":"` + today.String() + `"}`
		if resp, body := fin.doBody("POST", "/api/v1/payout-batches", batch, json); resp.StatusCode != http.StatusUnprocessableEntity ||
			!strings.Contains(body, `"through_month"`) {
			t.Fatalf("an open month paid: %d %s", resp.StatusCode, body)
		}
		if resp, body := fin.doBody("POST", "/api/v1/finance/periods/"+last.String()+"/close", ``, json); resp.StatusCode != http.StatusNoContent {
			t.Fatalf("close: %d %s", resp.StatusCode, body)
		}
		bad := `{"through_month":"` + last.String() + `","execution_date":"` + today.String() + `","debtor_iban":"NL91ABNA0417164301"}`
		if resp, body := fin.doBody("POST", "/api/v1/payout-batches", bad, json); resp.StatusCode != http.StatusUnprocessableEntity ||
			!strings.Contains(body, `"debtor_iban"`) {
			t.Fatalf("wrong IBAN: %d %s", resp.StatusCode, body)
		}
		emp := e.browser()
		emp.login("werkgever@demo.opstap.nl")
		if resp, _ := emp.doBody("POST", "/api/v1/payout-batches", batch, json); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("the employer pays: %d", resp.StatusCode)
		}
		resp, body := fin.doBody("POST", "/api/v1/payout-batches", batch, json)
		var b store.PayoutBatch
		decode(t, body, &b)
		if resp.StatusCode != http.StatusCreated || b.DebtorIBAN != "NL91ABNA0417164300" || b.Payments != 1 || b.Total <= 0 {
			t.Fatalf("batch: %d %s", resp.StatusCode, body)
		}
		if resp, body := fin.doBody("POST", "/api/v1/payout-batches", batch, json); resp.StatusCode != http.StatusUnprocessableEntity ||
			!strings.Contains(body, `"through_month"`) {
			t.Fatalf("paid twice: %d %s", resp.StatusCode, body)
		}
		resp, body = fin.do("GET", "/api/v1/payout-batches/"+b.ID+"/pain001", nil, nil)
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/xml") {
			t.Fatalf("file: %d", resp.StatusCode)
		}
		dir := formatcheck.WriteFiles(t, map[string][]byte{"pain001.xml": []byte(body)})
		formatcheck.XSD(t, formatcheck.SharedData(t, "validators/sepa/pain.001.001.09-EPC132-08-2023-SCT-C2PSP.xsd"), filepath.Join(dir, "pain001.xml"))
		// Paid when the bank has executed it, as finance records.
		paid := "/api/v1/payout-batches/" + b.ID + "/paid"
		if resp, body := fin.doBody("POST", paid, `{"paid_on":"`+today.AddDays(1).String()+`"}`, json); resp.StatusCode != http.StatusUnprocessableEntity ||
			!strings.Contains(body, `"paid_on"`) {
			t.Fatalf("paid tomorrow: %d %s", resp.StatusCode, body)
		}
		if resp, _ := emp.doBody("POST", paid, `{"paid_on":"`+today.String()+`"}`, json); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("the employer records the payment: %d", resp.StatusCode)
		}
		resp, body = fin.doBody("POST", paid, `{"paid_on":"`+today.String()+`"}`, json)
		decode(t, body, &b)
		if resp.StatusCode != http.StatusOK || b.PaidOn != today {
			t.Fatalf("paid: %d %s", resp.StatusCode, body)
		}
		if resp, _ := fin.doBody("POST", paid, `{"paid_on":"`+today.String()+`"}`, json); resp.StatusCode != http.StatusConflict {
			t.Fatalf("paid twice: %d", resp.StatusCode)
		}
		cand := e.browser()
		cand.login("kandidaat@demo.opstap.nl")
		resp, body = cand.do("GET", "/api/v1/payouts", nil, nil)
		var mine struct{ Payouts []store.Payment }
		decode(t, body, &mine)
		if resp.StatusCode != 200 || len(mine.Payouts) != 2 || mine.Payouts[0].PaidAt != today {
			t.Fatalf("the candidate's payouts: %d %s", resp.StatusCode, body)
		}
		if resp, _ := emp.do("GET", "/api/v1/payouts", nil, nil); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("the employer reads payouts: %d", resp.StatusCode)
		}
	})
}
