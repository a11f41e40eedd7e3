package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/vault"
)

// config is what every command needs to reach the data.
type config struct {
	DatabaseURL string
	DataDir     string
	MasterKeys  string
	AuditKey    string
}

// envOr returns the environment variable for a flag, or def.
func envOr(name, def string) string {
	if v, ok := os.LookupEnv("OPSTAP_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))); ok {
		return v
	}
	return def
}

// durationFlag is a duration setting: a flag whose default comes from
// OPSTAP_<NAME> when set, else def.
type durationFlag struct {
	p     *time.Duration
	name  string
	def   time.Duration
	usage string
}

// register defines the flag, refusing an environment value that is not a
// duration.
func (d durationFlag) register(fs *flag.FlagSet) error {
	def := d.def
	if v := envOr(d.name, ""); v != "" {
		var err error
		if def, err = time.ParseDuration(v); err != nil {
			return usageError{fmt.Sprintf("OPSTAP_%s is not a duration such as %s", strings.ToUpper(strings.ReplaceAll(d.name, "-", "_")), d.def)}
		}
	}
	fs.DurationVar(d.p, d.name, def, d.usage)
	return nil
}

// intFlag is a whole-number setting: a flag whose default comes from
// OPSTAP_<NAME> when set, else def.
type intFlag struct {
	p     *int
	name  string
	def   int
	usage string
}

// register defines the flag, refusing an environment value that is not a
// whole number.
func (d intFlag) register(fs *flag.FlagSet) error {
	def := d.def
	if v := envOr(d.name, ""); v != "" {
		var err error
		if def, err = strconv.Atoi(v); err != nil {
			return usageError{fmt.Sprintf("OPSTAP_%s is not a whole number such as %d", strings.ToUpper(strings.ReplaceAll(d.name, "-", "_")), d.def)}
		}
	}
	fs.IntVar(d.p, d.name, def, d.usage)
	return nil
}

func (c *config) register(fs *flag.FlagSet) {
	fs.StringVar(&c.DatabaseURL, "database-url", envOr("database-url", ""), "database: postgres://… or sqlite:PATH (default: SQLite in the data directory)")
	fs.StringVar(&c.DataDir, "data-dir", envOr("data-dir", "data"), "directory for the embedded database and generated secrets")
	fs.StringVar(&c.MasterKeys, "master-keys", envOr("master-keys", ""), "master keys as VERSION:BASE64[,…] (secret; prefer the environment variable)")
	fs.StringVar(&c.AuditKey, "audit-key", envOr("audit-key", ""), "key of the audit log's hash chain, base64 (secret; prefer the environment variable)")
}

// parse parses args, turning flag errors into usage errors.
func parse(fs *flag.FlagSet, args []string) error {
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			fs.SetOutput(os.Stdout)
			fs.PrintDefaults()
			return err
		}
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	return nil
}

// target returns the database URL and whether it is the embedded
// database in the data directory.
func (c *config) target() (url string, embedded bool) {
	if c.DatabaseURL == "" {
		return "sqlite:" + filepath.Join(c.DataDir, "opstap.db"), true
	}
	return c.DatabaseURL, false
}

// open connects, migrates and installs the keys.
func (c *config) open(ctx context.Context) (*store.DB, error) {
	url, embedded := c.target()
	// Keys are generated only for an embedded database that does not exist
	// yet: a database that holds data was written under keys of its own,
	// and fresh ones would open none of it (every read would fail).
	generate := false
	if embedded {
		fi, err := os.Stat(strings.TrimPrefix(url, "sqlite:"))
		generate = errors.Is(err, fs.ErrNotExist) || (err == nil && fi.Size() == 0)
	}
	db, err := store.Open(ctx, url)
	if err != nil {
		return nil, err
	}
	if err := c.installKeys(db, embedded, generate); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.CheckKeys(ctx); err != nil {
		db.Close()
		return nil, err
	}
	// Without the figures' derived facts the system still works; the
	// backfill is tried again at the next start.
	if err := db.BackfillFigureFacts(ctx); err != nil {
		slog.Warn("figures: facts not backfilled", "error", err)
	}
	return db, nil
}

func (c *config) installKeys(db *store.DB, embedded, generate bool) error {
	if err := c.loadSecrets(embedded, generate); err != nil {
		return err
	}
	kr, err := vault.ParseKeyring(c.MasterKeys)
	if err != nil {
		return fmt.Errorf("master keys: %w", err)
	}
	auditKey, err := base64.StdEncoding.DecodeString(c.AuditKey)
	if err != nil || len(auditKey) < 32 {
		return fmt.Errorf("audit key: must be at least 32 bytes, base64-encoded")
	}
	db.Keyring, db.AuditKey = kr, auditKey
	return nil
}

// loadSecrets fills missing keys. For the embedded database a first start
// generates them into DATA_DIR/secrets.env (mode 0600), so that the README's
// one command works; a server database must be given its keys explicitly,
// because keys generated on one host would lock the others out.
func (c *config) loadSecrets(embedded, generate bool) error {
	if c.MasterKeys != "" && c.AuditKey != "" {
		return nil
	}
	if !embedded {
		return fmt.Errorf("OPSTAP_MASTER_KEYS and OPSTAP_AUDIT_KEY must be set for a PostgreSQL database")
	}
	path := filepath.Join(c.DataDir, "secrets.env")
	vals, err := readEnvFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist) && generate:
		vals, err = writeSecrets(path)
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("%s is missing, and the database %s holds data written under its keys: "+
			"put back the secrets.env that belongs to this database (or set OPSTAP_MASTER_KEYS and OPSTAP_AUDIT_KEY); "+
			"no new keys are generated, because they could open none of the data",
			path, filepath.Join(c.DataDir, "opstap.db"))
	}
	if err != nil {
		return fmt.Errorf("secrets file %s: %w", path, err)
	}
	if c.MasterKeys == "" {
		c.MasterKeys = vals["OPSTAP_MASTER_KEYS"]
	}
	if c.AuditKey == "" {
		c.AuditKey = vals["OPSTAP_AUDIT_KEY"]
	}
	return nil
}

func readEnvFile(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	vals := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(strings.TrimSpace(sc.Text()), "="); ok && !strings.HasPrefix(k, "#") {
			vals[k] = v
		}
	}
	return vals, sc.Err()
}

func writeSecrets(path string) (map[string]string, error) {
	mk, err := vault.GenerateKeySpec()
	if err != nil {
		return nil, err
	}
	ak := make([]byte, 32)
	if _, err := rand.Read(ak); err != nil {
		return nil, err
	}
	vals := map[string]string{"OPSTAP_MASTER_KEYS": mk, "OPSTAP_AUDIT_KEY": base64.StdEncoding.EncodeToString(ak)}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	body := "# Generated by opstap on first start. Keep apart from database backups:\n" +
		"# a backup is only as safe as the place these keys are kept.\n" +
		"OPSTAP_MASTER_KEYS=" + vals["OPSTAP_MASTER_KEYS"] + "\nOPSTAP_AUDIT_KEY=" + vals["OPSTAP_AUDIT_KEY"] + "\n"
	return vals, os.WriteFile(path, []byte(body), 0o600)
}
