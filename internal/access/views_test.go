package access_test

import (
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
)

// TestViews_003art7_7: the employer of a placement reads only the part of
// the basic data and the limitations that the placement needs [003 art 7.7
// lid 2, 002 art 5.1], the case manager only the reports shared with the
// commissioner [000 art 5]; every other allowed read shows the whole category.
// The expectation is written out here, not taken from the table.
func TestViews_003art7_7(t *testing.T) {
	want := map[opstap.Role]map[opstap.Category]access.View{
		opstap.RoleEmployer: {opstap.CatBasic: access.ViewPlacement, opstap.CatEducation: access.ViewPlacement,
			opstap.CatPreferences: access.ViewPlacement, opstap.CatLimitations: access.ViewPlacement},
		opstap.RoleCaseManager: {opstap.CatReports: access.ViewShared},
	}
	for _, sc := range matrix {
		for _, cat := range columns {
			for _, reason := range []string{"", validReason} {
				d := access.Decide(actor(sc, opstap.Write), subject(), cat, opstap.Read, reason)
				if !d.Allowed {
					if d.View != access.ViewAll {
						t.Errorf("%s/%s %s: a denial carries view %q", sc.role, sc.name, cat, d.View)
					}
					continue
				}
				if got := d.View; got != want[sc.role][cat] {
					t.Errorf("%s/%s %s: view %q, want %q", sc.role, sc.name, cat, got, want[sc.role][cat])
				}
			}
		}
	}
}
