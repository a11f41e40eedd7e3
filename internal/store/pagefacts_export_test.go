package store

import (
	"context"
	"errors"
	"fmt"
	"reflect"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/candidate"
)

// ComparePageFacts reads the candidates ids as a list's page reads them
// (readPageFacts) and one by one as the reads it replaces, and reports the
// first difference: the subject with its employers, the data key (by what
// it opens), the basic data, the name and the shared limitations, errors
// included.
func ComparePageFacts(ctx context.Context, db *DB, ids []string) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		f, err := tx.readPageFacts(ctx, ids)
		if err != nil {
			return err
		}
		same := func(id, what string, want, got any, wantErr, gotErr error) error {
			if !errors.Is(gotErr, wantErr) || (wantErr == nil && !reflect.DeepEqual(want, got)) {
				return fmt.Errorf("%s of %s: %#v, %v; one by one %#v, %v", what, id, got, gotErr, want, wantErr)
			}
			return nil
		}
		for _, id := range ids {
			wc, ws, werr := tx.placementSubject(ctx, id)
			gc, gs, gerr := f.subject(id)
			if err := errors.Join(same(id, "candidate", wc, gc, werr, gerr), same(id, "subject", ws, gs, werr, gerr)); err != nil {
				return err
			}
			wdk, werr := tx.dataKey(ctx, id)
			gdk, gerr := f.dataKey(id)
			if err := same(id, "data key", nil, nil, werr, gerr); err != nil {
				return err
			}
			if werr == nil {
				var wb, gb *candidate.Basic
				wok, werr := tx.getCategory(ctx, wdk, id, opstap.CatBasic, &wb)
				gok, gerr := f.basic(gdk, id, &gb)
				if err := same(id, "basic data", []any{wok, wb}, []any{gok, gb}, werr, gerr); err != nil {
					return err
				}
			}
			wn, werr := tx.candidateName(ctx, id)
			gn, gerr := f.name(id)
			if err := same(id, "name", wn, gn, werr, gerr); err != nil {
				return err
			}
			wl, werr := tx.sharedLimitations(ctx, id)
			gl, gerr := f.sharedLimitations(id)
			if err := same(id, "shared limitations", wl, gl, werr, gerr); err != nil {
				return err
			}
		}
		return nil
	})
}
