package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/billing"
	"github.com/opstap/opstap/internal/period"
)

// Settlement states.
const (
	SettlementProvisional = "provisional" // computed now, for finance; may still change
	SettlementDrawnUp     = "drawn_up"    // stored when all six months were closed; never changes
)

// SettlementView is a settlement as one reader sees it: the statement
// with the names that reader may see, pseudonymous ids elsewhere.
type SettlementView struct {
	ID               string             `json:"id,omitempty"`
	Municipality     string             `json:"municipality"`
	MunicipalityName string             `json:"municipality_name"`
	Provider         string             `json:"provider"` // who settles: the provider organisation's name
	HalfYear         billing.HalfYear   `json:"half_year"`
	Status           string             `json:"status"`
	DrawnUpAt        *time.Time         `json:"drawn_up_at,omitempty"`
	OpenMonths       []opstap.Month     `json:"open_months"` // months of the half year finance has not closed
	Statement        *billing.Statement `json:"statement"`
	Shortfall        *billing.Shortfall `json:"shortfall,omitempty"` // why the balance is negative
	Names            map[string]string  `json:"names"`               // candidate id → name, for those the reader may see
}

// Name is how the specification shows a candidate: by name where the
// reader may see it, else by pseudonymous reference.
func (v *SettlementView) Name(id string) string {
	if n := v.Names[id]; n != "" {
		return n
	}
	return "kandidaat " + shortRef(id)
}

// SettlementSummary is one municipality's settlement of a half year in
// finance's overview, or one of a municipality's own settlements.
type SettlementSummary struct {
	Municipality     string           `json:"municipality"`
	MunicipalityName string           `json:"municipality_name"`
	HalfYear         billing.HalfYear `json:"half_year"`
	Status           string           `json:"status"`      // provisional or drawn_up
	OpenMonths       []opstap.Month   `json:"open_months"` // provisional: what still has to be closed
	ID               string           `json:"id,omitempty"`
	Balance          *opstap.Cents    `json:"balance_cents,omitempty"` // drawn up only
	Due              *opstap.Date     `json:"due,omitempty"`           // drawn up and payable only
	DrawnUpAt        *time.Time       `json:"drawn_up_at,omitempty"`
}

// settlementScope decides who sees municipality cbs's settlements: finance
// all, a municipality's case manager its own (drawn up only).
func (tx *Tx) settlementScope(ctx context.Context, a *opstap.Actor, cbs string) (finance bool, err error) {
	if can(a, access.ManageFinance) {
		return true, nil
	}
	if !can(a, access.ReadOwnInvoices) || a.OrgKind != opstap.OrgMunicipality {
		return false, forbidden()
	}
	var own string
	if err := tx.queryRow(ctx, `SELECT COALESCE(cbs_code, '') FROM organisations WHERE id = ?`, a.OrgID).Scan(&own); err != nil {
		return false, err
	}
	if own == "" || own != cbs {
		return false, forbidden()
	}
	return false, nil
}

func (tx *Tx) municipalityName(ctx context.Context, cbs string) (string, error) {
	var name string
	err := tx.queryRow(ctx, `SELECT name FROM organisations WHERE kind = 'municipality' AND cbs_code = ?`, cbs).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return "", opstap.Errorf(opstap.ENOTFOUND, "no such municipality")
	}
	return name, err
}

func (tx *Tx) openMonths(ctx context.Context, h billing.HalfYear) ([]opstap.Month, error) {
	closed, err := tx.closedMonths(ctx)
	if err != nil {
		return nil, err
	}
	out := []opstap.Month{}
	for _, m := range h.Months() {
		if !period.IsClosed(closed, m) {
			out = append(out, m)
		}
	}
	return out, nil
}

// drawnUp reads the stored settlement, nil when there is none.
func (tx *Tx) drawnUp(ctx context.Context, cbs string, h billing.HalfYear) (*SettlementView, error) {
	v := &SettlementView{Municipality: cbs, HalfYear: h, Status: SettlementDrawnUp, OpenMonths: []opstap.Month{}}
	var doc string
	var at time.Time
	err := tx.queryRow(ctx, `SELECT id, document, drawn_up_at FROM settlements WHERE municipality_cbs = ? AND half_year = ?`, cbs, h.String()).
		Scan(&v.ID, &doc, scanTime(&at))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	v.DrawnUpAt = &at
	v.Statement = &billing.Statement{}
	return v, json.Unmarshal([]byte(doc), v.Statement)
}

// complete fills what a view shows besides the statement: the parties and
// the explanation of a negative balance.
func (tx *Tx) complete(ctx context.Context, v *SettlementView, municipality string) error {
	v.MunicipalityName = municipality
	_ = tx.queryRow(ctx, `SELECT name FROM organisations WHERE kind = 'provider' ORDER BY created_at LIMIT 1`).Scan(&v.Provider)
	sf, short, err := v.Statement.Shortfall()
	if short {
		v.Shortfall = &sf
	}
	return err
}

// settlement returns the settlement of cbs for h as the actor sees it: the
// drawn-up one, or for finance a provisional one computed now. format
// names a download ("pdf", "xlsx") to log as an export; "" is a view.
func (db *DB) settlement(ctx context.Context, a *opstap.Actor, cbs string, h billing.HalfYear, format string) (*SettlementView, error) {
	if !h.Valid() {
		return nil, opstap.FieldError("half_year", "not a half year (2026-H1)")
	}
	var out *SettlementView
	err := db.WithTx(ctx, func(tx *Tx) error {
		finance, err := tx.settlementScope(ctx, a, cbs)
		if err != nil {
			return err
		}
		name, err := tx.municipalityName(ctx, cbs)
		if err != nil {
			return err
		}
		var entries []audit.Entry
		v, err := tx.drawnUp(ctx, cbs, h)
		switch {
		case err != nil:
			return err
		case v != nil:
			if v.Names, entries, err = tx.settlementNames(ctx, a, v.Statement); err != nil {
				return err
			}
		case !finance:
			return opstap.Errorf(opstap.ENOTFOUND, "this settlement has not been drawn up yet")
		default:
			v = &SettlementView{Municipality: cbs, HalfYear: h, Status: SettlementProvisional}
			if v.OpenMonths, err = tx.openMonths(ctx, h); err != nil {
				return err
			}
			st, run, err := tx.computeSettlement(ctx, a, cbs, h)
			if err != nil {
				return err
			}
			v.Statement, v.Names, entries = st, run.names, run.entries
		}
		if err := tx.complete(ctx, v, name); err != nil {
			return err
		}
		if format != "" {
			e := entryFor(a, audit.EventExport)
			e.Detail = "settlement " + h.String() + " of " + cbs + " " + format
			entries = append(entries, e)
		}
		out = v
		return tx.Audit(ctx, entries...)
	})
	return out, err
}

// Settlement returns municipality cbs's settlement of half year h: to
// finance the drawn-up one or, before that, a provisional one computed
// now; to the municipality its own drawn-up one. Candidates are named
// where the reader may see them (each read logged), otherwise shown by
// pseudonym, erased ones included.
func (db *DB) Settlement(ctx context.Context, a *opstap.Actor, cbs string, h billing.HalfYear) (*SettlementView, error) {
	return db.settlement(ctx, a, cbs, h, "")
}

// SettlementForFile is Settlement for a download as PDF or XLSX, which the
// audit log records as an export.
func (db *DB) SettlementForFile(ctx context.Context, a *opstap.Actor, cbs string, h billing.HalfYear, format string) (*SettlementView, error) {
	if format != "pdf" && format != "xlsx" {
		return nil, opstap.FieldError("format", "format is pdf or xlsx")
	}
	return db.settlement(ctx, a, cbs, h, format)
}

// DrawUpSettlement draws up municipality cbs's settlement of h (finance):
// only when all six months are closed, so its hours no longer change. The
// statement is stored once and never changed; drawing it up again, or
// twice at once, returns the stored one (created false). The demo loader
// calls it too.
func (db *DB) DrawUpSettlement(ctx context.Context, a *opstap.Actor, cbs string, h billing.HalfYear) (v *SettlementView, created bool, err error) {
	if !can(a, access.ManageFinance) {
		return nil, false, forbidden()
	}
	if !h.Valid() {
		return nil, false, opstap.FieldError("half_year", "not a half year (2026-H1)")
	}
	err = db.WithTx(ctx, func(tx *Tx) error {
		name, err := tx.municipalityName(ctx, cbs)
		if err != nil {
			return err
		}
		if old, err := tx.drawnUp(ctx, cbs, h); err != nil || old != nil {
			return err
		}
		open, err := tx.openMonths(ctx, h)
		if err != nil {
			return err
		}
		if len(open) > 0 {
			ms := make([]string, len(open))
			for i, m := range open {
				ms[i] = m.String()
			}
			return opstap.FieldError("half_year", "close every month of the half year first; still open: %s", strings.Join(ms, ", "))
		}
		st, run, err := tx.computeSettlement(ctx, a, cbs, h)
		if err != nil {
			return err
		}
		doc, err := json.Marshal(st)
		if err != nil {
			return err
		}
		at := tx.Now()
		v = &SettlementView{ID: newID(), Municipality: cbs, HalfYear: h, Status: SettlementDrawnUp, DrawnUpAt: &at,
			OpenMonths: []opstap.Month{}, Statement: st, Names: run.names}
		if _, err := tx.exec(ctx, `INSERT INTO settlements (id, municipality_cbs, half_year, revenue_cents, balance_cents, due_date, document,
			drawn_up_by, drawn_up_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			v.ID, cbs, h.String(), st.Revenue, st.Balance, st.Due, string(doc), a.UserID, at); err != nil {
			return err
		}
		created = true
		if err := tx.complete(ctx, v, name); err != nil {
			return err
		}
		e := entryFor(a, audit.EventInvoice)
		e.Detail = "drew up the settlement " + h.String() + " of " + cbs
		return tx.Audit(ctx, append(run.entries, e)...)
	})
	if opstap.ErrorCode(err) == opstap.ECONFLICT && opstap.AsError(err).Message == "already exists" {
		created, err = false, nil // drawn up at the same moment by another run
	}
	switch {
	case err != nil:
		return nil, false, err
	case created:
		// The names were read, and logged, while computing it.
		return v, true, nil
	}
	v, err = db.Settlement(ctx, a, cbs, h)
	return v, false, err
}

// Settlements lists settlements: for finance every municipality with
// contract terms in half year h (drawn up, or provisional with the months
// still open); for a municipality its own drawn-up settlements (h is then
// ignored).
func (db *DB) Settlements(ctx context.Context, a *opstap.Actor, h billing.HalfYear) ([]SettlementSummary, error) {
	out := []SettlementSummary{}
	err := db.WithTx(ctx, func(tx *Tx) error {
		q := `SELECT o.cbs_code, o.name, s.half_year, s.id, s.balance_cents, s.due_date, s.drawn_up_at FROM settlements s
			JOIN organisations o ON o.kind = 'municipality' AND o.cbs_code = s.municipality_cbs`
		var args []any
		finance := can(a, access.ManageFinance)
		if finance {
			if !h.Valid() {
				return opstap.FieldError("half_year", "not a half year (2026-H1)")
			}
			q += ` WHERE s.half_year = ?`
			args = append(args, h.String())
		} else {
			var cbs string
			if can(a, access.ReadOwnInvoices) && a.OrgKind == opstap.OrgMunicipality {
				_ = tx.queryRow(ctx, `SELECT COALESCE(cbs_code, '') FROM organisations WHERE id = ?`, a.OrgID).Scan(&cbs)
			}
			if cbs == "" {
				return forbidden()
			}
			q += ` WHERE s.municipality_cbs = ?`
			args = append(args, cbs)
		}
		drawn := map[string]bool{}
		if err := tx.eachRow(ctx, q+` ORDER BY s.half_year DESC, o.name`, args, func(s scanner) error {
			v := SettlementSummary{Status: SettlementDrawnUp, OpenMonths: []opstap.Month{}}
			var half string
			var bal opstap.Cents
			var due opstap.Date
			var at time.Time
			if err := s.Scan(&v.Municipality, &v.MunicipalityName, &half, &v.ID, &bal, &due, scanTime(&at)); err != nil {
				return err
			}
			var err error
			if v.HalfYear, err = billing.ParseHalfYear(half); err != nil {
				return err
			}
			v.Balance, v.DrawnUpAt = &bal, &at
			if bal > 0 {
				v.Due = &due
			}
			drawn[v.Municipality] = true
			out = append(out, v)
			return nil
		}); err != nil {
			return err
		}
		if !finance {
			return nil
		}
		open, err := tx.openMonths(ctx, h)
		if err != nil {
			return err
		}
		return tx.eachRow(ctx, `SELECT o.cbs_code, o.name FROM organisations o WHERE o.kind = 'municipality' AND o.cbs_code <> ''
			AND EXISTS (SELECT 1 FROM contract_terms t WHERE t.municipality_cbs = o.cbs_code AND t.valid_from <= ?) ORDER BY o.name`,
			[]any{h.End()}, func(s scanner) error {
				v := SettlementSummary{HalfYear: h, Status: SettlementProvisional, OpenMonths: open}
				if err := s.Scan(&v.Municipality, &v.MunicipalityName); err != nil || drawn[v.Municipality] {
					return err
				}
				out = append(out, v)
				return nil
			})
	})
	return out, err
}
