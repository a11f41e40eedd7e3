package store

import "context"

// OpenPostgresSchema opens PostgreSQL with every table in schema, which the
// caller must have created. Tests use it to isolate runs in one database.
func OpenPostgresSchema(ctx context.Context, rawURL, schema string) (*DB, error) {
	return openPostgres(ctx, rawURL, schema)
}

// SetBulkPause makes RegisterBulk call pause while its work is under way:
// the point at which tests check that other requests are not blocked.
func SetBulkPause(db *DB, pause func()) { db.bulkPause = pause }

// SetAuditGroupPause makes the group commit call pause before each group
// transaction begins: tests hold it there to see that readers wait.
func SetAuditGroupPause(db *DB, pause func()) { db.audits.pause = pause }
