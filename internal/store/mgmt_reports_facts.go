package store

import (
	"context"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/billing"
	"github.com/opstap/opstap/internal/flex"
	"github.com/opstap/opstap/internal/mgmtreport"
)

// The facts of the management reports (mgmt_reports.go), one municipality
// at a time: SQL only, the rules are in internal/mgmtreport.

// recordStatus keeps an assignment's change of status with its moment, so
// a report of a past month knows what was open then.
func (tx *Tx) recordStatus(ctx context.Context, assignmentID string, s flex.Status) error {
	_, err := tx.exec(ctx, `INSERT INTO assignment_status_events (id, assignment_id, status, changed_at) VALUES (?, ?, ?, ?)`,
		newID(), assignmentID, string(s), tx.Now())
	return err
}

// reportFacts loads the facts of municipality cbs for the days first..last
// and the booked months from..to.
func (tx *Tx) reportFacts(ctx context.Context, cbs string, first, last opstap.Date, from, to opstap.Month) (mgmtreport.Facts, error) {
	f := mgmtreport.Facts{Municipality: cbs, Births: map[string]opstap.Date{}, Paid: map[string]map[opstap.Month]billing.Accrual{}}
	if err := tx.queryRow(ctx, `SELECT name FROM organisations WHERE kind = ? AND cbs_code = ?`, string(opstap.OrgMunicipality), cbs).Scan(&f.MunicipalityName); err != nil {
		return f, err
	}
	err := tx.eachRow(ctx, `SELECT p.id, p.candidate_id, p.assignment_id, s.title, o.name, p.first_day, p.last_day, p.status, p.hours_per_week,
		(SELECT MAX(e.until_day) FROM placement_extensions e WHERE e.placement_id = p.id)
		FROM placements p JOIN assignments s ON s.id = p.assignment_id JOIN organisations o ON o.id = s.employer_org_id
		WHERE s.municipality_cbs = ? AND p.status IN (?, ?) AND p.first_day <= ? AND p.last_day >= ?
		ORDER BY p.first_day, p.id`, []any{cbs, string(flex.PlacementConfirmed), string(flex.PlacementEnded), last, first}, func(s scanner) error {
		var p mgmtreport.Placement
		var status string
		err := s.Scan(&p.ID, &p.CandidateID, &p.AssignmentID, &p.AssignmentTitle, &p.EmployerName, &p.FirstDay, &p.LastDay, &status, &p.HoursPerWeek, &p.ExtendedUntil)
		p.Ended = status == string(flex.PlacementEnded)
		f.Placements = append(f.Placements, p)
		return err
	})
	if err != nil {
		return f, err
	}
	if f.Assignments, err = tx.reportAssignments(ctx, cbs); err != nil {
		return f, err
	}
	err = tx.eachRow(ctx, `SELECT l.placement_id, l.candidate_id, l.day, l.month, l.minutes, l.travel_km, l.transit_cents, s.hourly_rate_cents
		FROM timesheet_lines l JOIN placements p ON p.id = l.placement_id JOIN assignments s ON s.id = p.assignment_id
		WHERE s.municipality_cbs = ? AND l.status = 'approved' AND l.month >= ? AND l.month <= ?
		ORDER BY l.candidate_id, l.day, l.id`, []any{cbs, from, to}, func(s scanner) error {
		var l mgmtreport.HourLine
		err := s.Scan(&l.PlacementID, &l.CandidateID, &l.Day, &l.Month, &l.Minutes, &l.TravelKm, &l.Transit, &l.Rate)
		f.Hours = append(f.Hours, l)
		return err
	})
	if err != nil {
		return f, err
	}
	err = tx.eachRow(ctx, `SELECT a.candidate_id, a.month, a.minutes, a.premium_minutes, a.premium_cents, a.travel_cents
		FROM premium_accruals a JOIN premium_payments p ON p.id = a.payment_id
		WHERE p.municipality_cbs = ? AND a.month >= ? AND a.month <= ?`, []any{cbs, from, to}, func(s scanner) error {
		var id string
		var a billing.Accrual
		if err := s.Scan(&id, &a.Month, &a.Minutes, &a.PremiumMinutes, &a.Premium, &a.Travel); err != nil {
			return err
		}
		if f.Paid[id] == nil {
			f.Paid[id] = map[opstap.Month]billing.Accrual{}
		}
		f.Paid[id][a.Month] = a
		return nil
	})
	if err != nil {
		return f, err
	}
	f.Terms, err = tx.TermsVersions(ctx, cbs)
	return f, err
}

// reportAssignments loads the municipality's assignments with their dated
// changes of status (the day in Amsterdam).
func (tx *Tx) reportAssignments(ctx context.Context, cbs string) ([]mgmtreport.Assignment, error) {
	var out []mgmtreport.Assignment
	at := map[string]int{}
	err := tx.eachRow(ctx, `SELECT s.id, s.title, o.name, s.places FROM assignments s JOIN organisations o ON o.id = s.employer_org_id
		WHERE s.municipality_cbs = ? ORDER BY s.id`, []any{cbs}, func(s scanner) error {
		var a mgmtreport.Assignment
		err := s.Scan(&a.ID, &a.Title, &a.EmployerName, &a.Places)
		at[a.ID] = len(out)
		out = append(out, a)
		return err
	})
	if err != nil {
		return nil, err
	}
	err = tx.eachRow(ctx, `SELECT e.assignment_id, e.status, e.changed_at FROM assignment_status_events e
		JOIN assignments s ON s.id = e.assignment_id WHERE s.municipality_cbs = ? ORDER BY e.assignment_id, e.changed_at, e.id`, []any{cbs},
		func(s scanner) error {
			var id, status string
			var when time.Time
			if err := s.Scan(&id, &status, scanTime(&when)); err != nil {
				return err
			}
			a := &out[at[id]]
			a.Changes = append(a.Changes, mgmtreport.StatusChange{On: opstap.DateOf(when), Status: flex.Status(status)})
			return nil
		})
	return out, err
}

// attentionFacts loads what the progress report lists for attention on
// day made: hours waiting for the employer, the premium caps and what
// was paid in made's year.
func (tx *Tx) attentionFacts(ctx context.Context, cbs string, made opstap.Date) (mgmtreport.AttentionFacts, error) {
	af := mgmtreport.AttentionFacts{PaidInYear: map[string]mgmtreport.YearPaid{}}
	err := tx.eachRow(ctx, `SELECT l.placement_id, l.candidate_id, l.day, l.entered_at
		FROM timesheet_lines l JOIN placements p ON p.id = l.placement_id JOIN assignments s ON s.id = p.assignment_id
		WHERE s.municipality_cbs = ? AND l.status = 'submitted' ORDER BY l.day, l.id`, []any{cbs}, func(s scanner) error {
		var x mgmtreport.Submitted
		var entered time.Time
		err := s.Scan(&x.PlacementID, &x.CandidateID, &x.Day, scanTime(&entered))
		x.EnteredOn = opstap.DateOf(entered)
		af.Submitted = append(af.Submitted, x)
		return err
	})
	if err != nil {
		return af, err
	}
	err = tx.eachRow(ctx, `SELECT candidate_id, SUM(premium_cents), COUNT(*) FROM premium_payments WHERE municipality_cbs = ? AND year = ?
		GROUP BY candidate_id`, []any{cbs, made.Year}, func(s scanner) error {
		var id string
		var y mgmtreport.YearPaid
		err := s.Scan(&id, &y.Paid, &y.Payouts)
		af.PaidInYear[id] = y
		return err
	})
	if err != nil {
		return af, err
	}
	af.Caps, err = tx.PremiumCapTable(ctx)
	return af, err
}
