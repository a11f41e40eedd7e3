package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/store"
)

// cmdRefdata: `opstap refdata import --esco FILE --postcodes FILE` loads the
// reference data from the publishers' files (docs/refdata.md). Each file is
// imported in its own transaction: all its rows or none.
func cmdRefdata(ctx context.Context, args []string, stdout io.Writer) error {
	_, rest, err := subcommand(args, "import")
	if err != nil {
		return err
	}
	var esco, postcodes string
	return withDB(ctx, "refdata import", rest, func(fs *flag.FlagSet) {
		fs.StringVar(&esco, "esco", "", "ESCO occupations CSV export with Dutch labels (occupations_nl.csv)")
		fs.StringVar(&postcodes, "postcodes", "", "GeoNames postal-code file for the Netherlands (NL.txt from NL.zip)")
	}, func(db *store.DB) error {
		if esco == "" && postcodes == "" {
			return usageError{"give --esco FILE, --postcodes FILE or both"}
		}
		for _, f := range []struct {
			path string
			imp  func(context.Context, *opstap.Actor, string, io.Reader) (*store.RefdataImport, error)
		}{{esco, db.ImportOccupations}, {postcodes, db.ImportPostcodes}} {
			if f.path == "" {
				continue
			}
			if err := importFile(ctx, stdout, f.path, f.imp); err != nil {
				return err
			}
		}
		return nil
	})
}

func importFile(ctx context.Context, stdout io.Writer, path string, imp func(context.Context, *opstap.Actor, string, io.Reader) (*store.RefdataImport, error)) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	// Named first, so that an error about a line is read against the right file.
	fmt.Fprintf(stdout, "%s: ", path)
	res, err := imp(ctx, system, filepath.Base(path), f)
	if err != nil {
		fmt.Fprintln(stdout, "refused, nothing changed")
		return err
	}
	fmt.Fprintf(stdout, "%d %s (%d added, %d removed), sha256 %s\n", res.Rows, res.Kind, res.Added, res.Removed, res.SHA256)
	return nil
}
