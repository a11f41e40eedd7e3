package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/account"
	"github.com/opstap/opstap/internal/figures"
	"github.com/opstap/opstap/internal/flex"
	"github.com/opstap/opstap/internal/gen"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// BenchmarkMunicipalityFigures: the dashboard of a municipality with
// 10,000 candidates, 20,000 placements and 2,000,000 timesheet lines
// (issue 10; goal < 1 s on SQLite, < 500 ms on PostgreSQL): a year's
// figures with their monthly trend, read as its case manager, logged.
func BenchmarkMunicipalityFigures(b *testing.B) {
	const candidates, perCandidate, lines = 10000, 2, 100
	for _, d := range storetest.Engines() {
		b.Run(string(d), func(b *testing.B) {
			ctx := context.Background()
			db := storetest.Open(b, d)
			muni, coach := benchStaff(b, db)
			km, a := benchAssignment(b, db, muni)
			ids, err := gen.Dossiers(ctx, db, muni, coach.UserID, candidates, 0, "GEN", 1)
			if err != nil {
				b.Fatal(err)
			}
			first, _ := opstap.ParseDate("2024-01-01")
			if err := gen.FigureHistory(ctx, db, "0034", a.ID, coach.UserID, ids, first, perCandidate, lines); err != nil {
				b.Fatal(err)
			}
			p := figures.Period{Start: first.AddMonths(12), End: first.AddMonths(24).AddDays(-1)}
			var total time.Duration
			for b.Loop() {
				t0 := time.Now()
				f, err := db.MunicipalityFigures(ctx, km, "0034", p)
				if err != nil {
					b.Fatal(err)
				}
				if f.Figures.Registrations != 4876 || f.Figures.Placements < 5000 || len(f.Trend) != 12 {
					b.Fatalf("%+v", f.Figures)
				}
				total += time.Since(t0)
			}
			b.ReportMetric(float64(total.Milliseconds())/float64(b.N), "ms/dashboard")
		})
	}
}

// benchAssignment gives a benchmark the municipality's case manager and an
// assignment at a bakery, on the reference data sample.
func benchAssignment(b *testing.B, db *store.DB, muni string) (*opstap.Actor, *flex.Assignment) {
	ctx := context.Background()
	importSample(b, db)
	u, err := db.CreateUser(ctx, &opstap.Actor{System: true}, account.NewUser{OrgID: muni, Email: "km@almere.nl", Name: "km@almere.nl",
		Grants: []access.GrantSpec{{Role: opstap.RoleCaseManager}}})
	if err != nil {
		b.Fatal(err)
	}
	km := u.Actor(db.Now(), "")
	e, err := db.CreateEmployer(ctx, km, flex.Employer{Name: "Bakkerij", Locations: []flex.Location{{Name: "Winkel", Address: "Markt 1", Postcode4: "1315"}}})
	if err != nil {
		b.Fatal(err)
	}
	a, err := db.CreateAssignment(ctx, km, flexAssignment(e))
	if err != nil {
		b.Fatal(err)
	}
	return km, a
}
