package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/opstap/opstap/internal/flex"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// TestIrreversibleActsAskFirst (issue 12 item 8): ending a trajectory,
// running retention now, withdrawing or declining a proposal first show
// what will happen, with the form's fields kept and a button that
// confirms; nothing changes until it is pressed.
func TestIrreversibleActsAskFirst(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		asked := func(b *browser, path string, form url.Values, says string) {
			t.Helper()
			resp, body := b.do("POST", path, form, nil)
			if resp.StatusCode != http.StatusOK || !strings.Contains(body, `name="confirmed" value="1"`) || !strings.Contains(body, says) ||
				!strings.Contains(body, "Dit kan niet ongedaan worden gemaakt.") {
				t.Fatalf("POST %s did not ask first: %d", path, resp.StatusCode)
			}
			for k, vs := range form {
				if !strings.Contains(body, `name="`+k+`" value="`+vs[0]+`"`) {
					t.Fatalf("POST %s: field %s not carried through the confirmation", path, k)
				}
			}
		}
		confirmed := func(form url.Values) url.Values {
			f := url.Values{"confirmed": {"1"}}
			for k, v := range form {
				f[k] = v
			}
			return f
		}

		// Ending a trajectory.
		var candidateID, trajectoryID string
		if err := db.SQL.QueryRow(`SELECT id FROM candidates WHERE external_ref = 'ALM-0001'`).Scan(&candidateID); err != nil {
			t.Fatal(err)
		}
		if err := db.SQL.QueryRow(rebindOne(db, `SELECT id FROM trajectories WHERE candidate_id = ?`), candidateID).Scan(&trajectoryID); err != nil {
			t.Fatal(err)
		}
		trajStatus := func() string {
			var s string
			if err := db.SQL.QueryRow(rebindOne(db, `SELECT status FROM trajectories WHERE id = ?`), trajectoryID).Scan(&s); err != nil {
				t.Fatal(err)
			}
			return s
		}
		coach := e.browser()
		coach.login("coach@demo.opstap.nl")
		end := url.Values{"trajectory_id": {trajectoryID}, "action": {"end"}, "reason": {"end_of_term"}}
		path := "/candidates/" + candidateID + "/trajectory/transition"
		before := trajStatus()
		asked(coach, path, end, "Het traject eindigt definitief")
		if trajStatus() != before {
			t.Fatalf("asked, yet the trajectory went from %s to %s", before, trajStatus())
		}
		if resp, _ := coach.do("POST", path, confirmed(end), nil); resp.StatusCode != http.StatusSeeOther || trajStatus() != "ended" {
			t.Fatalf("confirmed end: %d, status %s", resp.StatusCode, trajStatus())
		}

		// Running retention now.
		runs := func() int { return countRows(t, db, "retention_runs") }
		po := e.browser()
		po.login("privacy@demo.opstap.nl")
		n := runs()
		asked(po, "/privacy/retention/run", url.Values{}, "wordt nu vernietigd")
		if runs() != n {
			t.Fatal("asked, yet retention ran")
		}
		if resp, _ := po.do("POST", "/privacy/retention/run", url.Values{"confirmed": {"1"}}, nil); resp.StatusCode != http.StatusSeeOther || runs() != n+1 {
			t.Fatalf("confirmed run: %d, %d runs", resp.StatusCode, runs())
		}

		// Withdrawing a proposal, and declining one.
		j := newJourney(t, db)
		km := e.browser()
		km.login("klantmanager@demo.opstap.nl")
		seen := map[string]bool{}
		status := func(id string) flex.PlacementStatus {
			var s string
			if err := db.SQL.QueryRow(rebindOne(db, `SELECT status FROM placements WHERE id = ?`), id).Scan(&s); err != nil {
				t.Fatal(err)
			}
			return flex.PlacementStatus(s)
		}
		propose := func() string {
			if resp, _ := km.do("POST", "/assignments/"+j.assignment.ID+"/proposals", url.Values{"candidate_id": {j.candidate}}, nil); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("propose: %d", resp.StatusCode)
			}
			rows, err := db.SQL.Query(rebindOne(db, `SELECT id FROM placements WHERE assignment_id = ?`), j.assignment.ID)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			fresh := ""
			for rows.Next() {
				var id string
				if err := rows.Scan(&id); err != nil {
					t.Fatal(err)
				}
				if !seen[id] {
					fresh, seen[id] = id, true
				}
			}
			return fresh
		}
		pid := propose()
		asked(km, "/placements/"+pid+"/cancel", url.Values{}, "Het voorstel wordt ingetrokken")
		if s := status(pid); s != flex.PlacementProposed {
			t.Fatalf("asked, yet the proposal is %s", s)
		}
		if resp, _ := km.do("POST", "/placements/"+pid+"/cancel", url.Values{"confirmed": {"1"}}, nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("confirmed withdrawal: %d", resp.StatusCode)
		}
		if s := status(pid); s == flex.PlacementProposed {
			t.Fatal("the confirmed withdrawal did not withdraw")
		}

		pid = propose()
		cand := e.browser()
		cand.login("jaap@example.nl")
		decline := url.Values{"accept": {"0"}}
		asked(cand, "/placements/"+pid+"/answer", decline, "U wijst dit voorstel af")
		if s := status(pid); s != flex.PlacementProposed {
			t.Fatalf("asked, yet the proposal is %s", s)
		}
		if resp, _ := cand.do("POST", "/placements/"+pid+"/answer", confirmed(decline), nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("confirmed decline: %d", resp.StatusCode)
		}
		if s := status(pid); s == flex.PlacementProposed {
			t.Fatal("the confirmed decline did not decline")
		}
		// Accepting is not irreversible in this sense: it is not asked.
		pid = propose()
		if resp, _ := cand.do("POST", "/placements/"+pid+"/answer", url.Values{"accept": {"1"}}, nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("accept: %d", resp.StatusCode)
		}
	})
}
