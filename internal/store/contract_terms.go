package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/billing"
)

const termsColumns = `municipality_cbs, valid_from, contract_start, contract_end, hourly_rate_cents, premium_per_hour_cents, travel_rule,
	travel_per_km_cents, fee_tiers, monthly_minimum_cents, licences, licence_price_cents, advice_days, advice_day_price_cents,
	vat_rate_bp, fee_vat_rate_bp, payment_days, settlement_days, note`

// MunicipalityTerms is a municipality with its contract terms: the version
// in force today (nil when none) and every version, newest first.
type MunicipalityTerms struct {
	CBS      string          `json:"municipality"`
	Name     string          `json:"name"`
	Current  *billing.Terms  `json:"current"`
	Versions []billing.Terms `json:"versions"`
}

// ContractTerms lists every municipality with its terms, for finance and
// the application admin.
func (db *DB) ContractTerms(ctx context.Context, a *opstap.Actor) ([]MunicipalityTerms, error) {
	if !can(a, access.ManageContractTerms) {
		return nil, forbidden()
	}
	var out []MunicipalityTerms
	err := db.WithTx(ctx, func(tx *Tx) error {
		if err := tx.eachRow(ctx, `SELECT cbs_code, name FROM organisations WHERE kind = ? AND cbs_code <> '' ORDER BY name`,
			[]any{string(opstap.OrgMunicipality)}, func(s scanner) error {
				var m MunicipalityTerms
				if err := s.Scan(&m.CBS, &m.Name); err != nil {
					return err
				}
				out = append(out, m)
				return nil
			}); err != nil {
			return err
		}
		today := opstap.DateOf(tx.Now())
		for i := range out {
			vs, err := tx.TermsVersions(ctx, out[i].CBS)
			if err != nil {
				return err
			}
			out[i].Versions = vs
			if t, ok := billing.TermsAt(vs, today); ok {
				out[i].Current = &t
			}
		}
		return nil
	})
	return out, err
}

// MunicipalityContractTerms returns one municipality's terms.
func (db *DB) MunicipalityContractTerms(ctx context.Context, a *opstap.Actor, cbs string) (*MunicipalityTerms, error) {
	all, err := db.ContractTerms(ctx, a)
	if err != nil {
		return nil, err
	}
	for i := range all {
		if all[i].CBS == cbs {
			return &all[i], nil
		}
	}
	return nil, opstap.Errorf(opstap.ENOTFOUND, "no such municipality")
}

// TermsVersions returns a municipality's versions of the terms, newest
// first. The invoices, payouts and settlement read them through
// billing.TermsAt inside their own transaction.
func (tx *Tx) TermsVersions(ctx context.Context, cbs string) ([]billing.Terms, error) {
	var vs []billing.Terms
	err := tx.eachRow(ctx, `SELECT `+termsColumns+` FROM contract_terms WHERE municipality_cbs = ? ORDER BY valid_from DESC`, []any{cbs},
		func(s scanner) error {
			var t billing.Terms
			var tiers string
			if err := s.Scan(&t.Municipality, &t.ValidFrom, &t.ContractStart, &t.ContractEnd, &t.HourlyRate, &t.PremiumPerHour, &t.TravelRule,
				&t.TravelPerKm, &tiers, &t.MonthlyMinimum, &t.Licences, &t.LicencePrice, &t.AdviceDays, &t.AdviceDayPrice,
				&t.VATRate, &t.FeeVATRate, &t.PaymentDays, &t.SettlementDays, &t.Note); err != nil {
				return err
			}
			if err := json.Unmarshal([]byte(tiers), &t.FeeTiers); err != nil {
				return fmt.Errorf("contract terms %s %s: fee tiers: %w", cbs, t.ValidFrom, err)
			}
			vs = append(vs, t)
			return nil
		})
	return vs, err
}

// TermsOn returns the terms in force on d for a municipality; a day without
// terms is a conflict to resolve (finance enters the terms first), never a
// silent default.
func (tx *Tx) TermsOn(ctx context.Context, cbs string, d opstap.Date) (billing.Terms, error) {
	vs, err := tx.TermsVersions(ctx, cbs)
	if err != nil {
		return billing.Terms{}, err
	}
	t, ok := billing.TermsAt(vs, d)
	if !ok {
		return billing.Terms{}, opstap.Errorf(opstap.ECONFLICT, "no contract terms apply to municipality %s on %s", cbs, d.Dutch())
	}
	return t, nil
}

// AddContractTerms records a new version of a municipality's terms. It
// takes effect from its ValidFrom, which must lie after every closed
// period; an existing version is never changed.
func (db *DB) AddContractTerms(ctx context.Context, a *opstap.Actor, t billing.Terms) (*billing.Terms, error) {
	if !can(a, access.ManageContractTerms) {
		return nil, forbidden()
	}
	if err := t.Validate(); err != nil {
		return nil, err
	}
	err := db.WithTx(ctx, func(tx *Tx) error {
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM organisations WHERE kind = ? AND cbs_code = ?`,
			string(opstap.OrgMunicipality), t.Municipality).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return opstap.FieldError("municipality", "no municipality has this CBS code")
		}
		closed, err := tx.closedThrough(ctx)
		if err != nil {
			return err
		}
		if err := billing.CheckValidFrom(t.ValidFrom, closed); err != nil {
			return err
		}
		tiers, err := json.Marshal(t.FeeTiers)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO contract_terms (`+termsColumns+`, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			t.Municipality, t.ValidFrom, t.ContractStart, t.ContractEnd, t.HourlyRate, t.PremiumPerHour, string(t.TravelRule),
			t.TravelPerKm, string(tiers), t.MonthlyMinimum, t.Licences, t.LicencePrice, t.AdviceDays, t.AdviceDayPrice,
			t.VATRate, t.FeeVATRate, t.PaymentDays, t.SettlementDays, t.Note, a.UserID, tx.Now()); err != nil {
			if opstap.ErrorCode(err) == opstap.ECONFLICT {
				return opstap.FieldError("valid_from", "a version of the terms already starts on this date")
			}
			return err
		}
		return tx.Audit(ctx, orgEntry(a, "added contract terms of municipality "+t.Municipality+" from "+t.ValidFrom.String()))
	})
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// closedThrough returns the last month finance closed, zero when none.
// Months are closed for all municipalities at once, so a version may not
// start on or before the last closed month's end: it would rewrite a
// closed period, even when an earlier month was reopened.
func (tx *Tx) closedThrough(ctx context.Context) (opstap.Month, error) {
	closed, err := tx.closedMonths(ctx)
	if err != nil || len(closed) == 0 {
		return opstap.Month{}, err
	}
	return closed[len(closed)-1], nil
}

// PremiumCaps returns the yearly premium caps, newest year first. Finance
// reads them; the application admin keeps them.
func (db *DB) PremiumCaps(ctx context.Context, a *opstap.Actor) ([]billing.Cap, error) {
	if !can(a, access.ManageContractTerms) && !can(a, access.ManagePremiumCaps) {
		return nil, forbidden()
	}
	var out []billing.Cap
	err := db.WithTx(ctx, func(tx *Tx) error {
		var err error
		out, err = tx.PremiumCapTable(ctx)
		return err
	})
	return out, err
}

// PremiumCapTable returns the cap table for billing.CapFor, newest first.
func (tx *Tx) PremiumCapTable(ctx context.Context) ([]billing.Cap, error) {
	var out []billing.Cap
	err := tx.eachRow(ctx, `SELECT year, amount_cents, source FROM premium_caps ORDER BY year DESC`, nil, func(s scanner) error {
		var c billing.Cap
		if err := s.Scan(&c.Year, &c.Amount, &c.Source); err != nil {
			return err
		}
		out = append(out, c)
		return nil
	})
	return out, err
}

// SetPremiumCap records or corrects the cap of a year, with its source.
func (db *DB) SetPremiumCap(ctx context.Context, a *opstap.Actor, c billing.Cap) error {
	if !can(a, access.ManagePremiumCaps) {
		return forbidden()
	}
	if err := c.Validate(); err != nil {
		return err
	}
	return db.WithTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `INSERT INTO premium_caps (year, amount_cents, source, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (year) DO UPDATE SET amount_cents = excluded.amount_cents, source = excluded.source,
			updated_by = excluded.updated_by, updated_at = excluded.updated_at`, c.Year, c.Amount, c.Source, a.UserID, tx.Now()); err != nil {
			return err
		}
		return tx.Audit(ctx, orgEntry(a, fmt.Sprintf("set the premium cap of %d to %s (%s)", c.Year, c.Amount, c.Source)))
	})
}
