package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/flex"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// BenchmarkMonthHours: finance's month overview of hours with 5,000
// placements and 400,000 timesheet lines (80 days each, so about 30 in the
// month shown): every candidate's read decided and logged.
func BenchmarkMonthHours(b *testing.B) {
	const placements, days = 5000, 80
	for _, d := range storetest.Engines() {
		b.Run(string(d), func(b *testing.B) {
			ctx, sys := context.Background(), &opstap.Actor{System: true}
			db := storetest.Open(b, d)
			muni, coach := benchStaff(b, db)
			importSample(b, db)
			user := func(org, email string, r opstap.Role) *opstap.Actor {
				u, err := db.CreateUser(ctx, sys, store.NewUser{OrgID: org, Email: email, Name: email, Grants: []store.GrantSpec{{Role: r}}})
				if err != nil {
					b.Fatal(err)
				}
				return u.Actor(db.Now(), "")
			}
			km, fin := user(muni, "km@almere.nl", opstap.RoleCaseManager), user(coach.OrgID, "fin@p.nl", opstap.RoleFinance)
			e, err := db.CreateEmployer(ctx, km, flex.Employer{Name: "Bakkerij", Locations: []flex.Location{{Name: "Winkel", Address: "Markt 1", Postcode4: "1315"}}})
			if err != nil {
				b.Fatal(err)
			}
			a, err := db.CreateAssignment(ctx, km, flexAssignment(e))
			if err != nil {
				b.Fatal(err)
			}
			ids, err := store.GenerateDossiers(ctx, db, muni, coach.UserID, placements, 0)
			if err != nil {
				b.Fatal(err)
			}
			first, _ := opstap.ParseDate("2026-01-01")
			if err := store.GenerateHours(ctx, db, a.ID, coach.UserID, ids, first, days); err != nil {
				b.Fatal(err)
			}
			month := opstap.Month{Year: 2026, Month: 2}
			var total time.Duration
			for b.Loop() {
				t0 := time.Now()
				mh, err := db.FindMonthHours(ctx, fin, month)
				if err != nil {
					b.Fatal(err)
				}
				if len(mh.Rows) != placements || mh.Total.Minutes != placements*28*480 {
					b.Fatalf("%d rows, %d minutes", len(mh.Rows), mh.Total.Minutes)
				}
				total += time.Since(t0)
			}
			b.ReportMetric(float64(total.Milliseconds())/float64(b.N), "ms/month")
		})
	}
}
