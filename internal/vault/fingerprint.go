package vault

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
)

// fingerprintLabel is the constant a key's fingerprint is the MAC of.
const fingerprintLabel = "opstap key fingerprint v1"

// Fingerprint identifies key without revealing it: the HMAC-SHA256 of a
// constant under the key, hex-encoded. Servers sharing a database store
// and compare fingerprints to find out that they hold the same keys; the
// MAC cannot be turned back into the key, nor forged without it.
func Fingerprint(key []byte) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(fingerprintLabel))
	return hex.EncodeToString(m.Sum(nil))
}

// Fingerprint returns the fingerprint of master key version v, and whether
// that version is configured.
func (k *Keyring) Fingerprint(v int) (string, bool) {
	mk, ok := k.keys[v]
	if !ok {
		return "", false
	}
	return mk.fingerprint, true
}
