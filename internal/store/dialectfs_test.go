package store

import "testing"

func TestPostgresSQL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"at TIMESTAMP NOT NULL", "at TIMESTAMPTZ NOT NULL"},
		{"created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP", "created_at TIMESTAMPTZ DEFAULT CURRENT_TIMESTAMP"},
		{"ciphertext BLOB", "ciphertext BYTEA"},
		{"lat REAL NOT NULL", "lat DOUBLE PRECISION NOT NULL"},
		{"timestamp_note TEXT, REALITY TEXT", "timestamp_note TEXT, REALITY TEXT"},
	}
	for _, tt := range tests {
		if got := string(postgresSQL([]byte(tt.in))); got != tt.want {
			t.Errorf("postgresSQL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
