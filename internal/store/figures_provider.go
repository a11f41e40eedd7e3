package store

import (
	"context"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/figures"
)

// FigureComparison is a municipality's (or all municipalities') figures of
// a period and of the period before.
type FigureComparison struct {
	Municipality *FigureMunicipality `json:"municipality,omitempty"`
	Current      figures.Figures     `json:"current"`
	Previous     figures.Figures     `json:"previous"`
}

// ProviderFigures is the provider-wide view (issue 10 item 8): every
// municipality with facts in either period, side by side, and the total.
type ProviderFigures struct {
	Version        string             `json:"definition_version"`
	Period         figures.Period     `json:"period"`
	Previous       figures.Period     `json:"previous_period"`
	Municipalities []FigureComparison `json:"municipalities"`
	Total          FigureComparison   `json:"total"`
}

// ProviderFigures computes every municipality's figures for period p and
// for the period before it (figures.Period.Previous), and those of all
// municipalities together. Counts only, no personal data; for the
// provider's management (access.ReadProviderFigures); logged as an export.
// The facts are read in one pass per table for all municipalities; closed
// months count from their snapshots, as on each municipality's dashboard.
func (db *DB) ProviderFigures(ctx context.Context, a *opstap.Actor, p figures.Period) (*ProviderFigures, error) {
	if !can(a, access.ReadProviderFigures) {
		return nil, forbidden()
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	prev := p.Previous()
	out := &ProviderFigures{Version: figures.DefinitionVersion, Period: p, Previous: prev}
	err := db.WithTx(ctx, func(tx *Tx) error {
		var ms []FigureMunicipality
		err := tx.eachRow(ctx, `SELECT cbs_code, name FROM organisations WHERE kind = ? AND cbs_code IS NOT NULL ORDER BY name, cbs_code`,
			[]any{string(opstap.OrgMunicipality)}, func(s scanner) error {
				var m FigureMunicipality
				err := s.Scan(&m.CBS, &m.Name)
				ms = append(ms, m)
				return err
			})
		if err != nil {
			return err
		}
		both := figures.Period{Start: prev.Start, End: p.End}
		all, err := tx.allFigureFacts(ctx, both)
		if err != nil {
			return err
		}
		closed, err := tx.closedIn(ctx, both)
		if err != nil {
			return err
		}
		snaps := map[string]map[opstap.Month]snapshot{}
		if len(closed) > 0 {
			if snaps, err = tx.snapshotsIn(ctx, "", both); err != nil {
				return err
			}
		}
		var now, before []*figures.Facts
		for i := range ms {
			f, ok := all[ms[i].CBS]
			if !ok {
				continue
			}
			// Closed months from their snapshots, as on the dashboard.
			months, err := tx.monthFactsClosed(ctx, ms[i].CBS, both, *f, closed, snaps[ms[i].CBS])
			if err != nil {
				return err
			}
			cur, old := figures.Combine(months, p), figures.Combine(months, prev)
			now, before = append(now, &cur), append(before, &old)
			c := FigureComparison{Municipality: &ms[i], Current: figures.Compute(cur, p), Previous: figures.Compute(old, prev)}
			out.Municipalities = append(out.Municipalities, c)
		}
		out.Total = FigureComparison{Current: figures.Compute(figures.Merge(now...), p), Previous: figures.Compute(figures.Merge(before...), prev)}
		e := entryFor(a, audit.EventExport)
		e.ActorRole = string(figureRole(a))
		e.Purpose, e.Detail = PurposeFigures, "figures of all municipalities for "+p.Start.String()+" to "+p.End.String()+" and the period before"
		return tx.Audit(ctx, e)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
