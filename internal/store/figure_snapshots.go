package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/figures"
)

// The frozen facts of closed months (issue 10 item 7; migration 00033;
// docs/figures.md "Reproducible").

// snapshotFacts is figures.Facts as kept in a snapshot: the placements'
// approved minutes per month, which figures.Placement keeps out of JSON,
// are written beside them.
type snapshotFacts struct {
	Registrations []figures.Registration    `json:"registrations"`
	Matchable     []figures.MatchableChange `json:"matchable"`
	Erased        map[string]opstap.Date    `json:"erased"`
	Placements    []snapshotPlacement       `json:"placements"`
	Outflows      []figures.Outflow         `json:"outflows"`
}

type snapshotPlacement struct {
	figures.Placement
	Minutes map[string]int64 `json:"minutes"`
}

func encodeSnapshot(f figures.Facts) (string, error) {
	s := snapshotFacts{Registrations: f.Registrations, Matchable: f.Matchable, Erased: f.Erased, Outflows: f.Outflows}
	for _, p := range f.Placements {
		sp := snapshotPlacement{Placement: p, Minutes: map[string]int64{}}
		for m, n := range p.Minutes {
			sp.Minutes[m.String()] = n
		}
		s.Placements = append(s.Placements, sp)
	}
	b, err := json.Marshal(s)
	return string(b), err
}

func decodeSnapshot(text string) (figures.Facts, error) {
	var s snapshotFacts
	if err := json.Unmarshal([]byte(text), &s); err != nil {
		return figures.Facts{}, err
	}
	f := figures.Facts{Registrations: s.Registrations, Matchable: s.Matchable, Erased: s.Erased, Outflows: s.Outflows}
	if f.Erased == nil {
		f.Erased = map[string]opstap.Date{}
	}
	for _, sp := range s.Placements {
		p := sp.Placement
		p.Minutes = map[opstap.Month]int64{}
		for k, n := range sp.Minutes {
			m, err := opstap.ParseMonth(k)
			if err != nil {
				return f, err
			}
			p.Minutes[m] = n
		}
		f.Placements = append(f.Placements, p)
	}
	return f, nil
}

// monthFacts gives the facts of every month of p for municipality cbs: a
// month finance has closed from its snapshot — frozen now from the live
// facts when it has none for the month's current close — an open month
// live.
func (tx *Tx) monthFacts(ctx context.Context, cbs string, p figures.Period, live figures.Facts) (map[opstap.Month]figures.Facts, error) {
	closed, err := tx.closedIn(ctx, p)
	if err != nil || len(closed) == 0 {
		return live.ByMonth(p), err
	}
	snaps, err := tx.snapshotsIn(ctx, cbs, p)
	if err != nil {
		return nil, err
	}
	return tx.monthFactsClosed(ctx, cbs, p, live, closed, snaps[cbs])
}

// closedIn gives the months of p finance has closed, with their close.
func (tx *Tx) closedIn(ctx context.Context, p figures.Period) (map[opstap.Month]time.Time, error) {
	closed := map[opstap.Month]time.Time{}
	err := tx.eachRow(ctx, `SELECT month, closed_at FROM finance_periods WHERE month >= ? AND month <= ?`,
		[]any{opstap.MonthOf(p.Start), opstap.MonthOf(p.End)}, func(s scanner) error {
			var m opstap.Month
			var at time.Time
			err := s.Scan(&m, scanTime(&at))
			closed[m] = at
			return err
		})
	return closed, err
}

// snapshot is a frozen month as stored.
type snapshot struct {
	closedAt time.Time
	facts    string
}

// snapshotsIn loads the snapshots of the months of p, of municipality cbs
// or, with cbs empty, of every municipality, by CBS code and month.
func (tx *Tx) snapshotsIn(ctx context.Context, cbs string, p figures.Period) (map[string]map[opstap.Month]snapshot, error) {
	out := map[string]map[opstap.Month]snapshot{}
	cond, args := factsScope{cbs: cbs}.where("municipality_cbs")
	err := tx.eachRow(ctx, `SELECT municipality_cbs, month, closed_at, facts FROM figure_snapshots WHERE `+cond+` AND month >= ? AND month <= ?`,
		append(args, opstap.MonthOf(p.Start), opstap.MonthOf(p.End)), func(s scanner) error {
			var c string
			var m opstap.Month
			var sn snapshot
			err := s.Scan(&c, &m, scanTime(&sn.closedAt), &sn.facts)
			if out[c] == nil {
				out[c] = map[opstap.Month]snapshot{}
			}
			out[c][m] = sn
			return err
		})
	return out, err
}

// monthFactsClosed is monthFacts with the closed months and the
// municipality's snapshots known.
func (tx *Tx) monthFactsClosed(ctx context.Context, cbs string, p figures.Period, live figures.Facts, closed map[opstap.Month]time.Time, snaps map[opstap.Month]snapshot) (map[opstap.Month]figures.Facts, error) {
	months := live.ByMonth(p)
	for m, at := range closed {
		var err error
		if sn, ok := snaps[m]; ok && sn.closedAt.Equal(at) {
			if months[m], err = decodeSnapshot(sn.facts); err != nil {
				return nil, err
			}
			continue
		}
		// The whole month's facts, also where p covers only part of it.
		whole, err := tx.FigureFacts(ctx, cbs, figures.Period{Start: m.First(), End: m.Last()})
		if err != nil {
			return nil, err
		}
		months[m] = whole.Month(m)
		if err := tx.freezeMonth(ctx, cbs, m, at, months[m]); err != nil {
			return nil, err
		}
	}
	return months, nil
}

// freezeMonth keeps month m's facts as the snapshot of its close at closedAt,
// replacing one of an earlier close.
func (tx *Tx) freezeMonth(ctx context.Context, cbs string, m opstap.Month, closedAt time.Time, f figures.Facts) error {
	text, err := encodeSnapshot(f)
	if err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `DELETE FROM figure_snapshots WHERE municipality_cbs = ? AND month = ?`, cbs, m); err != nil {
		return err
	}
	_, err = tx.exec(ctx, `INSERT INTO figure_snapshots (municipality_cbs, month, definition_version, closed_at, frozen_at, facts) VALUES (?, ?, ?, ?, ?, ?)`,
		cbs, m, figures.DefinitionVersion, closedAt, tx.Now(), text)
	return err
}
