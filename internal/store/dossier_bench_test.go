package store_test

import (
	"context"
	"html/template"
	"io"
	"math/rand/v2"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/account"
	"github.com/opstap/opstap/internal/gen"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// benchPage stands in for the dossier page's template: the entries with
// their escaped texts and the documents.
var benchPage = template.Must(template.New("p").Parse(`<h1>{{.Candidate.Basic.FirstName}}</h1>{{range .Entries}}<article><h3>{{.Title}}</h3><p>{{.OccurredOn}} {{.AuthorName}}</p><p>{{.Body}}</p></article>{{end}}{{range .Documents}}<a href="/d/{{.ID}}">{{.Filename}}</a>{{end}}`))

// BenchmarkDossierPage opens the dossier page of a random candidate: access
// decisions, the latest entries (indexed, decrypted), documents, the audit
// entries and a render. By default 1,000 candidates with 20 entries each;
// OPSTAP_BENCH_SCALE=full generates the 100,000 candidates with
// 2 million entries (minutes of generation). It reports the median and
// the 95th percentile of one page, and the generation time.
func BenchmarkDossierPage(b *testing.B) {
	n, m := 1000, 20
	if os.Getenv("OPSTAP_BENCH_SCALE") == "full" {
		n = 100000
	}
	for _, d := range storetest.Engines() {
		b.Run(string(d), func(b *testing.B) {
			ctx := context.Background()
			db := storetest.Open(b, d)
			muni, coach := benchStaff(b, db)
			start := time.Now()
			ids, err := gen.Dossiers(ctx, db, muni, coach.UserID, n, m, "GEN", 1)
			if err != nil {
				b.Fatal(err)
			}
			gen := time.Since(start)
			b.Logf("%s: generated %d candidates with %d entries in %s", d, n, n*m, gen.Round(time.Second))
			rng := rand.New(rand.NewPCG(1, 2))
			var took []time.Duration
			for b.Loop() {
				t0 := time.Now()
				p, err := db.DossierPage(ctx, coach, ids[rng.IntN(len(ids))], store.EntryQuery{}, store.PurposeGuidance, "")
				if err != nil {
					b.Fatal(err)
				}
				if err := benchPage.Execute(io.Discard, p); err != nil {
					b.Fatal(err)
				}
				took = append(took, time.Since(t0))
			}
			reportPercentiles(b, took)
			b.ReportMetric(gen.Seconds(), "gen-s")
		})
	}
}

// reportPercentiles reports the median and the 95th percentile of the
// times of the benchmark's operations, in milliseconds.
func reportPercentiles(b *testing.B, took []time.Duration) {
	slices.Sort(took)
	ms := func(q float64) float64 { return float64(took[int(q*float64(len(took)-1))].Microseconds()) / 1000 }
	b.ReportMetric(ms(0.5), "p50-ms")
	b.ReportMetric(ms(0.95), "p95-ms")
}

// benchStaff creates a municipality and a provider coach.
func benchStaff(b *testing.B, db *store.DB) (string, *opstap.Actor) {
	ctx := context.Background()
	sys := &opstap.Actor{System: true}
	prov := &account.Organisation{Name: "Provider", Kind: opstap.OrgProvider}
	muni := &account.Organisation{Name: "Gemeente Almere", Kind: opstap.OrgMunicipality, CBSCode: "0034"}
	for _, o := range []*account.Organisation{prov, muni} {
		if err := db.CreateOrganisation(ctx, sys, o); err != nil {
			b.Fatal(err)
		}
	}
	u, err := db.CreateUser(ctx, sys, account.NewUser{OrgID: prov.ID, Email: "coach@p.nl", Name: "Coach", Grants: []access.GrantSpec{{Role: opstap.RoleCoach}}})
	if err != nil {
		b.Fatal(err)
	}
	return muni.ID, u.Actor(db.Now(), "127.0.0.1")
}
