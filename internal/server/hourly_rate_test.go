package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// TestHourlyRateReadOnly: only the municipality sets an assignment's
// hourly rate [003 art 5 lid 8]: its case manager gets the field, the
// provider's coach sees the rate as text, with no field the store would
// refuse (issue 9 item 1).
func TestHourlyRateReadOnly(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	e := newEnv(t, db)
	km := e.browser()
	km.login("klantmanager@demo.opstap.nl")
	resp, body := km.do("GET", "/api/v1/assignments", nil, nil)
	var list struct {
		Assignments []struct{ ID string }
	}
	decode(t, body, &list)
	if resp.StatusCode != 200 || len(list.Assignments) == 0 {
		t.Fatalf("assignments: %d %s", resp.StatusCode, body)
	}
	page := "/assignments/" + list.Assignments[0].ID
	if resp, body := km.do("GET", page, nil, nil); resp.StatusCode != 200 || !strings.Contains(body, `name="hourly_rate"`) {
		t.Fatalf("the case manager's form has no rate field: %d", resp.StatusCode)
	}
	// A rate above the limit is reported on the form's field (which takes
	// euros), not on the API's hourly_rate_cents, and the summary links to it.
	form := url.Values{"title": {"Orderpicker"}, "hours_per_week": {"24"}, "places": {"1"}, "hourly_rate": {"2000"}}
	if resp, body := km.do("POST", page, form, nil); resp.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(body, `id="a-rate-error"`) || !strings.Contains(body, `href="#a-rate"`) {
		t.Errorf("a rate of 2,000 euros: %d, no error at the rate field", resp.StatusCode)
	}
	coach := e.browser()
	coach.login("coach@demo.opstap.nl")
	resp, body = coach.do("GET", page, nil, nil)
	if resp.StatusCode != 200 || strings.Contains(body, `name="hourly_rate"`) || !strings.Contains(body, `id="hourly-rate"`) || !strings.Contains(body, "€ 11,75") {
		t.Fatalf("the coach's form: %d, rate field or no rate shown", resp.StatusCode)
	}
}
