package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// cmdRestore loads a backup written by `opstap backup` into an empty
// database of the same engine, then its key file (or a newer one), which
// erases again whoever was erased since the backup. The keys the backup
// was written under must be configured (or in DATA_DIR/secrets.env): a
// restore never generates keys, and refuses keys that do not match the
// backup's (store.CheckKeys).
func cmdRestore(ctx context.Context, args []string, stdout io.Writer) error {
	var c config
	var in, keys string
	fset := flag.NewFlagSet("restore", flag.ContinueOnError)
	c.register(fset)
	fset.StringVar(&in, "in", "", "backup written by opstap backup")
	fset.StringVar(&keys, "keys", "", "key file (default: IN.keys); the newest one you have, so that people erased since stay erased")
	if err := parse(fset, args); err != nil {
		return err
	}
	if in == "" {
		return usageError{"--in is required"}
	}
	if keys == "" {
		keys = in + ".keys"
	}
	if _, err := os.Stat(keys); err != nil {
		return fmt.Errorf("key file %s is missing: a restore needs the key file written with the backup, or a newer one (--keys)", keys)
	}
	url, embedded := c.target()
	if err := c.loadSecrets(embedded, false); err != nil {
		return err
	}
	sqlite, err := isSQLiteFile(in)
	if err != nil {
		return err
	}
	if path, ok := strings.CutPrefix(url, "sqlite:"); ok || !strings.Contains(url, "://") {
		if !ok {
			path = url
		}
		if !sqlite {
			return fmt.Errorf("%s is not a SQLite backup; the configured database is SQLite", in)
		}
		if err := restoreSQLite(in, path); err != nil {
			return err
		}
	} else {
		if sqlite {
			return fmt.Errorf("%s is a SQLite backup; the configured database is PostgreSQL", in)
		}
		if err := pgRestore(ctx, url, in); err != nil {
			return err
		}
	}
	db, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	fmt.Fprintf(stdout, "database restored from %s\n", in)
	return restoreKeys(ctx, db, keys, stdout)
}

func isSQLiteFile(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	head := make([]byte, 16)
	n, _ := io.ReadFull(f, head)
	return bytes.Equal(head[:n], []byte("SQLite format 3\x00")), nil
}

// restoreSQLite copies the backup to path, which must not hold a
// database yet.
func restoreSQLite(backup, path string) error {
	fi, err := os.Stat(path)
	switch {
	case err == nil && fi.Size() > 0:
		return fmt.Errorf("%s holds a database already: restore into a new location", path)
	case err == nil:
		if err := os.Remove(path); err != nil {
			return err
		}
	case !errors.Is(err, fs.ErrNotExist):
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	return writeNew(path, func(tmp string) error {
		src, err := os.Open(backup)
		if err != nil {
			return err
		}
		defer src.Close()
		dst, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return err
		}
		_, err = io.Copy(dst, src)
		if cerr := dst.Close(); err == nil {
			err = cerr
		}
		return err
	})
}
