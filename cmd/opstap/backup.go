package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"

	"github.com/opstap/opstap/internal/store"
)

// cmdBackup writes a consistent copy of the database. The copy holds
// candidates' data only encrypted under their own keys; the master keys are
// not in it and must be kept elsewhere, which is what makes crypto-shredding
// reach into old backups.
func cmdBackup(ctx context.Context, args []string, stdout io.Writer) error {
	var out string
	return withDB(ctx, "backup", args, func(fs *flag.FlagSet) {
		fs.StringVar(&out, "out", "", "file to write (must not exist)")
	}, func(db *store.DB) error {
		if out == "" {
			return usageError{"--out is required"}
		}
		if _, err := os.Stat(out); err == nil {
			return fmt.Errorf("%s exists; choose a new file", out)
		}
		if db.Dialect == store.SQLite {
			if err := db.BackupSQLite(ctx, out); err != nil {
				return err
			}
		} else if err := pgDump(ctx, out); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "backup written to %s\n", out)
		return nil
	})
}

// pgDump runs pg_dump in its custom format; it reads the connection from
// OPSTAP_DATABASE_URL via the environment so the password stays off the
// process list.
func pgDump(ctx context.Context, out string) error {
	url := os.Getenv("OPSTAP_DATABASE_URL")
	if url == "" {
		return fmt.Errorf("backup of PostgreSQL needs OPSTAP_DATABASE_URL in the environment")
	}
	cmd := exec.CommandContext(ctx, "pg_dump", "--format=custom", "--file="+out)
	cmd.Env = append(os.Environ(), "PGDATABASE="+url)
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("pg_dump: %w", err)
	}
	return nil
}
