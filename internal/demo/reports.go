package demo

import (
	"context"
	"github.com/opstap/opstap/internal/dossier"

	"github.com/opstap/opstap/internal/store"
)

func init() { loaders = append(loaders, loadReports) }

// loadReports puts an action plan before the first demo candidate, so the
// portal shows a report awaiting approval [000 art 5].
func loadReports(ctx context.Context, db *store.DB, d *Data) error {
	coach, err := db.FindUserByID(ctx, d.Users["coach@demo.opstap.nl"])
	if err != nil {
		return err
	}
	a := coach.Actor(db.Now(), "")
	r, err := db.CreateReport(ctx, a, d.Candidates[0], dossier.ReportDraft{Kind: dossier.ReportActionPlan, Content: dossier.ReportContent{
		Title: "Plan van aanpak",
		Body:  "Doel: binnen een jaar betaald werk in de groenvoorziening, eerst via een proefplaatsing.",
		Activities: []dossier.Activity{
			{Activity: "Sollicitatietraining", Product: "cv en motivatiebrief", Planned: "cv gereed in week 4"},
			{Activity: "Werkervaringsplaats groenvoorziening", Product: "evaluatie door de werkgever", Planned: "drie maanden, 24 uur per week"},
		},
	}})
	if err != nil {
		return err
	}
	return db.SubmitReport(ctx, a, r.ID)
}
