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
