package server_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// TestFlexSettingsPage: the municipality sets its default hourly rate in
// exact cents and its matching weights; bad input names the field and
// changes nothing.
func TestFlexSettingsPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		km := e.browser()
		km.login("klantmanager@demo.opstap.nl")
		resp, body := km.do("GET", "/flex/settings", nil, nil)
		// The demo's contract terms charge 11,75: shown, not a field.
		if resp.StatusCode != 200 || !strings.Contains(body, `id="default-rate"`) || !strings.Contains(body, "11,75") || strings.Contains(body, `name="hourly_rate"`) {
			t.Fatalf("settings page: %d", resp.StatusCode)
		}
		form := url.Values{"occupation": {"0.4"}, "skills": {"0.2"}, "experience": {"0.1"}, "distance": {"0.1"}, "time_on_benefit": {"0.15"}, "preference": {"0.05"}}
		bad := url.Values{}
		for k, v := range form {
			bad[k] = v
		}
		bad.Set("distance", "-1")
		resp, body = km.do("POST", "/flex/settings", bad, nil)
		if resp.StatusCode != 422 || !strings.Contains(body, "-1") {
			t.Fatalf("bad weight: %d", resp.StatusCode)
		}
		if resp, _ := km.do("POST", "/flex/settings", form, nil); resp.StatusCode != 303 {
			t.Fatalf("save: %d", resp.StatusCode)
		}
		s, err := db.FlexSettings(t.Context(), "0034")
		if err != nil || s.HourlyRateCents != 1175 || s.Weights.Occupation != 0.4 {
			t.Fatalf("stored %+v %v", s, err)
		}
		coach := e.browser()
		coach.login("coach@demo.opstap.nl")
		if resp, _ := coach.do("GET", "/flex/settings", nil, nil); resp.StatusCode != 403 {
			t.Fatalf("coach: %d", resp.StatusCode)
		}
	})
}
