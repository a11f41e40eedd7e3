package store

import (
	"context"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/period"
	"github.com/opstap/opstap/internal/timesheet"
)

// The lists of hours: the employer's approval queue, the municipality's
// flagged weeks and the month overview of finance and the municipality.
// Each row of a candidate is decided by the access policy and its read
// logged.

// QueueItem is a candidate's submitted day waiting for the employer.
type QueueItem struct {
	timesheet.Line
	AssignmentTitle string `json:"assignmentTitle"`
	CandidateName   string `json:"candidateName"`
}

// HoursQueue lists the submitted hours at the actor's employer
// organisation, oldest day first.
func (db *DB) HoursQueue(ctx context.Context, a *opstap.Actor) ([]QueueItem, error) {
	if a == nil || a.OrgKind != opstap.OrgClientEmployer || !a.Has(opstap.RoleEmployer, opstap.Read) {
		return nil, forbidden()
	}
	out := []QueueItem{}
	err := db.WithTx(ctx, func(tx *Tx) error {
		ls, err := tx.hourLines(ctx, `l.status = 'submitted' AND l.placement_id IN (SELECT p.id FROM placements p JOIN assignments s ON s.id = p.assignment_id
			WHERE s.employer_org_id = ?)`, a.OrgID)
		if err != nil {
			return err
		}
		seen := map[string]*hoursTx{}
		var entries []audit.Entry
		var name string
		for _, l := range ls {
			h := seen[l.PlacementID]
			if h == nil {
				if h, err = tx.hoursAccess(ctx, a, l.PlacementID, opstap.Read); err != nil {
					return err
				}
				seen[l.PlacementID] = h
				entries = append(entries, h.entry(opstap.Read, "hours awaiting approval"))
				name = ""
				if e, ok := tx.nameFor(ctx, a, h.s, h.purpose, &name); ok {
					entries = append(entries, e)
				}
			}
			out = append(out, QueueItem{Line: l, AssignmentTitle: h.p.AssignmentTitle, CandidateName: name})
		}
		return tx.Audit(ctx, entries...)
	})
	return out, err
}

// FlaggedWeek is a week of a placement whose approved hours exceed the
// contracted hours.
type FlaggedWeek struct {
	timesheet.Week
	PlacementID     string     `json:"placementId"`
	AssignmentTitle string     `json:"assignmentTitle"`
	EmployerName    string     `json:"employerName"`
	CandidateName   string     `json:"candidateName"`
	NotedAt         *time.Time `json:"notedAt,omitempty"`
}

// FlaggedWeeks lists the municipality's flagged weeks, those not yet noted
// first (issue 9 item 2: hours above the contract are flagged for the
// municipality).
func (db *DB) FlaggedWeeks(ctx context.Context, a *opstap.Actor) ([]FlaggedWeek, error) {
	out := []FlaggedWeek{}
	err := db.WithTx(ctx, func(tx *Tx) error {
		r, err := tx.flexRoleOf(ctx, a)
		if err != nil {
			return err
		}
		if r.cbs == "" {
			return forbidden()
		}
		err = tx.eachRow(ctx, `SELECT f.placement_id, f.monday, f.minutes, f.limit_hours, f.noted_at FROM timesheet_flags f
			JOIN placements p ON p.id = f.placement_id JOIN assignments s ON s.id = p.assignment_id WHERE s.municipality_cbs = ?
			ORDER BY CASE WHEN f.noted_at IS NULL THEN 0 ELSE 1 END, f.monday DESC, f.placement_id LIMIT 500`, []any{r.cbs}, func(s scanner) error {
			var w FlaggedWeek
			err := s.Scan(&w.PlacementID, &w.Monday, &w.Minutes, &w.LimitHours, scanNullTime(&w.NotedAt))
			out = append(out, w)
			return err
		})
		if err != nil {
			return err
		}
		var entries []audit.Entry
		for i := range out {
			w := &out[i]
			h, err := tx.hoursAccess(ctx, a, w.PlacementID, opstap.Read)
			if err != nil {
				return err
			}
			w.AssignmentTitle, w.EmployerName = h.p.AssignmentTitle, h.p.EmployerName
			entries = append(entries, h.entry(opstap.Read, "flagged week "+w.Monday.String()))
			if e, ok := tx.nameFor(ctx, a, h.s, h.purpose, &w.CandidateName); ok {
				entries = append(entries, e)
			}
		}
		return tx.Audit(ctx, entries...)
	})
	return out, err
}

// NoteFlag is the municipality noting a flagged week: it leaves the count
// of work waiting, and returns when the week's hours grow again.
func (db *DB) NoteFlag(ctx context.Context, a *opstap.Actor, placementID string, monday opstap.Date) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		h, err := tx.hoursAccess(ctx, a, placementID, opstap.Read)
		if err != nil {
			return err
		}
		if err := tx.requireMunicipality(ctx, a, h.p.Municipality); err != nil {
			return err
		}
		res, err := tx.exec(ctx, `UPDATE timesheet_flags SET noted_at = ?, noted_by = ? WHERE placement_id = ? AND monday = ? AND noted_at IS NULL`,
			tx.Now(), a.UserID, placementID, monday)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return opstap.Errorf(opstap.ENOTFOUND, "no such flagged week")
		}
		return tx.Audit(ctx, h.entry(opstap.Read, "flagged week "+monday.String()+" noted"))
	})
}

// MonthRow is one placement's hours booked in a month: approved minutes
// and travel (corrections included, as signed differences), the number of
// corrections, and the days of the month still awaiting the employer.
type MonthRow struct {
	PlacementID     string         `json:"placementId"`
	CandidateID     string         `json:"candidateId"` // pseudonymous
	AssignmentTitle string         `json:"assignmentTitle"`
	EmployerID      string         `json:"employerId"`
	EmployerName    string         `json:"employerName"`
	Municipality    string         `json:"municipality"` // CBS code
	Minutes         opstap.Minutes `json:"minutes"`
	TravelKm        int            `json:"travelKm"`
	TransitCents    opstap.Cents   `json:"transitCents"`
	Corrections     int            `json:"corrections"`
	Pending         int            `json:"pending"`
}

// MonthHours is the overview of a month.
type MonthHours struct {
	Month  opstap.Month `json:"month"`
	Closed bool         `json:"closed"`
	Rows   []MonthRow   `json:"rows"`
	Total  MonthRow     `json:"total"`
}

// monthRows totals the lines booked in month m per placement, plus the
// submitted days of m; extra narrows the placements (alias p, assignment
// s). Other money features total a month's hours with it.
func (tx *Tx) monthRows(ctx context.Context, m opstap.Month, extra string, args ...any) ([]MonthRow, error) {
	out := []MonthRow{}
	q := `SELECT p.id, p.candidate_id, s.title, s.employer_org_id, o.name, s.municipality_cbs,
		SUM(CASE WHEN l.status = 'approved' AND l.month = ? THEN l.minutes ELSE 0 END),
		SUM(CASE WHEN l.status = 'approved' AND l.month = ? THEN l.travel_km ELSE 0 END),
		SUM(CASE WHEN l.status = 'approved' AND l.month = ? THEN l.transit_cents ELSE 0 END),
		SUM(CASE WHEN l.status = 'approved' AND l.month = ? AND l.corrects_id IS NOT NULL THEN 1 ELSE 0 END),
		SUM(CASE WHEN l.status = 'submitted' THEN 1 ELSE 0 END)
		FROM timesheet_lines l JOIN placements p ON p.id = l.placement_id JOIN assignments s ON s.id = p.assignment_id
		JOIN organisations o ON o.id = s.employer_org_id
		WHERE (l.month = ? AND l.status = 'approved' OR l.status = 'submitted' AND l.day >= ? AND l.day <= ?)` + extra + `
		GROUP BY p.id, p.candidate_id, s.title, s.employer_org_id, o.name, s.municipality_cbs ORDER BY o.name, s.title, p.id`
	all := append([]any{m, m, m, m, m, m.First(), m.Last()}, args...)
	err := tx.eachRow(ctx, q, all, func(s scanner) error {
		var r MonthRow
		err := s.Scan(&r.PlacementID, &r.CandidateID, &r.AssignmentTitle, &r.EmployerID, &r.EmployerName, &r.Municipality,
			&r.Minutes, &r.TravelKm, &r.TransitCents, &r.Corrections, &r.Pending)
		out = append(out, r)
		return err
	})
	return out, err
}

// FindMonthHours returns the month's hours per placement: for finance
// every placement, for a municipality its own. Names are not shown (the
// candidate id is a pseudonym); each candidate's hours read is logged, and
// a candidate whose processing is restricted is left out.
func (db *DB) FindMonthHours(ctx context.Context, a *opstap.Actor, m opstap.Month) (*MonthHours, error) {
	if m.IsZero() {
		return nil, opstap.FieldError("month", "month is required")
	}
	out := &MonthHours{Month: m, Rows: []MonthRow{}}
	err := db.WithTx(ctx, func(tx *Tx) error {
		r, err := tx.flexRoleOf(ctx, a)
		if err != nil {
			return err
		}
		extra, args, purpose := "", []any{}, PurposeHours
		switch {
		case r.cbs != "":
			extra, args, purpose = ` AND s.municipality_cbs = ?`, []any{r.cbs}, PurposePlacement
		case !can(a, access.ManageFinance):
			return forbidden()
		}
		rows, err := tx.monthRows(ctx, m, extra, args...)
		if err != nil {
			return err
		}
		subjects, err := tx.monthSubjects(ctx, m)
		if err != nil {
			return err
		}
		var entries []audit.Entry
		for _, row := range rows {
			d := access.Decide(a, subjects[row.CandidateID], opstap.CatTimesheets, opstap.Read, "")
			if !d.Allowed {
				continue
			}
			e := candidateEntry(a, d, row.CandidateID, opstap.CatTimesheets, opstap.Read, purpose)
			e.Detail = "placement " + row.PlacementID + ": hours of " + m.String()
			entries = append(entries, e)
			out.Rows = append(out.Rows, row)
			out.Total.Minutes += row.Minutes
			out.Total.TravelKm += row.TravelKm
			out.Total.TransitCents += row.TransitCents
			out.Total.Corrections += row.Corrections
			out.Total.Pending += row.Pending
		}
		closed, err := tx.closedMonths(ctx)
		if err != nil {
			return err
		}
		out.Closed = period.IsClosed(closed, m)
		return tx.Audit(ctx, entries...)
	})
	return out, err
}

// monthSubjects loads, in one query, the access subjects of the candidates
// with hours in month m (the rows of monthRows). Finance and the
// municipality do not stand to a candidate through a placement, so the
// employers are left out.
func (tx *Tx) monthSubjects(ctx context.Context, m opstap.Month) (map[string]access.Subject, error) {
	out := map[string]access.Subject{}
	err := tx.eachRow(ctx, `SELECT `+candidateColumns+` FROM candidates c WHERE c.id IN (SELECT l.candidate_id FROM timesheet_lines l
		WHERE l.month = ? OR l.status = 'submitted' AND l.day >= ? AND l.day <= ?)`, []any{m, m.First(), m.Last()}, func(s scanner) error {
		c, err := scanCandidate(s)
		if err == nil {
			out[c.ID] = subjectOf(c)
		}
		return err
	})
	return out, err
}
