package server_test

import (
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
	if resp, body := km.do("GET", page, nil, nil); resp.StatusCode != 200 || !strings.Contains(body, `name="hourlyRate"`) {
		t.Fatalf("the case manager's form has no rate field: %d", resp.StatusCode)
	}
	coach := e.browser()
	coach.login("coach@demo.opstap.nl")
	resp, body = coach.do("GET", page, nil, nil)
	if resp.StatusCode != 200 || strings.Contains(body, `name="hourlyRate"`) || !strings.Contains(body, `id="hourly-rate"`) || !strings.Contains(body, "€ 11,75") {
		t.Fatalf("the coach's form: %d, rate field or no rate shown", resp.StatusCode)
	}
}
