package server_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// TestHomeFigures: each role's home page counts the work waiting, from the
// demo data, on both engines.
func TestHomeFigures(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		tests := []struct {
			email string
			want  map[string]string // figure label (Dutch) → count
		}{
			{"coach@demo.opstap.nl", map[string]string{"Mijn kandidaten": "3"}},
			{"klantmanager@demo.opstap.nl", map[string]string{"Kandidaten van uw organisatie": "3", "Open opdrachten": "2"}},
			{"kandidaat@demo.opstap.nl", map[string]string{"Rapportages die op uw akkoord wachten": "1"}},
			// Two running: Wednesdays at the bakery, and the past six months' season
			// placement, whose end the municipality has yet to record.
			{"werkgever@demo.opstap.nl", map[string]string{"Voorstellen die op uw antwoord wachten": "1", "Lopende plaatsingen": "2"}},
			{"klachten@demo.opstap.nl", map[string]string{"Open klachten": "1", "Klachten over een termijn heen": "1"}},
			{"privacy@demo.opstap.nl", map[string]string{"Open privacyverzoeken": "0"}},
		}
		for _, tt := range tests {
			t.Run(tt.email, func(t *testing.T) {
				b := e.browser()
				b.login(tt.email)
				resp, body := b.do("GET", "/", nil, nil)
				if resp.StatusCode != 200 {
					t.Fatalf("home: %d", resp.StatusCode)
				}
				for label, count := range tt.want {
					re := regexp.MustCompile(`<span class="count">(\d+)</span> ` + regexp.QuoteMeta(label))
					m := re.FindStringSubmatch(body)
					if m == nil || m[1] != count {
						t.Errorf("%s: got %v, want %s", label, m, count)
					}
				}
				// Only the candidate themself and the coach who guides them (the
				// caseload, each read logged) see a candidate's name at home.
				if strings.Contains(body, "Hendriks") && tt.email != "kandidaat@demo.opstap.nl" && tt.email != "coach@demo.opstap.nl" {
					t.Error("the home page shows a candidate's name")
				}
			})
		}
	})
}
