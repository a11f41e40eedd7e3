package store

import (
	"context"
	"fmt"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/history"
)

// HistoryResult says what a history import stored (docs/history-import.md).
type HistoryResult struct {
	Municipality FigureMunicipality `json:"municipality"`
	// Candidates are the references the import holds; Replaced those of
	// them whose earlier imported history it replaced.
	Candidates       int `json:"candidates"`
	Replaced         int `json:"replaced"`
	Registrations    int `json:"registrations"`
	MatchableChanges int `json:"matchable_changes"`
	Placements       int `json:"placements"`
	HourMonths       int `json:"hour_months"`
	Ends             int `json:"ends"`
}

// ImportHistory stores a municipality's checked history records
// (history.ParseCSV or history.Validate) in the facts the figures count, in
// one transaction. The records replace every earlier imported fact of the
// candidates and placements they name, so that the same file imported twice
// counts once and a corrected file corrects; facts of Opstap's own
// candidates are never touched (imported ids have their own prefix).
// Refused: an actor without the capability or of another municipality
// (forbidden), an unknown municipality (field "municipality").
func (db *DB) ImportHistory(ctx context.Context, a *opstap.Actor, cbs string, recs []history.Record) (HistoryResult, error) {
	res := HistoryResult{}
	if !can(a, access.ImportFigureHistory) {
		return res, forbidden()
	}
	f := history.ToFacts(cbs, recs)
	err := db.WithTx(ctx, func(tx *Tx) error {
		m, err := tx.figureMunicipality(ctx, a, cbs)
		if err != nil {
			return err
		}
		res.Municipality = m
		if res.Replaced, err = tx.replaceHistory(ctx, f); err != nil {
			return err
		}
		if err := tx.writeHistory(ctx, cbs, f); err != nil {
			return err
		}
		res.Candidates, res.Registrations, res.MatchableChanges = len(f.Candidates), len(f.Registrations), len(f.Matchable)
		res.Placements, res.Ends = len(f.Realised), len(f.Ends)
		for _, p := range f.Realised {
			res.HourMonths += len(p.Minutes)
		}
		e := entryFor(a, audit.EventImport)
		e.Purpose = PurposeFigures
		e.Detail = fmt.Sprintf("history of municipality %s: %d candidates (%d replaced), %d records", cbs, res.Candidates, res.Replaced, len(recs))
		return tx.Audit(ctx, e)
	})
	if err != nil {
		return HistoryResult{}, err
	}
	return res, nil
}

// historyChunk bounds the ids in one IN list.
const historyChunk = 500

// replaceHistory deletes the earlier imported facts of the candidates and
// placements f names and returns how many of those candidates had any.
func (tx *Tx) replaceHistory(ctx context.Context, f history.Facts) (int, error) {
	had := map[string]bool{}
	for ids := range chunked(f.Candidates) {
		in := placeholders(len(ids))
		err := tx.eachRow(ctx, `SELECT candidate_id FROM figure_registrations WHERE candidate_id IN (`+in+`)
			UNION SELECT candidate_id FROM figure_matchable_changes WHERE candidate_id IN (`+in+`)
			UNION SELECT candidate_id FROM figure_placements WHERE candidate_id IN (`+in+`)
			UNION SELECT candidate_id FROM figure_trajectory_ends WHERE candidate_id IN (`+in+`)`,
			repeat(ids, 4), func(s scanner) error {
				var id string
				err := s.Scan(&id)
				had[id] = true
				return err
			})
		if err != nil {
			return 0, err
		}
		for _, q := range []string{
			`DELETE FROM figure_placement_minutes WHERE placement_id IN (SELECT placement_id FROM figure_placements WHERE candidate_id IN (` + in + `))`,
			`DELETE FROM figure_placements WHERE candidate_id IN (` + in + `)`,
			`DELETE FROM figure_registrations WHERE candidate_id IN (` + in + `)`,
			`DELETE FROM figure_matchable_changes WHERE candidate_id IN (` + in + `)`,
			`DELETE FROM figure_trajectory_ends WHERE candidate_id IN (` + in + `)`,
		} {
			if _, err := tx.exec(ctx, q, ids...); err != nil {
				return 0, err
			}
		}
	}
	// A placement may have moved to another candidate in a corrected file.
	for ids := range chunked(f.Placements) {
		in := placeholders(len(ids))
		for _, q := range []string{
			`DELETE FROM figure_placement_minutes WHERE placement_id IN (` + in + `)`,
			`DELETE FROM figure_placements WHERE placement_id IN (` + in + `)`,
		} {
			if _, err := tx.exec(ctx, q, ids...); err != nil {
				return 0, err
			}
		}
	}
	return len(had), nil
}

// writeHistory inserts the facts in bulk.
func (tx *Tx) writeHistory(ctx context.Context, cbs string, f history.Facts) error {
	now := tx.Now()
	regs := &rowBatch{table: "figure_registrations", cols: []string{"candidate_id", "municipality_cbs", "registered_on", "on_benefit", "benefit_months", "benefit_checked"}}
	for _, r := range f.Registrations {
		regs.add(r.Candidate, cbs, r.RegisteredOn, r.OnBenefit, r.BenefitMonths, true)
	}
	changes := &rowBatch{table: "figure_matchable_changes", cols: []string{"candidate_id", "seq", "municipality_cbs", "changed_on", "matchable", "recorded_at"}}
	for _, c := range f.Matchable {
		changes.add(c.Candidate, c.Seq, cbs, c.On, c.Matchable, now)
	}
	places := &rowBatch{table: "figure_placements", cols: []string{"placement_id", "candidate_id", "municipality_cbs", "first_day", "last_day", "ended",
		"hours_per_week", "outcome", "updated_at"}}
	minutes := &rowBatch{table: "figure_placement_minutes", cols: []string{"placement_id", "month", "minutes"}}
	for _, p := range f.Realised {
		places.add(p.ID, p.Candidate, cbs, p.First, p.Last, p.Ended, p.HoursPerWeek, p.Outcome, now)
		for m, n := range p.Minutes {
			minutes.add(p.ID, m, n)
		}
	}
	ends := &rowBatch{table: "figure_trajectory_ends", cols: []string{"candidate_id", "seq", "municipality_cbs", "ended_on", "reason"}}
	for _, e := range f.Ends {
		ends.add(e.Candidate, e.Seq, cbs, e.On, string(e.Reason))
	}
	for _, b := range []*rowBatch{regs, changes, places, minutes, ends} {
		if err := tx.insertBatch(ctx, b); err != nil {
			return err
		}
	}
	return nil
}

// chunked yields ids as arguments, historyChunk at a time.
func chunked(ids []string) func(func([]any) bool) {
	return func(yield func([]any) bool) {
		for i := 0; i < len(ids); i += historyChunk {
			var args []any
			for _, id := range ids[i:min(i+historyChunk, len(ids))] {
				args = append(args, id)
			}
			if !yield(args) {
				return
			}
		}
	}
}

// repeat gives args n times over, for a query naming the same list n times.
func repeat(args []any, n int) []any {
	var out []any
	for range n {
		out = append(out, args...)
	}
	return out
}
