package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/flex"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// TestAssignmentTermsForm_003art5lid6: the assignment page offers the form
// to change the terms (and the status buttons) only to who the store lets
// change them. The municipality acquired the demo bakery, so its case
// manager gets the form; the provider's coach, who manages only national
// accounts' assignments [003 art 5 lid 6], and the bakery's own user see
// the terms read-only, and the coach's change is still refused. On a
// national account the coach gets the form.
func TestAssignmentTermsForm_003art5lid6(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		var id, employerID, locationID string
		if err := db.SQL.QueryRow(`SELECT id, employer_org_id, location_id FROM assignments WHERE title = 'Medewerker bakkerij'`).Scan(&id, &employerID, &locationID); err != nil {
			t.Fatal(err)
		}
		page := "/assignments/" + id
		editForm, statusForm := `action="`+page+`"`, `action="`+page+`/status"`

		km := e.browser()
		km.login("klantmanager@demo.opstap.nl")
		if resp, body := km.do("GET", page, nil, nil); resp.StatusCode != 200 || !strings.Contains(body, editForm) || !strings.Contains(body, statusForm) ||
			strings.Contains(body, `id="terms"`) {
			t.Fatalf("the case manager of Almere: %d, want the edit form and the status buttons", resp.StatusCode)
		}

		coach := e.browser()
		coach.login("coach@demo.opstap.nl")
		resp, body := coach.do("GET", page, nil, nil)
		if resp.StatusCode != 200 || strings.Contains(body, editForm) || strings.Contains(body, statusForm) || strings.Contains(body, `name="title"`) {
			t.Fatalf("the coach: %d, offered a form the store refuses", resp.StatusCode)
		}
		for _, want := range []string{`id="terms"`, "U kunt deze voorwaarden inzien maar niet wijzigen.", "Medewerker bakkerij",
			"Bakkerij De Korenschoof – Winkel en bakkerij (1315)", "maandag, dinsdag, woensdag", "06:00", "14:30", "veel staan", "€ 11,75"} {
			if !strings.Contains(body, want) {
				t.Errorf("the coach's read-only terms lack %q", want)
			}
		}
		start := opstap.DateOf(e.now()).AddDays(14)
		form := url.Values{"location_id": {employerID + "/" + locationID}, "title": {"Medewerker bakkerij (gewijzigd)"}, "occupation": {"8160.2"},
			"hours_per_week": {"24"}, "days": {"mon", "tue", "wed"}, "start_time": {"06:00"}, "end_time": {"14:30"},
			"start": {start.String()}, "planned_end": {start.AddMonths(3).String()}}
		if resp, _ := coach.do("POST", page, form, nil); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("the coach changed a local employer's assignment: %d", resp.StatusCode)
		}
		if resp, _ := coach.do("POST", page+"/status", url.Values{"status": {"closed"}}, nil); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("the coach closed a local employer's assignment: %d", resp.StatusCode)
		}
		ctx := context.Background()
		if as, err := db.FindAssignment(ctx, demoSystem(), id); err != nil || as.Title != "Medewerker bakkerij" || as.Status == flex.StatusClosed {
			t.Fatalf("after the refused changes: %+v %v", as, err)
		}

		boss := e.browser()
		boss.login("werkgever@demo.opstap.nl")
		if resp, body := boss.do("GET", page, nil, nil); resp.StatusCode != 200 || strings.Contains(body, editForm) || !strings.Contains(body, `id="terms"`) {
			t.Fatalf("the bakery's user: %d, want the terms read-only", resp.StatusCode)
		}

		// A national account the provider brought: the coach manages it.
		chain, err := db.CreateEmployer(ctx, demoSystem(), flex.Employer{Name: "Supermarktketen", National: true, Municipalities: []string{"0034"},
			Locations: []flex.Location{{Name: "Filiaal Stadhuisplein", Address: "Stadhuisplein 1, Almere", Postcode4: "1315"}}})
		if err != nil {
			t.Fatal(err)
		}
		as, err := db.CreateAssignment(ctx, demoSystem(), flex.Assignment{EmployerID: chain.ID, LocationID: chain.Locations[0].ID, Municipality: "0034",
			Title: "Vakkenvuller", Occupation: "8160.2", HoursPerWeek: 20, Days: []string{"thu", "fri"}, StartTime: "08:00", EndTime: "12:00",
			Start: start, PlannedEnd: start.AddMonths(3).AddDays(-1)})
		if err != nil {
			t.Fatal(err)
		}
		national := "/assignments/" + as.ID
		if resp, body := coach.do("GET", national, nil, nil); resp.StatusCode != 200 || !strings.Contains(body, `action="`+national+`"`) || strings.Contains(body, `id="terms"`) {
			t.Fatalf("the coach on a national account: %d, want the edit form", resp.StatusCode)
		}
	})
}
