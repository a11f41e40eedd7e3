package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/opstap/opstap/internal/render"
	"github.com/opstap/opstap/internal/store"
)

// cmdHandover exports one commissioner's data for the end of a contract,
// or imports such a file [003 art 7.5 lid 2]; the format is
// docs/handover-format.md. Only the command line may: the file holds every
// candidate's data in clear.
//
//	opstap handover export --commissioner CBS|ID --out FILE
//	opstap handover import --in FILE
//	opstap handover destroy --commissioner CBS|ID --confirm
func cmdHandover(ctx context.Context, args []string, stdout io.Writer) error {
	sub, rest, err := subcommand(args, "export", "import", "destroy")
	if err != nil {
		return err
	}
	switch sub {
	case "export":
		return handoverExport(ctx, rest, stdout)
	case "destroy":
		return handoverDestroy(ctx, rest, stdout)
	}
	return handoverImport(ctx, rest, stdout)
}

// handoverDestroy deletes a commissioner's candidates at the end of the
// contract, after the export [003 art 7.5 lid 2; bewerkers art 11]; the
// store refuses before the contract ended or before the hand-over.
func handoverDestroy(ctx context.Context, args []string, stdout io.Writer) error {
	var org string
	var confirm bool
	return withDB(ctx, "handover destroy", args, func(fs *flag.FlagSet) {
		fs.StringVar(&org, "commissioner", "", "the commissioner's CBS code or organisation id")
		fs.BoolVar(&confirm, "confirm", false, "confirm that every candidate of the commissioner is to be erased")
	}, func(db *store.DB) error {
		if org == "" || !confirm {
			return usageError{"--commissioner and --confirm are required"}
		}
		run, err := db.DestroyCommissionerData(ctx, system, org)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%d candidates erased; destruction record %s\n", run.Erased, run.ID)
		return nil
	})
}

func handoverExport(ctx context.Context, args []string, stdout io.Writer) error {
	var org, out string
	return withDB(ctx, "handover export", args, func(fs *flag.FlagSet) {
		fs.StringVar(&org, "commissioner", "", "the commissioner's CBS code or organisation id")
		fs.StringVar(&out, "out", "", "ZIP file to write (must not exist)")
	}, func(db *store.DB) error {
		if org == "" || out == "" {
			return usageError{"--commissioner and --out are required"}
		}
		h, err := db.ExportHandover(ctx, system, org)
		if err != nil {
			return err
		}
		// O_EXCL: never overwrite, and the file is readable by its owner only.
		f, err := os.OpenFile(out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return err
		}
		if err := render.HandoverZip(f, h); err != nil {
			f.Close()
			os.Remove(out)
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%d candidates of %s written to %s\n", len(h.Candidates), h.Commissioner.Name, out)
		return nil
	})
}

func handoverImport(ctx context.Context, args []string, stdout io.Writer) error {
	var in string
	return withDB(ctx, "handover import", args, func(fs *flag.FlagSet) {
		fs.StringVar(&in, "in", "", "hand-over ZIP file to read")
	}, func(db *store.DB) error {
		if in == "" {
			return usageError{"--in is required"}
		}
		b, err := os.ReadFile(in)
		if err != nil {
			return err
		}
		h, err := render.ReadHandoverZip(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			return fmt.Errorf("%s is not a hand-over file: %w", in, err)
		}
		res, err := db.ImportHandover(ctx, system, h)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "imported %d candidates with %d dossier entries, %d trajectories, %d reports and %d documents; %d were imported before\n",
			res.Created, res.Entries, res.Trajectories, res.Reports, res.Documents, res.Skipped)
		return nil
	})
}
