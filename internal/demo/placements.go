package demo

import (
	"context"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/flex"
	"github.com/opstap/opstap/internal/render"
	"github.com/opstap/opstap/internal/store"
)

func init() { loaders = append(loaders, loadPlacements) }

// loadPlacements places the first Almere candidate at the bakery,
// confirmed with both confirmations [003 art 5 lid 4], and proposes them
// for a Thursday shop assignment that the candidate accepted and the
// employer has yet to answer (try it as werkgever@demo.opstap.nl).
func loadPlacements(ctx context.Context, db *store.DB, d *Data) error {
	km, err := demoActor(ctx, db, d, "klantmanager@demo.opstap.nl")
	if err != nil {
		return err
	}
	open, _, err := db.FindAssignments(ctx, km, store.AssignmentFilter{Status: flex.StatusOpen})
	if err != nil || len(open) == 0 || len(d.Candidates) == 0 {
		return err // no flex demo data without the reference data
	}
	bakery := open[0]
	self, err := demoActor(ctx, db, d, "kandidaat@demo.opstap.nl")
	if err != nil {
		return err
	}
	boss, err := demoActor(ctx, db, d, "werkgever@demo.opstap.nl")
	if err != nil {
		return err
	}
	lisa := d.Candidates[0]
	// Wednesday mornings only: the candidate keeps the rest of the week for
	// other assignments, so the matching demo still ranks them.
	p, err := db.ProposePlacement(ctx, km, bakery.ID, flex.Proposal{CandidateID: lisa, LastDay: bakery.Start.AddMonths(3).AddDays(-1),
		HoursPerWeek: 4, Days: []string{"wed"}})
	if err != nil {
		return err
	}
	for _, a := range []*opstap.Actor{self, boss} {
		if _, err := db.AnswerPlacement(ctx, a, p.ID, true); err != nil {
			return err
		}
	}
	if _, err := db.ConfirmPlacement(ctx, km, p.ID, render.PlacementPDFs); err != nil {
		return err
	}
	return demoProposal(ctx, db, km, self, bakery, lisa)
}

// demoProposal is a second bakery assignment on Thursdays, with a proposal
// the candidate accepted and the employer has not yet answered, and a third
// on Fridays that nobody is proposed for yet: the case manager proposes
// from its matching list.
func demoProposal(ctx context.Context, db *store.DB, km, self *opstap.Actor, bakery *flex.Assignment, lisa string) error {
	a, err := demoShiftAssignment(ctx, db, km, bakery, "Medewerker winkel", "thu",
		"Hulp op de drukke donderdagochtend naast het vaste winkelteam; er staat geen vacature open.")
	if err != nil {
		return err
	}
	p, err := db.ProposePlacement(ctx, km, a.ID, flex.Proposal{CandidateID: lisa})
	if err != nil {
		return err
	}
	if _, err = db.AnswerPlacement(ctx, self, p.ID, true); err != nil {
		return err
	}
	_, err = demoShiftAssignment(ctx, db, km, bakery, "Medewerker winkel (vrijdag)", "fri",
		"Hulp bij de vrijdagse bestellingen naast het vaste winkelteam; er staat geen vacature open.")
	return err
}

// demoShiftAssignment opens a copy of the bakery assignment for one
// morning a week, after its displacement check.
func demoShiftAssignment(ctx context.Context, db *store.DB, km *opstap.Actor, bakery *flex.Assignment, title, day, motivation string) (*flex.Assignment, error) {
	shop := *bakery
	shop.ID, shop.Title, shop.HoursPerWeek, shop.Days, shop.Demands = "", title, 4, []string{day}, nil
	shop.StartTime, shop.EndTime = "09:00", "13:00"
	a, err := db.CreateAssignment(ctx, km, shop)
	if err != nil {
		return nil, err
	}
	if _, err := db.RecordDisplacementCheck(ctx, km, a.ID, flex.DisplacementCheck{CheckedOn: opstap.DateOf(db.Now()), Positive: true,
		Motivation: motivation}); err != nil {
		return nil, err
	}
	return db.SetAssignmentStatus(ctx, km, a.ID, flex.StatusOpen)
}
