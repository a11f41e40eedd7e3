package demo

import (
	"context"
	"io"
	"path"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/refdata"
	"github.com/opstap/opstap/internal/store"
)

// Reference data comes first: the flex demo data codes occupations and
// postcodes against it.
func init() {
	loaders = append([]func(context.Context, *store.DB, *Data) error{loadRefdata}, loaders...)
}

// loadRefdata imports the embedded sample (32 occupations; the postcodes of
// Almere and Lelystad) unless reference data is there already, so that a
// demo on a database where an operator imported the full files keeps them.
// The import itself is idempotent, so running it twice changes nothing.
func loadRefdata(ctx context.Context, db *store.DB, _ *Data) error {
	sys := &opstap.Actor{System: true}
	st, err := db.RefdataOverview(ctx, sys)
	if err != nil {
		return err
	}
	if st.Occupations == 0 {
		if err := importSample(ctx, sys, db.ImportOccupations, refdata.SampleOccupations); err != nil {
			return err
		}
	}
	if st.Postcodes == 0 {
		return importSample(ctx, sys, db.ImportPostcodes, refdata.SamplePostcodes)
	}
	return nil
}

func importSample(ctx context.Context, sys *opstap.Actor, imp func(context.Context, *opstap.Actor, string, io.Reader) (*store.RefdataImport, error), name string) error {
	f, err := refdata.Sample.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = imp(ctx, sys, path.Base(name), f)
	return err
}
