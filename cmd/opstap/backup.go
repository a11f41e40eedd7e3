package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/opstap/opstap/internal/store"
)

// cmdBackup writes a consistent copy of the database and, apart from it,
// the key file: the candidates' wrapped data keys. The database copy holds
// no data keys, so a person erased after the backup stays unreadable in it
// once the key files from before the erasure have been rotated out
// (docs/security.md, "Erasure and backups"). The master keys are in
// neither file.
//
// Both files appear only when complete (written beside their final name
// and renamed), are readable by their owner alone, and a failed backup
// leaves nothing behind that would block the retry.
func cmdBackup(ctx context.Context, args []string, stdout io.Writer) error {
	var out, keysOut string
	return withConfig(ctx, "backup", args, func(fs *flag.FlagSet) {
		fs.StringVar(&out, "out", "", "database copy to write (must not exist)")
		fs.StringVar(&keysOut, "keys-out", "", "key file to write (must not exist; default: OUT.keys); keep it apart from the copy")
	}, func(c *config, db *store.DB) error {
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
		err := writeNew(out, func(tmp string) error {
			if db.Dialect == store.SQLite {
				return db.BackupSQLite(ctx, tmp)
			}
			return pgDump(ctx, db, c.DatabaseURL, tmp)
		})
		if err != nil {
			return err
		}
		var n int
		err = writeNew(keysOut, func(tmp string) error {
			f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
			if err != nil {
				return err
			}
			n, err = db.ExportKeys(ctx, f)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			return err
		})
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "backup written to %s; %d data keys written to %s\n", out, n, keysOut)
		return nil
	})
}

// writeNew creates path through write, which gets a name in a private
// directory beside path (so the final rename stays on one file system):
// path appears complete, with mode 0600, or not at all, and is never
// written over.
func writeNew(path string, write func(tmp string) error) error {
	dir, err := os.MkdirTemp(filepath.Dir(path), ".opstap-partial-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	tmp := filepath.Join(dir, filepath.Base(path))
	if err := write(tmp); err != nil {
		return err
	}
	if err := os.Chmod(tmp, 0o600); err != nil {
		return err
	}
	if err := syncFile(tmp); err != nil {
		return err
	}
	// A hard link, unlike a rename, refuses to replace a file that
	// appeared meanwhile.
	if err := os.Link(tmp, path); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return syncFile(filepath.Dir(path))
}

func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
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
		return restoreKeys(ctx, db, in, stdout)
	})
}

func restoreKeys(ctx context.Context, db *store.DB, path string, stdout io.Writer) error {
	f, err := os.Open(path)
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
}
