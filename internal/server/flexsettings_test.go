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
		if resp.StatusCode != 200 || !strings.Contains(body, `value="11,75"`) {
			t.Fatalf("settings page: %d", resp.StatusCode)
		}
		form := url.Values{"hourly_rate": {"12,05"}, "occupation": {"0.4"}, "skills": {"0.2"}, "experience": {"0.1"}, "distance": {"0.1"}, "time_on_benefit": {"0.15"}, "preference": {"0.05"}}
		bad := url.Values{}
		for k, v := range form {
			bad[k] = v
		}
		bad.Set("hourly_rate", "12,055")
		resp, body = km.do("POST", "/flex/settings", bad, nil)
		if resp.StatusCode != 422 || !strings.Contains(body, `id="s-rate-error"`) {
			t.Fatalf("bad rate: %d", resp.StatusCode)
		}
		if resp, _ := km.do("POST", "/flex/settings", form, nil); resp.StatusCode != 303 {
			t.Fatalf("save: %d", resp.StatusCode)
		}
		s, err := db.FlexSettings(t.Context(), "0034")
		if err != nil || s.HourlyRateCents != 1205 || s.Weights.Occupation != 0.4 {
			t.Fatalf("stored %+v %v", s, err)
		}
		coach := e.browser()
		coach.login("coach@demo.opstap.nl")
		if resp, _ := coach.do("GET", "/flex/settings", nil, nil); resp.StatusCode != 403 {
			t.Fatalf("coach: %d", resp.StatusCode)
		}
	})
}
