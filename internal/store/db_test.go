package store_test

import (
	"context"
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

func TestMigrateTwice(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		if err := db.Migrate(context.Background()); err != nil {
			t.Fatalf("second migrate: %v", err)
		}
	})
}

func TestOpenBadURL(t *testing.T) {
	tests := []struct {
		name, url, code string
	}{
		{"unknown scheme", "mysql://x", opstap.EBADREQUEST},
		{"malformed postgres", "postgres://%zz", opstap.EBADREQUEST},
		{"unreachable postgres", "postgres://nobody@127.0.0.1:1/none?connect_timeout=2", opstap.EUNAVAILABLE},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := store.Open(context.Background(), tt.url)
			if got := opstap.ErrorCode(err); got != tt.code {
				t.Fatalf("code = %q (%v), want %q", got, err, tt.code)
			}
		})
	}
}
