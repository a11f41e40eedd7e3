package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
)

// TokenPrefix marks Opstap API tokens so secret scanners can find leaked ones.
const TokenPrefix = "opstap_"

// NewToken returns a fresh random secret (256 bits) with prefix and the
// hash under which it is stored. The plain value is shown once and never
// stored.
func NewToken(prefix string) (plain, hash string) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	plain = prefix + base64.RawURLEncoding.EncodeToString(b)
	return plain, HashToken(plain)
}

// HashToken returns the storage hash of a token. A plain SHA-256 suffices:
// the token has 256 bits of entropy, so there is nothing to brute-force.
func HashToken(plain string) string {
	s := sha256.Sum256([]byte(plain))
	return hex.EncodeToString(s[:])
}
