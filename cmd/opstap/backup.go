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

// cmdBackup writes a consistent copy of the database and, apart from it,
// the key file: the candidates' wrapped data keys. The database copy holds
// no data keys, so a person erased after the backup stays unreadable in it
// once the key files from before the erasure have been rotated out
// (docs/security.md, "Erasure and backups"). The master keys are in
// neither file.
func cmdBackup(ctx context.Context, args []string, stdout io.Writer) error {
	var out, keysOut string
	return withDB(ctx, "backup", args, func(fs *flag.FlagSet) {
		fs.StringVar(&out, "out", "", "database copy to write (must not exist)")
		fs.StringVar(&keysOut, "keys-out", "", "key file to write (must not exist; default: OUT.keys); keep it apart from the copy")
	}, func(db *store.DB) error {
		if out == "" {
			return usageError{"--out is required"}
		}
		if keysOut == "" {
			keysOut = out + ".keys"
		}
		for _, p := range []string{out, keysOut} {
			if _, err := os.Stat(p); err == nil {
				return fmt.Errorf("%s exists; choose a new file", p)
			}
		}
		if db.Dialect == store.SQLite {
			if err := db.BackupSQLite(ctx, out); err != nil {
				return err
			}
		} else if err := pgDump(ctx, out); err != nil {
			return err
		}
		n, err := writeKeys(ctx, db, keysOut)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "backup written to %s; %d data keys written to %s\n", out, n, keysOut)
		return nil
	})
}

func writeKeys(ctx context.Context, db *store.DB, path string) (int, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return 0, err
	}
	n, err := db.ExportKeys(ctx, f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return n, err
}

// cmdRestoreKeys puts the newest key file into a database restored from a
// backup; candidates whose keys are missing were erased after the backup
// and are erased again.
func cmdRestoreKeys(ctx context.Context, args []string, stdout io.Writer) error {
	var in string
	return withDB(ctx, "restore-keys", args, func(fs *flag.FlagSet) {
		fs.StringVar(&in, "in", "", "key file written by opstap backup")
	}, func(db *store.DB) error {
		if in == "" {
			return usageError{"--in is required"}
		}
		f, err := os.Open(in)
		if err != nil {
			return err
		}
		defer f.Close()
		res, err := db.ImportKeys(ctx, f)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%d keys restored; %d candidates erased since the backup were erased again\n", res.Restored, res.Erased)
		return nil
	})
}

// pgDump runs pg_dump in its custom format without the data keys; it reads
// the connection from OPSTAP_DATABASE_URL via the environment so the
// password stays off the process list.
func pgDump(ctx context.Context, out string) error {
	url := os.Getenv("OPSTAP_DATABASE_URL")
	if url == "" {
		return fmt.Errorf("backup of PostgreSQL needs OPSTAP_DATABASE_URL in the environment")
	}
	// pg_dump writes into the file it is given; creating it first keeps
	// the copy readable by the owner only, like its key file.
	f, err := os.OpenFile(out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, "pg_dump", "--format=custom", "--exclude-table-data=candidate_keys", "--file="+out)
	cmd.Env = append(os.Environ(), "PGDATABASE="+url)
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("pg_dump: %w", err)
	}
	return nil
}
