package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/invoice"
)

const partyColumns = `b.legal_id, b.legal_scheme, b.vat_number, b.street, b.house_number, b.postal_code, b.city, b.email, b.iban, b.buyer_reference`

// BillingParty is an organisation with its invoicing details, nil when
// finance has not entered them.
type BillingParty struct {
	OrgID   string         `json:"org_id"`
	Name    string         `json:"name"`
	Kind    opstap.OrgKind `json:"kind"`
	Details *invoice.Party `json:"details"`
}

// BillingParties lists the provider, the municipalities and the client
// employers with their invoicing details, for finance.
func (db *DB) BillingParties(ctx context.Context, a *opstap.Actor) ([]BillingParty, error) {
	if !can(a, access.ManageFinance) {
		return nil, forbidden()
	}
	out := []BillingParty{}
	err := db.WithTx(ctx, func(tx *Tx) error {
		return tx.eachRow(ctx, `SELECT o.id, o.name, o.kind, b.org_id IS NOT NULL, COALESCE(b.legal_id, ''), COALESCE(b.legal_scheme, ''),
			COALESCE(b.vat_number, ''), COALESCE(b.street, ''), COALESCE(b.house_number, ''), COALESCE(b.postal_code, ''), COALESCE(b.city, ''),
			COALESCE(b.email, ''), COALESCE(b.iban, ''), COALESCE(b.buyer_reference, '')
			FROM organisations o LEFT JOIN billing_parties b ON b.org_id = o.id
			WHERE o.kind IN ('provider','municipality','client_employer') ORDER BY o.kind DESC, o.name`, nil, func(s scanner) error {
			var bp BillingParty
			var p invoice.Party
			var has bool
			if err := s.Scan(&bp.OrgID, &bp.Name, &bp.Kind, &has, &p.LegalID, &p.LegalScheme, &p.VATNumber, &p.Street, &p.HouseNumber,
				&p.PostalCode, &p.City, &p.Email, &p.IBAN, &p.BuyerReference); err != nil {
				return err
			}
			if has {
				p.OrgID, p.Name = bp.OrgID, bp.Name
				bp.Details = &p
			}
			out = append(out, bp)
			return nil
		})
	})
	return out, err
}

// SetBillingParty records an organisation's invoicing details (finance).
// They are configuration, not an issued record: a change reaches the next
// invoice, never one already issued (those keep their copy).
func (db *DB) SetBillingParty(ctx context.Context, a *opstap.Actor, orgID string, p invoice.Party) error {
	if !can(a, access.ManageFinance) {
		return forbidden()
	}
	return db.WithTx(ctx, func(tx *Tx) error {
		var kind opstap.OrgKind
		err := tx.queryRow(ctx, `SELECT name, kind FROM organisations WHERE id = ?`, orgID).Scan(&p.Name, &kind)
		if errors.Is(err, sql.ErrNoRows) {
			return opstap.Errorf(opstap.ENOTFOUND, "no such organisation")
		} else if err != nil {
			return err
		}
		p.OrgID = orgID
		if err := p.Check(kind == opstap.OrgProvider); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM billing_parties WHERE org_id = ?`, orgID); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO billing_parties (org_id, legal_id, legal_scheme, vat_number, street, house_number, postal_code,
			city, email, iban, buyer_reference, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			orgID, p.LegalID, string(p.LegalScheme), p.VATNumber, p.Street, p.HouseNumber, p.PostalCode, p.City, p.Email, p.IBAN,
			p.BuyerReference, a.UserID, tx.Now()); err != nil {
			return err
		}
		return tx.Audit(ctx, orgEntry(a, "billing details of organisation "+orgID))
	})
}

// billingParty reads an organisation's invoicing details; ok is false when
// finance has not entered them.
func (tx *Tx) billingParty(ctx context.Context, orgID string) (p invoice.Party, ok bool, err error) {
	err = tx.queryRow(ctx, `SELECT o.name, `+partyColumns+` FROM organisations o JOIN billing_parties b ON b.org_id = o.id WHERE o.id = ?`, orgID).
		Scan(&p.Name, &p.LegalID, &p.LegalScheme, &p.VATNumber, &p.Street, &p.HouseNumber, &p.PostalCode, &p.City, &p.Email, &p.IBAN, &p.BuyerReference)
	if errors.Is(err, sql.ErrNoRows) {
		return p, false, nil
	}
	p.OrgID = orgID
	return p, err == nil, err
}

// providerParty is the seller: the provider organisation's details.
func (tx *Tx) providerParty(ctx context.Context) (invoice.Party, bool, error) {
	var id string
	err := tx.queryRow(ctx, `SELECT o.id FROM organisations o JOIN billing_parties b ON b.org_id = o.id WHERE o.kind = 'provider' ORDER BY o.created_at LIMIT 1`).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return invoice.Party{}, false, nil
	} else if err != nil {
		return invoice.Party{}, false, err
	}
	return tx.billingParty(ctx, id)
}
