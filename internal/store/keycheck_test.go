package store_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
	"github.com/opstap/opstap/internal/vault"
)

func keyring(t *testing.T, versions ...byte) *vault.Keyring {
	t.Helper()
	var spec []string
	for _, v := range versions {
		spec = append(spec, fmt.Sprintf("%d:%s", v, keyB64(v)))
	}
	return vaultWith(t, strings.Join(spec, ","))
}

// TestKeyFingerprints: a server with another audit key or master keyring
// is refused; a rotation records a new version that servers without it
// then fail (issue 13 defect 3). Fingerprints never hold the key.
func TestKeyFingerprints(t *testing.T) {
	for _, d := range storetest.Engines() {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			open := storetest.Fresh(t, d)
			server := func(kr *vault.Keyring, auditKey string) *store.DB {
				db, err := open(ctx)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { db.Close() })
				db.Keyring = kr
				if auditKey != "" {
					db.AuditKey = []byte(auditKey)
				}
				if err := db.Migrate(ctx); err != nil {
					t.Fatal(err)
				}
				return db
			}
			first := server(keyring(t, 1), "")
			if err := first.CheckKeys(ctx); err != nil {
				t.Fatalf("first start: %v", err)
			}
			same := server(keyring(t, 1), "")
			if err := same.CheckKeys(ctx); err != nil {
				t.Fatalf("second server with the same keys: %v", err)
			}
			refused := func(db *store.DB, check func(context.Context) error, want string) {
				t.Helper()
				err := check(ctx)
				e := opstap.AsError(err)
				if e == nil || e.Code != opstap.EUNAVAILABLE || !strings.Contains(fmt.Sprintf(e.Message, e.Args...), want) {
					t.Fatalf("got %v, want a refusal naming %q", err, want)
				}
			}
			other := server(keyring(t, 1), "another audit key of 32 bytes!!")
			refused(other, other.CheckKeys, "audit key")
			wrongMaster := server(keyring(t, 3), "")
			refused(wrongMaster, wrongMaster.CheckKeys, "master key version 1 is in use")
			// Rotation: a server with versions 1 and 2 records version 2;
			// the servers with version 1 only are then not ready.
			rotated := server(keyring(t, 1, 2), "")
			if err := rotated.CheckKeys(ctx); err != nil {
				t.Fatalf("rotation: %v", err)
			}
			refused(first, first.VerifyKeys, "master key version 2 is in use")
			refused(same, same.CheckKeys, "master key version 2 is in use")
			if err := rotated.VerifyKeys(ctx); err != nil {
				t.Fatalf("rotated server: %v", err)
			}
			// A forged version 2 is told apart from the real one.
			forged := server(vaultWith(t, "1:"+keyB64(1)+",2:"+keyB64(9)), "")
			refused(forged, forged.CheckKeys, "master key version 2 differs")

			var n int
			if err := rotated.SQL.QueryRowContext(ctx, `SELECT COUNT(*) FROM key_fingerprints`).Scan(&n); err != nil || n != 3 {
				t.Fatalf("%d fingerprints recorded (%v), want audit + 2 master", n, err)
			}
		})
	}
}

// keyB64 is a test master key; version 1 is storetest's.
func keyB64(v byte) string {
	k := make([]byte, 32)
	for i := range k {
		k[i] = byte(i+1) * v
	}
	return base64.StdEncoding.EncodeToString(k)
}

func vaultWith(t *testing.T, spec string) *vault.Keyring {
	t.Helper()
	kr, err := vault.ParseKeyring(spec)
	if err != nil {
		t.Fatal(err)
	}
	return kr
}
