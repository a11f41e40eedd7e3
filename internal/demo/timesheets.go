package demo

import (
	"context"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/flex"
	"github.com/opstap/opstap/internal/render"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/timesheet"
)

func init() { loaders = append(loaders, loadHours) }

// loadHours gives the demo municipality six months of approved hours
// (issue 9 item 9), so that invoices, premiums and a settlement have
// something to show: Lisa worked at the bakery on Monday to Wednesday, 24
// hours a week, from the first day of the month six months ago to the end
// of last month (the longest a placement below 28 hours runs [003 art 5
// lid 6]). The employer entered each week; one week ran over the contract
// (flagged for the municipality), one day was corrected afterwards, and
// Lisa's own hours of the last week wait for the employer's approval (try
// it as werkgever@demo.opstap.nl).
func loadHours(ctx context.Context, db *store.DB, d *Data) error {
	km, err := demoActor(ctx, db, d, "klantmanager@demo.opstap.nl")
	if err != nil {
		return err
	}
	boss, err := demoActor(ctx, db, d, "werkgever@demo.opstap.nl")
	if err != nil {
		return err
	}
	self, err := demoActor(ctx, db, d, "kandidaat@demo.opstap.nl")
	if err != nil {
		return err
	}
	p, err := demoSeasonPlacement(ctx, db, km, boss, self, d)
	if err != nil || p == nil {
		return err
	}
	if err := demoWeeks(ctx, db, boss, self, p); err != nil {
		return err
	}
	return loadMoney(ctx, db, d, opstap.MonthOf(p.FirstDay))
}

// demoSeasonPlacement creates and confirms the past six months' placement;
// nil without the flex demo data.
func demoSeasonPlacement(ctx context.Context, db *store.DB, km, boss, self *opstap.Actor, d *Data) (*flex.Placement, error) {
	es, err := db.FindEmployers(ctx, km)
	if err != nil || len(es) == 0 || len(d.Candidates) == 0 {
		return nil, err
	}
	bakery := es[0]
	for _, e := range es {
		if e.Name == "Bakkerij De Korenschoof" {
			bakery = e
		}
	}
	first := opstap.MonthOf(opstap.DateOf(db.Now())).Add(-6).First()
	last := flex.MaxLastDay(first, 24)
	a, err := db.CreateAssignment(ctx, km, flex.Assignment{EmployerID: bakery.ID, LocationID: bakery.Locations[0].ID,
		Title: "Medewerker bakkerij (seizoen)", Occupation: "8160.2", RequiredSkills: []string{"8160.2"}, HoursPerWeek: 24,
		Days: []string{"mon", "tue", "wed"}, StartTime: "06:00", EndTime: "14:30", Start: first, PlannedEnd: last})
	if err != nil {
		return nil, err
	}
	if _, err := db.RecordDisplacementCheck(ctx, km, a.ID, flex.DisplacementCheck{CheckedOn: first.AddDays(-14), Positive: true,
		Motivation: "Extra handen voor het drukke seizoen naast het vaste team; er staat geen vacature open."}); err != nil {
		return nil, err
	}
	if _, err := db.SetAssignmentStatus(ctx, km, a.ID, flex.StatusOpen); err != nil {
		return nil, err
	}
	p, err := db.ProposePlacement(ctx, km, a.ID, flex.Proposal{CandidateID: d.Candidates[0], LastDay: last})
	if err != nil {
		return nil, err
	}
	for _, x := range []*opstap.Actor{self, boss} {
		if _, err := db.AnswerPlacement(ctx, x, p.ID, true); err != nil {
			return nil, err
		}
	}
	return db.ConfirmPlacement(ctx, km, p.ID, render.PlacementPDFs)
}

// demoWeeks enters the placement's weeks in one batch, as an employer
// catching up would: 8 hours a day and 9 km; 11 hours on one Tuesday (a
// week over the contract); then a corrected day, and the last week
// submitted by the candidate.
func demoWeeks(ctx context.Context, db *store.DB, boss, self *opstap.Actor, p *flex.Placement) error {
	lastWeek := timesheet.WeekStart(p.LastDay)
	var employer, candidate []timesheet.Entry
	var fix opstap.Date
	for n, mon := 0, timesheet.WeekStart(p.FirstDay); !mon.After(p.LastDay); n, mon = n+1, mon.AddDays(7) {
		for i := range 3 {
			day := mon.AddDays(i)
			if day.Before(p.FirstDay) || day.After(p.LastDay) {
				continue
			}
			e := timesheet.Entry{Day: day, Minutes: 8 * 60, TravelKm: 9}
			switch {
			case mon == lastWeek:
				candidate = append(candidate, e)
				continue
			case n == 9 && i == 1:
				e.Minutes = 11 * 60
			case n == 14 && fix.IsZero():
				fix = day
			}
			employer = append(employer, e)
		}
	}
	ls, err := db.EnterHours(ctx, boss, p.ID, employer)
	if err != nil {
		return err
	}
	if len(candidate) > 0 {
		if _, err := db.EnterHours(ctx, self, p.ID, candidate); err != nil {
			return err
		}
	}
	for _, l := range ls {
		if l.Day == fix {
			_, err := db.CorrectHours(ctx, boss, l.ID, timesheet.Correction{Minutes: 6 * 60, TravelKm: 9,
				Reason: "De winkel ging die dag eerder dicht door een stroomstoring."})
			return err
		}
	}
	return nil
}
