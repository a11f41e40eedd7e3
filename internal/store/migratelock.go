package store

import (
	"context"
	"database/sql/driver"
	"fmt"
)

// WithMigrationLock runs fn while holding the database's migration lock,
// which every process takes before changing the schema (the store's
// migrations and River's), so that any number of servers can start or roll
// out together on one database: the first migrates, the others wait and
// then find nothing left to do.
//
// PostgreSQL: a session advisory lock, keyed by the schema so that
// separate schemas (tests) do not wait for each other; it is released when
// its connection ends, also when the process dies. SQLite: an exclusive
// lock on a file beside the database (flock), released likewise.
func (db *DB) WithMigrationLock(ctx context.Context, fn func() error) error {
	if db.Dialect == Postgres {
		return db.withAdvisoryLock(ctx, "opstap.migrate", fn)
	}
	unlock, err := lockFile(ctx, db.Path+".migrate-lock")
	if err != nil {
		return fmt.Errorf("migration lock: %w", err)
	}
	defer unlock()
	return fn()
}

// withAdvisoryLock holds PostgreSQL's session advisory lock named name (in
// the current schema) on a connection of its own while fn runs.
func (db *DB) withAdvisoryLock(ctx context.Context, name string, fn func() error) error {
	conn, err := db.SQL.Conn(ctx)
	if err != nil {
		return fmt.Errorf("%s lock: %w", name, err)
	}
	defer conn.Close()
	const key = `hashtext(? || '.' || COALESCE(current_schema(), ''))`
	if _, err := conn.ExecContext(ctx, db.rebind(`SELECT pg_advisory_lock(`+key+`)`), name); err != nil {
		return fmt.Errorf("%s lock: %w", name, err)
	}
	ferr := fn()
	// A failed unlock leaves the lock to end with the connection, which
	// Close then discards rather than returning it to the pool.
	if _, err := conn.ExecContext(context.WithoutCancel(ctx), db.rebind(`SELECT pg_advisory_unlock(`+key+`)`), name); err != nil {
		_ = conn.Raw(func(any) error { return driver.ErrBadConn })
	}
	return ferr
}
