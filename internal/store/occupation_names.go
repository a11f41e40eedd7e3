package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/refdata"
)

// Forms name occupations and skills by their Dutch labels (issue 12 item
// 7); the domain and the API keep the ESCO codes. These methods translate
// between the two over the reference data.

// OccupationsNamed finds the occupation each of names names (a label, an
// alternative label, or still an ESCO code or URI; refdata.PickOccupation).
// A name that matches none, or several, is refused on field with the
// closest occupations to choose from, so a form without JavaScript can
// still be completed.
func (db *DB) OccupationsNamed(ctx context.Context, field string, names []string) ([]refdata.Occupation, error) {
	out := make([]refdata.Occupation, 0, len(names))
	for _, name := range names {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		o, err := db.occupationNamed(ctx, field, name)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, nil
}

func (db *DB) occupationNamed(ctx context.Context, field, name string) (refdata.Occupation, error) {
	if o, err := db.FindOccupation(ctx, name); err == nil {
		return *o, nil
	} else if opstap.ErrorCode(err) != opstap.ENOTFOUND {
		return refdata.Occupation{}, err
	}
	found, err := db.FindOccupations(ctx, name, refdata.MaxSuggestions*4)
	if e := opstap.AsError(err); e != nil && e.Field == "q" {
		// Too short or too long to search: say so on the form's field.
		return refdata.Occupation{}, &opstap.Error{Code: opstap.EINVALID, Message: e.Message, Args: e.Args, Field: field}
	} else if err != nil {
		return refdata.Occupation{}, err
	}
	o, sugg := refdata.PickOccupation(name, found, searchText)
	if o != nil {
		return *o, nil
	}
	if len(sugg) == 0 {
		return refdata.Occupation{}, opstap.FieldError(field, "%q is not an occupation we know", name)
	}
	labels := make([]string, len(sugg))
	for i, s := range sugg {
		labels[i] = s.Label
	}
	return refdata.Occupation{}, opstap.FieldError(field, "%q names no single occupation; did you mean: %s?", name, strings.Join(labels, "; "))
}

// OccupationLabels names ESCO occupation codes; a code no longer in the
// reference data keeps its code.
func (db *DB) OccupationLabels(ctx context.Context, codes []string) (map[string]string, error) {
	out := map[string]string{}
	err := db.WithTx(ctx, func(tx *Tx) error {
		for _, c := range codes {
			l, err := tx.occupationLabel(ctx, c)
			if err != nil {
				return err
			}
			out[c] = l
		}
		return nil
	})
	return out, err
}

// GroupLabels names ISCO-08 groups for a form: a unit group (four digits)
// by its occupation with the shortest label, which names the group again
// when typed back; a broader group keeps its code, having no one name.
func (db *DB) GroupLabels(ctx context.Context, groups []string) (map[string]string, error) {
	out := map[string]string{}
	err := db.WithTx(ctx, func(tx *Tx) error {
		for _, g := range groups {
			out[g] = g
			if len(g) != 4 {
				continue
			}
			var l string
			err := tx.queryRow(ctx, `SELECT label FROM occupations WHERE isco = ? ORDER BY LENGTH(label), label LIMIT 1`, g).Scan(&l)
			if errors.Is(err, sql.ErrNoRows) {
				continue
			} else if err != nil {
				return err
			}
			out[g] = l
		}
		return nil
	})
	return out, err
}
