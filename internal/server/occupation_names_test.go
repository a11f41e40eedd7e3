package server_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// TestOccupationsByName (issue 12 item 7): the flex profile form shows and
// takes occupations, skills and preferred occupations by name, never by
// ESCO or ISCO code; without JavaScript a name that is not exact is refused
// on its field with the closest names, and nothing changes.
func TestOccupationsByName(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		lisa := demoCandidate(t, db, "kandidaat@demo.opstap.nl")
		km := e.browser()
		km.login("klantmanager@demo.opstap.nl")
		page := "/candidates/" + lisa + "/flex"
		form := func(body string) string {
			t.Helper()
			start := strings.Index(body, `<form method="post" action="`+page+`">`)
			end := strings.Index(body[max(start, 0):], "</form>")
			if start < 0 || end < 0 {
				t.Fatalf("no profile form on %s", page)
			}
			return body[start : start+end]
		}
		resp, body := km.do("GET", page, nil, nil)
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s: %d", page, resp.StatusCode)
		}
		f := form(body)
		for _, want := range []string{`value="bakkerijmedewerker"`, `value="winkelmedewerker"`, ">bakker</textarea>", "bakkerijmedewerker\nbakker</textarea>", `list="occupation-names"`} {
			if !strings.Contains(f, want) {
				t.Errorf("the form lacks %q", want)
			}
		}
		// The occupation fields and the text areas of names hold names, no
		// ESCO code ("8160.2") or ISCO group ("8160").
		names := regexp.MustCompile(`name="occupation_\d+"[^>]*value="([^"]*)"|<textarea[^>]*name="(?:skills|preferred)"[^>]*>([^<]*)<`).FindAllStringSubmatch(f, -1)
		if len(names) < 4 {
			t.Fatalf("%d name fields in the form", len(names))
		}
		for _, m := range names {
			if v := m[1] + m[2]; regexp.MustCompile(`\d`).MatchString(v) {
				t.Errorf("a name field holds a code: %q", v)
			}
		}

		u, err := db.FindUserByEmail(ctx, "klantmanager@demo.opstap.nl")
		if err != nil {
			t.Fatal(err)
		}
		actor := u.Actor(db.Now(), "127.0.0.1")
		before, err := db.FlexProfile(ctx, actor, lisa, store.PurposeMatching, "")
		if err != nil {
			t.Fatal(err)
		}
		bad := url.Values{"occupation_0": {"bakk"}, "months_0": {"12"}, "occupation_1": {""}, "months_1": {"3"},
			"skills": {"bakker\nzwemleraar"}, "preferred": {""}, "hours_per_week": {"28"}, "max_travel_km": {"15"}, "days": {"mon"}}
		resp, body = km.do("POST", page, bad, nil)
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("unknown names: %d", resp.StatusCode)
		}
		for _, want := range []string{`id="occupation-0-error"`, "bedoelt u: bakker", `id="occupation-1-error"`, `id="skills-error"`, "zwemleraar"} {
			if !strings.Contains(body, want) {
				t.Errorf("the refusal lacks %q", want)
			}
		}
		after, err := db.FlexProfile(ctx, actor, lisa, store.PurposeMatching, "")
		if err != nil || !slices.Equal(after.Occupations, before.Occupations) || !slices.Equal(after.Skills, before.Skills) {
			t.Fatalf("a refused form changed the profile: %+v → %+v", before.Occupations, after.Occupations)
		}

		good := url.Values{"occupation_0": {"Bakker"}, "months_0": {"14"}, "occupation_1": {"medewerker in de bakkerij"}, "months_1": {"6"},
			"occupation_2": {""}, "months_2": {""}, "skills": {"broodbakker\n"}, "preferred": {"kassamedewerker\n81"},
			"hours_per_week": {"28"}, "max_travel_km": {"15"}, "days": {"mon", "tue"}}
		if resp, body = km.do("POST", page, good, nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("names: %d %s", resp.StatusCode, body)
		}
		got, err := db.FlexProfile(ctx, actor, lisa, store.PurposeMatching, "")
		if err != nil {
			t.Fatal(err)
		}
		occ := map[string]int{}
		for _, o := range got.Occupations {
			occ[o.Code] = o.ExperienceMonths
		}
		pref := slices.Sorted(slices.Values(got.Preferred))
		if len(occ) != 2 || occ["7512.1"] != 14 || occ["8160.2"] != 6 || !slices.Equal(got.Skills, []string{"7512.1"}) || !slices.Equal(pref, []string{"5230", "81"}) {
			t.Errorf("saved: %+v skills %v preferred %v", got.Occupations, got.Skills, got.Preferred)
		}
	})
}
