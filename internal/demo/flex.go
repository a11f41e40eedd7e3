package demo

import (
	"context"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/flex"
	"github.com/opstap/opstap/internal/store"
)

func init() { loaders = append(loaders, loadFlex) }

// demoProfiles are the flex profiles of the Almere demo candidates, by
// external reference; visible means the candidate and the coach agreed.
var demoProfiles = []struct {
	ref     string
	p       flex.Profile
	visible bool
}{
	{"ALM-0001", flex.Profile{Occupations: []flex.ProfileOccupation{{Code: "8160.2", ExperienceMonths: 8}, {Code: "5223.6", ExperienceMonths: 14}},
		Skills: []string{"7512.1"}, HoursPerWeek: 28, Days: []string{"mon", "tue", "wed", "thu", "fri"}, MaxTravelKm: 15, OwnTransport: true,
		Preferred: []string{"8160", "7512"}}, true},
	{"ALM-0002", flex.Profile{Occupations: []flex.ProfileOccupation{{Code: "6113.1", ExperienceMonths: 30}}, Skills: []string{"9214.2"},
		HoursPerWeek: 32, Days: []string{"mon", "tue", "wed", "thu"}, MaxTravelKm: 25, DrivingLicence: true, OwnTransport: true,
		Preferred: []string{"6113"}}, false},
	{"ALM-0003", flex.Profile{Occupations: []flex.ProfileOccupation{{Code: "9112.2", ExperienceMonths: 60}}, HoursPerWeek: 16,
		Days: []string{"mon", "wed", "fri"}, MaxTravelKm: 5}, false},
}

// loadFlex registers the demo employers of Almere with a location each, an
// open bakery assignment with a positive displacement check, a draft green
// maintenance assignment, and flex profiles for the Almere candidates.
// Without the occupation sample (an operator's own reference data) it
// skips.
func loadFlex(ctx context.Context, db *store.DB, d *Data) error {
	if !d.Fresh {
		return nil
	}
	if _, err := db.FindOccupation(ctx, "8160.2"); err != nil {
		return nil
	}
	km, err := demoActor(ctx, db, d, "klantmanager@demo.opstap.nl")
	if err != nil {
		return err
	}
	bakery, err := db.CreateEmployer(ctx, km, flex.Employer{ID: d.Orgs["bakkerij"], Name: "Bakkerij De Korenschoof",
		Locations: []flex.Location{{Name: "Winkel en bakkerij", Address: "Stadhuisplein 12, Almere", Postcode4: "1315"}}})
	if err != nil {
		return err
	}
	green, err := db.CreateEmployer(ctx, km, flex.Employer{ID: d.Orgs["groen"], Name: "Groenvoorziening Flevoland",
		Locations: []flex.Location{{Name: "Depot Almere Buiten", Address: "Bolderweg 40, Almere", Postcode4: "1332"}}})
	if err != nil {
		return err
	}
	if err := demoAssignments(ctx, db, km, bakery, green); err != nil {
		return err
	}
	return demoFlexProfiles(ctx, db, d, km)
}

func demoActor(ctx context.Context, db *store.DB, d *Data, email string) (*opstap.Actor, error) {
	u, err := db.FindUserByID(ctx, d.Users[email])
	if err != nil {
		return nil, err
	}
	return u.Actor(db.Now(), ""), nil
}

func demoAssignments(ctx context.Context, db *store.DB, km *opstap.Actor, bakery, green *flex.Employer) error {
	start := opstap.DateOf(db.Now()).AddDays(14)
	a, err := db.CreateAssignment(ctx, km, flex.Assignment{EmployerID: bakery.ID, LocationID: bakery.Locations[0].ID,
		Title: "Medewerker bakkerij", Occupation: "8160.2", RequiredSkills: []string{"8160.2"}, WishedSkills: []string{"7512.1"},
		HoursPerWeek: 24, Days: []string{"mon", "tue", "wed"}, StartTime: "06:00", EndTime: "14:30", Start: start,
		PlannedEnd: start.AddMonths(6).AddDays(-1), Demands: []string{"standing"}})
	if err != nil {
		return err
	}
	if _, err := db.RecordDisplacementCheck(ctx, km, a.ID, flex.DisplacementCheck{CheckedOn: opstap.DateOf(db.Now()), Positive: true,
		Motivation: "Extra handen naast het vaste team in de ochtendproductie; er staat geen vacature open en niemand is ontslagen."}); err != nil {
		return err
	}
	if _, err := db.SetAssignmentStatus(ctx, km, a.ID, flex.StatusOpen); err != nil {
		return err
	}
	_, err = db.CreateAssignment(ctx, km, flex.Assignment{EmployerID: green.ID, LocationID: green.Locations[0].ID,
		Title: "Medewerker groenvoorziening", Occupation: "6113.1", WishedSkills: []string{"9214.2"}, HoursPerWeek: 32,
		Days: []string{"mon", "tue", "wed", "thu"}, StartTime: "07:30", EndTime: "16:00", Start: start, PlannedEnd: start.AddMonths(3).AddDays(-1),
		Demands: []string{"outdoor", "heavy_lifting"}, NeedsTransport: true})
	return err
}

func demoFlexProfiles(ctx context.Context, db *store.DB, d *Data, km *opstap.Actor) error {
	coach, err := demoActor(ctx, db, d, "coach@demo.opstap.nl")
	if err != nil {
		return err
	}
	self, err := demoActor(ctx, db, d, "kandidaat@demo.opstap.nl")
	if err != nil {
		return err
	}
	for i, dp := range demoProfiles {
		id := d.Candidates[i] // the Almere candidates come first, in this order
		if _, err := db.SaveFlexProfile(ctx, km, id, dp.p); err != nil {
			return err
		}
		if err := db.SetFlexFlag(ctx, km, id, access.FlagMatchable, true); err != nil {
			return err
		}
		if !dp.visible {
			continue
		}
		if err := db.SetFlexFlag(ctx, self, id, access.FlagConsent, true); err != nil {
			return err
		}
		if err := db.SetFlexFlag(ctx, coach, id, access.FlagCoachApproval, true); err != nil {
			return err
		}
	}
	return nil
}
