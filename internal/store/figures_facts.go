package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/candidate"
	"github.com/opstap/opstap/internal/figures"
	"github.com/opstap/opstap/internal/flex"
)

// The facts of the municipality's figures (issue 10 item 2; migration
// 00028; docs/figures.md) are written here, in the transaction of the change
// they follow: a registration, a benefit write, a matchable status, a
// placement's confirmation or change, approved hours. They hold no
// personal data, only the candidate's pseudonymous id, so no erasure step
// touches them and an erased candidate still counts in the past's figures.

// PurposeFigures is the audit purpose of computing the figures.
const PurposeFigures = "figures"

// municipalityOf is the CBS code of an organisation, "" when it is no
// municipality (UWV and employer-commissioners report no flex figures).
func (tx *Tx) municipalityOf(ctx context.Context, orgID string) (string, error) {
	var cbs string
	err := tx.queryRow(ctx, `SELECT COALESCE(cbs_code, '') FROM organisations WHERE id = ? AND kind = ?`, orgID, string(opstap.OrgMunicipality)).Scan(&cbs)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return cbs, err
}

// candidateMunicipality is the CBS code of the candidate's commissioner.
func (tx *Tx) candidateMunicipality(ctx context.Context, id string) (string, error) {
	var org string
	if err := tx.queryRow(ctx, `SELECT commissioner_org_id FROM candidates WHERE id = ?`, id).Scan(&org); err != nil {
		return "", err
	}
	return tx.municipalityOf(ctx, org)
}

// benefitFact is what a registration fact says of the benefit.
func benefitFact(b candidate.Benefit, registered opstap.Date) (onBenefit bool, months int) {
	if b.Kind == "" || b.Kind == "none" || b.Start.IsZero() {
		return false, 0
	}
	return true, figures.MonthsOnBenefit(b.Start, registered)
}

// addFact prepares the registration fact of a municipality's candidate.
func (rg *registrar) addFact(ctx context.Context, c *candidate.Candidate, r candidate.Registration) error {
	cbs, ok := rg.cbs[c.CommissionerOrgID]
	if !ok {
		var err error
		if cbs, err = rg.tx.municipalityOf(ctx, c.CommissionerOrgID); err != nil {
			return err
		}
		rg.cbs[c.CommissionerOrgID] = cbs
	}
	if cbs == "" {
		return nil
	}
	on, months := benefitFact(candidate.Benefit{Kind: r.BenefitKind, Start: r.BenefitStart}, c.RegisteredOn)
	rg.facts.add(c.ID, cbs, c.RegisteredOn, on, months, true)
	return nil
}

func newFactsBatch() rowBatch {
	return rowBatch{table: "figure_registrations", cols: []string{"candidate_id", "municipality_cbs", "registered_on", "on_benefit", "benefit_months", "benefit_checked"}}
}

// setBenefitFact follows a write of the benefit category.
func (tx *Tx) setBenefitFact(ctx context.Context, c *candidate.Candidate, b candidate.Benefit) error {
	on, months := benefitFact(b, c.RegisteredOn)
	_, err := tx.exec(ctx, `UPDATE figure_registrations SET on_benefit = ?, benefit_months = ?, benefit_checked = ? WHERE candidate_id = ?`,
		on, months, true, c.ID)
	return err
}

// recordMatchable adds the municipality's change of the matchable status
// to the candidate's dated history.
func (tx *Tx) recordMatchable(ctx context.Context, id string, on bool) error {
	cbs, err := tx.candidateMunicipality(ctx, id)
	if err != nil || cbs == "" {
		return err
	}
	_, err = tx.exec(ctx, `INSERT INTO figure_matchable_changes (candidate_id, seq, municipality_cbs, changed_on, matchable, recorded_at)
		SELECT ?, COALESCE(MAX(seq), 0) + 1, ?, ?, ?, ? FROM figure_matchable_changes WHERE candidate_id = ?`,
		id, cbs, opstap.DateOf(tx.Now()), on, tx.Now(), id)
	return err
}

// syncPlacementFact rewrites a placement's fact from the placement: a
// confirmed or ended placement has one, any other none.
func (tx *Tx) syncPlacementFact(ctx context.Context, id string) error {
	if _, err := tx.exec(ctx, `DELETE FROM figure_placements WHERE placement_id = ?`, id); err != nil {
		return err
	}
	_, err := tx.exec(ctx, `INSERT INTO figure_placements (placement_id, candidate_id, municipality_cbs, first_day, last_day, ended, hours_per_week, outcome, updated_at)
		SELECT p.id, p.candidate_id, a.municipality_cbs, p.first_day, p.last_day, p.status = ?,
			COALESCE((SELECT h.hours_per_week FROM placement_hours h WHERE h.placement_id = p.id ORDER BY h.effective_on, h.recorded_at LIMIT 1), p.hours_per_week),
			p.end_outcome, ?
		FROM placements p JOIN assignments a ON a.id = p.assignment_id WHERE p.id = ? AND p.status IN (?, ?)`,
		string(flex.PlacementEnded), tx.Now(), id, string(flex.PlacementConfirmed), string(flex.PlacementEnded))
	return err
}

// refreshPlacementMinutes recounts a placement's approved minutes per
// month worked. A placement has a few hundred lines at most, so recounting
// all of them keeps the fact exact whatever changed (entry, decision,
// correction).
func (tx *Tx) refreshPlacementMinutes(ctx context.Context, placementID string) error {
	sums := map[opstap.Month]int64{}
	err := tx.eachRow(ctx, `SELECT day, minutes FROM timesheet_lines WHERE placement_id = ? AND status = 'approved'`, []any{placementID}, func(s scanner) error {
		var d opstap.Date
		var n int64
		if err := s.Scan(&d, &n); err != nil {
			return err
		}
		sums[opstap.MonthOf(d)] += n
		return nil
	})
	if err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `DELETE FROM figure_placement_minutes WHERE placement_id = ?`, placementID); err != nil {
		return err
	}
	b := rowBatch{table: "figure_placement_minutes", cols: []string{"placement_id", "month", "minutes"}}
	for m, n := range sums {
		b.add(placementID, m, n)
	}
	return tx.insertBatch(ctx, &b)
}

// BackfillFigureFacts derives what migration 00028 could not in SQL: the
// months on benefit of candidates registered before it (from their sealed
// benefit, read by the system and logged) and the approved minutes per
// month of existing placements. It does only what is missing, so a start
// after the first finds nothing to do.
func (db *DB) BackfillFigureFacts(ctx context.Context) error {
	if err := db.backfillMinutes(ctx); err != nil {
		return err
	}
	return db.WithTx(ctx, func(tx *Tx) error {
		ids, err := tx.strings(ctx, `SELECT f.candidate_id FROM figure_registrations f JOIN candidate_keys k ON k.candidate_id = f.candidate_id
			WHERE NOT f.benefit_checked AND k.destroyed_at IS NULL`)
		if err != nil || len(ids) == 0 {
			return err
		}
		sys := &opstap.Actor{System: true}
		var entries []audit.Entry
		for _, id := range ids {
			c, _, err := tx.candidateSubject(ctx, id)
			if err != nil {
				return err
			}
			dk, err := tx.dataKey(ctx, id)
			if err != nil {
				return err
			}
			var b candidate.Benefit
			if _, err := tx.getCategory(ctx, dk, id, opstap.CatBenefit, &b); err != nil {
				return err
			}
			if err := tx.setBenefitFact(ctx, c, b); err != nil {
				return err
			}
			e := entryFor(sys, audit.EventRead)
			e.CandidateID, e.Category, e.Action, e.Purpose = id, string(opstap.CatBenefit), string(opstap.Read), PurposeFigures
			e.Detail = "months on benefit at registration derived for the figures"
			entries = append(entries, e)
		}
		return tx.Audit(ctx, entries...)
	})
}

// backfillMinutes counts the minutes of confirmed placements that have
// approved hours but no minutes fact yet.
func (db *DB) backfillMinutes(ctx context.Context) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		ids, err := tx.strings(ctx, `SELECT f.placement_id FROM figure_placements f WHERE NOT EXISTS
			(SELECT 1 FROM figure_placement_minutes m WHERE m.placement_id = f.placement_id)
			AND EXISTS (SELECT 1 FROM timesheet_lines l WHERE l.placement_id = f.placement_id AND l.status = 'approved')`)
		if err != nil {
			return err
		}
		for _, id := range ids {
			if err := tx.refreshPlacementMinutes(ctx, id); err != nil {
				return err
			}
		}
		if len(ids) == 0 {
			return nil
		}
		e := entryFor(&opstap.Actor{System: true}, audit.EventWrite)
		e.Purpose, e.Detail = PurposeFigures, "approved minutes per month counted for "+strconv.Itoa(len(ids))+" placements"
		return tx.Audit(ctx, e)
	})
}
