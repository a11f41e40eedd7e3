package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/figures"
	"github.com/opstap/opstap/internal/trajectory"
)

// FigureMunicipality is a municipality whose figures the reader may see.
type FigureMunicipality struct {
	CBS  string `json:"cbs_code"`
	Name string `json:"name"`
}

// MunicipalFigures are a municipality's figures for a period with the
// monthly trend (DOMAIN.md §6), under the definitions of Version.
type MunicipalFigures struct {
	Municipality FigureMunicipality `json:"municipality"`
	Version      string             `json:"definition_version"`
	Figures      figures.Figures    `json:"figures"`
	Trend        []figures.Month    `json:"trend"`
}

// FigureMunicipalities lists the municipalities the actor may read the
// figures of: a case manager their own, the provider's readers all.
func (db *DB) FigureMunicipalities(ctx context.Context, a *opstap.Actor) ([]FigureMunicipality, error) {
	if !can(a, access.ReadFigures) {
		return nil, forbidden()
	}
	var out []FigureMunicipality
	err := db.readTx(ctx, func(tx *Tx) error {
		q, args := `SELECT cbs_code, name FROM organisations WHERE kind = ? AND cbs_code IS NOT NULL`, []any{string(opstap.OrgMunicipality)}
		if !a.System && a.OrgKind == opstap.OrgMunicipality {
			q, args = q+` AND id = ?`, append(args, a.OrgID)
		}
		return tx.eachRow(ctx, q+` ORDER BY name, cbs_code`, args, func(s scanner) error {
			var m FigureMunicipality
			err := s.Scan(&m.CBS, &m.Name)
			out = append(out, m)
			return err
		})
	})
	return out, err
}

// MunicipalityFigures computes a municipality's figures for a period.
// Refused with a named field: a period that is incomplete, ends before it
// starts or is too long ("start", "end"), an unknown municipality
// ("municipality"); refused as forbidden: another municipality's figures.
// The figures hold no personal data; the computation is logged as a report.
func (db *DB) MunicipalityFigures(ctx context.Context, a *opstap.Actor, cbs string, p figures.Period) (*MunicipalFigures, error) {
	out := &MunicipalFigures{Version: figures.DefinitionVersion}
	err := db.readFigureFacts(ctx, a, cbs, p, "figures", func(m FigureMunicipality, months map[opstap.Month]figures.Facts) {
		out.Municipality = m
		out.Figures, out.Trend = figures.ComputeMonths(months, p)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// FigurePlacements are the pseudonymous rows behind a period's placement
// figures (issue 10 item 8: the export).
type FigurePlacements struct {
	Municipality FigureMunicipality      `json:"municipality"`
	Version      string                  `json:"definition_version"`
	Period       figures.Period          `json:"period"`
	Placements   []figures.PlacementFact `json:"placements"`
}

// FigurePlacementFacts gives the placements a municipality's placement
// figures of period p count, one row each with what it adds to them, under
// pseudonymous ids only; refused like MunicipalityFigures, and logged as an
// export.
func (db *DB) FigurePlacementFacts(ctx context.Context, a *opstap.Actor, cbs string, p figures.Period) (*FigurePlacements, error) {
	out := &FigurePlacements{Version: figures.DefinitionVersion, Period: p}
	err := db.readFigureFacts(ctx, a, cbs, p, "placement facts", func(m FigureMunicipality, months map[opstap.Month]figures.Facts) {
		out.Municipality, out.Placements = m, figures.PlacementFacts(figures.Combine(months, p), p)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// FigureRecords are the pseudonymous records behind a municipality's
// figures of a period (issue 10 item 7: the drill-down).
type FigureRecords struct {
	Municipality FigureMunicipality `json:"municipality"`
	Version      string             `json:"definition_version"`
	Period       figures.Period     `json:"period"`
	figures.Records
}

// MunicipalityRecords gives the records each figure of the period counts
// (closed months from their snapshot), under pseudonymous ids only; refused
// like MunicipalityFigures — a municipality's user sees its own only — and
// logged as an export.
func (db *DB) MunicipalityRecords(ctx context.Context, a *opstap.Actor, cbs string, p figures.Period) (*FigureRecords, error) {
	out := &FigureRecords{Version: figures.DefinitionVersion, Period: p}
	err := db.readFigureFacts(ctx, a, cbs, p, "records behind the figures", func(m FigureMunicipality, months map[opstap.Month]figures.Facts) {
		out.Municipality, out.Records = m, figures.DrillDown(figures.Combine(months, p), p)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// readFigureFacts checks the reader, the period and the municipality,
// loads the municipality's facts for the period per month (a closed month
// frozen, monthFacts), hands them to use and logs what was read (what) as
// an export for the figures.
func (db *DB) readFigureFacts(ctx context.Context, a *opstap.Actor, cbs string, p figures.Period, what string, use func(FigureMunicipality, map[opstap.Month]figures.Facts)) error {
	if !can(a, access.ReadFigures) {
		return forbidden()
	}
	if err := p.Validate(); err != nil {
		return err
	}
	return db.auditedRead(ctx, func(tx *Tx) error {
		m, err := tx.figureMunicipality(ctx, a, cbs)
		if err != nil {
			return err
		}
		f, err := tx.FigureFacts(ctx, cbs, p)
		if err != nil {
			return err
		}
		months, err := tx.monthFacts(ctx, cbs, p, f)
		if err != nil {
			return err
		}
		use(m, months)
		e := entryFor(a, audit.EventExport)
		e.ActorRole = string(figureRole(a))
		e.Purpose, e.Detail = PurposeFigures, what+" of municipality "+cbs+" for "+p.Start.String()+" to "+p.End.String()
		return tx.Audit(ctx, e)
	})
}

// figureRole is the role the actor reads figures in, for the audit log.
func figureRole(a *opstap.Actor) opstap.Role {
	for _, r := range a.Roles() {
		if r == opstap.RoleCaseManager || r == opstap.RoleFinance || r == opstap.RoleAdmin || r == opstap.RoleAuditor {
			return r
		}
	}
	return ""
}

var errOtherMunicipality = opstap.Errorf(opstap.EFORBIDDEN, "you may only see the figures of your own municipality")

// figureMunicipality checks that the municipality exists and that the
// actor may read its figures.
func (tx *Tx) figureMunicipality(ctx context.Context, a *opstap.Actor, cbs string) (FigureMunicipality, error) {
	m := FigureMunicipality{CBS: cbs}
	var orgID string
	err := tx.queryRow(ctx, `SELECT id, name FROM organisations WHERE cbs_code = ? AND kind = ?`, cbs, string(opstap.OrgMunicipality)).Scan(&orgID, &m.Name)
	if errors.Is(err, sql.ErrNoRows) {
		return m, opstap.FieldError("municipality", "unknown municipality")
	} else if err != nil {
		return m, err
	}
	if !a.System && a.OrgKind == opstap.OrgMunicipality && a.OrgID != orgID {
		return m, errOtherMunicipality
	}
	return m, nil
}

// FigureFacts loads the facts a municipality's figures for period p are
// counted from: registrations and placements starting in it, the
// matchable history up to its end with the erasures of those candidates,
// and the outflow in it. The monthly report builds on it. It reads only
// the facts tables (migrations 00028, 00031: imported history included) and
// the trajectories' end, which an erasure keeps.
func (tx *Tx) FigureFacts(ctx context.Context, cbs string, p figures.Period) (figures.Facts, error) {
	f := &figures.Facts{Erased: map[string]opstap.Date{}}
	err := tx.loadFacts(ctx, factsScope{cbs: cbs, into: func(string) *figures.Facts { return f }}, p)
	return *f, err
}

// allFigureFacts loads the facts of every municipality for period p in one
// pass per table, by CBS code.
func (tx *Tx) allFigureFacts(ctx context.Context, p figures.Period) (map[string]*figures.Facts, error) {
	out := map[string]*figures.Facts{}
	into := func(cbs string) *figures.Facts {
		f, ok := out[cbs]
		if !ok {
			f = &figures.Facts{Erased: map[string]opstap.Date{}}
			out[cbs] = f
		}
		return f
	}
	return out, tx.loadFacts(ctx, factsScope{into: into}, p)
}

// factsScope is whose facts a load reads: one municipality's (cbs), or
// with cbs empty every municipality's; into gives the Facts a
// municipality's rows go to.
type factsScope struct {
	cbs  string
	into func(cbs string) *figures.Facts
}

// where is the condition on column col (a CBS code) and its arguments.
func (s factsScope) where(col string) (string, []any) {
	if s.cbs == "" {
		return col + " IS NOT NULL", nil
	}
	return col + " = ?", []any{s.cbs}
}

func (tx *Tx) loadFacts(ctx context.Context, s factsScope, p figures.Period) error {
	for _, load := range []func(context.Context, factsScope, figures.Period) error{tx.loadRegistrations, tx.loadMatchable, tx.loadPlacements, tx.loadOutflows} {
		if err := load(ctx, s, p); err != nil {
			return err
		}
	}
	return nil
}

func (tx *Tx) loadRegistrations(ctx context.Context, sc factsScope, p figures.Period) error {
	cond, args := sc.where("municipality_cbs")
	return tx.eachRow(ctx, `SELECT municipality_cbs, candidate_id, registered_on, on_benefit, benefit_months FROM figure_registrations
		WHERE `+cond+` AND registered_on >= ? AND registered_on <= ?`, append(args, p.Start, p.End), func(s scanner) error {
		var cbs string
		var r figures.Registration
		err := s.Scan(&cbs, &r.Candidate, &r.RegisteredOn, &r.OnBenefit, &r.BenefitMonths)
		f := sc.into(cbs)
		f.Registrations = append(f.Registrations, r)
		return err
	})
}

func (tx *Tx) loadMatchable(ctx context.Context, sc factsScope, p figures.Period) error {
	cond, args := sc.where("municipality_cbs")
	err := tx.eachRow(ctx, `SELECT municipality_cbs, candidate_id, changed_on, seq, matchable FROM figure_matchable_changes
		WHERE `+cond+` AND changed_on <= ?`, append(args, p.End), func(s scanner) error {
		var cbs string
		var c figures.MatchableChange
		err := s.Scan(&cbs, &c.Candidate, &c.On, &c.Seq, &c.Matchable)
		f := sc.into(cbs)
		f.Matchable = append(f.Matchable, c)
		return err
	})
	if err != nil {
		return err
	}
	cond, args = sc.where("m.municipality_cbs")
	return tx.eachRow(ctx, `SELECT DISTINCT m.municipality_cbs, e.candidate_id, e.erased_at FROM erasures e
		JOIN figure_matchable_changes m ON m.candidate_id = e.candidate_id WHERE `+cond, args, func(s scanner) error {
		var cbs, id string
		var at time.Time
		err := s.Scan(&cbs, &id, scanTime(&at))
		sc.into(cbs).Erased[id] = opstap.DateOf(at)
		return err
	})
}

func (tx *Tx) loadPlacements(ctx context.Context, sc factsScope, p figures.Period) error {
	today := opstap.DateOf(tx.Now())
	type at struct {
		f *figures.Facts
		i int
	}
	index := map[string]at{}
	cond, args := sc.where("municipality_cbs")
	err := tx.eachRow(ctx, `SELECT municipality_cbs, placement_id, candidate_id, first_day, last_day, ended, hours_per_week, outcome FROM figure_placements
		WHERE `+cond+` AND first_day >= ? AND first_day <= ? ORDER BY first_day, placement_id`, append(args, p.Start, p.End), func(s scanner) error {
		var cbs string
		var pl figures.Placement
		var ended bool
		if err := s.Scan(&cbs, &pl.ID, &pl.Candidate, &pl.First, &pl.Last, &ended, &pl.HoursPerWeek, &pl.Outcome); err != nil {
			return err
		}
		pl.Running = figures.Running(ended, pl.Last, today)
		pl.Minutes = map[opstap.Month]int64{}
		f := sc.into(cbs)
		index[pl.ID] = at{f, len(f.Placements)}
		f.Placements = append(f.Placements, pl)
		return nil
	})
	if err != nil {
		return err
	}
	cond, args = sc.where("p.municipality_cbs")
	return tx.eachRow(ctx, `SELECT m.placement_id, m.month, m.minutes FROM figure_placement_minutes m
		JOIN figure_placements p ON p.placement_id = m.placement_id
		WHERE `+cond+` AND p.first_day >= ? AND p.first_day <= ?`, append(args, p.Start, p.End), func(s scanner) error {
		var id string
		var m opstap.Month
		var n int64
		if err := s.Scan(&id, &m, &n); err != nil {
			return err
		}
		if x, ok := index[id]; ok {
			x.f.Placements[x.i].Minutes[m] += n
		}
		return nil
	})
}

func (tx *Tx) loadOutflows(ctx context.Context, sc factsScope, p figures.Period) error {
	cond, args := sc.where("o.cbs_code")
	cond2, args2 := sc.where("municipality_cbs")
	q := `SELECT o.cbs_code, t.candidate_id, t.ended_on FROM trajectories t
		JOIN candidates c ON c.id = t.candidate_id JOIN organisations o ON o.id = c.commissioner_org_id
		WHERE ` + cond + ` AND o.kind = ? AND t.end_reason = ? AND t.ended_on >= ? AND t.ended_on <= ?
		UNION ALL SELECT municipality_cbs, candidate_id, ended_on FROM figure_trajectory_ends
		WHERE ` + cond2 + ` AND reason = ? AND ended_on >= ? AND ended_on <= ?`
	args = append(args, string(opstap.OrgMunicipality), string(trajectory.EndRegularWork), p.Start, p.End)
	args = append(append(args, args2...), string(trajectory.EndRegularWork), p.Start, p.End)
	return tx.eachRow(ctx, q, args, func(s scanner) error {
		var cbs string
		var o figures.Outflow
		err := s.Scan(&cbs, &o.Candidate, &o.On)
		f := sc.into(cbs)
		f.Outflows = append(f.Outflows, o)
		return err
	})
}
