package store_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
	"github.com/opstap/opstap/internal/vault"
)

// TestIdempotencyKeys: a key is claimed once, holds its answer sealed, is
// per user, can be released, is taken over when abandoned in flight or
// older than 24 hours, and its answer survives a master key rotation.
func TestIdempotencyKeys(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		now := time.Date(2026, 12, 6, 19, 0, 0, 250_000_000, time.UTC)
		db.Now = func() time.Time { return now }
		req := func(a *opstap.Actor, key string) store.IdempotentRequest {
			return store.IdempotentRequest{UserID: a.UserID, Key: key, Method: "POST", Path: "/api/v1/candidates"}
		}
		claim := func(r store.IdempotentRequest) (string, *store.IdempotencyRecord) {
			t.Helper()
			id, rec, err := db.ClaimIdempotencyKey(ctx, r)
			if err != nil {
				t.Fatalf("claim %q: %v", r.Key, err)
			}
			if (id == "") == (rec == nil) {
				t.Fatalf("claim %q: id %q and record %v: want exactly one", r.Key, id, rec)
			}
			return id, rec
		}
		fp := sha256.Sum256([]byte("{\"first_name\":\"Karin\"}"))
		answer := store.IdempotentResponse{Status: 201, Header: map[string]string{"Content-Type": "application/json", "Location": "/api/v1/candidates/x"},
			Body: []byte(`{"first_name":"Karin","last_name":"Kok-Idempotent"}`)}

		// First use claims; a second while in flight finds it running.
		key := "order-4711-karin-kok"
		first, _ := claim(req(f.coach, key))
		if first == "" {
			t.Fatal("first use did not claim the key")
		}
		if id, rec := claim(req(f.coach, key)); id != "" || rec.Response != nil || rec.Method != "POST" || rec.Path != "/api/v1/candidates" {
			t.Fatalf("second use while in flight: claim %q, %+v", id, rec)
		}
		// Completed: the answer comes back whole with the fingerprint.
		if err := db.CompleteIdempotencyKey(ctx, first, fp[:], answer); err != nil {
			t.Fatal(err)
		}
		_, rec := claim(req(f.coach, key))
		if rec.Response == nil || !reflect.DeepEqual(*rec.Response, answer) || string(rec.Fingerprint) != string(fp[:]) {
			t.Fatalf("completed key holds %+v", rec)
		}
		// Neither the answer nor the key is stored in clear.
		for _, needle := range []string{"Kok-Idempotent", key} {
			if n := storetest.ClearIn(t, db, "idempotency_keys", needle, "key_hash", "response", "path", "method"); n != 0 {
				t.Errorf("%q in clear in %d rows", needle, n)
			}
		}
		// Another user's same key is a key of its own.
		if id, _ := claim(req(f.coach2, key)); id == "" {
			t.Fatal("another user's same key was taken")
		}

		// A released key (a 5xx) is free again; completing a released
		// claim keeps nothing.
		released, _ := claim(req(f.coach, "released"))
		if err := db.ReleaseIdempotencyKey(ctx, released); err != nil {
			t.Fatal(err)
		}
		if err := db.CompleteIdempotencyKey(ctx, released, fp[:], answer); err != nil {
			t.Fatal(err)
		}
		if id, _ := claim(req(f.coach, "released")); id == "" || id == released {
			t.Fatalf("released key: claim %q", id)
		}

		// Abandoned in flight (its server stopped): taken over after the
		// lease; the old claim's late answer is not kept.
		abandoned, _ := claim(req(f.coach, "abandoned"))
		now = now.Add(store.IdempotencyLease - time.Second)
		if id, rec := claim(req(f.coach, "abandoned")); id != "" || rec.Response != nil {
			t.Fatal("a claim inside its lease was taken over")
		}
		now = now.Add(time.Second)
		taken, _ := claim(req(f.coach, "abandoned"))
		if taken == "" || taken == abandoned {
			t.Fatalf("abandoned claim not taken over: %q", taken)
		}
		if err := db.CompleteIdempotencyKey(ctx, abandoned, fp[:], answer); err != nil {
			t.Fatal(err)
		}
		if _, rec := claim(req(f.coach, "abandoned")); rec.Response != nil {
			t.Fatal("the abandoned claim's late answer was kept")
		}

		// Rotation re-seals the kept answers under the new master key.
		k2 := make([]byte, 32)
		for i := range k2 {
			k2[i] = byte(100 + i)
		}
		one := make([]byte, 32)
		for i := range one {
			one[i] = byte(i + 1)
		}
		kr, err := vault.ParseKeyring("1:" + base64.StdEncoding.EncodeToString(one) + ",2:" + base64.StdEncoding.EncodeToString(k2))
		if err != nil {
			t.Fatal(err)
		}
		db.Keyring = kr
		res, err := db.RotateKeys(ctx, &opstap.Actor{System: true})
		if err != nil || res.IdempotentResponses != 1 {
			t.Fatalf("rotation: %+v, %v; want 1 idempotent response", res, err)
		}
		if _, rec := claim(req(f.coach, key)); rec.Response == nil || !reflect.DeepEqual(*rec.Response, answer) {
			t.Fatalf("answer after rotation: %+v", rec)
		}

		// 24 hours after its first use the key is gone: claimed anew, and
		// the expire job deletes the rest.
		now = now.Add(store.IdempotencyTTL - store.IdempotencyLease)
		if id, _ := claim(req(f.coach, key)); id == "" || id == first {
			t.Fatalf("day-old key: claim %q", id)
		}
		res2, err := db.PurgeExpired(ctx)
		if err != nil {
			t.Fatal(err)
		}
		// coach2's key and the released one's reclaim are exactly a day
		// old now; the abandoned one's takeover and the fresh claim are
		// younger.
		if res2.IdempotencyKeys != 2 {
			t.Errorf("purged %d idempotency keys, want 2", res2.IdempotencyKeys)
		}
	})
}

// TestIdempotencyConcurrentClaims: of concurrent first uses of one key
// exactly one claims it; the others find it in flight.
func TestIdempotencyConcurrentClaims(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		const n = 8
		var wg sync.WaitGroup
		claims := make(chan string, n)
		errs := make(chan error, n)
		for range n {
			wg.Go(func() {
				id, rec, err := db.ClaimIdempotencyKey(ctx, store.IdempotentRequest{UserID: f.coach.UserID, Key: "same", Method: "PUT", Path: "/api/v1/flex/settings"})
				switch {
				case err != nil:
					errs <- err
				case id != "":
					claims <- id
				case rec.Response != nil:
					errs <- opstap.Errorf(opstap.EINTERNAL, "an unfinished claim holds an answer")
				}
			})
		}
		wg.Wait()
		close(claims)
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		if len(claims) != 1 {
			t.Fatalf("%d of %d concurrent uses claimed the key, want 1", len(claims), n)
		}
	})
}
