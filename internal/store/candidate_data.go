package store

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/candidate"
	"github.com/opstap/opstap/internal/vault"
)

// A candidate's data by category, sealed under the candidate's key: read
// and written as the access policy allows, each access logged.

// categoryValue returns an empty value of the category's type.
func categoryValue(cat opstap.Category) (any, error) {
	switch cat {
	case opstap.CatBasic:
		return &candidate.Basic{}, nil
	case opstap.CatBSN:
		return &candidate.BSN{}, nil
	case opstap.CatBenefit:
		return &candidate.Benefit{}, nil
	case opstap.CatFinancial:
		return &candidate.Financial{}, nil
	case opstap.CatEducation:
		return &candidate.Education{}, nil
	case opstap.CatPreferences:
		return &candidate.Preferences{}, nil
	case opstap.CatLimitations, opstap.CatMedical:
		// The medical segment and the shared limitations have their own
		// store with the consent flag (medical.go); no second way in.
		return nil, opstap.FieldError("category", "medical data and limitations are kept in the medical segment")
	}
	return nil, opstap.FieldError("category", "unknown data category")
}

// CategoryValue returns a new value of the type that holds cat, for
// decoding a write with the API's field rules before WriteCategory.
func CategoryValue(cat opstap.Category) (any, error) { return categoryValue(cat) }

// ReadCategory returns one category of a candidate's data (nil when none
// is stored), as the access policy allows; the read is logged.
func (db *DB) ReadCategory(ctx context.Context, a *opstap.Actor, id string, cat opstap.Category, purpose, reason string) (any, error) {
	v, err := categoryValue(cat)
	if err != nil {
		return nil, err
	}
	found := false
	err = db.WithTx(ctx, func(tx *Tx) error {
		_, s, err := tx.candidateSubject(ctx, id)
		if err != nil {
			return err
		}
		d, err := db.decideView(ctx, a, s, cat, opstap.Read, purpose, reason)
		if err != nil {
			return err
		}
		dk, err := tx.dataKey(ctx, id)
		if err != nil {
			return err
		}
		if err := tx.recordBreakGlass(ctx, dk, a, d, id, reason); err != nil {
			return err
		}
		if found, err = tx.getCategory(ctx, dk, id, cat, v); err != nil {
			return err
		}
		if err := placementCut(d, v); err != nil {
			return err
		}
		return tx.Audit(ctx, candidateEntry(a, d, id, cat, opstap.Read, purpose))
	})
	if err != nil || !found {
		return nil, err
	}
	return v, nil
}

// placementCut cuts a category value down to the decision's view; a view
// this code cannot cut to is refused rather than shown whole.
func placementCut(d access.Decision, v any) error {
	if d.View == access.ViewAll {
		return nil
	}
	b, ok := v.(*candidate.Basic)
	if !ok || d.View != access.ViewPlacement {
		return opstap.Errorf(opstap.EFORBIDDEN, access.ReasonLimitedView)
	}
	*b = b.PlacementView()
	return nil
}

// validateCategory checks a value for a category and returns it normalised.
func validateCategory(cat opstap.Category, raw json.RawMessage, today opstap.Date) (any, error) {
	v, err := categoryValue(cat)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return nil, opstap.FieldError(string(cat), "the data does not fit this category")
	}
	switch x := v.(type) {
	case *candidate.Basic:
		err = x.Validate(today)
	case *candidate.BSN:
		err = x.Validate()
	case *candidate.Benefit:
		err = x.Validate(today)
	case *candidate.Financial:
		err = x.Validate()
	case *candidate.Preferences:
		err = x.Validate()
	}
	return v, err
}

// WriteCategory replaces one category of a candidate's data, as the access
// policy allows; the write is logged. Basic and BSN changes refresh the
// search terms.
func (db *DB) WriteCategory(ctx context.Context, a *opstap.Actor, id string, cat opstap.Category, raw json.RawMessage, purpose string) error {
	v, err := validateCategory(cat, raw, opstap.DateOf(db.Now()))
	if err != nil {
		return err
	}
	err = db.WithTx(ctx, func(tx *Tx) error {
		e, err := tx.writeCategory(ctx, a, id, cat, v, purpose)
		if err != nil {
			return err
		}
		return tx.Audit(ctx, e)
	})
	db.afterCategoryWrite(ctx, err, id, cat)
	return err
}

// writeCategory is the category write inside a transaction: the policy's
// decision, the sealed value, the search terms and the audit entry. A
// rectification request carried out uses it too, so it takes the same path
// as any other change. The caller appends the returned audit entry last.
func (tx *Tx) writeCategory(ctx context.Context, a *opstap.Actor, id string, cat opstap.Category, v any, purpose string) (audit.Entry, error) {
	c, s, err := tx.candidateSubject(ctx, id)
	if err != nil {
		return audit.Entry{}, err
	}
	d, err := tx.db.decide(ctx, a, s, cat, opstap.Write, purpose, "")
	if err != nil {
		return audit.Entry{}, err
	}
	if b, ok := v.(*candidate.Basic); ok {
		if err := tx.checkPostcode(ctx, "postcode", b.Postcode4()); err != nil {
			return audit.Entry{}, err
		}
	}
	if b, ok := v.(*candidate.BSN); ok {
		if err := tx.checkBSNChange(ctx, a, c, b); err != nil {
			return audit.Entry{}, err
		}
	}
	dk, err := tx.dataKey(ctx, id)
	if err != nil {
		return audit.Entry{}, err
	}
	if err := tx.putCategory(ctx, dk, id, cat, v, a.UserID); err != nil {
		return audit.Entry{}, err
	}
	if err := tx.refreshSearch(ctx, dk, c, cat, v); err != nil {
		return audit.Entry{}, err
	}
	if b, ok := v.(*candidate.Benefit); ok {
		if err := tx.setBenefitFact(ctx, c, *b); err != nil {
			return audit.Entry{}, err
		}
	}
	return candidateEntry(a, d, id, cat, opstap.Write, purpose), nil
}

// afterCategoryWrite updates the matching index once a write committed:
// the postcode area and the time on benefit feed matching.
func (db *DB) afterCategoryWrite(ctx context.Context, err error, id string, cat opstap.Category) {
	if err == nil && (cat == opstap.CatBasic || cat == opstap.CatBenefit) {
		db.reindexCandidate(ctx, id)
	}
}

func (tx *Tx) refreshSearch(ctx context.Context, dk vault.DataKey, c *candidate.Candidate, cat opstap.Category, v any) error {
	if cat != opstap.CatBasic && cat != opstap.CatBSN {
		return nil
	}
	var b candidate.Basic
	var bsn candidate.BSN
	if _, err := tx.getCategory(ctx, dk, c.ID, opstap.CatBasic, &b); err != nil {
		return err
	}
	if _, err := tx.getCategory(ctx, dk, c.ID, opstap.CatBSN, &bsn); err != nil {
		return err
	}
	if x, ok := v.(*candidate.Basic); ok {
		b = *x
		if _, err := tx.exec(ctx, `UPDATE candidates SET postcode4 = ? WHERE id = ?`, b.Postcode4(), c.ID); err != nil {
			return err
		}
	}
	if x, ok := v.(*candidate.BSN); ok {
		bsn = *x
	}
	return tx.putSearchTerms(ctx, c.ID, tx.db.searchTerms(b, bsn.Number), false)
}
