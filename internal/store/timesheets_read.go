package store

import (
	"context"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/flex"
	"github.com/opstap/opstap/internal/timesheet"
)

func init() {
	figureQueries = append(figureQueries,
		figureQuery{opstap.RoleEmployer, "Hours waiting for your approval", "/employer/hours", true,
			`SELECT COUNT(*) FROM timesheet_lines l JOIN placements p ON p.id = l.placement_id JOIN assignments s ON s.id = p.assignment_id
			 WHERE s.employer_org_id = ? AND l.status = 'submitted'`, byOrg},
		figureQuery{opstap.RoleCaseManager, "Weeks above the contracted hours", "/hours/flagged", true,
			`SELECT COUNT(*) FROM timesheet_flags f JOIN placements p ON p.id = f.placement_id JOIN assignments s ON s.id = p.assignment_id
			 WHERE s.municipality_cbs = ? AND f.noted_at IS NULL`, byCBS},
		figureQuery{opstap.RoleCandidate, "Hours waiting for the employer", "/portal/hours", false,
			`SELECT COUNT(*) FROM timesheet_lines l JOIN candidates c ON c.id = l.candidate_id WHERE c.user_id = ? AND l.status = 'submitted'`, byUser},
	)
}

const lineColumns = `l.id, l.placement_id, l.candidate_id, l.day, l.month, l.minutes, l.travel_km, l.transit_cents, l.status, l.source,
	COALESCE(l.corrects_id, ''), l.entered_by, l.entered_at, l.decided_by, l.decided_at`

func scanLine(s scanner) (timesheet.Line, error) {
	var l timesheet.Line
	err := s.Scan(&l.ID, &l.PlacementID, &l.CandidateID, &l.Day, &l.Month, &l.Minutes, &l.TravelKm, &l.TransitCents, &l.Status, &l.Source,
		&l.CorrectsID, &l.EnteredBy, scanTime(&l.EnteredAt), &l.DecidedBy, scanNullTime(&l.DecidedAt))
	return l, err
}

// hourLines loads lines (alias l) in day order, corrections after their
// original; the reasons stay sealed.
func (tx *Tx) hourLines(ctx context.Context, where string, args ...any) ([]timesheet.Line, error) {
	var out []timesheet.Line
	err := tx.eachRow(ctx, `SELECT `+lineColumns+` FROM timesheet_lines l WHERE `+where+` ORDER BY l.day, CASE WHEN l.corrects_id IS NULL THEN 0 ELSE 1 END, l.entered_at, l.id`, args, func(s scanner) error {
		l, err := scanLine(s)
		out = append(out, l)
		return err
	})
	return out, err
}

func (tx *Tx) hourLine(ctx context.Context, id string) (*timesheet.Line, error) {
	ls, err := tx.hourLines(ctx, `l.id = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(ls) == 0 {
		return nil, errNoLine
	}
	return &ls[0], nil
}

// openReasons opens the typed reasons of lines of one candidate; after an
// erasure the key is gone and so are they.
func (tx *Tx) openReasons(ctx context.Context, candidateID string, ls []timesheet.Line) error {
	sl, err := tx.sealerFor(ctx, candidateID)
	if err != nil {
		return nil //nolint:nilerr // an erased candidate's reasons are noise: shown as none
	}
	for i := range ls {
		var ct []byte
		if err := tx.queryRow(ctx, `SELECT reason FROM timesheet_lines WHERE id = ?`, ls[i].ID).Scan(&ct); err != nil {
			return err
		}
		if ls[i].Reason, err = sl.open("timesheet_line/"+ls[i].ID, ct); err != nil {
			return err
		}
	}
	return nil
}

// PlacementHours is one placement's hours over a period as a reader sees
// them, with the weeks held against the contracted hours.
type PlacementHours struct {
	Placement     *flex.Placement  `json:"placement"`
	CandidateName string           `json:"candidate_name,omitempty"` // where the reader may see it
	From          opstap.Date      `json:"from"`
	To            opstap.Date      `json:"to"`
	Lines         []timesheet.Line `json:"lines"`
	Weeks         []timesheet.Week `json:"weeks"`
	Closed        []opstap.Month   `json:"closed_months"`
	Source        timesheet.Source `json:"enter_as,omitempty"` // how the reader enters hours, if at all
	Decision      access.Decision  `json:"-"`
}

// FindPlacementHours returns a placement's hours from..to (at most a
// year) for its employer, its candidate, its municipality or finance; the
// read is logged. The candidate's name shows where the policy allows.
func (db *DB) FindPlacementHours(ctx context.Context, a *opstap.Actor, placementID string, from, to opstap.Date) (*PlacementHours, error) {
	if to.Before(from) || from.AddMonths(12).Before(to) {
		return nil, opstap.FieldError("from", "choose a period of at most a year")
	}
	var out *PlacementHours
	err := db.WithTx(ctx, func(tx *Tx) error {
		h, err := tx.hoursAccess(ctx, a, placementID, opstap.Read)
		if err != nil {
			return err
		}
		v := &PlacementHours{Placement: h.p, From: from, To: to, Source: h.src, Decision: h.d, Weeks: []timesheet.Week{}}
		if h.src == timesheet.SourceEmployer && !a.Has(opstap.RoleEmployer, opstap.Write) {
			v.Source = ""
		}
		if v.Lines, err = tx.hourLines(ctx, `l.placement_id = ? AND l.day >= ? AND l.day <= ?`, h.p.ID, from, to); err != nil {
			return err
		}
		if err := tx.openReasons(ctx, h.p.CandidateID, v.Lines); err != nil {
			return err
		}
		if v.Closed, err = tx.closedMonths(ctx); err != nil {
			return err
		}
		for mon := timesheet.WeekStart(from); !mon.After(to); mon = mon.AddDays(7) {
			v.Weeks = append(v.Weeks, h.facts().WeekOf(mon, v.Lines))
		}
		entries := []audit.Entry{h.entry(opstap.Read, "hours "+from.String()+" to "+to.String())}
		if e, ok := tx.nameFor(ctx, a, h.s, h.purpose, &v.CandidateName); ok {
			entries = append(entries, e)
		}
		out = v
		return tx.Audit(ctx, entries...)
	})
	return out, err
}

// nameFor fills the candidate's name where the policy lets the actor read
// basic data, and returns the read's audit entry. An erased candidate has
// no name left to show.
func (tx *Tx) nameFor(ctx context.Context, a *opstap.Actor, s access.Subject, purpose string, dst *string) (audit.Entry, bool) {
	d := access.Decide(a, s, opstap.CatBasic, opstap.Read, "")
	if !d.Allowed {
		return audit.Entry{}, false
	}
	name, err := tx.candidateName(ctx, s.CandidateID)
	if err != nil {
		return audit.Entry{}, false
	}
	*dst = name
	return candidateEntry(a, d, s.CandidateID, opstap.CatBasic, opstap.Read, purpose), true
}
