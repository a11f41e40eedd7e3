package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/gen"
	"github.com/opstap/opstap/internal/refdata"
	"github.com/opstap/opstap/internal/store"
)

// cmdGen: `opstap gen --preset small|municipality|national --seed N`
// generates a scale data set (internal/gen) into the database, with a
// progress line and rate on stderr. The municipalities and postcodes come
// from the reference data in the database; --postcodes and --esco import
// the publishers' files first, and a database without any gets the demo's
// embedded sample (few municipalities).
func cmdGen(ctx context.Context, args []string, stdout io.Writer) error {
	var preset, esco, postcodes string
	var seed uint64
	return withDB(ctx, "gen", args, func(fs *flag.FlagSet) {
		fs.StringVar(&preset, "preset", "small", "size: "+strings.Join(gen.PresetNames, ", "))
		fs.Uint64Var(&seed, "seed", 1, "random seed: the same seed gives the same data")
		fs.StringVar(&esco, "esco", "", "import this ESCO occupations CSV first")
		fs.StringVar(&postcodes, "postcodes", "", "import this GeoNames NL.txt first")
	}, func(db *store.DB) error {
		size, ok := gen.Presets[preset]
		if !ok {
			return usageError{fmt.Sprintf("--preset must be one of %s", strings.Join(gen.PresetNames, ", "))}
		}
		if err := genRefdata(ctx, db, stdout, esco, postcodes); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "generating preset %s (seed %d): %d rows\n", preset, seed, size.Rows())
		res, err := gen.Run(ctx, db, gen.Options{Size: size, Seed: seed, Progress: os.Stderr})
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%d rows in %.1f s (%.0f rows/s); %d candidates (%d with a flex profile) in %d municipalities\n", res.Rows,
			res.Elapsed.Seconds(), float64(res.Rows)/res.Elapsed.Seconds(), len(res.Candidates), res.Profiles, len(res.Municipalities))
		return nil
	})
}

// genRefdata imports the given files, or the embedded sample when the
// database has no reference data at all.
func genRefdata(ctx context.Context, db *store.DB, stdout io.Writer, esco, postcodes string) error {
	for _, f := range []struct {
		path string
		imp  func(context.Context, *opstap.Actor, string, io.Reader) (*store.RefdataImport, error)
	}{{esco, db.ImportOccupations}, {postcodes, db.ImportPostcodes}} {
		if f.path != "" {
			if err := importFile(ctx, stdout, f.path, f.imp); err != nil {
				return err
			}
		}
	}
	rd, err := db.GenerationRefdata(ctx)
	if err != nil {
		return err
	}
	sample := []struct {
		missing bool
		name    string
		imp     func(context.Context, *opstap.Actor, string, io.Reader) (*store.RefdataImport, error)
	}{{len(rd.Occupations) == 0, refdata.SampleOccupations, db.ImportOccupations}, {len(rd.Municipalities) == 0, refdata.SamplePostcodes, db.ImportPostcodes}}
	for _, s := range sample {
		if !s.missing {
			continue
		}
		b, err := refdata.Sample.ReadFile(s.name)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "no reference data in the database: importing the embedded sample %s (give --postcodes/--esco for the real files)\n", s.name)
		if _, err := s.imp(ctx, system, s.name[strings.LastIndex(s.name, "/")+1:], bytes.NewReader(b)); err != nil {
			return err
		}
	}
	return nil
}
