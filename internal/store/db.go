// Package store implements Opstap's services on SQL. One implementation runs
// on two engines: SQLite (embedded, the pure-Go modernc driver) and
// PostgreSQL (pgx). Queries are written once with '?' placeholders and
// rebound for PostgreSQL; the few places where the engines differ go
// through the Dialect.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"modernc.org/sqlite" // also registers driver "sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/auth"
	"github.com/opstap/opstap/internal/vault"
)

// Dialect names the SQL engine.
type Dialect string

// The supported engines.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

//go:embed migrations/*.sql
var migrations embed.FS

// DB is an open database with Opstap's schema.
type DB struct {
	SQL     *sql.DB
	Pool    *pgxpool.Pool // PostgreSQL only: River's worker driver needs pgx itself
	Dialect Dialect
	// Path is the SQLite file; River opens its own single connection to it.
	Path string
	// Now is the clock; tests replace it.
	Now func() time.Time
	// AuditKey keys the audit log's hash chain (HMAC-SHA256), so that a
	// person with write access to the database alone cannot rebuild a
	// consistent chain after tampering. It comes from configuration.
	AuditKey []byte
	// Keyring holds the master keys that wrap candidates' data keys and
	// seal system secrets such as TOTP seeds; they never enter the database.
	Keyring *vault.Keyring
	// Sessions bounds sessions' life (purge.go); zero means the defaults.
	Sessions SessionPolicy
	// Throttle limits failed sign-ins (sessions.go); zero means the
	// defaults.
	Throttle auth.Throttle
	// Retention sizes a retention run's batches (retention.go); zero means
	// the defaults.
	Retention RetentionPolicy

	// audits gathers the audit entries of concurrent reads into group
	// transactions (auditgroup.go).
	audits auditGroup
	// stmts keeps SQLite's statements prepared (stmtcache.go).
	stmts stmtCache

	// bulkPause, set by tests only, is called while a bulk registration
	// is under way (SetBulkPause).
	bulkPause func()
}

// DefaultURL is the embedded database used when no URL is configured.
const DefaultURL = "sqlite:data/opstap.db"

// Open connects to the database named by rawURL: "postgres://…" or
// "postgresql://…" for PostgreSQL, "sqlite:PATH" (or a bare path) for SQLite.
// It checks the connection but does not migrate.
func Open(ctx context.Context, rawURL string) (*DB, error) {
	if rawURL == "" {
		rawURL = DefaultURL
	}
	switch {
	case strings.HasPrefix(rawURL, "postgres://"), strings.HasPrefix(rawURL, "postgresql://"):
		return openPostgres(ctx, rawURL, "")
	case strings.Contains(rawURL, "://"):
		return nil, opstap.Errorf(opstap.EBADREQUEST, "database URL must start with postgres:// or sqlite:")
	default:
		return openSQLite(ctx, strings.TrimPrefix(rawURL, "sqlite:"))
	}
}

func openSQLite(ctx context.Context, path string) (*DB, error) {
	if path == "" {
		return nil, opstap.Errorf(opstap.EBADREQUEST, "database URL names no SQLite file")
	}
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("create database directory: %w", err)
		}
	}
	db, err := sql.Open("sqlite", SQLiteDSN(path))
	if err != nil {
		return nil, err
	}
	// WAL lets readers run beside the one writer; the pool stays small because
	// SQLite serialises writers anyway.
	db.SetMaxOpenConns(8)
	// Keep them all open: database/sql keeps only two idle by default, so
	// under load every further request opened the file again, set the
	// pragmas, started with a cold page cache and prepared its statements
	// anew.
	db.SetMaxIdleConns(8)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, opstap.Errorf(opstap.EUNAVAILABLE, "cannot open SQLite database: %v", err)
	}
	return &DB{SQL: db, Dialect: SQLite, Path: path, Now: time.Now}, nil
}

// SQLiteDSN returns the modernc DSN for path: foreign keys on, WAL, a busy
// timeout, and write transactions that take the lock at BEGIN so two
// writers never deadlock upgrading a read lock. secure_delete is set on
// every connection because it is a per-connection setting: without it the
// cells and pages an erasure frees keep the old bytes (e-mail addresses,
// external references) until they happen to be reused.
func SQLiteDSN(path string) string {
	return "file:" + path + "?_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=secure_delete(1)" +
		"&_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)&_txlock=immediate&_time_format=sqlite"
}

func openPostgres(ctx context.Context, rawURL, schema string) (*DB, error) {
	if _, err := url.Parse(rawURL); err != nil {
		return nil, opstap.Errorf(opstap.EBADREQUEST, "malformed database URL")
	}
	cfg, err := pgxpool.ParseConfig(rawURL)
	if err != nil {
		return nil, opstap.Errorf(opstap.EBADREQUEST, "malformed database URL: %v", redact(err))
	}
	if schema != "" {
		cfg.ConnConfig.RuntimeParams["search_path"] = schema
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, opstap.Errorf(opstap.EBADREQUEST, "malformed database URL: %v", redact(err))
	}
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := pool.Ping(pctx); err != nil {
		pool.Close()
		return nil, opstap.Errorf(opstap.EUNAVAILABLE, "PostgreSQL unreachable at %s: %v", cfg.ConnConfig.Host+":"+strconv.Itoa(int(cfg.ConnConfig.Port)), redact(err))
	}
	return &DB{SQL: stdlib.OpenDBFromPool(pool), Pool: pool, Dialect: Postgres, Now: time.Now}, nil
}

// redact drops anything after the first line: pgx errors can quote the
// connection string, which may hold a password.
func redact(err error) string {
	s := err.Error()
	if i := strings.Index(s, "password="); i >= 0 {
		s = s[:i] + "password=…"
	}
	return s
}

// Close closes the database.
func (db *DB) Close() error {
	db.closeStmts()
	err := db.SQL.Close()
	if db.Pool != nil {
		db.Pool.Close()
	}
	return err
}

// Migrate applies the embedded migrations for the engine, under the
// migration lock.
func (db *DB) Migrate(ctx context.Context) error {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return err
	}
	dialect := goose.DialectSQLite3
	if db.Dialect == Postgres {
		dialect = goose.DialectPostgres
		sub = rewriteFS{fsys: sub, fn: postgresSQL}
	}
	p, err := goose.NewProvider(dialect, db.SQL, sub)
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	return db.WithMigrationLock(ctx, func() error {
		if _, err := p.Up(ctx); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		return nil
	})
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	return db.SQL.PingContext(ctx)
}

// Tx is one transaction; every public store method runs in exactly one.
type Tx struct {
	tx  *sql.Tx
	db  *DB
	now time.Time
	// readOnly marks an audited read (auditedRead): a write fails with
	// errWriteInRead, and Audit keeps its entries in deferred for the group
	// commit.
	readOnly bool
	deferred *[]audit.Entry
	// rowsOpened holds the texts this transaction ran as cached, prepared
	// queries whose rows may still be open (stmtcache.go).
	rowsOpened map[string]bool
}

// WithTx runs fn in a transaction and commits when it returns nil.
func (db *DB) WithTx(ctx context.Context, fn func(*Tx) error) error {
	sqlTx, err := db.SQL.BeginTx(ctx, nil)
	if err != nil {
		return wrapDBErr(err)
	}
	tx := &Tx{tx: sqlTx, db: db, now: db.Now().UTC()}
	if err := fn(tx); err != nil {
		_ = sqlTx.Rollback()
		var de *deniedError
		if errors.As(err, &de) {
			if aerr := db.AppendAudit(ctx, de.entry); aerr != nil {
				return aerr
			}
		}
		return err
	}
	return wrapDBErr(sqlTx.Commit())
}

// readTx runs fn in a read-only transaction, which is always rolled back.
// On SQLite it takes no write lock (BEGIN without IMMEDIATE), so writers go
// on meanwhile; fn must not write.
func (db *DB) readTx(ctx context.Context, fn func(*Tx) error) error {
	sqlTx, err := db.SQL.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return wrapDBErr(err)
	}
	defer sqlTx.Rollback()
	return fn(&Tx{tx: sqlTx, db: db, now: db.Now().UTC()})
}

// SQLTx exposes the transaction for River's InsertTx.
func (tx *Tx) SQLTx() *sql.Tx { return tx.tx }

// Now is the transaction's clock reading, in UTC, fixed for the whole
// transaction so every row it writes carries the same moment.
func (tx *Tx) Now() time.Time { return tx.now }

func (tx *Tx) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	if tx.readOnly {
		return nil, errWriteInRead
	}
	q = tx.db.rebind(q)
	var r sql.Result
	var err error
	if s := tx.db.prepared(q); s != nil {
		r, err = tx.tx.StmtContext(ctx, s).ExecContext(ctx, args...)
	} else {
		r, err = tx.tx.ExecContext(ctx, q, args...)
	}
	return r, wrapDBErr(err)
}

func (tx *Tx) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	q = tx.db.rebind(q)
	// A row is read at once (Scan), so the prepared form is free again
	// unless query's rows of the same text are open.
	if s := tx.db.prepared(q); s != nil && !tx.rowsOpened[q] {
		return tx.tx.StmtContext(ctx, s).QueryRowContext(ctx, args...)
	}
	return tx.tx.QueryRowContext(ctx, q, args...)
}

// rebind turns '?' placeholders into PostgreSQL's $n. Queries never hold a
// literal '?', so a plain scan is enough.
func (db *DB) rebind(q string) string {
	if db.Dialect != Postgres {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// wrapDBErr maps engine errors that callers can act on to application
// errors; everything else stays as it is.
func wrapDBErr(err error) error {
	if err == nil || errors.Is(err, sql.ErrNoRows) {
		return err
	}
	switch constraintOf(err) {
	case constraintUnique:
		return &opstap.Error{Code: opstap.ECONFLICT, Message: "already exists", Err: err}
	case constraintForeignKey:
		return &opstap.Error{Code: opstap.EINVALID, Message: "refers to something that does not exist", Err: err}
	}
	return err
}

type constraint int

const (
	constraintNone constraint = iota
	constraintUnique
	constraintForeignKey
)

// constraintOf recognises a violated constraint by the driver's error code
// (PostgreSQL's SQLSTATE, SQLite's extended result code), never by the
// message text, which drivers reword between versions.
func constraintOf(err error) constraint {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		switch pg.Code {
		case "23505": // unique_violation
			return constraintUnique
		case "23503": // foreign_key_violation
			return constraintForeignKey
		}
		return constraintNone
	}
	var lite *sqlite.Error
	if errors.As(err, &lite) {
		switch lite.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return constraintUnique
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return constraintForeignKey
		}
	}
	return constraintNone
}

// BackupSQLite writes a consistent snapshot of the SQLite database to path
// while the database stays in use (VACUUM INTO), without the candidates'
// data keys, which go in a separate key file (ExportKeys).
func (db *DB) BackupSQLite(ctx context.Context, path string) error {
	if db.Dialect != SQLite {
		return opstap.Errorf(opstap.EBADREQUEST, "not an SQLite database")
	}
	// The copy is as confidential as its key file: readable by the owner
	// only. VACUUM INTO fills an empty file that already exists, so the
	// file is created with that mode first rather than narrowed afterwards.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := f.Close(); err != nil {
		return err
	}
	if _, err := db.SQL.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		return err
	}
	return stripBackupKeys(ctx, path) // the copy holds no data keys: keystore.go
}
