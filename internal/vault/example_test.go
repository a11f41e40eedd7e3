package vault_test

import (
	"fmt"

	"github.com/opstap/opstap/internal/vault"
)

func Example() {
	spec, _ := vault.GenerateKeySpec() // from configuration in production
	ring, _ := vault.ParseKeyring(spec)

	// Registering a candidate: store wrapped and version with the candidate.
	dk, wrapped, version, _ := ring.NewDataKey("cand-42")
	bsn := dk.Seal([]byte("123456782"), vault.FieldAAD("cand-42", "bsn"))
	terms := ring.SearchTerms("bsn", "123456782") // stored for lookup

	// Reading it back later.
	dk, _ = ring.Unwrap(wrapped, version, "cand-42")
	plain, _ := dk.Open(bsn, vault.FieldAAD("cand-42", "bsn"))
	fmt.Println(string(plain), len(terms))

	// Erasing the candidate: delete wrapped (and terms); bsn is now noise,
	// here and in every backup.
	// Output: 123456782 2
}
