package server_test

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// postJSON sends a JSON body as a same-origin browser request.
func (b *browser) postJSON(path, body string) (*http.Response, string) {
	b.e.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.e.srv.URL+path, bytes.NewBufferString(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("Origin", b.e.srv.URL)
	resp, err := b.c.Do(req)
	if err != nil {
		b.e.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp, string(data)
}

// TestTrajectoryJourney_000art7_000art8: the coach sees the demo trajectory;
// the candidate reports an absence in the portal and can end participation
// only after acknowledging the benefit warning; the case manager sees the
// status but no appointments.
func TestTrajectoryJourney_000art7_000art8(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		var candidateID string
		if err := db.SQL.QueryRow(`SELECT id FROM candidates WHERE external_ref = 'ALM-0001'`).Scan(&candidateID); err != nil {
			t.Fatal(err)
		}
		coach := e.browser()
		coach.login("coach@demo.opstap.nl")
		resp, body := coach.do("GET", "/candidates/"+candidateID+"/trajectory", nil, nil)
		if resp.StatusCode != 200 || !strings.Contains(body, "Re-integratie: Actief") || !strings.Contains(body, "Stationsplein 10") {
			t.Fatalf("coach page: %d", resp.StatusCode)
		}
		// [000 art 11] suspension is offered but refused until both talks are recorded.
		if !strings.Contains(body, "Nu niet mogelijk: bespreek het voornemen tot opschorting eerst met de kandidaat") {
			t.Fatal("refused suspension does not say why")
		}

		cand := e.browser()
		cand.login("kandidaat@demo.opstap.nl")
		resp, body = cand.do("GET", "/api/v1/portal/trajectory", nil, nil)
		var own struct {
			Trajectories []struct {
				ID           string
				Status       string
				Appointments []struct{ ID string }
			}
		}
		decode(t, body, &own)
		if resp.StatusCode != 200 || len(own.Trajectories) != 1 || len(own.Trajectories[0].Appointments) != 2 {
			t.Fatalf("portal API: %d %s", resp.StatusCode, body)
		}
		tr := own.Trajectories[0]

		// [000 art 8] the absence a week ahead is on time.
		resp, _ = cand.do("POST", "/portal/trajectory/absence", url.Values{"appointment_id": {tr.Appointments[0].ID}, "reason": {"tandarts"}}, nil)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("absence: %d", resp.StatusCode)
		}
		resp, body = cand.do("GET", "/portal/trajectory", nil, nil)
		if resp.StatusCode != 200 || !strings.Contains(body, "Op tijd gemeld") || !strings.Contains(body, "loonsanctie") || !strings.Contains(body, `type="checkbox"`) {
			t.Fatalf("portal page: %d", resp.StatusCode)
		}

		// [000 art 7] without the acknowledgement the end is refused, naming the field.
		resp, body = cand.postJSON("/api/v1/portal/trajectories/"+tr.ID+"/end", `{}`)
		var ae apiError
		decode(t, body, &ae)
		if resp.StatusCode != http.StatusUnprocessableEntity || ae.Error.Field != "warning_acknowledged" {
			t.Fatalf("end without acknowledgement: %d %s", resp.StatusCode, body)
		}
		resp, body = cand.do("POST", "/portal/trajectory/end", url.Values{"trajectory_id": {tr.ID}}, nil)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "bevestig dat u de waarschuwing") || !strings.Contains(body, `aria-invalid="true"`) {
			t.Fatalf("form end without acknowledgement: %d", resp.StatusCode)
		}
		resp, _ = cand.do("POST", "/portal/trajectory/end", url.Values{"trajectory_id": {tr.ID}, "warning_acknowledged": {"true"}}, nil)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("end: %d", resp.StatusCode)
		}

		// The case manager reads the status and end reason, not the appointments.
		km := e.browser()
		km.login("klantmanager@demo.opstap.nl")
		resp, body = km.do("GET", "/api/v1/candidates/"+candidateID+"/trajectories", nil, nil)
		var seen struct {
			Trajectories []struct {
				Status       string
				End          struct{ Reason string }
				Appointments []any
			}
		}
		decode(t, body, &seen)
		if resp.StatusCode != 200 || len(seen.Trajectories) != 1 || seen.Trajectories[0].Status != "ended" || seen.Trajectories[0].End.Reason != "ended_by_candidate" || seen.Trajectories[0].Appointments != nil || strings.Contains(body, "tandarts") {
			t.Fatalf("case manager: %d %s", resp.StatusCode, body)
		}
	})
}
