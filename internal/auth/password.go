// Package auth holds the credential primitives: argon2id password hashes,
// TOTP second factors and opaque bearer tokens. It keeps no state; the store
// persists what these functions produce.
package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"github.com/opstap/opstap"
)

// Argon2id parameters: OWASP's recommended minimum (19 MiB, 2 passes, one
// lane). Each login costs about this much memory, which login throttling
// keeps bounded.
const (
	argonMemory  = 19 * 1024
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
	saltLen      = 16
)

// MinPasswordLength is the shortest password accepted. Length beats
// composition rules (NIST SP 800-63B).
const MinPasswordLength = 12

// ValidatePassword checks a new password.
func ValidatePassword(pw string) error {
	if utf8.RuneCountInString(pw) < MinPasswordLength {
		return opstap.FieldError("password", "password must be at least %d characters", MinPasswordLength)
	}
	if utf8.RuneCountInString(pw) > 256 {
		return opstap.FieldError("password", "password must be at most 256 characters")
	}
	return nil
}

// HashPassword returns the password's argon2id hash in PHC string format.
func HashPassword(pw string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, argonMemory, argonTime, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

var errHashFormat = errors.New("auth: unrecognised password hash")

// CheckPassword reports whether pw matches the PHC-format hash. An empty
// hash (an account that signs in only through OIDC) never matches.
func CheckPassword(hash, pw string) (bool, error) {
	if hash == "" {
		return false, nil
	}
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errHashFormat
	}
	var mem, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &mem, &t, &p); err != nil {
		return false, errHashFormat
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, errHashFormat
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil {
		return false, errHashFormat
	}
	got := argon2.IDKey([]byte(pw), salt, t, mem, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// dummyHash is checked when no account matches, so that a login for an
// unknown address takes as long as one for a known address.
var dummyHash, _ = HashPassword("opstap-timing-equaliser")

// CheckNoPassword spends the time of a password check and reports false.
func CheckNoPassword(pw string) {
	_, _ = CheckPassword(dummyHash, pw)
}
