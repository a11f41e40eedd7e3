package store_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/account"
	"github.com/opstap/opstap/internal/gen"
	"github.com/opstap/opstap/internal/store/storetest"
)

// BenchmarkMatchAtScale proposes candidates for one assignment, as the case
// manager's matching page does (RankCandidates: the index query, the ten
// best and up to 100 excluded named, every name read decrypted and logged),
// over the municipality preset of `opstap gen`: 10,000 candidates of one
// municipality, 6,000 with a matchable profile, 2,500 assignments and
// 3,750 placements. The dossier entries and timesheet lines, which matching
// does not read, are left out unless OPSTAP_BENCH_SCALE=full. Each
// operation ranks the next of the municipality's assignments; building the
// index from the profiles (at the first ranking) is reported apart.
func BenchmarkMatchAtScale(b *testing.B) {
	size := gen.Presets["municipality"]
	if os.Getenv("OPSTAP_BENCH_SCALE") != "full" {
		size.EntriesPer, size.Lines = 0, 0
	}
	for _, d := range storetest.Engines() {
		b.Run(string(d), func(b *testing.B) {
			ctx := context.Background()
			db := storetest.Open(b, d)
			importSample(b, db)
			res, err := gen.Run(ctx, db, gen.Options{Size: size, Seed: 1})
			if err != nil {
				b.Fatal(err)
			}
			b.Logf("%s: generated %d rows in %s", d, res.Rows, res.Elapsed.Round(time.Second))
			var cbs, org string
			for c, o := range res.Municipalities {
				cbs, org = c, o
			}
			u, err := db.CreateUser(ctx, &opstap.Actor{System: true}, account.NewUser{OrgID: org, Email: "km@gen.opstap.test", Name: "KM",
				Grants: []access.GrantSpec{{Role: opstap.RoleCaseManager}}})
			if err != nil {
				b.Fatal(err)
			}
			km := u.Actor(db.Now(), "127.0.0.1")
			sample, err := db.LoadSampleOf(ctx, 1)
			if err != nil || sample.CBS != cbs {
				b.Fatalf("assignments: %v (%s, want %s)", err, sample.CBS, cbs)
			}
			t0 := time.Now()
			first, err := db.RankCandidates(ctx, km, sample.Assignments[0].ID, 10)
			if err != nil {
				b.Fatal(err)
			}
			build := time.Since(t0)
			b.Logf("%s: index built and first ranking in %s: %d considered, %d eligible", d, build.Round(time.Millisecond), first.Considered, first.Eligible)
			var took []time.Duration
			proposed, i := 0, 0
			for b.Loop() {
				t1 := time.Now()
				rk, err := db.RankCandidates(ctx, km, sample.Assignments[i%len(sample.Assignments)].ID, 10)
				if err != nil {
					b.Fatal(err)
				}
				took = append(took, time.Since(t1))
				proposed += len(rk.Results)
				i++
			}
			if proposed == 0 {
				b.Fatal("no candidate proposed for any assignment")
			}
			reportPercentiles(b, took)
			b.ReportMetric(float64(proposed)/float64(len(took)), "proposed/op")
			b.ReportMetric(build.Seconds(), "index-s")
		})
	}
}
