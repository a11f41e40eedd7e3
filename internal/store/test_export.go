package store

import "context"

// OpenPostgresSchema opens PostgreSQL with every table in schema, which the
// caller must have created. Tests use it to isolate runs in one database.
func OpenPostgresSchema(ctx context.Context, rawURL, schema string) (*DB, error) {
	return openPostgres(ctx, rawURL, schema)
}
