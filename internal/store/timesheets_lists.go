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
	AssignmentTitle string `json:"assignment_title"`
	CandidateName   string `json:"candidate_name"`
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
	PlacementID     string     `json:"placement_id"`
	AssignmentTitle string     `json:"assignment_title"`
	EmployerName    string     `json:"employer_name"`
	CandidateName   string     `json:"candidate_name"`
	NotedAt         *time.Time `json:"noted_at,omitempty"`
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
		if r.Municipality() == "" {
			return forbidden()
		}
		err = tx.eachRow(ctx, `SELECT f.placement_id, f.monday, f.minutes, f.limit_hours, f.noted_at FROM timesheet_flags f
			JOIN placements p ON p.id = f.placement_id JOIN assignments s ON s.id = p.assignment_id WHERE s.municipality_cbs = ?
			ORDER BY CASE WHEN f.noted_at IS NULL THEN 0 ELSE 1 END, f.monday DESC, f.placement_id LIMIT 500`, []any{r.Municipality()}, func(s scanner) error {
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
	PlacementID     string         `json:"placement_id"`
	CandidateID     string         `json:"candidate_id"` // pseudonymous
	ClientNumber    int64          `json:"client_number,omitempty"`
	AssignmentTitle string         `json:"assignment_title"`
	EmployerID      string         `json:"employer_id"`
	EmployerName    string         `json:"employer_name"`
	Municipality    string         `json:"municipality"` // CBS code
	Minutes         opstap.Minutes `json:"minutes"`
	TravelKm        int            `json:"travel_km"`
	TransitCents    opstap.Cents   `json:"transit_cents"`
	Corrections     int            `json:"corrections"`
	Pending         int            `json:"pending"`
}

// MonthHours is the overview of a month: one page of rows, the totals of
// all of them.
type MonthHours struct {
	Month  opstap.Month `json:"month"`
	Closed bool         `json:"closed"`
	Rows   []MonthRow   `json:"rows"`
	Total  MonthRow     `json:"total"`
	Count  int          `json:"count"` // rows over all pages
	Page   int          `json:"page"`  // from 0
	Pages  int          `json:"pages"`
}

// MonthHoursPage is the rows of the month overview per page. A page shows
// (and logs the reads of) a few hundred candidates, not every candidate of
// the provider: at 5,000 placements one page of all of them took seconds to
// log and render, and nobody reads it.
const MonthHoursPage = 200

// monthTotals totals per placement the approved lines booked in a month
// and counts the submitted days of the month. Each half reads one index
// only — the approved half covered by timesheet_lines_month_totals — and
// the placements are joined to the totals, not to every line: a month of
// 5,000 placements has some 140,000 lines.
const monthTotals = `SELECT placement_id, SUM(minutes) AS minutes, SUM(km) AS km, SUM(transit) AS transit, SUM(corr) AS corr, SUM(pending) AS pending
	FROM (SELECT placement_id, SUM(minutes) AS minutes, SUM(travel_km) AS km, SUM(transit_cents) AS transit,
			SUM(CASE WHEN corrects_id IS NOT NULL THEN 1 ELSE 0 END) AS corr, 0 AS pending
		FROM timesheet_lines WHERE month = ? AND status = 'approved' GROUP BY placement_id
		UNION ALL
		SELECT placement_id, 0, 0, 0, 0, COUNT(*) FROM timesheet_lines WHERE status = 'submitted' AND day >= ? AND day <= ? GROUP BY placement_id) u
	GROUP BY placement_id`

// monthRows totals the lines booked in month m per placement, plus the
// submitted days of m, with the access subject of each row's candidate;
// extra narrows the placements (alias p, assignment s).
func (tx *Tx) monthRows(ctx context.Context, m opstap.Month, extra string, args ...any) ([]MonthRow, []access.Subject, error) {
	out, subjects := []MonthRow{}, []access.Subject{}
	q := `SELECT p.id, s.title, s.employer_org_id, o.name, s.municipality_cbs, t.minutes, t.km, t.transit, t.corr, t.pending, ` + candidateColumns + `
		FROM (` + monthTotals + `) t JOIN placements p ON p.id = t.placement_id JOIN assignments s ON s.id = p.assignment_id
		JOIN organisations o ON o.id = s.employer_org_id JOIN candidates c ON c.id = p.candidate_id
		WHERE 1 = 1` + extra + ` ORDER BY o.name, s.title, p.id`
	all := append([]any{m, m.First(), m.Last()}, args...)
	err := tx.eachRow(ctx, q, all, func(s scanner) error {
		var r MonthRow
		c, err := scanCandidate(prefixed{s, []any{&r.PlacementID, &r.AssignmentTitle, &r.EmployerID, &r.EmployerName, &r.Municipality,
			&r.Minutes, &r.TravelKm, &r.TransitCents, &r.Corrections, &r.Pending}})
		if err != nil {
			return err
		}
		r.CandidateID, r.ClientNumber = c.ID, c.Number
		out, subjects = append(out, r), append(subjects, subjectOf(c))
		return nil
	})
	return out, subjects, err
}

// prefixed scans the given destinations before the caller's, so a row
// scanner such as scanCandidate can read columns that follow others.
type prefixed struct {
	s    scanner
	dest []any
}

func (p prefixed) Scan(dest ...any) error { return p.s.Scan(append(p.dest, dest...)...) }

// FindMonthHours returns a page (from 0) of the month's hours per
// placement, and the totals of all pages: for finance every placement, for
// a municipality its own. Names are not shown (the candidate id is a
// pseudonym); the read of each candidate on the page is logged, and a
// candidate whose processing is restricted is left out, also of the totals.
// The totals are sums over many candidates and reveal none, so they are
// not logged per candidate.
func (db *DB) FindMonthHours(ctx context.Context, a *opstap.Actor, m opstap.Month, page int) (*MonthHours, error) {
	if m.IsZero() {
		return nil, opstap.FieldError("month", "month is required")
	}
	if page < 0 {
		return nil, opstap.FieldError("page", "page must be 0 or more")
	}
	out := &MonthHours{Month: m, Rows: []MonthRow{}, Page: page}
	err := db.WithTx(ctx, func(tx *Tx) error {
		r, err := tx.flexRoleOf(ctx, a)
		if err != nil {
			return err
		}
		extra, args, purpose := "", []any{}, PurposeHours
		switch {
		case r.Municipality() != "":
			extra, args, purpose = ` AND s.municipality_cbs = ?`, []any{r.Municipality()}, PurposePlacement
		case !can(a, access.ManageFinance):
			return forbidden()
		}
		rows, subjects, err := tx.monthRows(ctx, m, extra, args...)
		if err != nil {
			return err
		}
		var entries []audit.Entry
		for i, row := range rows {
			d := access.Decide(a, subjects[i], opstap.CatTimesheets, opstap.Read, "")
			if !d.Allowed {
				continue
			}
			if out.Count/MonthHoursPage == page {
				e := candidateEntry(a, d, row.CandidateID, opstap.CatTimesheets, opstap.Read, purpose)
				e.Detail = "placement " + row.PlacementID + ": hours of " + m.String()
				entries = append(entries, e)
				out.Rows = append(out.Rows, row)
			}
			out.Count++
			out.Total.Minutes += row.Minutes
			out.Total.TravelKm += row.TravelKm
			out.Total.TransitCents += row.TransitCents
			out.Total.Corrections += row.Corrections
			out.Total.Pending += row.Pending
		}
		out.Pages = (out.Count + MonthHoursPage - 1) / MonthHoursPage
		closed, err := tx.closedMonths(ctx)
		if err != nil {
			return err
		}
		out.Closed = period.IsClosed(closed, m)
		return tx.Audit(ctx, entries...)
	})
	return out, err
}
