package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/figures"
	"github.com/opstap/opstap/internal/history"

	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/account"
	"github.com/opstap/opstap/internal/store/storetest"
)

// BenchmarkProviderFigures: the provider-wide view over 342 municipalities
// (issue 10; goal < 3 s on PostgreSQL), each with a two-year history of 30
// candidates imported (registration, matchable status, a placement of about
// four months with its approved hours, outflow for every fifth): about
// 10,000 candidates and 75,000 records in all. A year beside the year
// before, read as the provider's finance, logged.
func BenchmarkProviderFigures(b *testing.B) {
	const municipalities, perMunicipality = 342, 30
	for _, d := range storetest.Engines() {
		b.Run(string(d), func(b *testing.B) {
			ctx := context.Background()
			db := storetest.Open(b, d)
			sys := &opstap.Actor{System: true}
			prov := &account.Organisation{Name: "Provider", Kind: opstap.OrgProvider}
			if err := db.CreateOrganisation(ctx, sys, prov); err != nil {
				b.Fatal(err)
			}
			u, err := db.CreateUser(ctx, sys, account.NewUser{OrgID: prov.ID, Email: "fin@p.nl", Name: "fin@p.nl", Grants: []access.GrantSpec{{Role: opstap.RoleFinance}}})
			if err != nil {
				b.Fatal(err)
			}
			first := opstap.Date{Year: 2024, Month: 1, Day: 1}
			yes := true
			for i := range municipalities {
				cbs := fmt.Sprintf("%04d", 1000+i)
				if err := db.CreateOrganisation(ctx, sys, &account.Organisation{Name: "Gemeente " + cbs, Kind: opstap.OrgMunicipality, CBSCode: cbs}); err != nil {
					b.Fatal(err)
				}
				var recs []history.Record
				for j := range perMunicipality {
					ref, reg := fmt.Sprintf("K%03d", j), first.AddDays((i*7+j*23)%700)
					start := reg.AddDays(20)
					recs = append(recs, history.Record{Kind: history.KindRegistration, Candidate: ref, Date: reg, BenefitStart: reg.AddMonths(-(j % 50))},
						history.Record{Kind: history.KindMatchable, Candidate: ref, Date: reg.AddDays(5), Matchable: &yes},
						history.Record{Kind: history.KindPlacement, Candidate: ref, Placement: "P" + ref, FirstDay: start, LastDay: start.AddDays(120), HoursPerWeek: 16 + j%20})
					for m := opstap.MonthOf(start); !m.After(opstap.MonthOf(start.AddDays(120))); m = m.Next() {
						recs = append(recs, history.Record{Kind: history.KindHours, Placement: "P" + ref, Month: m, Hours: "64"})
					}
					if j%5 == 0 {
						recs = append(recs, history.Record{Kind: history.KindEnd, Candidate: ref, Date: start.AddDays(121), Reason: "regular_work"})
					}
				}
				if _, err := db.ImportHistory(ctx, sys, cbs, recs); err != nil {
					b.Fatal(err)
				}
			}
			fin := u.Actor(db.Now(), "")
			p := figures.Period{Start: first.AddMonths(12), End: first.AddMonths(24).AddDays(-1)}
			view := func() time.Duration {
				t0 := time.Now()
				got, err := db.ProviderFigures(ctx, fin, p)
				if err != nil {
					b.Fatal(err)
				}
				if len(got.Municipalities) != municipalities || got.Total.Current.Registrations == 0 || got.Total.Previous.Placements == 0 {
					b.Fatalf("%d municipalities, %+v", len(got.Municipalities), got.Total)
				}
				return time.Since(t0)
			}
			var live, freezing, frozen time.Duration
			for b.Loop() {
				live += view()
				// The first six months of the year closed: the first view
				// freezes them for every municipality, the next reads them.
				b.StopTimer()
				for m := opstap.MonthOf(p.Start); m.Before(opstap.MonthOf(p.Start).Add(6)); m = m.Next() {
					if err := db.ClosePeriod(ctx, fin, m); err != nil {
						b.Fatal(err)
					}
				}
				b.StartTimer()
				freezing += view()
				frozen += view()
			}
			n := float64(b.N)
			b.ReportMetric(float64(live.Milliseconds())/n, "ms/view")
			b.ReportMetric(float64(freezing.Milliseconds())/n, "ms/freezing-view")
			b.ReportMetric(float64(frozen.Milliseconds())/n, "ms/frozen-view")
		})
	}
}
