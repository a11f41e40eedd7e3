package demo

import (
	"context"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/dossier"
	"github.com/opstap/opstap/internal/store"
)

func init() { loaders = append(loaders, loadDossier) }

// demoNotes are a few invented dossier entries of the first demo candidate,
// days before today.
var demoNotes = []struct {
	kind        dossier.EntryKind
	daysAgo     int
	title, body string
}{
	{dossier.EntryConversationNote, 40, "Intakegesprek", "Kennismaking. Lisa wil graag terug naar werk in de kinderopvang; ze heeft een mbo-diploma Pedagogisch werk."},
	{dossier.EntryInstrument, 30, "Beroepeninteressetest", "Test afgenomen; sterke voorkeur voor sociale en verzorgende beroepen."},
	{dossier.EntryConversationNote, 14, "Voortgangsgesprek", "Sollicitatiebrief samen doorgenomen. Twee vacatures gevonden in Almere Haven."},
	{dossier.EntryResult, 3, "Eerste sollicitatiegesprek", "Uitgenodigd bij een kinderdagverblijf; gesprek verliep goed volgens Lisa."},
}

// loadDossier writes the notes as the demo coach, through the store, so
// they are sealed and logged like any other.
func loadDossier(ctx context.Context, db *store.DB, d *Data) error {
	if !d.Fresh || len(d.Candidates) == 0 {
		return nil
	}
	u, err := db.FindUserByID(ctx, d.Users["coach@demo.opstap.nl"])
	if err != nil {
		return err
	}
	coach := u.Actor(db.Now(), "")
	today := opstap.DateOf(db.Now())
	for _, n := range demoNotes {
		in := dossier.EntryInput{Kind: n.kind, Title: n.title, Body: n.body, OccurredOn: today.AddDays(-n.daysAgo)}
		if _, err := db.CreateEntry(ctx, coach, d.Candidates[0], in, store.PurposeGuidance); err != nil {
			return err
		}
	}
	return nil
}
